"""Figures and widgets for notebook 06. All clinical logic lives in :mod:`fluorohip.interpretation`.

Widgets are plain ipywidgets wired with ``observe``/``on_click``; they write to their
``Output`` only inside callbacks, and have a stable ``__repr__`` for nbval.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from fluorohip import interpretation as I
from fluorohip.core.bibliography import replace_citations
from fluorohip.core.inputs import InputError, parse_number
from fluorohip.ui.figures import describe
from fluorohip.ui.text import FullTextRepr

OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
TEACHING_NOTE = "Teaching, not clinical advice: synthetic patients, illustrative numbers."


def _md(text: str) -> str:
    """Markdown-ish text with [@Key] citations → safe HTML."""
    return html.escape(replace_citations(text)).replace("\n", "<br>")


# --------------------------------------------------------------------------- diary figure
def _tick_positions():
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


def plot_diary(diary: I.PainDiary, threshold: str = "gt50", figsize=(8, 4)):
    """Pain scores against time (log scale) with the anaesthetic and steroid windows shaded."""
    summary = I.summarise_diary(diary, threshold)
    w = summary.window
    fig, ax = plt.subplots(figsize=figsize)
    x_max = max([r.minutes for r in diary.readings] + [w.end_min * 2, 3 * 1440])
    x_max = min(max(x_max * 1.3, 2 * 1440), I.DIARY_MAX_MIN)
    ax.axvspan(w.onset_min, w.end_min, color=OKABE_ITO[2], alpha=0.18, lw=0)
    ax.axvspan(w.expected_from_min, w.expected_until_min, color=OKABE_ITO[2], alpha=0.30, lw=0)
    ax.text(
        math.sqrt(w.onset_min * w.end_min),
        10.4,
        f"{w.drug} window",
        ha="center",
        va="bottom",
        fontsize=9,
        color=OKABE_ITO[5],
    )
    if diary.steroid:
        s0, s1 = I.STEROID_WINDOW_MIN
        ax.axvspan(
            s0,
            min(s1, x_max),
            facecolor="none",
            edgecolor=OKABE_ITO[6],
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
            color=OKABE_ITO[6],
        )
    ax.axhline(diary.pre_score, color=OKABE_ITO[0], ls="--", lw=1)
    ax.text(6, diary.pre_score + 0.15, f"before: {diary.pre_score:g}/10", fontsize=9, va="bottom")
    t = I.THRESHOLDS[threshold]
    if t.kind == "percent":
        line = diary.pre_score * (1 - t.value / 100)
    else:
        line = diary.pre_score - t.value
    if line >= 0:
        ax.axhline(line, color=OKABE_ITO[3], ls=":", lw=1.5)
        ax.text(6, line - 0.15, f"threshold: {t.label}", fontsize=9, va="top", color=OKABE_ITO[3])
    xs = [r.minutes for r in diary.readings]
    ys = [r.score for r in diary.readings]
    inside = [w.contains(x) for x in xs]
    ax.plot(xs, ys, color=OKABE_ITO[0], lw=1, ls="-")
    ax.scatter(
        [x for x, i in zip(xs, inside) if i],
        [y for y, i in zip(ys, inside) if i],
        marker="o",
        s=55,
        color=OKABE_ITO[5],
        zorder=3,
        label="inside anaesthetic window",
    )
    ax.scatter(
        [x for x, i in zip(xs, inside) if not i],
        [y for y, i in zip(ys, inside) if not i],
        marker="s",
        s=45,
        facecolor="white",
        edgecolor=OKABE_ITO[0],
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
    pts = "; ".join(f"{I._fmt_minutes(r.minutes)}: {r.score:g}" for r in diary.readings)
    return (
        f"Line chart of pain (0-10) against time on a log scale for {diary.title or 'a synthetic patient'}. "
        f"Dashed line at the pre-injection score {diary.pre_score:g}. Shaded band: the {s.window.drug} window "
        f"from {I._fmt_minutes(s.window.onset_min)} to {I._fmt_minutes(s.window.end_min)}"
        + ("; hatched band: the steroid phase" if diary.steroid else "")
        + f". Readings: {pts}. Pattern: {I.PATTERNS[s.pattern]}."
    )


# --------------------------------------------------------------------------- Fagan nomogram
def _logit(p):
    return math.log(p / (1 - p))


def plot_fagan(pre_test: float, lrs: dict[str, float], figsize=(6.5, 6)):
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
        ax.plot([x, x], [-lim, lim], color=OKABE_ITO[0], lw=1)
    for p in probs:
        ax.plot([-0.03, 0], [-_logit(p)] * 2, color=OKABE_ITO[0], lw=0.8)
        ax.text(-0.05, -_logit(p), f"{100 * p:g}", ha="right", va="center", fontsize=7)
        ax.plot([2, 2.03], [_logit(p)] * 2, color=OKABE_ITO[0], lw=0.8)
        ax.text(2.05, _logit(p), f"{100 * p:g}", ha="left", va="center", fontsize=7)
    for lr in lr_ticks:
        y = math.log(lr) / 2
        ax.plot([0.97, 1.03], [y, y], color=OKABE_ITO[0], lw=0.8)
        ax.text(1.05, y, f"{lr:g}", ha="left", va="center", fontsize=7)
    ax.text(0, lim + 0.5, "pre-test\nprobability (%)", ha="center", va="bottom", fontsize=9)
    ax.text(1, lim + 0.5, "likelihood\nratio", ha="center", va="bottom", fontsize=9)
    ax.text(2, lim + 0.5, "post-test\nprobability (%)", ha="center", va="bottom", fontsize=9)
    styles = [("-", OKABE_ITO[5]), ("--", OKABE_ITO[6]), (":", OKABE_ITO[3]), ("-.", OKABE_ITO[7])]
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


# --------------------------------------------------------------------------- dilution figure
def plot_dilution(pre_tests=(0.5, 0.8), figsize=(7, 4)):
    """Post-test probability after a negative block, against placement accuracy."""
    a = np.linspace(0.5, 1.0, 51)
    fig, ax = plt.subplots(figsize=figsize)
    styles = [("-", OKABE_ITO[5], "o"), ("--", OKABE_ITO[6], "s"), (":", OKABE_ITO[3], "^")]
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
    lm = 100 * I.FACTS["landmark_accuracy"].value
    ax.axvline(lm, color=OKABE_ITO[0], ls="-.", lw=1)
    ax.text(lm + 0.5, 2, "pooled landmark\naccuracy", fontsize=8, va="bottom")
    ax.set_xlim(50, 108)
    ax.set_ylim(0, 100)
    ax.set_xlabel("injections that reach the joint (%)")
    ax.set_ylabel("probability hip is the source\nafter NO relief (%)")
    ax.set_title("A negative block means less when placement is uncertain", fontsize=10)
    fig.tight_layout()
    return describe(fig, dilution_alt_text(pre_tests))


def dilution_alt_text(pre_tests=(0.5, 0.8)) -> str:
    parts = []
    for p in pre_tests:
        lo = 100 * I.post_test_after_block(p, False, I.FACTS["landmark_accuracy"].value)
        hi = 100 * I.post_test_after_block(p, False, 1.0)
        parts.append(
            f"pre-test {100 * p:.0f}%: {hi:.0f}% with every injection in the joint, {lo:.0f}% at the pooled "
            f"landmark accuracy of {100 * I.FACTS['landmark_accuracy'].value:.0f}%"
        )
    return (
        "Line chart: probability that the hip is the pain source after no relief (y) against the percentage of "
        "injections that reach the joint (x, 50-100%). Lines fall as accuracy rises. "
        + "; ".join(parts)
        + "."
    )


# --------------------------------------------------------------------------- widgets
def _diary_text(diary: I.PainDiary) -> str:
    return "\n".join(f"{I._fmt_minutes(r.minutes)}, {r.score:g}" for r in diary.readings)


class PainDiaryWidget(FullTextRepr, widgets.VBox):
    """Type or load a diary, choose anaesthetic and threshold, see the plot and the reading."""

    def __init__(self):
        self._diaries = I.load_synthetic_diaries()
        start = self._diaries["clear-responder"]["diary"]
        self.load = widgets.Dropdown(
            options=[("(type your own)", "")]
            + [(v["diary"].title, k) for k, v in self._diaries.items()],
            value="clear-responder",
            description="Load:",
            layout=widgets.Layout(width="460px"),
        )
        self.pre = widgets.Text(
            value=f"{start.pre_score:g}",
            description="Pain before:",
            layout=widgets.Layout(width="200px"),
        )
        self.drug = widgets.Dropdown(
            options=list(I.WINDOWS),
            value=start.anaesthetic,
            description="Anaesthetic:",
            style={"description_width": "initial"},
        )
        self.threshold = widgets.Dropdown(
            options=[(t.label, k) for k, t in I.THRESHOLDS.items()],
            value="gt50",
            description="Positive if:",
            layout=widgets.Layout(width="420px"),
        )
        self.text = widgets.Textarea(
            value=_diary_text(start),
            description="Readings:",
            placeholder="time, score  (e.g. 30 min, 2)",
            layout=widgets.Layout(width="320px", height="170px"),
        )
        self.button = widgets.Button(description="Analyse diary", button_style="primary")
        self.result = widgets.HTML(
            value=f"<i>{TEACHING_NOTE}</i> Press <b>Analyse diary</b>. One reading per line: "
            "time after injection (minutes, or with min/h/d/wk) and pain 0-10 during the activity."
        )
        self.out = widgets.Output()
        self.load.observe(self._on_load, names="value")
        self.button.on_click(self._analyse)
        super().__init__(
            [
                self.load,
                widgets.HBox([self.pre, self.drug]),
                self.threshold,
                self.text,
                self.button,
                self.result,
                self.out,
            ]
        )

    def __repr__(self):
        return f"PainDiaryWidget(diary={self.load.value or 'own'}, anaesthetic={self.drug.value}, threshold={self.threshold.value})"

    def _on_load(self, change):
        item = self._diaries.get(change["new"])
        if item:
            d = item["diary"]
            self.pre.value, self.drug.value, self.text.value = (
                f"{d.pre_score:g}",
                d.anaesthetic,
                _diary_text(d),
            )

    def _analyse(self, _=None):
        self.out.clear_output()
        try:
            diary = I.validate_diary(
                self.pre.value, I.parse_diary(self.text.value), self.drug.value
            )
        except I.DiaryError as err:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in err.problems)
            self.result.value = f"<b>Please fix the diary:</b><ul>{items}</ul>"
            return
        item = self._diaries.get(self.load.value)
        if item and _diary_text(item["diary"]) == self.text.value:
            d = item["diary"]
            diary = I.PainDiary(
                diary.pre_score,
                diary.readings,
                diary.anaesthetic,
                d.steroid,
                d.id,
                d.title,
                d.story,
                d.provoked,
            )
        s = I.summarise_diary(diary, self.threshold.value)
        self.result.value = (
            f"<pre>{html.escape(s.text())}</pre><b>Consider:</b> {_md(I.NEXT_STEPS[s.pattern])}"
            f"<br><i>{TEACHING_NOTE}</i>"
        )
        with self.out:
            plot_diary(diary, self.threshold.value)
            plt.show()


LR_PRESETS = {
    "response, pooled series (derived LR+)": lambda: I.likelihood_ratios(
        I.FACTS["meta_sensitivity"].value, I.FACTS["meta_specificity"].value
    )[0],
    "no response, pooled series (derived LR-)": lambda: I.likelihood_ratios(
        I.FACTS["meta_sensitivity"].value, I.FACTS["meta_specificity"].value
    )[1],
    "no response, landmark accuracy (diluted LR-)": lambda: I.diluted_likelihood_ratios(
        I.FACTS["meta_sensitivity"].value,
        I.FACTS["meta_specificity"].value,
        I.FACTS["landmark_accuracy"].value,
    )[1],
    "response → good FAIS surgery (LR+ 1.15)": lambda: I.FACTS["fai_lr_pos"].low,
    "response → good FAIS surgery (LR+ 1.92)": lambda: I.FACTS["fai_lr_pos"].high,
    "custom": None,
}


class FaganWidget(FullTextRepr, widgets.VBox):
    """Pre-test probability + likelihood ratio → post-test probability, with the nomogram."""

    def __init__(self, pre_test_percent: float = 50.0):
        self.pre = widgets.FloatSlider(
            value=pre_test_percent,
            min=1,
            max=99,
            step=1,
            description="Pre-test %:",
            continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
        self.preset = widgets.Dropdown(
            options=list(LR_PRESETS),
            value=next(iter(LR_PRESETS)),
            description="LR:",
            layout=widgets.Layout(width="460px"),
        )
        self.custom = widgets.Text(
            value="2", description="Custom LR:", layout=widgets.Layout(width="200px")
        )
        self.result = widgets.HTML(
            value=self._text(pre_test_percent / 100, LR_PRESETS[self.preset.value]())
        )
        self.out = widgets.Output()
        for w in (self.pre, self.preset, self.custom):
            w.observe(self._update, names="value")
        super().__init__(
            [self.pre, widgets.HBox([self.preset, self.custom]), self.result, self.out]
        )

    def __repr__(self):
        return f"FaganWidget(pre_test={self.pre.value:.0f}%, lr={self.preset.value!r})"

    def _lr(self):
        f = LR_PRESETS[self.preset.value]
        if f is not None:
            return f()
        lr = parse_number(self.custom.value, "custom LR", 0, 10_000)
        if lr in (0, 10_000):  # open range: an LR of 0 would turn any pre-test odds into certainty
            raise InputError(
                f"custom LR must be between 0 and 10000, not either end (e.g. 0.3 or 5); got {lr:g}"
            )
        return lr

    @staticmethod
    def _text(pre, lr):
        post = I.post_test_probability(pre, lr)
        return (
            f"Pre-test {100 * pre:.0f}% → odds {I.probability_to_odds(pre):.2f} × LR {lr:.3g} = "
            f"{I.probability_to_odds(pre) * lr:.3g} → post-test <b>{100 * post:.1f}%</b>. <i>{TEACHING_NOTE}</i>"
        )

    def _update(self, _=None):
        self.out.clear_output()
        try:
            lr = self._lr()
        except ValueError as err:
            self.result.value = f"<b>{html.escape(str(err))}</b>"
            return
        pre = self.pre.value / 100
        self.result.value = self._text(pre, lr)
        with self.out:
            plot_fagan(pre, {"this result": lr})
            plt.show()


class DiaryExercise(FullTextRepr, widgets.VBox):
    """Read a synthetic diary, name its pattern, get feedback and the plot."""

    def __init__(self):
        self._diaries = I.load_synthetic_diaries()
        self.pick = widgets.Dropdown(
            options=[(v["diary"].title, k) for k, v in self._diaries.items()],
            description="Patient:",
            layout=widgets.Layout(width="460px"),
        )
        self.story = widgets.HTML(value=self._story(self.pick.value))
        self.choice = widgets.RadioButtons(
            options=[(f"{k}: {v}", k) for k, v in I.PATTERNS.items()],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.check = widgets.Button(description="Check", button_style="primary")
        self.feedback = widgets.HTML(
            value="Choose the pattern that best fits, then press <b>Check</b>."
        )
        self.out = widgets.Output()
        self.pick.observe(self._on_pick, names="value")
        self.check.on_click(self._check)
        super().__init__([self.pick, self.story, self.choice, self.check, self.feedback, self.out])

    def __repr__(self):
        return f"DiaryExercise({len(self._diaries)} synthetic diaries; showing {self.pick.value})"

    def _story(self, key):
        item = self._diaries[key]
        d = item["diary"]
        rows = "".join(
            f"<tr><td>{I._fmt_minutes(r.minutes)}</td><td>{r.score:g}</td></tr>" for r in d.readings
        )
        return (
            f"<b>{html.escape(d.title)}</b><br>{html.escape(d.story)}<br>Anaesthetic: {d.anaesthetic}; "
            f"pain before: {d.pre_score:g}/10; threshold: {I.THRESHOLDS[item['threshold']].label}."
            f"<table><tr><th>time</th><th>pain</th></tr>{rows}</table>"
        )

    def _on_pick(self, change):
        self.story.value = self._story(change["new"])
        self.choice.value = None
        self.feedback.value = "Choose the pattern that best fits, then press <b>Check</b>."
        self.out.clear_output()

    def _check(self, _=None):
        item = self._diaries[self.pick.value]
        if self.choice.value is None:
            self.feedback.value = "Choose a pattern first."
            return
        right = self.choice.value == item["expected"]
        head = "Correct." if right else f"Not quite: this diary reads as <b>{item['expected']}</b>."
        self.feedback.value = (
            f"{head} {_md(item['feedback'])}<br><b>Next:</b> {_md(I.NEXT_STEPS[item['expected']])}"
        )
        self.out.clear_output()
        with self.out:
            plot_diary(item["diary"], item["threshold"])
            plt.show()


def evidence_table_html() -> str:
    """The evidence table as HTML with resolved citation labels."""
    rows = I.evidence_rows()
    head = "".join(f"<th style='text-align:left'>{html.escape(k)}</th>" for k in rows[0])
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='text-align:left'>{html.escape(replace_citations(v))}</td>"
            for v in r.values()
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


# --------------------------------------------------------------------------- notebook helpers


def print_threshold_demo(pre: float = 6, post: float = 3) -> None:
    """Print ``pre -> post`` as percent relief and point fall, then classify it under every published threshold.

    The printed pair is the one classified (an earlier version printed a fixed 8 -> 3 example
    above a 6 -> 3 classification, so the 50% being judged never appeared).
    """
    print(
        f"{pre:g} -> {post:g}: {I.percent_relief(pre, post):.1f}% relief, a fall of {pre - post:g} points"
    )
    for key, t in I.THRESHOLDS.items():
        verdict = "positive" if I.is_positive(pre, post, key) else "negative"
        print(f"{pre:g} -> {post:g} against '{t.label}' [{t.key}]: {verdict}")


def print_windows() -> None:
    """Print the anaesthetic windows the diary tools use, in minutes, with their sources."""
    for w in I.WINDOWS.values():
        print(
            f"{w.drug:12s} possible {w.onset_min:>4.0f}-{w.end_min:>4.0f} min, expected "
            f"{w.expected_from_min:.0f}-{w.expected_until_min:.0f} min  sources: {', '.join(w.keys)}"
        )


def bayes_demo_lrs() -> dict[str, float]:
    """LR+ and LR- from the pooled meta-analysis, and LR- when only the landmark share reaches the joint."""
    se, sp = I.FACTS["meta_sensitivity"].value, I.FACTS["meta_specificity"].value
    lr_pos, lr_neg = I.likelihood_ratios(se, sp)
    lr_neg_landmark = I.diluted_likelihood_ratios(se, sp, I.FACTS["landmark_accuracy"].value)[1]
    return {"response": lr_pos, "no response": lr_neg, "no response, landmark": lr_neg_landmark}


def show_bayes_demo(pre_test: float = 0.5):
    """Print the three likelihood ratios and draw them on a Fagan nomogram; returns the figure."""
    lrs = bayes_demo_lrs()
    landmark = I.FACTS["landmark_accuracy"].value
    print(
        f"LR+ {lrs['response']:.1f}, LR- {lrs['no response']:.3f}; LR- if only {landmark:.0%} of injections "
        f"reach the joint: {lrs['no response, landmark']:.2f}"
    )
    return plot_fagan(pre_test, lrs)


def bayes_demo_alt_text(pre_test: float = 0.5) -> str:
    return fagan_alt_text(pre_test, bayes_demo_lrs())


def next_steps_html() -> str:
    """The teaching summary of next steps, one list item per diary pattern."""
    return (
        "<ul>"
        + "".join(f"<li><b>{html.escape(k)}</b>: {_md(v)}</li>" for k, v in I.NEXT_STEPS.items())
        + "</ul>"
    )
