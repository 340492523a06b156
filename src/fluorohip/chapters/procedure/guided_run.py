"""The guided exercise of chapter 05, headless: :class:`GuidedRun` drives the virtual
fluoroscope (:mod:`fluorohip.fluoro`) on a synthetic patient.

Choose an entry point and angles, advance, take images (each press costs dose), inject test
contrast, read the pattern and get feedback on where the tip is. Every action returns a plain
message, so tests (and the hub load test) can script needle moves. Pure Python: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.inputs import parse_number
from fluorohip.fluoro import CArm, FluoroSession, HipPhantom, Needle, Scene, TipResult

from .equipment import needle_for, patient
from .facts import BORROWED, FACTS, fact_value
from .technique import PATTERN_ACTIONS, action_for

__all__ = [
    "IMAGE_SECONDS",
    "READ_OPTIONS",
    "SCORING",
    "GuidedRun",
    "RunEvent",
    "direction_words",
    "scripted_hit",
]

IMAGE_SECONDS = 0.5  # one short pedal press per image (an exercise choice)
SCORING = {  # teaching scoring, not a clinical standard
    "start": 100,
    "free_images": 4,
    "per_extra_image": 5,
    "per_extra_articular": 20,
    "intravascular": 30,
    "per_gy_cm2_over_ref": 50,
}
READ_OPTIONS = tuple(PATTERN_ACTIONS)


def direction_words(dx_mm: float, dz_mm: float) -> str:
    """On the AP view: +x medial, +z cranial (patient frame)."""
    parts = []
    if abs(dx_mm) >= 3:
        parts.append(f"{abs(dx_mm):.0f} mm {'medial' if dx_mm > 0 else 'lateral'}")
    if abs(dz_mm) >= 3:
        parts.append(f"{abs(dz_mm):.0f} mm {'cranial' if dz_mm > 0 else 'caudal'}")
    return " and ".join(parts) + " of the target" if parts else "over the target"


@dataclass
class RunEvent:
    kind: str
    message: str


class GuidedRun:
    """One guided needle placement on a synthetic patient in the virtual fluoroscope.

    Headless: every action returns a plain message and updates :attr:`events`. Depths are
    in mm along the needle; entry ``x_mm`` (+ medial) and ``z_mm`` (+ cranial) are in the
    simulator's patient frame, origin at the femoral-head centre.
    """

    def __init__(
        self,
        patient_id: str = "average",
        needle_length_mm: float | None = None,
        pixels: int = 128,
        seed: int = 0,
    ):
        self.patient = patient(patient_id)
        ph = HipPhantom(sex=self.patient.sex, bmi=self.patient.bmi, oa=self.patient.id == "oa")
        self.session = FluoroSession(scene=Scene(ph), carm=CArm(pixels=pixels), seed=seed)
        if needle_length_mm is None:
            _, needle_length_mm = needle_for(self.patient.bmi)
        self.needle_length_mm = float(needle_length_mm)
        self.entry: tuple[float, float, float, float] | None = None
        self.depth_mm = 0.0
        self.events: list[RunEvent] = []
        self.contrast_patterns: list[str] = []
        self.readings: list[tuple[str, str, bool]] = []
        self.drug_given = False
        self._last_pattern: str | None = None
        #: per contrast injection: did the joint outline too (a communicating bursa fills both)?
        self.joint_also_outlined: list[bool] = []
        self._moved_since_contrast = True

    # -- helpers
    @property
    def last_pattern(self) -> str | None:
        """The pattern the last test contrast made (what the learner is asked to read)."""
        return self._last_pattern

    @property
    def phantom(self) -> HipPhantom:
        return self.session.phantom

    def target_xz(self) -> tuple[float, float]:
        t = self.phantom.target_point()
        return float(t[0]), float(t[2])

    def _log(self, kind: str, message: str) -> str:
        self.events.append(RunEvent(kind, message))
        return message

    def _place(self) -> TipResult:
        if self.entry is None:
            raise ValueError("choose an entry point before placing the needle")
        x, z, med, cra = self.entry
        n = Needle.anterior(
            self.phantom,
            x_mm=x,
            z_mm=z,
            depth_mm=min(self.depth_mm, self.needle_length_mm),
            medial_deg=med,
            cranial_deg=cra,
            length_mm=self.needle_length_mm,
        )
        res = self.session.set_needle(n)
        if res is None:  # set_needle answers None only when it is given no needle
            raise RuntimeError("the simulator placed no needle")
        self.depth_mm = res.needle.depth_mm
        self._moved_since_contrast = True
        return res

    # -- actions
    def set_entry(
        self, x_mm: float, z_mm: float, medial_deg: float = 0.0, cranial_deg: float = 0.0
    ) -> str:
        """Choose the skin entry point (over the AP image) and the needle angles; the needle goes in 1 mm."""
        x = parse_number(x_mm, "x_mm", -60, 60, "mm")
        z = parse_number(z_mm, "z_mm", -80, 60, "mm")
        med = parse_number(medial_deg, "medial_deg", -30, 30, "°")
        cra = parse_number(cranial_deg, "cranial_deg", -30, 30, "°")
        self.entry = (x, z, med, cra)
        self.depth_mm = 1.0
        self._place()
        tx, tz = self.target_xz()
        return self._log(
            "entry",
            f"Entry {direction_words(x - tx, z - tz)}; needle angled {med:+.0f}° medial, "
            f"{cra:+.0f}° cranial.",
        )

    def advance(self, mm: float = 5.0) -> str:
        if self.entry is None:
            return self._log("refused", "Choose an entry point first.")
        step = parse_number(mm, "advance_mm", 0.5, 50, "mm")
        want = self.depth_mm + step
        self.depth_mm = want
        res = self._place()
        msg = f"Needle at {self.depth_mm:.0f} mm."
        if want > self.needle_length_mm and not res.bone_contact:
            msg += (
                f" The hub is at the skin: this {self.needle_length_mm:.0f} mm needle is too short for this "
                "patient. Choose a longer needle."
            )
        if res.bone_contact:
            msg += " You feel bone: the needle stops."
        return self._log("advance", msg)

    def withdraw(self, mm: float = 5.0) -> str:
        if self.entry is None:
            return self._log("refused", "Choose an entry point first.")
        step = parse_number(mm, "withdraw_mm", 0.5, 50, "mm")
        self.depth_mm = max(1.0, self.depth_mm - step)
        self._place()
        return self._log("withdraw", f"Needle withdrawn to {self.depth_mm:.0f} mm.")

    def image(self, seconds: float = IMAGE_SECONDS):
        """Press the pedal: returns the frame (each image adds fluoroscopy time and dose)."""
        frame = self.session.pedal(seconds=seconds)
        self._log("image", f"Image {self.session.ledger.presses}: {self.console()}")
        return frame

    def inject_contrast(self, volume_ml: float = 2.0):
        """Inject test contrast under live imaging; returns the frame. The reading is the learner's job."""
        if self.entry is None:
            self._log("refused", "Place the needle before injecting.")
            return None
        tip = self.session.scene.tip()
        if tip is None or tip.label in ("outside",):
            self._log("refused", "The tip is not in the patient.")
            return None
        vol = parse_number(volume_ml, "contrast_ml", 0.5, 5, "mL")
        before = len(self.session.injections)
        frame = self.session.inject(vol, live=True)
        pattern = self.session.injections[
            before
        ].pattern  # a bursal spill into the joint comes second
        also = any(d.pattern == "intra-articular" for d in self.session.injections[before + 1 :])
        self.joint_also_outlined.append(also)
        self._last_pattern = pattern
        self._moved_since_contrast = False
        self.contrast_patterns.append(pattern)
        self._log("contrast", f"{vol:g} mL contrast injected under live imaging. Read the pattern.")
        return frame

    def read_pattern(self, reading: str) -> tuple[bool, str]:
        """Check the learner's reading of the last contrast image; feedback says what it means and what to do."""
        if self._last_pattern is None:
            return False, self._log("refused", "Inject contrast first, then read the image.")
        if reading not in READ_OPTIONS:
            return False, self._log(
                "refused", f"reading must be one of: {', '.join(READ_OPTIONS)}; got {reading!r}"
            )
        truth = action_for(self._last_pattern)
        ok = reading == self._last_pattern
        self.readings.append((reading, self._last_pattern, ok))
        head = "Correct" if ok else f"Not quite: this is {truth.pattern}, not {reading}"
        msg = f"{head}. {truth.appearance}. Meaning: {truth.meaning}. Action: {truth.action}."
        return ok, self._log("reading", msg)

    def inject_drug(self) -> str:
        communicating = (
            self._last_pattern == "bursal"
            and bool(self.joint_also_outlined)
            and self.joint_also_outlined[-1]
        )
        if (
            self._last_pattern != "intra-articular" and not communicating
        ) or self._moved_since_contrast:
            return self._log(
                "refused",
                "Not yet: confirm an intra-articular pattern with contrast, without moving "
                "the needle afterwards, before injecting the drug.",
            )
        if communicating:
            self.drug_given = True
            return self._log(
                "drug",
                "The joint outlined as well as the iliopsoas bursa, so the bursa communicates "
                f"(about {BORROWED['bursa_communication'].text()} of normal adults [@IMAIOSBursa]) and the "
                "drug reaches the joint. "
                "Some will also reach the bursa, which can relieve bursal pain (a false-positive "
                "route): note it in the report. Save an image and document.",
            )
        self.drug_given = True
        return self._log(
            "drug", "Drug injected into the joint with low resistance. Save an image and document."
        )

    # -- feedback and score
    def tip_feedback(self) -> str:
        """Where the tip is, in words, with the direction to the target on the AP view."""
        tip = self.session.scene.tip()
        if tip is None:
            return "Place the needle first."
        t = self.phantom.target_point()
        p = tip.needle.tip_mm
        where = direction_words(float(p[0] - t[0]), float(p[2] - t[2]))
        depth_gap = float(t[1] - p[1])  # +y is posterior: positive = tip still anterior (shallow)
        deep = f"; {depth_gap:.0f} mm short of the target depth" if depth_gap > 3 else ""
        return f"Tip {tip.label}: {tip.feedback} Tip lies {where}{deep}."

    def console(self) -> str:
        led = self.session.ledger
        return (
            f"{led.presses} images, {led.fluoro_time_s:.1f} s, DAP {led.kap_gy_cm2 * 100:.1f} µGy·m² "
            f"(series mean {FACTS['fluoro_time_mean'].value:g} s, {FACTS['dap_mean'].value:g} µGy·m²)"
        )

    def score(self) -> dict:
        """Accuracy, images and dose, scored for teaching (not a clinical standard)."""
        led = self.session.ledger
        extra = [
            (
                "tip in the iliopsoas bursa (joint also outlined: accepted)"
                if also
                else "tip in the iliopsoas bursa"
            )
            if p == "bursal"
            else p
            for p, also in zip(self.contrast_patterns, self.joint_also_outlined)
            if p != "intra-articular" and not (p == "bursal" and also)
        ]
        bursal_accepted = sum(
            1
            for p, also in zip(self.contrast_patterns, self.joint_also_outlined)
            if p == "bursal" and also
        )
        success = self.drug_given
        points = 0
        if success:
            s = SCORING
            points = (
                s["start"]
                - s["per_extra_image"] * max(0, led.presses - s["free_images"])
                - s["per_extra_articular"] * len(extra)
                - (s["intravascular"] if "intravascular" in extra else 0)
                - int(
                    s["per_gy_cm2_over_ref"]
                    * max(0.0, led.kap_gy_cm2 - fact_value("dap_mean") / 100)
                )
            )
        return {
            "patient": self.patient.id,
            "success": success,
            "points": max(0, points),
            "images": led.presses,
            "fluoro_time_s": round(led.fluoro_time_s, 1),
            "dap_ugy_m2": round(led.kap_gy_cm2 * 100, 1),
            "extra_articular": extra,
            "bursa_with_joint": bursal_accepted,
            "readings_correct": sum(r[2] for r in self.readings),
            "readings": len(self.readings),
            "feedback": self.tip_feedback(),
        }


def scripted_hit(run: GuidedRun) -> dict:
    """A model run: entry over the target, advance to bone, one image, contrast, correct reading, drug."""
    tx, tz = run.target_xz()
    run.set_entry(tx, tz)
    for _ in range(40):
        msg = run.advance(5)
        if "bone" in msg or "too short" in msg:
            break
    run.image()
    run.inject_contrast(2.0)
    run.read_pattern(run.last_pattern or "intra-articular")
    run.inject_drug()
    return run.score()
