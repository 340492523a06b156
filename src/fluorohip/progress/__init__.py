"""The learner's progress: the attempt store, exports, the dashboard and ``fluorohip progress``.

Light to import; the dashboard widget (and ipywidgets) loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .store import (
    Attempt,
    BankProgress,
    ObjectiveProgress,
    ProgressStore,
    ProgressStoreError,
    ProgressStoreWarning,
    default_home,
    summarise,
)

if TYPE_CHECKING:  # pragma: no cover
    from .dashboard import show_dashboard

__all__ = [
    "Attempt", "BankProgress", "ObjectiveProgress", "ProgressStore", "ProgressStoreError",
    "ProgressStoreWarning", "default_home", "show_dashboard", "summarise",
]


def __getattr__(name: str):
    if name == "show_dashboard":
        from .dashboard import show_dashboard

        globals()[name] = show_dashboard
        return show_dashboard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
