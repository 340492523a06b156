"""The integrated cases as one quiz bank, ``07_cases``, so case answers count like quiz answers.

Why a bank. The progress store, the learner's summary, the instructor's class report (item
difficulty, discrimination, distractors) and the answer key all work on banks of questions
keyed ``bank / question-id``. Each case becomes one ``case`` question whose stages are keyed
``case-id/stage-id`` (the key the quiz engine already uses for staged items), and each stage
counts towards its own learning objective. A stage's stem here carries the stage findings in
front of its question, so an answer key or a report read away from the notebook still says what
the learner was shown. The cases themselves stay in ``assets/cases/*.yaml``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ..core.paths import assets_dir
from ..quiz.model import Bank, CaseQuestion, Objective
from .loader import CaseError, available_cases, bibliography_keys, load_case
from .model import Case
from .validate import chapter_objectives

#: The bank name case answers are stored under; also the workshop release name for the cases.
CASES_BANK = "07_cases"
CASES_TITLE = "Integrated cases"


def case_question(case: Case) -> CaseQuestion:
    """One case as a staged quiz item; stage keys are ``case-id/stage-id``."""
    stages = tuple(
        replace(s.question, stem=f"{s.findings.strip()}\n\n{s.question.stem}") for s in case.stages
    )
    return CaseQuestion(
        id=case.id,
        type="case",
        stem=f"**{case.title}**\n\n{case.patient}. {case.presentation.strip()}",
        explanation=case.explanation,
        objective=case.objectives[0],
        difficulty=case.difficulty,
        citations=case.citations,
        key=case.id,
        stages=stages,
    )


def bank_version(cases: list[Case]) -> str:
    """A short fingerprint of every case's id and version: changes when any case is revised."""
    text = ";".join(f"{c.id}@{c.version}" for c in sorted(cases, key=lambda c: c.id))
    return "cases-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def cases_bank(cases: list[Case] | None = None) -> Bank:
    """The bank of ``cases`` (default: every case that loads; a broken case is left out, as
    :func:`fluorohip.content.catalog.load_catalog` leaves out a broken bank; ``fluorohip validate``
    names its problems)."""
    if cases is None:
        keys = bibliography_keys()
        cases = []
        for case_id in available_cases():
            try:
                cases.append(load_case(case_id, known_citation_keys=keys))
            except (CaseError, OSError, ValueError):
                continue
    texts = chapter_objectives(assets_dir())
    used = sorted(
        {s.question.objective for c in cases for s in c.stages if s.question.objective}
        | {o for c in cases for o in c.objectives}
    )
    return Bank(
        bank=CASES_BANK,
        title=CASES_TITLE,
        version=bank_version(cases),
        objectives=tuple(Objective(o, texts.get(o, o)) for o in used),
        questions=tuple(case_question(c) for c in cases),
    )
