"""Every drug number chapter 03 uses, each typed once with its unit, range and source.

Why a table: code and notebook text read numbers from :data:`FACTS` only, so a label figure
changed here changes everywhere. Each entry is a :class:`~fluorohip.core.facts.Fact`: a value
with its unit, an optional ``low``-``high`` range where sources differ, the citation key(s) that
resolve in ``assets/references.yaml`` and a note. ``weak=True`` marks figures the course's vetted
fact list files under *common practice, weakly sourced*: they circulate in teaching material but
were not confirmed on a label or in a trial.

Teaching only, not dosing advice. Pure data: no widgets, no plotting.
"""

from __future__ import annotations

from fluorohip.core.facts import Fact, citation_keys

from ...core.shared_facts import SHARED

__all__ = [
    "FACTS",
    "GLUCOSE_MG_DL_PER_MMOL_L",
    "STEROID_EQUIVALENT_MG",
    "all_citation_keys",
    "fact_value",
    "single_value",
]


def single_value(fact: Fact) -> float:
    """The single figure of ``fact``, for arithmetic; a range-only fact has none to give."""
    if fact.value is None:
        raise ValueError(f"{fact.text()} [{', '.join(fact.keys)}] is a range, not one value")
    return fact.value


#: Glucose: mg/dL per mmol/L (molar mass 180.16 g/mol), to give Habib's US figures in SI units.
GLUCOSE_MG_DL_PER_MMOL_L = 18.016

