"""Figures for notebook 02 (why image guidance): the accuracy forest chart, what a miss does to
a block's sensitivity, procedure DAP against a hip radiograph, and scatter against distance.

Each builder attaches its description (alt text and caption) with
:func:`fluorohip.ui.figures.describe`, built from the same numbers it draws, so
``show_figure(figures.accuracy_forest_figure())`` shows it accessibly. Numbers come from the
models :mod:`.accuracy` and :mod:`.radiation`; nothing clinical is computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from fluorohip.core.bibliography import short_label
from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO, SOFT_GREY

from . import accuracy, radiation

#: Colour, marker and legend label per guidance: readable in greyscale by marker shape alone.
GUIDANCE_STYLE: dict[str, tuple[str, str, str]] = {
    "landmark": (OKABE_ITO["vermillion"], "o", "Landmark"),
    "ultrasound": (OKABE_ITO["blue"], "s", "Ultrasound"),
    "fluoroscopy": (OKABE_ITO["green"], "^", "Fluoroscopy"),
    # one shared marker: the evidence cannot rank ultrasound against fluoroscopy
    "image-guided": (OKABE_ITO["blue"], "s", "Ultrasound or fluoroscopy"),
}


def _block_or_reference(
    sensitivity: float | None, specificity: float | None
) -> tuple[float, float]:
    """The caller's block performance, or the cited reference block where not given."""
    se, sp = accuracy.reference_block()
    return (se if sensitivity is None else sensitivity, sp if specificity is None else specificity)


# ---------------------------------------------------------------------------
# Forest-style accuracy chart
# ---------------------------------------------------------------------------


