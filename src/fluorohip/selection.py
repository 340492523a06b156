"""Patient selection for a fluoroscopic hip injection: checklist rules, differential, consent.

Three things live here, all pure Python (the widgets are in :mod:`fluorohip.selection_views`):

* :data:`FACTS` - every clinical number the chapter's code uses, with unit and citation key.
* :func:`assess` - the pre-procedure checklist. It takes a synthetic :class:`PatientRecord`
  and returns an :class:`Assessment`: one overall :class:`Decision` (the most restrictive
  finding wins) and every :class:`Finding` with its reason, the action that resolves it and
  its sources. The rules are data (:data:`RULES`), each a small predicate, so a test can run
  a table of patients through them.
* Content an instructor may edit, as YAML under ``assets/selection/``: the differential
  diagnosis table, the consent risks and the triage patients. Loaders check every field and
  report ``file: item: field: problem`` in a :class:`SelectionDataError`.

Teaching model, not a protocol: it encodes the published guidance the course cites, and
leaves local policy (for example the exact INR cut-off) to the supervising clinician.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

from .core.bibliography import CITATION_PATTERN, load_bibliography
from .core.facts import Fact, citation_keys
from .core.inputs import InputError, parse_number
from .core.paths import assets_dir
from .core.yamlread import ContentFileError, load_yaml_file

# --------------------------------------------------------------------------------------------
# Numbers, once, with unit and source
# --------------------------------------------------------------------------------------------


FACTS: dict[str, Fact] = {
    # Bleeding: SIR 2019 classes joint injections as low bleeding risk; INR and platelets are
    # not routinely required, and if tested the thresholds are these.
    "inr_threshold": Fact(
        None,
        "INR",
        ("Patel2019",),
        low=2.0,
        high=3.0,
        note="upper INR limit if tested; the guideline's threshold is a range",
    ),
    "platelet_threshold": Fact(
        20, "x10^9/L", ("Patel2019",), note="platelets should exceed this if tested"
    ),
    "warfarin_bleed_pct": Fact(
        1.5,
        "%",
        ("Tarar2023",),
        low=0.5,
        high=4.5,
        note="pooled, 5 bleeds in 871 procedures, 95% CI",
    ),
    "doac_procedures_without_bleed": Fact(1050, "procedures", ("Yui2017",), note="0 bleeds"),
    # Infection and arthroplasty timing
    "septic_arthritis_pct": Fact(
        None,
        "%",
        ("Geirsson2008", "Petersen2019", "Mueller2026"),
        low=0.04,
        high=0.09,
        note="per procedure",
    ),
    "septic_median_weeks": Fact(
        3.5, "weeks", ("Mueller2026",), low=1, high=16, note="median time to diagnosis, range"
    ),
    "tha_interval_months": Fact(
        3,
        "months",
        ("PJIMeta2022", "Uson2021"),
        note="at least about this long between injection and hip replacement",
    ),
    "pji_or_within_3_months": Fact(1.68, "odds ratio", ("PJIMeta2022",), low=1.48, high=1.90),
    # Repeat steroid: label advice, not outcome-derived
    "repeat_interval_months": Fact(
        3, "months", ("DepoMedroneSPC",), note="label: no more often than 3-monthly"
    ),
    "max_per_year": Fact(
        None,
        "injections per joint per year",
        ("DepoMedroneSPC",),
        low=2,
        high=3,
        note="label advice",
    ),
    # Diabetes
    "glucose_watch_days": Fact(
        None,
        "days",
        ("Uson2021",),
        low=1,
        high=3,
        note="days after steroid when monitoring matters most",
    ),
    "glucose_baseline_days": Fact(
        None,
        "days",
        ("Habib2011",),
        low=2.5,
        high=4,
        note="return to baseline after knee triamcinolone",
    ),
    # Imaging order (ACR Appropriateness Criteria, chronic hip pain; 9 = usually appropriate)
    "acr_radiographs_first": Fact(9, "ACR rating", ("Mintz2016",)),
    "acr_injection_first_test": Fact(1, "ACR rating", ("Mintz2016",)),
    # Pregnancy and radiation
    "conceptus_negligible_mgy": Fact(
        50, "mGy", ("CMAJPregnancy2015",), note="conceptus doses below this carry negligible risk"
    ),
    "screening_s": Fact(
        26, "s", ("TrainingLevelDose2017",), note="mean fluoroscopy time, 1,362 hip injections"
    ),
    "dap_ugym2": Fact(
        20.4, "\u00b5Gy\u00b7m\u00b2", ("TrainingLevelDose2017",), note="mean dose-area product"
    ),
    # Differential
    "gtps_share_pct": Fact(
        None, "%", ("AAPMRGTPS",), low=10, high=20, note="of hip pain in primary care"
    ),
    "referral_buttock_pct": Fact(71, "%", ("Lesher2008",)),
    "referral_groin_pct": Fact(55, "%", ("Lesher2008",)),
    "referral_below_knee_pct": Fact(22, "%", ("Lesher2008",)),
    "hip_spine_sensitivity_pct": Fact(93.6, "%", ("Maldonado2020",)),
    "hip_spine_specificity_pct": Fact(95.0, "%", ("Maldonado2020",)),
    "block_false_negatives": Fact(3, "of 40", ("Byrd2004",), note="false negatives at arthroscopy"),
    # Benefit of steroid
    "steroid_peak_weeks": Fact(
        1, "week", ("McCabe2016",), note="largest effect; moderate to 8 weeks"
    ),
    "steroid_moderate_to_weeks": Fact(8, "weeks", ("McCabe2016",)),
}


# --------------------------------------------------------------------------------------------
# Decisions and the patient record
# --------------------------------------------------------------------------------------------


class Decision(Enum):
    """What to do next, from least to most restrictive (``severity``)."""

    PROCEED = ("proceed", "Proceed", 0)
    CAUTION = ("caution", "Proceed with precautions", 1)
    OTHER_ROUTE = ("other", "Choose another guidance or test", 2)
    DEFER = ("defer", "Defer", 3)
    DO_NOT_INJECT = ("do-not-inject", "Do not inject", 4)

    def __init__(self, slug: str, label: str, severity: int):
        self.slug = slug
        self.label = label
        self.severity = severity

    @classmethod
    def from_slug(cls, slug: str) -> Decision:
        for d in cls:
            if d.slug == slug:
                return d
        raise ValueError(f"decision must be one of {', '.join(d.slug for d in cls)}; got {slug!r}")


PURPOSES = ("diagnostic", "therapeutic", "both")
PAIN_PATTERNS = ("intra-articular", "uncertain", "extra-articular")
ANTICOAGULANTS = ("none", "antiplatelet", "warfarin", "doac")
BLEEDING_DISORDERS = ("none", "mild", "high-risk")
DIABETES = ("none", "controlled", "poorly-controlled")

#: Plausible ranges for numeric inputs; outside them the record is refused with a message.
RANGES: dict[str, tuple[float, float]] = {
    "age_years": (18, 110),
    "inr": (0.5, 15.0),
    "platelets_e9_per_l": (0, 2000),
    "tha_planned_in_months": (0, 120),
    "months_since_last_steroid": (0, 600),
    "steroid_injections_past_year": (0, 24),
}


@dataclass(frozen=True)
class PatientRecord:
    """A synthetic patient's pre-procedure findings. Defaults describe an uncomplicated case.

    ``inr`` and ``platelets_e9_per_l`` are ``None`` when not tested (testing is not routine
    for joint injections [Patel2019]). ``tha_planned_in_months`` is ``None`` when no hip
    replacement is booked on the injected side.
    """

    age_years: float = 60
    purpose: str = "both"
    steroid_planned: bool = True
    contrast_planned: bool = True
    mr_arthrogram: bool = False
    radiographs_done: bool = True
    pain_pattern: str = "intra-articular"
    suspected_joint_infection: bool = False
    skin_infection_at_site: bool = False
    systemic_infection: bool = False
    anaphylaxis_to_contrast: bool = False
    anaphylaxis_to_injectate: bool = False
    prior_mild_contrast_reaction: bool = False
    iodine_or_seafood_allergy_label: bool = False
    anticoagulant: str = "none"
    inr: float | None = None
    platelets_e9_per_l: float | None = None
    bleeding_disorder: str = "none"
    pregnant: bool = False
    diabetes: str = "none"
    prosthetic_hip_same_side: bool = False
    tha_planned_in_months: float | None = None
    months_since_last_steroid: float | None = None
    steroid_injections_past_year: int = 0
    cannot_keep_still: bool = False
    avn_or_crps: bool = False

    def __post_init__(self) -> None:
        check_record(self)


_CHOICES = {
    "purpose": PURPOSES,
    "pain_pattern": PAIN_PATTERNS,
    "anticoagulant": ANTICOAGULANTS,
    "bleeding_disorder": BLEEDING_DISORDERS,
    "diabetes": DIABETES,
}
_OPTIONAL_NUMBERS = {
    "inr",
    "platelets_e9_per_l",
    "tha_planned_in_months",
    "months_since_last_steroid",
}


def check_number(name: str, value: Any, optional: bool = False) -> float | None:
    """Return ``value`` as a float inside :data:`RANGES`, or raise an InputError (a ValueError)
    naming the field and its range.

    Accepts numbers and numeric strings (what a learner types, with a decimal point or
    comma); refuses letters, NaN, infinity, booleans and values outside the plausible range.
    A blank optional field (not tested, not booked) gives ``None``.
    """
    lo, hi = RANGES[name]
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise InputError(f"{name} is required: type a number between {lo:g} and {hi:g}")
    return parse_number(value, name, lo, hi)


def check_record(rec: PatientRecord) -> None:
    """Raise ValueError, naming the field and the allowed values, if ``rec`` is not plausible."""
    for f in fields(rec):
        v = getattr(rec, f.name)
        if f.name in _CHOICES:
            if v not in _CHOICES[f.name]:
                raise ValueError(
                    f"{f.name} must be one of {', '.join(_CHOICES[f.name])}; got {v!r}"
                )
        elif f.name in RANGES:
            check_number(f.name, v, optional=f.name in _OPTIONAL_NUMBERS)
        elif not isinstance(v, bool):
            raise ValueError(f"{f.name} must be true or false; got {v!r}")
    if rec.steroid_injections_past_year != int(rec.steroid_injections_past_year):
        raise ValueError("steroid_injections_past_year must be a whole number")
    if rec.mr_arthrogram and not rec.contrast_planned:
        raise ValueError(
            "mr_arthrogram needs contrast_planned (an arthrogram is a contrast injection)"
        )


def record_from_dict(data: Mapping[str, Any], where: str = "patient") -> PatientRecord:
    """Build a record from YAML-like data; unknown or bad fields raise ValueError naming them."""
    known = {f.name for f in fields(PatientRecord)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(
            f"{where}: unknown field(s) {', '.join(unknown)}; known fields: {', '.join(sorted(known))}"
        )
    try:
        return PatientRecord(**dict(data))
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


# --------------------------------------------------------------------------------------------
# The checklist rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One checklist item that fired: what it means, what resolves it, and the sources."""

    rule: str
    decision: Decision
    title: str
    reason: str
    action: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    decision: Decision
    findings: tuple[Finding, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)

    def blocking(self) -> tuple[Finding, ...]:
        """Findings that stop or change the plan (anything beyond 'proceed with precautions')."""
        return tuple(
            f for f in self.findings if f.decision.severity >= Decision.OTHER_ROUTE.severity
        )


