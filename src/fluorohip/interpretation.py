"""Interpreting a diagnostic hip injection: relief, thresholds, accuracy and Bayes.

Pure functions and cited constants for notebook 06. Nothing here imports a widget; the views
live in :mod:`fluorohip.interpretation_views`.

The formulas are the standard ones of diagnostic-test arithmetic:

* percent relief = 100 x (pre - post) / pre, pain on a 0-10 numeric rating scale;
* sensitivity = TP / (TP + FN), specificity = TN / (TN + FP), PPV = TP / (TP + FP),
  NPV = TN / (TN + FN), each with a Wilson score interval;
* LR+ = sensitivity / (1 - specificity), LR- = (1 - sensitivity) / specificity;
* post-test odds = pre-test odds x LR, with odds = p / (1 - p).

Every clinical number lives once below, with its unit and citation key. Teaching only: this
module does not diagnose anyone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fluorohip import pharmacology
from fluorohip.chapters.image_guidance import accuracy
from fluorohip.core.facts import Fact
from fluorohip.core.inputs import InputError, parse_number
from fluorohip.core.paths import assets_dir

from .core.yamlread import load_yaml_file

__all__ = [
    "EVIDENCE",
    "NEXT_STEPS",
    "PATTERNS",
    "STEROID_WINDOW_MIN",
    "THRESHOLDS",
    "WINDOWS",
    "Accuracy",
    "AnaestheticWindow",
    "DiaryError",
    "DiaryReading",
    "DiarySummary",
    "Fact",
    "PainDiary",
    "Study",
    "Threshold",
    "accuracy_from_counts",
    "diluted_likelihood_ratios",
    "diluted_sensitivity",
    "evidence_rows",
    "is_positive",
    "likelihood_ratios",
    "load_synthetic_diaries",
    "mixed_source_relief",
    "odds_to_probability",
    "parse_diary",
    "percent_relief",
    "points_relief",
    "post_test_after_block",
    "post_test_probability",
    "probability_to_odds",
    "summarise_diary",
    "validate_diary",
    "wilson_interval",
]


# --------------------------------------------------------------------------- cited facts
@dataclass(frozen=True)
class Threshold:
    """A definition of a 'positive' block used by a study or a practice.

    kind 'percent': relief of at least ``value`` percent (``strict`` = more than).
    kind 'points': a fall of at least ``value`` points on the 0-10 scale.
    """

    id: str
    label: str
    kind: str
    value: float
    key: str
    strict: bool = False


#: Definitions of a positive block differ between studies; none is a standard.
THRESHOLDS: dict[str, Threshold] = {
    "gt50": Threshold("gt50", "more than 50% relief", "percent", 50.0, "Martin2008", strict=True),
    "ge20pts": Threshold(
        "ge20pts", "a fall of at least 20/100 (2/10) points", "points", 2.0, "PreopInjectionTHA2022"
    ),
    "complete": Threshold("complete", "complete relief (100%)", "percent", 100.0, "Yoong2012"),
}


@dataclass(frozen=True)
class AnaestheticWindow:
    """When an anaesthetic response may be read, in minutes after injection.

    Built from :func:`fluorohip.pharmacology.time_course` (one source of truth for drug
    timing): the response is *possible* from the earliest onset to the latest end and
    *expected* from the latest onset to the earliest end. The figures are peripheral
    nerve-block values; intra-articular duration has not been measured, so the window is
    a rough guide, not a law.
    """

    drug: str
    onset_min: float  # earliest onset
    expected_from_min: float  # latest onset
    expected_until_min: float  # earliest end
    end_min: float  # latest end
    keys: tuple[str, ...]
    weak: bool = True

    def contains(self, minutes: float) -> bool:
        return self.onset_min <= minutes <= self.end_min


def _window(drug: str) -> AnaestheticWindow:
    tc = pharmacology.time_course(drug)
    return AnaestheticWindow(
        drug,
        60.0 * tc.onset_h[0],
        60.0 * tc.onset_h[1],
        60.0 * tc.end_h[0],
        60.0 * tc.end_h[1],
        tc.keys,
        tc.weak,
    )


#: Anaesthetic windows from notebook 03's pharmacology model [@RegionNordjyllandLA]; relief is
#: already measurable 15 min after an intra-articular anaesthetic [@PreopInjectionTHA2022].
WINDOWS: dict[str, AnaestheticWindow] = {
    d: _window(d) for d in ("lidocaine", "bupivacaine", "ropivacaine")
}

_STEROID = pharmacology.time_course("corticosteroid")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
#: Steroid effect: onset over days, largest at about 1 week, lasting weeks [@McCabe2016].
STEROID_WINDOW_MIN = (60.0 * _STEROID.onset_h[0], 60.0 * _STEROID.end_h[1])
#: Diary readings from the typical steroid onset (3 days, a weakly sourced teaching value) are
#: read as the steroid phase [@McCabe2016]; a 2-week diary was used by [@Ayeni2014].
STEROID_PHASE_START_MIN = pharmacology.FACTS["steroid_onset_days"].value * MINUTES_PER_DAY
DIARY_MAX_MIN = STEROID_WINDOW_MIN[1]  # the latest end of the steroid effect

#: Facts quoted in the text and the quiz.
FACTS: dict[str, Fact] = {
    "byrd_accuracy": Fact(
        90.0, "%", "Byrd2004", note="40 arthroscopy patients; 3 false negatives, 1 false positive"
    ),
    "byrd_false_negatives": Fact(3, "patients of 40", "Byrd2004"),
    "meta_sensitivity": Fact(
        0.97,
        "proportion",
        "AnaestheticMeta2014",
        low=0.87,
        high=0.99,
        note="9 case series at high risk of bias; hip OA",
    ),
    "meta_specificity": Fact(0.91, "proportion", "AnaestheticMeta2014", low=0.83, high=0.95),
    "hipspine_sensitivity": Fact(0.936, "proportion", "Maldonado2020", note="mean of 9 studies"),
    "hipspine_specificity": Fact(0.950, "proportion", "Maldonado2020"),
    "hipspine_ppv": Fact(0.988, "proportion", "Maldonado2020"),
    "hipspine_npv": Fact(0.863, "proportion", "Maldonado2020"),
    "fai_lr_pos": Fact(
        1.15,
        "ratio",
        "FAIResponseMeta2023",
        low=1.15,
        high=1.92,
        note="LR+ of a significant response for a good mHHS after FAIS surgery",
    ),
    "fai_lr_neg": Fact(
        0.18,
        "ratio",
        "FAIResponseMeta2023",
        low=0.18,
        high=0.65,
        note="LR- of no response for a good mHHS after FAIS surgery",
    ),
    "labral_no_relief_definite": Fact(
        39.0, "%", "Martin2008", note="7 of 18 definite MR-arthrogram tears without >50% relief"
    ),
    "labral_no_relief_possible": Fact(
        45.0, "%", "Martin2008", note="13 of 29 possible tears without >50% relief"
    ),
    "labral_positive_pooled": Fact(
        85.8,
        "%",
        "Alpaugh2016",
        note="'positive' by varying definitions; no study reported sensitivity",
    ),
    "young_no_relief": Fact(
        26.0, "%", "YoungAdultHip2015", note="of 143 injections in young adults"
    ),
    "young_no_relief_extra": Fact(
        81.0, "%", "YoungAdultHip2015", note="of the non-responders had an extra-articular cause"
    ),
    "immediate_relief": Fact(
        68.2, "%", "FluoroResponse2011", note="217 OA patients; 2-week relief 71.4%, kappa 0.80"
    ),
    "two_week_relief": Fact(71.4, "%", "FluoroResponse2011"),
    "landmark_accuracy": Fact(
        0.72, "proportion", "Hoeber2016", low=0.56, high=0.85, note="pooled landmark injections"
    ),
    "guided_accuracy": Fact(
        1.00,
        "proportion",
        "Hoeber2016",
        low=0.98,
        high=1.00,
        note="pooled ultrasound-guided injections",
    ),
    "fluoro_accuracy": Fact(
        0.97,
        "proportion",
        "Moser2019",
        low=0.97,
        high=1.00,
        note="29 of 30 (97%) anterior-oblique, 30 of 30 lateral",
    ),
    "concordance_anaesthetic": Fact(
        78.0, "%", "PreopInjectionTHA2022", note="anaesthetic vs THA response, 88 patients"
    ),
    "concordance_steroid": Fact(36.0, "%", "PreopInjectionTHA2022"),
    "yoong_responders_good": Fact(
        93.0, "%", "Yoong2012", note="54 of 58 good responders did well after THA"
    ),
    "gtps_share": Fact(10.0, "% of hip pain in primary care", "AAPMRGTPS", low=10.0, high=20.0),
    "bursa_communication": Fact(15.0, "% of normal adults", "IMAIOSBursa"),
}


# --------------------------------------------------------------------------- evidence table
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
        "90% accurate for intra-articular abnormality; 3 false negatives, 1 false positive",
        caveat="tells you a structure inside the joint is abnormal, not which one",
    ),
    Study(
        "AnaestheticMeta2014",
        "hip osteoarthritis (9 case series)",
        "9 series",
        "varied (mostly later course or surgery)",
        "varied",
        "pooled sensitivity 0.97 (0.87-0.99), specificity 0.91 (0.83-0.95)",
        0.97,
        0.91,
        "high risk of bias; the authors made no recommendation",
    ),
    Study(
        "Maldonado2020",
        "hip and spine pathology together (review of 9 studies)",
        "9 studies",
        "varied",
        "varied",
        "mean sensitivity 93.6%, specificity 95.0%, PPV 98.8%, NPV 86.3%",
        0.936,
        0.950,
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
        "54 of 58 good responders did well after THA (93%); 40 of 44 non-responders who avoided surgery had another diagnosis",
        caveat="prognostic, not a 2x2 accuracy study",
    ),
    Study(
        "PreopInjectionTHA2022",
        "THA candidates",
        "88",
        "pain relief after THA",
        "a fall of at least 20/100 at 15 min",
        "anaesthetic response agreed with THA response in 78% vs 36% for the later steroid response",
        caveat="concordance, not sensitivity",
    ),
    Study(
        "FAIResponseMeta2023",
        "femoroacetabular impingement syndrome",
        "meta-analysis",
        "good mHHS after surgery",
        "significant relief",
        "LR+ 1.15-1.92 after a response; LR- 0.18-0.65 after no response",
        caveat="a response barely raises the odds of a good surgical result",
    ),
    Study(
        "Martin2008",
        "arthroscopy candidates with MR-arthrogram labral findings",
        "49",
        "relief itself (no surgical standard)",
        "more than 50% relief",
        "39% of definite and 45% of possible labral tears did not get more than 50% relief",
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


# --------------------------------------------------------------------------- relief
def _check_score(name: str, value) -> float:
    """A 0-10 pain score passed by code; typed text goes through :func:`validate_diary`."""
    if isinstance(value, str):
        raise InputError(f"{name} must be a number between 0 and 10, not text; got {value!r}")
    return parse_number(value, name, 0, 10)


def percent_relief(pre: float, post: float) -> float:
    """Percent relief = 100 x (pre - post) / pre for pain scores on a 0-10 scale.

    Negative when pain is worse after the injection. ``pre`` must be above 0: with no pain
    before, there is nothing to relieve and the test cannot be read.
    """
    pre = _check_score("pre-injection score", pre)
    post = _check_score("post-injection score", post)
    if pre == 0:
        raise ValueError(
            "pre-injection score is 0: with no pain during the provocative activity there is nothing to relieve"
        )
    return 100.0 * (pre - post) / pre


def points_relief(pre: float, post: float) -> float:
    """Absolute fall in points on the 0-10 scale (negative when worse)."""
    return _check_score("pre-injection score", pre) - _check_score("post-injection score", post)


def is_positive(pre: float, post: float, threshold: Threshold | str) -> bool:
    """Classify one pre/post pair against a chosen definition of a positive block."""
    t = THRESHOLDS[threshold] if isinstance(threshold, str) else threshold
    if t.kind == "percent":
        r = percent_relief(pre, post)
        # round away float noise so that exactly 50% is not 'more than 50%' by accident
        r = round(r, 9)
        return r > t.value if t.strict else r >= t.value
    if t.kind == "points":
        pts = round(points_relief(pre, post), 9)
        return pts > t.value if t.strict else pts >= t.value
    raise ValueError(f"threshold kind must be 'percent' or 'points'; got {t.kind!r}")


# --------------------------------------------------------------------------- 2x2 accuracy
def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default). (nan, nan) when n = 0."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n; got successes={successes}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Accuracy:
    sensitivity: float
    specificity: float
    ppv: float
    npv: float
    sensitivity_ci: tuple[float, float]
    specificity_ci: tuple[float, float]
    ppv_ci: tuple[float, float]
    npv_ci: tuple[float, float]
    lr_positive: float
    lr_negative: float
    prevalence: float

    def table(self) -> str:
        def pct(x):
            return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"

        def ci(c):
            return f"({pct(c[0])} to {pct(c[1])})"

        def lr(x):
            return "infinite" if math.isinf(x) else ("n/a" if math.isnan(x) else f"{x:.2f}")

        return "\n".join(
            [
                f"sensitivity {pct(self.sensitivity)} {ci(self.sensitivity_ci)}",
                f"specificity {pct(self.specificity)} {ci(self.specificity_ci)}",
                f"PPV         {pct(self.ppv)} {ci(self.ppv_ci)}",
                f"NPV         {pct(self.npv)} {ci(self.npv_ci)}",
                f"LR+ {lr(self.lr_positive)}   LR- {lr(self.lr_negative)}   prevalence {pct(self.prevalence)}",
            ]
        )


def _ratio(a: int, b: int) -> float:
    return a / b if b else math.nan


def _check_count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of patients, 0 or more; got {value!r}")
    return value


def accuracy_from_counts(tp: int, fp: int, fn: int, tn: int) -> Accuracy:
    """Sensitivity, specificity, PPV, NPV (Wilson 95% CIs) and LRs from a 2x2 table.

    PPV and NPV are only meaningful at this table's prevalence.
    """
    tp, fp, fn, tn = (
        _check_count(n, v) for n, v in zip(("tp", "fp", "fn", "tn"), (tp, fp, fn, tn))
    )
    sens, spec = _ratio(tp, tp + fn), _ratio(tn, tn + fp)
    lr_pos, lr_neg = (
        likelihood_ratios(sens, spec)
        if not (math.isnan(sens) or math.isnan(spec))
        else (math.nan, math.nan)
    )
    total = tp + fp + fn + tn
    return Accuracy(
        sens,
        spec,
        _ratio(tp, tp + fp),
        _ratio(tn, tn + fn),
        wilson_interval(tp, tp + fn),
        wilson_interval(tn, tn + fp),
        wilson_interval(tp, tp + fp),
        wilson_interval(tn, tn + fn),
        lr_pos,
        lr_neg,
        _ratio(tp + fn, total),
    )


def _check_prob(name: str, p, *, open_interval: bool = False) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p):
        raise ValueError(f"{name} must be a probability between 0 and 1; got {p!r}")
    if open_interval and not 0.0 < p < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1; got {p:g}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1; got {p:g}")
    return float(p)


def likelihood_ratios(sensitivity: float, specificity: float) -> tuple[float, float]:
    """(LR+, LR-) = (sens / (1 - spec), (1 - sens) / spec). LR+ is infinite when spec = 1."""
    se = _check_prob("sensitivity", sensitivity)
    sp = _check_prob("specificity", specificity)
    lr_pos = math.inf if sp == 1.0 else se / (1.0 - sp)
    lr_neg = math.inf if sp == 0.0 else (1.0 - se) / sp
    return lr_pos, lr_neg


# --------------------------------------------------------------------------- Bayes
def probability_to_odds(p: float) -> float:
    """odds = p / (1 - p); p must be strictly between 0 and 1."""
    p = _check_prob("probability", p, open_interval=True)
    return p / (1.0 - p)


def odds_to_probability(odds: float) -> float:
    """p = odds / (1 + odds); odds must be 0 or more (infinite gives 1)."""
    if isinstance(odds, bool) or not isinstance(odds, (int, float)) or math.isnan(odds) or odds < 0:
        raise ValueError(f"odds must be a number of 0 or more; got {odds!r}")
    return 1.0 if math.isinf(odds) else odds / (1.0 + odds)


def post_test_probability(pre_test: float, likelihood_ratio: float) -> float:
    """Post-test probability = odds_to_probability(pre-test odds x LR)."""
    odds = probability_to_odds(pre_test)
    if (
        isinstance(likelihood_ratio, bool)
        or not isinstance(likelihood_ratio, (int, float))
        or math.isnan(likelihood_ratio)
        or likelihood_ratio < 0
    ):
        raise ValueError(
            f"likelihood ratio must be a number of 0 or more; got {likelihood_ratio!r}"
        )
    if math.isinf(likelihood_ratio):
        return 1.0
    return odds_to_probability(odds * likelihood_ratio)


def diluted_sensitivity(sensitivity: float, specificity: float, placement_accuracy: float) -> float:
    """Observed sensitivity when only a fraction of injections reach the joint.

    Delegates to notebook 02's model, :func:`fluorohip.accuracy.observed_block_performance`,
    with its default assumption: a missed injection in a patient whose pain is intra-articular
    behaves like an injection in a patient without hip pain (responds with probability
    1 - specificity). Then observed = a x sens + (1 - a) x (1 - spec); specificity unchanged.
    """
    se = _check_prob("sensitivity", sensitivity)
    sp = _check_prob("specificity", specificity)
    a = _check_prob("placement accuracy", placement_accuracy)
    return accuracy.observed_block_performance(a, se, sp).sensitivity


def diluted_likelihood_ratios(
    sensitivity: float, specificity: float, placement_accuracy: float
) -> tuple[float, float]:
    """(LR+, LR-) after diluting sensitivity by misplaced injections (see :func:`diluted_sensitivity`)."""
    return likelihood_ratios(
        diluted_sensitivity(sensitivity, specificity, placement_accuracy), specificity
    )


def post_test_after_block(
    pre_test: float,
    responded: bool,
    placement_accuracy: float = 1.0,
    sensitivity: float | None = None,
    specificity: float | None = None,
) -> float:
    """Post-test probability of an intra-articular pain source after a block result.

    Defaults: the pooled sensitivity and specificity of [@AnaestheticMeta2014] (small series
    at high risk of bias), diluted by ``placement_accuracy``. Illustration, not a calculator
    for a real patient.
    """
    se = FACTS["meta_sensitivity"].value if sensitivity is None else sensitivity
    sp = FACTS["meta_specificity"].value if specificity is None else specificity
    lr_pos, lr_neg = diluted_likelihood_ratios(se, sp, placement_accuracy)
    return post_test_probability(pre_test, lr_pos if responded else lr_neg)


def mixed_source_relief(hip_share: float, block_effect: float = 1.0) -> float:
    """Expected percent relief when only part of the pain comes from the joint.

    If a fraction ``hip_share`` of the pain is intra-articular and the block removes a fraction
    ``block_effect`` of that part, relief = 100 x hip_share x block_effect. Arithmetic for
    teaching, not a measured model: a patient with hip plus spine pain can fall below a 50%
    threshold even with a perfect block.
    """
    return (
        100.0
        * _check_prob("hip share of pain", hip_share)
        * _check_prob("block effect", block_effect)
    )


# --------------------------------------------------------------------------- pain diary
class DiaryError(ValueError):
    """A pain diary that cannot be read, with every problem listed for the learner."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class DiaryReading:
    minutes: float  # minutes after the injection
    score: float  # pain 0-10 during the usual provocative activity


