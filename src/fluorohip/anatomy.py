"""Hip anatomy for the injector: cited dimensions and the geometry of the course drawings.

Pure Python, no widgets and no matplotlib (the drawings are in
:mod:`fluorohip.anatomy_figures`, the widgets in :mod:`fluorohip.anatomy_views`). Every
clinical number lives once in :data:`FACTS` with its unit, its range and the key of its
source in ``assets/references.yaml``; notebook text and figures take numbers from here.

Coordinate frame for the frontal drawings (the anterior view and the AP radiograph): a
**right** hip as displayed on an AP image, millimetres, origin at the centre of the
femoral head, +x medial (towards the pubic symphysis, the viewer's right), +y cranial.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .core.facts import Fact, citation_keys
from .core.inputs import parse_number

# --------------------------------------------------------------------------- facts


FACTS: dict[str, Fact] = {
    # Capsule, recesses and capacity
    "capsule_thickness_anterosuperior": Fact(
        6, "mm", "Weidner2012", "30 FAI hips, MR arthrography, 1-2 o'clock position"
    ),
    "capsule_insertion_below_head_neck_junction": Fact(
        26, "mm", "Weidner2012", "30 FAI hips, MR arthrography", low=19, high=33
    ),
    "joint_capacity": Fact(
        17,
        "mL",
        "HipCapacity1981",
        "normal adults at arthrography: small women to large men",
        low=14,
        high=20,
    ),
    "pressure_rises_above_volume": Fact(
        10, "mL", "CapsulePressure2009", "52 cadaveric hips, pressure-volume curve"
    ),
    "neck_puncture_volume": Fact(
        11.2,
        "mL",
        "USArthrography2013",
        "59 patients, US-guided MR arthrography, neck puncture (SD 2.9)",
    ),
    "head_puncture_volume": Fact(
        8.9,
        "mL",
        "USArthrography2013",
        "59 patients, US-guided MR arthrography, head puncture (SD 3.4)",
    ),
    # Nerves and vessels: shortest mean distance from the joint
    "femoral_vein_distance": Fact(17.5, "mm", "Mehta2018", "115 hip MRIs, mean (SD 4.4)"),
    "femoral_artery_distance": Fact(19.6, "mm", "Mehta2018", "115 hip MRIs, mean (SD 4.2)"),
    "femoral_nerve_distance": Fact(23.6, "mm", "Mehta2018", "115 hip MRIs, mean (SD 5.4)"),
    # Side-to-side position on axial MRI (left and right hips reported separately)
    "vein_medial_to_joint": Fact(
        95.7, "%", "Mehta2018", "115 hip MRIs (left 96.3%, right 95.1%)", low=95.1, high=96.3
    ),
    "artery_medial_to_joint": Fact(
        53.8, "%", "Mehta2018", "115 hip MRIs (left 51.9%, right 55.7%)", low=51.9, high=55.7
    ),
    "nerve_lateral_to_joint": Fact(
        58.1, "%", "Mehta2018", "115 hip MRIs (left 55.5%, right 60.7%)", low=55.5, high=60.7
    ),
    "femoral_nerve_distance_oa": Fact(
        21.9,
        "mm",
        "FemoralNerveOA2021",
        "41 patients with unilateral hip OA, to anterior acetabulum",
        low=19.4,
        high=24.3,
    ),
    "femoral_nerve_closer_in_oa": Fact(
        3.7, "mm", "FemoralNerveOA2021", "OA side vs healthy side", low=1.6, high=5.8
    ),
    "lfcn_numbness": Fact(
        6.7,
        "%",
        "AnteriorLandmark2013",
        "3 of 45 landmark anterior injections, resolved within 24 h",
    ),
    # Iliopsoas bursa
    "bursa_communication": Fact(15, "%", "IMAIOSBursa", "asymptomatic adults"),
    "bursitis_in_oa": Fact(
        2.2, "%", "Tormenta2012", "19 of 860 patients with symptomatic KL II-IV hip OA"
    ),
    # Radiographic positioning and morphology
    "internal_rotation_for_ap": Fact(
        12.5, "°", "MRArthrographyReview2010", "positioning to profile the neck", low=10, high=15
    ),
    "alpha_angle_cam_threshold": Fact(
        60, "°", "vanKlij2020", "best-supported threshold; ROC studies 57-60", low=57, high=60
    ),
    "neck_shaft_angle": Fact(
        128.8,
        "°",
        "Boese2016",
        "5,089 healthy adult hips on plain radiographs; low-high is the drawing tolerance, not a reported range",
        low=127,
        high=130.5,
    ),
    "neck_shaft_angle_oa": Fact(131.5, "°", "Boese2016", "1,230 hips with osteoarthritis"),
    "lateral_center_edge_angle": Fact(
        28, "°", "Tannast2015", "normal reference range on corrected AP pelvis", low=23, high=33
    ),
    "sharp_angle": Fact(40, "°", "Tannast2015", "normal reference range", low=38, high=42),
    "acetabular_index": Fact(
        8, "°", "Tannast2015", "normal reference range (Tönnis angle)", low=3, high=13
    ),
    "femoral_head_diameter": Fact(
        49,
        "mm",
        "Abdulai2024",
        "123 adults, radiographs: men 51 (SD 5.6), women 48 (SD 5.1)",
        low=48,
        high=51,
    ),
    # Depth
    "skin_to_acetabular_centre_anterior": Fact(
        98,
        "mm",
        "ArthroscopicDepthCT2003",
        "CT, anterior arthroscopic portal line, adult mean; greater in women",
    ),
}


def skin_to_anterior_head_mm() -> Fact:
    """Derived: path from skin to the anterior surface of the femoral head along the (oblique)
    anterior portal line: a path length, not a perpendicular depth.

    The CT study measured skin to the acetabular (= femoral head) centre; the capsule lies on
    the head, one head radius nearer the skin. ``98 - 49/2 ≈ 74 mm``, an average adult only.
    """
    centre = FACTS["skin_to_acetabular_centre_anterior"]
    radius = FACTS["femoral_head_diameter"].value / 2
    return Fact(
        round(centre.value - radius),
        "mm",
        (centre.key, FACTS["femoral_head_diameter"].key),
        "derived: CT skin-to-centre mean along the anterior portal line minus one femoral head radius",
        derived=True,
    )


#: Spinal needle lengths many services stock (3.5 and 5 inch, converted). Product sizes, not
#: clinical evidence: choose the length for the patient in front of you (local practice varies).
NEEDLE_LENGTHS_MM: dict[str, float] = {
    "3.5-inch spinal (89 mm)": 88.9,
    "5-inch spinal (127 mm)": 127.0,
}

#: Shaft to keep spare beyond the estimated skin-to-target path, for needle angle and soft-tissue
#: compression. A teaching rule of thumb of this course (about 1 cm), NOT a published number: when
#: the spare shaft would be smaller than this, choose the longer needle.
NEEDLE_MARGIN_MM: float = 10.0


def fact(name: str) -> Fact:
    """Look a fact up by name, with a clear message for a typo."""
    try:
        return FACTS[name]
    except KeyError:
        raise KeyError(
            f"no anatomy fact called {name!r}; known: {', '.join(sorted(FACTS))}"
        ) from None


def all_citation_keys() -> set[str]:
    return citation_keys(FACTS) | set(skin_to_anterior_head_mm().keys)


# --------------------------------------------------------------------------- depth model

DEPTH_LIMITS_MM = (10.0, 250.0)
TILT_LIMITS_DEG = (0.0, 60.0)


def needle_path_mm(depth_mm, tilt_deg=0.0) -> float:
    """Needle length used inside the body: ``depth / cos(tilt)``.

    ``depth_mm`` is the perpendicular skin-to-target depth; ``tilt_deg`` the angle between the
    needle and that perpendicular (a caudal-to-cranial tilt, for instance). Tilting always
    lengthens the path, by 15% at 30 degrees and doubles it at 60 degrees (geometry, no source needed).
    """
    d = parse_number(depth_mm, "depth_mm", *DEPTH_LIMITS_MM, "mm")
    t = parse_number(tilt_deg, "tilt_deg", *TILT_LIMITS_DEG, "°")
    return d / math.cos(math.radians(t))


def depth_for_extra_fat_mm(extra_fat_mm) -> float:
    """Skin-to-capsule depth of a synthetic patient with ``extra_fat_mm`` more (or, if
    negative, less) subcutaneous fat than the derived average adult."""
    extra = parse_number(extra_fat_mm, "extra_fat_mm", -40, 150, "mm")
    return skin_to_anterior_head_mm().value + extra


@dataclass(frozen=True)
class NeedleCheck:
    needle: str
    length_mm: float
    path_mm: float

    @property
    def spare_mm(self) -> float:
        return self.length_mm - self.path_mm

    @property
    def reaches(self) -> bool:
        return self.spare_mm >= 0

    def has_margin(self, margin_mm: float = NEEDLE_MARGIN_MM) -> bool:
        """True when at least ``margin_mm`` of shaft is left over (teaching rule of thumb, not sourced)."""
        return self.spare_mm >= margin_mm


def needle_checks(path_mm: float, needles: dict[str, float] | None = None) -> list[NeedleCheck]:
    """For each needle: does it reach, and how much shaft is left outside the skin?"""
    needles = NEEDLE_LENGTHS_MM if needles is None else needles
    p = parse_number(path_mm, "path_mm", 0, 1000, "mm")
    return [NeedleCheck(name, length, p) for name, length in needles.items()]


def shortest_needle_that_reaches(
    path_mm: float, needles: dict[str, float] | None = None, margin_mm: float = 0.0
) -> str | None:
    """Shortest needle whose spare shaft is at least ``margin_mm`` (0: it merely reaches).

    To choose a needle for a patient pass ``margin_mm=NEEDLE_MARGIN_MM``: a needle that only just
    reaches on paper leaves nothing for angle or soft-tissue compression.
    """
    margin = parse_number(margin_mm, "margin_mm", 0, 100, "mm")
    ok = [c for c in needle_checks(path_mm, needles) if c.has_margin(margin)]
    return min(ok, key=lambda c: c.length_mm).needle if ok else None


def needle_to_choose(path_mm: float, needles: dict[str, float] | None = None) -> str | None:
    """The needle to pick for an estimated path: the shortest that leaves the teaching margin."""
    return shortest_needle_that_reaches(path_mm, needles, margin_mm=NEEDLE_MARGIN_MM)


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Point:
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
    a = math.radians(angle_deg)
    return Point(math.cos(a), math.sin(a))


def angle_between_deg(u: Point, v: Point) -> float:
    cos = (u.x * v.x + u.y * v.y) / (u.norm() * v.norm())
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


#: Drawing-only proportions (schematic, not measurements; never quoted as facts).
SCHEMATIC = {
    "joint_space_mm": 4.0,  # cartilage of head + acetabulum, drawn
    "neck_length_mm": 35.0,  # head surface to intertrochanteric line; as the simulator's cited 34.9 mm
    "neck_half_width_mm": 15.0,
    "shaft_half_width_mm": 15.0,
    "teardrop_x_mm": 32.0,
}


@dataclass(frozen=True)
class HipGeometry:
    """The frontal geometry shared by the AP schematic and the anterior view.

    Built from the cited head diameter, neck-shaft angle, lateral centre-edge angle and
    Sharp angle; tests measure these back from the points.
    """

    head_diameter_mm: float = FACTS["femoral_head_diameter"].value
    neck_shaft_angle_deg: float = 129.0  # within Boese2016's 127-130.5 corrected range
    lce_angle_deg: float = FACTS["lateral_center_edge_angle"].value
    sharp_angle_deg: float = FACTS["sharp_angle"].value
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


# --------------------------------------------------------------------------- structures


@dataclass(frozen=True)
class Structure:
    id: str
    name: str
    note: str  # one line a learner reads when the structure is highlighted


@dataclass(frozen=True)
class Layer:
    id: str
    name: str
    structures: tuple[str, ...]
    note: str


#: Coronal section: every structure drawn, grouped in layers the learner can toggle.
CORONAL_LAYERS: tuple[Layer, ...] = (
    Layer(
        "bone",
        "Bone",
        ("femoral-head", "femoral-neck", "acetabulum", "greater-trochanter"),
        "Ball (femoral head) in socket (acetabulum).",
    ),
    Layer(
        "cartilage",
        "Articular cartilage",
        ("head-cartilage", "acetabular-cartilage"),
        "Hyaline cartilage; joint-space loss on the radiograph means it is thinning.",
    ),
    Layer(
        "labrum",
        "Labrum and ligaments",
        ("labrum", "ligamentum-teres", "transverse-ligament"),
        "Labrum deepens the socket; ligamentum teres runs from the fovea to the acetabular notch, "
        "bridged below by the transverse acetabular ligament.",
    ),
    Layer(
        "capsule",
        "Fibrous capsule",
        ("capsule", "zona-orbicularis"),
        "From just beyond the labrum to the intertrochanteric line in front; "
        "the zona orbicularis is its narrow waist.",
    ),
    Layer(
        "synovium",
        "Synovium and recesses",
        ("synovium", "inferior-recess", "superior-recess"),
        "Lines the capsule and covers the intracapsular neck; fluid pools in the recesses.",
    ),
    Layer(
        "needle", "Needle on the neck", ("needle",), "Tip on the neck cortex, inside the capsule."
    ),
)

STRUCTURE_NAMES: dict[str, str] = {
    "femoral-head": "Femoral head",
    "femoral-neck": "Femoral neck",
    "acetabulum": "Acetabulum",
    "greater-trochanter": "Greater trochanter",
    "head-cartilage": "Cartilage of the head",
    "acetabular-cartilage": "Acetabular cartilage",
    "labrum": "Acetabular labrum",
    "ligamentum-teres": "Ligamentum teres",
    "transverse-ligament": "Transverse acetabular ligament",
    "capsule": "Fibrous capsule",
    "zona-orbicularis": "Zona orbicularis",
    "synovium": "Synovial membrane",
    "inferior-recess": "Inferior (medial) recess",
    "superior-recess": "Superior (lateral) recess",
    "needle": "Needle tip on the neck",
    # anterior view
    "inguinal-ligament": "Inguinal ligament",
    "sartorius": "Sartorius",
    "adductor-longus": "Adductor longus",
    "femoral-nerve": "Femoral nerve",
    "femoral-artery": "Femoral artery",
    "femoral-vein": "Femoral vein",
    "lfcn": "Lateral femoral cutaneous nerve",
    "iliopsoas": "Iliopsoas tendon",
    "iliopsoas-bursa": "Iliopsoas bursa",
    "asis": "Anterior superior iliac spine",
    "pubic-tubercle": "Pubic tubercle",
    "safe-corridor": "Entry corridor",  # id kept for links; "safe" oversold a corridor that only reduces risk
    # AP radiograph
    "lesser-trochanter": "Lesser trochanter",
    "acetabular-roof": "Acetabular roof (sourcil)",
    "teardrop": "Teardrop",
    "obturator-foramen": "Obturator foramen",
    "shentons-line": "Shenton's line",
    "target-hnj": "Target: head-neck junction",
    "target-midneck": "Target: mid neck",
    "ischial-tuberosity": "Ischial tuberosity",
}

ANTERIOR_STRUCTURES: tuple[str, ...] = (
    "asis",
    "pubic-tubercle",
    "inguinal-ligament",
    "sartorius",
    "adductor-longus",
    "femoral-nerve",
    "femoral-artery",
    "femoral-vein",
    "lfcn",
    "iliopsoas",
    "iliopsoas-bursa",
    "femoral-head",
    "safe-corridor",
)

#: Femoral triangle contents, lateral to medial [@Mehta2018].
FEMORAL_TRIANGLE_ORDER: tuple[str, ...] = ("femoral-nerve", "femoral-artery", "femoral-vein")

AP_STRUCTURES: tuple[str, ...] = (
    "femoral-head",
    "femoral-neck",
    "greater-trochanter",
    "lesser-trochanter",
    "acetabular-roof",
    "teardrop",
    "obturator-foramen",
    "shentons-line",
    "capsule",
    "target-hnj",
    "target-midneck",
)

#: The lettered AP figure used by the label-the-structure exercise and the quiz.
AP_LETTERS: dict[str, str] = {
    "A": "femoral-head",
    "B": "femoral-neck",
    "C": "greater-trochanter",
    "D": "lesser-trochanter",
    "E": "teardrop",
    "F": "obturator-foramen",
}

AP_VARIANTS = ("normal", "osteoarthritis", "cam", "prosthesis")


def coronal_structures(layers: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """Structure ids drawn when ``layers`` (default: all) are switched on."""
    known = {layer.id for layer in CORONAL_LAYERS}
    chosen = known if layers is None else set(layers)
    unknown = chosen - known
    if unknown:
        raise ValueError(f"unknown layer(s) {sorted(unknown)}; choose from {sorted(known)}")
    return [s for layer in CORONAL_LAYERS if layer.id in chosen for s in layer.structures]


@dataclass
class LabelAttempt:
    """Grades a learner's letter -> structure mapping for the lettered AP figure."""

    answers: dict[str, str] = field(default_factory=dict)

    def results(self) -> dict[str, bool]:
        return {letter: self.answers.get(letter) == sid for letter, sid in AP_LETTERS.items()}

    @property
    def score(self) -> int:
        return sum(self.results().values())
