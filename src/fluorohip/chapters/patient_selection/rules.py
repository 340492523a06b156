"""The pre-procedure checklist: rules that turn a synthetic patient into a decision with reasons.

:func:`assess` takes a :class:`~.record.PatientRecord` and returns an
:class:`~.findings.Assessment`: one overall :class:`~.decision.Decision` (the most restrictive
finding wins) and every :class:`~.findings.Finding` with its reason, the action that resolves it and its sources. The rules are
data (:data:`RULES`), each a small predicate, so a test can run a table of patients through them.

Teaching model, not a protocol: it encodes the published guidance the course cites, and leaves
local policy (for example the exact INR cut-off) to the supervising clinician. Pure Python.
"""

from __future__ import annotations

from dataclasses import replace

from fluorohip.core.bibliography import CITATION_PATTERN
from fluorohip.core.facts import citation_keys

from .decision import Decision
from .facts import FACTS, single_value
from .findings import (
    Assessment,
    Finding,
    Rule,
    make_finding,
    number,
    odds_ratio_text,
    range_text,
)
from .record import PatientRecord

__all__ = ["RULES", "assess", "rule_keys"]


def _inr_finding(r: PatientRecord) -> Finding:
    lim = FACTS["inr_threshold"]
    low, high = lim.range
    if r.inr is None:  # the rule applies only when an INR was measured
        raise ValueError("the INR rule needs a measured INR")
    if r.inr <= low:
        return make_finding(
            "inr",
            Decision.PROCEED,
            f"INR {r.inr:g}: within every threshold",
            f"Joint injections are low bleeding risk; if an INR is checked, the guideline "
            f"threshold is {lim.text()} [@Patel2019].",
            "Nothing to resolve.",
            "Patel2019",
        )
    if r.inr <= high:
        return make_finding(
            "inr",
            Decision.CAUTION,
            f"INR {r.inr:g}: inside the {lim.text()} threshold range",
            f"The guideline's upper INR limit for low-risk procedures is a range, {lim.text()} "
            f"[@Patel2019]; this value passes some local cut-offs and not others.",
            "Check your department's cut-off; press firmly afterwards. Do not stop the "
            "anticoagulant yourself.",
            "Patel2019",
        )
    return make_finding(
        "inr",
        Decision.DEFER,
        f"INR {r.inr:g}: above the highest threshold ({high:g})",
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
            and r.platelets_e9_per_l <= single_value(FACTS["platelet_threshold"])
        ),
        lambda r: make_finding(
            "platelets",
            Decision.DEFER,
            f"Platelets {r.platelets_e9_per_l:g} x10^9/L",
            f"If platelets are checked before a low-risk procedure they should be above "
            f"{FACTS['platelet_threshold'].text()} [@Patel2019].",
            "Defer and find out why the count is low.",
            "Patel2019",
        ),
    ),
    Rule("inr", lambda r: r.inr is not None, _inr_finding),
    Rule(
        "bleeding-disorder-high",
        lambda r: r.bleeding_disorder == "high-risk",
        lambda r: make_finding(
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
        lambda r: make_finding(
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
        lambda r: make_finding(
            "anticoagulant",
            Decision.PROCEED,
            f"Takes an anticoagulant or antiplatelet ({r.anticoagulant})",
            "Joint injections are classed as low bleeding risk; routine INR and platelet checks are "
            "not required [@Patel2019], and antithrombotics are not a contraindication unless the "
            f"bleeding risk is high [@Uson2021]. Bleeding was about {number('warfarin_bleed_pct')}% "
            f"on warfarin [@Tarar2023] and none in {FACTS['doac_procedures_without_bleed'].text()} "
            "on DOACs [@Yui2017].",
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
        lambda r: make_finding(
            "pregnancy",
            Decision.OTHER_ROUTE,
            "Pregnant",
            "Not an absolute contraindication. Prefer a method without x-rays when one will do; a "
            "needed x-ray procedure should not be withheld because its dose is far below harmful "
            f"levels (conceptus doses below {FACTS['conceptus_negligible_mgy'].text()} carry negligible "
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
        lambda r: make_finding(
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
            and r.tha_planned_in_months < single_value(FACTS["tha_interval_months"])
        ),
        lambda r: make_finding(
            "tha-soon",
            Decision.DEFER,
            f"Hip replacement planned in {r.tha_planned_in_months:g} months",
            "Injections within about 3 months before a hip replacement were associated with more "
            f"prosthetic infection ({odds_ratio_text('pji_or_within_3_months')}) [@PJIMeta2022]. "
            "That is an association, not proof of cause, and one strict-asepsis series found no "
            "excess [@Meermans2012]; guidance says inject at least "
            f"{number('tha_interval_months')} months before replacement [@Uson2021].",
            "Talk to the surgeon: is the injection still needed, or can the dates be separated by "
            f"at least about {number('tha_interval_months')} months?",
            "PJIMeta2022",
            "Meermans2012",
            "Uson2021",
        ),
    ),
    Rule(
        "no-radiographs",
        lambda r: not r.radiographs_done,
        lambda r: make_finding(
            "no-radiographs",
            Decision.OTHER_ROUTE,
            "No radiographs yet",
            "For chronic hip pain, pelvis and hip radiographs come first (ACR rating "
            f"{number('acr_radiographs_first')}); an injection is usually not appropriate as the "
            f"first test (rating {number('acr_injection_first_test')}) [@Mintz2016].",
            "Request radiographs and review the plan with them.",
            "Mintz2016",
        ),
    ),
    Rule(
        "extra-articular",
        lambda r: r.pain_pattern == "extra-articular",
        lambda r: make_finding(
            "extra-articular",
            Decision.OTHER_ROUTE,
            "The picture points outside the joint",
            "A hip joint injection tests and treats the joint. Lateral hip pain with trochanteric "
            "tenderness, for example, suggests greater trochanteric pain syndrome, a common mimic "
            f"({FACTS['gtps_share_pct'].text()} of hip pain in primary care) [@AAPMRGTPS].",
            "Re-examine; consider ultrasound or MRI, or a test aimed at the suspected structure "
            "[@Mintz2016].",
            "AAPMRGTPS",
            "Mintz2016",
        ),
    ),
    Rule(
        "uncertain-therapeutic",
        lambda r: r.pain_pattern == "uncertain" and r.purpose == "therapeutic",
        lambda r: make_finding(
            "uncertain-therapeutic",
            Decision.CAUTION,
            "Source uncertain, but booked as treatment only",
            "When hip and spine (or another source) are both possible, the anaesthetic response is "
            "the useful information: in hip-spine studies it separated the sources with mean "
            f"sensitivity {number('hip_spine_sensitivity_pct', '.1f')}% and specificity "
            f"{number('hip_spine_specificity_pct', '.1f')}% [@Maldonado2020].",
            "Book it as diagnostic and therapeutic, with a pain diary before and after.",
            "Maldonado2020",
        ),
    ),
    Rule(
        "diabetes",
        lambda r: r.steroid_planned and r.diabetes != "none",
        lambda r: make_finding(
            "diabetes",
            Decision.CAUTION,
            "Diabetes, steroid planned"
            + (" (poorly controlled)" if r.diabetes == "poorly-controlled" else ""),
            "Steroid raised glucose in every diabetic patient in a controlled knee study, back to "
            f"baseline after {FACTS['glucose_baseline_days'].text()} [@Habib2011]; warn and advise "
            f"monitoring, especially days {FACTS['glucose_watch_days'].text().replace(' days', '')} [@Uson2021]."
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
                    and r.months_since_last_steroid < single_value(FACTS["repeat_interval_months"])
                )
                or r.steroid_injections_past_year >= FACTS["max_per_year"].range[0]
            )
        ),
        lambda r: make_finding(
            "repeat-steroid",
            Decision.CAUTION,
            "Recent or frequent steroid in this hip",
            "Label advice for methylprednisolone is no more often than "
            f"{number('repeat_interval_months')}-monthly and {range_text('max_per_year')} times a "
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
        lambda r: make_finding(
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
        lambda r: make_finding(
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
