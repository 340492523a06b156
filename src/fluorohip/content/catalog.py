"""The catalog: every bank of the course that loads, by bank id, for totals in summaries and reports.

It lives above the quiz and cases engines because it needs both: the course map names the quiz
banks, and the integrated cases count as one more bank (:data:`fluorohip.cases.bank.CASES_BANK`).
With the catalog in the quiz loader, ``quiz -> cases -> quiz`` was an import cycle.
"""

from __future__ import annotations

from ..cases.bank import CASES_BANK, cases_bank
from ..quiz.loader import BankError, available_banks, load_bank
from ..quiz.model import Bank, Objective
from .course_map import CourseMapError, MapEntry, course_banks


def load_catalog() -> dict[str, Bank]:
    """Every bank of this course that loads: the quiz banks sorted by id, then the integrated cases
    (the order summaries and reports list them in, as before the catalog moved here).

    A broken bank is left out rather than raised (and with a broken map every bank file counts): a learner's dashboard or an
    instructor's report should still work, and ``fluorohip validate`` says what is wrong.
    """
    out: dict[str, Bank] = {}
    try:
        stems = course_banks()
    except (OSError, CourseMapError, ValueError):
        stems = available_banks()  # a broken map must not hide a learner's totals
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
    return out


def objectives_of(entry: MapEntry) -> tuple[Objective, ...]:
    """The learning objectives an entry teaches: those its bank declares. Written once, in the
    bank, where items are tagged with them; the notebook's list is checked against it."""
    return load_bank(entry.bank).objectives if entry.bank else ()
