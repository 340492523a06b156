"""The hub load test is a tool beside the package (``tools/hub_loadtest``), not part of what a
learner installs; these tests import it from the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
