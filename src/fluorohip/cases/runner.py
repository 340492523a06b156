"""Walk a case with scripted answers, as the player does, and keep a transcript.

The player shows the next stage once the current one is answered (right or wrong), so a
scripted run stops only at a stage whose answer cannot be graded (missing or unreadable).
Tests use this to walk every case to its end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..quiz.grading import correct_response, grade
from .model import Case


@dataclass(frozen=True)
class Step:
    stage_id: str
    kind: str
    status: str  # correct | incorrect | invalid
    feedback: tuple[str, ...]
    reveal: str | None
    hint: str | None = None


@dataclass(frozen=True)
class Transcript:
    case_id: str
    steps: tuple[Step, ...]
    n_stages: int
    conclusion: str | None  # the case's explanation, shown once the last stage is answered

    @property
    def reached_end(self) -> bool:
        return self.conclusion is not None

    @property
    def correct(self) -> int:
        return sum(s.status == "correct" for s in self.steps)

    def text(self) -> str:
        lines = [
            f"Case {self.case_id}: {self.correct} of {self.n_stages} stages right"
            + ("" if self.reached_end else f"; stopped at stage {len(self.steps)}")
        ]
        for n, s in enumerate(self.steps, start=1):
            lines.append(
                f"  {n}. {s.stage_id} ({s.kind}): {s.status}" + (f" - {s.hint}" if s.hint else "")
            )
        return "\n".join(lines)


def model_answers(case: Case) -> dict[str, Any]:
    """A response per stage that grades as correct."""
    return {s.id: correct_response(s.question) for s in case.stages}


def run_case(case: Case, answers: Mapping[str, Any] | Sequence[Any]) -> Transcript:
    """Grade ``answers`` (by stage id, or in stage order) stage by stage until the end or an ungradable answer."""
    if not isinstance(answers, Mapping):
        answers = {s.id: a for s, a in zip(case.stages, answers)}
    steps: list[Step] = []
    for stage in case.stages:
        g = grade(stage.question, answers.get(stage.id))
        if not g.counts:
            steps.append(Step(stage.id, stage.kind, "invalid", (), None, g.hint))
            return Transcript(case.id, tuple(steps), len(case.stages), None)
        steps.append(Step(stage.id, stage.kind, g.status, g.feedback, stage.reveal))
    return Transcript(case.id, tuple(steps), len(case.stages), case.explanation)
