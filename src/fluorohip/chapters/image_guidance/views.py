"""Widgets for notebook 02 (why image guidance): the dose explorer across the fluoroscopy dose
levers, the staff-distance explorer, and the text read-outs of the accuracy section. Logic lives
in :mod:`.radiation` and :mod:`.accuracy`; these only wire controls to it and report, refusing
bad typed input with a message instead of a traceback.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from fluorohip.core.inputs import InputError, parse_number
from fluorohip.ui.palette import OKABE_ITO

from . import accuracy, radiation

TEACHING_NOTE = (
    "<b>Teaching, not dosing advice.</b> A relative model for reasoning about dose levers; "
    "it does not replace your department's physicist, protocols or dose records."
)


def _fmt_factor(x: float) -> str:
    return f"× {x:.2f}"


def _input_problem_html(err: InputError) -> str:
    """What a learner sees instead of a traceback when a typed number cannot be used."""
    colour = OKABE_ITO["vermillion"]
    return f"<p style='color:{colour}'><b>Check input:</b> {html.escape(str(err))}</p>"


def dose_report_html(settings: radiation.DoseSettings) -> str:
    """The dose explorer's read-out for one set of levers (pure function of the model)."""
    est = radiation.estimate_dose(settings)
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>{_fmt_factor(v)}</td></tr>"
        for k, v in est.factors.items()
    )
    lo, hi = (
        radiation.hip_radiograph_equivalents(est.illustrative_dap_ugym2())
        if est.relative_kap < 1e6
        else (0.0, 0.0)
    )
    dap_mean = radiation.FACTS["dap_mean_ugym2"]
    radiograph_key = radiation.FACTS["hip_radiograph_dap_mgycm2"].key
    return (
        f"<div>{TEACHING_NOTE}</div>"
        "<table><tr><th>Lever (vs reference)</th><th>Factor</th></tr>" + rows + "</table>"
        f"<p><b>Skin (entrance air kerma): {_fmt_factor(est.relative_air_kerma)}</b> &nbsp; "
        f"<b>Kerma–area product: {_fmt_factor(est.relative_kap)}</b></p>"
        f"<p>If the reference technique gave the published mean of "
        f"{dap_mean.value:g} µGy·m² ({dap_mean.key}), these settings would give about "
        f"{est.illustrative_dap_ugym2():.1f} µGy·m² = {radiation.ugym2_to_mgycm2(est.illustrative_dap_ugym2()):.0f} "
        f"mGy·cm², roughly {lo:.1f}–{hi:.1f} hip radiographs by DAP ({radiograph_key}). Patient size is not modelled: "
        "a larger patient makes the machine raise its output.</p>"
    )


class DoseExplorer:
    """Dose calculator across the levers: a VBox of controls plus an HTML read-out."""

    def __init__(self) -> None:
        ref = radiation.REFERENCE_SETTINGS
        style = {"description_width": "220px"}
        layout = widgets.Layout(width="520px")
        self.time = widgets.Text(
            value=f"{ref.screening_time_s:g}",
            description="Screening time (s, 0–600)",
            style=style,
            layout=layout,
        )
        self.pulse = widgets.Dropdown(
            options=[
                ("30 (continuous-like)", 30.0),
                ("15", 15.0),
                ("7.5", 7.5),
                ("3.75", 3.75),
                ("1", 1.0),
            ],
            value=ref.pulse_rate_pps,
            description="Pulse rate (pulses/s)",
            style=style,
            layout=layout,
        )
        self.field = widgets.FloatSlider(
            value=ref.field_diameter_cm,
            min=8,
            max=30,
            step=1,
            description="Field diameter (cm)",
            style=style,
            layout=layout,
        )
        self.mag = widgets.Dropdown(
            options=[("none (1.0×)", 1.0), ("1.5×", 1.5), ("2×", 2.0)],
            value=1.0,
            description="Electronic magnification",
            style=style,
            layout=layout,
        )
        self.lih = widgets.Checkbox(
            value=ref.last_image_hold, description="Use last-image hold", indent=False
        )
        self.ssd = widgets.FloatSlider(
            value=ref.source_to_skin_cm,
            min=30,
            max=90,
            step=5,
            description="Tube to skin (cm)",
            style=style,
            layout=layout,
        )
        self.sid = widgets.FloatSlider(
            value=ref.source_to_detector_cm,
            min=70,
            max=120,
            step=5,
            description="Tube to detector (cm)",
            style=style,
            layout=layout,
        )
        self.out = widgets.HTML(value=dose_report_html(ref))
        for w in (self.time, self.pulse, self.field, self.mag, self.lih, self.ssd, self.sid):
            w.observe(self._update, names="value")
        self.box = widgets.VBox(
            [
                widgets.HTML(
                    value="<b>Dose explorer</b> — reference: "
                    f"{ref.screening_time_s:g} s, {ref.pulse_rate_pps:g} pulses/s, "
                    f"{ref.field_diameter_cm:g} cm field, no magnification, "
                    f"no last-image hold, tube {ref.source_to_skin_cm:g} cm / "
                    f"detector {ref.source_to_detector_cm:g} cm"
                ),
                self.time,
                self.pulse,
                self.field,
                self.mag,
                self.lih,
                self.ssd,
                self.sid,
                self.out,
            ]
        )

    def settings(self) -> radiation.DoseSettings:
        t = parse_number(self.time.value, "Screening time", 0, 600, "s")
        return radiation.DoseSettings(
            screening_time_s=t,
            pulse_rate_pps=self.pulse.value,
            field_diameter_cm=self.field.value,
            magnification=self.mag.value,
            last_image_hold=self.lih.value,
            source_to_skin_cm=self.ssd.value,
            source_to_detector_cm=self.sid.value,
        )

    def _update(self, _change: object = None) -> None:
        try:
            self.out.value = dose_report_html(self.settings())
        except InputError as err:
            self.out.value = f"<div>{TEACHING_NOTE}</div>{_input_problem_html(err)}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.box._repr_mimebundle_(**kwargs) | {"text/plain": repr(self)}

    def __repr__(self) -> str:
        return (
            "DoseExplorer: 7 dose levers vs the reference technique (teaching, not dosing advice)"
        )


