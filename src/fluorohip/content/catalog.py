"""The catalog: every bank of the course that loads, by bank id, for totals in summaries and reports.

It lives above the quiz and cases engines because it needs both: the course map names the quiz
banks, and the integrated cases count as one more bank (:data:`fluorohip.cases.bank.CASES_BANK`).
With the catalog in the quiz loader, ``quiz -> cases -> quiz`` was an import cycle.
"""

from __future__ import annotations

from ..cases.bank import CASES_BANK, cases_bank
from ..quiz.loader import BankError, load_bank
from ..quiz.model import Bank
from .course_map import CourseMapError, course_banks


def load_catalog() -> dict[str, Bank]:
    """Every bank of this course that loads, by bank id (sorted), the integrated cases included.

    A broken bank (or map) is left out rather than raised: a learner's dashboard or an
    instructor's report should still work, and ``fluorohip validate`` says what is wrong.
    """
    out: dict[str, Bank] = {}
    try:
        stems = course_banks()
    except (OSError, CourseMapError, ValueError):
        stems = []
    for stem in sorted(stems):
        try:
            out[stem] = load_bank(stem)
        except (BankError, OSError, ValueError):
            continue
    try:
        cases = cases_bank()
    except (OSError, ValueError):
        return out
    if cases.questions:
        out[CASES_BANK] = cases
    return dict(sorted(out.items()))
