"""Widgets for notebook 01: layer toggles, the label-the-structure exercise, the depth explorer,
and the chapter's table of cited numbers.

Views only: facts, the depth model and grading come from :mod:`.model` and :mod:`.structures`,
drawings from :mod:`.figures`. Figures are shown as PNG bytes in an ``Image`` widget set at
construction, so nothing prints while a notebook cell runs; callbacks only update values.
"""

from __future__ import annotations

import html
import io
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import HTML
from matplotlib.figure import Figure

from fluorohip.core.bibliography import short_label
from fluorohip.core.inputs import InputError, parse_number
from fluorohip.ui.figures import short_alt
from fluorohip.ui.images import DescribedImage
from fluorohip.ui.palette import OKABE_ITO
from fluorohip.ui.text import FullTextRepr

from . import figures as F
from .model import (
    DEPTH_LIMITS_MM,
    FACTS,
    NEEDLE_MARGIN_MM,
    average_path_mm,
    depth_for_extra_fat_mm,
    fact,
    needle_checks,
    needle_path_mm,
    needle_to_choose,
)
from .structures import AP_LETTERS, CORONAL_LAYERS, STRUCTURE_NAMES, LabelAttempt


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()


def _alt(text: str) -> str:
    return f"<p style='font-style:italic;max-width:46em'>{html.escape(text)}</p>"


