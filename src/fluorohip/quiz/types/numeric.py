"""Numeric: type a number, optionally with its unit; right within the bank's tolerance.

The text is read by the course's one number parser (:mod:`fluorohip.quiz.numeric` over
:func:`fluorohip.core.inputs.read_number`), so "7,5" is 7.5 here as in every chapter box.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..checks import ProblemSink
from ..model import NumericAnswer, NumericQuestion
from ..numeric import format_number, parse_number, within_tolerance
from .base import Grade, MarkdownRenderer, QuestionReader, QuestionType, invalid, verdict

if TYPE_CHECKING:
    from numpy.random import Generator


class NumericControls:
    """A text box with the unit written after it."""

    def __init__(self, q: NumericQuestion):
        from .widgetkit import W

        self.intro = ""
        self.text = W.Text(
            value="",
            placeholder="type a number, e.g. 7.5",
            description="Answer",
            layout=W.Layout(width="320px"),
        )
        unit = W.HTML(f"&nbsp;{html.escape(q.answer.unit)}")
        self.widgets: list[Any] = [W.HBox([self.text, unit])]

    def response(self) -> Any:
        return self.text.value

    def set_response(self, value: Any) -> None:
        self.text.value = str(value)

    def set_disabled(self, disabled: bool) -> None:
        self.text.disabled = disabled


class NumericType(QuestionType[NumericQuestion]):
    name = "numeric"
    question_class = NumericQuestion

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> NumericQuestion:
        a = data["answer"]
        answer = NumericAnswer(
            value=float(a["value"]),
            unit=a["unit"],
            tolerance=float(a.get("tolerance", 0)),
            accept_units=tuple(data.get("accept_units") or ()),
        )
        return NumericQuestion(
            **common,
            answer=answer,
            feedback_correct=data["feedback_correct"],
            feedback_incorrect=data["feedback_incorrect"],
        )

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        answer = data.get("answer")
        ans = answer if isinstance(answer, dict) else {}
        for name in ("value", "tolerance"):
            value = ans.get(name)
            if isinstance(value, float) and not math.isfinite(value):
                rep.add(base + ("answer", name), f"must be a finite number; got {value!r}")

    def grade(self, question: NumericQuestion, response: Any) -> Grade:
        return grade_numeric(question, response)

    def correct_response(self, question: NumericQuestion) -> Any:
        return format_number(question.answer.value)

    def typical_wrong_response(self, question: NumericQuestion, rng: Generator) -> Any:
        return f"{question.answer.value * 10:g}"  # the classic slip: a factor of ten

    def answer_markdown(self, question: NumericQuestion) -> str:
        a = question.answer
        tol = f" (± {format_number(a.tolerance)})" if a.tolerance else ""
        return f"**Answer:** {format_number(a.value)} {a.unit}".rstrip() + tol

    def feedback_texts(self, question: NumericQuestion) -> list[str]:
        return [question.feedback_correct, question.feedback_incorrect]

    def cited_texts(self, question: NumericQuestion) -> list[str]:
        return self.feedback_texts(question)

    def key_html(self, question: NumericQuestion, md: MarkdownRenderer, with_answers: bool) -> str:
        unit = question.answer.unit
        out = f"<p>Type a number{f' (answer in {html.escape(unit)})' if unit else ''}.</p>"
        if with_answers:
            out += (
                f"<p class='feedback'>If right: {md(question.feedback_correct, inline=True)}<br>"
                f"If wrong: {md(question.feedback_incorrect, inline=True)}</p>"
            )
        return out

    def controls(self, question: NumericQuestion, bank: str) -> NumericControls:
        return NumericControls(question)


def grade_numeric(q: NumericQuestion, response: str | float | int | None) -> Grade:
    """The typed text: right when it reads as a number within the tolerance, in an accepted unit."""
    text = response if isinstance(response, str) else ("" if response is None else repr(response))
    reading = parse_number(text, q.answer.unit, q.answer.accept_units)
    if reading.value is None:
        return invalid(reading.hint or "Type a number.")
    correct = within_tolerance(reading.value, q.answer.value, q.answer.tolerance)
    feedback = q.feedback_correct if correct else q.feedback_incorrect
    return Grade(
        verdict(correct),
        (feedback,),
        score=1.0 if correct else 0.0,
        answer=text.strip(),
        details={"value": reading.value},
    )


NUMERIC = NumericType()
