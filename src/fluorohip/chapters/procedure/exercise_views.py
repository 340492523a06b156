"""ipywidgets view of :class:`.exercise.ProcedureExercise`: C-arm, needle, contrast, debrief.

A thin view: each control calls one model method. Frames travel as JPEG bytes to an
``ipywidgets.Image``. In assessment mode the text areas only ever show what the model says
(which :func:`.exercise.assert_neutral` has checked) and the image's alt text is neutral;
the guided mode adds a target overlay (Okabe-Ito orange ring) and labelled hints.
"""

from __future__ import annotations

import time

import numpy as np

from fluorohip.fluoro.contrast3d import PATTERNS
from fluorohip.fluoro.imaging import jpeg_bytes
from fluorohip.fluoro.widget import OVERLAY_RGB
from fluorohip.ui.images import DescribedImage

from .exercise import APPROACHES, ProcedureExercise


def _overlay(img: np.ndarray, ex: ProcedureExercise) -> np.ndarray:
    rgb = np.repeat(img[:, :, None], 3, axis=2)
    carm = ex.session.carm
    col, row = carm.to_pixel(carm.project(ex.phantom.target_point()))
    col = carm.pixels - 1 - col  # display is flipped left-right
    yy, xx = np.ogrid[: img.shape[0], : img.shape[1]]
    r = max(4.0, 6.0 * carm.pixels / 256)
    rgb[np.abs(np.hypot(yy - row, xx - col) - r) < 1.0] = OVERLAY_RGB
    return rgb


