"""Grade one response to one question: pure functions, no widgets, no storage.

A response is what the controls hold: an option id (single), a collection of option ids
(multiple), the typed text (numeric), item ids by position (ordering) or
``{marker: structure id}`` (label). A case is graded stage by stage. Unanswered or
unreadable responses give ``status="invalid"`` with a hint; they are not attempts and are
not saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import (
    LabelQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    SingleQuestion,
)
from .numeric import format_number, parse_number, within_tolerance


@dataclass(frozen=True)
class Grade:
    status: str  # "correct" | "incorrect" | "invalid"
    feedback: tuple[str, ...] = ()  # Markdown, one entry per choice made (or missed)
    hint: str | None = None  # for "invalid": what to do before checking
    score: float = 0.0  # fraction right (partial credit is shown, never stored as correct)
    answer: Any = None  # JSON-able record of the response, for the progress store
    details: dict = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def counts(self) -> bool:
        """Whether this is an attempt worth saving (the learner really answered)."""
        return self.status != "invalid"


def _invalid(hint: str) -> Grade:
    return Grade("invalid", hint=hint)


def grade_single(q: SingleQuestion, response: str | None) -> Grade:
    options = {o.id: o for o in q.options}
    if response not in options:
        return _invalid("Choose one option, then press Check.")
    correct = response == q.answer
    return Grade(
        "correct" if correct else "incorrect",
        (options[response].feedback,),
        score=1.0 if correct else 0.0,
        answer=response,
    )


def grade_multiple(q: MultipleQuestion, response: Iterable[str] | None) -> Grade:
    chosen = {r for r in (response or ()) if r in {o.id for o in q.options}}
    if not chosen:
        return _invalid("Tick at least one option, then press Check.")
    feedback = []
    right = 0
    for o in q.options:
        picked, should = o.id in chosen, o.id in q.answer
        right += picked == should
        if picked:
            feedback.append(("✓ " if should else "✗ ") + f"You ticked “{o.text}”: {o.feedback}")
        elif should:
            feedback.append(f"✗ You did not tick “{o.text}”: {o.feedback}")
    correct = chosen == set(q.answer)
    return Grade(
        "correct" if correct else "incorrect",
        tuple(feedback),
        score=right / len(q.options),
        answer=sorted(chosen),
    )


def grade_numeric(q: NumericQuestion, response: str | float | int | None) -> Grade:
    text = response if isinstance(response, str) else ("" if response is None else repr(response))
    reading = parse_number(text, q.answer.unit, q.answer.accept_units)
    if not reading.ok:
        return _invalid(reading.hint or "Type a number.")
    correct = within_tolerance(reading.value, q.answer.value, q.answer.tolerance)
    feedback = q.feedback_correct if correct else q.feedback_incorrect
    return Grade(
        "correct" if correct else "incorrect",
        (feedback,),
        score=1.0 if correct else 0.0,
        answer=text.strip(),
        details={"value": reading.value},
    )


def grade_ordering(q: OrderingQuestion, response: Sequence[str | None] | None) -> Grade:
    order = list(response or ())
    items = {i.id: i for i in q.items}
    if len(order) != len(q.answer) or any(r not in items for r in order):
        return _invalid("Choose an item for every position, then press Check.")
    if len(set(order)) != len(order):
        return _invalid(
            "Each item can be used only once; change the repeated one, then press Check."
        )
    feedback = []
    right = 0
    for position, (given, expected) in enumerate(zip(order, q.answer), start=1):
        ok = given == expected
        right += ok
        mark = "✓" if ok else "✗"
        feedback.append(
            f"{mark} Position {position}: “{items[given].text}”"
            + ("" if ok else f" belongs at position {q.answer.index(given) + 1}")
            + f". {items[given].feedback}"
        )
    correct = right == len(order)
    return Grade(
        "correct" if correct else "incorrect",
        tuple(feedback),
        score=right / len(order),
        answer=order,
    )


def grade_label(q: LabelQuestion, response: Mapping[str, str | None] | None) -> Grade:
    mapping = dict(response or {})
    structures = {s.id: s for s in q.structures}
    if any(mapping.get(m.id) not in structures for m in q.markers):
        return _invalid("Choose a structure for every letter, then press Check.")
    feedback = []
    right = 0
    for m in q.markers:
        given = mapping[m.id]
        ok = given == q.answer[m.id]
        right += ok
        said = structures[given].text
        feedback.append(("✓ " if ok else f"✗ You said “{said}”. ") + f"{m.feedback}")
    correct = right == len(q.markers)
    return Grade(
        "correct" if correct else "incorrect",
        tuple(feedback),
        score=right / len(q.markers),
        answer={m.id: mapping[m.id] for m in q.markers},
    )


_GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "numeric": grade_numeric,
    "ordering": grade_ordering,
    "label": grade_label,
}


def grade(question: Question, response: Any) -> Grade:
    """Grade ``response`` to one question (or one case stage). Never raises on bad input."""
    if question.type == "case":
        raise TypeError("grade each stage of a case (question.stages), not the case itself")
    return _GRADERS[question.type](question, response)


def answer_markdown(question: Question) -> str:
    """The correct answer, written out for "Show answer"."""
    if isinstance(question, SingleQuestion):
        option = next(o for o in question.options if o.id == question.answer)
        return f"**Answer:** {option.text}"
    if isinstance(question, MultipleQuestion):
        texts = [o.text for o in question.options if o.id in question.answer]
        return "**Answer:** " + "; ".join(texts)
    if isinstance(question, NumericQuestion):
        a = question.answer
        tol = f" (± {format_number(a.tolerance)})" if a.tolerance else ""
        return f"**Answer:** {format_number(a.value)} {a.unit}".rstrip() + tol
    if isinstance(question, OrderingQuestion):
        items = {i.id: i.text for i in question.items}
        return "**Answer:**\n\n" + "\n".join(
            f"{n}. {items[i]}" for n, i in enumerate(question.answer, start=1)
        )
    if isinstance(question, LabelQuestion):
        structures = {s.id: s.text for s in question.structures}
        return "**Answer:**\n\n" + "\n".join(
            f"- {m.id}: {structures[question.answer[m.id]]}" for m in question.markers
        )
    return ""


def correct_response(question: Question) -> Any:
    """A response that grades as correct: used by "Show answer" to set the controls, and by tests."""
    if isinstance(question, SingleQuestion):
        return question.answer
    if isinstance(question, MultipleQuestion):
        return sorted(question.answer)
    if isinstance(question, NumericQuestion):
        return format_number(question.answer.value)
    if isinstance(question, OrderingQuestion):
        return list(question.answer)
    if isinstance(question, LabelQuestion):
        return dict(question.answer)
    raise TypeError(f"no single response for a {question.type} question")
