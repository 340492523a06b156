"""Chapter 05's cited numbers: :data:`FACTS` (typed here once) and :data:`BORROWED` (typed in the
anatomy and injectate chapters and taken from there, never retyped).

Every number the procedure chapter quotes in code or text comes through :func:`fact`, so a
change of source changes the table, the aftercare advice and the quiz feedback together.
"""

from __future__ import annotations

from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.chapters.injectates.facts import FACTS as DRUG_FACTS
from fluorohip.core.facts import Fact

from ...core.shared_facts import SHARED

__all__ = ["BORROWED", "FACTS", "fact", "fact_value"]

FACTS: dict[str, Fact] = {
    # equipment and practice patterns
    "needle_22g_share": Fact(
        78,
        "%",
        ("Shortt2009",),
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
        75, "%", ("Shortt2009",), "51 of 68 radiologists preferred an anterior approach to the hip"
    ),
    "arthrography_volume": Fact(
        11.5,
        "mL",
        ("Shortt2009",),
        "mean volume injected at hip arthrography in the same survey",
        low=5,
        high=20,
    ),
    # accuracy by approach (reference standard: contrast)
    "anterior_oblique_fluoro": Fact(
        96.7, "%", ("Moser2019",), "29 of 30 anterior-oblique, fluoroscopy with contrast"
    ),
    "lateral_fluoro": Fact(100, "%", ("Moser2019",), "30 of 30 lateral, fluoroscopy with contrast"),
    "anterior_landmark": Fact(
        93,
        "%",
        ("AnteriorLandmark2013",),
        "51 of 55 direct anterior landmark injections before arthroscopy",
    ),
    "anterolateral_blind": Fact(
        65.1, "%", ("Kurup2010",), "28 of 43 blind antero-lateral injections"
    ),
    "landmark_pooled": Fact(
        72,
        "%",
        ("Hoeber2016",),
        "pooled landmark accuracy, 295 injections (95% CI 56-85)",
        low=56,
        high=85,
    ),
    "ultrasound_pooled": Fact(
        100,
        "%",
        ("Hoeber2016",),
        "pooled ultrasound accuracy, 136 injections (95% CI 98-100)",
        low=98,
        high=100,
    ),
    # safety
    "aseptic_agreement": Fact(
        98, "%", ("Uson2021",), "EULAR task force agreement: always aseptic technique"
    ),
    # dose benchmarks
    "fluoro_time_mean": SHARED["screening_time_mean_s"],
    "dap_mean": SHARED["dap_mean_ugym2"],
    "bundle_time_after": Fact(
        0.2,
        "min",
        ("Chang2018",),
        "1,094 injections: screening 0.7 → 0.2 min after a dose-minimising bundle",
        low=0.2,
        high=0.7,
    ),
    # aftercare (the immediate-relief figure of FluoroResponse2011 is chapter 06's fact)
    "septic_arthritis_weeks": SHARED["septic_median_weeks"],
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
    "steroid_peak_days": DRUG_FACTS["steroid_peak_days"],
    "glucose_back_to_baseline_days": DRUG_FACTS["glucose_back_to_baseline_days"],
    "flare_shoulder_percent": DRUG_FACTS["flare_shoulder_percent"],
    "test_contrast_ml": SHARED["test_contrast_ml"],
}


def fact_value(name: str) -> float:
    """The single figure of :func:`fact` ``name`` (for arithmetic); an error if it has only a range."""
    value = fact(name).value
    if value is None:
        raise ValueError(f"procedure fact {name!r} gives only a range, no single value")
    return value


def fact(name: str) -> Fact:
    """A fact of this chapter or one it borrows, with a clear message for a typo."""
    if name in FACTS:
        return FACTS[name]
    if name in BORROWED:
        return BORROWED[name]
    raise KeyError(
        f"no procedure fact called {name!r}; known: {', '.join(sorted(FACTS | BORROWED))}"
    )