def dose_explorer() -> DoseExplorer:
    """The dose explorer, set to the reference technique."""
    return DoseExplorer()


def staff_report_html(distance_text: str, reference_m: float = 1.0) -> str:
    """The staff-distance read-out for a typed distance (a message, not a traceback, if bad)."""
    try:
        d = parse_number(distance_text, "Distance from the patient", 0.3, 10, "m")
    except InputError as err:
        return _input_problem_html(err)
    rel = radiation.relative_staff_exposure(d, reference_m)
    return (
        f"<p>At <b>{d:g} m</b> the scatter reaching you is <b>{rel * 100:.0f}%</b> of what it is at "
        f"{reference_m:g} m (inverse square, point-source approximation, no shielding). "
        "Stand on the detector side, away from the tube side, where scatter is strongest (Park2022).</p>"
        f"<p><i>Teaching, not dosing advice.</i></p>"
    )


class StaffDistanceExplorer:
    """Type a distance; see relative scatter exposure (inverse square)."""

    def __init__(self) -> None:
        self.distance = widgets.Text(
            value="1",
            description="Distance from patient (m, 0.3–10)",
            style={"description_width": "230px"},
            layout=widgets.Layout(width="420px"),
        )
        self.out = widgets.HTML(value=staff_report_html("1"))
        self.distance.observe(
            lambda _c: setattr(self.out, "value", staff_report_html(self.distance.value)),
            names="value",
        )
        self.box = widgets.VBox([self.distance, self.out])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.box._repr_mimebundle_(**kwargs) | {"text/plain": repr(self)}

    def __repr__(self) -> str:
        return "StaffDistanceExplorer: relative scatter exposure by distance (inverse square; teaching only)"


def staff_distance_explorer() -> StaffDistanceExplorer:
    """The staff-distance explorer, starting at 1 m."""
    return StaffDistanceExplorer()


def study_intervals_text(confidence: float = 0.95) -> str:
    """One line per published series: its count and both intervals computed from it."""
    lines = []
    for s in accuracy.STUDIES:
        lo, hi = s.wilson(confidence)
        elo, ehi = s.exact(confidence)
        lines.append(
            f"{s.label:<50} {s.successes:>3}/{s.n:<3}  "
            f"Wilson {lo:.0%}-{hi:.0%}  exact {elo:.0%}-{ehi:.0%}"
        )
    return "\n".join(lines)


def scenario_sensitivity_text() -> str:
    """For each placement scenario: the observed Se, Sp and LR− of the cited reference block."""
    se, sp = accuracy.reference_block()
    lines = []
    for name, acc in accuracy.scenario_accuracies().items():
        perf = accuracy.observed_block_performance(acc, se, sp)
        lines.append(
            f"{name:<12} accuracy {acc:.0%}: observed Se {perf.sensitivity:.1%}, "
            f"Sp {perf.specificity:.0%}, LR- {perf.lr_negative:.2f}"
        )
    return "\n".join(lines)