def accuracy_forest_figure(confidence: float = 0.95) -> Figure:
    """Each study's proportion intra-articular with its 95% interval, grouped by guidance."""
    rows = accuracy.study_rows(confidence)
    order = ["landmark", "ultrasound", "fluoroscopy"]
    rows = sorted(rows, key=lambda r: (order.index(r["guidance"]), r["pooled"]))
    fig, ax = plt.subplots(figsize=(9, 5.6))
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows):
        colour, marker, _ = GUIDANCE_STYLE[r["guidance"]]
        ax.plot(
            [r["low"] * 100, r["high"] * 100],
            [yi, yi],
            color=colour,
            linestyle="--" if r["pooled"] else "-",
            linewidth=2,
        )
        ax.plot(
            r["p"] * 100,
            yi,
            marker="D" if r["pooled"] else marker,
            color=colour,
            markersize=9 if r["pooled"] else 7,
            markeredgecolor="black",
        )
        count = f"{r['k']}/{r['n']}" if r["k"] is not None else f"pooled, n={r['n']}"
        ax.text(103, yi, f"{r['p'] * 100:.0f}% ({count}) [{r['key']}]", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([r["label"] for r in rows], fontsize=8)
    ax.set_xlim(40, 102)
    ax.set_xlabel("Needle placements confirmed intra-articular (%), with 95% interval")
    ax.axvline(100, color=SOFT_GREY, linewidth=0.8)
    ax.set_title(
        "Hip injection accuracy by guidance (solid: Wilson interval from counts;\n"
        "dashed/diamond: pooled estimate with the published interval)",
        fontsize=10,
    )
    for g in order:
        colour, marker, label = GUIDANCE_STYLE[g]
        ax.plot([], [], color=colour, marker=marker, label=label)
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    fig.subplots_adjust(left=0.36, right=0.74)
    return describe(fig, accuracy_forest_alt_text(confidence))


def accuracy_forest_alt_text(confidence: float = 0.95) -> str:
    """One paragraph describing the forest chart, built from the same numbers."""
    parts = []
    for r in accuracy.study_rows(confidence):
        count = (
            f"{r['k']} of {r['n']}" if r["k"] is not None else f"pooled from {r['n']} injections"
        )
        parts.append(
            f"{r['label']}: {r['p'] * 100:.0f}% ({count}), interval "
            f"{r['low'] * 100:.0f}–{r['high'] * 100:.0f}%"
        )
    return (
        "Figure: horizontal interval chart of the proportion of hip injections confirmed inside the joint. "
        + "; ".join(parts)
        + ". Landmark intervals sit lowest and widest; ultrasound and fluoroscopy "
        "series cluster near 100% but are small, so their intervals reach down to the 70s–80s."
    )


# ---------------------------------------------------------------------------
# Placement accuracy → observed sensitivity
# ---------------------------------------------------------------------------


def observed_sensitivity_figure(
    sensitivity: float | None = None,
    specificity: float | None = None,
    seed: int = 2,
    n_per_group: int = 200,
) -> Figure:
    """Closed-form observed sensitivity against placement accuracy, with seeded simulated studies."""
    se, sp = _block_or_reference(sensitivity, specificity)
    a = np.linspace(0.5, 1.0, 101)
    closed = [accuracy.observed_block_performance(x, se, sp).sensitivity * 100 for x in a]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    ax.plot(
        a * 100,
        closed,
        color=OKABE_ITO["black"],
        linestyle="-",
        linewidth=2,
        label="closed form: a·Se + (1 − a)·(1 − Sp)",
    )
    ax.axhline(se * 100, color=OKABE_ITO["purple"], linestyle=":", linewidth=1.5)
    ax.text(
        51,
        se * 100 + 0.8,
        f"block placed perfectly: Se = {se * 100:.0f}%",
        fontsize=8,
        color=OKABE_ITO["purple"],
    )
    offsets = {"landmark": (14, -34), "image-guided": (-235, -40)}
    for i, (name, acc) in enumerate(accuracy.scenario_accuracies().items()):
        colour, marker, _ = GUIDANCE_STYLE[name]
        sim = accuracy.simulate_block_study(acc, se, sp, n_per_group, n_per_group, seed=seed + i)
        expected = accuracy.observed_block_performance(acc, se, sp).sensitivity
        ax.plot(
            acc * 100,
            sim.sensitivity * 100,
            marker=marker,
            color=colour,
            markersize=9,
            markeredgecolor="black",
            linestyle="none",
        )
        ax.annotate(
            f"{name}: accuracy {acc * 100:.0f}%\nexpected Se {expected * 100:.0f}%, "
            f"simulated {sim.sensitivity * 100:.0f}%",
            (acc * 100, sim.sensitivity * 100),
            textcoords="offset points",
            xytext=offsets[name],
            fontsize=8,
            color=colour,
            arrowprops=dict(arrowstyle="-", color=colour, linewidth=0.8),
        )
    ax.set_xlim(50, 101)
    ax.set_ylim(40, 100)
    ax.set_xlabel("Placement accuracy a (% of needles delivering anaesthetic into the joint)")
    ax.set_ylabel("Observed sensitivity (%)")
    ax.set_title(
        f"A missed needle looks like a negative block (true Se {se:.2f}, Sp {sp:.2f})\n"
        f"markers: one seeded simulated study of {n_per_group} patients with hip pain each",
        fontsize=9,
    )
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return describe(fig, observed_sensitivity_alt_text(sensitivity, specificity))


def observed_sensitivity_alt_text(
    sensitivity: float | None = None, specificity: float | None = None
) -> str:
    se, sp = _block_or_reference(sensitivity, specificity)
    pts = ", ".join(
        f"{k} ({v * 100:.0f}% accuracy) {accuracy.observed_block_performance(v, se, sp).sensitivity * 100:.0f}%"
        for k, v in accuracy.scenario_accuracies().items()
    )
    return (
        f"Figure: a straight line rising from about "
        f"{accuracy.observed_block_performance(0.5, se, sp).sensitivity * 100:.0f}% observed sensitivity at 50% "
        f"placement accuracy to {se * 100:.0f}% at 100%. Expected observed sensitivity: {pts}. "
        "Simulated study markers scatter a few points around the line."
    )


# ---------------------------------------------------------------------------
# Radiation comparisons
# ---------------------------------------------------------------------------


def dap_comparison_figure() -> Figure:
    """Procedure DAP (published means) beside the DAP of one hip radiograph, all in mGy·cm²."""
    f = radiation.FACTS
    xr_low, xr_high = f["hip_radiograph_dap_mgycm2"].range
    # (label, value, upper end of a range or None, citation key, colour, hatch)
    bars: list[tuple[str, float, float | None, str, str, str]] = [
        (
            "Hip injection, 1,362 procedures (mean)",
            radiation.ugym2_to_mgycm2(radiation.fact_value("dap_mean_ugym2")),
            None,
            f["dap_mean_ugym2"].key,
            OKABE_ITO["green"],
            "",
        ),
        (
            "Injections before dose bundle (mean)",
            radiation.ugym2_to_mgycm2(radiation.fact_value("bundle_dap_before_ugym2")),
            None,
            f["bundle_dap_before_ugym2"].key,
            OKABE_ITO["orange"],
            "//",
        ),
        (
            "Injections after dose bundle (mean)",
            radiation.ugym2_to_mgycm2(radiation.fact_value("bundle_dap_after_ugym2")),
            None,
            f["bundle_dap_after_ugym2"].key,
            OKABE_ITO["blue"],
            "..",
        ),
        (
            "One hip radiograph (range of means)",
            xr_low,
            xr_high,
            f["hip_radiograph_dap_mgycm2"].key,
            OKABE_ITO["sky"],
            "\\\\",
        ),
    ]
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    y = np.arange(len(bars))[::-1]
    for yi, (_label, value, high, key, colour, hatch) in zip(y, bars):
        ax.barh(yi, value, color=colour, hatch=hatch, edgecolor="black")
        if high is None:
            text, end = f"{value:.0f} mGy·cm² ({short_label(key)})", value
        else:  # one bar for the range: solid to the lower mean, whisker to the upper
            ax.errorbar(
                [high],
                [yi],
                xerr=[[high - value], [0.0]],
                fmt="none",
                ecolor="black",
                capsize=5,
                lw=1.5,
            )
            text, end = f"{value:.0f}–{high:.0f} mGy·cm² ({short_label(key)})", high
        ax.text(end + 10, yi, text, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([b[0] for b in bars], fontsize=8)
    ax.set_xlim(0, 900)
    ax.set_xlabel("Dose–area product (mGy·cm²)  —  1 µGy·m² = 10 mGy·cm²")
    lo, hi = radiation.hip_radiograph_equivalents(radiation.fact_value("dap_mean_ugym2"))
    blo, bhi = radiation.hip_radiograph_equivalents(radiation.fact_value("bundle_dap_before_ugym2"))
    ax.set_title(
        f"Injection DAP against one hip radiograph: about {lo:.1f}–{hi:.1f} radiographs in one "
        f"large series,\nabout {(blo + bhi) / 2:.0f} before dose optimisation in another",
        fontsize=9.5,
    )
    fig.tight_layout()
    return describe(fig, dap_comparison_alt_text())


def dap_comparison_alt_text() -> str:
    """One paragraph describing the DAP comparison, built from the same numbers."""
    mean, before, after = (
        radiation.fact_value(name)
        for name in ("dap_mean_ugym2", "bundle_dap_before_ugym2", "bundle_dap_after_ugym2")
    )
    lo, hi = radiation.hip_radiograph_equivalents(mean)
    blo, bhi = radiation.hip_radiograph_equivalents(before)
    xr_low, xr_high = radiation.FACTS["hip_radiograph_dap_mgycm2"].range
    return (
        f"Figure: horizontal bars of dose–area product. Hip injection mean "
        f"{radiation.ugym2_to_mgycm2(mean):.0f} mGy·cm²; before a dose-reduction bundle "
        f"{radiation.ugym2_to_mgycm2(before):.0f}, after it "
        f"{radiation.ugym2_to_mgycm2(after):.0f}; one hip radiograph "
        f"{xr_low:.0f}–{xr_high:.0f}. "
        f"The mean injection equals about {lo:.1f}–{hi:.1f} hip radiographs by DAP; the mean before the "
        f"dose-reduction bundle about {blo:.1f}–{bhi:.1f}. The radiograph range is drawn as one bar with a "
        f"whisker to the upper mean."
    )


def staff_distance_figure(distances_m: Sequence[float] = (0.5, 1.0, 2.0, 3.0)) -> Figure:
    """Relative scatter exposure against distance from the patient (inverse square)."""
    d = np.linspace(0.3, 3.0, 200)
    rel = [radiation.relative_staff_exposure(x) * 100 for x in d]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(d, rel, color=OKABE_ITO["blue"], linestyle="-", linewidth=2)
    for x, m in zip(distances_m, "osD^"):
        v = radiation.relative_staff_exposure(x) * 100
        ax.plot(
            x,
            v,
            marker=m,
            color=OKABE_ITO["vermillion"],
            markeredgecolor="black",
            markersize=8,
            linestyle="none",
        )
        ax.annotate(
            f"{x:g} m: {v:.0f}%", (x, v), textcoords="offset points", xytext=(8, 6), fontsize=9
        )
    ax.set_yscale("log")
    ax.set_xlabel("Distance from the patient (scatter source), m")
    ax.set_ylabel("Scatter exposure, % of the value at 1 m (log scale)")
    ax.set_title(
        "Inverse square: double the distance, a quarter of the exposure (no shielding)", fontsize=10
    )
    fig.tight_layout()
    return describe(fig, staff_distance_alt_text(distances_m))


def staff_distance_alt_text(distances_m: Sequence[float] = (0.5, 1.0, 2.0, 3.0)) -> str:
    vals = "; ".join(
        f"{x:g} m, {radiation.relative_staff_exposure(x) * 100:.0f}%" for x in distances_m
    )
    return (
        "Figure: a falling curve on a logarithmic axis of scatter exposure relative to 1 m from the patient: "
        + vals
        + "."
    )
