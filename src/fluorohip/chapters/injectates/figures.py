"""Chapter 03's figures: the time course of each injectate and the planned volume against capacity.

Each builder returns a matplotlib figure with its description attached (alt text and caption,
:mod:`fluorohip.ui.figures`), so a screen reader hears what a sighted reader sees. Colours come
from the course palette and every band also has a hatch, so the figures read in greyscale.
Nothing clinical is computed here: the numbers come from the chapter's model modules.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from fluorohip.core.bibliography import load_bibliography
from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO, SOFT_GREY

from .facts import FACTS, fact_value
from .time_course import HOURS_PER_DAY, TIME_COURSE_AGENTS, time_course
from .volume import volume_check

__all__ = [
    "AGENT_COLOURS",
    "format_hours",
    "short_labels",
    "time_course_alt_text",
    "time_course_figure",
    "volume_alt_text",
    "volume_figure",
]

AGENT_COLOURS = {
    "lidocaine": OKABE_ITO["sky"],
    "bupivacaine": OKABE_ITO["blue"],
    "ropivacaine": OKABE_ITO["green"],
    "corticosteroid": OKABE_ITO["vermillion"],
}
HATCHES = {"lidocaine": "//", "bupivacaine": "\\\\", "ropivacaine": "xx", "corticosteroid": ".."}


def short_labels(keys: Iterable[str]) -> str:
    """'Author et al. 2016; FDA label ...' for a list of citation keys."""
    bib = load_bibliography()
    seen = dict.fromkeys(keys)
    return "; ".join(bib[k]["short"] if k in bib else k for k in seen)


def format_hours(h: float) -> str:
    """A time after injection as a learner reads it: "15 min", "6 h", "3 days", "8 weeks"."""
    if h < 1:
        return f"{h * 60:.0f} min"
    if h < 24:
        return f"{h:g} h"
    days = h / HOURS_PER_DAY
    if days < 28:
        return f"{days:.0f} day" + ("" if round(days) == 1 else "s")
    return f"{days / 7:.0f} weeks"


# --------------------------------------------------------------------------------------
# Time-course figure
# --------------------------------------------------------------------------------------

TICKS_H = [1 / 60, 15 / 60, 1, 6, 24, 7 * 24, 30 * 24, 91 * 24]
TICK_LABELS = ["1 min", "15 min", "1 h", "6 h", "1 day", "1 week", "1 month", "3 months"]


def time_course_figure() -> Figure:
    """Bands of possible (light, hatched) and expected (solid) effect for each agent, log time.

    The black bracket under each bar is the window in which to assess pain for that agent.
    """
    fig, ax = plt.subplots(figsize=(10, 4.8))
    courses = [time_course(a) for a in TIME_COURSE_AGENTS]
    keys: list[str] = []
    for row, tc in enumerate(courses):
        y = len(courses) - 1 - row
        colour, hatch = AGENT_COLOURS[tc.agent], HATCHES[tc.agent]
        (on_lo, on_hi), (end_lo, end_hi) = tc.onset_h, tc.end_h
        ax.barh(
            y,
            end_hi - on_lo,
            left=on_lo,
            height=0.5,
            color=colour,
            alpha=0.35,
            hatch=hatch,
            edgecolor=OKABE_ITO["black"],
            linewidth=0.6,
        )
        ax.barh(
            y,
            end_lo - on_hi,
            left=on_hi,
            height=0.5,
            color=colour,
            alpha=0.95,
            edgecolor=OKABE_ITO["black"],
            linewidth=0.8,
        )
        a_lo, a_hi = tc.assess_h
        ax.plot(
            [a_lo, a_hi],
            [y - 0.38, y - 0.38],
            color=OKABE_ITO["black"],
            linewidth=2.2,
            marker="|",
            markersize=9,
        )
        ax.text(
            a_hi * 1.15,
            y - 0.38,
            f"assess {format_hours(a_lo)}-{format_hours(a_hi)}",
            va="center",
            fontsize=8,
        )
        ax.text(
            on_lo,
            y + 0.3,
            f"onset {format_hours(on_lo)}-{format_hours(on_hi)}; ends {format_hours(end_lo)}-{format_hours(end_hi)}"
            + (" (weakly sourced)" if tc.weak else ""),
            va="bottom",
            fontsize=8,
        )
        keys += list(tc.keys)
    ax.set_xscale("log")
    ax.set_xlim(1 / 60, 24 * 365)
    ax.set_xticks(TICKS_H)
    ax.set_xticklabels(TICK_LABELS)
    ax.set_yticks(range(len(courses)))
    ax.set_yticklabels([tc.agent for tc in reversed(courses)])
    ax.set_ylim(-0.8, len(courses) - 0.2)
    ax.set_xlabel("time after injection (log scale)")
    ax.set_title(
        "Expected effect: light hatched = possible, solid = expected, bracket = when to assess",
        fontsize=10,
    )
    ax.grid(axis="x", color=SOFT_GREY, linewidth=0.5)
    fig.text(
        0.01,
        0.01,
        "Sources: "
        + short_labels(keys)
        + ". Anaesthetic bands are nerve-block values; intra-articular duration is not measured.",
        fontsize=7,
        wrap=True,
    )
    fig.subplots_adjust(bottom=0.2, left=0.12, right=0.98)
    return describe(fig, time_course_alt_text())


def time_course_alt_text() -> str:
    """The time-course figure in words: each agent's onset, end and assessment window."""
    parts = []
    for a in TIME_COURSE_AGENTS:
        tc = time_course(a)
        parts.append(
            f"{a}: effect may begin {format_hours(tc.onset_h[0])} to {format_hours(tc.onset_h[1])} after injection "
            f"and wears off between {format_hours(tc.end_h[0])} and {format_hours(tc.end_h[1])}; "
            f"assess pain between {format_hours(tc.assess_h[0])} and {format_hours(tc.assess_h[1])}"
        )
    return (
        "Figure: horizontal bars on a logarithmic time axis from 1 minute to 1 year, one row per agent. "
        + "; ".join(parts)
        + ". The three anaesthetic bars sit in the first hours; the steroid bar "
        "starts after a day or more and lasts weeks, so early relief belongs to the anaesthetic."
    )


