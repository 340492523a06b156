"""Report sections for the class-results notebook: HTML where it is rendered, a plain-text
table otherwise (nbval compares the text, and a terminal user reads it)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..item_analysis import DEBRIEF_LIMIT, ClassAnalysis
from ..merge import MergeResult
from .page import debrief_intro, files_section
from .tables import (
    debrief_table,
    format_value,
    gains_table,
    items_table,
    key_check_table,
    objectives_table,
    participation_table,
)

SECTIONS = ("debrief", "key-checks", "objectives", "items", "gains", "participation", "files")


@dataclass
class Shown:
    """A report section for a notebook: HTML when rendered, a plain-text table otherwise."""

    html_text: str
    text: str

    def _repr_html_(self) -> str:
        return self.html_text

    def __repr__(self) -> str:
        return self.text


def _debrief(analysis: ClassAnalysis, limit: int) -> Shown:
    lines = [
        f"{i:>2}. {d.item.label} (objective {d.item.objective or '-'}): " + "; ".join(d.reasons)
        for i, d in enumerate(analysis.debrief[:limit], start=1)
    ]
    n = analysis.debrief_candidates
    head = (
        f"Top {len(lines)} of {n} questions that met a debrief criterion"
        if n > len(lines)
        else debrief_intro(analysis)
    )
    return Shown(
        f"<p>{html.escape(head)}</p>" + str(debrief_table(analysis, limit)),
        "\n".join([head] + lines) if lines else "No question met a debrief criterion.",
    )


def _files(merged: MergeResult) -> Shown:
    lines = [f"read    {f.name}: {f.attempts} attempts, {f.new} new" for f in merged.files]
    lines += [f"skipped {s.name}: {s.reason}" for s in merged.skipped]
    lines += [f"empty   {n}" for n in merged.empty]
    lines += [f"ignored {n} (not an export)" for n in merged.ignored]
    if merged.name_warning:
        lines.append(f"warning: {merged.name_warning}")
    return Shown(files_section(merged), "\n".join(lines))


def show(
    section: str,
    analysis: ClassAnalysis,
    merged: MergeResult | None = None,
    limit: int = DEBRIEF_LIMIT,
) -> Shown:
    """``section``: one of :data:`SECTIONS` ("files" needs ``merged``)."""
    if section == "debrief":
        return _debrief(analysis, limit)
    if section == "key-checks":
        lines = [
            f"{d.item.label} (p = {format_value(d.item.p)}, r_pb = {format_value(d.item.r_pb)}): "
            "reread the key and the stem"
            for d in analysis.key_checks
        ]
        return Shown(
            key_check_table(analysis),
            "\n".join(lines) or "No question had negative discrimination.",
        )
    if section == "objectives":
        lines = [
            f"{o.bank:<22} {o.objective:<6} {o.correct:>3}/{o.responses:<3} {format_value(o.p)}"
            for o in analysis.objectives
        ]
        return Shown(objectives_table(analysis), "\n".join(lines))
    if section == "items":
        lines = [
            f"{i.label:<50} n={i.n:<3} p={format_value(i.p)} r_pb={format_value(i.r_pb)}"
            for i in analysis.items
        ]
        return Shown(items_table(analysis), "\n".join(lines))
    if section == "gains":
        lines = [
            f"{g.objective:<6} matched {g.matched:>2}  pre {format_value(g.pre_p)}  "
            f"post {format_value(g.post_p)}  gain {format_value(g.gain)}  "
            f"g {format_value(g.normalised_gain)}"
            for g in analysis.gains
        ]
        return Shown(gains_table(analysis), "\n".join(lines) or "No pre/post-test answers.")
    if section == "participation":
        lines = [
            f"{l.learner:<14} quizzes {len(l.banks):>2}  answered {l.items_answered:>3}  "
            f"right first time {l.items_correct:>3}"
            for l in analysis.participation.learners
        ]
        return Shown(participation_table(analysis), "\n".join(lines))
    if section == "files" and merged is not None:
        return _files(merged)
    raise ValueError(
        f"section must be one of {', '.join(SECTIONS)} (files with the merged hand-ins); "
        f"got {section!r}"
    )