@dataclass(frozen=True)
class Rule:
    id: str
    applies: Callable[[PatientRecord], bool]
    finding: Callable[[PatientRecord], Finding]


def _f(rule: str, decision: Decision, title: str, reason: str, action: str, *keys: str) -> Finding:
    return Finding(rule, decision, title, reason, action, tuple(keys))


F = FACTS


def _inr_finding(r: PatientRecord) -> Finding:
    lim = F["inr_threshold"]
    if r.inr <= lim.low:
        return _f(
            "inr",
            Decision.PROCEED,
            f"INR {r.inr:g}: within every threshold",
            f"Joint injections are low bleeding risk; if an INR is checked, the guideline "
            f"threshold is {lim.text()} [@Patel2019].",
            "Nothing to resolve.",
            "Patel2019",
        )
    if r.inr <= lim.high:
        return _f(
            "inr",
            Decision.CAUTION,
            f"INR {r.inr:g}: inside the {lim.text()} threshold range",
            f"The guideline's upper INR limit for low-risk procedures is a range, {lim.text()} "
            f"[@Patel2019]; this value passes some local cut-offs and not others.",
            "Check your department's cut-off; press firmly afterwards. Do not stop the "
            "anticoagulant yourself.",
            "Patel2019",
        )
    return _f(
        "inr",
        Decision.DEFER,
        f"INR {r.inr:g}: above the highest threshold ({lim.high:g})",
        f"Even for low bleeding-risk procedures the guideline threshold, if tested, is "
        f"{lim.text()} [@Patel2019]; an INR this high also needs attention in its own right.",
        "Defer and contact the prescriber or anticoagulation service; re-book when the INR "
        "is back in range.",
        "Patel2019",
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "joint-infection",
        lambda r: r.suspected_joint_infection,
        lambda r: _f(
            "joint-infection",
            Decision.DO_NOT_INJECT,
            "Possible infection in the joint",
            "Infection in the joint is an absolute contraindication to injecting steroid "
            "[@RANZCRArthrogram][@RadiopaediaTechnique]. The question has changed to 'is this "
            "septic arthritis?'.",
            "Urgent aspiration for cell count and culture instead, and senior review.",
            "RANZCRArthrogram",
            "RadiopaediaTechnique",
        ),
    ),
    Rule(
        "anaphylaxis-injectate",
        lambda r: r.anaphylaxis_to_injectate,
        lambda r: _f(
            "anaphylaxis-injectate",
            Decision.DO_NOT_INJECT,
            "Anaphylaxis to the planned drug",
            "Anaphylaxis to the injectate is an absolute contraindication for that agent "
            "[@RANZCRArthrogram][@RadiopaediaTechnique].",
            "Do not give that drug; ask the allergy service which alternatives are safe before any "
            "new plan.",
            "RANZCRArthrogram",
            "RadiopaediaTechnique",
        ),
    ),
    Rule(
        "skin-infection",
        lambda r: r.skin_infection_at_site,
        lambda r: _f(
            "skin-infection",
            Decision.DEFER,
            "Skin infection at the entry site",
            "The needle would carry organisms into the joint; infection at the entry site is an "
            "absolute contraindication [@RANZCRArthrogram][@RadiopaediaTechnique].",
            "Treat the skin and re-book; an entry well away from the infected skin is a decision "
            "for the supervising clinician.",
            "RANZCRArthrogram",
            "RadiopaediaTechnique",
        ),
    ),
    Rule(
        "systemic-infection",
        lambda r: r.systemic_infection,
        lambda r: _f(
            "systemic-infection",
            Decision.DEFER,
            "Active systemic infection",
            "Active systemic infection is an absolute contraindication [@RadiopaediaTechnique]: "
            "bacteria in the blood can seed a joint, and steroid blunts the response.",
            "Defer until the infection has been treated.",
            "RadiopaediaTechnique",
        ),
    ),
    Rule(
        "platelets",
        lambda r: (
            r.platelets_e9_per_l is not None
            and r.platelets_e9_per_l <= F["platelet_threshold"].value
        ),
        lambda r: _f(
            "platelets",
            Decision.DEFER,
            f"Platelets {r.platelets_e9_per_l:g} x10^9/L",
            f"If platelets are checked before a low-risk procedure they should be above "
            f"{F['platelet_threshold'].text()} [@Patel2019].",
            "Defer and find out why the count is low.",
            "Patel2019",
        ),
    ),
    Rule("inr", lambda r: r.inr is not None, _inr_finding),
    Rule(
        "bleeding-disorder-high",
        lambda r: r.bleeding_disorder == "high-risk",
        lambda r: _f(
            "bleeding-disorder-high",
            Decision.DEFER,
            "Bleeding disorder with a high bleeding risk",
            "A bleeding diathesis is a relative contraindication [@RadiopaediaTechnique]; EULAR does "
            "not regard bleeding disorders as a contraindication unless the bleeding risk is high, "
            "as here [@Uson2021].",
            "Plan the injection with the haematology team (for example factor cover).",
            "RadiopaediaTechnique",
            "Uson2021",
        ),
    ),
    Rule(
        "bleeding-disorder-mild",
        lambda r: r.bleeding_disorder == "mild",
        lambda r: _f(
            "bleeding-disorder-mild",
            Decision.CAUTION,
            "Mild bleeding disorder",
            "A relative contraindication [@RadiopaediaTechnique]; not a bar to injection when the "
            "bleeding risk is not high [@Uson2021].",
            "Use a fine needle, press afterwards, and tell the patient what bruising to report.",
            "RadiopaediaTechnique",
            "Uson2021",
        ),
    ),
    Rule(
        "anticoagulant",
        lambda r: r.anticoagulant != "none",
        lambda r: _f(
            "anticoagulant",
            Decision.PROCEED,
            f"Takes an anticoagulant or antiplatelet ({r.anticoagulant})",
            "Joint injections are classed as low bleeding risk; routine INR and platelet checks are "
            "not required [@Patel2019], and antithrombotics are not a contraindication unless the "
            "bleeding risk is high [@Uson2021]. Bleeding was about 1.5% on warfarin [@Tarar2023] and "
            "none in 1,050 procedures on DOACs [@Yui2017].",
            "Do not stop the drug for this procedure on your own; follow local policy and record the "
            "drug in the consent.",
            "Patel2019",
            "Uson2021",
            "Tarar2023",
            "Yui2017",
        ),
    ),
    Rule(
        "anaphylaxis-contrast",
        lambda r: r.contrast_planned and r.anaphylaxis_to_contrast,
        lambda r: _f(
            "anaphylaxis-contrast",
            Decision.OTHER_ROUTE,
            "Anaphylaxis to contrast",
            "Giving the agent again is contraindicated [@RANZCRArthrogram]; premedication does not "
            "reliably prevent a repeat reaction [@Macy2018].",
            "Confirm needle position without that agent: ultrasound guidance or air as negative "
            "contrast [@RANZCRArthrogram][@AnteriorLandmark2013]; a different agent only on allergy advice.",
            "RANZCRArthrogram",
            "Macy2018",
            "AnteriorLandmark2013",
        ),
    ),
    Rule(
        "mild-contrast-reaction",
        lambda r: (
            r.contrast_planned and r.prior_mild_contrast_reaction and not r.anaphylaxis_to_contrast
        ),
        lambda r: _f(
            "mild-contrast-reaction",
            Decision.CAUTION,
            "Earlier non-severe reaction to contrast",
            "Find out which agent and what happened. Switching to a different agent is usually "
            "better than premedication, which does not reliably prevent reactions [@Macy2018].",
            "Record the agent; use a different one, or air, and have the reaction kit ready.",
            "Macy2018",
        ),
    ),
    Rule(
        "iodine-label",
        lambda r: r.iodine_or_seafood_allergy_label,
        lambda r: _f(
            "iodine-label",
            Decision.PROCEED,
            "'Iodine' or seafood allergy on the record",
            "Not a contrast allergy and not a reason to withhold contrast: 'iodine allergy' is a "
            "label to retire [@Macy2018].",
            "Ask what reaction happened to what, record it accurately, and continue.",
            "Macy2018",
        ),
    ),
    Rule(
        "pregnancy",
        lambda r: r.pregnant,
        lambda r: _f(
            "pregnancy",
            Decision.OTHER_ROUTE,
            "Pregnant",
            "Not an absolute contraindication. Prefer a method without x-rays when one will do; a "
            "needed x-ray procedure should not be withheld because its dose is far below harmful "
            f"levels (conceptus doses below {F['conceptus_negligible_mgy'].text()} carry negligible "
            "risk) [@ACOG2017][@CMAJPregnancy2015]. Also ask whether the drugs are safe in "
            "pregnancy [@Uson2021].",
            "Discuss with the patient and her obstetric team; if the injection is still needed, "
            "prefer ultrasound guidance.",
            "ACOG2017",
            "CMAJPregnancy2015",
            "Uson2021",
        ),
    ),
    Rule(
        "prosthetic-hip",
        lambda r: r.prosthetic_hip_same_side,
        lambda r: _f(
            "prosthetic-hip",
            Decision.OTHER_ROUTE,
            "Hip replacement on this side",
            "This course teaches injection of a native hip. A painful replacement raises other "
            "questions, infection first; if infection is suspected, image-guided aspiration for "
            "culture is the test (likelihood ratio + 9.8, - 0.33) [@AAOSPJI].",
            "Refer to the arthroplasty team; do not treat this as a routine native-hip injection.",
            "AAOSPJI",
        ),
    ),
    Rule(
        "tha-soon",
        lambda r: (
            r.tha_planned_in_months is not None
            and r.tha_planned_in_months < F["tha_interval_months"].value
        ),
        lambda r: _f(
            "tha-soon",
            Decision.DEFER,
            f"Hip replacement planned in {r.tha_planned_in_months:g} months",
            "Injections within about 3 months before a hip replacement were associated with more "
            "prosthetic infection (OR 1.68, 95% CI 1.48-1.90) [@PJIMeta2022]. That is an "
            "association, not proof of cause, and one strict-asepsis series found no excess "
            "[@Meermans2012]; guidance says inject at least 3 months before replacement [@Uson2021].",
            "Talk to the surgeon: is the injection still needed, or can the dates be separated by "
            "at least about 3 months?",
            "PJIMeta2022",
            "Meermans2012",
            "Uson2021",
        ),
    ),
    Rule(
        "no-radiographs",
        lambda r: not r.radiographs_done,
        lambda r: _f(
            "no-radiographs",
            Decision.OTHER_ROUTE,
            "No radiographs yet",
            "For chronic hip pain, pelvis and hip radiographs come first (ACR rating 9); an injection "
            "is usually not appropriate as the first test (rating 1) [@Mintz2016].",
            "Request radiographs and review the plan with them.",
            "Mintz2016",
        ),
    ),
    Rule(
        "extra-articular",
        lambda r: r.pain_pattern == "extra-articular",
        lambda r: _f(
            "extra-articular",
            Decision.OTHER_ROUTE,
            "The picture points outside the joint",
            "A hip joint injection tests and treats the joint. Lateral hip pain with trochanteric "
            "tenderness, for example, suggests greater trochanteric pain syndrome, a common mimic "
            f"({F['gtps_share_pct'].text()} of hip pain in primary care) [@AAPMRGTPS].",
            "Re-examine; consider ultrasound or MRI, or a test aimed at the suspected structure "
            "[@Mintz2016].",
            "AAPMRGTPS",
            "Mintz2016",
        ),
    ),
    Rule(
        "uncertain-therapeutic",
        lambda r: r.pain_pattern == "uncertain" and r.purpose == "therapeutic",
        lambda r: _f(
            "uncertain-therapeutic",
            Decision.CAUTION,
            "Source uncertain, but booked as treatment only",
            "When hip and spine (or another source) are both possible, the anaesthetic response is "
            "the useful information: in hip-spine studies it separated the sources with mean "
            "sensitivity 93.6% and specificity 95.0% [@Maldonado2020].",
            "Book it as diagnostic and therapeutic, with a pain diary before and after.",
            "Maldonado2020",
        ),
    ),
    Rule(
        "diabetes",
        lambda r: r.steroid_planned and r.diabetes != "none",
        lambda r: _f(
            "diabetes",
            Decision.CAUTION,
            "Diabetes, steroid planned"
            + (" (poorly controlled)" if r.diabetes == "poorly-controlled" else ""),
            "Steroid raised glucose in every diabetic patient in a controlled knee study, back to "
            f"baseline after {F['glucose_baseline_days'].text()} [@Habib2011]; warn and advise "
            f"monitoring, especially days {F['glucose_watch_days'].text().replace(' days', '')} [@Uson2021]."
            + (
                " No published glucose or HbA1c cut-off tells you when to defer; local policies differ."
                if r.diabetes == "poorly-controlled"
                else ""
            ),
            "Agree a monitoring plan (and what to do with a high reading) before the injection"
            + ("; involve the diabetes team" if r.diabetes == "poorly-controlled" else "")
            + ".",
            "Habib2011",
            "Uson2021",
        ),
    ),
    Rule(
        "repeat-steroid",
        lambda r: (
            r.steroid_planned
            and (
                (
                    r.months_since_last_steroid is not None
                    and r.months_since_last_steroid < F["repeat_interval_months"].value
                )
                or r.steroid_injections_past_year >= F["max_per_year"].low
            )
        ),
        lambda r: _f(
            "repeat-steroid",
            Decision.CAUTION,
            "Recent or frequent steroid in this hip",
            "Label advice for methylprednisolone is no more often than 3-monthly and 2-3 times a "
            "year per joint [@DepoMedroneSPC]: label advice, not outcome data. In a knee trial, "
            "12-weekly triamcinolone for 2 years caused more cartilage loss than saline without "
            "more pain relief [@McAlindon2017].",
            "Ask what the last injection achieved and for how long; consider whether another "
            "injection will change anything.",
            "DepoMedroneSPC",
            "McAlindon2017",
        ),
    ),
    Rule(
        "cannot-keep-still",
        lambda r: r.cannot_keep_still,
        lambda r: _f(
            "cannot-keep-still",
            Decision.CAUTION,
            "Unable to keep still",
            "A relative contraindication [@RadiopaediaTechnique].",
            "Plan positioning, analgesia or anxiolysis, and extra help.",
            "RadiopaediaTechnique",
        ),
    ),
    Rule(
        "avn-crps",
        lambda r: r.avn_or_crps,
        lambda r: _f(
            "avn-crps",
            Decision.CAUTION,
            "Osteonecrosis or CRPS",
            "Listed as relative contraindications because of anecdotal aggravation [@RANZCRArthrogram].",
            "Discuss the aim with the referrer and document it.",
            "RANZCRArthrogram",
        ),
    ),
)


