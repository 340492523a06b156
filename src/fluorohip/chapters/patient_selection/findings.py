"""What the checklist reports: findings, the overall assessment, and the shape of one rule.

Why apart from the rule table: :mod:`.rules` is mostly clinical text, and the types and the
helpers that put cited numbers into that text (so a rule never retypes a number from
:mod:`.facts`) read better on their own. Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .decision import Decision
from .facts import FACTS, single_value
from .record import PatientRecord

__all__ = [
    "Assessment",
    "Finding",
    "Rule",
    "make_finding",
    "number",
    "odds_ratio_text",
    "range_text",
]


@dataclass(frozen=True)
class Finding:
    """One checklist item that fired: what it means, what resolves it, and the sources."""

    rule: str
    decision: Decision
    title: str
    reason: str
    action: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The checklist's answer: the overall decision and every finding, most restrictive first."""

    decision: Decision
    findings: tuple[Finding, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)


@dataclass(frozen=True)
class Rule:
    """One checklist item: when it applies, and the finding it then reports."""

    id: str
    applies: Callable[[PatientRecord], bool]
    finding: Callable[[PatientRecord], Finding]


def number(key: str, spec: str = "g") -> str:
    """``FACTS[key]``'s single figure as text, so rule texts never retype a cited number."""
    return format(single_value(FACTS[key]), spec)


def range_text(key: str) -> str:
    """``FACTS[key]``'s range as "low-high" (plain hyphen, as the rule texts write ranges)."""
    low, high = FACTS[key].range
    return f"{low:g}-{high:g}"


def odds_ratio_text(key: str) -> str:
    """An odds ratio with its 95% CI, e.g. "OR 1.68, 95% CI 1.48-1.90"."""
    low, high = FACTS[key].range
    return f"OR {number(key)}, 95% CI {low:.2f}-{high:.2f}"


def make_finding(
    rule: str, decision: Decision, title: str, reason: str, action: str, *keys: str
) -> Finding:
    """A :class:`Finding` with its citation keys given one by one (how the rule table reads)."""
    return Finding(rule, decision, title, reason, action, tuple(keys))
