"""The learner's progress: the attempt store, exports, the dashboard and ``fluorohip progress``.

Light to import; the dashboard widget (and ipywidgets) loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader as lazy

from .formats import Attempt
from .store import ProgressStore, ProgressStoreError, ProgressStoreWarning, default_home
from .summary import BankProgress, ObjectiveProgress, summarise

if TYPE_CHECKING:  # pragma: no cover
    from .views import show_dashboard

__all__ = [
    "Attempt",
    "BankProgress",
    "ObjectiveProgress",
    "ProgressStore",
    "ProgressStoreError",
    "ProgressStoreWarning",
    "default_home",
    "show_dashboard",
    "summarise",
]

# The dashboard (ipywidgets) loads on first use (lazy_loader, SPEC 1).
__getattr__, __dir__, _ = lazy.attach(__name__, submod_attrs={"views": ["show_dashboard"]})