@dataclass(frozen=True)
class PainDiary:
    pre_score: float
    readings: tuple[DiaryReading, ...]
    anaesthetic: str = "bupivacaine"
    steroid: bool = True
    id: str = ""
    title: str = ""
    story: str = ""
    provoked: bool = True  # were scores taken during the provocative activity?


_UNIT_MIN = {
    "min": 1,
    "m": 1,
    "h": 60,
    "hr": 60,
    "d": MINUTES_PER_DAY,
    "day": MINUTES_PER_DAY,
    "days": MINUTES_PER_DAY,
    "w": MINUTES_PER_WEEK,
    "wk": MINUTES_PER_WEEK,
    "week": MINUTES_PER_WEEK,
    "weeks": MINUTES_PER_WEEK,
    "": 1,
}
_TIME = re.compile(r"^\s*(?P<num>[+-]?(\d+(\.\d*)?|\.\d+))\s*(?P<unit>[a-z]*)\s*$", re.IGNORECASE)


def _parse_time(text: str) -> float | None:
    m = _TIME.match(text)
    if not m or m.group("unit").lower() not in _UNIT_MIN:
        return None
    return float(m.group("num")) * _UNIT_MIN[m.group("unit").lower()]


def parse_diary(text: str) -> list[tuple[str, str]]:
    """Split diary text into (time, score) string pairs, one reading per line.

    A line is ``time, score`` (comma, semicolon, tab or spaces). Times are minutes after the
    injection, or carry a unit: ``30 min``, ``4 h``, ``2 d``, ``1 wk``. Blank lines and lines
    starting with # are ignored.
    """
    pairs = []
    for line in str(text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in re.split(r"[,;\t]", line)]
        if len(parts) == 1:
            bits = line.rsplit(None, 1)
            parts = bits if len(bits) == 2 else [line]
        if len(parts) == 1:
            parts = ["", parts[0]]
        pairs.append((parts[0], ",".join(parts[1:]).strip()))
    return pairs


