"""The procedure, step by step: equipment, approaches, steps, contrast reading, records, aftercare.

Pure Python (no widgets, no matplotlib): :mod:`fluorohip.procedure_views` draws and wires
it. Every clinical number lives once in :data:`FACTS` as an :class:`fluorohip.anatomy.Fact`
(value, unit, citation key, population, range); anatomy numbers are taken from
:mod:`fluorohip.anatomy` and drug numbers from :mod:`fluorohip.pharmacology`, never retyped.

The guided exercise (:class:`GuidedRun`) drives the virtual fluoroscope
(:mod:`fluorohip.fluoro`) on a few synthetic patients: choose an entry point and angles,
advance, take images (each press costs dose), inject test contrast, read the pattern and
get feedback on where the tip is. It runs headless, so tests can script needle moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import pharmacology
from .chapters.hip_anatomy import model as anatomy
from .chapters.hip_anatomy.model import Fact
from .fluoro import CArm, FluoroSession, HipPhantom, Needle, Scene
from .fluoro.phantom import fat_thickness_mm
from .pharmacology import InputError, parse_number

# --------------------------------------------------------------------------- facts

FACTS: dict[str, Fact] = {
    # equipment and practice patterns
    "needle_22g_share": Fact(
        78,
        "%",
        "Shortt2009",
        "53 of 68 North American MSK radiologists used 22 G for hip arthrography",
    ),
    "needle_gauge_range": Fact(
        22,
        "G",
        ("Shortt2009", "HipInjectionChapter2023"),
        "spinal needles of 20-22 G; 22 G the commonest",
        low=20,
        high=22,
    ),
    "anterior_approach_share": Fact(
        75, "%", "Shortt2009", "51 of 68 radiologists preferred an anterior approach to the hip"
    ),
    "arthrography_volume": Fact(
        11.5,
        "mL",
        "Shortt2009",
        "mean volume injected at hip arthrography in the same survey",
        low=5,
        high=20,
    ),
    "test_contrast_ml": Fact(
        2,
        "mL",
        "UWMSKHipArthrography",
        "small test dose of iodinated contrast before the drug (local practice varies)",
        low=1,
        high=3,
    ),
    # accuracy by approach (reference standard: contrast)
    "anterior_oblique_fluoro": Fact(
        96.7, "%", "Moser2019", "29 of 30 anterior-oblique, fluoroscopy with contrast"
    ),
    "lateral_fluoro": Fact(100, "%", "Moser2019", "30 of 30 lateral, fluoroscopy with contrast"),
    "anterior_landmark": Fact(
        93,
        "%",
        "AnteriorLandmark2013",
        "51 of 55 direct anterior landmark injections before arthroscopy",
    ),
    "anterolateral_blind": Fact(65.1, "%", "Kurup2010", "28 of 43 blind antero-lateral injections"),
    "landmark_pooled": Fact(
        72,
        "%",
        "Hoeber2016",
        "pooled landmark accuracy, 295 injections (95% CI 56-85)",
        low=56,
        high=85,
    ),
    "ultrasound_pooled": Fact(
        100,
        "%",
        "Hoeber2016",
        "pooled ultrasound accuracy, 136 injections (95% CI 98-100)",
        low=98,
        high=100,
    ),
    # safety
    "aseptic_agreement": Fact(
        98, "%", "Uson2021", "EULAR task force agreement: always aseptic technique"
    ),
    # dose benchmarks
    "fluoro_time_mean": Fact(
        26, "s", "TrainingLevelDose2017", "1,362 fluoroscopic hip injections, mean (SD 17)"
    ),
    "dap_mean": Fact(
        20.4, "µGy·m²", "TrainingLevelDose2017", "same series, mean DAP (SD 22.3) = 0.204 Gy·cm²"
    ),
    "bundle_time_after": Fact(
        0.2,
        "min",
        "Chang2018",
        "1,094 injections: screening 0.7 → 0.2 min after a dose-minimising bundle",
        low=0.2,
        high=0.7,
    ),
    # aftercare
    "septic_arthritis_weeks": Fact(
        3.5,
        "weeks",
        "Mueller2026",
        "15,021 large-joint steroid injections: median time to diagnosis (range 1-16)",
        low=1,
        high=16,
    ),
    "immediate_relief": Fact(
        68.2,
        "%",
        "FluoroResponse2011",
        "217 OA patients, immediate relief after fluoroscopic injection",
    ),
}

#: Anatomy and drug facts this chapter quotes, taken from their home modules.
BORROWED: dict[str, Fact] = {
    "internal_rotation": anatomy.fact("internal_rotation_for_ap"),
    "vein_distance": anatomy.fact("femoral_vein_distance"),
    "artery_distance": anatomy.fact("femoral_artery_distance"),
    "nerve_distance": anatomy.fact("femoral_nerve_distance"),
    "nerve_closer_in_oa": anatomy.fact("femoral_nerve_closer_in_oa"),
    "bursa_communication": anatomy.fact("bursa_communication"),
    "neck_puncture_volume": anatomy.fact("neck_puncture_volume"),
    "head_puncture_volume": anatomy.fact("head_puncture_volume"),
    "lfcn_numbness": anatomy.fact("lfcn_numbness"),
    "capacity": anatomy.fact("joint_capacity"),
    "low_pressure_volume": anatomy.fact("pressure_rises_above_volume"),
    "steroid_peak_days": pharmacology.FACTS["steroid_peak_days"],
    "glucose_back_to_baseline_days": pharmacology.FACTS["glucose_back_to_baseline_days"],
    "flare_shoulder_percent": pharmacology.FACTS["flare_shoulder_percent"],
}


def fact(name: str) -> Fact:
    """A fact of this chapter or one it borrows, with a clear message for a typo."""
    if name in FACTS:
        return FACTS[name]
    if name in BORROWED:
        return BORROWED[name]
    raise KeyError(
        f"no procedure fact called {name!r}; known: {', '.join(sorted(FACTS | BORROWED))}"
    )


# --------------------------------------------------------------------------- habitus and equipment


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
        "Osteoarthritis: the femoral nerve lies 1.6-5.8 mm closer to the joint than on the healthy "
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
    tc = FACTS["test_contrast_ml"]
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


# --------------------------------------------------------------------------- approaches and targets


@dataclass(frozen=True)
class Approach:
    name: str
    setup: str
    entry_and_target: str
    pros: str
    cons: str
    accuracy: str
    cite: str


APPROACHES: tuple[Approach, ...] = (
    Approach(
        "Anterior / anterior oblique",
        "Supine, hip internally rotated about 10-15° to profile the neck; AP or slight oblique beam centred on "
        "the entry point (coaxial view)",
        "Skin over the lateral head-neck junction, lateral to the palpated femoral artery; needle straight down to bone",
        "Shortest path; bone is the depth stop; the commonest choice (75% of surveyed radiologists)",
        "Femoral vein, artery and nerve lie about 1.7-2.4 cm from the joint; lateral femoral cutaneous nerve in the path",
        "29 of 30 (anterior oblique, fluoroscopy)",
        "[@MRArthrographyReview2010][@Shortt2009][@Mehta2018][@AnteriorLandmark2013][@Moser2019]",
    ),
    Approach(
        "Anterolateral (oblique)",
        "Supine; entry further lateral, needle angled medially (and often cranially) toward the head-neck junction",
        "Skin lateral to the anterior approach; target the lateral head-neck junction",
        "Entry further from the femoral bundle",
        "Longer, oblique path: a 30° tilt lengthens it by 15% (needle length!); no fluoroscopic accuracy figure in our "
        "sources (blind anterolateral: 28 of 43)",
        "no fluoroscopic figure found",
        "[@Kurup2010][@Shortt2009]",
    ),
    Approach(
        "Lateral",
        "Supine (or on the side, practice varies); needle from the lateral thigh toward the superolateral head-neck "
        "junction",
        "Skin over the lateral thigh above the greater trochanter; target the lateral head-neck junction",
        "Far from the anterior neurovascular bundle; avoids a groin fold or pannus",
        "Longest path through the most tissue; needs a long needle in larger patients",
        "30 of 30 (lateral, fluoroscopy)",
        "[@Moser2019]",
    ),
)

TARGETS: dict[str, str] = {
    "head-neck junction": (
        "The commonest end point is the lateral femoral head-neck junction [@Shortt2009]; bone there is inside "
        "the capsule, so a needle on it is intra-articular [@RadiopaediaCapsule2022][@AnteriorLandmark2013]."
    ),
    "mid neck": (
        "The whole anterior neck is intracapsular (the capsule reaches the intertrochanteric line) "
        "[@RadiopaediaCapsule2022]. In an ultrasound-guided study, a neck puncture accepted "
        f"{BORROWED['neck_puncture_volume'].value} mL vs {BORROWED['head_puncture_volume'].value} mL via the head, "
        "with less leakage [@USArthrography2013]."
    ),
}

# --------------------------------------------------------------------------- the steps


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    why: str
    cite: str = ""


STEPS: tuple[Step, ...] = (
    Step(
        "check",
        "Check indication, images, contraindications and consent",
        "Consent is explained and documented; the checklist of chapter 04 is done",
        "[@Uson2021]",
    ),
    Step(
        "position",
        "Position supine, hip internally rotated about 10-15°",
        "Profiles the femoral neck on the AP view",
        "[@MRArthrographyReview2010]",
    ),
    Step(
        "carm",
        "Set up the C-arm: AP, centred, collimated, low pulse rate",
        "Pulsed, collimated, last-image-hold imaging lowers dose",
        "[@FluoroDoseReview][@Herrmann1996]",
    ),
    Step(
        "mark",
        "Mark the entry point on the image with a metal pointer",
        "Over the lateral head-neck junction, lateral to the marked (palpated) femoral artery; aim for bone",
        "[@Mehta2018]",
    ),
    Step(
        "prep",
        "Skin antisepsis and sterile drape",
        "Always aseptic technique (98% agreement)",
        "[@Uson2021]",
    ),
    Step(
        "timeout",
        "Time-out: right patient, side, site, procedure, allergies, agents",
        "A pause just before the first needle, as in the WHO surgical safety checklist",
        "[@Haynes2009]",
    ),
    Step(
        "local",
        "Local anaesthetic to the skin and track (offered)",
        "EULAR: offer local anaesthetic, explaining pros and cons",
        "[@Uson2021]",
    ),
    Step(
        "advance",
        "Advance coaxially to bone at the target, imaging only when needed",
        "Beam along the needle: a dot means you are on course; bone contact is the depth stop",
        "[@Rastogi2016]",
    ),
    Step(
        "aspirate",
        "Aspirate; send any fluid if infection is possible",
        "Suspected infection changes the plan: aspirate and send, do not inject steroid",
        "[@RANZCRArthrogram][@AAOSPJI]",
    ),
    Step(
        "contrast",
        "Inject test contrast under live imaging and read the pattern",
        "Confirms the joint and shows extra-articular spread [@MRArthrographyReview2010]; in general (shown in "
        "spinal epidural injections, not hip data), contrast under real-time imaging is how intravascular "
        "injection is detected",
        "[@Hong2014]",
    ),
    Step(
        "inject",
        "Inject the drug: low resistance, volume within capacity",
        "Capsular pressure stays low to about 10 mL, then climbs",
        "[@CapsulePressure2009][@HipCapacity1981]",
    ),
    Step(
        "document",
        "Save the images; record time, dose, agents, volumes, response",
        "Benchmark: mean 26 s and 20.4 µGy·m²",
        "[@TrainingLevelDose2017]",
    ),
    Step(
        "aftercare",
        "Observe, test the pain response, give aftercare and red-flag advice",
        "The anaesthetic answer is read early; the diary follows",
        "[@PreopInjectionTHA2022][@Uson2021]",
    ),
)


def step_ids() -> list[str]:
    return [s.id for s in STEPS]


def check_order(ids: list[str]) -> list[str]:
    """Messages for every step that is out of order (empty list = correct)."""
    expected = [i for i in step_ids() if i in ids]
    unknown = [i for i in ids if i not in step_ids()]
    if unknown:
        raise ValueError(
            f"unknown step id(s): {', '.join(unknown)}; known: {', '.join(step_ids())}"
        )
    return [
        f"position {k + 1}: expected '{e}', got '{g}'"
        for k, (e, g) in enumerate(zip(expected, ids))
        if e != g
    ]


# --------------------------------------------------------------------------- contrast patterns


@dataclass(frozen=True)
class PatternAction:
    pattern: str
    appearance: str
    meaning: str
    action: str
    cite: str


PATTERN_ACTIONS: dict[str, PatternAction] = {
    "intra-articular": PatternAction(
        "intra-articular",
        "Flows away from the tip and outlines the head and neck (capsule and recesses)",
        "Tip in the joint",
        "Inject the drug; save an image",
        "[@MRArthrographyReview2010]",
    ),
    "capsular": PatternAction(
        "capsular",
        "A blob or linear streak that stays at the tip; no outline of head and neck",
        "Tip in the capsule wall or soft tissue (partly extra-articular if the joint also fills)",
        "Advance to bone or reposition, then re-test with a little contrast; do not flood the soft tissue, "
        "which hides the target",
        "[@RadiopaediaExtraArticularCase]",
    ),
    "bursal": PatternAction(
        "bursal",
        "An elongated sac anteromedial to the joint, along iliopsoas",
        "Tip in the iliopsoas bursa, which communicates with the joint in about 15% of normal adults",
        "Read the whole pattern: if the joint also outlines, the bursa communicates; if not, redirect laterally "
        "to bone at the head-neck junction",
        "[@IMAIOSBursa][@Tormenta2012]",
    ),
    "intramuscular": PatternAction(
        "intramuscular",
        "Thin streaks along the muscle fibres that stay put",
        "Tip in muscle, short of the joint (muscular staining is a recognised misplacement pattern in spinal "
        "epidural injections; no hip-specific description)",
        "Advance to bone at the target and re-test",
        "[@Shim2017]",
    ),
    "intravascular": PatternAction(
        "intravascular",
        "Contrast that vanishes quickly or runs in thin serpiginous channels",
        "Suggests venous injection: a teaching description, with no hip-specific data. The femoral vein, and "
        "often the artery, lie medial to the joint about 1.75-2 cm away [@Mehta2018], so a medial tip is one way "
        "into a vessel, not the only one",
        "Stop. Do not inject the drug. Reposition and re-test under live imaging (detecting intravascular "
        "contrast on live imaging is a general finding from spinal epidural injections, not hip data)",
        "[@Hong2014][@Shim2017]",
    ),
}


def action_for(pattern: str) -> PatternAction:
    try:
        return PATTERN_ACTIONS[pattern]
    except KeyError:
        raise ValueError(
            f"pattern must be one of {', '.join(PATTERN_ACTIONS)}; got {pattern!r}"
        ) from None


# --------------------------------------------------------------------------- documentation


CONTRAST_AGENTS = ("iohexol 300", "iopamidol 300", "none (contrast reaction history)")
ANAESTHETICS = (
    "lidocaine 1%",
    "lidocaine 2%",
    "bupivacaine 0.25%",
    "bupivacaine 0.5%",
    "ropivacaine 0.2%",
    "none",
)
STEROIDS = (
    "triamcinolone acetonide",
    "triamcinolone hexacetonide",
    "methylprednisolone acetate",
    "none",
)
SIDES = ("left", "right")
RANGES = {  # field: (low, high, unit); plausibility limits for a teaching form, not clinical limits
    "fluoro_time_s": (0.1, 600.0, "s"),
    "dap_ugy_m2": (0.1, 2000.0, "µGy·m²"),
    "images_saved": (1, 20, "images"),
    "contrast_ml": (0.0, 20.0, "mL"),
    "anaesthetic_ml": (0.0, 20.0, "mL"),
    "steroid_mg": (0.0, 120.0, "mg"),
    "steroid_ml": (0.0, 5.0, "mL"),
    "pain_before": (0, 10, "(0-10 scale)"),
    "pain_after": (0, 10, "(0-10 scale)"),
}


class RecordError(ValueError):
    """Every problem with a documentation record, one message per field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ProcedureRecord:
    side: str
    approach: str
    pattern: str
    images_saved: int
    fluoro_time_s: float
    dap_ugy_m2: float
    contrast_agent: str
    contrast_ml: float
    anaesthetic: str
    anaesthetic_ml: float
    steroid: str
    steroid_mg: float
    steroid_ml: float
    pain_before: int
    pain_after: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total_volume_ml(self) -> float:
        return self.contrast_ml + self.anaesthetic_ml + self.steroid_ml

    def summary(self) -> str:
        t, d = FACTS["fluoro_time_mean"], FACTS["dap_mean"]
        lines = [
            f"{self.side.capitalize()} hip injection, {self.approach} approach; confirmation: {self.pattern} contrast.",
            f"Images saved: {self.images_saved}. Fluoroscopy time {self.fluoro_time_s:g} s; DAP {self.dap_ugy_m2:g} µGy·m² "
            f"({self.dap_ugy_m2 / 100:.3f} Gy·cm²) (series mean {t.value:g} s and {d.value:g} µGy·m²).",
            f"Contrast: {self.contrast_agent}, {self.contrast_ml:g} mL. Local anaesthetic: {self.anaesthetic}, "
            f"{self.anaesthetic_ml:g} mL. Steroid: {self.steroid}"
            + (
                f", {self.steroid_mg:g} mg in {self.steroid_ml:g} mL."
                if self.steroid != "none"
                else "."
            ),
            f"Total volume {self.total_volume_ml:g} mL. Pain {self.pain_before}/10 before, {self.pain_after}/10 after.",
        ]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])