class ExerciseWidget:
    """The hip injection exercise (``ExerciseWidget(mode="assessment")`` in a notebook)."""

    def __init__(
        self,
        mode: str = "assessment",
        case: str = "average",
        pixels: int = 256,
        seed: int = 0,
        playback_s: float = 0.06,
    ):
        import ipywidgets as w

        self.ex = ProcedureExercise(mode, case, pixels=pixels, seed=seed)
        self.playback_s = playback_s
        self._cine: list = []
        lay = w.Layout(width="330px")
        st = {"description_width": "165px"}
        self.rotation = w.FloatSlider(
            description="C-arm RAO+ / LAO- °",
            min=-40,
            max=40,
            step=1,
            value=0,
            layout=lay,
            style=st,
        )
        self.tilt = w.FloatSlider(
            description="C-arm caudal+/cranial- °",
            min=-40,
            max=40,
            step=1,
            value=0,
            layout=lay,
            style=st,
        )
        self.collimation = w.FloatSlider(
            description="Collimation", min=0.3, max=1.0, step=0.05, value=1.0, layout=lay, style=st
        )
        self.fluoro_btn = w.Button(description="Fluoro (pedal)", button_style="primary")
        self.coax_btn = w.Button(description="Coaxial to needle")
        self.approach = w.Dropdown(
            options=list(APPROACHES), description="Approach", layout=lay, style=st
        )
        self.entry_x = w.FloatSlider(
            description="Entry x mm (+ medial)",
            min=-60,
            max=60,
            step=1,
            value=0,
            layout=lay,
            style=st,
        )
        self.entry_z = w.FloatSlider(
            description="Entry z mm (+ cranial)",
            min=-100,
            max=40,
            step=1,
            value=0,
            layout=lay,
            style=st,
        )
        self.entry_btn = w.Button(description="Set entry")
        self.medial = w.FloatSlider(
            description="Needle medial+ °", min=-30, max=30, step=1, value=0, layout=lay, style=st
        )
        self.cranial = w.FloatSlider(
            description="Needle cranial+ °", min=-30, max=30, step=1, value=0, layout=lay, style=st
        )
        self.redirect_btn = w.Button(description="Redirect")
        self.adv5 = w.Button(description="Advance 5 mm")
        self.adv1 = w.Button(description="Advance 1 mm")
        self.wd5 = w.Button(description="Withdraw 5 mm")
        self.wd1 = w.Button(description="Withdraw 1 mm")
        self.bevel_btn = w.Button(description="Turn bevel 90°")
        self.volume = w.FloatSlider(
            description="Test dose mL", min=0.5, max=10, step=0.5, value=2, layout=lay, style=st
        )
        self.test_btn = w.Button(description="Test contrast (live)")
        self.cine_slider = w.IntSlider(
            description="Cine frame", min=0, max=0, value=0, disabled=True, layout=lay, style=st
        )
        self.pattern = w.Dropdown(
            options=["(choose)"] + list(PATTERNS), description="Pattern seen", layout=lay, style=st
        )
        self.name_btn = w.Button(description="Name pattern")
        self.drug_btn = w.Button(description="Inject drug", button_style="warning")
        self.finish_btn = w.Button(description="Finish: debrief", button_style="success")
        self.show_target = w.Checkbox(
            description="Target overlay (guided hint)",
            value=mode == "guided",
            disabled=mode != "guided",
        )
        self.image = DescribedImage(format="jpeg", width=pixels * 2)
        self.console = w.HTML()
        self.caption = w.HTML()
        self.log = w.HTML()
        self.debrief_out = w.Output()
        banner = (
            "<b>Assessment mode</b>: no hints. Read the images, feel for bone, test with contrast when you "
            "choose, name the pattern, then inject. The debrief comes when you finish."
            if mode == "assessment"
            else "<b>Guided mode</b>: hints are shown and labelled <i>Guided-mode hint</i>; the orange ring marks "
            "the target."
        )
        self.banner = w.HTML(banner)

        self.fluoro_btn.on_click(lambda _: self._do(self.fluoro))
        self.coax_btn.on_click(lambda _: self._do(self._coaxial))
        self.approach.observe(
            lambda ch: self._do(lambda: self.ex.set_approach(ch["new"])), names="value"
        )
        self.entry_btn.on_click(
            lambda _: self._do(lambda: self.ex.set_entry(self.entry_x.value, self.entry_z.value))
        )
        self.redirect_btn.on_click(
            lambda _: self._do(lambda: self.ex.redirect(self.medial.value, self.cranial.value))
        )
        self.adv5.on_click(lambda _: self._do(lambda: self.ex.advance(5)))
        self.adv1.on_click(lambda _: self._do(lambda: self.ex.advance(1)))
        self.wd5.on_click(lambda _: self._do(lambda: self.ex.withdraw(5)))
        self.wd1.on_click(lambda _: self._do(lambda: self.ex.withdraw(1)))
        self.bevel_btn.on_click(lambda _: self._do(lambda: self.ex.turn_bevel(90)))
        self.test_btn.on_click(lambda _: self._do(self.test_contrast))
        self.name_btn.on_click(lambda _: self._do(self._name))
        self.drug_btn.on_click(lambda _: self._do(self.ex.inject_drug))
        self.finish_btn.on_click(lambda _: self._do(self.finish))
        self.show_target.observe(lambda ch: self._show(), names="value")
        self.cine_slider.observe(self._on_cine, names="value")
        for c in (self.rotation, self.tilt, self.collimation):
            c.observe(self._on_carm, names="value")

        carm_box = w.VBox(
            [
                w.HTML("<b>C-arm</b>"),
                self.rotation,
                self.tilt,
                self.collimation,
                w.HBox([self.fluoro_btn, self.coax_btn]),
            ]
        )
        needle_box = w.VBox(
            [
                w.HTML("<b>Needle</b> (22 G spinal)"),
                self.approach,
                self.entry_x,
                self.entry_z,
                self.entry_btn,
                self.medial,
                self.cranial,
                self.redirect_btn,
                w.HBox([self.adv5, self.adv1]),
                w.HBox([self.wd5, self.wd1]),
                self.bevel_btn,
            ]
        )
        contrast_box = w.VBox(
            [
                w.HTML("<b>Contrast and drug</b>"),
                self.volume,
                self.test_btn,
                self.cine_slider,
                self.pattern,
                w.HBox([self.name_btn, self.drug_btn]),
                self.finish_btn,
            ]
        )
        controls = w.VBox([carm_box, needle_box, contrast_box])
        self.view = w.VBox(
            [
                self.banner,
                w.HBox(
                    [w.VBox([self.image, self.caption, self.show_target, self.console]), controls]
                ),
                self.log,
                self.debrief_out,
            ]
        )
        self.view.add_class("fluorohip-fluoroscope")  # the browser tests' hook
        self._show()  # a dark monitor until the first pedal press (no free image, no dose)
        self._console()

    # --- actions ----------------------------------------------------------------------------
    def _do(self, fn) -> None:
        n = len(self.ex.messages)
        try:
            fn()
        except ValueError as exc:
            self.ex.messages.append(f"Not possible: {exc}")
        new = self.ex.messages[n:]
        if new:
            self.log.value = "<br>".join(self.ex.messages[-6:])
        self._console()

    def _on_carm(self, _change) -> None:
        self.ex.set_carm(
            rotation_deg=self.rotation.value,
            tilt_deg=self.tilt.value,
            collimation=self.collimation.value,
        )

    def _coaxial(self) -> None:
        carm = self.ex.coaxial()
        for s, v in ((self.rotation, carm.rotation_deg), (self.tilt, carm.tilt_deg)):
            s.unobserve(self._on_carm, names="value")
            s.value = max(s.min, min(s.max, round(v)))
            s.observe(self._on_carm, names="value")
        self.fluoro()

    def fluoro(self) -> None:
        self.ex.fluoro()
        self._show()

    def test_contrast(self) -> None:
        frames = self.ex.test_contrast(self.volume.value)
        self._cine = frames
        if not frames:
            return
        for f in frames:  # play the cine once, then leave the slider to scrub through it
            self._show(f)
            if self.playback_s:
                time.sleep(self.playback_s)
        self.cine_slider.unobserve(self._on_cine, names="value")
        self.cine_slider.max = len(frames) - 1
        self.cine_slider.value = len(frames) - 1
        self.cine_slider.disabled = False
        self.cine_slider.observe(self._on_cine, names="value")

    def _on_cine(self, change) -> None:
        if self._cine:
            self._show(self._cine[int(change["new"])])

    def _name(self) -> None:
        if self.pattern.value == "(choose)":
            raise ValueError("choose the pattern you saw from the list first")
        self.ex.name_pattern(self.pattern.value)

    def finish(self):
        from IPython.display import Markdown, display

        from .debrief import images_figure, trajectory_figure

        d = self.ex.finish()
        import matplotlib.pyplot as plt

        self.debrief_out.clear_output()
        with self.debrief_out:
            display(Markdown(d.to_markdown()))
            for make in (trajectory_figure, images_figure):
                fig = make(d)
                display(fig)
                plt.close(fig)
        return d

    # --- display ----------------------------------------------------------------------------
    def _show(self, frame=None) -> None:
        f = frame or self.ex.session.last_frame
        img = (
            f.image
            if f is not None
            else np.zeros((self.ex.session.carm.pixels,) * 2, dtype=np.uint8)
        )
        if self.ex.mode == "guided" and self.show_target.value:
            img = _overlay(img, self.ex)
        self.image.value = jpeg_bytes(img)
        desc = self.ex.neutral_description()
        self.image.tooltip = desc  # the <img>'s title and, through the course's extension, its alt
        caption = f"<small><i>{desc}</i></small>"
        if (
            self.caption.value != caption
        ):  # the same text on the page, for screen readers; sent only on change
            self.caption.value = caption

    def _console(self) -> None:
        led = self.ex.session.ledger
        self.console.value = (
            f"<code>{led.presses} pedal presses · {led.fluoro_time_s:.1f} s · DAP "
            f"{led.dap_ugy_m2:.2f} µGy·m² · {self.ex.session.carm.describe()}</code>"
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)

    def __repr__(self) -> str:
        led = self.ex.session.ledger
        return (
            f"Hip injection exercise ({self.ex.mode} mode): {self.ex.session.carm.describe()}, "
            f"{led.presses} image{'s' if led.presses != 1 else ''}"
        )