def validate_diary(pre_score, rows: Iterable, anaesthetic: str = "bupivacaine") -> PainDiary:
    """Check a diary and return it, or raise :class:`DiaryError` listing every problem.

    ``rows`` holds (time, score) pairs: numbers, or strings as typed. Problems named: a
    missing time or score, letters where a number belongs, scores outside 0-10, negative or
    absurd times, times out of order or repeated, an empty diary, an unknown anaesthetic.
    """
    problems: list[str] = []
    pre = _score_or_problem("pre-injection score", pre_score, problems)
    if pre is not None and pre == 0:
        problems.append(
            "pre-injection score is 0: the provocative activity must hurt before the injection, or relief cannot be measured"
        )
    if anaesthetic not in WINDOWS:
        problems.append(
            f"anaesthetic must be one of {', '.join(sorted(WINDOWS))}; got {anaesthetic!r}"
        )
    readings: list[DiaryReading] = []
    rows = list(rows)
    if not rows:
        problems.append("the diary has no readings: add at least one 'time, score' line")
    last = None
    for i, row in enumerate(rows, start=1):
        try:
            t_raw, s_raw = row
        except (TypeError, ValueError):
            problems.append(f"reading {i}: expected a time and a score; got {row!r}")
            continue
        t = _time_or_problem(i, t_raw, problems)
        s = _score_or_problem(f"reading {i}: score", s_raw, problems)
        if t is not None:
            if last is not None and t <= last:
                word = "repeats" if t == last else "comes before"
                problems.append(
                    f"reading {i}: time {_fmt_minutes(t)} {word} an earlier reading ({_fmt_minutes(last)}); "
                    "list readings in time order, one per time"
                )
            last = t if last is None else max(last, t)
        if t is not None and s is not None:
            readings.append(DiaryReading(t, s))
    if problems:
        raise DiaryError(problems)
    return PainDiary(pre_score=pre, readings=tuple(readings), anaesthetic=anaesthetic)