def _choice(problems: list[str], name: str, value, options) -> str:
    text = str(value).strip() if value is not None else ""
    if text not in options:
        problems.append(f"{name} must be one of: {', '.join(options)}; got {value!r}")
    return text


def _number(problems: list[str], name: str, value, integer: bool = False):
    low, high, unit = RANGES[name]
    try:
        x = parse_number(value, name, low, high, unit)
    except InputError as e:
        problems.append(str(e))
        return None
    if integer:
        if x != int(x):
            problems.append(
                f"{name} must be a whole number between {low:g} and {high:g}; got {value!r}"
            )
            return None
        return int(x)
    return x


def build_record(
    *,
    side,
    approach,
    pattern,
    images_saved,
    fluoro_time_s,
    dap_ugy_m2,
    contrast_agent,
    contrast_ml,
    anaesthetic,
    anaesthetic_ml,
    steroid,
    steroid_mg,
    steroid_ml,
    pain_before,
    pain_after,
) -> ProcedureRecord:
    """Validate every field and build the record, or raise :class:`RecordError` listing each problem."""
    p: list[str] = []
    rec = dict(
        side=_choice(p, "side", side, SIDES),
        approach=_choice(p, "approach", approach, tuple(a.name for a in APPROACHES)),
        pattern=_choice(p, "pattern", pattern, tuple(PATTERN_ACTIONS)),
        images_saved=_number(p, "images_saved", images_saved, integer=True),
        fluoro_time_s=_number(p, "fluoro_time_s", fluoro_time_s),
        dap_ugy_m2=_number(p, "dap_ugy_m2", dap_ugy_m2),
        contrast_agent=_choice(p, "contrast_agent", contrast_agent, CONTRAST_AGENTS),
        contrast_ml=_number(p, "contrast_ml", contrast_ml),
        anaesthetic=_choice(p, "anaesthetic", anaesthetic, ANAESTHETICS),
        anaesthetic_ml=_number(p, "anaesthetic_ml", anaesthetic_ml),
        steroid=_choice(p, "steroid", steroid, STEROIDS),
        steroid_mg=_number(p, "steroid_mg", steroid_mg),
        steroid_ml=_number(p, "steroid_ml", steroid_ml),
        pain_before=_number(p, "pain_before", pain_before, integer=True),
        pain_after=_number(p, "pain_after", pain_after, integer=True),
    )
    if not p:  # cross-field rules, only once every field parsed
        if rec["contrast_agent"].startswith("none") and rec["contrast_ml"] > 0:
            p.append("contrast_ml must be 0 when contrast_agent is 'none'")
        if not rec["contrast_agent"].startswith("none") and rec["contrast_ml"] == 0:
            p.append(
                "contrast_ml is 0: record the volume of the contrast agent given, or choose 'none'"
            )
        if rec["anaesthetic"] == "none" and rec["anaesthetic_ml"] > 0:
            p.append("anaesthetic_ml must be 0 when anaesthetic is 'none'")
        if rec["steroid"] == "none" and (rec["steroid_mg"] > 0 or rec["steroid_ml"] > 0):
            p.append("steroid_mg and steroid_ml must be 0 when steroid is 'none'")
        if rec["steroid"] != "none" and (rec["steroid_mg"] == 0 or rec["steroid_ml"] == 0):
            p.append(
                f"steroid is {rec['steroid']}: record its dose (steroid_mg) and volume (steroid_ml)"
            )
        drug_given = rec["anaesthetic_ml"] > 0 or rec["steroid_mg"] > 0
        if drug_given and rec["pattern"] != "intra-articular":
            p.append(
                f"pattern is {rec['pattern']}: the drug belongs in the joint; reposition and confirm an "
                "intra-articular pattern before injecting (or record 0 mL)"
            )
    if p:
        raise RecordError(p)
    notes = []
    vc = pharmacology.volume_check(rec["contrast_ml"], rec["anaesthetic_ml"], rec["steroid_ml"])
    if vc.zone != "low pressure":
        notes.append(vc.message())
    if rec["fluoro_time_s"] > 3 * FACTS["fluoro_time_mean"].value:
        notes.append(
            f"fluoroscopy time is more than three times the series mean of {FACTS['fluoro_time_mean'].value:g} s: "
            "review technique (pulse rate, last-image-hold, fewer presses)"
        )
    return ProcedureRecord(**rec, notes=tuple(notes))


