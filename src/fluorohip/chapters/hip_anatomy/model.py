"""Hip anatomy for the injector: the cited dimensions, and the depth and needle-length model.

Pure Python, no widgets and no matplotlib. Every clinical number lives once in :data:`FACTS`
with its unit, its range and the key of its source in ``assets/references.yaml``; notebook
text, figures and the other chapters (procedure, the fluoroscope) take numbers from here, so a
number typed twice cannot drift. The drawings' geometry is in :mod:`.geometry`, the structure
names and the label exercise in :mod:`.structures`, the drawings in :mod:`.figures` and the
widgets in :mod:`.views`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fluorohip.core.facts import Fact, citation_keys
from fluorohip.core.inputs import parse_number

from ...core.shared_facts import SHARED

__all__ = [
    "DEPTH_LIMITS_MM",
    "FACTS",
    "NEEDLE_LENGTHS_MM",
    "NEEDLE_MARGIN_MM",
    "TILT_LIMITS_DEG",
    "Fact",
    "NeedleCheck",
    "all_citation_keys",
    "average_path_mm",
    "depth_for_extra_fat_mm",
    "fact",
    "fact_value",
    "needle_checks",
    "needle_path_mm",
    "needle_to_choose",
    "shortest_needle_that_reaches",
    "skin_to_anterior_head_mm",
]

# --------------------------------------------------------------------------- facts


FACTS: dict[str, Fact] = {
    # Capsule, recesses and capacity
    "capsule_thickness_anterosuperior": Fact(
        6, "mm", ("Weidner2012",), "30 FAI hips, MR arthrography, 1-2 o'clock position"
    ),
    "capsule_insertion_below_head_neck_junction": Fact(
        26, "mm", ("Weidner2012",), "30 FAI hips, MR arthrography", low=19, high=33
    ),
    "joint_capacity": SHARED["joint_capacity"],
    "pressure_rises_above_volume": SHARED["pressure_rises_above_volume"],
    "neck_puncture_volume": Fact(
        11.2,
        "mL",
        ("USArthrography2013",),
        "59 patients, US-guided MR arthrography, neck puncture (SD 2.9)",
    ),
    "head_puncture_volume": Fact(
        8.9,
        "mL",
        ("USArthrography2013",),
        "59 patients, US-guided MR arthrography, head puncture (SD 3.4)",
    ),
    # Nerves and vessels: shortest mean distance from the joint
    "femoral_vein_distance": Fact(17.5, "mm", ("Mehta2018",), "115 hip MRIs, mean (SD 4.4)"),
    "femoral_artery_distance": Fact(19.6, "mm", ("Mehta2018",), "115 hip MRIs, mean (SD 4.2)"),
    "femoral_nerve_distance": Fact(23.6, "mm", ("Mehta2018",), "115 hip MRIs, mean (SD 5.4)"),
    # Side-to-side position on axial MRI (left and right hips reported separately)
    "vein_medial_to_joint": Fact(
        95.7, "%", ("Mehta2018",), "115 hip MRIs (left 96.3%, right 95.1%)", low=95.1, high=96.3
    ),
    "artery_medial_to_joint": Fact(
        53.8, "%", ("Mehta2018",), "115 hip MRIs (left 51.9%, right 55.7%)", low=51.9, high=55.7
    ),
    "nerve_lateral_to_joint": Fact(
        58.1, "%", ("Mehta2018",), "115 hip MRIs (left 55.5%, right 60.7%)", low=55.5, high=60.7
    ),
    "femoral_nerve_distance_oa": Fact(
        21.9,
        "mm",
        ("FemoralNerveOA2021",),
        "41 patients with unilateral hip OA, to anterior acetabulum",
        low=19.4,
        high=24.3,
    ),
    "femoral_nerve_closer_in_oa": Fact(
        3.7, "mm", ("FemoralNerveOA2021",), "OA side vs healthy side", low=1.6, high=5.8
    ),
    "lfcn_numbness": Fact(
        6.7,
        "%",
        ("AnteriorLandmark2013",),
        "3 of 45 landmark anterior injections, resolved within 24 h",
    ),
    # Iliopsoas bursa
    "bursa_communication": Fact(15, "%", ("IMAIOSBursa",), "asymptomatic adults"),
    "bursitis_in_oa": Fact(
        2.2, "%", ("Tormenta2012",), "19 of 860 patients with symptomatic KL II-IV hip OA"
    ),
    # Radiographic positioning and morphology
    "internal_rotation_for_ap": Fact(
        12.5, "°", ("MRArthrographyReview2010",), "positioning to profile the neck", low=10, high=15
    ),
    "alpha_angle_cam_threshold": Fact(
        60, "°", ("vanKlij2020",), "best-supported threshold; ROC studies 57-60", low=57, high=60
    ),
    "neck_shaft_angle": Fact(
        128.8,
        "°",
        ("Boese2016",),
        "5,089 healthy adult hips on plain radiographs; low-high is the drawing tolerance, not a reported range",
        low=127,
        high=130.5,
    ),
    "neck_shaft_angle_oa": Fact(131.5, "°", ("Boese2016",), "1,230 hips with osteoarthritis"),
    "lateral_center_edge_angle": Fact(
        28, "°", ("Tannast2015",), "normal reference range on corrected AP pelvis", low=23, high=33
    ),
    "sharp_angle": Fact(40, "°", ("Tannast2015",), "normal reference range", low=38, high=42),
    "acetabular_index": Fact(
        8, "°", ("Tannast2015",), "normal reference range (Tönnis angle)", low=3, high=13
    ),
    "femoral_head_diameter": Fact(
        49,
        "mm",
        ("Abdulai2024",),
        "123 adults, radiographs: men 51 (SD 5.6), women 48 (SD 5.1)",
        low=48,
        high=51,
    ),
    # Depth
    "skin_to_acetabular_centre_anterior": Fact(
        98,
        "mm",
        ("ArthroscopicDepthCT2003",),
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
    return Fact(
        average_path_mm(),
        "mm",
        (centre.key, FACTS["femoral_head_diameter"].key),
        "derived: CT skin-to-centre mean along the anterior portal line minus one femoral head radius",
        derived=True,
    )


def average_path_mm() -> int:
    """The derived average skin-to-anterior-head path, ``98 - 49/2`` rounded (mm), as a number
    (:func:`skin_to_anterior_head_mm` gives it as a cited, derived :class:`Fact`)."""
    return round(
        fact_value("skin_to_acetabular_centre_anterior") - fact_value("femoral_head_diameter") / 2
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


def fact_value(name: str) -> float:
    """The single figure of fact ``name``, for arithmetic (every anatomy fact has one; a fact
    given only as a range would have to be used as a range, so it raises)."""
    value = fact(name).value
    if value is None:
        raise ValueError(f"anatomy fact {name!r} is a range with no single value; use its range")
    return float(value)


def all_citation_keys() -> set[str]:
    """Every key the facts cite, the derived depth included (tested to resolve)."""
    return citation_keys(FACTS) | set(skin_to_anterior_head_mm().keys)


# --------------------------------------------------------------------------- depth model

DEPTH_LIMITS_MM = (10.0, 250.0)
TILT_LIMITS_DEG = (0.0, 60.0)


def needle_path_mm(depth_mm: object, tilt_deg: object = 0.0) -> float:
    """Needle length used inside the body: ``depth / cos(tilt)``.

    ``depth_mm`` is the perpendicular skin-to-target depth; ``tilt_deg`` the angle between the
    needle and that perpendicular (a caudal-to-cranial tilt, for instance). Tilting always
    lengthens the path, by 15% at 30 degrees and doubles it at 60 degrees (geometry, no source needed).
    """
    d = parse_number(depth_mm, "depth_mm", *DEPTH_LIMITS_MM, "mm")
    t = parse_number(tilt_deg, "tilt_deg", *TILT_LIMITS_DEG, "°")
    return d / math.cos(math.radians(t))


def depth_for_extra_fat_mm(extra_fat_mm: object) -> float:
    """Skin-to-capsule depth of a synthetic patient with ``extra_fat_mm`` more (or, if
    negative, less) subcutaneous fat than the derived average adult."""
    extra = parse_number(extra_fat_mm, "extra_fat_mm", -40, 150, "mm")
    return average_path_mm() + extra


@dataclass(frozen=True)
class NeedleCheck:
    """One needle against one estimated path: whether it reaches and what shaft is left."""

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