def _score_or_problem(name: str, raw, problems: list[str]) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(f"{name} is missing: give a number between 0 and 10")
        return None
    try:
        # No decimal comma: in a diary line the comma separates the time from the score.
        return parse_number(raw, name, 0, 10, decimal_comma=False)
    except InputError as exc:
        problems.append(str(exc))
        return None


def _time_or_problem(i: int, raw, problems: list[str]) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(
            f"reading {i}: time is missing: give minutes after the injection, e.g. '30' or '4 h'"
        )
        return None
    if isinstance(raw, str):
        t = _parse_time(raw)
        if t is None:
            problems.append(
                f"reading {i}: time must be a number of minutes or carry a unit (min, h, d, wk); got {raw.strip()!r}"
            )
            return None
    elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or math.isnan(raw):
        problems.append(f"reading {i}: time must be a number of minutes; got {raw!r}")
        return None
    else:
        t = float(raw)
    if t < 0:
        problems.append(
            f"reading {i}: time must be 0 or more minutes after the injection; got {t:g}"
        )
        return None
    if t > DIARY_MAX_MIN:
        problems.append(
            f"reading {i}: time {_fmt_minutes(t)} is beyond {_fmt_minutes(DIARY_MAX_MIN)}, "
            "after the latest expected end of the steroid effect"
        )
        return None
    return t


