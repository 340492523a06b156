"""The class report's charts: matplotlib figures with alt text that states every number.

Every label may come from a hand-in, so matplotlib never parses one as maths (``$\\foo$`` in a
bank name raised inside matplotlib and stopped the report for the whole class): figures are
built and drawn with ``text.parse_math`` off. Colours come from the course palette (Okabe-Ito),
and "right answer" or "below 50%" is also a hatch and a label, never colour alone. A chart with
more rows than :data:`MAX_FIGURE_ROWS` is left out (its table stays), so a huge class cannot
exhaust memory.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from ...ui.palette import OKABE_ITO
from ..item_analysis import (
    HARD_P,
    LOW_P,
    MIN_RESPONSES,
    NEGATIVE_R,
    ClassAnalysis,
    ItemStats,
)
from ..templating import render
from .tables import format_value

# A bar per row (the whole course has ~150 objectives); beyond this the table says it all.
MAX_FIGURE_ROWS = 300

P = ParamSpec("P")
R = TypeVar("R")


def plain_text_context() -> AbstractContextManager[None]:
    """matplotlib settings under which no label is read as maths or LaTeX."""
    return matplotlib.rc_context({"text.parse_math": False, "text.usetex": False})


def plain_labels(build: Callable[P, R]) -> Callable[P, R]:
    """Build (and later draw) a figure with mathtext off: labels come from hand-ins."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with plain_text_context():
            return build(*args, **kwargs)

    return wrapper


def _texts(figure: Figure) -> Iterator[Text]:
    for artist in figure.findobj(Text):
        if isinstance(artist, Text):
            yield artist


@dataclass
class ReportFigure:
    """A figure with its alt text; shows as a PNG in a notebook and as its alt text in plain text."""

    figure: Figure
    alt: str
    title: str

    def png_bytes(self) -> bytes:
        buffer = io.BytesIO()
        for text in _texts(self.figure):  # hand-in strings are text, never maths
            text.set_parse_math(False)
            text.set_usetex(False)
        # No software/date metadata: the same data gives the same bytes.
        with plain_text_context():
            self.figure.savefig(
                buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None}
            )
        # Text artists keep the renderer of their last draw, and with it the whole RGBA canvas
        # (9 MB for the objectives plot); a displayed figure stays referenced by the notebook's
        # output history, so let go of it (matplotlib makes a new one on the next draw).
        # matplotlib has no public way to drop it, hence its private attribute.
        for text in _texts(self.figure):
            text._renderer = None  # type: ignore[attr-defined]
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


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


@plain_labels
def figure_participation(analysis: ClassAnalysis) -> ReportFigure | None:
    banks = analysis.participation.banks
    if not banks or len(banks) > MAX_FIGURE_ROWS:
        return None
    n = analysis.participation.n_learners
    fig, ax = new_figure(7, 0.45 * len(banks) + 1.2)
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


@plain_labels
def figure_objectives(analysis: ClassAnalysis) -> ReportFigure | None:
    objs = [o for o in analysis.objectives if o.responses]
    if not objs or len(objs) > MAX_FIGURE_ROWS:
        return None
    fig, ax = new_figure(7, 0.35 * len(objs) + 1.2)
    # The full bank name: 00_pretest and 00_start_here differ.
    labels = [f"{o.bank} · {o.objective}" for o in objs][::-1]
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


@plain_labels
def figure_items(analysis: ClassAnalysis) -> ReportFigure | None:
    items = [i for i in analysis.items if i.n >= MIN_RESPONSES]
    if not items:
        return None
    rank = {d.item.label: i for i, d in enumerate(analysis.debrief, start=1)}
    fig, ax = new_figure(7, 4.5)
    for it in items:
        r = it.r_pb if it.r_pb is not None else 0.0
        is_flag = it.label in rank
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
        f"discrimination on the y axis; the top {len(rank)} questions to revisit are triangles numbered as in "
        "the debrief table; "
        f"dashed line at p = {HARD_P:.2f}, dotted line at r_pb = {NEGATIVE_R:.2f}"
        + (f"; {undefined} items with undefined discrimination drawn at 0" if undefined else "")
        + ". Values are in the item table."
    )
    return ReportFigure(fig, alt, "Item difficulty and discrimination")


@plain_labels
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
    fig, ax = new_figure(6, 0.4 * len(labels) + 1.1)
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


@plain_labels
def figure_gains(analysis: ClassAnalysis) -> ReportFigure | None:
    # A matched objective has responses on both sides, so both shares are defined.
    gains = [
        (g, g.pre_p, g.post_p)
        for g in analysis.gains
        if g.matched and g.pre_p is not None and g.post_p is not None
    ]
    if not gains or len(gains) > MAX_FIGURE_ROWS:
        return None
    fig, ax = new_figure(7, 0.5 * len(gains) + 1.3)
    ys = list(range(len(gains)))[::-1]
    h = 0.38
    ax.barh(
        [y + h / 2 for y in ys],
        [pre for _, pre, _ in gains],
        height=h,
        color=OKABE_ITO["orange"],
        hatch="..",
        edgecolor="black",
        linewidth=0.5,
        label="pre-test",
    )
    ax.barh(
        [y - h / 2 for y in ys],
        [post for _, _, post in gains],
        height=h,
        color=OKABE_ITO["blue"],
        edgecolor="black",
        linewidth=0.5,
        label="post-test",
    )
    for y, (g, pre, post) in zip(ys, gains):
        ax.text(pre + 0.01, y + h / 2, f"pre {pre:.0%}", va="center", fontsize=8)
        ax.text(
            post + 0.01,
            y - h / 2,
            f"post {post:.0%}  g = {format_value(g.normalised_gain)}",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(ys, [f"{g.objective} (n={g.matched})" for g, _, _ in gains])
    ax.set_xlim(0, 1.45)
    ax.set_xlabel("share right (matched learners)")
    ax.set_title("Pre-test against post-test per objective", fontsize=11)
    alt = (
        "Paired bar chart per objective: "
        + "; ".join(
            f"objective {g.objective}, {g.matched} learners, pre {pre:.0%}, post {post:.0%}, "
            f"normalised gain {format_value(g.normalised_gain)}"
            for g, pre, post in gains
        )
        + "."
    )
    return ReportFigure(fig, alt, "Pre/post gain per objective")
