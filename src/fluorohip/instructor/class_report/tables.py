"""The class report's tables as HTML, from the Jinja2 table template (autoescape: every cell
from a hand-in or a bank is text). Every number in a chart is also in one of these tables."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..item_analysis import ClassAnalysis, debrief_reasons
from ..templating import Markup, render

#: A table cell: text (escaped by the template), or a list of lines.
Cell = str | Sequence[str]


def format_value(x: float | None, digits: int = 2) -> str:
    """A share or a correlation for a cell: fixed decimals, or an en dash when undefined."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}"


def html_table(headers: list[str], rows: Sequence[Sequence[Cell]], caption: str) -> Markup:
    """A table from the template; every cell is text (autoescaped); a list cell is lines."""
    return render("table.html.j2", headers=headers, rows=rows, caption=caption)


def debrief_table(analysis: ClassAnalysis, limit: int | None = None) -> Markup:
    rows = [
        [str(i), d.item.label, d.item.objective or "–", d.item.stem, list(d.reasons)]
        for i, d in enumerate(analysis.debrief[:limit], start=1)
    ]
    if not rows:
        return Markup("<p>No question met a debrief criterion.</p>")
    return html_table(
        ["#", "question", "objective", "stem", "why revisit"],
        rows,
        "Questions to revisit in the debrief",
    )


def key_check_table(analysis: ClassAnalysis) -> Markup:
    """Every question with negative discrimination: a wrong key or a misleading stem shows up this way."""
    rows = [
        [
            d.item.label,
            d.item.objective or "–",
            d.item.stem,
            format_value(d.item.p),
            format_value(d.item.r_pb),
        ]
        for d in analysis.key_checks
    ]
    if not rows:
        return Markup("<p>No question had negative discrimination: no answer key to re-check.</p>")
    return html_table(
        ["question", "objective", "stem", "share right", "r_pb"],
        rows,
        "Questions whose answer key and wording to check (stronger learners missed them more often)",
    )


def objectives_table(analysis: ClassAnalysis) -> Markup:
    rows = [
        [
            o.bank,
            o.objective,
            o.text or "",
            str(o.learners),
            f"{o.correct}/{o.responses}",
            format_value(o.p),
        ]
        for o in analysis.objectives
    ]
    return html_table(
        ["bank", "objective", "text", "learners", "right/answers", "share right"],
        rows,
        "Score per objective (first answers)",
    )


def debrief_marks(analysis: ClassAnalysis) -> dict[str, str]:
    """Item label -> "#rank" for the listed questions, "yes" for the other candidates."""
    marks = {}
    for it in analysis.items:
        if debrief_reasons(it, pre_test=it.bank in analysis.pre_post.pre_banks):
            marks[it.label] = "yes"
    for i, d in enumerate(analysis.debrief, start=1):
        marks[d.item.label] = f"#{i}"
    return marks


def items_table(analysis: ClassAnalysis) -> Markup:
    marks = debrief_marks(analysis)
    rows = [
        [
            i.bank,
            i.question_id,
            i.objective or "–",
            i.type or "?",
            str(i.n),
            format_value(i.p),
            format_value(i.r_pb) + (f" (n={i.r_n})" if i.r_pb is not None else ""),
            marks.get(i.label, ""),
        ]
        for i in analysis.items
    ]
    return html_table(
        [
            "bank",
            "question",
            "objective",
            "type",
            "n",
            "difficulty p",
            "discrimination r_pb",
            "debrief criterion met",
        ],
        rows,
        "Item statistics",
    )


def gains_table(analysis: ClassAnalysis) -> Markup:
    rows = [
        [
            g.objective,
            g.text or "",
            str(g.matched),
            f"{g.pre_correct}/{g.pre_responses}",
            f"{g.post_correct}/{g.post_responses}",
            format_value(g.gain),
            format_value(g.normalised_gain),
            str(g.pre_only),
            str(g.post_only),
        ]
        for g in analysis.gains
    ]
    return html_table(
        [
            "objective",
            "text",
            "matched learners",
            "pre right",
            "post right",
            "gain",
            "normalised gain",
            "pre only",
            "post only",
        ],
        rows,
        "Pre/post gain per objective",
    )


def participation_table(analysis: ClassAnalysis) -> Markup:
    rows = [
        [
            l.learner,
            str(len(l.banks)),
            str(l.items_answered),
            str(l.items_correct),
            str(l.attempts),
        ]
        for l in analysis.participation.learners
    ]
    return html_table(
        ["learner", "quizzes", "questions answered", "right first time", "attempts"],
        rows,
        "Participation per learner",
    )


def distractor_tables(analysis: ClassAnalysis) -> Markup:
    parts = []
    for it in analysis.items:
        caption = f"{it.label} (n = {it.n})"
        if it.options:
            option_rows = [
                [
                    o.option + (" ✓" if o.correct else ""),
                    o.text,
                    str(o.count),
                    format_value(o.share),
                ]
                for o in it.options
            ]
            parts.append(html_table(["option", "text", "chosen by", "share"], option_rows, caption))
        elif it.wrong_answers:
            answer_rows = [[a, str(c)] for a, c in it.wrong_answers]
            parts.append(html_table(["most common wrong answers", "count"], answer_rows, caption))
    return Markup("\n").join(parts) or Markup("<p>No answer choices to show.</p>")