def _fmt_minutes(m: float) -> str:
    if m < 120:
        return f"{m:g} min"
    if m < 2 * MINUTES_PER_DAY:
        return f"{m / 60:g} h"
    if m < 2 * MINUTES_PER_WEEK:
        return f"{m / MINUTES_PER_DAY:g} d"
    return f"{m / MINUTES_PER_WEEK:g} wk"


#: Diary patterns the summary can name, with a one-line meaning.
PATTERNS: dict[str, str] = {
    "anaesthetic-response": "relief inside the anaesthetic window: supports an intra-articular pain source",
    "no-response": "no relief inside the anaesthetic window despite provoked readings",
    "late-steroid-only": "no anaesthetic relief, then relief days later (steroid phase)",
    "partial-response": "some relief in the window, below the chosen threshold",
    "not-assessable": "no provoked reading inside the anaesthetic window: the test was not read",
}

#: What to consider next for each pattern (teaching summary, decided with the team).
NEXT_STEPS: dict[str, str] = {
    "anaesthetic-response": (
        "Pain source is likely inside the joint (not which structure). Match it to imaging and "
        "symptoms: arthroplasty or hip-preservation work-up, physiotherapy, or watchful waiting; "
        "a response only modestly predicts surgical success [@FAIResponseMeta2023]."
    ),
    "no-response": (
        "Check the contrast image first: was the injectate intra-articular? Then look elsewhere "
        "(lumbar spine, trochanteric pain, tendons) [@YoungAdultHip2015], but a negative block does not "
        "exclude the hip: false negatives occur [@Byrd2004]. Consider repeating with confirmed placement."
    ),
    "late-steroid-only": (
        "A steroid response agreed less often than the anaesthetic response with the result "
        "of arthroplasty (36% vs 78% concordance) [@PreopInjectionTHA2022]; contextual effects "
        "[@EULARCongress2020] and a possible systemic steroid effect [@Dorleijn2018] may also play "
        "a part. Reassess and consider other sources."
    ),
    "partial-response": (
        "Think of mixed pain generators (hip plus spine or trochanter) [@Maldonado2020] or partial "
        "extra-articular spread; discuss rather than label the test positive or negative."
    ),
    "not-assessable": (
        "The test was not read: ask for provoked scores inside the anaesthetic window next time, or "
        "repeat the block with a clear diary [@PreopInjectionTHA2022]."
    ),
}


