"""Single best answer: one option is keyed; each option carries its own feedback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..checks import ProblemSink
from ..model import SingleQuestion
from ..order import plain_label
from .base import Grade, MarkdownRenderer, QuestionReader, QuestionType, invalid, verdict
from .choices import check_option_answer, options_from_data, options_key_html, shown_options

if TYPE_CHECKING:
    from numpy.random import Generator


class SingleControls:
    """Radio buttons, each option's whole text as its label (wrapped by keyboard.CSS)."""

    def __init__(self, q: SingleQuestion, bank: str):
        from .widgetkit import FULL, W

        self.intro = ""
        self.shown_options = shown_options(q.options, bank, q.key or q.id)
        self.order = [o.id for o in self.shown_options]
        self.radio = W.RadioButtons(
            options=[(plain_label(o.text), o.id) for o in self.shown_options],
            value=None,
            layout=FULL,
            description="",
        )
        self.radio.add_class("fluorohip-options")
        self.widgets: list[Any] = [self.radio]

    def response(self) -> Any:
        return self.radio.value

    def set_response(self, value: Any) -> None:
        self.radio.value = value

    def set_disabled(self, disabled: bool) -> None:
        self.radio.disabled = disabled


class SingleType(QuestionType[SingleQuestion]):
    name = "single"
    question_class = SingleQuestion
    one_key = True

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> SingleQuestion:
        return SingleQuestion(
            **common, options=options_from_data(data["options"]), answer=data["answer"]
        )

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        check_option_answer(data, base, rep, several=False)

    def keyed_option_ids(self, data: Mapping[str, Any]) -> set[str] | None:
        answer = data.get("answer")
        return {answer} if isinstance(answer, str) else set()

    def options_chosen(
        self, question: SingleQuestion, responses: list[Any]
    ) -> list[tuple[str, str, bool, int]] | None:
        counts = Counter(r for r in responses if isinstance(r, str))
        return [(o.id, o.text, o.id == question.answer, counts[o.id]) for o in question.options]

    def grade(self, question: SingleQuestion, response: Any) -> Grade:
        return grade_single(question, response)

    def correct_response(self, question: SingleQuestion) -> Any:
        return question.answer

    def typical_wrong_response(self, question: SingleQuestion, rng: Generator) -> Any:
        # By id, not bank position: the synthetic class must not change when options move.
        wrong = sorted(o.id for o in question.options if o.id != question.answer)
        weights = [2.0] + [1.0] * (len(wrong) - 1)
        return str(rng.choice(wrong, p=[w / sum(weights) for w in weights]))

    def answer_markdown(self, question: SingleQuestion) -> str:
        option = next(o for o in question.options if o.id == question.answer)
        return f"**Answer:** {option.text}"

    def feedback_texts(self, question: SingleQuestion) -> list[str]:
        return [o.feedback for o in question.options]

    def cited_texts(self, question: SingleQuestion) -> list[str]:
        return [text for o in question.options for text in (o.text, o.feedback)]

    def key_html(self, question: SingleQuestion, md: MarkdownRenderer, with_answers: bool) -> str:
        return options_key_html(question.options, {question.answer}, md, with_answers)

    def controls(self, question: SingleQuestion, bank: str) -> SingleControls:
        return SingleControls(question, bank)


def grade_single(q: SingleQuestion, response: Any) -> Grade:
    """The chosen option id: right or wrong, with that option's feedback."""
    options = {o.id: o for o in q.options}
    if not isinstance(response, str) or response not in options:
        return invalid("Choose one option, then press Check.")
    correct = response == q.answer
    return Grade(
        verdict(correct),
        (options[response].feedback,),
        score=1.0 if correct else 0.0,
        answer=response,
    )


SINGLE = SingleType()
