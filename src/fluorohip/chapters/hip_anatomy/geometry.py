"""The frontal geometry of the hip drawings, built from the cited anatomy and measurable back.

Pure Python, no matplotlib. Coordinate frame for the frontal drawings (the anterior view and
the AP radiograph): a **right** hip as displayed on an AP image, millimetres, origin at the
centre of the femoral head, +x medial (towards the pubic symphysis, the viewer's right),
+y cranial. The tests measure the cited angles back from the points, so a drawing cannot
quietly teach a wrong angle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

from .model import fact_value

__all__ = [
    "SCHEMATIC",
    "HipGeometry",
    "Point",
    "angle_between_deg",
    "point_in_polygon",
    "unit",
]


@dataclass(frozen=True)
class Point:
    """A point (or vector) in the drawing plane, millimetres."""

    x: float
    y: float

    def __add__(self, other: Point) -> Point:
        return Point(self.x + other.x, self.y + other.y)

    def __sub__(self, other: Point) -> Point:
        return Point(self.x - other.x, self.y - other.y)

    def scale(self, k: float) -> Point:
        return Point(self.x * k, self.y * k)

    def norm(self) -> float:
        return math.hypot(self.x, self.y)


def unit(angle_deg: float) -> Point:
    """The unit vector at ``angle_deg`` from +x (medial), counter-clockwise."""
    a = math.radians(angle_deg)
    return Point(math.cos(a), math.sin(a))


def angle_between_deg(u: Point, v: Point) -> float:
    """The angle between two vectors, 0-180 degrees."""
    cos = (u.x * v.x + u.y * v.y) / (u.norm() * v.norm())
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


#: Drawing-only proportions (schematic, not measurements; never quoted as facts).
SCHEMATIC = MappingProxyType(
    {
        "joint_space_mm": 4.0,  # cartilage of head + acetabulum, drawn
        "neck_length_mm": 35.0,  # head surface to intertrochanteric line; as the simulator's cited 34.9 mm
        "neck_half_width_mm": 15.0,
        "shaft_half_width_mm": 15.0,
        "teardrop_x_mm": 32.0,
    }
)


@dataclass(frozen=True)
class HipGeometry:
    """The frontal geometry shared by the AP schematic and the anterior view.

    Built from the cited head diameter, neck-shaft angle, lateral centre-edge angle and
    Sharp angle; tests measure these back from the points.
    """

    head_diameter_mm: float = fact_value("femoral_head_diameter")
    neck_shaft_angle_deg: float = 129.0  # within Boese2016's 127-130.5 corrected range
    lce_angle_deg: float = fact_value("lateral_center_edge_angle")
    sharp_angle_deg: float = fact_value("sharp_angle")
    joint_space_mm: float = SCHEMATIC["joint_space_mm"]
    neck_length_mm: float = SCHEMATIC["neck_length_mm"]

    @property
    def radius(self) -> float:
        return self.head_diameter_mm / 2

    @property
    def head_centre(self) -> Point:
        return Point(0.0, 0.0)

    @property
    def neck_direction(self) -> Point:
        """Unit vector from the neck base towards the head (superomedial)."""
        # Shaft points distally (0, -1); the neck axis makes the neck-shaft angle with it.
        t = math.radians(self.neck_shaft_angle_deg)
        return Point(math.sin(t), -math.cos(t))

    @property
    def shaft_direction(self) -> Point:
        return Point(0.0, -1.0)

    @property
    def neck_base(self) -> Point:
        """Where the neck axis meets the shaft axis (at the intertrochanteric line)."""
        return self.head_centre - self.neck_direction.scale(self.radius + self.neck_length_mm)

    @property
    def head_neck_junction(self) -> Point:
        return self.head_centre - self.neck_direction.scale(self.radius)

    @property
    def mid_neck(self) -> Point:
        return self.head_centre - self.neck_direction.scale(self.radius + self.neck_length_mm / 2)

    @property
    def acetabular_radius(self) -> float:
        return self.radius + self.joint_space_mm

    @property
    def lateral_acetabular_edge(self) -> Point:
        r = self.acetabular_radius
        a = math.radians(self.lce_angle_deg)
        return Point(-r * math.sin(a), r * math.cos(a))

    @property
    def teardrop(self) -> Point:
        """Lower tip of the teardrop, placed so that the Sharp angle is the cited one."""
        edge = self.lateral_acetabular_edge
        x = SCHEMATIC["teardrop_x_mm"]
        return Point(x, edge.y - (x - edge.x) * math.tan(math.radians(self.sharp_angle_deg)))

    def measured_lce_deg(self) -> float:
        return angle_between_deg(Point(0, 1), self.lateral_acetabular_edge - self.head_centre)

    def measured_sharp_deg(self) -> float:
        d = self.lateral_acetabular_edge - self.teardrop
        return math.degrees(math.atan2(d.y, -d.x))

    def measured_neck_shaft_deg(self) -> float:
        return angle_between_deg(self.neck_direction, self.shaft_direction)

    def capsule_outline(self, n: int = 40) -> list[Point]:
        """Frontal projection of the capsule: acetabular rim, round the head, to the
        intertrochanteric line (anteriorly the whole neck is inside) [@RadiopaediaCapsule2022]."""
        r_rim = self.acetabular_radius + 2
        nd = self.neck_direction
        perp = Point(-nd.y, nd.x)  # superolateral side of the neck
        base = self.neck_base - nd.scale(3)
        w = SCHEMATIC["neck_half_width_mm"] + 6
        pts: list[Point] = []
        # from the lateral rim, over the top of the head, to the medial rim (inferomedial)
        start = 90 + self.lce_angle_deg
        for i in range(n + 1):
            a = start - i * (start - (-60)) / n
            pts.append(unit(a).scale(r_rim))
        # down the inferomedial neck to the intertrochanteric line, across, back up
        pts.append(base - perp.scale(w))
        pts.append(base + perp.scale(w))
        pts.append(unit(start).scale(r_rim))
        return pts

    def targets(self) -> dict[str, Point]:
        """The usual needle targets on the AP view: head-neck junction and mid neck."""
        return {"head-neck junction": self.head_neck_junction, "mid neck": self.mid_neck}


def point_in_polygon(p: Point, poly: list[Point]) -> bool:
    """Ray casting; True if ``p`` is strictly inside ``poly``."""
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi, xj, yj = poly[i].x, poly[i].y, poly[j].x, poly[j].y
        if (yi > p.y) != (yj > p.y) and p.x < (xj - xi) * (p.y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside
