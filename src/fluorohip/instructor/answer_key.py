"""The answer key (every question, its answer, feedback on every choice, the explanation and
the sources in full) and the learner handout version of the same quiz, answers behind a click.

Both are plain HTML built from the banks: Markdown goes through the quiz engine's safe
renderer (no raw HTML from a bank reaches the page), figures are embedded, ``<details>`` hides
answers without JavaScript.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..core.bibliography import CITATION_PATTERN, format_reference
from ..quiz.grading import answer_markdown
from ..quiz.model import Bank, Question
from ..quiz.render import bibliography, markdown_html
from ..quiz.types import type_of

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#111}
section.question{border-top:1px solid #999;padding:.5rem 0 1rem}.meta{color:#444;font-size:.9rem}
li.right{list-style:"✓ "}li.wrong{list-style:"✗ "}.answer{background:#eef6ee;border-left:4px solid #009E73;
padding:.3rem .8rem}.explanation{background:#f4f4f4;padding:.3rem .8rem}summary{cursor:pointer;font-weight:600}
.sources{font-size:.9rem}
"""


# format_reference writes "- <a id="ref-Key"></a>**Key** ...": the anchor is for notebooks, where
# Markdown cells allow HTML. The key renders with HTML off (bank text must not inject markup), so
# the list marker and the anchor are cut off here rather than shown as text; the key repeats a
# source under every question that cites it, so an id there would not be unique anyway.
_REFERENCE_PREFIX = re.compile(r'^\s*-\s*(?:<a\s+id="[^"<>]*"\s*>\s*</a>\s*)?')


def item_label(bank: str, q: Question) -> str:
    """The label the class report gives the item: ``bank:question-id`` (``bank:case-id/stage-id``
    for a case stage), unique across the whole course."""
    return f"{bank}:{q.key or q.id}"


def _md(text: str, bib: dict, inline: bool = False) -> str:
    return markdown_html(text or "", bib, inline=inline)


def question_keys(q: Question) -> list[str]:
    """Every citation key a question uses: its ``citations`` list and ``[@Key]`` in any text."""
    texts = [q.stem, q.explanation, q.reveal or "", *type_of(q).cited_texts(q)]
    keys: dict[str, None] = dict.fromkeys(q.citations)
    for text in texts:
        for k in CITATION_PATTERN.findall(text or ""):
            keys.setdefault(k)
    for part in q.parts():
        if part is not q:  # a case's stages
            for k in question_keys(part):
                keys.setdefault(k)
    return list(keys)


def sources_block(keys: Iterable[str], bib: dict) -> str:
    items = []
    for key in keys:
        entry = bib.get(key)
        if entry is None:
            items.append(f"<li><b>{html.escape(key)}</b>: not in assets/references.yaml</li>")
            continue
        # format_reference gives Markdown '- <a id="ref-Key"></a>**Key** (short): citation [link](url)';
        # drop the list marker and the notebook anchor, render the rest safely.
        text = _REFERENCE_PREFIX.sub("", format_reference(key, entry), count=1)
        items.append("<li>" + _md(text, bib, inline=True) + "</li>")
    if not items:
        return ""
    return f"<div class='sources'><b>Sources</b><ul>{''.join(items)}</ul></div>"


def _choices(q: Question, bib: dict, with_answers: bool) -> str:
    def md(text: str, inline: bool = False) -> str:
        return _md(text, bib, inline)

    return type_of(q).key_html(q, md, with_answers)


def _answer(q: Question, bib: dict) -> str:
    return (
        f"<div class='answer'>{_md(answer_markdown(q), bib)}</div>"
        f"<div class='explanation'><b>Explanation.</b> {_md(q.explanation, bib)}</div>"
    )


def question_html(
    q: Question,
    number: str,
    bib: dict,
    with_answers: bool = True,
    level: int = 3,
    bank: str | None = None,
) -> str:
    """One question. ``with_answers=False`` puts answer, feedback and explanation behind a click.

    ``number`` is the visible label (``bank_html`` gives ``07_posttest Q3``, and ``07_cases Q2.1``
    for a case's first stage); with ``bank`` the heading also shows, and its anchor is, the item
    label the class report uses (``07_posttest:post-capsule-attachment``), so both are unique
    across banks. Without ``bank`` it shows the question id.
    """
    meta = [q.type_name]
    if q.objective:
        meta.append(f"objective {q.objective}")
    if q.difficulty:
        meta.append(q.difficulty)
    label = item_label(bank, q) if bank else q.id
    anchor = item_label(bank, q) if bank else (q.key or q.id)
    head = (
        f"<h{level} id='{html.escape(anchor)}'>{html.escape(number)} · "
        f"<code>{html.escape(label)}</code></h{level}><p class='meta'>{html.escape(' · '.join(meta))}</p>"
    )
    body = _md(q.stem, bib)
    if type_of(q).has_stages:
        stages = []
        for i, stage in enumerate(q.parts(), start=1):
            stages.append(
                question_html(
                    stage, f"{number}.{i}", bib, with_answers, level=min(level + 1, 6), bank=bank
                )
            )
            if stage.reveal:
                reveal = f"<p><b>What happens next.</b></p>{_md(stage.reveal, bib)}"
                stages.append(
                    reveal
                    if with_answers
                    else f"<details><summary>Show what happens next</summary>{reveal}</details>"
                )
        tail = f"<div class='explanation'><b>Case summary.</b> {_md(q.explanation, bib)}</div>"
        if not with_answers:
            tail = f"<details><summary>Show the case summary</summary>{tail}</details>"
        return f"<section class='question case'>{head}{body}{''.join(stages)}{tail}</section>"
    keys = question_keys(q)
    if with_answers:
        answer = _choices(q, bib, True) + _answer(q, bib) + sources_block(keys, bib)
        return f"<section class='question'>{head}{body}{answer}</section>"
    hidden = (
        f"<details><summary>Show answer</summary>{_choices(q, bib, True)}{_answer(q, bib)}"
        f"{sources_block(keys, bib)}</details>"
    )
    return f"<section class='question'>{head}{body}{_choices(q, bib, False)}{hidden}</section>"


def bank_html(
    bank: Bank, bib: dict | None = None, with_answers: bool = True, level: int = 2
) -> str:
    bib = bibliography() if bib is None else bib
    objectives = "".join(
        f"<li><b>{html.escape(o.id)}</b> {_md(o.text, bib, True)}</li>" for o in bank.objectives
    )
    parts = [
        f"<h{level} id='{html.escape(bank.bank)}'>{html.escape(bank.bank)} · {html.escape(bank.title)}</h{level}>",
        f"<p class='meta'>Bank version {html.escape(str(bank.version))} · {len(bank.questions)} questions</p>",
        f"<p><b>Objectives</b></p><ul>{objectives}</ul>",
    ]
    for i, q in enumerate(bank.questions, start=1):
        # the whole bank name: "07.Q3" was both 07_posttest and 07_cases, "00.Q3" both 00_pretest and 00_start_here
        parts.append(
            question_html(
                q, f"{bank.bank} Q{i}", bib, with_answers, level=level + 1, bank=bank.bank
            )
        )
    return "\n".join(parts)


def answer_key_html(
    banks: list[Bank], title: str = "fluorohip answer key", bib: dict | None = None
) -> str:
    """The whole answer key as one self-contained page, from ``templates/answer_key.html.j2``
    (autoescape: titles and names are text; the body is :func:`bank_html`, whose Markdown went
    through the quiz engine's renderer with raw HTML off and whose plain fields are escaped)."""
    from .templating import Markup, render

    bib = bibliography() if bib is None else bib
    body = Markup("\n".join(bank_html(b, bib, True) for b in banks))
    return str(render("answer_key.html.j2", title=title, css=Markup(CSS), banks=banks, body=body))
