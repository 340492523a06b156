"""What notebook 03 (injectates) shows: worked answers, the maxima table, the dose checker and
the volume planner, and the chapter's figures displayed with their descriptions.

Nothing clinical is computed here: doses, maxima and zones come from the model modules
(:mod:`.dose_check`, :mod:`.volume` ...). Teaching, not dosing advice: the dose checker says so
in the widget itself, and every calculator answer says so when shown.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from fluorohip.core.inputs import InputError
from fluorohip.ui.figures import show_figure
from fluorohip.ui.palette import OKABE_ITO
from fluorohip.ui.text import FullTextRepr

from . import figures
from .body_size import SEXES
from .dose_check import DoseCheck, check_dose
from .facts import FACTS, single_value
from .local_anaesthetics import LOCAL_ANAESTHETICS, mg_from_percent, ml_for_mg
from .steroids import equivalent_dose_mg
from .volume import VolumeCheck, volume_check

__all__ = [
    "TEACHING_NOTE",
    "DoseChecker",
    "VolumePlanner",
    "Worked",
    "equivalent_mg",
    "maxima_table",
    "maxima_table_html",
    "mg_in",
    "ml_holding",
    "show_time_course",
    "show_volume",
]

WHOLE_LABEL = {"description_width": "initial"}  # labels with units are never cut ("strength (…")

TEACHING_NOTE = (
    "Teaching, not dosing advice. Maxima here are label or teaching figures for reasoning "
    "about margins; they do not replace the product label, local protocol or your supervisor."
)


class Worked(float):
    """A calculator answer that says what it is when shown: arithmetic for teaching, not a dose.

    A float (so it still compares and computes) whose notebook display carries the unit and
    the teaching note; nbval compares that text.
    """

    unit: str

    def __new__(cls, value: float, unit: str) -> Worked:
        obj = super().__new__(cls, value)
        obj.unit = unit
        return obj

    def __repr__(self) -> str:
        return f"{float(self):g} {self.unit} (arithmetic for teaching, not dosing advice)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def mg_in(concentration_percent: object, volume_ml: object) -> Worked:
    """mg in a volume of a percent solution, shown with its unit and the teaching note."""
    return Worked(
        mg_from_percent(concentration_percent=concentration_percent, volume_ml=volume_ml), "mg"
    )


def ml_holding(dose_mg: object, concentration_percent: object) -> Worked:
    """mL of a percent solution that hold ``dose_mg``, shown with its unit and the teaching note."""
    return Worked(ml_for_mg(dose_mg=dose_mg, concentration_percent=concentration_percent), "mL")


def equivalent_mg(dose_mg: object, from_steroid: str, to_steroid: str) -> Worked:
    """Anti-inflammatory equivalent dose, shown with its unit and the teaching note."""
    return Worked(equivalent_dose_mg(dose_mg, from_steroid, to_steroid), f"mg of {to_steroid}")


def show_time_course() -> None:
    """Display the time-course figure once, with its description as caption and alt text."""
    show_figure(figures.time_course_figure())


def show_volume(
    contrast_ml: object = 2, anaesthetic_ml: object = 4, steroid_ml: object = 1
) -> None:
    """Display the volume-against-capacity figure once, with its description."""
    show_figure(figures.volume_figure(contrast_ml, anaesthetic_ml, steroid_ml))


def maxima_table_html() -> str:
    """HTML table of the maxima: per kg, single-dose ceiling and per-24-h cap kept apart, with source and strength."""
    rows = []
    for name, la in LOCAL_ANAESTHETICS.items():
        daily = FACTS[la.daily_cap] if la.daily_cap else None
        for label, per_kg_key, cap_key in (
            ("plain", la.max_plain, la.cap_plain),
            ("with adrenaline", la.max_adrenaline, la.cap_adrenaline),
        ):
            if per_kg_key is None:
                cap = FACTS[cap_key] if cap_key else None
                single = (
                    html.escape(f"{single_value(cap):g} {cap.unit}") if cap is not None else "-"
                )
                rows.append(
                    f"<tr><td>{name}</td><td>{label}</td><td>no separate figure used</td>"
                    f"<td>{single} (as plain)</td><td>-</td>"
                    f"<td>{html.escape(figures.short_labels(cap.keys)) if cap else ''}</td></tr>"
                )
                continue
            f = FACTS[per_kg_key]
            cap = FACTS[cap_key] if cap_key else None
            keys = (
                list(f.keys) + (list(cap.keys) if cap else []) + (list(daily.keys) if daily else [])
            )
            strength = "per kg: weak, teaching value" if f.weak else "per kg: label"
            if cap is not None:
                strength += "; single-dose ceiling: label"
            if daily is not None:
                strength += "; 24-h cap: label"
            single = html.escape(f"{single_value(cap):g} {cap.unit}") if cap is not None else "-"
            per_day = (
                html.escape(f"{single_value(daily):g} {daily.unit}") if daily is not None else "-"
            )
            rows.append(
                f"<tr><td>{name}</td><td>{label}</td><td>{html.escape(f.text(1, dash='-'))}</td>"
                f"<td>{single}</td><td>{per_day}</td>"
                f"<td>{html.escape(figures.short_labels(keys))} ({strength})</td></tr>"
            )
    lean = FACTS["lean_weight_upper_kg"]
    return (
        "<table><thead><tr><th>agent</th><th>solution</th><th>per kg (lean body weight)</th>"
        "<th>single-dose ceiling</th><th>cap per 24 h</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        "<p><small>The maximum is the per-kg figure times the dosing weight, never above the single-dose "
        "ceiling. In obesity the dosing weight is lean body weight, not total weight ("
        + html.escape(figures.short_labels(("Nightingale2015", "Janmahasatian2005")))
        + f"); without a height the checker uses at most {single_value(lean):g} kg. Maxima vary between countries "
        "and labels; none is an evidence-based threshold.</small></p>"
    )


def dose_html(check: DoseCheck | None, error: str | None) -> str:
    """The dose checker's answer: the teaching note first, then the dose, bar and reasons."""
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
        f"<div style='width:320px;border:1px solid {OKABE_ITO['black']};height:14px'>"
        f"<div style='width:{width:.0f}%;height:14px;background:{colour}'></div></div>"
    )
    flags = "".join(
        f"<p style='border-left:4px solid {OKABE_ITO['orange']};padding-left:6px'>"
        f"<b>Check the weight:</b> {html.escape(f)}</p>"
        for f in check.flags
    )
    lines = "".join(f"<li>{html.escape(s)}</li>" for s in check.lines())
    sources = html.escape(figures.short_labels(check.maximum.keys))
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
            options=list(LOCAL_ANAESTHETICS),
            value=agent,
            description="agent",
            style=WHOLE_LABEL,
        )
        self.weight = widgets.Text(
            value=str(weight_kg), description="weight (kg)", style=WHOLE_LABEL
        )
        self.concentration = widgets.Text(
            value=str(concentration_percent), description="strength (%)", style=WHOLE_LABEL
        )
        self.volume = widgets.Text(
            value=str(volume_ml), description="volume (mL)", style=WHOLE_LABEL
        )
        self.adrenaline = widgets.Checkbox(value=adrenaline, description="with adrenaline")
        self.height = widgets.Text(
            value=str(height_cm),
            description="height (cm)",
            style=WHOLE_LABEL,
            placeholder="optional: for lean body weight",
        )
        self.sex = widgets.Dropdown(
            options=["not given", *SEXES], value=sex, description="sex", style=WHOLE_LABEL
        )
        self.result = widgets.HTML(value="")
        self.check: DoseCheck | None = None
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

    def _update(self, change: object = None) -> None:
        try:
            sex = None if self.sex.value == "not given" else self.sex.value
            self.check = check_dose(
                self.agent.value,
                self.weight.value,
                self.concentration.value,
                self.volume.value,
                bool(self.adrenaline.value),
                height_cm=self.height.value.strip() or None,
                sex=sex,
            )
            self.error = None
        except InputError as exc:
            self.check, self.error = None, str(exc)
        self.result.value = dose_html(self.check, self.error)

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
            value=f"{contrast_ml:g}", description="contrast (mL)", style=WHOLE_LABEL
        )
        self.anaesthetic = widgets.Text(
            value=f"{anaesthetic_ml:g}", description="anaesthetic (mL)", style=WHOLE_LABEL
        )
        self.steroid = widgets.Text(
            value=f"{steroid_ml:g}", description="steroid (mL)", style=WHOLE_LABEL
        )
        self.result = widgets.HTML(value="")
        self.check: VolumeCheck | None = None
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

    def _update(self, change: object = None) -> None:
        try:
            self.check = volume_check(
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
                f"{html.escape(figures.short_labels(['HipCapacity1981', 'CapsulePressure2009']))}"
                "</small></p>"
            )
        except InputError as exc:
            self.check, self.error = None, str(exc)
            self.result.value = f"<p><b>Cannot check:</b> {html.escape(str(exc))}</p>"

    def __repr__(self) -> str:
        if self.check is None:
            return f"VolumePlanner: cannot check ({self.error})"
        return f"VolumePlanner: total {self.check.total_ml:g} mL ({self.check.zone})"


def maxima_table() -> Any:
    """The maxima table as a displayable HTML object (IPython's ``HTML``)."""
    from IPython.display import HTML

    return HTML(maxima_table_html())
