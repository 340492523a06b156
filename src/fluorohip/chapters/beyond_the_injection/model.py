"""Pure teaching models for chapter 07: no widgets, no plotting.

Every clinical number sits here once, with its unit and the bibliography key that supports it
(``assets/references.yaml``); the notebook and the figures read it from here. These are teaching
arithmetic and teaching checklists, not dosing advice or a diagnostic tool: the functions refuse
nonsense input with a message that names the argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from fluorohip.chapters.interpretation import diagnostic
from fluorohip.core.inputs import parse_number

# --------------------------------------------------------------------------------------------
# 1. Arthrography for MR and CT
# --------------------------------------------------------------------------------------------

#: Labral tear accuracy, pooled. Smith 2011: 19 papers, 881 hips; Zhang 2022: 22 studies, 1,670 patients.
LABRAL_ACCURACY = (
    # (source key, modality, sensitivity, specificity)
    ("Smith2011MRA", "MRI", 0.66, 0.79),
    ("Smith2011MRA", "MR arthrography", 0.87, 0.64),
    ("Zhang2022", "MRI", 0.80, 0.77),
    ("Zhang2022", "MR arthrography", 0.89, 0.69),
    ("Zhang2022", "3 T MRI", 0.87, 0.77),
)

#: Commercial gadolinium-based contrast agents are about 0.5 mol/L = 500 mmol/L [RadiopaediaMRArthroSolution].
GBCA_STOCK_MMOL_PER_L = 500.0
#: Target intra-articular concentration window: peak T1 signal about 1.25-2.0 mmol/L at 1.5 T
#: (similar or slightly lower at 3 T) [Gadodiamide3T2005]; recipes aim at about 2-2.5 mmol/L
#: [RadiopaediaMRArthroSolution].
GD_TARGET_MMOL_PER_L = (1.25, 2.5)


@dataclass(frozen=True)
class Dilution:
    """What a syringe of dilute gadolinium holds."""

    gbca_ml: float
    total_ml: float
    concentration_mmol_per_l: float
    dilution_factor: float
    gadolinium_mmol: float
    in_target: bool

    def sentence(self) -> str:
        where = "inside" if self.in_target else "outside"
        return (
            f"{self.gbca_ml:g} mL of a {GBCA_STOCK_MMOL_PER_L:g} mmol/L agent in {self.total_ml:g} mL is "
            f"{self.concentration_mmol_per_l:.2f} mmol/L (1:{self.dilution_factor:.0f}, "
            f"{self.gadolinium_mmol:.3f} mmol gadolinium), {where} the "
            f"{GD_TARGET_MMOL_PER_L[0]:g}-{GD_TARGET_MMOL_PER_L[1]:g} mmol/L teaching window. "
            "Any effusion or iodinated contrast already in the joint dilutes it further. "
            "Teaching arithmetic, not a protocol."
        )


def gadolinium_dilution(
    gbca_ml: float, total_ml: float, stock_mmol_per_l: float = GBCA_STOCK_MMOL_PER_L
) -> Dilution:
    """Concentration when ``gbca_ml`` of stock agent is made up to ``total_ml`` in the syringe.

    c = stock x gbca_ml / total_ml (mmol/L). 0.1 mL of 500 mmol/L in 20 mL gives 2.5 mmol/L, 1:200.
    """
    g = parse_number(gbca_ml, "gbca_ml", 0.01, 5.0, "mL")
    t = parse_number(total_ml, "total_ml", 1.0, 60.0, "mL")
    s = parse_number(stock_mmol_per_l, "stock_mmol_per_l", 1.0, 1000.0, "mmol/L")
    if g >= t:
        raise ValueError(
            f"gbca_ml ({g:g}) must be smaller than total_ml ({t:g}): the agent is diluted in the syringe"
        )
    c = s * g / t
    lo, hi = GD_TARGET_MMOL_PER_L
    return Dilution(g, t, c, s / c, s * g / 1000.0, lo <= c <= hi)


#: Delayed pain after direct MR arthrography (all joints, n=135 followed) [Giaconi2011]
POST_ARTHROGRAM_PAIN = {
    "incidence": 0.66,
    "mean_score_of_10": 4.8,
    "onset_mean_h": 16.6,
    "onset_range_h": (4, 72),
    "duration_mean_h": 44.4,
    "duration_range_h": (6, 168),
}


# --------------------------------------------------------------------------------------------
# 2. Aspirating a painful hip replacement: the 2018 definition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: int
    chronic_threshold: str


#: Pre-operative minor criteria and weights of the 2018 evidence-based definition [Parvizi2018];
#: chronic thresholds as tabulated for the ICM 2018 version [Guan2019].
ICM2018_PREOP = (
    Criterion(
        "serum_crp_or_ddimer", "Raised serum CRP or D-dimer", 2, "CRP > 10 mg/L; D-dimer > 860 µg/L"
    ),
    Criterion("serum_esr", "Raised serum ESR", 1, "ESR > 30 mm/h"),
    Criterion(
        "synovial_wbc_or_le",
        "Raised synovial WBC count or leukocyte esterase ++",
        3,
        "WBC > 3,000 cells/µL or LE ++",
    ),
    Criterion("alpha_defensin", "Positive synovial alpha-defensin", 3, "signal/cut-off > 1.0"),
    Criterion(
        "synovial_pmn", "Raised synovial PMN%", 2, "PMN > 70% (ICM 2018 table; 80% in ICM 2013)"
    ),
    Criterion("synovial_crp", "Raised synovial CRP", 1, "threshold as in the source"),
)


@dataclass(frozen=True)
class PjiScore:
    score: int
    category: str
    counted: tuple[str, ...]
    major: bool

    def sentence(self) -> str:
        if self.major:
            return "A major criterion is met (sinus tract, or the same organism from two cultures): infected."
        parts = " + ".join(self.counted) if self.counted else "no minor criterion"
        return (
            f"Pre-operative score {self.score} ({parts}): {self.category}. "
            "2018 definition, pre-operative part; a teaching calculator, not a diagnosis."
        )


def icm2018_preop_score(
    *, sinus_tract: bool = False, two_positive_cultures: bool = False, **findings: bool
) -> PjiScore:
    """Score the pre-operative minor criteria of the 2018 definition [Parvizi2018].

    A major criterion (sinus tract communicating with the joint, or two positive cultures of the
    same organism) means infected. Otherwise the weights add: >= 6 infected, 2-5 possibly
    infected (go on to intra-operative criteria), 0-1 not infected. Keyword names are the
    ``key`` fields of :data:`ICM2018_PREOP`; an unknown name is refused.
    """
    known = {c.key: c for c in ICM2018_PREOP}
    unknown = sorted(set(findings) - set(known))
    if unknown:
        raise ValueError(
            f"unknown criterion {', '.join(unknown)}; expected one of {', '.join(known)}"
        )
    for name, val in {
        "sinus_tract": sinus_tract,
        "two_positive_cultures": two_positive_cultures,
        **findings,
    }.items():
        if not isinstance(val, bool):
            raise ValueError(f"{name} must be True or False; got {val!r}")
    if sinus_tract or two_positive_cultures:
        return PjiScore(0, "infected (major criterion)", (), True)
    counted = tuple(k for k, v in findings.items() if v)
    score = sum(known[k].weight for k in counted)
    category = "infected" if score >= 6 else "possibly infected" if score >= 2 else "not infected"
    return PjiScore(
        score, category, tuple(f"{known[k].label} {known[k].weight}" for k in counted), False
    )


#: Hip aspiration culture for PJI, pooled in the AAOS guideline meta-analysis [AAOSPJI].
ASPIRATION_CULTURE_LR = {"positive": 9.8, "negative": 0.33}


def post_test_probability(pre_test: float, likelihood_ratio: float) -> float:
    """Bayes with odds (chapter 06's arithmetic): post odds = pre odds x LR. ``pre_test`` as a
    fraction strictly between 0 and 1."""
    p = parse_number(pre_test, "pre_test", 1e-6, 1 - 1e-6)
    lr = parse_number(likelihood_ratio, "likelihood_ratio", 1e-6, 1e6)
    return diagnostic.post_test_probability(p, lr)


#: Dry taps and lavage.
DRY_TAP = {
    "rate_tha": 0.357,  # 120/336 THA aspirations [Ong2022]
    "rate_tha_2024": 0.364,  # 100/275 [Treu2024]
    "pji_after_dry_tap": 0.16,  # MSIS-major PJI among dry taps [Treu2024]
    "lavage_accuracy": 0.60,  # aspirates after lavage; specificity 100% [Duck2021]
    "us_fluid": 0.69,
    "fluoro_fluid": 0.53,  # fluid obtained [Treu2023]
}


# --------------------------------------------------------------------------------------------
# 3. Ultrasound: effusion in the anterior recess
# --------------------------------------------------------------------------------------------

#: Adult anterior recess (femoral neck surface to capsule): >= 7 mm in 29 of 33 hips with aspirable
#: fluid [Koski1990]; teaching summaries also use a side-to-side difference.
ADULT_RECESS_EFFUSION_MM = 7.0


def recess_reading(recess_mm: float, other_side_mm: float | None = None) -> str:
    """Plain-language reading of an anterior recess measurement (adult)."""
    r = parse_number(recess_mm, "recess_mm", 0.0, 40.0, "mm")
    msg = (
        f"{r:g} mm is at or above the {ADULT_RECESS_EFFUSION_MM:g} mm seen with aspirable fluid"
        if r >= ADULT_RECESS_EFFUSION_MM
        else f"{r:g} mm is below {ADULT_RECESS_EFFUSION_MM:g} mm: fluid is less likely to be aspirable"
    )
    if other_side_mm is not None:
        o = parse_number(other_side_mm, "other_side_mm", 0.0, 40.0, "mm")
        msg += f"; {r - o:+g} mm against the other hip"
    return (
        msg
        + ". Synovitis widens the recess too, so thickness is not proof of fluid; compress and look."
    )


# --------------------------------------------------------------------------------------------
# 4. The room when it goes wrong
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Emergency:
    name: str
    recognise: str
    first_steps: tuple[str, ...]
    keys: tuple[str, ...]


ROOM_EMERGENCIES = (
    Emergency(
        "Vasovagal reaction",
        "Pallor, sweating, nausea, slow pulse, falling blood pressure; the patient feels faint.",
        (
            "Stop and withdraw the needle to a safe position",
            "Lie flat and raise the legs",
            "Check pulse, blood pressure and airway; call for help if not recovering",
            "If bradycardia and hypotension persist, treat per local protocol (IV fluid; atropine)",
        ),
        ("Kennedy2013", "VasovagalUS2021"),
    ),
    Emergency(
        "Local anaesthetic systemic toxicity (LAST)",
        "Perioral numbness, metallic taste, tinnitus, agitation, then seizures; or arrhythmia and "
        "collapse with no warning.",
        (
            "Stop injecting; call for help and the LAST kit",
            "Airway: 100% oxygen; benzodiazepine for seizures",
            "Give 20% lipid emulsion at the first sign of a serious event (checklist doses)",
            "If arrest: CPR with reduced adrenaline doses; avoid vasopressin, beta-blockers, calcium-channel "
            "blockers and more local anaesthetic",
        ),
        ("Neal2018", "El-Boghdadly2018"),
    ),
    Emergency(
        "Anaphylaxis (contrast or drug)",
        "Airway, breathing or circulation problems, usually with skin or mucosal changes.",
        (
            "Stop the injection; call for help",
            "Adrenaline intramuscular, anterolateral thigh: 0.5 mg (0.5 mL of 1 mg/mL) in adults",
            "Lie flat (or sit if breathing is the problem); oxygen; IV fluid",
            "Repeat adrenaline after 5 minutes if no better",
        ),
        ("ResusCouncilUK2021",),
    ),
    Emergency(
        "Bleeding or a bloody tap",
        "Blood in the hub or syringe; a haematoma at the entry site.",
        (
            "Stop; withdraw and press for several minutes",
            "Re-image: a vascular pattern means reposition, not inject",
            "Send a bloody PJI aspirate anyway and say so on the form",
        ),
        ("Patel2019", "Duck2021"),
    ),
    Emergency(
        "Dry tap (aspiration)",
        "No fluid on aspiration with the tip confirmed in the joint.",
        (
            "Confirm the tip with a small volume of contrast",
            "Reposition along the neck or into a recess",
            "If still dry: lavage with non-bacteriostatic saline and re-aspirate, labelled as lavage",
            "Tell the referrer: a dry tap does not exclude infection",
        ),
        ("Ong2022", "Treu2024", "Duck2021"),
    ),
    Emergency(
        "Sterile-technique break",
        "A glove, the needle or the field touches something unsterile.",
        (
            "Stop before the needle goes (further) in",
            "Replace the contaminated item; re-prepare if the skin field is involved",
            "Record it in the report",
        ),
        ("Uson2021", "Vollman2013"),
    ),
)

#: Adrenaline IM for anaphylaxis, Resuscitation Council UK 2021: age band -> dose in mg.
ADRENALINE_IM_BANDS_MG = {"over 12 years": 0.5, "6-12 years": 0.3, "6 months to 6 years": 0.15}


def adrenaline_im_mg(age_years: float) -> float:
    """Intramuscular adrenaline (1 mg/mL) for anaphylaxis by age band [ResusCouncilUK2021].

    Over 12 years 0.5 mg; 6-12 years 0.3 mg; 6 months to 6 years 0.15 mg (younger infants are outside
    this teaching function). Teaching, not dosing advice:
    follow the current guideline on the wall of your room.
    """
    age = parse_number(age_years, "age_years", 0.5, 120.0, "years")
    bands = ADRENALINE_IM_BANDS_MG  # the doses are typed once, in the table
    if age > 12.0:
        return bands["over 12 years"]
    if age >= 6.0:
        return bands["6-12 years"]
    return bands["6 months to 6 years"]


#: 20% lipid emulsion for LAST over 70 kg: 100 mL bolus over 2-3 min, then 200-250 mL over 15-20 min [Neal2018].
LIPID_OVER_70_KG = {
    "bolus_ml": 100,
    "bolus_min": (2, 3),
    "infusion_ml": (200, 250),
    "infusion_min": (15, 20),
}


# --------------------------------------------------------------------------------------------
# 5. The report
# --------------------------------------------------------------------------------------------

REPORT_FIELDS = (
    ("indication", "Indication and question asked"),
    ("consent", "Consent"),
    ("approach", "Approach and guidance"),
    ("needle", "Needle"),
    ("confirmation", "Confirmation image and contrast pattern"),
    ("drugs", "Drugs and doses"),
    ("fluoroscopy_time_s", "Fluoroscopy time (s)"),
    ("dap_ugy_m2", "Dose-area product (µGy·m²)"),
    ("complications", "Complications"),
    ("immediate_response", "Immediate response"),
    ("aftercare", "Aftercare and follow-up"),
)


@dataclass
class ProcedureReport:
    """A structured report for an image-guided hip procedure.

    Why these fields: the report should name the procedure, materials (contrast, drugs: agent,
    concentration, volume, route), complications [ACRCommunication2020], the documented consent
    [Uson2021] and the fluoroscopy dose indices [CMSMIPS145].
    """

    indication: str = ""
    consent: str = ""
    approach: str = ""
    needle: str = ""
    confirmation: str = ""
    drugs: list[str] = field(default_factory=list)
    fluoroscopy_time_s: float | None = None
    dap_ugy_m2: float | None = None
    complications: str = ""
    immediate_response: str = ""
    aftercare: str = ""

    def __post_init__(self) -> None:
        if self.fluoroscopy_time_s is not None:
            self.fluoroscopy_time_s = parse_number(
                self.fluoroscopy_time_s, "fluoroscopy_time_s", 0.0, 3600.0, "s"
            )
        if self.dap_ugy_m2 is not None:
            self.dap_ugy_m2 = parse_number(self.dap_ugy_m2, "dap_ugy_m2", 0.0, 1e5, "µGy·m²")

    @classmethod
    def from_simulator(cls, debrief: dict, **clinical) -> ProcedureReport:
        """Fill the technical fields from :meth:`fluorohip.fluoro.FluoroSession.score` output.

        ``debrief`` needs ``fluoro_time_s``, ``dap_ugy_m2``, ``confirmed`` and ``extra_articular``;
        ``clinical`` fills the fields a simulator cannot know (indication, consent, drugs, ...).
        """
        missing = [
            k
            for k in ("fluoro_time_s", "dap_ugy_m2", "confirmed", "extra_articular")
            if k not in debrief
        ]
        if missing:
            raise ValueError(f"simulator debrief lacks {', '.join(missing)}")
        bad = sorted(set(clinical) - {f.name for f in fields(cls)})
        if bad:
            raise ValueError(f"unknown report field {', '.join(bad)}")
        extra = list(debrief["extra_articular"])
        if debrief["confirmed"]:
            confirmation = "AP image saved: contrast flowed away from the tip and outlined the joint (intra-articular)"
        else:
            confirmation = "intra-articular position NOT confirmed"
        if extra:
            confirmation += (
                "; earlier test injection(s) " + ", ".join(extra) + ", needle repositioned"
            )
        clinical.setdefault("confirmation", confirmation)
        return cls(
            fluoroscopy_time_s=debrief["fluoro_time_s"],
            dap_ugy_m2=debrief["dap_ugy_m2"],
            **clinical,
        )

    def missing(self) -> list[str]:
        """Labels of the fields still empty (a report with gaps is not finished)."""
        out = []
        for name, label in REPORT_FIELDS:
            v = getattr(self, name)
            if v is None or v == "" or v == []:
                out.append(label)
        return out

    def markdown(self) -> str:
        rows = []
        for name, label in REPORT_FIELDS:
            v = getattr(self, name)
            if isinstance(v, list):
                v = "; ".join(v)
            elif isinstance(v, float):
                v = f"{v:.1f}"
            rows.append(f"| {label} | {v if v not in (None, '') else '**missing**'} |")
        return "| Field | Entry |\n|---|---|\n" + "\n".join(rows)


# --------------------------------------------------------------------------------------------
# 6. The patient's questions: cost, a worked example
# --------------------------------------------------------------------------------------------

#: United States, calendar year 2026, Medicare physician fee schedule, non-qualifying-APM conversion
#: factor in dollars per RVU [CMS2026PFS]. Local and other-payer figures differ.
CF_2026_USD = 33.40
#: Total RVUs listed for 2026 by an aggregator [MiraHealthCPT2026] (weak source: check the CMS look-up tool).
RVU_2026 = {"20610": 2.06, "20611": 3.12, "27093": 6.96, "73525": 3.99}


def medicare_amount_usd(cpt: str, conversion_factor: float = CF_2026_USD) -> float:
    """Total RVU x conversion factor, for the worked example (national, unadjusted, US 2026)."""
    if cpt not in RVU_2026:
        raise ValueError(f"cpt must be one of {', '.join(RVU_2026)}; got {cpt!r}")
    cf = parse_number(conversion_factor, "conversion_factor", 1.0, 100.0)
    return round(RVU_2026[cpt] * cf, 2)