F = Fact
FACTS: dict[str, Fact] = {
    # --- local anaesthetic maxima (healthy adults; labels and teaching values) ---
    "lidocaine_max_plain_mg_per_kg": F(
        4.5, "mg/kg", ("FDALidocaine",), note="US label, without adrenaline"
    ),
    "lidocaine_cap_plain_mg": F(
        300, "mg", ("FDALidocaine",), note="US label: generally not above 300 mg"
    ),
    "lidocaine_max_adrenaline_mg_per_kg": F(
        7, "mg/kg", ("FDALidocaine",), note="US label, with adrenaline (epinephrine)"
    ),
    "lidocaine_cap_adrenaline_mg": F(
        500, "mg", ("FDALidocaine",), note="US label: not above 500 mg with adrenaline"
    ),
    "bupivacaine_daily_cap_mg": F(
        400,
        "mg/day",
        ("FDABupivacaineLabel", "MarcaineLabel"),
        note="label: not above 400 mg in 24 h",
    ),
    "bupivacaine_single_plain_mg": F(
        175,
        "mg",
        ("FDABupivacaineLabel", "DrugsComBupivacaine"),
        note="US label: most experience is with single doses up to 175 mg without adrenaline; the label "
        "asks for individual dosing, so this is a ceiling, not a safe dose",
    ),
    "bupivacaine_single_adrenaline_mg": F(
        225,
        "mg",
        ("FDABupivacaineLabel", "DrugsComBupivacaine"),
        note="US label: most experience is with single doses up to 225 mg with adrenaline 1:200,000",
    ),
    "ropivacaine_single_mg": F(
        250,
        "mg",
        ("NaropinLabel", "NaropinSmPC"),
        low=250,
        high=300,
        note="label dose tables go up to 250 mg in one block (some list 225-300 mg for a brachial plexus "
        "block); the checker uses the lower end",
    ),
    "bupivacaine_max_plain_mg_per_kg": F(
        2.0,
        "mg/kg",
        ("Rosenberg2004",),
        low=2.0,
        high=2.5,
        weak=True,
        note="teaching value, 2-2.5 mg/kg in different texts; not confirmed on the label; the checker "
        "uses the lower end. Maxima vary between countries and are not evidence-based",
    ),
    "bupivacaine_max_adrenaline_mg_per_kg": F(
        3.0,
        "mg/kg",
        ("Rosenberg2004",),
        weak=True,
        note="teaching value with adrenaline; not confirmed on the label",
    ),
    "ropivacaine_max_mg_per_kg": F(
        3.0,
        "mg/kg",
        ("Rosenberg2004",),
        weak=True,
        note="teaching value; no separate with-adrenaline figure is used",
    ),
    # --- body size: dose on lean body weight in obesity ---
    "lean_weight_upper_kg": F(
        100,
        "kg",
        ("Janmahasatian2005",),
        note="predicted lean body weight rarely exceeds about 100 kg in men (about 70 kg "
        "in women) however heavy the patient; the checker doses on at most this "
        "weight when height is not given",
    ),
    "adult_lean_weight_lower_kg": F(
        40,
        "kg",
        ("Janmahasatian2005",),
        note="lightest adult in the lean-body-weight model's data (40.7 kg); below "
        "this the teaching checker flags the weight",
    ),
    "obesity_bmi": F(30, "kg/m²", ("Nightingale2015",), note="BMI from which obesity rules apply"),
    # --- what hip trials actually injected ---
    "lambert_bupivacaine_mg": F(
        10, "mg", ("Lambert2007",), note="bupivacaine with the steroid in Lambert"
    ),
    "hit_lidocaine_with_steroid_mg": F(
        40, "mg", ("Paskins2022",), note="lidocaine with steroid, HIT"
    ),
    "hit_lidocaine_alone_mg": F(50, "mg", ("Paskins2022",), note="lidocaine alone arm, HIT"),
    # --- systemic toxicity ---
    "last_incidence_percent": F(
        0.03, "%", ("El-Boghdadly2018",), note="per peripheral nerve block"
    ),
    "last_cardiovascular_only_fraction": F(
        0.2,
        "fraction",
        ("El-Boghdadly2018",),
        note="about one fifth present with cardiovascular signs only",
    ),
    # --- chondrotoxicity (mostly in vitro) ---
    "chondro_bupivacaine_toxic_studies": F(13, "of 14 studies", ("Jayaram2019",)),
    "chondro_lidocaine_toxic_studies": F(5, "of 7 studies", ("Jayaram2019",)),
    "chondro_ropivacaine_threshold_percent": F(
        0.75, "%", ("Jayaram2019",), note="dose-dependent toxicity from 0.75%"
    ),
    "piper_viability_ropivacaine_percent": F(
        94.4, "%", ("Piper2008",), note="0.5% ropivacaine, 30 min, chondrocytes"
    ),
    "piper_viability_bupivacaine_percent": F(
        78, "%", ("Piper2008",), note="0.5% bupivacaine, 30 min, chondrocytes"
    ),
    # --- local anaesthetic time course (peripheral nerve block values; weak for the joint) ---
    "lidocaine_onset_min": F(
        15,
        "min",
        ("RegionNordjyllandLA",),
        low=10,
        high=20,
        weak=True,
        note="nerve-block value; hip studies measured relief by 15 min [PreopInjectionTHA2022]",
    ),
    "lidocaine_duration_h": F(
        1.5,
        "h",
        ("RCEMLocalAnaestheticTypes", "RegionNordjyllandLA"),
        low=1,
        high=2,
        weak=True,
        note="plain lidocaine: about 1-2 h in most sources (about 2 h after plain "
        "infiltration; longer with adrenaline, and nerve-block tables give up to 2-3 h); "
        "read the diagnostic score by about 60-90 min; intra-articular duration not measured",
    ),
    "bupivacaine_onset_min": F(
        25, "min", ("RegionNordjyllandLA",), low=20, high=30, weak=True, note="nerve-block value"
    ),
    "bupivacaine_duration_h": F(
        7,
        "h",
        ("RegionNordjyllandLA",),
        low=4,
        high=10,
        weak=True,
        note="nerve-block value; intra-articular duration not measured",
    ),
    "ropivacaine_onset_min": F(
        25, "min", ("RegionNordjyllandLA",), low=20, high=30, weak=True, note="nerve-block value"
    ),
    "ropivacaine_duration_h": F(
        9,
        "h",
        ("RegionNordjyllandLA",),
        low=6,
        high=12,
        weak=True,
        note="nerve-block value; intra-articular duration not measured",
    ),
    "early_assessment_min": F(
        15,
        "min",
        ("PreopInjectionTHA2022",),
        note="pain fell from a median 68 to 18 by 15 min after intra-articular anaesthetic",
    ),
    # --- corticosteroid time course (hip OA) ---
    "steroid_onset_days": F(
        3,
        "days",
        ("McCabe2016",),
        low=1,
        high=5,
        weak=True,
        note="onset quoted as 24-48 h to 3-5 days in teaching; trials show benefit by 1 week",
    ),
    "steroid_peak_days": F(7, "days", ("McCabe2016",), note="largest effect at about 1 week"),
    "steroid_duration_days": F(
        56,
        "days",
        ("McCabe2016", "Karuppiah2014", "MultipleInjectionNMA2024"),
        low=42,
        high=91,
        note="mean about 6 weeks in cohorts, moderate effect to 8 weeks, beats placebo at 3 but not 6 months",
    ),
    "steroid_assessment_days": F(
        14,
        "days",
        ("FluoroResponse2011",),
        low=7,
        high=14,
        note="2-week response; steroid effect builds over about 1 week [McCabe2016]",
    ),
    # --- corticosteroid doses ---
    "lambert_triamcinolone_hexacetonide_mg": F(40, "mg", ("Lambert2007",)),
    "trial_triamcinolone_acetonide_mg": F(40, "mg", ("Zhong2020", "Paskins2022"), low=40, high=80),
    "trial_methylprednisolone_mg": F(40, "mg", ("Zhong2020",), low=40, high=120),
    "label_methylprednisolone_large_joint_mg": F(40, "mg", ("DepoMedroneSPC",), low=20, high=80),
    "label_triamcinolone_large_joint_start_mg": F(
        10, "mg", ("TrilacMIMS",), low=5, high=15, note="label starting dose, below trial doses"
    ),
    "label_repeat_interval_months": SHARED["steroid_repeat_interval_months"],
    "label_max_per_year": F(
        3,
        "per joint per year",
        ("DepoMedroneSPC",),
        low=2,
        high=3,
        note="label advice, not outcome-derived",
    ),
    "karuppiah_40mg_weeks": F(
        6.2, "weeks", ("Karuppiah2014",), note="mean relief after 40 mg triamcinolone"
    ),
    "karuppiah_80mg_weeks": F(
        6.1, "weeks", ("Karuppiah2014",), note="mean relief after 80 mg triamcinolone"
    ),
    # --- particle size (µm) ---
    "particle_methylprednisolone_um": F(
        6.9, "µm", ("MacMahon2011",), low=0.4, high=26, note="mean 6.9"
    ),
    "particle_triamcinolone_acetonide_um": F(
        17.4, "µm", ("MacMahon2011",), low=0.5, high=110, note="mean 17.4"
    ),
    # --- systemic effects ---
    "glucose_peak_acetonide_mg_dl": F(
        288, "mg/dL", ("Habib2011",), note="median peak after 40 mg knee acetonide, about 24 h"
    ),
    "glucose_peak_hexacetonide_mg_dl": F(
        240, "mg/dL", ("Habib2011",), note="median peak after 20 mg knee hexacetonide, about 33 h"
    ),
    "glucose_back_to_baseline_days": F(3, "days", ("Habib2011",), low=2.5, high=4),
    "flare_shoulder_percent": F(
        35.3, "%", ("Fawi2017",), note="≥ 2-point pain rise, broad definition, shoulder"
    ),
    # --- joint events and surgery ---
    "rpoa_hip_percent": F(2.8, "%", ("Sanguino2023",), low=1.9, high=4.1),
    "rpoa_pooled_percent": F(6, "%", ("Sabatini2023",), low=3, high=9),
    "pji_or_within_3_months": SHARED["pji_or_within_3_months"],
    "wait_before_tha_months": F(
        3, "months", ("Uson2021",), note="EULAR: at least 3 months before joint replacement"
    ),
    # --- contrast ---
    "test_contrast_ml": SHARED["test_contrast_ml"],
    "arthrograms_surveyed": F(262_000, "arthrograms", ("Hugo1998",), note="about 262,000"),
    "arthrogram_anaphylaxis": F(8, "cases", ("Hugo1998",)),
    "gadolinium_dilution_mmol_l": F(
        2.25,
        "mmol/L",
        ("RadiopaediaMRArthroSolution",),
        low=2,
        high=2.5,
        note="about 1:200 of stock",
    ),
    "mr_arthro_delayed_pain_percent": F(
        66, "%", ("Giaconi2011",), note="89 of 135; onset about 17 h, lasting about 44 h"
    ),
    # --- joint volume ---
    "capacity_ml": SHARED["joint_capacity"],
    "low_pressure_volume_ml": SHARED["pressure_rises_above_volume"],
}
del F

