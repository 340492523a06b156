"""Integrated cases as plain data: a clinic day in stages, each stage a quiz question.

A case (``assets/cases/<id>.yaml``) follows one synthetic patient from history to the next
step. Every stage has a ``kind`` (history, imaging, decision, technique, simulator, contrast,
diary, interpretation, next_step), the ``findings`` shown before it, an optional image spec
(a virtual-fluoroscope frame or a pain diary) and a ``question`` in the quiz engine's stage
format, graded by :mod:`fluorohip.quiz.grading`. Its ``reveal`` is shown once the stage is
answered. No widgets and no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..quiz.model import Question

STAGE_KINDS = (
    "history",
    "imaging",
    "decision",
    "technique",
    "simulator",
    "contrast",
    "diary",
    "interpretation",
    "next_step",
)
KIND_TITLES = {
    "history": "History and examination",
    "imaging": "Imaging",
    "decision": "Inject or not?",
    "technique": "Technique",
    "simulator": "In the fluoroscope",
    "contrast": "Read the contrast image",
    "diary": "The pain diary",
    "interpretation": "Interpretation",
    "next_step": "Next step",
}
#: The order cases are offered in (simple to complex); cases not listed follow alphabetically.
COURSE_ORDER = (
    "classic-oa",
    "fai-labral-tear",
    "hip-vs-spine",
    "gtps-not-hip",
    "timeout-contraindication",
    "diabetic-steroid",
    "anticoagulated",
    "negative-extra-articular",
    "arthroplasty-soon",
    "mr-arthrogram-labrum",
    "painful-tha-dry-tap",
    "room-goes-wrong",
)
IMAGE_PIXELS = 256  # simulator frames in cases: small, fast and still readable


@dataclass(frozen=True)
class FluoroImage:
    """A virtual-fluoroscope frame: patient habitus, needle at the target or not, contrast pattern."""

    bmi: float = 25.0
    needle: bool = False
    contrast: str = "none"
    seed: int = 1


@dataclass(frozen=True)
class DiaryImage:
    """A pain diary: provoked score before, then (time, score) readings after the injection."""

    pre_score: float
    readings: tuple[tuple[str, float], ...]
    anaesthetic: str = "bupivacaine"
    steroid: bool = True
    title: str = ""


@dataclass(frozen=True)
class Stage:
    id: str
    kind: str
    findings: str
    question: Question
    image: FluoroImage | DiaryImage | None = None
    line: int | None = None

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    @property
    def reveal(self) -> str | None:
        return self.question.reveal


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    version: int | str
    patient: str
    presentation: str
    objectives: tuple[str, ...]
    citations: tuple[str, ...]
    stages: tuple[Stage, ...]
    explanation: str
    difficulty: str = "medium"
    path: Any = field(default=None, compare=False)

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(
            f"case {self.id} has no stage {stage_id!r}; stages: {', '.join(s.id for s in self.stages)}"
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(s.kind for s in self.stages)