#: Course conventions for naming diary patterns (not thresholds from a study): relief of at least
#: 20% inside the window but below the chosen threshold is called partial; a mean steroid-phase
#: relief above 50% mirrors the >50% definition of [@Martin2008].
PARTIAL_RELIEF_PERCENT = 20.0
STEROID_RESPONSE_PERCENT = 50.0


@dataclass(frozen=True)
class DiarySummary:
    pattern: str
    window: AnaestheticWindow
    threshold: Threshold
    best_window_relief: float | None  # percent, best (largest) inside the anaesthetic window
    best_window_minutes: float | None
    steroid_phase_relief: float | None  # percent, mean of readings from day 3 on
    readings_in_window: int
    positive: bool | None
    messages: tuple[str, ...] = field(default_factory=tuple)

    def text(self) -> str:
        lines = [
            f"Pattern: {self.pattern} ({PATTERNS[self.pattern]})",
            f"Anaesthetic window ({self.window.drug}): {_fmt_minutes(self.window.onset_min)} to "
            f"{_fmt_minutes(self.window.end_min)}; readings inside: {self.readings_in_window}",
        ]
        if self.best_window_relief is not None:
            lines.append(
                f"Best relief in the window: {self.best_window_relief:.0f}% at {_fmt_minutes(self.best_window_minutes)}"
            )
        if self.steroid_phase_relief is not None:
            lines.append(f"Mean relief from day 3: {self.steroid_phase_relief:.0f}%")
        if self.positive is not None:
            lines.append(
                f"Against '{self.threshold.label}': {'positive' if self.positive else 'negative'}"
            )
        lines.extend(self.messages)
        return "\n".join(lines)


