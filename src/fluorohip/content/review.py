"""Review mode across chapters: ask again the questions whose latest answer was wrong, oldest first.

Retrieval practice: answering from memory after a delay helps more than rereading, so the
question got wrong longest ago comes first. A case comes back whole if any stage's latest
answer was wrong. Questions whose bank or id no longer exists are skipped. An integrated case
(bank ``07_cases``) is not re-asked here, because its stages need their images and the stages
before them: review names it instead, to reopen in the course map's final notebook.

It lives in ``content`` because it spans the course: quiz banks, the cases and the course map.
"""

from __future__ import annotations

import html

from ..cases.bank import CASES_BANK
from ..cases.loader import CaseError, load_case
from ..progress.store import Attempt, ProgressStore
from ..quiz.loader import BankError, load_bank
from ..quiz.model import Bank, Question
from .course_map import final_entry


def due_for_review(attempts: list[Attempt], n: int = 10) -> list[tuple[str, str]]:
    """``(bank, question id)`` of up to ``n`` questions to revisit, oldest wrong first.

    ``attempts`` are in save order. A question is due when the latest attempt of any of its
    parts (a case's stages) is wrong; it is dated by that wrong attempt.
    """
    latest: dict[tuple[str, str], tuple[int, Attempt]] = {}
    for order, a in enumerate(attempts):
        latest[(a.bank, a.question_id)] = (order, a)
    due: dict[tuple[str, str], int] = {}
    for (bank, key), (order, a) in latest.items():
        if a.correct:
            continue
        top = (bank, key.split("/", 1)[0])
        due[top] = min(order, due.get(top, order))
    ranked = sorted(due, key=lambda k: due[k])
    return ranked[: max(0, n)]


class _BankCache:
    """Each bank loaded once per review; a bank that no longer loads is remembered as None."""

    def __init__(self) -> None:
        self.banks: dict[str, Bank | None] = {}

    def bank(self, stem: str) -> Bank | None:
        if stem not in self.banks:
            try:
                self.banks[stem] = load_bank(stem)
            except (BankError, OSError):
                self.banks[stem] = None
        return self.banks[stem]


def review(n: int = 10, *, store: ProgressStore | None = None):
    """A quiz of up to ``n`` questions you last got wrong, oldest first (a widget)."""
    from ..quiz.views import QuizWidget

    store = store if store is not None else ProgressStore()
    attempts = store.attempts()
    cases_due = [
        qid
        for _, qid in due_for_review([a for a in attempts if a.bank == CASES_BANK], len(attempts))
    ]
    wanted = due_for_review(
        [a for a in attempts if a.bank != CASES_BANK], n if isinstance(n, int) and n > 0 else 10
    )
    cache = _BankCache()
    entries: list[tuple[Bank, Question]] = []
    skipped = 0
    for stem, qid in wanted:
        bank = cache.bank(stem)
        try:
            if bank is None:
                raise KeyError(stem)
            entries.append((bank, bank.question(qid)))
        except KeyError:
            skipped += 1
    if entries:
        intro = (
            "<p>These are the questions whose last answer was wrong, the oldest first. "
            "Answer from memory before you look anything up.</p>"
        )
    else:
        intro = "<p>Nothing to review: every question you have answered was right the last time. Well done.</p>"
    if skipped:
        intro += f"<p><i>{skipped} question(s) from banks that have changed were skipped.</i></p>"
    if cases_due:
        intro += _cases_to_reopen(cases_due)
    # Fixed repr: what a stored notebook shows must not depend on this learner's answers.
    return QuizWidget(
        entries,
        title="Review: questions to revisit",
        label="Review",
        store=store,
        intro=intro,
        fixed_repr="Review: the questions you last answered wrongly, oldest first",
    )


def _cases_to_reopen(case_ids: list[str]) -> str:
    """A short list of the integrated cases with a stage last answered wrongly, by title."""
    items = []
    for case_id in case_ids:
        try:
            title = load_case(case_id).title
        except (CaseError, OSError, ValueError):
            continue  # a case since removed or broken: nothing to reopen
        items.append(f"<li>{html.escape(title)} <code>cases.show_case({case_id!r})</code></li>")
    if not items:
        return ""
    final = final_entry()
    return (
        "<p>Cases with a stage you last answered wrongly; reopen them in "
        f"<a href='{html.escape(final.filename)}'>{html.escape(final.number)} {html.escape(final.title)}</a> "
        "(pick the case from the menu, or run the line shown):</p><ul>" + "".join(items) + "</ul>"
    )
