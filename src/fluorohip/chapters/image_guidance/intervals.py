"""Confidence intervals for a proportion (k successes of n): Wilson score and Clopper–Pearson.

Pure Python. The accuracy chapter computes each study's interval from its published counts
with these, so an interval is never typed by hand; small series (11/11, 30/30) are why the
Wald interval is not offered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

__all__ = ["exact_interval", "wilson_interval"]


def _check_counts(successes: int, n: int) -> None:
    if isinstance(successes, bool) or isinstance(n, bool):
        raise ValueError("successes and n must be whole numbers, not True/False")
    if not float(n).is_integer() or not float(successes).is_integer():
        raise ValueError(f"successes and n must be whole numbers; got {successes!r} of {n!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}; got {successes}")


def _check_confidence(confidence: object) -> float:
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return float(confidence)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    With p̂ = k/n and z the two-sided normal quantile::

        centre = (p̂ + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) × sqrt(p̂(1 − p̂)/n + z²/4n²)

    Unlike the textbook Wald interval it stays inside [0, 1] and behaves sensibly at
    k = 0 or k = n, which matters here: several series report 11/11 or 30/30.
    """
    _check_counts(successes, n)
    confidence = _check_confidence(confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p), summed in log space for stability."""
    if p <= 0:
        return 1.0
    if p >= 1:
        return 1.0 if k >= n else 0.0
    lp, lq = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq
        for i in range(k + 1)
    ]
    m = max(terms)
    return min(1.0, math.exp(m) * sum(math.exp(t - m) for t in terms))


def _bisect(f: Callable[[float], float], lo: float, hi: float, iterations: int = 100) -> float:
    """Root of a monotone function f on [lo, hi] (f(lo) and f(hi) of opposite sign)."""
    flo = f(lo)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        fmid = f(mid)
        if (fmid > 0) == (flo > 0):
            lo, flo = mid, fmid
        else:
            hi = mid
    return (lo + hi) / 2


def exact_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson "exact" interval: inverts two one-sided binomial tests.

    Lower bound L solves P(X ≥ k | L) = α/2; upper bound U solves P(X ≤ k | U) = α/2,
    with L = 0 when k = 0 and U = 1 when k = n. Conservative (coverage ≥ nominal).
    """
    _check_counts(successes, n)
    alpha = 1 - _check_confidence(confidence)
    k = int(successes)
    n = int(n)
    lower = (
        0.0 if k == 0 else _bisect(lambda p: (1 - _binom_cdf(k - 1, n, p)) - alpha / 2, 0.0, 1.0)
    )
    upper = 1.0 if k == n else _bisect(lambda p: _binom_cdf(k, n, p) - alpha / 2, 0.0, 1.0)
    return lower, upper
