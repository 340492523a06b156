"""Technique for chapter 05: the approaches and targets, the ordered steps, and what each test
contrast pattern means and what to do about it.

Numbers in the prose come from :mod:`.facts` (typed once there). Pure Python: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import BORROWED, FACTS

#: The internal rotation that profiles the neck on the AP view (anatomy chapter), "10-15°".
_ROTATION = BORROWED["internal_rotation"].text(dash="-")

__all__ = [
    "APPROACHES",
    "PATTERN_ACTIONS",
    "STEPS",
    "TARGETS",
    "Approach",
    "PatternAction",
    "Step",
    "action_for",
    "check_order",
    "step_ids",
]


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
        f"Supine, hip internally rotated about {_ROTATION} to profile the neck; AP or slight oblique beam centred on "
        "the entry point (coaxial view)",
        "Skin over the lateral head-neck junction, lateral to the palpated femoral artery; needle straight down to bone",
        f"Shortest path; bone is the depth stop; the commonest choice ({FACTS['anterior_approach_share'].text()} of "
        "surveyed radiologists)",
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
        f"Position supine, hip internally rotated about {_ROTATION}",
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
        f"Always aseptic technique ({FACTS['aseptic_agreement'].text()} agreement)",
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
        f"Capsular pressure stays low to about {BORROWED['low_pressure_volume'].text()}, then climbs",
        "[@CapsulePressure2009][@HipCapacity1981]",
    ),
    Step(
        "document",
        "Save the images; record time, dose, agents, volumes, response",
        f"Benchmark: mean {FACTS['fluoro_time_mean'].text()} and {FACTS['dap_mean'].text()}",
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
        "Tip in the iliopsoas bursa, which communicates with the joint in about "
        f"{BORROWED['bursa_communication'].text()} of normal adults",
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
