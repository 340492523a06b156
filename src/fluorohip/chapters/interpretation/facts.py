"""Chapter 06's cited numbers, typed here once, and those it borrows from other chapters.

Placement accuracy by route is chapter 05's fact (as a percentage there, as a proportion here,
where it enters Bayes' theorem); how often the iliopsoas bursa communicates with the joint is
chapter 01's. Pure Python: no widgets.
"""

from __future__ import annotations

from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.chapters.procedure.facts import FACTS as PROCEDURE_FACTS
from fluorohip.core.facts import Fact

from ...core.shared_facts import SHARED

__all__ = ["FACTS", "fact_value"]


def as_proportion(percent: Fact, note: str = "") -> Fact:
    """A percentage fact as a proportion (same source and range, marked derived)."""
    if percent.unit != "%":
        raise ValueError(f"as_proportion needs a fact in %; got {percent.unit!r}")

    def scale(x: float | None) -> float | None:
        return None if x is None else x / 100

    return Fact(
        scale(percent.value),
        "proportion",
        percent.keys,
        percent.population,
        low=scale(percent.low),
        high=scale(percent.high),
        note=note or percent.note,
        derived=True,
    )


#: Facts quoted in the text and the quiz.
FACTS: dict[str, Fact] = {
    "byrd_accuracy": Fact(
        90.0,
        "%",
        ("Byrd2004",),
        note="40 arthroscopy patients; 3 false negatives, 1 false positive",
    ),
    "byrd_false_negatives": Fact(3, "patients of 40", ("Byrd2004",)),
    "meta_sensitivity": SHARED["block_sensitivity_meta"],
    "meta_specificity": SHARED["block_specificity_meta"],
    "hipspine_sensitivity": Fact(0.936, "proportion", ("Maldonado2020",), note="mean of 9 studies"),
    "hipspine_specificity": Fact(0.950, "proportion", ("Maldonado2020",)),
    "hipspine_ppv": Fact(0.988, "proportion", ("Maldonado2020",)),
    "hipspine_npv": Fact(0.863, "proportion", ("Maldonado2020",)),
    "fai_lr_pos": Fact(
        1.15,
        "ratio",
        ("FAIResponseMeta2023",),
        low=1.15,
        high=1.92,
        note="LR+ of a significant response for a good mHHS after FAIS surgery",
    ),
    "fai_lr_neg": Fact(
        0.18,
        "ratio",
        ("FAIResponseMeta2023",),
        low=0.18,
        high=0.65,
        note="LR- of no response for a good mHHS after FAIS surgery",
    ),
    "labral_no_relief_definite": Fact(
        39.0, "%", ("Martin2008",), note="7 of 18 definite MR-arthrogram tears without >50% relief"
    ),
    "labral_no_relief_possible": Fact(
        45.0, "%", ("Martin2008",), note="13 of 29 possible tears without >50% relief"
    ),
    "labral_positive_pooled": Fact(
        85.8,
        "%",
        ("Alpaugh2016",),
        note="'positive' by varying definitions; no study reported sensitivity",
    ),
    "young_no_relief": Fact(
        26.0, "%", ("YoungAdultHip2015",), note="of 143 injections in young adults"
    ),
    "young_no_relief_extra": Fact(
        81.0, "%", ("YoungAdultHip2015",), note="of the non-responders had an extra-articular cause"
    ),
    "immediate_relief": SHARED["immediate_relief_percent"],
    "two_week_relief": Fact(71.4, "%", ("FluoroResponse2011",)),
    "concordance_anaesthetic": Fact(
        78.0, "%", ("PreopInjectionTHA2022",), note="anaesthetic vs THA response, 88 patients"
    ),
    "concordance_steroid": Fact(36.0, "%", ("PreopInjectionTHA2022",)),
    "yoong_responders_good": Fact(
        93.0, "%", ("Yoong2012",), note="54 of 58 good responders did well after THA"
    ),
    "gtps_share": Fact(10.0, "% of hip pain in primary care", ("AAPMRGTPS",), low=10.0, high=20.0),
    # borrowed: placement accuracy (chapter 05) and the communicating bursa (chapter 01)
    "landmark_accuracy": as_proportion(
        PROCEDURE_FACTS["landmark_pooled"], note="pooled landmark injections"
    ),
    "bursa_communication": anatomy.fact("bursa_communication"),
}


def fact_value(name: str) -> float:
    """The single figure of ``FACTS[name]`` (for arithmetic); an error if it has only a range."""
    value = FACTS[name].value
    if value is None:
        raise ValueError(f"interpretation fact {name!r} gives only a range, no single value")
    return value
