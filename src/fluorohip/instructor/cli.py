"""Moved to :mod:`fluorohip.cli.class_report`; this old name stays for one release (0.2)."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("fluorohip.cli.class_report")
