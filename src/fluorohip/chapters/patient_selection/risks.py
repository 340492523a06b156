"""Consent risks and how often they happen, in words a patient can follow.

Why generated words: "about 4 to 9 in 10,000" is computed from the numbers in
``assets/selection/risks.yaml`` (read by :mod:`.data`), so the spoken frequency can never drift
from the cited one. Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "APPLIES",
    "FREQUENCY_FORMS",
    "Risk",
    "frequency_problems",
    "is_number",
    "per_n",
    "plain_frequency",
]

APPLIES = (
    "always",
    "steroid",
    "contrast",
    "diabetes_and_steroid",
    "warfarin",
    "doac",
    "tha_soon",
    "mr_arthrography",
)
FREQUENCY_FORMS = (
    {"percent"},
    {"low_percent", "high_percent"},
    {"percent", "low_percent", "high_percent"},
    {"up_to_percent"},
    {"events", "denominator"},
    {"odds_ratio", "low", "high"},
)


@dataclass(frozen=True)
class Risk:
    """One consent risk: what it is, how often (one of :data:`FREQUENCY_FORMS`), and for whom."""

    id: str
    name: str
    what: str
    frequency: Mapping[str, float]
    context: str
    applies_when: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def percent_range(self) -> tuple[float | None, float | None]:
        """(low, high) in percent, or (None, None) for an odds ratio."""
        f = self.frequency
        if "events" in f:
            p = 100.0 * f["events"] / f["denominator"]
            return (p, p)
        if "up_to_percent" in f:
            return (None, f["up_to_percent"])
        if "low_percent" in f:
            return (f["low_percent"], f["high_percent"])
        if "percent" in f:
            return (f["percent"], f["percent"])
        return (None, None)


def is_number(x: object) -> bool:
    """A finite int or float, not a bool (YAML's ``yes`` must not count as 1)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def frequency_problems(frequency: Any) -> list[tuple[str, str]]:
    """``(field, message)`` for everything wrong with a risk's ``frequency`` mapping; [] if fine.

    A frequency takes one of :data:`FREQUENCY_FORMS`; counts and percentages are numbers >= 0,
    a percentage at most 100, a range in order, events within their denominator.
    """
    f = frequency
    if not isinstance(f, dict) or set(f) not in FREQUENCY_FORMS:
        shown = sorted(f) if isinstance(f, dict) else repr(f)
        return [
            (
                "frequency",
                "must be one of {percent}, {low_percent, high_percent}, {up_to_percent}, "
                f"{{events, denominator}}, {{odds_ratio, low, high}}; got {shown}",
            )
        ]
    bad = [
        (f"frequency.{k}", f"must be a number >= 0; got {v!r}")
        for k, v in f.items()
        if not is_number(v) or v < 0
    ]
    if bad:
        return bad
    problems = [
        (f"frequency.{k}", f"a percentage cannot exceed 100; got {f[k]!r}")
        for k in ("percent", "low_percent", "high_percent", "up_to_percent")
        if k in f and f[k] > 100
    ]
    if "low_percent" in f and f["low_percent"] > f["high_percent"]:
        problems.append(("frequency", "low_percent is above high_percent"))
    elif (
        "percent" in f
        and "low_percent" in f
        and not f["low_percent"] <= f["percent"] <= f["high_percent"]
    ):
        problems.append(("frequency", "percent lies outside low_percent-high_percent"))
    if "events" in f and (f["denominator"] <= 0 or f["events"] > f["denominator"]):
        problems.append(("frequency", "need 0 <= events <= denominator and denominator > 0"))
    if "odds_ratio" in f and not f["low"] <= f["odds_ratio"] <= f["high"]:
        problems.append(("frequency", "odds_ratio lies outside low-high"))
    return problems


def round_significant(x: float) -> str:
    """A count as a patient reads it: whole from 1 up ("1,050"), one significant digit below."""
    if x >= 1:
        return f"{round(x):,}"
    return f"{x:.1g}"


def per_n(percent: float) -> tuple[str, int]:
    """Express a percentage as 'k in N' with the smallest N (100 ... 1,000,000) giving k >= 1."""
    if percent <= 0:
        return ("0", 100)
    for n in (100, 1_000, 10_000, 100_000, 1_000_000):
        k = percent * n / 100
        # the smallest denominator whose whole-number count is within 10% of the true value
        if k >= 0.95 and abs(round(k) - k) <= 0.1 * k:
            return (round_significant(k), n)
    return ("fewer than 1", 1_000_000)


def plain_frequency(risk: Risk) -> str:
    """How often, in words and numbers a patient can follow, generated from the data."""
    f = risk.frequency
    if "odds_ratio" in f:
        return (
            f"about {f['odds_ratio']:.1f} times the odds of the comparison group "
            f"(odds ratio {f['odds_ratio']:g}, 95% CI {f['low']:g}-{f['high']:g})"
        )
    if "events" in f:
        e, d = int(f["events"]), int(f["denominator"])
        if e == 0:
            return f"none in {d:,} procedures"
        k, n = per_n(100.0 * e / d)
        return f"{e:,} in {d:,} (about {k} in {n:,})"
    if "up_to_percent" in f:
        k, n = per_n(f["up_to_percent"])
        return f"up to about {k} in {n:,}, depending on the definition"
    if "low_percent" in f:
        lo, hi = f["low_percent"], f["high_percent"]
        n = per_n(lo)[1]
        klo, khi = round_significant(lo * n / 100), round_significant(hi * n / 100)
        span = f"about {klo} to {khi} in {n:,} ({lo:g}-{hi:g}%)"
        if "percent" in f:
            kp, np_ = per_n(f["percent"])
            return f"about {kp} in {np_:,} ({f['percent']:g}%; range {lo:g}-{hi:g}%)"
        return span
    p = f["percent"]
    if p >= 99.5:
        return "almost everyone"
    k, n = per_n(p)
    return f"about {k} in {n:,} ({p:g}%)"
