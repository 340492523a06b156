"""The class report: one self-contained HTML file with tables and plots, readable offline.

Plots are matplotlib PNGs embedded as base64 ``data:`` images, each with alt text that states
the numbers, so a screen-reader user (or a greyscale printout) loses nothing; every number in
a plot is also in a table. Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies) and "right answer" is marked by a hatch and a label as well as by colour.
No JavaScript, no web fonts, no network: open the file anywhere.

Every field of a hand-in is untrusted text: the page is rendered from Jinja2 templates
(``templates/*.html.j2``) with autoescape, and matplotlib never parses a label as maths
(``$\\foo$`` in a bank name raised inside matplotlib and stopped the report for the whole
class): figures are built and drawn with ``text.parse_math`` off. A plot with more rows than
:data:`MAX_FIGURE_ROWS` is left out (its table stays), so a huge class cannot exhaust memory.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.text import Text

from .item_analysis import (
    DEBRIEF_LIMIT,
    HARD_P,
    LOW_P,
    MIN_RESPONSES,
    NEGATIVE_R,
    ClassAnalysis,
    ItemStats,
    debrief_criteria,
    debrief_reasons,
)
from .merge import MergeResult
from .templating import Markup, render

MAX_FIGURE_ROWS = (
    300  # a bar per row (the whole course has ~150 objectives); beyond this the table says it all
)
_SAFE_TEXT = {"text.parse_math": False, "text.usetex": False}


def _plain_labels(build):
    """Build (and later draw) a figure with mathtext off: labels come from hand-ins."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_SAFE_TEXT):
            return build(*args, **kwargs)

    return wrapper


# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}


@dataclass
class ReportFigure:
    """A figure with its alt text; shows as a PNG in a notebook and as its alt text in plain text."""

    figure: Figure
    alt: str
    title: str

    def png_bytes(self) -> bytes:
        buffer = io.BytesIO()
        for text in self.figure.findobj(Text):  # hand-in strings are text, never maths
            text.set_parse_math(False)
            text.set_usetex(False)
        # No software/date metadata: the same data gives the same bytes.
        with matplotlib.rc_context(_SAFE_TEXT):
            self.figure.savefig(
                buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None}
            )
        # Text artists keep the renderer of their last draw, and with it the whole RGBA canvas
        # (9 MB for the objectives plot); a displayed figure stays referenced by the notebook's
        # output history, so let go of it (matplotlib makes a new one on the next draw).
        for text in self.figure.findobj(Text):
            text._renderer = None
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png_bytes()

    def _repr_html_(self) -> str:
        """In a notebook: the <figure> with alt text and caption (Lab's PNG renderer sets no alt)."""
        return self.html()

    def __repr__(self) -> str:
        return f"Figure: {self.title}. {self.alt}"

    def html(self) -> str:
        data = base64.b64encode(self.png_bytes()).decode("ascii")
        return render("figure.html.j2", png_base64=data, alt=self.alt, title=self.title)


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}"


