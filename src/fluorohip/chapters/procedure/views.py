"""Views for notebook 05: the Markdown tables, the documentation form and the guided exercise.

Thin layer over the chapter's pure model (:mod:`.model`) and the simulator
(:mod:`fluorohip.fluoro`); figures live in :mod:`.figures`. Widgets are plain ipywidgets wired
with ``observe``/``on_click`` and carry a stable ``__repr__`` for nbval.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np

from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.core.bibliography import load_bibliography, replace_citations
from fluorohip.fluoro.imaging import jpeg_bytes
from fluorohip.fluoro.widget import frame_alt_text, overlay_target
from fluorohip.ui.images import DescribedImage
from fluorohip.ui.text import FullTextRepr

from . import model as P
from .figures import (
    LABEL_FIGURE,
    LABEL_ORDER,
    pattern_gallery_alt_text,
    plot_pattern_gallery,
    save_label_figure,
)

__all__ = [
    "BLANK_MONITOR_ALT",
    "FORM_DEFAULTS",
    "LABEL_FIGURE",
    "LABEL_ORDER",
    "TEACHING_NOTE",
    "DocumentationForm",
    "GuidedExercise",
    "aftercare_markdown",
    "approaches_markdown",
    "blank_monitor",
    "documentation_form",
    "equipment_markdown",
    "guided_exercise",
    "pattern_gallery_alt_text",
    "patterns_markdown",
    "plot_pattern_gallery",
    "save_label_figure",
    "show_aftercare",
    "show_approaches",
    "show_equipment",
    "show_pattern_table",
    "show_steps",
    "steps_markdown",
]


class LabelledBox(FullTextRepr, widgets.VBox):
    """A VBox whose text repr does not depend on trait values (stable for nbval)."""

    label = "Widget"
    #: the controller behind the box (a GuidedExercise or a DocumentationForm), for tests
    exercise: Any = None
    form: Any = None

    def __repr__(self) -> str:
        return self.label


TEACHING_NOTE = "Teaching, not dosing advice: synthetic patients and a simulated fluoroscope."

# --------------------------------------------------------------------------- Markdown tables


def _cite(text: str) -> str:
    return replace_citations(text, load_bibliography())


def _display_md(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(_cite(text)))


def equipment_markdown() -> str:
    lengths = anatomy.NEEDLE_LENGTHS_MM
    short = min(lengths, key=lambda name: lengths[name])
    rows = [
        f"| synthetic patient | estimated skin-to-head depth | spare shaft on a {short} | needle to choose |",
        "|---|---|---|---|",
    ]
    for _pid, p in P.PATIENTS.items():
        name, _ = P.needle_for(p.bmi)
        spare = P.needle_margin_mm(p.bmi, short)
        spare_txt = f"{spare:.0f} mm" if spare >= 0 else f"none: too short by {-spare:.0f} mm"
        rows.append(f"| {p.label} | {P.skin_to_target_mm(p.bmi):.0f} mm | {spare_txt} | {name} |")
    tray = "\n".join(
        f"- **{i.item}**: {i.detail} {i.cite}".rstrip() for i in P.equipment_list("average")
    )
    return "\n".join(rows) + "\n\n**The tray (average patient):**\n\n" + tray


def show_equipment() -> None:
    """The needle each synthetic patient needs, and the tray."""
    _display_md(equipment_markdown())


def approaches_markdown() -> str:
    rows = [
        "| approach | set-up | entry and target | for | against | accuracy (contrast-confirmed) |",
        "|---|---|---|---|---|---|",
    ]
    for a in P.APPROACHES:
        rows.append(
            f"| **{a.name}** | {a.setup} | {a.entry_and_target} | {a.pros} | {a.cons} | {a.accuracy} {a.cite} |"
        )
    targets = "\n".join(f"- **{k}**: {v}" for k, v in P.TARGETS.items())
    return "\n".join(rows) + "\n\n**Targets**\n\n" + targets


def show_approaches() -> None:
    _display_md(approaches_markdown())


def steps_markdown() -> str:
    return "\n".join(
        f"{k}. **{s.text}.** {s.why} {s.cite}".rstrip() for k, s in enumerate(P.STEPS, 1)
    )


def show_steps() -> None:
    _display_md(steps_markdown())


def patterns_markdown() -> str:
    rows = ["| pattern | what you see | what it means | what you do |", "|---|---|---|---|"]
    for a in P.PATTERN_ACTIONS.values():
        rows.append(f"| **{a.pattern}** | {a.appearance} | {a.meaning} | {a.action} {a.cite} |")
    return "\n".join(rows)


def show_pattern_table() -> None:
    _display_md(patterns_markdown())


def aftercare_markdown() -> str:
    def line(a: P.Advice) -> str:
        weak = " *(local practice, weakly sourced)*" if a.weak else ""
        return f"- **{a.topic}**: {a.advice}{weak} {a.cite}".rstrip()

    return (
        "**Aftercare**\n\n"
        + "\n".join(line(a) for a in P.AFTERCARE)
        + "\n\n**Red flags: tell the patient to come back urgently**\n\n"
        + "\n".join(line(a) for a in P.RED_FLAGS)
    )


def show_aftercare() -> None:
    _display_md(aftercare_markdown())


# --------------------------------------------------------------------------- guided exercise


BLANK_MONITOR_ALT = (
    "Fluoroscopy monitor, no image yet: set the entry point and angles, "
    "then press Image (pedal) for the first frame."
)


def blank_monitor(pixels: int = 256) -> bytes:
    """A dark frame for the monitor before the first image (an empty Image shows a broken icon)."""
    return jpeg_bytes(np.full((pixels, pixels), 24, dtype=np.uint8))


class GuidedExercise:
    """The whole placement in the simulator: entry, angles, advance, image, contrast, read, inject, score."""

    def __init__(self, patient_id: str = "average", pixels: int = 256):
        w = widgets

        self.pixels = pixels
        self.run = P.GuidedRun(patient_id, pixels=pixels)
        tx, tz = self.run.target_xz()
        lay = w.Layout(width="320px")
        self.patient = w.Dropdown(
            options=[(p.label, k) for k, p in P.PATIENTS.items()],
            value=patient_id,
            description="Patient",
            layout=lay,
        )
        needles = [(n, v) for n, v in anatomy.NEEDLE_LENGTHS_MM.items()]
        self.needle = w.Dropdown(
            options=needles, value=self.run.needle_length_mm, description="Needle", layout=lay
        )
        self.x = w.FloatSlider(
            description="Entry x mm", min=-40, max=40, step=1, value=round(tx) + 15
        )
        self.z = w.FloatSlider(
            description="Entry z mm", min=-60, max=30, step=1, value=round(tz) - 10
        )
        self.medial = w.FloatSlider(description="Medial °", min=-30, max=30, step=1, value=0)
        self.cranial = w.FloatSlider(description="Cranial °", min=-30, max=30, step=1, value=0)
        b = {
            k: w.Button(description=d)
            for k, d in [
                ("entry", "Set entry + angles"),
                ("adv5", "Advance 5 mm"),
                ("adv2", "Advance 2 mm"),
                ("back", "Withdraw 5 mm"),
                ("image", "Image (pedal)"),
                ("contrast", "Inject 2 mL contrast"),
                ("read", "Check reading"),
                ("drug", "Inject drug"),
                ("score", "Score"),
                ("reset", "New run"),
            ]
        }
        self.buttons = b
        self.reading = w.Dropdown(options=list(P.READ_OPTIONS), description="Pattern")
        # Never an empty Image (a broken-image icon): a dark "monitor" until the first frame.
        self.image = DescribedImage(
            format="jpeg",
            width=pixels,
            height=pixels,
            value=blank_monitor(pixels),
            tooltip=BLANK_MONITOR_ALT,
        )
        self.log = w.HTML(
            value="<i>Choose a patient and needle, set the entry point and angles, then advance. "
            "The orange ring marks the target. x: + is medial; z: + is cranial.</i>"
        )
        self.console = w.HTML(value=self._console_html())
        b["entry"].on_click(
            lambda _: self._do(
                lambda: self.run.set_entry(
                    self.x.value, self.z.value, self.medial.value, self.cranial.value
                )
            )
        )
        b["adv5"].on_click(lambda _: self._do(lambda: self.run.advance(5)))
        b["adv2"].on_click(lambda _: self._do(lambda: self.run.advance(2)))
        b["back"].on_click(lambda _: self._do(lambda: self.run.withdraw(5)))
        b["image"].on_click(lambda _: self._show(self.run.image(), self.run.tip_feedback()))
        b["contrast"].on_click(
            lambda _: self._show(self.run.inject_contrast(2.0), self.run.events[-1].message)
        )
        b["read"].on_click(lambda _: self._do(lambda: self.run.read_pattern(self.reading.value)[1]))
        b["drug"].on_click(lambda _: self._do(self.run.inject_drug))
        b["score"].on_click(lambda _: self._do(self._score_text))
        b["reset"].on_click(lambda _: self._reset())
        self.patient.observe(lambda ch: self._reset(), names="value")
        self.needle.observe(lambda ch: self._reset(keep_needle=True), names="value")
        self.widget = LabelledBox(
            [
                w.HTML(value=f"<b>{TEACHING_NOTE}</b>"),
                w.HBox([self.patient, self.needle]),
                w.HBox([w.VBox([self.x, self.z, self.medial, self.cranial]), self.image]),
                w.HBox([b["entry"], b["adv5"], b["adv2"], b["back"]]),
                w.HBox([b["image"], b["contrast"], self.reading, b["read"]]),
                w.HBox([b["drug"], b["score"], b["reset"]]),
                self.console,
                self.log,
            ]
        )
        self.widget.label = repr(self)
        self.widget.exercise = self
        # stable hooks for browser tests and styling: the simulator's class, and this box's own
        self.widget.add_class("fluorohip-fluoroscope")
        self.widget.add_class("fluorohip-guided-exercise")

    def _console_html(self) -> str:
        return f"<code>{html.escape(self.run.console())}</code>"

    def _say(self, text: str) -> None:
        self.log.value = html.escape(_cite(text))
        self.console.value = self._console_html()

    def _do(self, action) -> None:
        try:
            self._say(action())
        except ValueError as e:  # refused input: say what was wrong
            self._say(str(e))

    def _show(self, frame, text: str) -> None:
        if frame is not None:
            rgb = overlay_target(frame.image, self.run.session)
            self.image.value = jpeg_bytes(rgb)
            self.image.tooltip = frame_alt_text(frame)
        self._say(text)

    def _score_text(self) -> str:
        s = self.run.score()
        verdict = (
            "Drug in the joint." if s["success"] else "No confirmed intra-articular injection yet."
        )
        return (
            f"{verdict} Points {s['points']}/100; {s['images']} images, {s['fluoro_time_s']} s, "
            f"DAP {s['dap_ugy_m2']} µGy·m²; contrast outside the joint: {', '.join(s['extra_articular']) or 'none'}"
            f"{'; communicating bursa with the joint outlined: accepted' if s.get('bursa_with_joint') else ''}; "
            f"readings correct {s['readings_correct']}/{s['readings']}. {s['feedback']}"
        )

    def _reset(self, keep_needle: bool = False) -> None:
        length = self.needle.value if keep_needle else None
        self.run = P.GuidedRun(self.patient.value, needle_length_mm=length, pixels=self.pixels)
        if not keep_needle:
            self.needle.value = self.run.needle_length_mm
        self.image.value = blank_monitor(self.pixels)
        self.image.tooltip = BLANK_MONITOR_ALT
        self._say(f"New run: {self.run.patient.label}. {self.run.patient.note}")

    def __repr__(self) -> str:
        return f"GuidedExercise: {len(P.PATIENTS)} synthetic patients, needle {self.run.needle_length_mm:g} mm"


def guided_exercise(patient_id: str = "average", pixels: int = 256) -> LabelledBox:
    """The exercise's widget (``.exercise`` holds the controller)."""
    return GuidedExercise(patient_id, pixels).widget