def assess(rec: PatientRecord) -> Assessment:
    """Run every rule; the overall decision is the most restrictive finding (or Proceed)."""
    found = tuple(rule.finding(rec) for rule in RULES if rule.applies(rec))
    decision = max((f.decision for f in found), key=lambda d: d.severity, default=Decision.PROCEED)
    found = tuple(sorted(found, key=lambda f: -f.decision.severity))
    return Assessment(decision, found)


def rule_keys() -> set[str]:
    """Every citation key the rules can emit (checked against the bibliography in tests)."""
    worst = PatientRecord(
        purpose="therapeutic",
        pain_pattern="extra-articular",
        radiographs_done=False,
        suspected_joint_infection=True,
        skin_infection_at_site=True,
        systemic_infection=True,
        anaphylaxis_to_contrast=True,
        anaphylaxis_to_injectate=True,
        iodine_or_seafood_allergy_label=True,
        anticoagulant="warfarin",
        inr=4.0,
        platelets_e9_per_l=10,
        bleeding_disorder="high-risk",
        pregnant=True,
        diabetes="poorly-controlled",
        prosthetic_hip_same_side=True,
        tha_planned_in_months=1,
        months_since_last_steroid=1,
        steroid_injections_past_year=3,
        cannot_keep_still=True,
        avn_or_crps=True,
    )
    extra = [
        replace(
            worst,
            bleeding_disorder="mild",
            anaphylaxis_to_contrast=False,
            prior_mild_contrast_reaction=True,
            pain_pattern="uncertain",
            inr=2.5,
        )
    ]
    keys: set[str] = set()
    for rec in (worst, *extra):
        for f in assess(rec).findings:
            keys.update(f.keys)
            keys.update(CITATION_PATTERN.findall(f.reason + f.action))
    return keys | citation_keys(FACTS)


# --------------------------------------------------------------------------------------------
# Content as data: differential, risks, triage patients
# --------------------------------------------------------------------------------------------


class SelectionDataError(ValueError):
    """A file under assets/selection/ is missing a field or holds a bad value."""


def selection_dir() -> Path:
    return assets_dir() / "selection"


def _read(path: Path, top: str) -> list[dict]:
    shown = f"assets/selection/{path.name}"
    try:
        data = load_yaml_file(path, shown)  # bounded: no aliases/tags, size and depth caps
    except ContentFileError as exc:
        raise SelectionDataError(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get(top), list) or not data[top]:
        raise SelectionDataError(
            f"{shown}: expected a top-level '{top}:' list with at least one entry"
        )
    return data[top]


class _Checker:
    def __init__(self, path: Path, top: str, keys: set[str] | None):
        self.shown = f"assets/selection/{path.name}"
        self.top = top
        self.keys = keys
        self.seen: set[str] = set()

    def where(self, i: int, item: Any) -> str:
        ident = item.get("id") if isinstance(item, dict) else None
        return f"{self.shown}: {self.top}[{i}]" + (f" (id {ident!r})" if ident else "")

    def text(self, i: int, item: dict, name: str) -> str:
        v = item.get(name)
        if not isinstance(v, str) or not v.strip():
            raise SelectionDataError(
                f"{self.where(i, item)}: field '{name}': must be non-empty text"
            )
        return " ".join(v.split())

    def ident(self, i: int, item: Any) -> str:
        if not isinstance(item, dict):
            raise SelectionDataError(f"{self.where(i, item)}: must be a mapping of fields")
        v = self.text(i, item, "id")
        if v in self.seen:
            raise SelectionDataError(f"{self.where(i, item)}: field 'id': duplicate id {v!r}")
        self.seen.add(v)
        return v

    def citation_keys(self, i: int, item: dict, allow_empty: bool = False) -> tuple[str, ...]:
        v = item.get("keys")
        if (
            not isinstance(v, list)
            or (not v and not allow_empty)
            or not all(isinstance(k, str) for k in v)
        ):
            raise SelectionDataError(
                f"{self.where(i, item)}: field 'keys': must be a list of citation keys"
            )
        if self.keys is not None:
            bad = [k for k in v if k not in self.keys]
            if bad:
                raise SelectionDataError(
                    f"{self.where(i, item)}: field 'keys': unknown citation key(s) {', '.join(bad)} "
                    "(not in assets/references.yaml)"
                )
        return tuple(v)

    def choice(self, i: int, item: dict, name: str, allowed: Iterable[str]) -> str:
        allowed = tuple(allowed)
        v = item.get(name)
        if v not in allowed:
            raise SelectionDataError(
                f"{self.where(i, item)}: field '{name}': must be one of {', '.join(allowed)}; got {v!r}"
            )
        return v


