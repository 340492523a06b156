"""Question banks as plain data: what a question is, with no widgets and no I/O.

A bank is built from validated YAML by :func:`fluorohip.quiz.loader.load_bank`. Grading
(:mod:`fluorohip.quiz.grading`) and the views (:mod:`fluorohip.quiz.views`) both read
these objects; neither changes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = ("single", "multiple", "numeric", "ordering", "label", "case")
TYPE_NAMES = {
    "single": "single best answer",
    "multiple": "multiple response",
    "numeric": "numeric",
    "ordering": "ordering",
    "label": "label the figure",
    "case": "unfolding case",
}


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class Option:
    """A choice in a single or multiple question, or a step in an ordering question."""

    id: str
    text: str
    feedback: str


@dataclass(frozen=True)
class Marker:
    """A letter drawn on a label-the-figure image."""

    id: str
    feedback: str


@dataclass(frozen=True)
class Structure:
    id: str
    text: str


@dataclass(frozen=True)
class NumericAnswer:
    value: float
    unit: str
    tolerance: float = 0.0
    accept_units: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields common to every type. ``key`` is the id progress is stored under."""

    id: str
    type: str
    stem: str
    explanation: str
    objective: str | None = None
    difficulty: str | None = None
    citations: tuple[str, ...] = ()
    figure: str | None = None
    alt: str | None = None
    reveal: str | None = None  # case stages only
    key: str = ""  # "question-id" or "case-id/stage-id"
    line: int | None = None

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.type]

    def parts(self) -> tuple[Question, ...]:
        """What is answered and recorded one by one: the question itself (a case: its stages)."""
        return (self,)


@dataclass(frozen=True, kw_only=True)
class SingleQuestion(Question):
    options: tuple[Option, ...]
    answer: str


@dataclass(frozen=True, kw_only=True)
class MultipleQuestion(Question):
    options: tuple[Option, ...]
    answer: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class NumericQuestion(Question):
    answer: NumericAnswer
    feedback_correct: str
    feedback_incorrect: str


@dataclass(frozen=True, kw_only=True)
class OrderingQuestion(Question):
    items: tuple[Option, ...]
    answer: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class LabelQuestion(Question):
    markers: tuple[Marker, ...]
    structures: tuple[Structure, ...]
    answer: dict[str, str]

    def __hash__(self) -> int:  # dict field: hash by identity of the key
        return hash(self.key)


@dataclass(frozen=True, kw_only=True)
class CaseQuestion(Question):
    stages: tuple[Question, ...]

    def parts(self) -> tuple[Question, ...]:
        return self.stages


@dataclass(frozen=True)
class Bank:
    bank: str
    title: str
    version: int | str
    objectives: tuple[Objective, ...]
    questions: tuple[Question, ...]
    path: Path | None = field(default=None, compare=False)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"bank {self.bank} has no question {question_id!r}")

    def select(self, ids: list[str] | None) -> tuple[Question, ...]:
        """The questions named by ``ids`` in that order (all of them if ``ids`` is None)."""
        if ids is None:
            return self.questions
        known = {q.id for q in self.questions}
        missing = [i for i in ids if i not in known]
        if missing:
            raise KeyError(
                f"bank {self.bank} has no question(s) {', '.join(map(repr, missing))}; "
                f"known ids: {', '.join(sorted(known))}"
            )
        return tuple(self.question(i) for i in ids)

    def gradable(self) -> dict[str, Question]:
        """Every item an attempt is recorded for: plain questions and case stages, by key."""
        out: dict[str, Question] = {}
        for q in self.questions:
            for part in q.parts():
                out[part.key] = part
        return out

    def objective_of(self, key: str) -> str | None:
        """The objective a gradable key counts towards: a stage's own objective when it names
        one (the integrated cases do), otherwise its case's."""
        if "/" in key:
            own = self.gradable().get(key)
            if own is not None and own.objective:
                return own.objective
        top = key.split("/", 1)[0]
        for q in self.questions:
            if q.id == top:
                return q.objective
        return None


def type_counts(questions: tuple[Question, ...] | list[Question]) -> str:
    """``single 3, multiple 2, numeric 1`` in the canonical type order."""
    counts = Counter(q.type for q in questions)
    return ", ".join(f"{t} {counts[t]}" for t in QUESTION_TYPES if counts[t])
