"""The needle and the classification of its tip against the phantom.

A 22 G spinal needle (OD 0.718 mm [@WikipediaNeedleGauge], 89 mm long
[@HipInjectionChapter2023]) with its stylet in is a solid steel cylinder. The learner sets
an entry point on the anterior skin, a direction and a depth; the needle stops at the
first bone surface it meets ("bone contact"), as a real needle does.

One label per point, with priority bone > vessel > joint > capsule wall > bursa > muscle >
fat > outside. "Joint" is inside the capsule by more than the wall band, "capsule wall"
within the band of its surface [@Weidner2012].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .constants import value
from .phantom import HipPhantom
from .primitives import Convex, cylinder_between
from .validation import check_number

LABELS = (
    "bone",
    "intravascular",
    "intra-articular",
    "capsular",
    "bursal",
    "intramuscular",
    "subcutaneous",
    "outside",
)

FEEDBACK = {
    "intra-articular": "Tip in the joint: contrast should outline the head-neck and flow away from the tip.",
    "capsular": "Too shallow: the tip sits in the capsule wall. Advance to bone at the head-neck junction.",
    "bursal": "Too medial and superficial: iliopsoas bursa (anterior to the capsule). Redirect laterally and deeper.",
    "intramuscular": "Too shallow: the tip is in muscle. Advance toward the lateral head-neck junction.",
    "subcutaneous": "Far too shallow: the tip is still in subcutaneous fat.",
    "intravascular": (
        "Tip in a vessel (in this simulator, a femoral vessel medial to the joint). Stop and do not "
        "inject the drug; reposition and re-test with contrast under live imaging."
    ),
    "bone": "Tip in bone: withdraw 1-2 mm before injecting.",
    "outside": "The tip is outside the patient.",
}


def classify_points(phantom: HipPhantom, points: np.ndarray) -> np.ndarray:
    """Label (index into :data:`LABELS`) of each point, by the priority order above."""
    p = np.atleast_2d(np.asarray(points, dtype=np.float64))
    out = np.full(p.shape[0], LABELS.index("outside"), dtype=np.int8)
    band = value("capsule_wall_band_mm")
    d = phantom.capsule_distance(p)
    masks = [
        ("subcutaneous", phantom.in_region("fat", p)),
        ("intramuscular", phantom.in_region("muscle", p)),
        ("bursal", phantom.in_region("bursa", p)),
        ("capsular", np.abs(d) <= band),
        ("intra-articular", d < -band),
        ("intravascular", phantom.in_region("vessel", p)),
        ("bone", phantom.in_region("bone", p)),
    ]
    for label, m in masks:  # later (higher priority) labels overwrite earlier ones
        out[m] = LABELS.index(label)
    return out


def classify_point(phantom: HipPhantom, point) -> str:
    return LABELS[int(classify_points(phantom, np.asarray(point, dtype=np.float64)[None, :])[0])]


def first_bone_entry(phantom: HipPhantom, p0, d) -> float | None:
    """Distance along the unit ray p0 + t d (t >= 0) to the first bone surface, or None."""
    p0 = np.asarray(p0, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    best = math.inf
    mesh_t = phantom.bone_entry_distance(p0, d) if hasattr(phantom, "bone_entry_distance") else None
    if mesh_t is not None:
        best = mesh_t
    for piece in phantom.regions["bone"]:
        if not hasattr(piece.prim, "line_interval"):
            continue  # real-bone surfaces: handled above
        t0, t1 = (float(x[0]) for x in piece.prim.line_interval(p0, d))
        if t1 <= max(t0, 0.0):
            continue
        segs = [(max(t0, 0.0), t1)]
        for m in piece.minus:  # subtract holes from the interval
            m0, m1 = (float(x[0]) for x in m.line_interval(p0, d))
            new = []
            for a, b in segs:
                if m1 <= a or m0 >= b:
                    new.append((a, b))
                    continue
                if m0 > a:
                    new.append((a, m0))
                if m1 < b:
                    new.append((m1, b))
            segs = new
        for a, b in segs:
            if b > a:
                best = min(best, a)
    return None if math.isinf(best) else best


@dataclass(frozen=True)
class Needle:
    """A straight needle: entry point on the skin, unit direction, inserted depth (mm)."""

    entry_mm: tuple[float, float, float]
    direction: tuple[float, float, float]
    depth_mm: float
    length_mm: float = field(default_factory=lambda: value("needle_length_mm"))
    od_mm: float = field(default_factory=lambda: value("needle_od_22g_mm"))

    def __post_init__(self) -> None:
        d = np.asarray(self.direction, dtype=np.float64)
        norm = float(np.linalg.norm(d))
        if d.shape != (3,) or not np.isfinite(norm) or norm == 0:
            raise ValueError(f"direction must be a non-zero 3-vector; got {self.direction!r}")
        object.__setattr__(self, "direction", tuple((d / norm).tolist()))
        object.__setattr__(self, "entry_mm", tuple(float(x) for x in self.entry_mm))
        object.__setattr__(
            self, "length_mm", check_number("length_mm", self.length_mm, 20.0, 200.0)
        )
        object.__setattr__(
            self, "depth_mm", check_number("depth_mm", self.depth_mm, 0.0, self.length_mm)
        )
        object.__setattr__(self, "od_mm", check_number("od_mm", self.od_mm, 0.2, 3.0))

    @classmethod
    def anterior(
        cls,
        phantom: HipPhantom,
        x_mm: float,
        z_mm: float,
        depth_mm: float,
        medial_deg: float = 0.0,
        cranial_deg: float = 0.0,
        **kw,
    ) -> Needle:
        """Entry on the anterior skin above (x, z); straight posterior, tilted by the angles."""
        x_mm = check_number("x_mm", x_mm, -100.0, 150.0)
        z_mm = check_number("z_mm", z_mm, -150.0, 100.0)
        medial_deg = check_number("medial_deg", medial_deg, -45.0, 45.0)
        cranial_deg = check_number("cranial_deg", cranial_deg, -45.0, 45.0)
        y = phantom.anterior_skin_y(x_mm)
        d = np.array([math.tan(math.radians(medial_deg)), 1.0, math.tan(math.radians(cranial_deg))])
        return cls((x_mm, y, z_mm), tuple(d), depth_mm, **kw)

    @property
    def tip_mm(self) -> np.ndarray:
        return np.asarray(self.entry_mm) + self.depth_mm * np.asarray(self.direction)

    @property
    def hub_mm(self) -> np.ndarray:
        return self.tip_mm - self.length_mm * np.asarray(self.direction)

    def with_depth(self, depth_mm: float) -> Needle:
        return Needle(self.entry_mm, self.direction, depth_mm, self.length_mm, self.od_mm)

    def primitive(self) -> Convex:
        r = self.od_mm / 2
        return cylinder_between(self.hub_mm, self.tip_mm, (r, r), name="needle")


@dataclass(frozen=True)
class TipResult:
    label: str
    bone_contact: bool
    needle: Needle

    @property
    def feedback(self) -> str:
        if self.bone_contact and self.label == "intra-articular":
            return "Bone contact at the head-neck junction inside the capsule: ready to inject."
        text = FEEDBACK[self.label]
        return ("Bone contact. " + text) if self.bone_contact else text


def place(phantom: HipPhantom, needle: Needle) -> TipResult:
    """Advance the needle, stopping 0.05 mm short of the first bone surface, and classify the tip."""
    t_bone = first_bone_entry(phantom, needle.entry_mm, needle.direction)
    contact = t_bone is not None and needle.depth_mm >= t_bone
    if contact:
        needle = needle.with_depth(max(0.0, t_bone - 0.05))
    return TipResult(classify_point(phantom, needle.tip_mm), contact, needle)