def _bib_keys(check_citations: bool) -> set[str] | None:
    return set(load_bibliography()) if check_citations else None


# --- differential ---------------------------------------------------------------------------

COMPARTMENTS = ("intra-articular", "extra-articular", "referred", "red-flag")


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    compartment: str
    where: str
    clues: str
    first_test: str
    injection: str
    keys: tuple[str, ...]


def load_differential(
    path: Path | str | None = None, check_citations: bool = True
) -> tuple[Condition, ...]:
    path = Path(path) if path else selection_dir() / "differential.yaml"
    chk = _Checker(path, "conditions", _bib_keys(check_citations))
    out = []
    for i, item in enumerate(_read(path, "conditions")):
        out.append(
            Condition(
                id=chk.ident(i, item),
                name=chk.text(i, item, "name"),
                compartment=chk.choice(i, item, "compartment", COMPARTMENTS),
                where=chk.text(i, item, "where"),
                clues=chk.text(i, item, "clues"),
                first_test=chk.text(i, item, "first_test"),
                injection=chk.text(i, item, "injection"),
                keys=chk.citation_keys(i, item, allow_empty=True),
            )
        )
    return tuple(out)


SORT_FIELDS = ("name", "compartment", "where", "first_test")


def filter_sort_conditions(
    conditions: Iterable[Condition],
    compartment: str = "all",
    sort_by: str = "compartment",
    text: str = "",
) -> list[Condition]:
    """Filter by compartment and free text (any field), then sort by a field (then name)."""
    if compartment != "all" and compartment not in COMPARTMENTS:
        raise ValueError(
            f"compartment must be 'all' or one of {', '.join(COMPARTMENTS)}; got {compartment!r}"
        )
    if sort_by not in SORT_FIELDS:
        raise ValueError(f"sort_by must be one of {', '.join(SORT_FIELDS)}; got {sort_by!r}")
    needle = text.strip().lower()
    rows = [
        c
        for c in conditions
        if (compartment == "all" or c.compartment == compartment)
        and (
            not needle
            or needle in " ".join((c.name, c.where, c.clues, c.first_test, c.injection)).lower()
        )
    ]
    order = {c: i for i, c in enumerate(COMPARTMENTS)}
    if sort_by == "compartment":
        return sorted(rows, key=lambda c: (order[c.compartment], c.name.lower()))
    return sorted(rows, key=lambda c: (getattr(c, sort_by).lower(), c.name.lower()))


