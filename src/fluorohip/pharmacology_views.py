"""Figures and widgets for notebook 03 (injectates). All numbers come from
:mod:`fluorohip.pharmacology`; nothing clinical is computed here.

Teaching, not dosing advice: the dose checker says so in the widget itself.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from . import pharmacology as ph
from .core.bibliography import load_bibliography
from .ui.figures import describe, show_figure
from .ui.text import FullTextRepr

_WHOLE_LABEL = {"description_width": "initial"}  # labels with units are never cut ("strength (…")

#: Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
AGENT_COLOURS = {
    "lidocaine": OKABE_ITO["sky"],
    "bupivacaine": OKABE_ITO["blue"],
    "ropivacaine": OKABE_ITO["green"],
    "corticosteroid": OKABE_ITO["vermillion"],
}
HATCHES = {"lidocaine": "//", "bupivacaine": "\\\\", "ropivacaine": "xx", "corticosteroid": ".."}

TEACHING_NOTE = (
    "Teaching, not dosing advice. Maxima here are label or teaching figures for reasoning "
    "about margins; they do not replace the product label, local protocol or your supervisor."
)


class Worked(float):
    """A calculator answer that says what it is when shown: arithmetic for teaching, not a dose.

    A float (so it still compares and computes) whose notebook display carries the unit and
    the teaching note; nbval compares that text.
    """

    def __new__(cls, value: float, unit: str):
        obj = super().__new__(cls, value)
        obj.unit = unit
        return obj

    def __repr__(self) -> str:
        return f"{float(self):g} {self.unit} (arithmetic for teaching, not dosing advice)"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def mg_in(concentration_percent: float, volume_ml: float) -> Worked:
    """mg in a volume of a percent solution, shown with its unit and the teaching note."""
    return Worked(
        ph.mg_from_percent(concentration_percent=concentration_percent, volume_ml=volume_ml), "mg"
    )


def ml_holding(dose_mg: float, concentration_percent: float) -> Worked:
    """mL of a percent solution that hold ``dose_mg``, shown with its unit and the teaching note."""
    return Worked(ph.ml_for_mg(dose_mg=dose_mg, concentration_percent=concentration_percent), "mL")


def equivalent_mg(dose_mg: float, from_steroid: str, to_steroid: str) -> Worked:
    """Anti-inflammatory equivalent dose, shown with its unit and the teaching note."""
    return Worked(ph.equivalent_dose_mg(dose_mg, from_steroid, to_steroid), f"mg of {to_steroid}")


def short_labels(keys) -> str:
    """'Author et al. 2016; FDA label ...' for a list of citation keys."""
    bib = load_bibliography()
    seen = dict.fromkeys(keys)
    return "; ".join(bib[k]["short"] if k in bib else k for k in seen)


def _fmt_hours(h: float) -> str:
    if h < 1:
        return f"{h * 60:.0f} min"
    if h < 24:
        return f"{h:g} h"
    days = h / ph.HOURS_PER_DAY
    if days < 28:
        return f"{days:.0f} day" + ("" if round(days) == 1 else "s")
    return f"{days / 7:.0f} weeks"


# --------------------------------------------------------------------------------------
# Time-course figure
# --------------------------------------------------------------------------------------

_TICKS_H = [1 / 60, 15 / 60, 1, 6, 24, 7 * 24, 30 * 24, 91 * 24]
_TICK_LABELS = ["1 min", "15 min", "1 h", "6 h", "1 day", "1 week", "1 month", "3 months"]


def time_course_figure() -> Figure:
    """Bands of possible (light, hatched) and expected (solid) effect for each agent, log time.

    The black bracket under each bar is the window in which to assess pain for that agent.
    """
    fig, ax = plt.subplots(figsize=(10, 4.8))
    courses = [ph.time_course(a) for a in ph.TIME_COURSE_AGENTS]
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
            f"assess {_fmt_hours(a_lo)}-{_fmt_hours(a_hi)}",
            va="center",
            fontsize=8,
        )
        ax.text(
            on_lo,
            y + 0.3,
            f"onset {_fmt_hours(on_lo)}-{_fmt_hours(on_hi)}; ends {_fmt_hours(end_lo)}-{_fmt_hours(end_hi)}"
            + (" (weakly sourced)" if tc.weak else ""),
            va="bottom",
            fontsize=8,
        )
        keys += list(tc.keys)
    ax.set_xscale("log")
    ax.set_xlim(1 / 60, 24 * 365)
    ax.set_xticks(_TICKS_H)
    ax.set_xticklabels(_TICK_LABELS)
    ax.set_yticks(range(len(courses)))
    ax.set_yticklabels([tc.agent for tc in reversed(courses)])
    ax.set_ylim(-0.8, len(courses) - 0.2)
    ax.set_xlabel("time after injection (log scale)")
    ax.set_title(
        "Expected effect: light hatched = possible, solid = expected, bracket = when to assess",
        fontsize=10,
    )
    ax.grid(axis="x", color="#cccccc", linewidth=0.5)
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
    parts = []
    for a in ph.TIME_COURSE_AGENTS:
        tc = ph.time_course(a)
        parts.append(
            f"{a}: effect may begin {_fmt_hours(tc.onset_h[0])} to {_fmt_hours(tc.onset_h[1])} after injection "
            f"and wears off between {_fmt_hours(tc.end_h[0])} and {_fmt_hours(tc.end_h[1])}; "
            f"assess pain between {_fmt_hours(tc.assess_h[0])} and {_fmt_hours(tc.assess_h[1])}"
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

_VOLUME_COLOURS = {
    "contrast": OKABE_ITO["yellow"],
    "local anaesthetic": OKABE_ITO["blue"],
    "corticosteroid": OKABE_ITO["vermillion"],
}
_VOLUME_HATCH = {"contrast": "..", "local anaesthetic": "//", "corticosteroid": "xx"}


def volume_figure(
    contrast_ml: float = 2, anaesthetic_ml: float = 4, steroid_ml: float = 1
) -> Figure:
    """Stacked bar of the planned volume against the low-pressure line and normal capacity band."""
    check = ph.volume_check(contrast_ml, anaesthetic_ml, steroid_ml)
    low_p, cap = ph.FACTS["low_pressure_volume_ml"], ph.FACTS["capacity_ml"]
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
    ax.axvline(low_p.value, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2)
    ax.text(
        low_p.value,
        0.93,
        f" pressure low up to\n about {low_p.value:g} mL",
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
            color=_VOLUME_COLOURS[name],
            hatch=_VOLUME_HATCH[name],
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
    contrast_ml: float = 2, anaesthetic_ml: float = 4, steroid_ml: float = 1
) -> str:
    check = ph.volume_check(contrast_ml, anaesthetic_ml, steroid_ml)
    parts = ", ".join(f"{n} {ml:g} mL" for n, ml in check.components_ml.items())
    return (
        f"Figure: one horizontal stacked bar ({parts}; total {check.total_ml:g} mL) on a volume axis, "
        f"with a dashed line at {ph.FACTS['low_pressure_volume_ml'].value:g} mL where capsular pressure "
        f"starts to rise and a shaded band at {ph.FACTS['capacity_ml'].text(dash='-')} for normal capacity. "
        + check.message()
    )


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------


def maxima_table_html() -> str:
    """HTML table of the maxima: per kg, single-dose ceiling and per-24-h cap kept apart, with source and strength."""
    rows = []
    for name, la in ph.LOCAL_ANAESTHETICS.items():
        daily = ph.FACTS[la.daily_cap] if la.daily_cap else None
        for label, per_kg_key, cap_key in (
            ("plain", la.max_plain, la.cap_plain),
            ("with adrenaline", la.max_adrenaline, la.cap_adrenaline),
        ):
            if per_kg_key is None:
                cap = ph.FACTS[cap_key] if cap_key else None
                single = html.escape(f"{cap.value:g} {cap.unit}") if cap is not None else "-"
                rows.append(
                    f"<tr><td>{name}</td><td>{label}</td><td>no separate figure used</td>"
                    f"<td>{single} (as plain)</td><td>-</td>"
                    f"<td>{html.escape(short_labels(cap.keys)) if cap else ''}</td></tr>"
                )
                continue
            f = ph.FACTS[per_kg_key]
            cap = ph.FACTS[cap_key] if cap_key else None
            keys = (
                list(f.keys) + (list(cap.keys) if cap else []) + (list(daily.keys) if daily else [])
            )
            strength = "per kg: weak, teaching value" if f.weak else "per kg: label"
            if cap is not None:
                strength += "; single-dose ceiling: label"
            if daily is not None:
                strength += "; 24-h cap: label"
            single = html.escape(f"{cap.value:g} {cap.unit}") if cap is not None else "-"
            per_day = html.escape(f"{daily.value:g} {daily.unit}") if daily is not None else "-"
            rows.append(
                f"<tr><td>{name}</td><td>{label}</td><td>{html.escape(f.text(1, dash='-'))}</td>"
                f"<td>{single}</td><td>{per_day}</td>"
                f"<td>{html.escape(short_labels(keys))} ({strength})</td></tr>"
            )
    lean = ph.FACTS["lean_weight_upper_kg"]
    return (
        "<table><thead><tr><th>agent</th><th>solution</th><th>per kg (lean body weight)</th>"
        "<th>single-dose ceiling</th><th>cap per 24 h</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        "<p><small>The maximum is the per-kg figure times the dosing weight, never above the single-dose "
        "ceiling. In obesity the dosing weight is lean body weight, not total weight ("
        + html.escape(short_labels(("Nightingale2015", "Janmahasatian2005")))
        + f"); without a height the checker uses at most {lean.value:g} kg. Maxima vary between countries "
        "and labels; none is an evidence-based threshold.</small></p>"
    )


# --------------------------------------------------------------------------------------
# Widgets
# --------------------------------------------------------------------------------------


def _dose_html(check: ph.DoseCheck | None, error: str | None) -> str:
    note = (
        f"<p style='border-left:4px solid {OKABE_ITO['vermillion']};padding-left:6px'>"
        f"<b>{html.escape(TEACHING_NOTE)}</b></p>"
    )
    if error is not None:
        return note + f"<p><b>Cannot check:</b> {html.escape(error)}</p>"
    assert check is not None
    pct = check.percent_of_max
    width = min(pct, 100.0)
    colour = OKABE_ITO["vermillion"] if check.over_max else OKABE_ITO["blue"]
    bar = (
        f"<div style='width:320px;border:1px solid #000;height:14px'>"
        f"<div style='width:{width:.0f}%;height:14px;background:{colour}'></div></div>"
    )
    flags = "".join(
        f"<p style='border-left:4px solid {OKABE_ITO['orange']};padding-left:6px'>"
        f"<b>Check the weight:</b> {html.escape(f)}</p>"
        for f in check.flags
    )
    lines = "".join(f"<li>{html.escape(s)}</li>" for s in check.lines())
    sources = html.escape(short_labels(check.maximum.keys))
    over = " - ABOVE it" if check.over_max else ""
    return (
        note + flags + f"<p><b>{check.dose_mg:.1f} mg = {pct:.0f}% of the {check.maximum.kind} "
        f"({check.maximum.mg:.0f} mg){over}</b></p>{bar}"
        f"<ul>{lines}</ul><p><small>Sources: {sources}</small></p>"
    )


class DoseChecker(FullTextRepr, widgets.VBox):
    """Weight, agent, concentration and volume in; mg and % of the label or teaching maximum out."""

    def __init__(
        self,
        agent: str = "lidocaine",
        weight_kg: str = "70",
        concentration_percent: str = "1",
        volume_ml: str = "4",
        adrenaline: bool = False,
        height_cm: str = "",
        sex: str = "not given",
    ):
        self.agent = widgets.Dropdown(
            options=list(ph.LOCAL_ANAESTHETICS),
            value=agent,
            description="agent",
            style=_WHOLE_LABEL,
        )
        self.weight = widgets.Text(
            value=str(weight_kg), description="weight (kg)", style=_WHOLE_LABEL
        )
        self.concentration = widgets.Text(
            value=str(concentration_percent), description="strength (%)", style=_WHOLE_LABEL
        )
        self.volume = widgets.Text(
            value=str(volume_ml), description="volume (mL)", style=_WHOLE_LABEL
        )
        self.adrenaline = widgets.Checkbox(value=adrenaline, description="with adrenaline")
        self.height = widgets.Text(
            value=str(height_cm),
            description="height (cm)",
            style=_WHOLE_LABEL,
            placeholder="optional: for lean body weight",
        )
        self.sex = widgets.Dropdown(
            options=["not given", *ph.SEXES], value=sex, description="sex", style=_WHOLE_LABEL
        )
        self.result = widgets.HTML(value="")
        self.check: ph.DoseCheck | None = None
        self.error: str | None = None
        super().__init__(
            [
                widgets.HTML(value="<b>Local anaesthetic dose checker</b>"),
                self.agent,
                self.weight,
                self.height,
                self.sex,
                self.concentration,
                self.volume,
                self.adrenaline,
                self.result,
            ]
        )
        for w in (
            self.agent,
            self.weight,
            self.height,
            self.sex,
            self.concentration,
            self.volume,
            self.adrenaline,
        ):
            w.observe(self._update, names="value")
        self._update()

    def _update(self, change=None) -> None:
        try:
            sex = None if self.sex.value == "not given" else self.sex.value
            self.check = ph.check_dose(
                self.agent.value,
                self.weight.value,
                self.concentration.value,
                self.volume.value,
                bool(self.adrenaline.value),
                height_cm=self.height.value.strip() or None,
                sex=sex,
            )
            self.error = None
        except ph.InputError as exc:
            self.check, self.error = None, str(exc)
        self.result.value = _dose_html(self.check, self.error)

    def __repr__(self) -> str:
        if self.check is None:
            return f"DoseChecker: cannot check ({self.error})"
        c = self.check
        adr = "with adrenaline" if c.adrenaline else "plain"
        over = " - ABOVE it" if c.over_max else ""
        flags = "".join(f" Check the weight: {f}" for f in c.flags)
        return (
            f"DoseChecker({c.agent}, {c.weight_kg:g} kg, {c.concentration_percent:g}%, {c.volume_ml:g} mL, "
            f"{adr}): {c.dose_mg:.1f} mg = {c.percent_of_max:.0f}% of the {c.maximum.kind} "
            f"({c.maximum.mg:.0f} mg){over}.{flags} Teaching, not dosing advice."
        )


class VolumePlanner(FullTextRepr, widgets.VBox):
    """Three volumes in; total, zone against capacity and drug share out (text, no figure)."""

    def __init__(self, contrast_ml: float = 2, anaesthetic_ml: float = 4, steroid_ml: float = 1):
        self.contrast = widgets.Text(
            value=f"{contrast_ml:g}", description="contrast (mL)", style=_WHOLE_LABEL
        )
        self.anaesthetic = widgets.Text(
            value=f"{anaesthetic_ml:g}", description="anaesthetic (mL)", style=_WHOLE_LABEL
        )
        self.steroid = widgets.Text(
            value=f"{steroid_ml:g}", description="steroid (mL)", style=_WHOLE_LABEL
        )
        self.result = widgets.HTML(value="")
        self.check: ph.VolumeCheck | None = None
        self.error: str | None = None
        super().__init__(
            [
                widgets.HTML(value="<b>Total volume vs joint capacity</b>"),
                self.contrast,
                self.anaesthetic,
                self.steroid,
                self.result,
            ]
        )
        for w in (self.contrast, self.anaesthetic, self.steroid):
            w.observe(self._update, names="value")
        self._update()

    def _update(self, change=None) -> None:
        try:
            self.check = ph.volume_check(
                self.contrast.value, self.anaesthetic.value, self.steroid.value
            )
            self.error = None
            c = self.check
            drug = 1 - c.fraction("contrast")
            self.result.value = (
                f"<p><b>{c.total_ml:g} mL - {html.escape(c.zone)}.</b> "
                f"{html.escape(c.message())}</p><p>Contrast makes up "
                f"{100 * c.fraction('contrast'):.0f}% of the injectate; the drugs "
                f"{100 * drug:.0f}%.</p><p><small>Sources: "
                f"{html.escape(short_labels(['HipCapacity1981', 'CapsulePressure2009']))}"
                "</small></p>"
            )
        except ph.InputError as exc:
            self.check, self.error = None, str(exc)
            self.result.value = f"<p><b>Cannot check:</b> {html.escape(str(exc))}</p>"

    def __repr__(self) -> str:
        if self.check is None:
            return f"VolumePlanner: cannot check ({self.error})"
        return f"VolumePlanner: total {self.check.total_ml:g} mL ({self.check.zone})"


def show(fig, description: str | None = None) -> None:
    """Display a figure once with its alt text and description (figure_display) and close it."""
    show_figure(fig, description)


def alt(text: str):
    """A description shown in italics as its own output. Figures carry theirs already (shown as
    their caption); kept for text that describes something other than a figure."""
    from IPython.display import Markdown

    return Markdown(f"*{text}*")


def maxima_table():
    """The maxima table as a displayable HTML object."""
    from IPython.display import HTML

    return HTML(maxima_table_html())