# --------------------------------------------------------------------------- aftercare and red flags


@dataclass(frozen=True)
class Advice:
    topic: str
    advice: str
    cite: str
    weak: bool = False


AFTERCARE: tuple[Advice, ...] = (
    Advice(
        "Observation",
        "Observe briefly after the injection, with resuscitation equipment nearby.",
        "[@Uson2021]",
    ),
    Advice(
        "Leg weakness and falls",
        "Anaesthetic reaching the femoral nerve may cause temporary quadriceps weakness: walk with help until "
        "strength returns.",
        "",
        weak=True,
    ),
    Advice(
        "Driving", "Many services advise no driving that day (no published trial).", "", weak=True
    ),
    Advice(
        "Pain diary",
        "Record pain at rest and on the provoking activity at fixed times: the anaesthetic answer "
        "comes in the first hours; the steroid effect builds over days (chapter 06).",
        "[@PreopInjectionTHA2022][@McCabe2016]",
    ),
    Advice(
        "Steroid flare",
        "Pain can rise for a few days after a steroid injection (35% of shoulder injections on "
        "a broad definition, mean 3.9 days); infection usually declares itself later.",
        "[@Fawi2017]",
    ),
    Advice("Diabetes", "Check blood glucose, especially on days 1-3.", "[@Uson2021][@Habib2011]"),
    Advice("Follow-up", "Review the diary and decide the next step (chapter 06).", "[@Uson2021]"),
)

