"""Diagnostic-test arithmetic for chapter 06: a 2x2 table's accuracy with Wilson intervals,
likelihood ratios, Bayes' theorem in odds form, and what misplaced injections do to a block.

* sensitivity = TP / (TP + FN), specificity = TN / (TN + FP), PPV = TP / (TP + FP),
  NPV = TN / (TN + FN), each with a Wilson score interval;
* LR+ = sensitivity / (1 - specificity), LR- = (1 - sensitivity) / specificity;
* post-test odds = pre-test odds x LR, with odds = p / (1 - p).

Pure functions; illustration, not a calculator for a real patient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fluorohip.chapters.image_guidance import accuracy

from .facts import fact_value

__all__ = [
    "Accuracy",
    "accuracy_from_counts",
    "check_probability",
    "diluted_likelihood_ratios",
    "diluted_sensitivity",
    "likelihood_ratios",
    "odds_to_probability",
    "post_test_after_block",
    "post_test_probability",
    "probability_to_odds",
    "wilson_interval",
]


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


def check_probability(name: str, p: object, *, open_interval: bool = False) -> float:
    """``p`` as a float in [0, 1] (or (0, 1) with ``open_interval``), or a ValueError naming ``name``."""
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p):
        raise ValueError(f"{name} must be a probability between 0 and 1; got {p!r}")
    if open_interval and not 0.0 < p < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1; got {p:g}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1; got {p:g}")
    return float(p)


def likelihood_ratios(sensitivity: float, specificity: float) -> tuple[float, float]:
    """(LR+, LR-) = (sens / (1 - spec), (1 - sens) / spec). LR+ is infinite when spec = 1."""
    se = check_probability("sensitivity", sensitivity)
    sp = check_probability("specificity", specificity)
    lr_pos = math.inf if sp == 1.0 else se / (1.0 - sp)
    lr_neg = math.inf if sp == 0.0 else (1.0 - se) / sp
    return lr_pos, lr_neg


# --------------------------------------------------------------------------- Bayes
def probability_to_odds(p: float) -> float:
    """odds = p / (1 - p); p must be strictly between 0 and 1."""
    p = check_probability("probability", p, open_interval=True)
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

    Delegates to notebook 02's model, :func:`fluorohip.chapters.image_guidance.accuracy.observed_block_performance`,
    with its default assumption: a missed injection in a patient whose pain is intra-articular
    behaves like an injection in a patient without hip pain (responds with probability
    1 - specificity). Then observed = a x sens + (1 - a) x (1 - spec); specificity unchanged.
    """
    se = check_probability("sensitivity", sensitivity)
    sp = check_probability("specificity", specificity)
    a = check_probability("placement accuracy", placement_accuracy)
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
    se = fact_value("meta_sensitivity") if sensitivity is None else sensitivity
    sp = fact_value("meta_specificity") if specificity is None else specificity
    lr_pos, lr_neg = diluted_likelihood_ratios(se, sp, placement_accuracy)
    return post_test_probability(pre_test, lr_pos if responded else lr_neg)
