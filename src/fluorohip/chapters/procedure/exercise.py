"""The fluoroscopy-guided hip injection as an exercise: the model behind the widget.

Why a separate model: in the older guided run every image came with the tip's tissue and its
millimetre offset from the target, so the image never had to be read. Here

* **assessment** mode prints nothing about tissue, offset, target or pattern while the
  resident works. They see images, feel bone contact (a message, as in life), decide when
  to test with contrast, name the pattern they see, then inject. Every message passes
  :func:`assert_neutral`, so a hint cannot slip in.
* **guided** mode adds hints, each labelled "Guided-mode hint".

Everything is recorded (needle path, every image with its pose, contrast tests, readings,
dose) for :mod:`.debrief`. Pure model: no widgets, no matplotlib.

Approaches [@UWMSKHipArthrography] [@Moser2019] [@HipInjectionChapter2023]:

* vertical anterior -- needle straight down (AP beam): the hub sits end-on over the tip;
* anterior oblique -- entry lower on the proximal thigh, needle angled cranially (and a little
  medially), C-arm tilted caudally to look down the needle ("coaxial", "down the barrel");
* anterolateral -- entry lateral, needle angled medially toward the head-neck junction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from fluorohip.fluoro.contrast3d import PATTERNS, joint_frame
from fluorohip.fluoro.contrast3d import inject as inject3d
from fluorohip.fluoro.geometry import CArm, angles_for_direction
from fluorohip.fluoro.phantom import HipPhantom
from fluorohip.fluoro.scene import Frame, Scene
from fluorohip.fluoro.session import FluoroSession
from fluorohip.fluoro.spinal_needle import SpinalNeedle, direction_from_angles, skin_entry

from .exercise_text import assert_neutral

MODES = ("assessment", "guided")


@dataclass(frozen=True)
class Approach:
    name: str
    medial_deg: float  # base angles of the needle from vertical (towards midline, towards head)
    cranial_deg: float
    note: str


APPROACHES = {
    "vertical anterior": Approach(
        "vertical anterior",
        0.0,
        0.0,
        "Needle vertical under an AP beam: the hub should sit end-on over the tip.",
    ),
    "anterior oblique": Approach(
        "anterior oblique",
        10.0,
        30.0,
        "Entry on the proximal thigh, needle angled cranially; tilt the C-arm caudally "
        "(and a little oblique) to look down the needle.",
    ),
    "anterolateral": Approach(
        "anterolateral",
        55.0,
        10.0,
        "Entry lateral, needle angled medially toward the head-neck junction.",
    ),
}


@dataclass
class ImageRecord:
    """One image the resident took (or one frame of a contrast cine)."""

    index: int
    kind: str  # "fluoro" or "contrast cine"
    view: str  # e.g. "AP view", "RAO 10 deg, 25 deg caudal view"
    time_s: float
    thumb: np.ndarray  # uint8, downsampled for the debrief
    tip_mm: tuple | None
    test: int | None = None  # index of the contrast test it belongs to


@dataclass
class ContrastTest:
    volume_ml: float
    true_patterns: tuple[str, ...]
    tip_mm: tuple
    needle_moved_after: bool = False
    named: str | None = None
    frames: list = field(default_factory=list, repr=False)


class ProcedureExercise:
    """One fluoroscopy-guided right hip injection on a synthetic patient."""

    def __init__(
        self,
        mode: str = "assessment",
        case: str = "average",
        *,
        pixels: int = 256,
        seed: int = 0,
        needle_length_mm: float | None = None,
        phantom: HipPhantom | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
        from .equipment import needle_for, patient

        self.mode = mode
        self.case = patient(case)
        ph = phantom or HipPhantom(sex=self.case.sex, bmi=self.case.bmi, oa=self.case.id == "oa")
        self.session = FluoroSession(scene=Scene(ph), carm=CArm(pixels=pixels), seed=seed)
        self.seed = seed
        if needle_length_mm is None:
            _, needle_length_mm = needle_for(self.case.bmi)
        self.needle_length_mm = float(needle_length_mm)
        self.approach = APPROACHES["vertical anterior"]
        self.entry_xz = (0.0, 0.0)  # aiming line through (x, 0, z): moved by the resident
        self.angles = (0.0, 0.0)  # extra angles on top of the approach's base angles
        self.bevel_deg = 0.0
        self.needle: SpinalNeedle | None = None
        self.bone_contact = False
        self.path: list[tuple] = []  # (kind, tip xyz, depth) after every needle action
        self.passes = 0  # skin punctures
        self.redirects = 0
        self.images: list[ImageRecord] = []
        self.tests: list[ContrastTest] = []
        self.drug: dict | None = None
        self.messages: list[str] = []
        self.finished = False
        self.contact_tip: tuple | None = None  # where bone was last felt on this pass
        self.timeline: list[
            tuple[str, float]
        ] = []  # ("image" | needle action, scene time) in order
        self._moved_since_test = True
        threading.Thread(
            target=joint_frame, args=(ph,), daemon=True
        ).start()  # warm the joint model

    # --- helpers ----------------------------------------------------------------------
    @property
    def phantom(self) -> HipPhantom:
        return self.session.phantom

    @property
    def scene(self) -> Scene:
        return self.session.scene

    def _say(self, text: str, hint: str | None = None) -> str:
        if self.mode == "assessment":
            assert_neutral(text)
        elif hint:
            text = f"{text} [Guided-mode hint: {hint}]"
        self.messages.append(text)
        return text

    def _direction(self) -> np.ndarray:
        return direction_from_angles(
            self.approach.medial_deg + self.angles[0], self.approach.cranial_deg + self.angles[1]
        )

    def _place(self, depth: float, kind: str) -> str:
        d = self._direction()
        if self.needle is None or kind == "entry":
            entry = skin_entry(self.phantom, (self.entry_xz[0], 0.0, self.entry_xz[1]), d)
        else:
            entry = np.asarray(self.needle.entry_mm)
        n = SpinalNeedle(
            tuple(entry),
            tuple(d),
            min(max(depth, 0.0), self.needle_length_mm),
            bevel_deg=self.bevel_deg,
            length_mm=self.needle_length_mm,
        )
        res = self.session.set_needle(n)
        self.needle = res.needle
        was = self.bone_contact
        self.bone_contact = res.bone_contact
        self._moved_since_test = True
        self.timeline.append((kind, self.scene.time_s))
        self.path.append(
            (kind, tuple(float(v) for v in res.needle.tip_mm), float(res.needle.depth_mm))
        )
        del was
        if kind in ("entry", "redirect"):
            self.contact_tip = None
        if res.bone_contact:
            self.contact_tip = tuple(float(v) for v in res.needle.tip_mm)
            return (
                "Bone contact: you feel the needle meet firm bone and it will not advance further."
            )
        if depth > self.needle_length_mm:
            return (
                f"The hub is at the skin: the {self.needle_length_mm:.0f} mm needle is fully inserted "
                "without reaching bone."
            )
        return f"Needle inserted {self.needle.depth_mm:.0f} mm."

    def _hint(self) -> str | None:
        if self.mode != "guided" or self.needle is None:
            return None
        tip = self.scene.tip()
        t = self.phantom.target_point()
        p = tip.needle.tip_mm
        d = p - t
        side = (
            f"{abs(d[0]):.0f} mm {'medial' if d[0] > 0 else 'lateral'}, {abs(d[2]):.0f} mm "
            f"{'cranial' if d[2] > 0 else 'caudal'}, {abs(d[1]):.0f} mm {'deep' if d[1] > 0 else 'shallow'}"
        )
        return f"tip {tip.label}; {side} of the target"

    # --- needle actions ---------------------------------------------------------------------
    def set_approach(self, name: str) -> str:
        if name not in APPROACHES:
            raise ValueError(f"approach must be one of {', '.join(APPROACHES)}; got {name!r}")
        self.approach = APPROACHES[name]
        self.angles = (0.0, 0.0)
        out = ""
        if self.needle is not None and self.needle.depth_mm > 0:
            out = "Needle withdrawn from the skin. "
            self.needle = None
            self.session.set_needle(None)
        return self._say(out + f"Approach: {name}. {self.approach.note}")

    def set_entry(self, x_mm: float, z_mm: float) -> str:
        """Move the skin entry so the needle line passes through (x, 0, z) (mm in the patient
        frame: +x towards the midline, +z cranial). Pulls the needle out first if it is in."""
        x, z = float(x_mm), float(z_mm)
        if not (-80 <= x <= 80 and -120 <= z <= 60):
            raise ValueError(
                f"entry must lie over the hip (x -80..80, z -120..60 mm); got ({x:g}, {z:g})"
            )
        out = ""
        if self.needle is not None and self.needle.depth_mm > 0:
            out = "Needle withdrawn from the skin to move the entry point. "
        self.entry_xz = (x, z)
        self.passes += 1
        msg = self._place(0.0, "entry")
        text = out + "Skin entry marked; the needle tip rests on the skin."
        if not msg.startswith("Needle inserted"):
            text += " " + msg
        return self._say(text, self._hint())

    def redirect(self, medial_deg: float, cranial_deg: float) -> str:
        """Change the needle angles (relative to the approach). A deep needle is first pulled back
        almost to the skin, as in life: a needle is steered from the surface, not levered."""
        self.angles = (float(medial_deg), float(cranial_deg))
        if self.needle is None:
            return self._say("Angles set; mark the skin entry next.")
        depth = self.needle.depth_mm
        pre = ""
        if depth > 10.0:
            pre = "Needle pulled back to 10 mm to redirect. "
            depth = 10.0
        self.redirects += 1
        self._place(depth, "redirect")
        return self._say(
            pre + f"Needle redirected ({self.angles[0]:+.0f} deg, {self.angles[1]:+.0f} deg).",
            self._hint(),
        )

    def advance(self, mm: float = 5.0) -> str:
        if self.needle is None:
            return self._say("Mark the skin entry first.")
        if not 0 < float(mm) <= 50:
            raise ValueError(f"advance must be 0-50 mm; got {mm!r}")
        want = self.needle.depth_mm + float(mm)
        if self.bone_contact:
            return self._say(
                "Bone contact: the needle will not advance further. Withdraw or redirect.",
                self._hint(),
            )
        msg = self._place(want, "advance")
        return self._say(msg, self._hint())

    def withdraw(self, mm: float = 5.0) -> str:
        if self.needle is None:
            return self._say("There is no needle in the patient.")
        if not 0 < float(mm) <= 100:
            raise ValueError(f"withdraw must be 0-100 mm; got {mm!r}")
        msg = self._place(max(0.0, self.needle.depth_mm - float(mm)), "withdraw")
        return self._say(
            ("Needle withdrawn. " + msg) if not msg.startswith("Bone") else msg, self._hint()
        )

    def turn_bevel(self, degrees: float = 90.0) -> str:
        self.bevel_deg = (self.bevel_deg + float(degrees)) % 360.0
        if self.needle is not None:
            self.needle = self.needle.with_(bevel_deg=self.bevel_deg)
            self.session.set_needle(self.needle)
        return self._say(
            f"Bevel turned to {self.bevel_deg:.0f} deg (the hub notch shows the bevel side; the "
            "tip drifts away from the bevel as it advances)."
        )

    # --- C-arm and images -------------------------------------------------------------------
    def set_carm(
        self, rotation_deg: float | None = None, tilt_deg: float | None = None, **kw
    ) -> CArm:
        ch = dict(kw)
        if rotation_deg is not None:
            ch["rotation_deg"] = float(rotation_deg)
        if tilt_deg is not None:
            ch["tilt_deg"] = float(tilt_deg)
        return self.session.set_carm(**ch)

    def coaxial(self) -> CArm:
        """Tilt/rotate the C-arm to look down the needle's line (the 'down the barrel' view)."""
        if self.needle is None:
            raise ValueError("place the needle before asking for a view down it")
        rot, tilt = angles_for_direction(np.asarray(self.needle.direction))
        return self.session.set_carm(
            rotation_deg=round(rot, 1),
            tilt_deg=round(tilt, 1),
            isocentre_mm=tuple(float(v) for v in self.needle.entry_mm),
        )

    def _record(self, frame: Frame, kind: str, test: int | None = None) -> ImageRecord:
        img = frame.image
        step = max(1, img.shape[0] // 128)
        tip = tuple(float(v) for v in self.needle.tip_mm) if self.needle is not None else None
        rec = ImageRecord(
            len(self.images) + 1,
            kind,
            self.session.carm.describe(),
            round(self.scene.time_s, 2),
            img[::step, ::step].copy(),
            tip,
            test,
        )
        self.images.append(rec)
        self.timeline.append(("image", self.scene.time_s))
        return rec

    def fluoro(self, seconds: float = 0.2) -> Frame:
        """Press the pedal (last-image-hold afterwards)."""
        frame = self.session.pedal(seconds=seconds)
        self._record(frame, "fluoro")
        return frame

    def test_contrast(self, volume_ml: float = 2.0, pps: float | None = None) -> list[Frame]:
        """Inject a test dose under live fluoroscopy: returns the cine frames (vessels show only here)."""
        if self.needle is None or self.needle.depth_mm <= 0:
            raise ValueError("the needle must be in the patient before contrast is injected")
        if not 0.5 <= float(volume_ml) <= 10:
            raise ValueError(f"test volume must be 0.5-10 mL; got {volume_ml!r}")
        tip = self.scene.tip()
        if tip.label == "bone":
            self.messages.append("Resistance is very high; nothing flows. Withdraw 1-2 mm.")
            return []
        t0 = self.scene.time_s
        clouds = inject3d(
            self.phantom,
            tip.needle.tip_mm,
            tip.label,
            float(volume_ml),
            time_s=t0,
            seed=self.seed + len(self.tests),
        )
        self.scene.deposits.extend(clouds)
        test = ContrastTest(
            float(volume_ml),
            tuple(c.pattern for c in clouds),
            tuple(float(v) for v in tip.needle.tip_mm),
        )
        self.tests.append(test)
        pps = pps or self.session.pps
        seconds = float(volume_ml) + 1.0  # the injection, then a second of washout
        frames = []
        n = max(2, int(round(seconds * pps)))
        for _k in range(n):
            fr = self.session.pedal(seconds=1.0 / pps)  # advances scene time by one pulse
            frames.append(fr)
            self._record(fr, "contrast cine", test=len(self.tests) - 1)
        test.frames = frames
        self._moved_since_test = False
        self._say(
            f"Test dose {float(volume_ml):g} mL injected under live fluoroscopy ({len(frames)} frames). "
            "Name the pattern you saw.",
            f"this pattern is {', '.join(test.true_patterns)}",
        )
        return frames

    def name_pattern(self, name: str) -> str:
        if not self.tests:
            raise ValueError("inject a test dose before naming a pattern")
        if name not in PATTERNS:
            raise ValueError(f"pattern must be one of {', '.join(PATTERNS)}; got {name!r}")
        self.tests[-1].named = name
        truth = self.tests[-1].true_patterns[0]
        return self._say(
            "Reading recorded.", "you are right" if name == truth else f"it was {truth}"
        )

    def inject_drug(self) -> str:
        if self.needle is None or self.needle.depth_mm <= 0:
            raise ValueError("the needle must be in the patient before the drug is injected")
        tip = self.scene.tip()
        confirmed = bool(self.tests) and not self._moved_since_test
        if self.mode == "guided" and not (
            confirmed and self.tests[-1].true_patterns[0] == "intra-articular"
        ):
            return self._say(
                "Not yet.",
                "confirm an intra-articular pattern with contrast, without moving the "
                "needle afterwards, before the drug",
            )
        self.drug = {
            "label": tip.label,
            "tip_mm": tuple(float(v) for v in tip.needle.tip_mm),
            "after_test": confirmed,
            "time_s": self.scene.time_s,
            "bone_contact": self._near_contact(),
            "last_test": self.tests[-1].true_patterns[0] if self.tests else None,
        }
        return self._say(
            "Drug injected. Take a final image if you wish, then finish for the debrief."
        )

    def _near_contact(self) -> bool:
        """Bone was felt on this pass and the tip is still within 3 mm of that point."""
        if self.contact_tip is None or self.needle is None:
            return False
        return float(np.linalg.norm(self.needle.tip_mm - np.asarray(self.contact_tip))) <= 3.0

    def finish(self):
        from .debrief import Debrief

        self.finished = True
        return Debrief.from_exercise(self)

    def neutral_description(self) -> str:
        """Alt text for the current image without tissue or pattern words (assessment mode)."""
        f = self.session.last_frame
        view = self.session.carm.describe()
        parts = [
            f"Simulated fluoroscopy image, {view}, right hip; bone appears "
            f"{'light' if self.session.invert else 'dark'}."
        ]
        if self.needle is not None:
            parts.append("A spinal needle with its hub is in the field.")
        if f is not None and f.deposits:
            parts.append("Contrast has been injected.")
        text = " ".join(parts)
        return assert_neutral(text) if self.mode == "assessment" else text


__all__ = [
    "APPROACHES",
    "MODES",
    "Approach",
    "ContrastTest",
    "ImageRecord",
    "ProcedureExercise",
    "assert_neutral",
]
