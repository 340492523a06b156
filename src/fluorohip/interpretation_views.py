"""Moved to :mod:`fluorohip.chapters.interpretation.views` (chapter 06 is split by job under :mod:`fluorohip.chapters.interpretation`);
this old name stays for one release (0.2) as a re-export of the public names, which type checkers
can follow (the case player still imports it).
"""

from fluorohip.chapters.interpretation.views import *  # noqa: F403
from fluorohip.chapters.interpretation.views import __all__  # noqa: F401