# --------------------------------------------------------------------------------------
# Volume vs capacity figure
# --------------------------------------------------------------------------------------

VOLUME_COLOURS = {
    "contrast": OKABE_ITO["yellow"],
    "local anaesthetic": OKABE_ITO["blue"],
    "corticosteroid": OKABE_ITO["vermillion"],
}
VOLUME_HATCHES = {"contrast": "..", "local anaesthetic": "//", "corticosteroid": "xx"}


def volume_figure(
    contrast_ml: object = 2, anaesthetic_ml: object = 4, steroid_ml: object = 1
) -> Figure:
    """Stacked bar of the planned volume against the low-pressure line and normal capacity band."""
    check = volume_check(contrast_ml, anaesthetic_ml, steroid_ml)
    low_p, cap = FACTS["low_pressure_volume_ml"], FACTS["capacity_ml"]
    low_ml = fact_value("low_pressure_volume_ml")
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.axvspan(cap.range[0], cap.range[1], color=OKABE_ITO["purple"], alpha=0.2)
    ax.text(
        sum(cap.range) / 2,
        0.93,
        f"normal capacity\n{cap.text(dash='-')}",
        ha="center",
        va="top",
        fontsize=8,
        transform=ax.get_xaxis_transform(),
    )
    ax.axvline(low_ml, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2)
    ax.text(
        low_ml,
        0.93,
        f" pressure low up to\n about {low_ml:g} mL",
        ha="right",
        va="top",
        fontsize=8,
        transform=ax.get_xaxis_transform(),
    )
    left = 0.0
    for name, ml in check.components_ml.items():
        if ml <= 0:
            continue
        ax.barh(
            0,
            ml,
            left=left,
            height=0.4,
            color=VOLUME_COLOURS[name],
            hatch=VOLUME_HATCHES[name],
            edgecolor=OKABE_ITO["black"],
        )
        ax.text(left + ml / 2, -0.32, f"{name}\n{ml:g} mL", ha="center", va="top", fontsize=8)
        left += ml
    ax.text(
        left + 0.3,
        0,
        f"total {check.total_ml:g} mL: {check.zone}",
        va="center",
        fontsize=9,
        fontweight="bold",
    )
    ax.set_xlim(0, max(26.0, check.total_ml + 8))
    ax.set_ylim(-0.9, 0.8)
    ax.set_yticks([])
    ax.set_xlabel("volume injected into the hip (mL)")
    ax.set_title("Planned volume against hip capacity", fontsize=10)
    fig.text(
        0.01,
        0.01,
        "Sources: "
        + short_labels([*cap.keys, *low_p.keys])
        + ".\nCapacity is lower in capsulitis, loose bodies or a stiff arthritic joint.",
        fontsize=7,
    )
    fig.subplots_adjust(bottom=0.3, left=0.03, right=0.98)
    return describe(fig, volume_alt_text(contrast_ml, anaesthetic_ml, steroid_ml))


def volume_alt_text(
    contrast_ml: object = 2, anaesthetic_ml: object = 4, steroid_ml: object = 1
) -> str:
    """The volume figure in words, ending with the zone's message."""
    check = volume_check(contrast_ml, anaesthetic_ml, steroid_ml)
    parts = ", ".join(f"{n} {ml:g} mL" for n, ml in check.components_ml.items())
    return (
        f"Figure: one horizontal stacked bar ({parts}; total {check.total_ml:g} mL) on a volume axis, "
        f"with a dashed line at {fact_value('low_pressure_volume_ml'):g} mL where capsular pressure "
        f"starts to rise and a shaded band at {FACTS['capacity_ml'].text(dash='-')} for normal capacity. "
        + check.message()
    )
