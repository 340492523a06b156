"""A 22 G spinal needle with hub and bevel, on any 3-D path from any skin entry.

Why a separate model from :class:`.needle.Needle`: the exercise needs what a resident
handles -- a hub that shows as a ring when the needle is seen end-on ("down the barrel"),
a bevel whose side is marked on the hub and that steers the tip, and a skin entry that can
be anywhere (vertical anterior, anterior oblique, anterolateral) -- while the simple
straight needle stays for the older code paths.

Geometry (patient frame: x to the patient's left, y posterior, z cranial; mm):

* Shaft: steel, OD 0.718 mm (22 G [@WikipediaNeedleGauge]); 89 mm, or 127 mm in large
  patients [@HipInjectionChapter2023]. Stylet in, so the shaft is solid.
* Bevel: a Quincke cut whose face is inclined ~18 deg to the shaft (modelling choice). A
  bevelled needle drifts away from the bevel face as it advances and the hub notch marks
  the bevel side [@NeedleTechniquesChapter]; modelled as a gentle arc, curvature
  :data:`BEVEL_CURVATURE_PER_MM` (about 3 mm off line after 80 mm: a teaching value,
  assumption).
* Hub: translucent plastic, a hollow cylinder OD 7 mm, ID 3 mm, 18 mm long, with a notch tab
  on the bevel side (sizes and the plastic's attenuation are assumptions: 1.2 x water,
  polycarbonate-like). End-on it projects as a ring with the dense shaft dot at its centre.
* Bone contact: the needle stops 0.1 mm short of the first point of the path inside bone,
  found from :meth:`HipPhantom.in_region` only (no phantom internals), so it works for any
  phantom that answers "is this point bone?".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .constants import value
from .materials import mu_per_mm
from .needle import TipResult, classify_point
from .primitives import cylinder_between
from .validation import check_number

BEVEL_CURVATURE_PER_MM = 0.0009  # assumption: ~2.9 mm drift after 80 mm (teaching value)
BEVEL_FACE_DEG = 18.0  # assumption: Quincke bevel face angle to the shaft
HUB_OD_MM, HUB_ID_MM, HUB_LENGTH_MM = 7.0, 3.0, 18.0  # assumption: typical spinal-needle hub
HUB_MU_FACTOR = 1.2  # assumption: hub plastic attenuates ~1.2 x water
SEGMENTS = 4  # straight pieces that draw the curved inserted part
CONTACT_STEP_MM = 0.5
_BONE_FREE: dict = {}  # (phantom id, path) -> inserted length known to be free of bone


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    n = float(np.linalg.norm(v))
    if v.shape != (3,) or not np.isfinite(n) or n == 0:
        raise ValueError(f"direction must be a non-zero 3-vector; got {v!r}")
    return v / n


def bevel_reference(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors across the shaft: ``ref`` (towards cranial, or anterior for a
    cranio-caudal needle) and ``d x ref``; the bevel angle turns from ``ref`` towards the other."""
    up = np.array([0.0, 0.0, 1.0]) if abs(d[2]) < 0.9 else np.array([0.0, -1.0, 0.0])
    ref = up - (up @ d) * d
    ref /= np.linalg.norm(ref)
    return ref, np.cross(d, ref)


def direction_from_angles(medial_deg: float, cranial_deg: float) -> np.ndarray:
    """Unit direction of a needle pointing posteriorly, tilted ``medial_deg`` towards the
    midline (+x) and ``cranial_deg`` towards the head (+z) from the vertical (AP) line."""
    medial_deg = check_number("medial_deg", medial_deg, -75.0, 75.0)
    cranial_deg = check_number("cranial_deg", cranial_deg, -60.0, 60.0)
    return _unit([math.tan(math.radians(medial_deg)), 1.0, math.tan(math.radians(cranial_deg))])


def skin_entry(phantom, through_mm, direction) -> np.ndarray:
    """Where the line through ``through_mm`` along ``direction`` enters the skin (from outside).

    Marches back from the point against the direction until the body's attenuation is zero
    (air), then refines to 0.1 mm. Uses :meth:`HipPhantom.mu_at` only.
    """
    d = _unit(direction)
    p = np.asarray(through_mm, dtype=np.float64)
    s = np.arange(0.0, 400.0, 2.0)
    pts = p[None, :] - s[:, None] * d[None, :]
    inside = phantom.mu_at(pts) > 1e-4
    if not inside[0]:
        raise ValueError(
            "the aiming point lies outside the patient; choose a point inside the body"
        )
    out = np.flatnonzero(~inside)
    if not len(out):
        raise ValueError("no skin entry found within 400 mm along this direction")
    k = int(out[0])
    fine = np.linspace(s[k - 1], s[k], 21)
    ins = phantom.mu_at(p[None, :] - fine[:, None] * d[None, :]) > 1e-4
    last_in = fine[np.flatnonzero(ins)[-1]]
    return p - last_in * d


