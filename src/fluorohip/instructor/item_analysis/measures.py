"""The item-analysis measures as small pure functions: which attempt counts, and the corrected
point-biserial. Each states its formula so a hand calculation can check it."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from ..merge import Record


def first_responses(records: Iterable[Record]) -> dict[tuple[str, str, str], Record]:
    """``(learner, bank, question_id)`` -> the learner's first attempt at that item (earliest
    timestamp, ties by attempt id): later attempts measure the feedback, not the learner."""
    out: dict[tuple[str, str, str], Record] = {}
    for r in sorted(records, key=lambda r: (r.timestamp, r.attempt_id)):
        out.setdefault((r.learner, r.bank, r.question_id), r)
    return out


def point_biserial(item: list[int], rest: list[float]) -> float | None:
    """Pearson r of a 0/1 item with a score, with population moments:
    ``r = (M1 - M0) / s * sqrt(p * q)``. None (undefined) below 3 learners or when either
    variable does not vary."""
    n = len(item)
    if n < 3 or n != len(rest):
        return None
    p = sum(item) / n
    mean = sum(rest) / n
    var = sum((x - mean) ** 2 for x in rest) / n
    if p in (0.0, 1.0) or var <= 1e-15:
        return None
    m1 = sum(x for x, i in zip(rest, item) if i) / sum(item)
    m0 = sum(x for x, i in zip(rest, item) if not i) / (n - sum(item))
    return (m1 - m0) / math.sqrt(var) * math.sqrt(p * (1 - p))


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most ``limit`` characters (an ellipsis marks a cut) for a table cell."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def response_label(answer: Any) -> str:
    """A stored answer of any question type as one line, so equal answers count together."""
    if isinstance(answer, str):
        return answer.strip()
    if isinstance(answer, list):
        return " > ".join(map(str, answer))
    if isinstance(answer, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(answer.items()))
    return json.dumps(answer, sort_keys=True)