def _new_figure(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


# -- figures ---------------------------------------------------------------------------------
@_plain_labels
def figure_participation(analysis: ClassAnalysis) -> ReportFigure | None:
    banks = analysis.participation.banks
    if not banks or len(banks) > MAX_FIGURE_ROWS:
        return None
    n = analysis.participation.n_learners
    fig, ax = _new_figure(7, 0.45 * len(banks) + 1.2)
    names = [b.bank for b in banks][::-1]
    values = [b.learners for b in banks][::-1]
    ax.barh(names, values, color=OKABE_ITO["blue"])
    for y, v in enumerate(values):
        ax.text(v + 0.05 * max(n, 1), y, f"{v} of {n}", va="center", fontsize=9)
    ax.set_xlim(0, max(n, 1) * 1.25)
    ax.set_xlabel("learners who answered at least one question")
    ax.set_title("Participation per notebook quiz", fontsize=11)
    alt = (
        "Horizontal bar chart of learners per quiz: "
        + "; ".join(f"{b.bank} {b.learners} of {n}" for b in banks)
        + "."
    )
    return ReportFigure(fig, alt, "Participation per notebook quiz")


@_plain_labels
def figure_objectives(analysis: ClassAnalysis) -> ReportFigure | None:
    objs = [o for o in analysis.objectives if o.responses]
    if not objs or len(objs) > MAX_FIGURE_ROWS:
        return None
    fig, ax = _new_figure(7, 0.35 * len(objs) + 1.2)
    labels = [f"{o.bank} · {o.objective}" for o in objs][
        ::-1
    ]  # full bank: 00_pretest and 00_start_here differ
    values = [o.p for o in objs][::-1]
    colours = [OKABE_ITO["vermillion"] if v < LOW_P else OKABE_ITO["sky"] for v in values]
    hatches = ["//" if v < LOW_P else "" for v in values]
    bars = ax.barh(labels, values, color=colours, edgecolor="black", linewidth=0.5)
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    for y, (v, o) in enumerate(zip(values, objs[::-1])):
        ax.text(min(v, 1.0) + 0.01, y, f"{v:.0%} (n={o.responses})", va="center", fontsize=8)
    ax.axvline(LOW_P, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
    ax.text(LOW_P, len(objs) - 0.4, f" {LOW_P:.0%}", fontsize=8, va="bottom")
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("share of first answers that were right")
    ax.set_title("Score per objective (hatched: below 50%)", fontsize=11)
    alt = (
        "Bar chart of the share right per objective: "
        + "; ".join(
            f"{o.bank} objective {o.objective} {o.p:.0%} of {o.responses} answers" for o in objs
        )
        + "."
    )
    return ReportFigure(fig, alt, "Score per objective")


@_plain_labels
def figure_items(analysis: ClassAnalysis) -> ReportFigure | None:
    items = [i for i in analysis.items if i.n >= MIN_RESPONSES]
    if not items:
        return None
    rank = {d.item.label: i for i, d in enumerate(analysis.debrief, start=1)}
    flagged = set(rank)
    fig, ax = _new_figure(7, 4.5)
    for it in items:
        r = it.r_pb if it.r_pb is not None else 0.0
        is_flag = it.label in flagged
        ax.scatter(
            [it.p],
            [r],
            s=40,
            marker="^" if is_flag else "o",
            color=OKABE_ITO["vermillion"] if is_flag else OKABE_ITO["blue"],
            edgecolor="black",
            linewidth=0.5,
            zorder=3,
        )
        if is_flag:
            ax.annotate(
                str(rank[it.label]),
                (it.p, r),
                textcoords="offset points",
                xytext=(4, 3),
                fontsize=8,
            )
    ax.axvline(HARD_P, color="grey", linestyle="--", linewidth=1)
    ax.axhline(NEGATIVE_R, color="grey", linestyle=":", linewidth=1)
    ax.text(HARD_P, 1.02, f" p = {HARD_P:.2f}", fontsize=8)
    ax.text(1.0, NEGATIVE_R, f"r = {NEGATIVE_R:.2f}", fontsize=8, ha="right", va="bottom")
    ax.set_xlim(-0.03, 1.05)
    ax.set_ylim(-1.05, 1.1)
    ax.set_xlabel("difficulty p (share right first time)")
    ax.set_ylabel("discrimination r_pb (corrected)")
    ax.set_title(
        "Items: difficulty against discrimination (numbered triangles: debrief list)", fontsize=11
    )
    undefined = sum(1 for it in items if it.r_pb is None)
    alt = (
        f"Scatter plot of {len(items)} items with at least {MIN_RESPONSES} answers, difficulty on the x axis and "
        f"discrimination on the y axis; the top {len(flagged)} questions to revisit are triangles numbered as in "
        "the debrief table; "
        f"dashed line at p = {HARD_P:.2f}, dotted line at r_pb = {NEGATIVE_R:.2f}"
        + (f"; {undefined} items with undefined discrimination drawn at 0" if undefined else "")
        + ". Values are in the item table."
    )
    return ReportFigure(fig, alt, "Item difficulty and discrimination")


@_plain_labels
def figure_distractors(item: ItemStats) -> ReportFigure | None:
    if item.options:
        labels = [f"{o.option}{' ✓' if o.correct else ''}" for o in item.options][::-1]
        values = [o.share for o in item.options][::-1]
        correct = [o.correct for o in item.options][::-1]
    elif item.wrong_answers:
        labels = ["right ✓"] + [a[:24] for a, _ in item.wrong_answers]
        values = [item.p] + [c / item.n for _, c in item.wrong_answers]
        correct = [True] + [False] * len(item.wrong_answers)
        labels, values, correct = labels[::-1], values[::-1], correct[::-1]
    else:
        return None
    if len(labels) > MAX_FIGURE_ROWS:
        return None
    fig, ax = _new_figure(6, 0.4 * len(labels) + 1.1)
    bars = ax.barh(
        labels,
        values,
        color=[OKABE_ITO["green"] if c else OKABE_ITO["orange"] for c in correct],
        edgecolor="black",
        linewidth=0.5,
    )
    for bar, c in zip(bars, correct):
        bar.set_hatch("" if c else "..")
    for y, v in enumerate(values):
        ax.text(v + 0.01, y, f"{v:.0%}", va="center", fontsize=8)
    ax.set_xlim(0, 1.2)
    ax.set_xlabel("share of learners (first answer)")
    ax.set_title(f"{item.label} (✓ = right answer)", fontsize=10)
    alt = (
        f"Bar chart of answers to {item.label}, n = {item.n}: "
        + "; ".join(
            f"{lab.replace(' ✓', ' (right)')} {v:.0%}" for lab, v in zip(labels[::-1], values[::-1])
        )
        + "."
    )
    return ReportFigure(fig, alt, f"Answers chosen for {item.label}")


@_plain_labels
def figure_gains(analysis: ClassAnalysis) -> ReportFigure | None:
    gains = [g for g in analysis.gains if g.matched]
    if not gains or len(gains) > MAX_FIGURE_ROWS:
        return None
    fig, ax = _new_figure(7, 0.5 * len(gains) + 1.3)
    ys = list(range(len(gains)))[::-1]
    h = 0.38
    ax.barh(
        [y + h / 2 for y in ys],
        [g.pre_p for g in gains],
        height=h,
        color=OKABE_ITO["orange"],
        hatch="..",
        edgecolor="black",
        linewidth=0.5,
        label="pre-test",
    )
    ax.barh(
        [y - h / 2 for y in ys],
        [g.post_p for g in gains],
        height=h,
        color=OKABE_ITO["blue"],
        edgecolor="black",
        linewidth=0.5,
        label="post-test",
    )
    for y, g in zip(ys, gains):
        ax.text(g.pre_p + 0.01, y + h / 2, f"pre {g.pre_p:.0%}", va="center", fontsize=8)
        ax.text(
            g.post_p + 0.01,
            y - h / 2,
            f"post {g.post_p:.0%}  g = {_fmt(g.normalised_gain)}",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(ys, [f"{g.objective} (n={g.matched})" for g in gains])
    ax.set_xlim(0, 1.45)
    ax.set_xlabel("share right (matched learners)")
    ax.set_title("Pre-test against post-test per objective", fontsize=11)
    alt = (
        "Paired bar chart per objective: "
        + "; ".join(
            f"objective {g.objective}, {g.matched} learners, pre {g.pre_p:.0%}, post {g.post_p:.0%}, "
            f"normalised gain {_fmt(g.normalised_gain)}"
            for g in gains
        )
        + "."
    )
    return ReportFigure(fig, alt, "Pre/post gain per objective")


# -- tables ----------------------------------------------------------------------------------
def _table(headers: list[str], rows: list[list[object]], caption: str) -> Markup:
    """A table from the template; every cell is text (autoescaped); a list cell is lines."""
    return render("table.html.j2", headers=headers, rows=rows, caption=caption)


def e(x: object) -> str:
    """Kept for callers outside this module: ``x`` as escaped HTML text."""
    return html.escape(str(x))


t = str  # a table cell: text, escaped by the template


def debrief_table(analysis: ClassAnalysis, limit: int | None = None) -> str:
    rows = [
        [t(i), t(d.item.label), t(d.item.objective or "–"), t(d.item.stem), list(d.reasons)]
        for i, d in enumerate(analysis.debrief[:limit], start=1)
    ]
    if not rows:
        return Markup("<p>No question met a debrief criterion.</p>")
    return _table(
        ["#", "question", "objective", "stem", "why revisit"],
        rows,
        "Questions to revisit in the debrief",
    )


def key_check_table(analysis: ClassAnalysis) -> str:
    """Every question with negative discrimination: a wrong key or a misleading stem shows up this way."""
    rows = [
        [
            t(d.item.label),
            t(d.item.objective or "–"),
            t(d.item.stem),
            _fmt(d.item.p),
            f"{d.item.r_pb:.2f}",
        ]
        for d in analysis.key_checks
    ]
    if not rows:
        return Markup("<p>No question had negative discrimination: no answer key to re-check.</p>")
    return _table(
        ["question", "objective", "stem", "share right", "r_pb"],
        rows,
        "Questions whose answer key and wording to check (stronger learners missed them more often)",
    )


def objectives_table(analysis: ClassAnalysis) -> str:
    rows = [
        [
            t(o.bank),
            t(o.objective),
            t(o.text or ""),
            t(o.learners),
            f"{o.correct}/{o.responses}",
            _fmt(o.p),
        ]
        for o in analysis.objectives
    ]
    return _table(
        ["bank", "objective", "text", "learners", "right/answers", "share right"],
        rows,
        "Score per objective (first answers)",
    )


def _debrief_marks(analysis: ClassAnalysis) -> dict[str, str]:
    """Item label -> "#rank" for the listed questions, "yes" for the other candidates."""
    marks = {}
    for it in analysis.items:
        if debrief_reasons(it, pre_test=it.bank in analysis.pre_post.pre_banks):
            marks[it.label] = "yes"
    for i, d in enumerate(analysis.debrief, start=1):
        marks[d.item.label] = f"#{i}"
    return marks


def items_table(analysis: ClassAnalysis) -> str:
    marks = _debrief_marks(analysis)
    rows = [
        [
            t(i.bank),
            t(i.question_id),
            t(i.objective or "–"),
            t(i.type or "?"),
            t(i.n),
            _fmt(i.p),
            _fmt(i.r_pb) + (f" (n={i.r_n})" if i.r_pb is not None else ""),
            t(marks.get(i.label, "")),
        ]
        for i in analysis.items
    ]
    return _table(
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


def gains_table(analysis: ClassAnalysis) -> str:
    rows = [
        [
            t(g.objective),
            t(g.text or ""),
            t(g.matched),
            f"{g.pre_correct}/{g.pre_responses}",
            f"{g.post_correct}/{g.post_responses}",
            _fmt(g.gain),
            _fmt(g.normalised_gain),
            t(g.pre_only),
            t(g.post_only),
        ]
        for g in analysis.gains
    ]
    return _table(
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


def participation_table(analysis: ClassAnalysis) -> str:
    rows = [
        [t(l.learner), t(len(l.banks)), t(l.items_answered), t(l.items_correct), t(l.attempts)]
        for l in analysis.participation.learners
    ]
    return _table(
        ["learner", "quizzes", "questions answered", "right first time", "attempts"],
        rows,
        "Participation per learner",
    )


def distractor_tables(analysis: ClassAnalysis) -> str:
    parts = []
    for it in analysis.items:
        if it.options:
            rows = [
                [t(o.option) + (" ✓" if o.correct else ""), t(o.text), t(o.count), _fmt(o.share)]
                for o in it.options
            ]
            parts.append(
                _table(["option", "text", "chosen by", "share"], rows, f"{it.label} (n = {it.n})")
            )
        elif it.wrong_answers:
            rows = [[t(a), t(c)] for a, c in it.wrong_answers]
            parts.append(
                _table(["most common wrong answers", "count"], rows, f"{it.label} (n = {it.n})")
            )
    return Markup("\n").join(parts) or Markup("<p>No answer choices to show.</p>")


def files_section(merged: MergeResult) -> Markup:
    rows = [[f.name, f.attempts, f.new, ", ".join(f.learners)] for f in merged.files]
    return render("files_section.html.j2", merged=merged, file_rows=rows)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#111;line-height:1.45}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#eee}
figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#333}
.summary{background:#f4f4f4;border-left:4px solid #0072B2;padding:.5rem 1rem}code{background:#f4f4f4}
.warning{border-left:4px solid #D55E00;padding:.5rem 1rem}
"""


def summary_line(merged: MergeResult, analysis: ClassAnalysis) -> str:
    ignored = (
        f"; {len(merged.ignored)} non-export files (such as .html) ignored"
        if merged.ignored
        else ""
    )
    return (
        f"{analysis.participation.n_learners} learners, {len(merged.records)} attempts from "
        f"{len(merged.files)} files; {merged.duplicates} duplicate attempts counted once; "
        f"{len(merged.skipped)} malformed files skipped; {len(merged.empty)} empty files{ignored}."
    )


def debrief_intro(analysis: ClassAnalysis) -> str:
    """How many questions met a criterion and how many are listed."""
    n, shown = analysis.debrief_candidates, len(analysis.debrief)
    if not n:
        return "No question met a debrief criterion."
    if n <= shown:
        return f"{n} question{'s' if n != 1 else ''} met a criterion."
    return (
        f"{n} questions met a criterion; the {shown} highest-ranked are listed. The item table below marks "
        "every question that met one."
    )


def render_report(
    merged: MergeResult, analysis: ClassAnalysis, title: str = "fluorohip class report"
) -> str:
    """The whole report as one HTML document (no scripts, no external resources), from
    ``templates/class_report.html.j2`` with autoescape: hand-in text never becomes markup."""

    def fig_html(fig):
        return Markup(fig.html()) if fig else None

    pp = analysis.pre_post
    distractors = [
        fig_html(f) for f in (figure_distractors(d.item) for d in analysis.debrief[:6]) if f
    ]
    return str(
        render(
            "class_report.html.j2",
            title=title,
            css=Markup(CSS),
            merged=merged,
            summary=summary_line(merged, analysis),
            criteria=debrief_criteria(pp),
            debrief_intro=debrief_intro(analysis),
            debrief_table=debrief_table(analysis),
            key_check_table=key_check_table(analysis),
            distractor_figures=distractors,
            participation_figure=fig_html(figure_participation(analysis)),
            participation_table=participation_table(analysis),
            objectives_figure=fig_html(figure_objectives(analysis)),
            objectives_table=objectives_table(analysis),
            items_figure=fig_html(figure_items(analysis)),
            items_table=items_table(analysis),
            gains_figure=fig_html(figure_gains(analysis)),
            gains_table=gains_table(analysis) if analysis.gains else None,
            pre_banks=", ".join(pp.pre_banks),
            post_banks=", ".join(pp.post_banks),
            distractor_tables=distractor_tables(analysis),
            files_section=files_section(merged),
        )
    )


# -- notebook views ----------------------------------------------------------------------------
@dataclass
class Shown:
    """A report section for a notebook: HTML when rendered, a plain-text table otherwise."""

    html_text: str
    text: str

    def _repr_html_(self) -> str:
        return self.html_text

    def __repr__(self) -> str:
        return self.text


def show(
    section: str,
    analysis: ClassAnalysis,
    merged: MergeResult | None = None,
    limit: int = DEBRIEF_LIMIT,
) -> Shown:
    """``section``: "debrief", "key-checks", "objectives", "items", "gains", "participation" or "files"."""
    if section == "debrief":
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
            f"<p>{e(head)}</p>" + str(debrief_table(analysis, limit)),
            "\n".join([head] + lines) if lines else "No question met a debrief criterion.",
        )
    if section == "key-checks":
        lines = [
            f"{d.item.label} (p = {_fmt(d.item.p)}, r_pb = {d.item.r_pb:.2f}): reread the key and the stem"
            for d in analysis.key_checks
        ]
        return Shown(
            key_check_table(analysis),
            "\n".join(lines) or "No question had negative discrimination.",
        )
    if section == "objectives":
        lines = [
            f"{o.bank:<22} {o.objective:<6} {o.correct:>3}/{o.responses:<3} {_fmt(o.p)}"
            for o in analysis.objectives
        ]
        return Shown(objectives_table(analysis), "\n".join(lines))
    if section == "items":
        lines = [
            f"{i.label:<50} n={i.n:<3} p={_fmt(i.p)} r_pb={_fmt(i.r_pb)}" for i in analysis.items
        ]
        return Shown(items_table(analysis), "\n".join(lines))
    if section == "gains":
        lines = [
            f"{g.objective:<6} matched {g.matched:>2}  pre {_fmt(g.pre_p)}  post {_fmt(g.post_p)}  "
            f"gain {_fmt(g.gain)}  g {_fmt(g.normalised_gain)}"
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
        lines = [f"read    {f.name}: {f.attempts} attempts, {f.new} new" for f in merged.files]
        lines += [f"skipped {s.name}: {s.reason}" for s in merged.skipped]
        lines += [f"empty   {n}" for n in merged.empty]
        lines += [f"ignored {n} (not an export)" for n in merged.ignored]
        if merged.name_warning:
            lines.append(f"warning: {merged.name_warning}")
        return Shown(files_section(merged), "\n".join(lines))
    raise ValueError(
        f"section must be debrief, objectives, items, gains, participation or files; got {section!r}"
    )