def summarise_diary(diary: PainDiary, threshold: Threshold | str = "gt50") -> DiarySummary:
    """Read a diary against its anaesthetic window and a chosen threshold; name the pattern."""
    t = THRESHOLDS[threshold] if isinstance(threshold, str) else threshold
    w = WINDOWS[diary.anaesthetic]
    inside = [r for r in diary.readings if w.contains(r.minutes)]
    late = [r for r in diary.readings if r.minutes >= STEROID_PHASE_START_MIN]
    messages = []
    best_relief = best_min = None
    positive = None
    if inside:
        best = min(inside, key=lambda r: (r.score, r.minutes))
        best_relief, best_min = percent_relief(diary.pre_score, best.score), best.minutes
        positive = is_positive(diary.pre_score, best.score, t)
    late_relief = (
        (sum(percent_relief(diary.pre_score, r.score) for r in late) / len(late)) if late else None
    )
    if not diary.provoked:
        messages.append(
            "Scores were not taken during the provocative activity: a low score at rest says little."
        )
    if not inside or not diary.provoked:
        pattern = "not-assessable"
        positive = None
        if not inside:
            messages.append("No reading falls inside the anaesthetic window.")
    elif positive:
        pattern = "anaesthetic-response"
    elif best_relief is not None and best_relief >= PARTIAL_RELIEF_PERCENT:
        pattern = "partial-response"
    elif late_relief is not None and late_relief > STEROID_RESPONSE_PERCENT:
        pattern = "late-steroid-only"
    else:
        pattern = "no-response"
    return DiarySummary(
        pattern, w, t, best_relief, best_min, late_relief, len(inside), positive, tuple(messages)
    )


