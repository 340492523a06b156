"""What to do next about a planned injection: the five decisions, least to most restrictive.

Why an ordered enum: the checklist's overall answer is the most restrictive finding, so every
decision carries a ``severity``; ``slug`` is the id used in the triage file and by learners'
answers. Pure Python.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Decision"]


class Decision(Enum):
    """What to do next, from least to most restrictive (``severity``)."""

    PROCEED = ("proceed", "Proceed", 0)
    CAUTION = ("caution", "Proceed with precautions", 1)
    OTHER_ROUTE = ("other", "Choose another guidance or test", 2)
    DEFER = ("defer", "Defer", 3)
    DO_NOT_INJECT = ("do-not-inject", "Do not inject", 4)

    def __init__(self, slug: str, label: str, severity: int):
        self.slug = slug
        self.label = label
        self.severity = severity

    @classmethod
    def from_slug(cls, slug: str) -> Decision:
        for d in cls:
            if d.slug == slug:
                return d
        raise ValueError(f"decision must be one of {', '.join(d.slug for d in cls)}; got {slug!r}")
