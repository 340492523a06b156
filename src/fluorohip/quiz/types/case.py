"""Unfolding case: an opening, then stages (questions of the other types) asked one by one.

A case is not answered itself: each stage is graded and recorded under ``case-id/stage-id``,
and a stage's ``reveal`` says what happened next once it is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..checks import ProblemSink, check_unique
from ..model import CaseQuestion
from .base import Grade, QuestionReader, QuestionType


class CaseType(QuestionType[CaseQuestion]):
    name = "case"
    question_class = CaseQuestion
    has_stages = True

    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> CaseQuestion:
        stages = tuple(read(s, f"{key}/{s['id']}") for s in data["stages"])
        return CaseQuestion(**common, stages=stages)

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        check_unique(rep, base + ("stages",), data.get("stages"), "stage")

    def grade(self, question: CaseQuestion, response: Any) -> Grade:
        raise TypeError("grade each stage of a case (question.stages), not the case itself")


CASE = CaseType()
