"""Grade one response to one question: pure functions, no widgets, no storage.

A response is what the controls hold: an option id (single), a collection of option ids
(multiple), the typed text (numeric), item ids by position (ordering) or
``{marker: structure id}`` (label). A case is graded stage by stage. Unanswered or
unreadable responses give ``status="invalid"`` with a hint; they are not attempts and are
not saved. Each type's rules live in its module of :mod:`fluorohip.quiz.types`; this module
is the entry point the views, the cases and the instructor tools call.
"""

from __future__ import annotations

from typing import Any

from .model import Question
from .types import Grade, type_of
from .types.label import grade_label
from .types.multiple import grade_multiple
from .types.numeric import grade_numeric
from .types.ordering import grade_ordering
from .types.single import grade_single

__all__ = [
    "Grade",
    "answer_markdown",
    "correct_response",
    "grade",
    "grade_label",
    "grade_multiple",
    "grade_numeric",
    "grade_ordering",
    "grade_single",
]


def grade(question: Question, response: Any) -> Grade:
    """Grade ``response`` to one question (or one case stage). Never raises on bad input;
    raises TypeError for a case itself (grade its stages)."""
    return type_of(question).grade(question, response)


def answer_markdown(question: Question) -> str:
    """The correct answer, written out for "Show answer"."""
    return type_of(question).answer_markdown(question)


def correct_response(question: Question) -> Any:
    """A response that grades as correct: used by "Show answer" to set the controls, and by tests."""
    return type_of(question).correct_response(question)