# --- consent risks --------------------------------------------------------------------------

APPLIES = (
    "always",
    "steroid",
    "contrast",
    "diabetes_and_steroid",
    "warfarin",
    "doac",
    "tha_soon",
    "mr_arthrography",
)
_FREQ_FORMS = (
    {"percent"},
    {"low_percent", "high_percent"},
    {"percent", "low_percent", "high_percent"},
    {"up_to_percent"},
    {"events", "denominator"},
    {"odds_ratio", "low", "high"},
)


@dataclass(frozen=True)
class Risk:
    id: str
    name: str
    what: str
    frequency: Mapping[str, float]
    context: str
    applies_when: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def percent_range(self) -> tuple[float | None, float | None]:
        """(low, high) in percent, or (None, None) for an odds ratio."""
        f = self.frequency
        if "events" in f:
            p = 100.0 * f["events"] / f["denominator"]
            return (p, p)
        if "up_to_percent" in f:
            return (None, f["up_to_percent"])
        if "low_percent" in f:
            return (f["low_percent"], f["high_percent"])
        if "percent" in f:
            return (f["percent"], f["percent"])
        return (None, None)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_frequency(where: str, f: Any) -> dict[str, float]:
    if not isinstance(f, dict) or set(f) not in _FREQ_FORMS:
        raise SelectionDataError(
            f"{where}: field 'frequency': must be one of {{percent}}, {{low_percent, high_percent}}, "
            "{up_to_percent}, {events, denominator}, {odds_ratio, low, high}; got "
            f"{sorted(f) if isinstance(f, dict) else f!r}"
        )
    for k, v in f.items():
        if not _is_number(v) or v < 0:
            raise SelectionDataError(
                f"{where}: field 'frequency.{k}': must be a number >= 0; got {v!r}"
            )
    for k in ("percent", "low_percent", "high_percent", "up_to_percent"):
        if k in f and f[k] > 100:
            raise SelectionDataError(
                f"{where}: field 'frequency.{k}': a percentage cannot exceed 100; got {f[k]!r}"
            )
    if "low_percent" in f and f["low_percent"] > f["high_percent"]:
        raise SelectionDataError(f"{where}: field 'frequency': low_percent is above high_percent")
    if (
        "percent" in f
        and "low_percent" in f
        and not f["low_percent"] <= f["percent"] <= f["high_percent"]
    ):
        raise SelectionDataError(
            f"{where}: field 'frequency': percent lies outside low_percent-high_percent"
        )
    if "events" in f and (f["denominator"] <= 0 or f["events"] > f["denominator"]):
        raise SelectionDataError(
            f"{where}: field 'frequency': need 0 <= events <= denominator and denominator > 0"
        )
    if "odds_ratio" in f and not f["low"] <= f["odds_ratio"] <= f["high"]:
        raise SelectionDataError(f"{where}: field 'frequency': odds_ratio lies outside low-high")
    return dict(f)


