"""What the published studies of the intra-articular anaesthetic response found, and how each
defined a 'positive' block: the evidence table of chapter 06, one row per study.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import FACTS as _F
from .facts import fact_value

__all__ = ["EVIDENCE", "Study", "evidence_rows"]


def _proportion(name: str) -> str:
    """A proportion fact as "0.97 (0.87-0.99)", the way the meta-analysis reports it."""
    f = _F[name]
    return f"{f.value:.2f} ({f.low:.2f}-{f.high:.2f})"


def _span(name: str) -> str:
    """A fact's published range with two decimals, "1.15-1.92"."""
    f = _F[name]
    return f"{f.low:.2f}-{f.high:.2f}"


def _percent(name: str) -> str:
    """A proportion fact as a percentage with one decimal, "93.6%"."""
    return f"{100 * fact_value(name):.1f}%"


@dataclass(frozen=True)
class Study:
    key: str
    population: str
    n: str
    reference_standard: str
    positive_definition: str
    result: str
    sensitivity: float | None = None
    specificity: float | None = None
    caveat: str = ""


#: Diagnostic accuracy and prognostic studies of the intra-articular anaesthetic response.
EVIDENCE: tuple[Study, ...] = (
    Study(
        "Byrd2004",
        "hip arthroscopy candidates",
        "40",
        "arthroscopic findings",
        "relief after intra-articular anaesthetic",
        f"{_F['byrd_accuracy'].value:g}% accurate for intra-articular abnormality; "
        f"{_F['byrd_false_negatives'].value:g} false negatives, 1 false positive",
        caveat="tells you a structure inside the joint is abnormal, not which one",
    ),
    Study(
        "AnaestheticMeta2014",
        "hip osteoarthritis (9 case series)",
        "9 series",
        "varied (mostly later course or surgery)",
        "varied",
        f"pooled sensitivity {_proportion('meta_sensitivity')}, "
        f"specificity {_proportion('meta_specificity')}",
        fact_value("meta_sensitivity"),
        fact_value("meta_specificity"),
        "high risk of bias; the authors made no recommendation",
    ),
    Study(
        "Maldonado2020",
        "hip and spine pathology together (review of 9 studies)",
        "9 studies",
        "varied",
        "varied",
        f"mean sensitivity {_percent('hipspine_sensitivity')}, specificity "
        f"{_percent('hipspine_specificity')}, PPV {_percent('hipspine_ppv')}, "
        f"NPV {_percent('hipspine_npv')}",
        fact_value("hipspine_sensitivity"),
        fact_value("hipspine_specificity"),
        "means across heterogeneous studies, not a pooled model",
    ),
    Study(
        "Crawford1998",
        "primary hip OA, arthroplasty candidates",
        "42",
        "outcome of surgery",
        "relief after anaesthetic",
        "sensitivity at least 96%",
        0.96,
        None,
        "small series",
    ),
    Study(
        "Faraj2003",
        "coxarthrosis vs referred thigh pain",
        "47",
        "clinical course",
        "relief after bupivacaine",
        "sensitivity 88%, specificity 100%",
        0.88,
        1.00,
        "specificity of 100% in a small series has a wide interval",
    ),
    Study(
        "Pateder2007",
        "hip and lumbar spine arthritis together",
        "83",
        "outcome of treatment",
        "relief after fluoroscopic injection",
        "sensitivity 100%, specificity 81%",
        1.00,
        0.81,
        "small series",
    ),
    Study(
        "Yoong2012",
        "hip OA, ultrasound-guided block",
        "138",
        "outcome after THA or alternative diagnosis",
        "complete relief",
        f"54 of 58 good responders did well after THA ({_F['yoong_responders_good'].value:g}%); "
        "40 of 44 non-responders who avoided surgery had another diagnosis",
        caveat="prognostic, not a 2x2 accuracy study",
    ),
    Study(
        "PreopInjectionTHA2022",
        "THA candidates",
        "88",
        "pain relief after THA",
        "a fall of at least 20/100 at 15 min",
        f"anaesthetic response agreed with THA response in {_F['concordance_anaesthetic'].value:g}% "
        f"vs {_F['concordance_steroid'].value:g}% for the later steroid response",
        caveat="concordance, not sensitivity",
    ),
    Study(
        "FAIResponseMeta2023",
        "femoroacetabular impingement syndrome",
        "meta-analysis",
        "good mHHS after surgery",
        "significant relief",
        f"LR+ {_span('fai_lr_pos')} after a response; LR- {_span('fai_lr_neg')} after no response",
        caveat="a response barely raises the odds of a good surgical result",
    ),
    Study(
        "Martin2008",
        "arthroscopy candidates with MR-arthrogram labral findings",
        "49",
        "relief itself (no surgical standard)",
        "more than 50% relief",
        f"{_F['labral_no_relief_definite'].value:g}% of definite and "
        f"{_F['labral_no_relief_possible'].value:g}% of possible labral tears did not get more than "
        "50% relief",
        caveat="a labral tear on imaging is often not the pain generator",
    ),
)


def evidence_rows() -> list[dict[str, str]]:
    """The evidence table as rows of strings, each with its citation marker."""
    return [
        {
            "Study": f"[@{s.key}]",
            "Population": s.population,
            "n": s.n,
            "Reference standard": s.reference_standard,
            "'Positive' meant": s.positive_definition,
            "Result": s.result,
            "Caveat": s.caveat,
        }
        for s in EVIDENCE
    ]