# --------------------------------------------------------------------------- documentation form

FORM_DEFAULTS = dict(
    side="right",
    approach=P.APPROACHES[0].name,
    pattern="intra-articular",
    images_saved="2",
    fluoro_time_s="18",
    dap_ugy_m2="15",
    contrast_agent="iohexol 300",
    contrast_ml="2",
    anaesthetic="lidocaine 1%",
    anaesthetic_ml="4",
    steroid="triamcinolone acetonide",
    steroid_mg="40",
    steroid_ml="1",
    pain_before="7",
    pain_after="2",
)


class DocumentationForm:
    """The procedure record: refuses bad input with one clear message per field."""

    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "side": P.SIDES,
        "approach": tuple(a.name for a in P.APPROACHES),
        "pattern": tuple(P.PATTERN_ACTIONS),
        "contrast_agent": P.CONTRAST_AGENTS,
        "anaesthetic": P.ANAESTHETICS,
        "steroid": P.STEROIDS,
    }

    def __init__(self):
        w = widgets

        self.fields = {}
        for name, default in FORM_DEFAULTS.items():
            style = {"description_width": "140px"}
            if name in self.CHOICES:
                self.fields[name] = w.Dropdown(
                    options=list(self.CHOICES[name]), value=default, description=name, style=style
                )
            else:
                unit = P.RANGES[name][2]
                self.fields[name] = w.Text(
                    value=default, description=f"{name} ({unit})", style=style
                )
        self.submit = w.Button(description="Save record", button_style="primary")
        self.result = w.HTML(value="<i>Fill in the record and press Save record.</i>")
        self.submit.on_click(lambda _: self.check())
        self.widget = LabelledBox(
            [
                w.HTML(value=f"<b>{TEACHING_NOTE}</b>"),
                *self.fields.values(),
                self.submit,
                self.result,
            ]
        )
        self.record: P.ProcedureRecord | None = None
        self.widget.label = repr(self)
        self.widget.form = self

    def values(self) -> dict:
        return {k: f.value for k, f in self.fields.items()}

    def check(self) -> P.ProcedureRecord | None:
        try:
            self.record = P.build_record(**self.values())
        except P.RecordError as e:
            self.record = None
            items = "".join(f"<li>{html.escape(m)}</li>" for m in e.problems)
            self.result.value = f"<b>Not saved: fix these fields.</b><ul>{items}</ul>"
            return None
        self.result.value = "<b>Saved.</b><pre>" + html.escape(self.record.summary()) + "</pre>"
        return self.record

    def __repr__(self) -> str:
        return f"DocumentationForm: {len(self.fields)} fields"


def documentation_form() -> LabelledBox:
    """The form's widget (``.form`` holds the controller)."""
    return DocumentationForm().widget
