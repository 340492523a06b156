"""C-arm cone-beam geometry in the patient frame.

Patient frame (DICOM LPS): origin at the right femoral-head centre, x toward the patient's
left, y posterior, z cranial; millimetres. The patient lies supine with the tube under the
table, so the AP view has the source posterior (+y) and the detector anterior.

``n`` is the unit vector from the isocentre to the source. The source sits at
``iso + SOD n`` and the detector centre at ``source - SID n``. Detector rows run along
``-v`` (``v`` = detector "up", the cranial direction projected onto the detector) and
columns along ``v x n``; pixel centres sit at ``(k - (n-1)/2) * pixel``. This is the
convention of ``plastimatch drr`` [@Sharp2010], so the two images compare pixel for pixel.
Displayed frames are flipped left-right (see :mod:`.imaging`) so that the patient's right
is on the viewer's left, as on a radiograph.

A ray to detector offset (u, v) mm has direction ``D(u, v) = W0 + u e_c + v e_r`` with
``W0 = -SID n``: affine in detector coordinates, which is what lets :mod:`.phantom`
evaluate each quadric as a handful of broadcast row/column operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .constants import value
from .validation import check_choice, check_number

FIELD_MODES = ("full", "mag")
DETECTOR_TYPES = ("flat_panel", "image_intensifier")


@dataclass(frozen=True)
class CArm:
    """A C-arm pose and its imaging chain settings.

    ``rotation_deg`` turns the source about the patient's long axis toward the patient's
    left (+x); ``tilt_deg`` tilts the source toward the head (+z). ``collimation`` is the
    fraction (0.2-1) of the field edge left open by the square collimator.
    """

    rotation_deg: float = 0.0
    tilt_deg: float = 0.0
    sid_mm: float = field(default_factory=lambda: value("sid_mm"))
    sod_mm: float = field(default_factory=lambda: value("sod_mm"))
    field_mode: str = "full"
    collimation: float = 1.0
    pixels: int = 512
    detector: str = "flat_panel"
    isocentre_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        rmax = value("rotation_max_deg")
        tmax = value("tilt_max_deg")
        object.__setattr__(
            self, "rotation_deg", check_number("rotation_deg", self.rotation_deg, -rmax, rmax)
        )
        object.__setattr__(self, "tilt_deg", check_number("tilt_deg", self.tilt_deg, -tmax, tmax))
        object.__setattr__(self, "sid_mm", check_number("sid_mm", self.sid_mm, 500.0, 1500.0))
        object.__setattr__(
            self, "sod_mm", check_number("sod_mm", self.sod_mm, 300.0, self.sid_mm - 100.0)
        )
        object.__setattr__(
            self, "collimation", check_number("collimation", self.collimation, 0.2, 1.0)
        )
        object.__setattr__(self, "pixels", int(check_number("pixels", self.pixels, 16, 2048)))
        check_choice("field_mode", self.field_mode, FIELD_MODES)
        check_choice("detector", self.detector, DETECTOR_TYPES)
        iso = tuple(
            check_number(f"isocentre_mm[{i}]", c, -500.0, 500.0)
            for i, c in enumerate(self.isocentre_mm)
        )
        if len(iso) != 3:
            raise ValueError(f"isocentre_mm must have 3 coordinates; got {len(iso)}")
        object.__setattr__(self, "isocentre_mm", iso)

    # --- derived geometry -------------------------------------------------------
    @property
    def magnification(self) -> float:
        return self.sid_mm / self.sod_mm

    @property
    def field_mm(self) -> float:
        """Detector field edge (mm) of the current mode, before collimation."""
        return value("field_full_mm") if self.field_mode == "full" else value("field_mag_mm")

    @property
    def pixel_mm(self) -> float:
        return self.field_mm / self.pixels

    @property
    def open_field_mm(self) -> float:
        """Collimated field edge at the detector (mm)."""
        return self.field_mm * self.collimation

    @property
    def n(self) -> np.ndarray:
        """Unit vector from the isocentre to the source."""
        r, t = math.radians(self.rotation_deg), math.radians(self.tilt_deg)
        return np.array([math.sin(r) * math.cos(t), math.cos(r) * math.cos(t), math.sin(t)])

    @property
    def source(self) -> np.ndarray:
        return np.asarray(self.isocentre_mm) + self.sod_mm * self.n

    @property
    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """(e_c, e_r): unit vectors along detector columns and rows."""
        n = self.n
        up = np.array([0.0, 0.0, 1.0])
        if abs(n @ up) > 0.999:  # looking along z: use anterior as "up"
            up = np.array([0.0, -1.0, 0.0])
        v = up - (up @ n) * n
        v /= np.linalg.norm(v)
        e_c = np.cross(v, n)
        return e_c, -v

    def pixel_offsets(self) -> np.ndarray:
        """Detector coordinates (mm) of pixel centres along one axis."""
        k = np.arange(self.pixels, dtype=np.float64)
        return (k - (self.pixels - 1) / 2.0) * self.pixel_mm

    def ray_frame(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(source, W0, e_c, e_r) describing D(u, v) = W0 + u e_c + v e_r."""
        e_c, e_r = self.axes
        return self.source, -self.sid_mm * self.n, e_c, e_r

    def project(self, points_mm: np.ndarray) -> np.ndarray:
        """Detector coordinates (u, v) in mm of 3-D points, shape (..., 2)."""
        p = np.asarray(points_mm, dtype=np.float64)
        s = self.source
        e_c, e_r = self.axes
        d = p - s
        depth = -(d @ self.n)  # distance along the central ray from the source
        scale = self.sid_mm / depth
        return np.stack([(d @ e_c) * scale, (d @ e_r) * scale], axis=-1)

    def to_pixel(self, uv_mm: np.ndarray) -> np.ndarray:
        """(col, row) fractional pixel indices of detector coordinates."""
        return np.asarray(uv_mm) / self.pixel_mm + (self.pixels - 1) / 2.0

    def with_(self, **changes) -> CArm:
        return replace(self, **changes)

    def describe(self) -> str:
        if self.rotation_deg == 0 and self.tilt_deg == 0:
            view = "AP view"
        else:
            parts = []
            # Named by where the detector (image intensifier) goes, as on the C-arm's display: the
            # tube is under the table, so turning the source to the patient's left (+rotation)
            # brings the detector over the patient's right anterior side (RAO), and tilting the
            # source to the head (+tilt) brings the detector towards the feet (a caudal tilt,
            # the coaxial view of the anterior oblique approach).
            if self.rotation_deg:
                side = "RAO" if self.rotation_deg > 0 else "LAO"
                parts.append(f"{side} {abs(self.rotation_deg):.0f} deg")
            if self.tilt_deg:
                side = "caudal" if self.tilt_deg > 0 else "cranial"
                parts.append(f"{abs(self.tilt_deg):.0f} deg {side}")
            view = ", ".join(parts) + " view"
        return view


def angles_for_direction(n: np.ndarray) -> tuple[float, float]:
    """(rotation_deg, tilt_deg) that put the source along unit vector ``n`` from the isocentre."""
    n = np.asarray(n, dtype=np.float64)
    n = n / np.linalg.norm(n)
    tilt = math.degrees(math.asin(max(-1.0, min(1.0, n[2]))))
    rot = math.degrees(math.atan2(n[0], n[1]))
    return rot, tilt
