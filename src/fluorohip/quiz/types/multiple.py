"""Multiple response: tick every correct option; partly right answers are scored, not passed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..checks import ProblemSink
from ..model import MultipleQuestion
from ..order import plain_label
from .base import Grade, MarkdownRenderer, QuestionReader, QuestionType, invalid, verdict
from .choices import check_option_answer, options_from_data, options_key_html, shown_options

if TYPE_CHECKING:
    from numpy.random import Generator


class MultipleControls:
    """One checkbox per option, under "Tick every correct option."."""

    def __init__(self, q: MultipleQuestion, bank: str):
        from .widgetkit import FULL, W

        self.intro = ""
        self.shown_options = shown_options(q.options, bank, q.key or q.id)
        self.order = [o.id for o in self.shown_options]
        self.boxes = [
            W.Checkbox(value=False, indent=False, layout=FULL, description=plain_label(o.text))
            for o in self.shown_options
        ]
        hint = W.HTML("<i>Tick every correct option.</i>")
        group = W.VBox(self.boxes, layout=W.Layout(width="100%"))
        group.add_class("fluorohip-options")
        self.widgets: list[Any] = [hint, group]

    def response(self) -> Any:
        return [o.id for o, box in zip(self.shown_options, self.boxes) if box.value]

    def set_response(self, value: Any) -> None:
        for o, box in zip(self.shown_options, self.boxes):
            box.value = o.id in value

    def set_disabled(self, disabled: bool) -> None:
        for box in self.boxes:
            box.disabled = disabled


class MultipleType(QuestionType[MultipleQuestion]):
    name = "multiple"
    question_class = MultipleQuestion
    partial_credit = True

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> MultipleQuestion:
        return MultipleQuestion(
            **common, options=options_from_data(data["options"]), answer=frozenset(data["answer"])
        )

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        check_option_answer(data, base, rep, several=True)

    def keyed_option_ids(self, data: Mapping[str, Any]) -> set[str] | None:
        answer = data.get("answer")
        return {a for a in answer if isinstance(a, str)} if isinstance(answer, list) else set()

    def options_chosen(
        self, question: MultipleQuestion, responses: list[Any]
    ) -> list[tuple[str, str, bool, int]] | None:
        # A learner ticking an option twice in one response still chose it once.
        ticked = Counter(a for r in responses if isinstance(r, list) for a in set(r))
        return [(o.id, o.text, o.id in question.answer, ticked[o.id]) for o in question.options]

    def grade(self, question: MultipleQuestion, response: Any) -> Grade:
        return grade_multiple(question, response)

    def correct_response(self, question: MultipleQuestion) -> Any:
        return sorted(question.answer)

    def typical_wrong_response(self, question: MultipleQuestion, rng: Generator) -> Any:
        # One key too many or too few, by id.
        chosen = set(question.answer)
        extra = sorted(o.id for o in question.options if o.id not in chosen)
        if extra and rng.random() < 0.6:
            chosen.add(extra[0])
        elif len(chosen) > 1:
            chosen.discard(sorted(chosen)[-1])
        elif extra:
            chosen = {extra[0]}
        return sorted(chosen)

    def answer_markdown(self, question: MultipleQuestion) -> str:
        texts = [o.text for o in question.options if o.id in question.answer]
        return "**Answer:** " + "; ".join(texts)

    def feedback_texts(self, question: MultipleQuestion) -> list[str]:
        return [o.feedback for o in question.options]

    def cited_texts(self, question: MultipleQuestion) -> list[str]:
        return [text for o in question.options for text in (o.text, o.feedback)]

    def key_html(self, question: MultipleQuestion, md: MarkdownRenderer, with_answers: bool) -> str:
        return options_key_html(question.options, set(question.answer), md, with_answers)

    def controls(self, question: MultipleQuestion, bank: str) -> MultipleControls:
        return MultipleControls(question, bank)


def grade_multiple(q: MultipleQuestion, response: Iterable[str] | None) -> Grade:
    """The ticked option ids: feedback on every tick and every missed key; score = share of
    options ticked or left as they should be."""
    known = {o.id for o in q.options}
    try:
        chosen = {r for r in (response or ()) if isinstance(r, str) and r in known}
    except TypeError:  # not a collection of ids
        chosen = set()
    if not chosen:
        return invalid("Tick at least one option, then press Check.")
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
        verdict(correct),
        tuple(feedback),
        score=right / len(q.options),
        answer=sorted(chosen),
    )


MULTIPLE = MultipleType()
