"""Widgets and notebook helpers for chapter 06. All clinical logic lives in the model
(:mod:`.model`); figures in :mod:`.figures`.

Widgets are plain ipywidgets wired with ``observe``/``on_click``; they write to their
``Output`` only inside callbacks, and have a stable ``__repr__`` for nbval.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from fluorohip.core.bibliography import replace_citations
from fluorohip.core.inputs import InputError, parse_number
from fluorohip.ui.text import FullTextRepr

from . import model as I
from .figures import (
    diary_alt_text,
    dilution_alt_text,
    fagan_alt_text,
    plot_diary,
    plot_dilution,
    plot_fagan,
)

__all__ = [
    "LR_PRESETS",
    "TEACHING_NOTE",
    "DiaryExercise",
    "FaganWidget",
    "PainDiaryWidget",
    "bayes_demo_lrs",
    "diary_alt_text",
    "dilution_alt_text",
    "evidence_table_html",
    "fagan_alt_text",
    "next_steps_html",
    "plot_diary",
    "plot_dilution",
    "plot_fagan",
    "print_threshold_demo",
    "print_windows",
    "show_bayes_demo",
]

TEACHING_NOTE = "Teaching, not clinical advice: synthetic patients, illustrative numbers."


def _md(text: str) -> str:
    """Markdown-ish text with [@Key] citations → safe HTML."""
    return html.escape(replace_citations(text)).replace("\n", "<br>")


def _diary_text(diary: I.PainDiary) -> str:
    return "\n".join(f"{I.format_minutes(r.minutes)}, {r.score:g}" for r in diary.readings)


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


#: The published range of LR+ for a good result of FAIS surgery after a response.
_FAI_LR_POS = I.FACTS["fai_lr_pos"].range
#: Likelihood ratios the Fagan widget offers; ``None`` means "type your own".
LR_PRESETS: dict[str, Callable[[], float] | None] = {
    "response, pooled series (derived LR+)": lambda: I.likelihood_ratios(
        I.fact_value("meta_sensitivity"), I.fact_value("meta_specificity")
    )[0],
    "no response, pooled series (derived LR-)": lambda: I.likelihood_ratios(
        I.fact_value("meta_sensitivity"), I.fact_value("meta_specificity")
    )[1],
    "no response, landmark accuracy (diluted LR-)": lambda: I.diluted_likelihood_ratios(
        I.fact_value("meta_sensitivity"),
        I.fact_value("meta_specificity"),
        I.fact_value("landmark_accuracy"),
    )[1],
    f"response → good FAIS surgery (LR+ {_FAI_LR_POS[0]:g})": lambda: _FAI_LR_POS[0],
    f"response → good FAIS surgery (LR+ {_FAI_LR_POS[1]:g})": lambda: _FAI_LR_POS[1],
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
        self.result = widgets.HTML(value=self._text(pre_test_percent / 100, self._lr()))
        self.out = widgets.Output()
        for w in (self.pre, self.preset, self.custom):
            w.observe(self._update, names="value")
        super().__init__(
            [self.pre, widgets.HBox([self.preset, self.custom]), self.result, self.out]
        )

    def __repr__(self):
        return f"FaganWidget(pre_test={self.pre.value:.0f}%, lr={self.preset.value!r})"

    def _lr(self) -> float:
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
            f"<tr><td>{I.format_minutes(r.minutes)}</td><td>{r.score:g}</td></tr>"
            for r in d.readings
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
    se, sp = I.fact_value("meta_sensitivity"), I.fact_value("meta_specificity")
    lr_pos, lr_neg = I.likelihood_ratios(se, sp)
    lr_neg_landmark = I.diluted_likelihood_ratios(se, sp, I.fact_value("landmark_accuracy"))[1]
    return {"response": lr_pos, "no response": lr_neg, "no response, landmark": lr_neg_landmark}


def show_bayes_demo(pre_test: float = 0.5) -> Figure:
    """Print the three likelihood ratios and draw them on a Fagan nomogram; returns the figure."""
    lrs = bayes_demo_lrs()
    landmark = I.fact_value("landmark_accuracy")
    print(
        f"LR+ {lrs['response']:.1f}, LR- {lrs['no response']:.3f}; LR- if only {landmark:.0%} of injections "
        f"reach the joint: {lrs['no response, landmark']:.2f}"
    )
    return plot_fagan(pre_test, lrs)


def next_steps_html() -> str:
    """The teaching summary of next steps, one list item per diary pattern."""
    return (
        "<ul>"
        + "".join(f"<li><b>{html.escape(k)}</b>: {_md(v)}</li>" for k, v in I.NEXT_STEPS.items())
        + "</ul>"
    )
