"""Chapter 04's figure: the consent risks on one logarithmic ladder.

Why a ladder: risks from 1 in 100,000 to almost everyone differ by five orders of magnitude,
and a log scale is the only way a patient and a resident can see them side by side. The
description (alt text and caption) is generated from the same data as the plot. Colours come
from the course palette, and each row also has its own marker and a text label, so nothing
relies on colour alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO

from .data import load_risks
from .risks import Risk, plain_frequency

__all__ = [
    "NOT_ON_LADDER",
    "OFF_LADDER",
    "ladder_risks",
    "percent_label",
    "plot_risk_ladder",
    "risk_ladder_alt_text",
]

#: Line colours for the ladder's rows: the palette without black (text) and yellow (too pale on white).
LADDER_COLOURS = tuple(
    colour for name, colour in OKABE_ITO.items() if name not in ("black", "yellow")
)
LADDER_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "*", "<")


def percent_label(x: float) -> str:
    """A percentage as a learner reads it: never scientific notation ('100', '35', '1.2', '0.0031')."""
    if x >= 10:
        return f"{x:.0f}"
    if x >= 1:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2g}"


#: Risks that belong to a different procedure and stay off the injection's consent ladder.
OFF_LADDER = {"mr_arthrography"}


#: Risks that count something else and would contradict the ladder if plotted on it: the 1.2% of
#: complications recorded by radiology teams sat below single risks of 3-7% it does not include.
NOT_ON_LADDER = frozenset({"any-complication"})


def ladder_risks(risks: Iterable[Risk] | None = None) -> list[Risk]:
    """Risks plotted on the ladder: a non-zero frequency, not specific to another procedure, and
    not a differently defined total (:data:`NOT_ON_LADDER`)."""
    risks = load_risks() if risks is None else risks
    return [
        r
        for r in risks
        if r.percent_range[1]
        and not set(r.applies_when) <= OFF_LADDER
        and r.id not in NOT_ON_LADDER
    ]


def plot_risk_ladder(risks: Iterable[Risk] | None = None) -> Figure:
    """Consent risks that have a frequency, as ranges on a log 'per 100,000' scale (capped at 100%)."""
    # zero-event series cannot sit on a log scale; the alt text and consent text still give them
    rows: list[tuple[Risk, float | None, float]] = []
    for risk in ladder_risks(risks):
        lo, hi = risk.percent_range
        if hi is not None:  # always so on the ladder; says so to the type checker
            rows.append((risk, lo, hi))
    rows.sort(key=lambda row: row[2])
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    markers = LADDER_MARKERS
    for i, (_r, lo, hi) in enumerate(rows):
        colour = LADDER_COLOURS[i % len(LADDER_COLOURS)]
        hi_n = hi * 1000  # percent -> per 100,000
        if lo is None:
            ax.plot([1, hi_n], [i, i], linestyle=":", color=colour, linewidth=2)
            ax.plot([hi_n], [i], marker=markers[i % len(markers)], color=colour, markersize=8)
            label = f"up to {percent_label(hi)}%"
        elif lo == hi:
            ax.plot(
                [hi_n],
                [i],
                marker=markers[i % len(markers)],
                color=colour,
                markersize=9,
                linestyle="none",
            )
            label = "about 100% (every patient studied)" if hi >= 99.5 else f"{percent_label(hi)}%"
        else:
            ax.plot([lo * 1000, hi_n], [i, i], linestyle="-", color=colour, linewidth=4)
            ax.plot(
                [lo * 1000, hi_n],
                [i, i],
                marker=markers[i % len(markers)],
                color=colour,
                linestyle="none",
            )
            label = f"{percent_label(lo)}-{percent_label(hi)}%"
        if hi_n > 15000:  # no room to the right inside 100%: above the row, ending at the marker
            ax.text(hi_n / 1.3, i + 0.22, label, ha="right", va="bottom", fontsize=8)
        else:
            ax.text(hi_n * 1.4, i, label, va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([textwrap.fill(r.name, 34) for r, _, _ in rows], fontsize=7.5)
    ax.set_xscale("log")
    ax.set_xlim(1, 1.3e5)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xticks([1, 10, 100, 1000, 10000, 100000])
    ax.set_xticklabels(["1", "10", "100", "1,000", "10,000", "100,000\n(= 100%)"])
    ax.set_xlabel("Events per 100,000 injections (log scale)")
    ax.set_title(
        "How often? Consent risks on one scale\n(each number comes from its own population)",
        fontsize=10,
    )
    ax.grid(axis="x", linestyle="--", alpha=0.4)
    fig.tight_layout()
    return describe(fig, risk_ladder_alt_text(risks))


def risk_ladder_alt_text(risks: Iterable[Risk] | None = None) -> str:
    """The ladder in words: each plotted risk's frequency, and what is left off and why."""
    parts = [f"{r.name.lower()}: {plain_frequency(r)}" for r in ladder_risks(risks)]
    return (
        "Horizontal chart on a logarithmic scale from 1 to 100,000 events per 100,000 injections, "
        "one row per consent risk, rarest at the bottom. " + "; ".join(parts) + ". "
        "Not plotted: risks given only as an odds ratio (prosthetic infection) or with zero events "
        "(bleeding on direct oral anticoagulants, none in 1,050 procedures), delayed aching after an MR "
        "arthrogram, which belongs to a different, larger-volume procedure, and the 1.2% of problems "
        "recorded by radiology teams, a differently defined count that leaves out flares, sugar rises "
        "and later joint wear."
    )
