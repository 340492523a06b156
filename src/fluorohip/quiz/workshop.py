"""Moved to :mod:`fluorohip.quiz.release`; this old name stays for one release (0.2)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("fluorohip.quiz.release")