RED_FLAGS: tuple[Advice, ...] = (
    Advice(
        "Septic arthritis",
        "Worsening pain, swelling, fever or inability to bear weight: urgent review. It may "
        "appear weeks later (median 3.5 weeks, up to 16).",
        "[@Mueller2026]",
    ),
    Advice(
        "Escalating pain weeks to months later",
        "Image for insufficiency fracture or rapidly progressive joint destruction.",
        "[@Kompel2019]",
    ),
    Advice(
        "Contrast or drug reaction",
        "Rash, wheeze or collapse: stop, treat, record the agent for next time.",
        "[@Hugo1998][@Macy2018]",
    ),
    Advice(
        "Local anaesthetic toxicity",
        "Perioral numbness, metallic taste, tinnitus or agitation after an "
        "inadvertent intravascular injection: stop and follow the ASRA checklist.",
        "[@El-Boghdadly2018]",
    ),
)


# --------------------------------------------------------------------------- the guided simulator run

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


def _direction_words(dx_mm: float, dz_mm: float) -> str:
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
    def phantom(self) -> HipPhantom:
        return self.session.phantom

    def target_xz(self) -> tuple[float, float]:
        t = self.phantom.target_point()
        return float(t[0]), float(t[2])

    def _log(self, kind: str, message: str) -> str:
        self.events.append(RunEvent(kind, message))
        return message

    def _place(self):
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
            f"Entry {_direction_words(x - tx, z - tz)}; needle angled {med:+.0f}° medial, "
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
                "(about 15% of normal adults [@IMAIOSBursa]) and the drug reaches the joint. "
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
        where = _direction_words(float(p[0] - t[0]), float(p[2] - t[2]))
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
                    * max(0.0, led.kap_gy_cm2 - FACTS["dap_mean"].value / 100)
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
    run.read_pattern(run._last_pattern or "intra-articular")
    run.inject_drug()
    return run.score()


def all_citation_keys() -> set[str]:
    """Every citation key this module's facts and tables use."""
    from .core.bibliography import find_citations

    keys = {k for f in (FACTS | BORROWED).values() for k in f.keys}
    texts = [i.cite for p in PATIENTS for i in equipment_list(p)] + [
        p.note for p in PATIENTS.values()
    ]
    texts += [a.cite for a in APPROACHES] + list(TARGETS.values()) + [s.cite for s in STEPS]
    texts += [p.meaning + p.action + p.cite for p in PATTERN_ACTIONS.values()]
    texts += [a.advice + a.cite for a in AFTERCARE + RED_FLAGS]
    for t in texts:
        keys |= set(find_citations(t))
    return keys
