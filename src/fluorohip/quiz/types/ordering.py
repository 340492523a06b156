"""Ordering: put the steps of a procedure in order, one dropdown per position."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..checks import ProblemSink, check_unique, entry_ids, is_text
from ..model import OrderingQuestion
from ..order import letter, shuffled
from ..render import markdown_html
from .base import Grade, MarkdownRenderer, QuestionReader, QuestionType, invalid, verdict
from .choices import options_from_data

if TYPE_CHECKING:
    from numpy.random import Generator


class OrderingControls:
    """The steps listed A, B, C ... in a fixed not-the-answer order, then one chooser per step."""

    def __init__(self, q: OrderingQuestion):
        from .widgetkit import FULL, chooser

        order = shuffled([i.id for i in q.items], q.key)
        by_id = {i.id: i for i in q.items}
        rows = "".join(
            f"<li><b>{letter(n)}.</b> {markdown_html(by_id[i].text, inline=True)}</li>"
            for n, i in enumerate(order)
        )
        self.intro = (
            "<p>Steps, in no particular order:</p>"
            f'<ol style="list-style:none;padding-left:0">{rows}</ol>'
        )
        choices = [(f"{letter(n)}. {by_id[i].text}", i) for n, i in enumerate(order)]
        self.slots = [chooser(choices, f"Step {n + 1}", FULL) for n in range(len(q.items))]
        self.widgets: list[Any] = list(self.slots)

    def response(self) -> Any:
        return [slot.value for slot in self.slots]

    def set_response(self, value: Any) -> None:
        for slot, item in zip(self.slots, value):
            slot.value = item

    def set_disabled(self, disabled: bool) -> None:
        for slot in self.slots:
            slot.disabled = disabled


class OrderingType(QuestionType[OrderingQuestion]):
    name = "ordering"
    question_class = OrderingQuestion
    partial_credit = True

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> OrderingQuestion:
        return OrderingQuestion(
            **common, items=options_from_data(data["items"]), answer=tuple(data["answer"])
        )

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        check_unique(rep, base + ("items",), data.get("items"), "item")
        item_ids = [i for _, i in entry_ids(data.get("items"))]
        answer = data.get("answer")
        if not (isinstance(answer, list) and all(is_text(a) for a in answer)):
            return  # the schema check reports the wrong shape
        for a in answer:
            if a not in item_ids:
                rep.add(
                    base + ("answer",),
                    f"answer {a!r} names no item; items are: {', '.join(item_ids)}",
                )
        for a in sorted({a for a in answer if answer.count(a) > 1}):
            rep.add(base + ("answer",), f"answer lists item {a!r} more than once")
        missing = [i for i in item_ids if i not in answer]
        if missing:
            rep.add(
                base + ("answer",),
                f"answer must list every item once; missing: {', '.join(missing)}",
            )

    def grade(self, question: OrderingQuestion, response: Any) -> Grade:
        return grade_ordering(question, response)

    def correct_response(self, question: OrderingQuestion) -> Any:
        return list(question.answer)

    def typical_wrong_response(self, question: OrderingQuestion, rng: Generator) -> Any:
        order = list(question.answer)  # the first two steps swapped
        order[0], order[1] = order[1], order[0]
        return order

    def answer_markdown(self, question: OrderingQuestion) -> str:
        items = {i.id: i.text for i in question.items}
        return "**Answer:**\n\n" + "\n".join(
            f"{n}. {items[i]}" for n, i in enumerate(question.answer, start=1)
        )

    def feedback_texts(self, question: OrderingQuestion) -> list[str]:
        return [i.feedback for i in question.items]

    def cited_texts(self, question: OrderingQuestion) -> list[str]:
        return [text for i in question.items for text in (i.text, i.feedback)]

    def key_html(self, question: OrderingQuestion, md: MarkdownRenderer, with_answers: bool) -> str:
        rows = []
        for item in sorted(question.items, key=lambda i: i.id):  # not the answer order
            extra = ""
            if with_answers:
                extra = (
                    f" <em>(position {question.answer.index(item.id) + 1})</em><br>"
                    f"<span class='feedback'>{md(item.feedback, inline=True)}</span>"
                )
            rows.append(f"<li>{md(item.text, inline=True)}{extra}</li>")
        return "<p>Items to put in order:</p><ul class='items'>" + "".join(rows) + "</ul>"

    def controls(self, question: OrderingQuestion, bank: str) -> OrderingControls:
        return OrderingControls(question)


def grade_ordering(q: OrderingQuestion, response: Sequence[str | None] | None) -> Grade:
    """Item ids by position: feedback per position, score = share of positions right."""
    try:
        order = list(response or ())
    except TypeError:  # not a sequence of ids
        order = []
    items = {i.id: i for i in q.items}
    given_ids = [r for r in order if isinstance(r, str) and r in items]
    if len(given_ids) != len(q.answer) or len(order) != len(q.answer):
        return invalid("Choose an item for every position, then press Check.")
    if len(set(given_ids)) != len(given_ids):
        return invalid(
            "Each item can be used only once; change the repeated one, then press Check."
        )
    feedback = []
    right = 0
    for position, (given, expected) in enumerate(zip(given_ids, q.answer), start=1):
        ok = given == expected
        right += ok
        feedback.append(
            f"{'✓' if ok else '✗'} Position {position}: “{items[given].text}”"
            + ("" if ok else f" belongs at position {q.answer.index(given) + 1}")
            + f". {items[given].feedback}"
        )
    return Grade(
        verdict(right == len(given_ids)),
        tuple(feedback),
        score=right / len(given_ids),
        answer=given_ids,
    )


ORDERING = OrderingType()
