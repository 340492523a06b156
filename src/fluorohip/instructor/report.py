"""Moved to :mod:`fluorohip.instructor.class_report`; this old name stays for one release (0.2)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("fluorohip.instructor.class_report")
