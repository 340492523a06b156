"""Label the figure: choose the structure each lettered marker on an image points at."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...core.paths import assets_dir
from ..checks import ProblemSink, check_unique, entry_ids, is_text
from ..model import LabelQuestion, Marker, Structure
from ..render import figure_html
from .base import Grade, MarkdownRenderer, QuestionReader, QuestionType, invalid, verdict

if TYPE_CHECKING:
    from numpy.random import Generator


class LabelControls:
    """One structure chooser per marker letter."""

    def __init__(self, q: LabelQuestion):
        from .widgetkit import W, chooser

        choices = [(s.text, s.id) for s in q.structures]
        self.intro = ""
        self.slots = {
            m.id: chooser(choices, f"Marker {m.id}", W.Layout(width="100%", max_width="520px"))
            for m in q.markers
        }
        self.widgets: list[Any] = list(self.slots.values())

    def response(self) -> Any:
        return {m: slot.value for m, slot in self.slots.items()}

    def set_response(self, value: Any) -> None:
        for m, slot in self.slots.items():
            slot.value = value.get(m)

    def set_disabled(self, disabled: bool) -> None:
        for slot in self.slots.values():
            slot.disabled = disabled


class LabelType(QuestionType[LabelQuestion]):
    name = "label"
    question_class = LabelQuestion
    partial_credit = True

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> LabelQuestion:
        return LabelQuestion(
            **common,
            markers=tuple(Marker(str(m["id"]), m["feedback"]) for m in data["markers"]),
            structures=tuple(Structure(str(s["id"]), s["text"]) for s in data["structures"]),
            answer={str(k): v for k, v in data["answer"].items()},
        )

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        check_unique(rep, base + ("markers",), data.get("markers"), "marker")
        check_unique(rep, base + ("structures",), data.get("structures"), "structure")
        markers = [i for _, i in entry_ids(data.get("markers"))]
        structures = [i for _, i in entry_ids(data.get("structures"))]
        answer = data.get("answer")
        if not isinstance(answer, dict):
            return  # the schema check reports the wrong shape
        for marker, structure in answer.items():
            where = base + ("answer", marker)
            if str(marker) not in markers:
                rep.add(
                    where,
                    f"answer names marker {marker!r}, which is not in markers ({', '.join(markers)})",
                )
            elif is_text(structure) and structure not in structures:
                rep.add(
                    where,
                    f"answer {structure!r} for marker {marker} names no structure; "
                    f"structures are: {', '.join(structures)}",
                )
        for marker in markers:
            if marker not in {str(k) for k in answer}:
                rep.add(base + ("answer",), f"answer gives no structure for marker {marker}")

    def grade(self, question: LabelQuestion, response: Any) -> Grade:
        return grade_label(question, response)

    def correct_response(self, question: LabelQuestion) -> Any:
        return dict(question.answer)

    def typical_wrong_response(self, question: LabelQuestion, rng: Generator) -> Any:
        mapping = dict(question.answer)  # two markers' structures swapped
        keys = sorted(mapping)
        if len(keys) >= 2:
            mapping[keys[0]], mapping[keys[1]] = mapping[keys[1]], mapping[keys[0]]
        return mapping

    def answer_markdown(self, question: LabelQuestion) -> str:
        structures = {s.id: s.text for s in question.structures}
        return "**Answer:**\n\n" + "\n".join(
            f"- {m.id}: {structures[question.answer[m.id]]}" for m in question.markers
        )

    def feedback_texts(self, question: LabelQuestion) -> list[str]:
        return [m.feedback for m in question.markers]

    def cited_texts(self, question: LabelQuestion) -> list[str]:
        return self.feedback_texts(question)

    def key_html(self, question: LabelQuestion, md: MarkdownRenderer, with_answers: bool) -> str:
        fig = (
            figure_html(assets_dir(), question.figure, question.alt or "")
            if question.figure
            else ""
        )
        structures = ", ".join(html.escape(s.text) for s in question.structures)
        out = f"{fig}<p>Structures to choose from: {structures}.</p>"
        if with_answers:
            out += (
                "<ul>"
                + "".join(
                    f"<li><b>{html.escape(m.id)}</b>: {md(m.feedback, inline=True)}</li>"
                    for m in question.markers
                )
                + "</ul>"
            )
        return out

    def controls(self, question: LabelQuestion, bank: str) -> LabelControls:
        return LabelControls(question)


def grade_label(q: LabelQuestion, response: Mapping[str, str | None] | None) -> Grade:
    """``{marker: structure id}``: feedback per marker, score = share of markers right."""
    try:
        mapping = dict(response or {})
    except (TypeError, ValueError):  # not a mapping
        mapping = {}
    structures = {s.id: s for s in q.structures}
    chosen = {m.id: mapping.get(m.id) for m in q.markers}
    given_ids = {m: s for m, s in chosen.items() if isinstance(s, str) and s in structures}
    if len(given_ids) != len(q.markers):
        return invalid("Choose a structure for every letter, then press Check.")
    feedback = []
    right = 0
    for m in q.markers:
        given = given_ids[m.id]
        ok = given == q.answer[m.id]
        right += ok
        said = structures[given].text
        feedback.append(("✓ " if ok else f"✗ You said “{said}”. ") + f"{m.feedback}")
    return Grade(
        verdict(right == len(q.markers)),
        tuple(feedback),
        score=right / len(q.markers),
        answer={m.id: given_ids[m.id] for m in q.markers},
    )


LABEL = LabelType()
