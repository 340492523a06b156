"""The triage exercise: a synthetic patient, the learner's decision, and feedback from the rules.

Why the rules grade it: the expected decision in ``assets/selection/patients.yaml`` must agree
with :func:`~.rules.assess` (checked when the file is read), and the feedback lists every
finding with its reason and action, so a learner sees why, not just whether. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from .decision import Decision
from .record import PatientRecord
from .rules import assess

__all__ = ["TriagePatient", "grade_triage"]


@dataclass(frozen=True)
class TriagePatient:
    id: str
    name: str
    vignette: str
    record: PatientRecord
    expected: Decision
    teaching: str
    keys: tuple[str, ...]


def grade_triage(patient: TriagePatient, choice: str) -> tuple[bool, str]:
    """(correct?, feedback Markdown) for a learner's decision slug on a triage patient."""
    chosen = Decision.from_slug(choice)
    a = assess(patient.record)
    ok = chosen is a.decision
    head = (
        f"**Correct: {a.decision.label}.**"
        if ok
        else f"**Not quite.** You chose *{chosen.label}*; the checklist says **{a.decision.label}**."
    )
    items = "\n".join(
        f"- **{fnd.decision.label}** - {fnd.title}: {fnd.reason} *Action:* {fnd.action}"
        for fnd in a.findings
    )
    return ok, "\n\n".join(part for part in (head, patient.teaching, items) if part)