def load_risks(path: Path | str | None = None, check_citations: bool = True) -> tuple[Risk, ...]:
    path = Path(path) if path else selection_dir() / "risks.yaml"
    chk = _Checker(path, "risks", _bib_keys(check_citations))
    out = []
    for i, item in enumerate(_read(path, "risks")):
        rid = chk.ident(i, item)
        applies = item.get("applies_when")
        if not isinstance(applies, list) or not applies or any(a not in APPLIES for a in applies):
            raise SelectionDataError(
                f"{chk.where(i, item)}: field 'applies_when': must be a list drawn from {', '.join(APPLIES)}; "
                f"got {applies!r}"
            )
        out.append(
            Risk(
                id=rid,
                name=chk.text(i, item, "name"),
                what=chk.text(i, item, "what"),
                frequency=_check_frequency(chk.where(i, item), item.get("frequency")),
                context=chk.text(i, item, "context"),
                applies_when=tuple(applies),
                keys=chk.citation_keys(i, item),
            )
        )
    return tuple(out)


def _round_sig(x: float) -> str:
    if x >= 10:
        return f"{round(x):,}"
    if x >= 1:
        r = round(x)
        return f"{r:,}"
    return f"{x:.1g}"


def per_n(percent: float) -> tuple[str, int]:
    """Express a percentage as 'k in N' with the smallest N (100 ... 1,000,000) giving k >= 1."""
    if percent <= 0:
        return ("0", 100)
    for n in (100, 1_000, 10_000, 100_000, 1_000_000):
        k = percent * n / 100
        # the smallest denominator whose whole-number count is within 10% of the true value
        if k >= 0.95 and abs(round(k) - k) <= 0.1 * k:
            return (_round_sig(k), n)
    return ("fewer than 1", 1_000_000)


def plain_frequency(risk: Risk) -> str:
    """How often, in words and numbers a patient can follow, generated from the data."""
    f = risk.frequency
    if "odds_ratio" in f:
        return (
            f"about {f['odds_ratio']:.1f} times the odds of the comparison group "
            f"(odds ratio {f['odds_ratio']:g}, 95% CI {f['low']:g}-{f['high']:g})"
        )
    if "events" in f:
        e, d = int(f["events"]), int(f["denominator"])
        if e == 0:
            return f"none in {d:,} procedures"
        k, n = per_n(100.0 * e / d)
        return f"{e:,} in {d:,} (about {k} in {n:,})"
    if "up_to_percent" in f:
        k, n = per_n(f["up_to_percent"])
        return f"up to about {k} in {n:,}, depending on the definition"
    if "low_percent" in f:
        lo, hi = f["low_percent"], f["high_percent"]
        n = per_n(lo)[1]
        klo, khi = _round_sig(lo * n / 100), _round_sig(hi * n / 100)
        span = f"about {klo} to {khi} in {n:,} ({lo:g}-{hi:g}%)"
        if "percent" in f:
            kp, np_ = per_n(f["percent"])
            return f"about {kp} in {np_:,} ({f['percent']:g}%; range {lo:g}-{hi:g}%)"
        return span
    p = f["percent"]
    if p >= 99.5:
        return "almost everyone"
    k, n = per_n(p)
    return f"about {k} in {n:,} ({p:g}%)"