@dataclass(frozen=True)
class SpinalNeedle:
    """A spinal needle: skin entry, aimed direction, inserted depth, bevel orientation.

    ``depth_mm`` is the length inside the patient along the (slightly curved) path;
    ``bevel_deg`` turns the bevel face about the shaft (0 = facing cranial, see
    :func:`bevel_reference`); the tip drifts away from the face.
    """

    entry_mm: tuple[float, float, float]
    direction: tuple[float, float, float]
    depth_mm: float = 0.0
    bevel_deg: float = 0.0
    length_mm: float = field(default_factory=lambda: value("needle_length_mm"))
    od_mm: float = field(default_factory=lambda: value("needle_od_22g_mm"))
    curvature_per_mm: float = BEVEL_CURVATURE_PER_MM

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", tuple(_unit(self.direction).tolist()))
        object.__setattr__(self, "entry_mm", tuple(float(x) for x in self.entry_mm))
        object.__setattr__(
            self, "length_mm", check_number("length_mm", self.length_mm, 20.0, 200.0)
        )
        object.__setattr__(
            self, "depth_mm", check_number("depth_mm", self.depth_mm, 0.0, self.length_mm)
        )
        object.__setattr__(
            self,
            "bevel_deg",
            float(check_number("bevel_deg", self.bevel_deg, -720.0, 720.0)) % 360.0,
        )
        object.__setattr__(self, "od_mm", check_number("od_mm", self.od_mm, 0.2, 3.0))
        object.__setattr__(
            self,
            "curvature_per_mm",
            check_number("curvature_per_mm", self.curvature_per_mm, 0.0, 0.01),
        )

    # --- construction -------------------------------------------------------------
    @classmethod
    def aimed(
        cls,
        phantom,
        through_mm,
        medial_deg: float = 0.0,
        cranial_deg: float = 0.0,
        depth_mm: float = 0.0,
        **kw,
    ) -> SpinalNeedle:
        """Needle on the line through ``through_mm`` at the given angles, entering at the skin."""
        d = direction_from_angles(medial_deg, cranial_deg)
        return cls(tuple(skin_entry(phantom, through_mm, d)), tuple(d), depth_mm, **kw)

    def with_(self, **changes) -> SpinalNeedle:
        return replace(self, **changes)

    def with_depth(self, depth_mm: float) -> SpinalNeedle:
        return replace(self, depth_mm=depth_mm)

    # --- geometry -------------------------------------------------------------------
    @property
    def bevel_normal(self) -> np.ndarray:
        """Unit vector across the shaft towards the bevel face (the hub notch side)."""
        d = np.asarray(self.direction)
        ref, other = bevel_reference(d)
        b = math.radians(self.bevel_deg)
        return math.cos(b) * ref + math.sin(b) * other

    def path_point(self, s) -> np.ndarray:
        """Point(s) at inserted length ``s`` (mm): a parabola drifting away from the bevel."""
        s = np.asarray(s, dtype=np.float64)
        d, b, e = np.asarray(self.direction), self.bevel_normal, np.asarray(self.entry_mm)
        return e + s[..., None] * d - 0.5 * self.curvature_per_mm * (s[..., None] ** 2) * b

    def tangent(self, s: float) -> np.ndarray:
        d, b = np.asarray(self.direction), self.bevel_normal
        return _unit(d - self.curvature_per_mm * s * b)

    @property
    def tip_mm(self) -> np.ndarray:
        return self.path_point(self.depth_mm)

    @property
    def hub_mm(self) -> np.ndarray:
        """Centre of the hub's front face (where the shaft leaves the hub)."""
        return np.asarray(self.entry_mm) - (self.length_mm - self.depth_mm) * np.asarray(
            self.direction
        )

    def primitive(self):
        """The shaft as one straight cylinder (compatibility with :class:`.needle.Needle`)."""
        r = self.od_mm / 2
        return cylinder_between(self.hub_mm, self.tip_mm, (r, r), name="needle")

    def terms(self) -> tuple:
        """(primitive, weight per mm) pairs of shaft, bevelled tip, hub ring and notch, relative
        to the soft tissue the shaft displaces (steel - muscle) and to air for the hub."""
        r = self.od_mm / 2
        w_steel = mu_per_mm("steel") - mu_per_mm("muscle")
        w_hub = HUB_MU_FACTOR * mu_per_mm("water")
        d = np.asarray(self.direction)
        out = []
        entry = np.asarray(self.entry_mm)
        hub_front = self.hub_mm
        hub_back = hub_front - HUB_LENGTH_MM * d
        if self.length_mm - self.depth_mm > 0.05:
            out.append((cylinder_between(hub_back, entry, (r, r), name="shaft outside"), w_steel))
        else:
            out.append(
                (cylinder_between(hub_back, hub_front, (r, r), name="shaft in hub"), w_steel)
            )
        if self.depth_mm > 0.05:
            s = np.linspace(0.0, self.depth_mm, SEGMENTS + 1)
            pts = self.path_point(s)
            for i in range(SEGMENTS - 1):
                out.append((cylinder_between(pts[i], pts[i + 1], (r, r), name="shaft"), w_steel))
            # last piece carries the bevel: a plane through the axis point r*tan(a) behind the tip
            t = self.tangent(self.depth_mm)
            b = self.bevel_normal - (self.bevel_normal @ t) * t
            b /= np.linalg.norm(b)
            a = math.radians(90.0 - BEVEL_FACE_DEG)
            m = math.cos(a) * t + math.sin(a) * b
            p0 = pts[-1] - r * math.tan(a) * t
            last = cylinder_between(pts[-2], pts[-1], (r, r), name="bevelled tip").clip(
                m, float(m @ p0)
            )
            out.append((last, w_steel))
        # hub: outer minus inner cylinder (a ring end-on), plus the bevel notch tab
        ro, ri = HUB_OD_MM / 2, HUB_ID_MM / 2
        out.append((cylinder_between(hub_back, hub_front, (ro, ro), name="hub"), w_hub))
        out.append((cylinder_between(hub_back, hub_front, (ri, ri), name="hub lumen"), -w_hub))
        bn = self.bevel_normal
        n0, n1 = hub_back + (ro + 0.8) * bn, hub_back + (ro + 0.8) * bn + 0.45 * HUB_LENGTH_MM * d
        out.append((cylinder_between(n0, n1, (0.9, 0.9), name="hub notch"), w_hub))
        return tuple(out)

    # --- in the patient ------------------------------------------------------------
    def _bone_along_path(self, phantom) -> float | None:
        """Inserted length at which the path first meets bone, or None.

        Uses the phantom's ray query (``bone_entry_distance``) on short chords of the curved path
        when it has one (fast on a mesh), otherwise marches ``in_region("bone")`` at 0.5 mm.
        """
        ray = getattr(phantom, "bone_entry_distance", None)
        if ray is not None:
            # the part of this path already known to be free of bone is not cast again (an
            # advance of 5 mm costs one short chord, not the whole path)
            key = (
                id(phantom),
                self.entry_mm,
                self.direction,
                self.bevel_deg,
                self.curvature_per_mm,
            )
            free = _BONE_FREE.get(key, 0.0)
            start = min(free, self.depth_mm)
            n_seg = max(1, int(math.ceil((self.depth_mm - start) / 10.0)))
            s = np.linspace(start, self.depth_mm, n_seg + 1)
            pts = self.path_point(s)
            for i in range(len(s) - 1):
                seg = pts[i + 1] - pts[i]
                length = float(np.linalg.norm(seg))
                if length <= 0:
                    continue
                t = ray(pts[i], seg / length)
                if t is not None and t <= length:
                    return float(s[i] + t * (s[i + 1] - s[i]) / length)
            if len(_BONE_FREE) > 256:
                _BONE_FREE.clear()
            _BONE_FREE[key] = max(free, self.depth_mm)
            return None
        s = np.arange(0.0, self.depth_mm + CONTACT_STEP_MM, CONTACT_STEP_MM)
        s[-1] = min(s[-1], self.depth_mm)
        hit = np.flatnonzero(phantom.in_region("bone", self.path_point(s)))
        if not len(hit):
            return None
        k = int(hit[0])
        lo = s[k - 1] if k > 0 else 0.0
        fine = np.linspace(lo, s[k], 26)
        fb = phantom.in_region("bone", self.path_point(fine))
        return float(fine[np.flatnonzero(fb)[0]])

    def place(self, phantom) -> PlacedTip:
        """Advance to ``depth_mm`` or to the first bone on the path, whichever comes first."""
        t_bone = self._bone_along_path(phantom) if self.depth_mm > 0 else None
        if t_bone is None:
            return PlacedTip(phantom, False, self)
        return PlacedTip(phantom, True, self.with_depth(max(0.0, t_bone - 0.1)))


class PlacedTip:
    """Where the needle ended, with its compartment label worked out only when asked for.

    Same fields as :class:`.needle.TipResult`; classifying a point on a mesh phantom costs
    tens of milliseconds, and in the assessment mode nothing needs the label while the
    resident works, so each advance stays quick.
    """

    def __init__(self, phantom, bone_contact: bool, needle: SpinalNeedle):
        self._phantom = phantom
        self.bone_contact = bool(bone_contact)
        self.needle = needle
        self._label = None

    @property
    def label(self) -> str:
        if self._label is None:
            self._label = classify_point(self._phantom, self.needle.tip_mm)
        return self._label

    @property
    def feedback(self) -> str:
        return TipResult(self.label, self.bone_contact, self.needle).feedback

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, (PlacedTip, TipResult))
            and self.needle == other.needle
            and self.bone_contact == other.bone_contact
        )

    __hash__ = None
