"""The synthetic patients of chapter 05 and the tray each one needs.

Needle length follows the habitus through the anatomy chapter's depth model (never a depth typed
here); the simulator's fat-by-BMI rule gives the extra fat. Pure Python: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.core.inputs import parse_number
from fluorohip.fluoro.phantom import fat_thickness_mm

from .facts import BORROWED, FACTS

__all__ = [
    "PATIENTS",
    "REFERENCE_BMI",
    "Item",
    "SimPatient",
    "equipment_list",
    "extra_fat_mm",
    "needle_for",
    "needle_margin_mm",
    "patient",
    "skin_to_target_mm",
]


@dataclass(frozen=True)
class SimPatient:
    """A synthetic patient for the simulator."""

    id: str
    label: str
    sex: str
    age: int
    bmi: float
    note: str


PATIENTS: dict[str, SimPatient] = {
    "thin": SimPatient(
        "thin",
        "Ms A, 34, thin (BMI 19)",
        "female",
        34,
        19.0,
        "Little fat over the hip: the neurovascular bundle is closer in light patients [@Mehta2018].",
    ),
    "average": SimPatient(
        "average",
        "Mr B, 52, average build (BMI 25)",
        "male",
        52,
        25.0,
        "The reference patient: the estimated path leaves more than the teaching margin on a "
        "3.5-inch (89 mm) needle.",
    ),
    "high_bmi": SimPatient(
        "high_bmi",
        "Ms C, 58, high BMI (BMI 38)",
        "female",
        58,
        38.0,
        "Thick fat: a longer needle, more dose per image, and BMI >= 30 raises landmark misses "
        "[@Singh2014].",
    ),
    "oa": SimPatient(
        "oa",
        "Mr D, 71, hip osteoarthritis (BMI 29)",
        "male",
        71,
        29.0,
        "Osteoarthritis: the femoral nerve lies "
        f"{BORROWED['nerve_closer_in_oa'].text(dash='-')} closer to the joint than on the healthy "
        "side [@FemoralNerveOA2021]. A 3.5-inch (89 mm) needle would leave only about 3 mm spare on "
        "the estimated 86 mm path, so choose the 5-inch (127 mm) one. The simulator narrows the joint space superolaterally, the "
        "commonest pattern [@Ledingham1992], and adds marginal osteophytes [@Nelson2010HipOAFeatures].",
    ),
}

#: Reference build for the depth model: anatomy's skin-to-head depth is an average adult.
REFERENCE_BMI = 25.0


def patient(patient_id: str) -> SimPatient:
    try:
        return PATIENTS[patient_id]
    except KeyError:
        raise ValueError(
            f"patient must be one of {', '.join(PATIENTS)}; got {patient_id!r}"
        ) from None


def extra_fat_mm(bmi: float) -> float:
    """Subcutaneous fat beyond the average adult, from the simulator's fat-by-BMI rule (an assumption)."""
    bmi = parse_number(bmi, "bmi", 15, 60)
    return fat_thickness_mm(bmi) - fat_thickness_mm(REFERENCE_BMI)


def skin_to_target_mm(bmi: float) -> float:
    """Perpendicular skin-to-femoral-head depth, anatomy's depth model plus the extra fat."""
    return anatomy.depth_for_extra_fat_mm(extra_fat_mm(bmi))


def needle_for(bmi: float, tilt_deg: float = 0.0) -> tuple[str, float]:
    """(name, length mm) of the stocked spinal needle to choose, via anatomy's depth model.

    Not the shortest that merely reaches: the shortest that still leaves
    :data:`fluorohip.anatomy.NEEDLE_MARGIN_MM` (about 1 cm, a teaching rule of thumb, not a sourced
    number) of shaft spare for needle angle and soft-tissue compression. When the shorter needle's
    margin is smaller than that, the longer needle is chosen.
    """
    path = anatomy.needle_path_mm(skin_to_target_mm(bmi), tilt_deg)
    name = anatomy.needle_to_choose(path)
    if name is None:
        raise ValueError(
            f"no stocked needle leaves a {anatomy.NEEDLE_MARGIN_MM:.0f} mm margin on a {path:.0f} mm "
            "path; consider a longer needle, another approach or ultrasound"
        )
    return name, anatomy.NEEDLE_LENGTHS_MM[name]


def needle_margin_mm(bmi: float, needle: str, tilt_deg: float = 0.0) -> float:
    """Spare shaft (mm) that ``needle`` would leave on this build's estimated path (negative: too short)."""
    path = anatomy.needle_path_mm(skin_to_target_mm(bmi), tilt_deg)
    return anatomy.NEEDLE_LENGTHS_MM[needle] - path


@dataclass(frozen=True)
class Item:
    item: str
    detail: str
    cite: str = ""


def equipment_list(patient_id: str = "average") -> list[Item]:
    """The tray for one synthetic patient. Needle length follows the habitus; the rest is common practice."""
    p = patient(patient_id)
    name, length = needle_for(p.bmi)
    depth = skin_to_target_mm(p.bmi)
    g = FACTS["needle_gauge_range"]
    tc = BORROWED["test_contrast_ml"]
    spare = length - depth
    return [
        Item(
            "Spinal needle",
            f"{g.low:.0f}-{g.high:.0f} G (22 G used by {FACTS['needle_22g_share'].value:.0f}% "
            f"of surveyed radiologists); {name} for an estimated {depth:.0f} mm skin-to-head depth, leaving "
            f"{spare:.0f} mm spare (keep at least about {anatomy.NEEDLE_MARGIN_MM / 10:.0f} cm: a teaching rule of "
            "thumb, not a sourced number); needle length is local practice",
            g.cite,
        ),
        Item(
            "Skin needle and local anaesthetic",
            "25 G needle, lidocaine 1% for skin and track (offer it)",
            "[@Uson2021]",
        ),
        Item(
            "Extension tubing",
            "primed, so syringes change without moving the needle or your hands in the beam",
            "[@Rastogi2016]",
        ),
        Item("Syringes", "one for contrast, one for the injectate, labelled", ""),
        Item(
            "Iodinated contrast",
            f"e.g. iohexol 300, {tc.low:.0f}-{tc.high:.0f} mL test dose; record the agent "
            "(switch agent after a previous reaction)",
            tc.cite + "[@Macy2018]",
        ),
        Item(
            "Injectate",
            "local anaesthetic with or without corticosteroid, dose and volume checked (chapter 03)",
            "[@Zhong2020]",
        ),
        Item(
            "Asepsis",
            "skin antiseptic, sterile gloves, drape, sterile cover for the image intensifier",
            "[@Uson2021]",
        ),
        Item("Marker and metal pointer", "to mark the entry point on the image", ""),
        Item("Resuscitation equipment", "nearby, checked", "[@Uson2021]"),
    ]