# Habib's peaks in SI units, worked out from the mg/dL figures above (typed once, there).
for _agent in ("acetonide", "hexacetonide"):
    _us = FACTS[f"glucose_peak_{_agent}_mg_dl"]
    FACTS[f"glucose_peak_{_agent}_mmol_l"] = Fact(
        round(single_value(_us) / GLUCOSE_MG_DL_PER_MMOL_L, 1),
        "mmol/L",
        _us.keys,
        note=f"{single_value(_us):g} mg/dL / {GLUCOSE_MG_DL_PER_MMOL_L:g}",
        derived=True,
    )
del _agent, _us

#: Classic anti-inflammatory equivalent doses, mg [@Meikle1977].
STEROID_EQUIVALENT_MG: dict[str, Fact] = {
    "hydrocortisone": Fact(20, "mg", ("Meikle1977",)),
    "prednisone": Fact(5, "mg", ("Meikle1977",)),
    "methylprednisolone": Fact(4, "mg", ("Meikle1977",)),
    "triamcinolone": Fact(4, "mg", ("Meikle1977",)),
    "dexamethasone": Fact(0.75, "mg", ("Meikle1977",)),
    "betamethasone": Fact(0.75, "mg", ("Meikle1977",)),
}


def fact_value(key: str) -> float:
    """The single figure of ``FACTS[key]`` (see :func:`single_value`)."""
    return single_value(FACTS[key])


#: Sources the chapter's prose and dose checker cite besides those in the tables above.
EXTRA_CITATION_KEYS = frozenset(
    {
        "Rosenberg2004",
        "Gitman2019",
        "PreopInjectionTHA2022",
        "MacMahon2011",
        "Nightingale2015",
        "Janmahasatian2005",
        "FDABupivacaineLabel",
        "NaropinLabel",
    }
)


def all_citation_keys() -> set[str]:
    """Every key this chapter's data cites (for the resolution test)."""
    return citation_keys(FACTS) | citation_keys(STEROID_EQUIVALENT_MG) | set(EXTRA_CITATION_KEYS)
