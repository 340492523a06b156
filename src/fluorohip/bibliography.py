"""Moved to :mod:`fluorohip.core.bibliography`; this old name stays for one release (0.2) and then goes.

The module object is the same one, so code and tests that patch it keep working.
"""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("fluorohip.core.bibliography")