@dataclass(frozen=True)
class ConsentPlan:
    """What the patient is having: decides which risks and paragraphs the conversation needs."""

    purpose: str = "both"
    steroid: bool = True
    contrast: bool = True
    mr_arthrogram: bool = False
    diabetes: bool = False
    anticoagulant: str = "none"
    tha_within_3_months: bool = False

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}; got {self.purpose!r}")
        if self.anticoagulant not in ANTICOAGULANTS:
            raise ValueError(
                f"anticoagulant must be one of {', '.join(ANTICOAGULANTS)}; got {self.anticoagulant!r}"
            )
        if self.mr_arthrogram and not self.contrast:
            raise ValueError("mr_arthrogram needs contrast (an arthrogram is a contrast injection)")
        for name in ("steroid", "contrast", "mr_arthrogram", "diabetes", "tha_within_3_months"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false; got {getattr(self, name)!r}")


def plan_conditions(plan: ConsentPlan) -> set[str]:
    on = {"always"}
    if plan.steroid:
        on.add("steroid")
    if plan.contrast:
        on.add("contrast")
    if plan.mr_arthrogram:
        on.add("mr_arthrography")
    if plan.diabetes and plan.steroid:
        on.add("diabetes_and_steroid")
    if plan.anticoagulant == "warfarin":
        on.add("warfarin")
    if plan.anticoagulant == "doac":
        on.add("doac")
    if plan.tha_within_3_months:
        on.add("tha_soon")
    return on


def risks_for(plan: ConsentPlan, risks: Iterable[Risk] | None = None) -> list[Risk]:
    """The risks this patient should hear about, in file order."""
    risks = load_risks() if risks is None else risks
    on = plan_conditions(plan)
    return [r for r in risks if on.intersection(r.applies_when)]


_PURPOSE_TEXT = {
    "diagnostic": (
        "The aim is to find out whether your pain comes from inside the hip joint. We put "
        "numbing medicine into the joint and you record your pain over the next hours. If the "
        "pain goes, the joint is the likely source."
    ),
    "therapeutic": (
        "The aim is to ease the pain from your hip joint for a while with a steroid (a strong "
        "anti-inflammatory) placed inside the joint."
    ),
    "both": (
        "There are two aims. The numbing medicine tells us within hours whether the pain comes "
        "from inside the joint, and the steroid may ease it for some weeks."
    ),
}


def consent_text(plan: ConsentPlan, risks: Iterable[Risk] | None = None) -> str:
    """A consent conversation in plain language, as Markdown with ``[@Key]`` citations.

    The numbers come from ``assets/selection/risks.yaml`` and :data:`FACTS`; the wording is
    the course's own. It is a model to adapt, not a form to read out.
    """
    chosen = risks_for(plan, risks)
    out = ["**Why we are doing it.** " + _PURPOSE_TEXT[plan.purpose]]
    out.append(
        "**What you will feel.** You lie on your back on the x-ray table. The skin is cleaned "
        "and numbed, which stings briefly; then you may feel pressure as the thin needle reaches "
        "the joint. We take a few short x-ray pictures to guide the needle"
        + (
            " and inject a little x-ray dye to check it is inside the joint"
            if plan.contrast
            else ""
        )
        + f". The x-ray time is usually under a minute (about {F['screening_s'].text()} on average "
        "in a large series), a dose of the order of one or two ordinary hip x-rays "
        "[@TrainingLevelDose2017][@Mayne2024]."
    )
    if plan.purpose in ("diagnostic", "both"):
        out.append(
            "**The pain diary.** Write down your pain score before the injection and at set times "
            "afterwards, doing things that usually hurt. Relief in the first hours comes from the "
            "numbing medicine. No relief does not completely rule out the hip: the test misses "
            "some hip problems [@Byrd2004]."
        )
    if plan.steroid:
        out.append(
            "**How much it helps.** Steroid usually starts to work over days, helps most at about "
            f"{F['steroid_peak_weeks'].text()} and moderately up to about "
            f"{F['steroid_moderate_to_weeks'].text()} [@McCabe2016]; in trials it beat placebo at "
            "3 months but not at 6 [@MultipleInjectionNMA2024]. Some people get little benefit; in "
            "one large trial steroid with numbing medicine was not clearly better than numbing "
            "medicine alone [@Paskins2022]. It does not repair the joint."
        )
    lines = ["**The risks, and how often they happen.**"]
    for r in chosen:
        cites = "".join(f"[@{k}]" for k in r.keys)
        lines.append(
            f"- *{r.name}*: {plain_frequency(r)}. {r.what}\n  - *For you, not to read out:* "
            f"{r.context} {cites}"
        )
    out.append("\n".join(lines))
    if plan.anticoagulant != "none":
        out.append(
            "**Your blood thinner.** Please keep taking it unless your own doctor tells you "
            "otherwise: joint injections are treated as a low bleeding-risk procedure "
            "[@Patel2019][@Uson2021]."
        )
    out.append(
        "**Other choices.** You can wait and see; exercise, weight loss if overweight and "
        "anti-inflammatory tablets are strongly recommended for hip osteoarthritis [@Kolasinski2020]; "
        "the injection can also be guided by ultrasound; further scans (such as MRI) answer some "
        "questions better [@Mintz2016]; and surgery is an option for some hips."
    )
    out.append(
        "**Afterwards.** The leg may feel numb or weak for a few hours; many departments advise "
        "not driving that day (local practice varies), so arrange a lift. Call us urgently for a "
        "hot swollen hip, fever or being unable to put weight on the leg, even weeks later "
        "(infections were diagnosed a median 3.5 weeks after injection) [@Mueller2026]. Ask the "
        "department about any costs and how much time to take off work."
    )
    return "\n\n".join(out)


# --- triage patients ------------------------------------------------------------------------


@dataclass(frozen=True)
class TriagePatient:
    id: str
    name: str
    vignette: str
    record: PatientRecord
    expected: Decision
    teaching: str
    keys: tuple[str, ...]


def load_triage_patients(
    path: Path | str | None = None, check_citations: bool = True, check_expected: bool = True
) -> tuple[TriagePatient, ...]:
    """Synthetic patients for the triage exercise. ``expected`` must match :func:`assess`."""
    path = Path(path) if path else selection_dir() / "patients.yaml"
    chk = _Checker(path, "patients", _bib_keys(check_citations))
    out = []
    for i, item in enumerate(_read(path, "patients")):
        pid = chk.ident(i, item)
        rec_data = item.get("record")
        if not isinstance(rec_data, dict):
            raise SelectionDataError(
                f"{chk.where(i, item)}: field 'record': must be a mapping of findings"
            )
        try:
            rec = record_from_dict(rec_data, where=f"{chk.where(i, item)}: field 'record'")
        except ValueError as exc:
            raise SelectionDataError(str(exc)) from None
        slug = chk.choice(i, item, "expected", [d.slug for d in Decision])
        expected = Decision.from_slug(slug)
        if check_expected and assess(rec).decision is not expected:
            raise SelectionDataError(
                f"{chk.where(i, item)}: field 'expected': says {slug!r} but the checklist gives "
                f"{assess(rec).decision.slug!r}; fix the record or the rules"
            )
        out.append(
            TriagePatient(
                id=pid,
                name=chk.text(i, item, "name"),
                vignette=chk.text(i, item, "vignette"),
                record=rec,
                expected=expected,
                teaching=chk.text(i, item, "teaching"),
                keys=chk.citation_keys(i, item),
            )
        )
    return tuple(out)


def grade_triage(patient: TriagePatient, choice: str) -> tuple[bool, str]:
    """(correct?, feedback Markdown) for a learner's decision slug on a triage patient."""
    chosen = Decision.from_slug(choice)
    a = assess(patient.record)
    ok = chosen is a.decision
    head = (
        f"**Correct: {a.decision.label}.**"
        if ok
        else f"**Not quite.** You chose *{chosen.label}*; the checklist says **{a.decision.label}**."
    )
    items = "\n".join(
        f"- **{fnd.decision.label}** - {fnd.title}: {fnd.reason} *Action:* {fnd.action}"
        for fnd in a.findings
    )
    return ok, "\n\n".join(part for part in (head, patient.teaching, items) if part)


__all__ = [
    "COMPARTMENTS",
    "FACTS",
    "RULES",
    "SORT_FIELDS",
    "Assessment",
    "Condition",
    "ConsentPlan",
    "Decision",
    "Fact",
    "Finding",
    "PatientRecord",
    "Risk",
    "Rule",
    "SelectionDataError",
    "TriagePatient",
    "assess",
    "check_number",
    "check_record",
    "consent_text",
    "filter_sort_conditions",
    "grade_triage",
    "load_differential",
    "load_risks",
    "load_triage_patients",
    "per_n",
    "plain_frequency",
    "record_from_dict",
    "risks_for",
    "rule_keys",
]