class LayerExplorer(FullTextRepr, widgets.VBox):
    """Checkboxes that switch layers of the coronal section on and off."""

    def __init__(self) -> None:
        self.boxes = {
            layer.id: widgets.Checkbox(
                value=True,
                description=layer.name,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for layer in CORONAL_LAYERS
        }
        self.image = DescribedImage(
            format="png",
            value=_png(F.coronal_section()),
            layout=widgets.Layout(max_width="640px"),
            tooltip=short_alt(F.coronal_alt_text()),
        )
        self.notes = widgets.HTML(value=self._notes_html())
        self.alt = widgets.HTML(value=_alt(F.coronal_alt_text()))
        for box in self.boxes.values():
            box.observe(self._redraw, names="value")
        controls = widgets.HBox(
            list(self.boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
        )
        super().__init__(
            [
                widgets.HTML("<b>Switch layers on and off</b>"),
                controls,
                self.image,
                self.notes,
                self.alt,
            ]
        )

    @property
    def shown(self) -> list[str]:
        return [k for k, b in self.boxes.items() if b.value]

    def _notes_html(self) -> str:
        items = "".join(
            f"<li><b>{html.escape(l.name)}</b>: {html.escape(l.note)}</li>"
            for l in CORONAL_LAYERS
            if l.id in self.shown
        )
        return f"<ul>{items}</ul>" if items else "<p>No layers shown: tick a box above.</p>"

    def _redraw(self, _change: object = None) -> None:
        self.image.value = _png(F.coronal_section(self.shown))
        self.image.tooltip = short_alt(F.coronal_alt_text(self.shown))
        self.notes.value = self._notes_html()
        self.alt.value = _alt(F.coronal_alt_text(self.shown))

    def __repr__(self) -> str:
        return f"LayerExplorer: {len(self.boxes)} layers, {len(self.shown)} shown"


#: Offered for every letter: the six answers plus distractors a novice confuses them with.
LABEL_CHOICES: tuple[str, ...] = (
    "femoral-head",
    "femoral-neck",
    "greater-trochanter",
    "lesser-trochanter",
    "teardrop",
    "obturator-foramen",
    "acetabular-roof",
    "ischial-tuberosity",
)

LABEL_HINTS: dict[str, str] = {
    "femoral-head": "the ball: round, under the acetabular roof",
    "femoral-neck": "the waist between head and shaft; the usual needle target lies on it",
    "greater-trochanter": "the lateral bony prominence at the top of the shaft",
    "lesser-trochanter": "the small medial knob below the neck; it looks bigger in external rotation",
    "teardrop": "the U-shaped line at the medial floor of the socket",
    "obturator-foramen": "the large oval hole below the pubic ramus",
}


class LabelExercise(FullTextRepr, widgets.VBox):
    """Name the lettered structures on the AP schematic; feedback for every letter."""

    def __init__(self) -> None:
        options = [("choose...", "")] + [(STRUCTURE_NAMES[s], s) for s in LABEL_CHOICES]
        self.dropdowns = {
            letter: widgets.Dropdown(
                options=options,
                value="",
                description=f"{letter}:",
                layout=widgets.Layout(width="300px"),
            )
            for letter in AP_LETTERS
        }
        self.image = DescribedImage(
            format="png",
            value=_png(F.ap_radiograph(lettered=True)),
            layout=widgets.Layout(max_width="600px"),
            tooltip=short_alt(F.ap_alt_text(lettered=True)),
        )
        self.check = widgets.Button(description="Check my labels", button_style="primary")
        self.feedback = widgets.HTML(
            value="<p>Choose a structure for each letter, then press Check.</p>"
        )
        self.checks = 0
        self.check.on_click(self._grade)
        grid = widgets.GridBox(
            list(self.dropdowns.values()),
            layout=widgets.Layout(grid_template_columns="repeat(2, 310px)"),
        )
        super().__init__(
            [
                self.image,
                widgets.HTML(_alt(F.ap_alt_text(lettered=True))),
                grid,
                self.check,
                self.feedback,
            ]
        )

    def attempt(self) -> LabelAttempt:
        return LabelAttempt({k: d.value for k, d in self.dropdowns.items() if d.value})

    def _grade(self, _button: object = None) -> None:
        attempt = self.attempt()
        self.checks += 1
        rows = []
        for letter, ok in attempt.results().items():
            right = AP_LETTERS[letter]
            chosen = attempt.answers.get(letter)
            if ok:
                rows.append(f"<li>{letter}: correct, {html.escape(STRUCTURE_NAMES[right])}.</li>")
            else:
                said = (
                    f"you chose {html.escape(STRUCTURE_NAMES[chosen])}"
                    if chosen
                    else "no answer yet"
                )
                rows.append(
                    f"<li>{letter}: {said}. Look again: {html.escape(LABEL_HINTS[right])}.</li>"
                )
        self.feedback.value = (
            f"<p><b>{attempt.score} of {len(AP_LETTERS)} correct.</b></p><ul>{''.join(rows)}</ul>"
        )

    def __repr__(self) -> str:
        return f"LabelExercise: {len(self.dropdowns)} letters on the AP schematic; checked {self.checks} times"


SYNTHETIC_PATIENTS: dict[str, float] = {
    # extra subcutaneous fat (mm) relative to the derived average adult; invented for the exercise
    "Ms A, slim (invented: 20 mm less fat than average)": -20,
    "Average adult (derived depth)": 0,
    "Mr B, overweight (invented: 30 mm more fat)": 30,
    "Mrs C, obese (invented: 60 mm more fat)": 60,
}


class DepthExplorer(FullTextRepr, widgets.VBox):
    """Skin-to-capsule depth for different body sizes, and which needle length reaches."""

    def __init__(self) -> None:
        self.patient = widgets.Dropdown(
            options=list(SYNTHETIC_PATIENTS),
            value="Average adult (derived depth)",
            description="Patient:",
            layout=widgets.Layout(width="460px"),
        )
        self.depth = widgets.Text(
            value=f"{average_path_mm():.0f}",
            description="Depth (mm):",
            layout=widgets.Layout(width="220px"),
        )
        self.tilt = widgets.IntSlider(value=20, min=0, max=60, step=5, description="Tilt (°):")
        self.result = widgets.HTML(value=self._result_html())
        self.patient.observe(self._on_patient, names="value")
        self.depth.observe(self._update, names="value")
        self.tilt.observe(self._update, names="value")
        banner = widgets.HTML(
            "<p><b>Teaching, not dosing advice.</b> Depths are a derived average and invented "
            "patients; measure your patient's depth on prior imaging or on the screen.</p>"
        )
        super().__init__([banner, self.patient, widgets.HBox([self.depth, self.tilt]), self.result])

    def _on_patient(self, change: dict[str, Any]) -> None:
        self.depth.value = f"{depth_for_extra_fat_mm(SYNTHETIC_PATIENTS[change['new']]):.0f}"

    def _update(self, _change: object = None) -> None:
        self.result.value = self._result_html()

    def _result_html(self) -> str:
        try:
            depth = parse_number(self.depth.value, "Depth (mm)", *DEPTH_LIMITS_MM, "mm")
            path = needle_path_mm(depth, self.tilt.value)
        except InputError as exc:
            colour = OKABE_ITO["vermillion"]
            return f"<p style='color:{colour}'><b>Cannot compute:</b> {html.escape(str(exc))}</p>"
        rows = []
        margin = NEEDLE_MARGIN_MM
        for c in needle_checks(path):
            if c.has_margin(margin):
                verdict = f"reaches, {c.spare_mm:.0f} mm of shaft left outside the skin"
            elif c.reaches:
                verdict = (
                    f"reaches on paper, but only {c.spare_mm:.0f} mm spare, less than the "
                    f"{margin:.0f} mm margin: choose a longer needle"
                )
            else:
                verdict = f"too short by {-c.spare_mm:.0f} mm"
            rows.append(f"<li>{html.escape(c.needle)}: {verdict}</li>")
        choice = needle_to_choose(path)
        pick = (
            f"Choose: <b>{html.escape(choice)}</b>."
            if choice
            else "No stocked needle leaves the margin: consider a longer needle, another approach or ultrasound."
        )
        return (
            f"<p>Needle path inside the body: <b>{path:.0f} mm</b> "
            f"(depth {depth:.0f} mm at {self.tilt.value}° tilt).</p><ul>{''.join(rows)}</ul>"
            f"<p>{pick} <i>Margin of about 1 cm for needle angle and soft-tissue compression: a teaching rule "
            "of thumb, not a published number.</i></p>"
        )

    def __repr__(self) -> str:
        return f"DepthExplorer: depth {self.depth.value} mm, tilt {self.tilt.value} degrees"


#: Human row labels for the facts table (fall back to the fact name in words).
FACT_LABELS: dict[str, str] = {
    "capsule_thickness_anterosuperior": "Capsule thickness, front and top",
    "capsule_insertion_below_head_neck_junction": "Capsule insertion below the head-neck junction",
    "joint_capacity": "Joint capacity",
    "pressure_rises_above_volume": "Pressure rises steeply above",
    "neck_puncture_volume": "Volume accepted, neck puncture",
    "head_puncture_volume": "Volume accepted, head puncture",
    "femoral_vein_distance": "Femoral vein to joint (nearest)",
    "femoral_artery_distance": "Femoral artery to joint",
    "femoral_nerve_distance": "Femoral nerve to joint",
    "vein_medial_to_joint": "Vein medial to the joint",
    "artery_medial_to_joint": "Artery medial to the joint",
    "nerve_lateral_to_joint": "Nerve lateral to the joint",
    "femoral_nerve_distance_oa": "Femoral nerve to anterior acetabulum in OA",
    "femoral_nerve_closer_in_oa": "How much closer the nerve lies in OA",
    "lfcn_numbness": "Transient thigh numbness (lateral femoral cutaneous nerve)",
    "bursa_communication": "Iliopsoas bursa communicates with the joint",
    "bursitis_in_oa": "Iliopsoas bursitis in symptomatic OA",
}


def fact_label(name: str) -> str:
    """The table's row label for fact ``name``."""
    return FACT_LABELS.get(name, name.replace("_", " ").capitalize())


def facts_table_html(names: list[str] | None = None) -> HTML:
    """The chapter's cited numbers as an HTML table (value, range, population, source)."""
    names = list(FACTS) if names is None else names
    rows = []
    for n in names:
        f = fact(n)
        rows.append(
            f"<tr><td>{html.escape(fact_label(n))}</td><td>{html.escape(f.text(0 if f.value is None or float(f.value).is_integer() else 1))}</td>"
            f"<td>{html.escape(f.population)}</td><td>{html.escape('; '.join(short_label(k) for k in f.keys))}</td></tr>"
        )

    return HTML(
        "<table><tr><th>Fact</th><th>Value</th><th>Population</th><th>Source</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def show_layers() -> LayerExplorer:
    return LayerExplorer()


def show_label_exercise() -> LabelExercise:
    return LabelExercise()


def show_depth_explorer() -> DepthExplorer:
    return DepthExplorer()
