"""What notebook 08 shows: the case menu, and the learner's completion summary.

Everything here is the engine's (:mod:`fluorohip.cases`): this module re-exports the case menu
and wraps the completion summary for display, so the notebook's cells stay one line each.
"""

from __future__ import annotations

from IPython.display import HTML

from fluorohip.cases.views import CaseMenu, show_cases
from fluorohip.content.completion import completion_for_store, completion_html, write_completion
from fluorohip.content.course_map import posttest_bank
from fluorohip.progress.store import ProgressStore

#: The post-test's bank id, from the course map (learners' saved progress is keyed on it).
POSTTEST = posttest_bank()

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
