"""Every clinical number chapter 04's code uses, typed once with its unit, range and source.

Why a table: the checklist rules and the consent text take their thresholds from here, so a
guideline update is one edit. Each entry is a :class:`~fluorohip.core.facts.Fact` whose keys
resolve in ``assets/references.yaml``. Pure data.
"""

from __future__ import annotations

from fluorohip.core.facts import Fact

__all__ = ["FACTS", "single_value"]

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


def single_value(fact: Fact) -> float:
    """The single figure of ``fact``, for arithmetic; a range-only fact has none to give."""
    if fact.value is None:
        raise ValueError(f"{fact.text()} [{', '.join(fact.keys)}] is a range, not one value")
    return fact.value
