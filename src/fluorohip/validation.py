"""Moved to :mod:`fluorohip.content.validate`; this old name stays for one release (0.2)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("fluorohip.content.validate")
