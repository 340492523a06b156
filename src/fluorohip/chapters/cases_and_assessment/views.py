"""What notebook 08 shows: the case menu, and the learner's completion summary.

Everything here is the engine's (:mod:`fluorohip.cases`): this module re-exports the case menu
and wraps the completion summary for display, so the notebook's cells stay one line each.
"""

from __future__ import annotations

from IPython.display import HTML

from fluorohip.cases.completion import (
    POSTTEST,
    completion_for_store,
    completion_html,
    write_completion,
)
from fluorohip.cases.views import CaseMenu, show_cases
from fluorohip.progress.store import ProgressStore

__all__ = [
    "POSTTEST",
    "CaseMenu",
    "show_cases",
    "show_completion",
    "write_completion",
]


def show_completion(store: ProgressStore | None = None) -> HTML:
    """The completion summary (per chapter, case and objective, with the pre/post gain) as HTML,
    built from the learner's progress store."""
    return HTML(completion_html(completion_for_store(store)))
