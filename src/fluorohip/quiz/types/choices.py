"""What single and multiple questions share: a list of options, each with its feedback.

Options are shown in a per-learner fixed order (:mod:`fluorohip.quiz.order`); responses are
option ids, so nothing downstream ever sees a position.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from ..checks import ProblemSink, check_unique, entry_ids, is_text
from ..model import Option
from ..order import option_order
from .base import MarkdownRenderer


def options_from_data(entries: list[Mapping[str, Any]]) -> tuple[Option, ...]:
    """Options (or ordering items) of validated bank data."""
    return tuple(Option(str(e["id"]), str(e["text"]), str(e["feedback"])) for e in entries)


def check_option_answer(
    data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink, *, several: bool
) -> None:
    """Option ids unique, and every keyed id naming an option (``several``: a list of ids)."""
    check_unique(rep, base + ("options",), data.get("options"), "option")
    option_ids = {i for _, i in entry_ids(data.get("options"))}
    listing = ", ".join(sorted(option_ids))
    answer = data.get("answer")
    if not several and is_text(answer) and answer not in option_ids:
        rep.add(base + ("answer",), f"answer {answer!r} names no option; options are: {listing}")
    if several and isinstance(answer, list):
        for j, a in enumerate(answer):
            if is_text(a) and a not in option_ids:
                rep.add(
                    base + ("answer",),
                    f"answer {a!r} names no option; options are: {listing}",
                    line=rep.doc.value_lines.get(base + ("answer", j)),
                )


def shown_options(options: tuple[Option, ...], bank: str, item_key: str) -> tuple[Option, ...]:
    """The options in this learner's fixed order for this bank and item; bank order never
    reveals the key."""
    by_id = {o.id: o for o in options}
    return tuple(by_id[i] for i in option_order([o.id for o in options], bank, item_key))


def options_key_html(
    options: tuple[Option, ...], right: set[str], md: MarkdownRenderer, with_answers: bool
) -> str:
    """The answer key's option list: every option with its id, and when ``with_answers`` its
    verdict and feedback."""
    rows = []
    for o in options:
        label = f"<b>{html.escape(o.id)}.</b> {md(o.text, inline=True)}"
        if with_answers:
            mark = "right" if o.id in right else "wrong"
            rows.append(
                f"<li class='{mark}'>{label} <em>({mark})</em><br>"
                f"<span class='feedback'>{md(o.feedback, inline=True)}</span></li>"
            )
        else:
            rows.append(f"<li>{label}</li>")
    return "<ul class='options'>" + "".join(rows) + "</ul>"
