"""Every clinical number chapter 04's code uses, typed once with its unit, range and source.

Why a table: the checklist rules and the consent text take their thresholds from here, so a
guideline update is one edit. Each entry is a :class:`~fluorohip.core.facts.Fact` whose keys
resolve in ``assets/references.yaml``. Figures chapter 03 already types (the label's repeat
interval, the wait before a hip replacement, the glucose return to baseline, the infection odds
ratio, the steroid's peak) are the same objects, taken from its drug facts. Pure data.
"""

from __future__ import annotations

from fluorohip.chapters.injectates.facts import FACTS as DRUG_FACTS
from fluorohip.chapters.injectates.facts import single_value
from fluorohip.core.facts import Fact

from ...core.shared_facts import SHARED

__all__ = ["FACTS", "single_value"]

DAYS_PER_WEEK = 7

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
    "septic_median_weeks": SHARED["septic_median_weeks"],
    # Typed once in chapter 03's drug facts; the checklist uses the same objects.
    "tha_interval_months": DRUG_FACTS["wait_before_tha_months"],
    "pji_or_within_3_months": DRUG_FACTS["pji_or_within_3_months"],
    # Repeat steroid: label advice, not outcome-derived
    "repeat_interval_months": DRUG_FACTS["label_repeat_interval_months"],
    "max_per_year": DRUG_FACTS["label_max_per_year"],
    # Diabetes
    "glucose_watch_days": Fact(
        None,
        "days",
        ("Uson2021",),
        low=1,
        high=3,
        note="days after steroid when monitoring matters most",
    ),
    "glucose_baseline_days": DRUG_FACTS["glucose_back_to_baseline_days"],
    # Imaging order (ACR Appropriateness Criteria, chronic hip pain; 9 = usually appropriate)
    "acr_radiographs_first": Fact(9, "ACR rating", ("Mintz2016",)),
    "acr_injection_first_test": Fact(1, "ACR rating", ("Mintz2016",)),
    # Pregnancy and radiation
    "conceptus_negligible_mgy": SHARED["conceptus_negligible_mgy"],
    "screening_s": SHARED["screening_time_mean_s"],
    "dap_ugym2": SHARED["dap_mean_ugym2"],
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
        single_value(DRUG_FACTS["steroid_peak_days"]) / DAYS_PER_WEEK,
        "week",
        DRUG_FACTS["steroid_peak_days"].keys,
        note="largest effect; moderate to 8 weeks",
        derived=True,
    ),
    "steroid_moderate_to_weeks": Fact(8, "weeks", ("McCabe2016",)),
}
