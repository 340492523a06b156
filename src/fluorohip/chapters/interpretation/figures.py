"""Figures of chapter 06, each with its alt text: the pain diary against its windows, the Fagan
nomogram, and how a negative block loses meaning when placement is uncertain.

Colours from the course palette (:mod:`fluorohip.ui.palette`), always paired with a line style,
marker or direct label, so nothing is carried by colour alone. All arithmetic is the model's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO

from . import model as I

__all__ = [
    "diary_alt_text",
    "dilution_alt_text",
    "fagan_alt_text",
    "plot_diary",
    "plot_dilution",
    "plot_fagan",
]

_BLACK, _SKY, _GREEN = OKABE_ITO["black"], OKABE_ITO["sky"], OKABE_ITO["green"]
_BLUE, _VERMILLION, _PURPLE = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["purple"]


def _tick_positions() -> tuple[list[int], list[str]]:
    ticks = [
        5,
        15,
        30,
        60,
        120,
        240,
        600,
        1440,
        3 * 1440,
        7 * 1440,
        14 * 1440,
        28 * 1440,
        56 * 1440,
    ]
    labels = ["5m", "15m", "30m", "1h", "2h", "4h", "10h", "1d", "3d", "1wk", "2wk", "4wk", "8wk"]
    return ticks, labels


def plot_diary(
    diary: I.PainDiary, threshold: str = "gt50", figsize: tuple[float, float] = (8, 4)
) -> Figure:
    """Pain scores against time (log scale) with the anaesthetic and steroid windows shaded."""
    summary = I.summarise_diary(diary, threshold)
    w = summary.window
    fig, ax = plt.subplots(figsize=figsize)
    x_max = max([r.minutes for r in diary.readings] + [w.end_min * 2, 3 * 1440])
    x_max = min(max(x_max * 1.3, 2 * 1440), I.DIARY_MAX_MIN)
    ax.axvspan(w.onset_min, w.end_min, color=_SKY, alpha=0.18, lw=0)
    ax.axvspan(w.expected_from_min, w.expected_until_min, color=_SKY, alpha=0.30, lw=0)
    ax.text(
        math.sqrt(w.onset_min * w.end_min),
        10.4,
        f"{w.drug} window",
        ha="center",
        va="bottom",
        fontsize=9,
        color=_BLUE,
    )
    if diary.steroid:
        s0, s1 = I.STEROID_WINDOW_MIN
        ax.axvspan(
            s0,
            min(s1, x_max),
            facecolor="none",
            edgecolor=_VERMILLION,
            hatch="//",
            alpha=0.5,
            lw=0,
        )
        ax.text(
            math.sqrt(s0 * min(s1, x_max)),
            10.4,
            "steroid phase",
            ha="center",
            va="bottom",
            fontsize=9,
            color=_VERMILLION,
        )
    ax.axhline(diary.pre_score, color=_BLACK, ls="--", lw=1)
    ax.text(6, diary.pre_score + 0.15, f"before: {diary.pre_score:g}/10", fontsize=9, va="bottom")
    t = I.THRESHOLDS[threshold]
    if t.kind == "percent":
        line = diary.pre_score * (1 - t.value / 100)
    else:
        line = diary.pre_score - t.value
    if line >= 0:
        ax.axhline(line, color=_GREEN, ls=":", lw=1.5)
        ax.text(6, line - 0.15, f"threshold: {t.label}", fontsize=9, va="top", color=_GREEN)
    xs = [r.minutes for r in diary.readings]
    ys = [r.score for r in diary.readings]
    inside = [w.contains(x) for x in xs]
    ax.plot(xs, ys, color=_BLACK, lw=1, ls="-")
    ax.scatter(
        [x for x, i in zip(xs, inside) if i],
        [y for y, i in zip(ys, inside) if i],
        marker="o",
        s=55,
        color=_BLUE,
        zorder=3,
        label="inside anaesthetic window",
    )
    ax.scatter(
        [x for x, i in zip(xs, inside) if not i],
        [y for y, i in zip(ys, inside) if not i],
        marker="s",
        s=45,
        facecolor="white",
        edgecolor=_BLACK,
        zorder=3,
        label="outside anaesthetic window",
    )
    ax.set_xscale("log")
    ax.set_xlim(4, x_max)
    ax.set_ylim(-0.3, 11.2)
    ticks, labels = _tick_positions()
    keep = [(tk, lb) for tk, lb in zip(ticks, labels) if tk <= x_max]
    ax.set_xticks([k[0] for k in keep], [k[1] for k in keep])
    ax.minorticks_off()
    ax.set_xlabel("time after injection (log scale)")
    ax.set_ylabel("pain during provocative activity (0-10)")
    ax.set_title(diary.title or "Pain diary", fontsize=10)
    # Below the axes, so the legend never covers a reading.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return describe(fig, diary_alt_text(diary, threshold))


def diary_alt_text(diary: I.PainDiary, threshold: str = "gt50") -> str:
    s = I.summarise_diary(diary, threshold)
    pts = "; ".join(f"{I.format_minutes(r.minutes)}: {r.score:g}" for r in diary.readings)
    return (
        f"Line chart of pain (0-10) against time on a log scale for {diary.title or 'a synthetic patient'}. "
        f"Dashed line at the pre-injection score {diary.pre_score:g}. Shaded band: the {s.window.drug} window "
        f"from {I.format_minutes(s.window.onset_min)} to {I.format_minutes(s.window.end_min)}"
        + ("; hatched band: the steroid phase" if diary.steroid else "")
        + f". Readings: {pts}. Pattern: {I.PATTERNS[s.pattern]}."
    )


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def plot_fagan(
    pre_test: float, lrs: dict[str, float], figsize: tuple[float, float] = (6.5, 6)
) -> Figure:
    """Fagan nomogram: pre-test probability, likelihood ratio, post-test probability.

    Each line runs from -logit(pre) on the left axis through log(LR)/2 on the middle axis to
    logit(post) on the right axis, which is the odds form of Bayes' theorem drawn straight.
    """
    fig, ax = plt.subplots(figsize=figsize)
    probs = [
        0.001,
        0.002,
        0.005,
        0.01,
        0.02,
        0.05,
        0.1,
        0.2,
        0.3,
        0.5,
        0.7,
        0.8,
        0.9,
        0.95,
        0.98,
        0.99,
        0.995,
        0.999,
    ]
    lr_ticks = [
        0.001,
        0.002,
        0.005,
        0.01,
        0.02,
        0.05,
        0.1,
        0.2,
        0.5,
        1,
        2,
        5,
        10,
        20,
        50,
        100,
        200,
        500,
        1000,
    ]
    lim = _logit(0.999)
    for x in (0, 1, 2):
        ax.plot([x, x], [-lim, lim], color=_BLACK, lw=1)
    for p in probs:
        ax.plot([-0.03, 0], [-_logit(p)] * 2, color=_BLACK, lw=0.8)
        ax.text(-0.05, -_logit(p), f"{100 * p:g}", ha="right", va="center", fontsize=7)
        ax.plot([2, 2.03], [_logit(p)] * 2, color=_BLACK, lw=0.8)
        ax.text(2.05, _logit(p), f"{100 * p:g}", ha="left", va="center", fontsize=7)
    for lr in lr_ticks:
        y = math.log(lr) / 2
        ax.plot([0.97, 1.03], [y, y], color=_BLACK, lw=0.8)
        ax.text(1.05, y, f"{lr:g}", ha="left", va="center", fontsize=7)
    ax.text(0, lim + 0.5, "pre-test\nprobability (%)", ha="center", va="bottom", fontsize=9)
    ax.text(1, lim + 0.5, "likelihood\nratio", ha="center", va="bottom", fontsize=9)
    ax.text(2, lim + 0.5, "post-test\nprobability (%)", ha="center", va="bottom", fontsize=9)
    styles = [("-", _BLUE), ("--", _VERMILLION), (":", _GREEN), ("-.", _PURPLE)]
    pre = min(max(pre_test, 0.001), 0.999)
    for i, (name, lr) in enumerate(lrs.items()):
        post = I.post_test_probability(pre, lr)
        post_c = min(max(post, 0.001), 0.999)
        ls, col = styles[i % len(styles)]
        ax.plot([0, 2], [-_logit(pre), _logit(post_c)], ls=ls, color=col, lw=2)
        ax.text(
            2.32,
            _logit(post_c),
            f"{name}: LR {lr:.2g} → {100 * post:.0f}%",
            fontsize=8,
            va="center",
            color=col,
        )
    ax.set_xlim(-0.6, 3.6)
    ax.set_ylim(-lim - 0.5, lim + 2.2)
    ax.axis("off")
    ax.set_title(f"Fagan nomogram, pre-test probability {100 * pre_test:.0f}%", fontsize=10)
    fig.tight_layout()
    return describe(fig, fagan_alt_text(pre_test, lrs))


def fagan_alt_text(pre_test: float, lrs: dict[str, float]) -> str:
    parts = [
        f"{name} (LR {lr:.2g}) gives {100 * I.post_test_probability(pre_test, lr):.0f}%"
        for name, lr in lrs.items()
    ]
    return (
        f"Fagan nomogram with three vertical scales: pre-test probability on the left, likelihood ratio in the "
        f"middle, post-test probability on the right. Lines start at a pre-test probability of "
        f"{100 * pre_test:.0f}%: " + "; ".join(parts) + "."
    )


def plot_dilution(
    pre_tests: Sequence[float] = (0.5, 0.8), figsize: tuple[float, float] = (7, 4)
) -> Figure:
    """Post-test probability after a negative block, against placement accuracy."""
    a = np.linspace(0.5, 1.0, 51)
    fig, ax = plt.subplots(figsize=figsize)
    styles = [("-", _BLUE, "o"), ("--", _VERMILLION, "s"), (":", _GREEN, "^")]
    for (ls, col, mk), p in zip(styles, pre_tests):
        post = [100 * I.post_test_after_block(p, False, x) for x in a]
        ax.plot(100 * a, post, ls=ls, color=col, lw=2, marker=mk, markevery=10)
        ax.text(
            100 * a[-1] + 0.5,
            post[-1],
            f"pre-test {100 * p:.0f}%",
            va="center",
            fontsize=9,
            color=col,
        )
    lm = 100 * I.fact_value("landmark_accuracy")
    ax.axvline(lm, color=_BLACK, ls="-.", lw=1)
    ax.text(lm + 0.5, 2, "pooled landmark\naccuracy", fontsize=8, va="bottom")
    ax.set_xlim(50, 108)
    ax.set_ylim(0, 100)
    ax.set_xlabel("injections that reach the joint (%)")
    ax.set_ylabel("probability hip is the source\nafter NO relief (%)")
    ax.set_title("A negative block means less when placement is uncertain", fontsize=10)
    fig.tight_layout()
    return describe(fig, dilution_alt_text(pre_tests))


def dilution_alt_text(pre_tests: Sequence[float] = (0.5, 0.8)) -> str:
    parts = []
    for p in pre_tests:
        lo = 100 * I.post_test_after_block(p, False, I.fact_value("landmark_accuracy"))
        hi = 100 * I.post_test_after_block(p, False, 1.0)
        parts.append(
            f"pre-test {100 * p:.0f}%: {hi:.0f}% with every injection in the joint, {lo:.0f}% at the pooled "
            f"landmark accuracy of {100 * I.fact_value('landmark_accuracy'):.0f}%"
        )
    return (
        "Line chart: probability that the hip is the pain source after no relief (y) against the percentage of "
        "injections that reach the joint (x, 50-100%). Lines fall as accuracy rises. "
        + "; ".join(parts)
        + "."
    )
