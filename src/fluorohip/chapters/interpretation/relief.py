"""Relief after a diagnostic injection, and what counts as a 'positive' block.

percent relief = 100 x (pre - post) / pre, pain on a 0-10 numeric rating scale. Studies define a
positive block differently (:data:`THRESHOLDS`); none is a standard. Pure functions: no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.inputs import InputError, parse_number

from .diagnostic import check_probability

__all__ = [
    "THRESHOLDS",
    "Threshold",
    "is_positive",
    "mixed_source_relief",
    "percent_relief",
    "points_relief",
    "threshold_for",
]


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


def threshold_for(threshold: Threshold | str) -> Threshold:
    """A :class:`Threshold`, given itself or its id; an unknown id names the known ones."""
    if isinstance(threshold, Threshold):
        return threshold
    try:
        return THRESHOLDS[threshold]
    except KeyError:
        raise ValueError(
            f"threshold must be one of {', '.join(THRESHOLDS)}; got {threshold!r}"
        ) from None


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
    t = threshold_for(threshold)
    if t.kind == "percent":
        r = percent_relief(pre, post)
        # round away float noise so that exactly 50% is not 'more than 50%' by accident
        r = round(r, 9)
        return r > t.value if t.strict else r >= t.value
    if t.kind == "points":
        pts = round(points_relief(pre, post), 9)
        return pts > t.value if t.strict else pts >= t.value
    raise ValueError(f"threshold kind must be 'percent' or 'points'; got {t.kind!r}")


def mixed_source_relief(hip_share: float, block_effect: float = 1.0) -> float:
    """Expected percent relief when only part of the pain comes from the joint.

    If a fraction ``hip_share`` of the pain is intra-articular and the block removes a fraction
    ``block_effect`` of that part, relief = 100 x hip_share x block_effect. Arithmetic for
    teaching, not a measured model: a patient with hip plus spine pain can fall below a 50%
    threshold even with a perfect block.
    """
    return (
        100.0
        * check_probability("hip share of pain", hip_share)
        * check_probability("block effect", block_effect)
    )