# --------------------------------------------------------------------------- synthetic diaries
def load_synthetic_diaries(path: Path | str | None = None) -> dict[str, dict]:
    """Synthetic diaries (invented patients) from assets/diaries/diaries.yaml, validated.

    Each value holds 'diary' (a :class:`PainDiary`), 'expected' (the pattern id) and
    'feedback' (Markdown explaining the reading).
    """
    path = Path(path) if path else assets_dir() / "diaries" / "diaries.yaml"
    data = load_yaml_file(path)  # bounded: no aliases/tags, size and depth caps
    out = {}
    for item in data["diaries"]:
        d = validate_diary(
            item["pre_score"], [(r[0], r[1]) for r in item["readings"]], item["anaesthetic"]
        )
        d = PainDiary(
            d.pre_score,
            d.readings,
            d.anaesthetic,
            bool(item.get("steroid", True)),
            item["id"],
            item["title"],
            item["story"],
            bool(item.get("provoked", True)),
        )
        if item["expected"] not in PATTERNS:
            raise ValueError(
                f"{path.name}: {item['id']}: expected must be one of {sorted(PATTERNS)}"
            )
        out[item["id"]] = {
            "diary": d,
            "expected": item["expected"],
            "feedback": item["feedback"],
            "threshold": item.get("threshold", "gt50"),
        }
    return out
