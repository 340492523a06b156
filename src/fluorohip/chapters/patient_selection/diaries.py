"""Checks for one synthetic pain diary in ``assets/diaries/diaries.yaml``, field by field.

Why here: the diaries are content an instructor edits, and :mod:`.data` checks every such file
for ``fluorohip validate``. What a diary means (windows, relief, patterns) belongs to chapter
06's model, so the readings go through its validator and the ``expected`` pattern is compared
with what its summary actually reads. Pure Python.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fluorohip.chapters.interpretation.model import (
    PATTERNS,
    THRESHOLDS,
    DiaryError,
    summarise_diary,
    validate_diary,
)

__all__ = ["diary_problems"]


def reading_field(message: str) -> str:
    """Which diary field a message from chapter 06's validator is about."""
    if message.startswith("pre-injection score"):
        return "pre_score"
    if message.startswith("anaesthetic"):
        return "anaesthetic"
    return "readings"


def diary_problems(item: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field, message)`` for everything wrong with one diary's clinical content; [] if fine."""
    problems: list[tuple[str, str]] = []
    expected, threshold = item.get("expected"), item.get("threshold", "gt50")
    if expected not in PATTERNS:
        problems.append(
            ("expected", f"must be one of {', '.join(sorted(PATTERNS))}; got {expected!r}")
        )
    if threshold not in THRESHOLDS:
        problems.append(
            ("threshold", f"must be one of {', '.join(sorted(THRESHOLDS))}; got {threshold!r}")
        )
    readings = item.get("readings")
    if not isinstance(readings, list):
        return [*problems, ("readings", "must be a list of [time, score] pairs")]
    try:
        diary = validate_diary(item.get("pre_score"), readings, str(item.get("anaesthetic")))
    except DiaryError as exc:
        return problems + [(reading_field(m), m) for m in exc.problems]
    if problems:
        return problems
    diary = replace(
        diary,
        steroid=bool(item.get("steroid", True)),
        provoked=bool(item.get("provoked", True)),
    )
    reads_as = summarise_diary(diary, threshold).pattern
    if reads_as != expected:
        problems.append(
            (
                "expected",
                f"says {expected!r} but the diary reads as {reads_as!r}; fix the readings or the label",
            )
        )
    return problems
