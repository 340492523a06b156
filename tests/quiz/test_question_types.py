"""The question-type registry: one module per type owns parsing, grading, the correct response,
the answer text and the controls, and nothing else in the engine switches on question classes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fluorohip
from fluorohip.quiz.grading import answer_markdown, correct_response, grade
from fluorohip.quiz.model import QUESTION_TYPES, TYPE_NAMES, CaseQuestion
from fluorohip.quiz.types import REGISTRY, question_from_data, type_named, type_of
from fluorohip.quiz.views import answer_controls

SRC = Path(fluorohip.__file__).parent
QUESTION_CLASS = re.compile(
    r"isinstance\([^)]*\b(Single|Multiple|Numeric|Ordering|Label|Case)Question\b"
)


def test_registry_has_every_type_of_the_bank_format_in_order():
    assert tuple(REGISTRY) == QUESTION_TYPES
    for name, qtype in REGISTRY.items():
        assert qtype.name == name and qtype.title == TYPE_NAMES[name]
        assert qtype.question_class.__module__ == "fluorohip.quiz.model"
        assert type(qtype).__module__ == f"fluorohip.quiz.types.{name}"


def test_no_module_switches_on_question_classes():
    """Grading, views, validation, item writing, the answer key and the synthetic class data
    dispatch through the registry; a new question type needs no edit outside its module."""
    engine = sorted(SRC.rglob("*.py"))
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in engine
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if QUESTION_CLASS.search(line)
    ]
    assert found == []


def test_every_type_of_the_demo_bank_round_trips(demo_bank):
    """Bank data -> model -> correct response -> controls -> a correct grade, for every type."""
    seen = set()
    for question in demo_bank.questions:
        seen.add(question.type)
        assert isinstance(question, type_of(question).question_class)
        for part in question.parts():
            seen.add(part.type)
            right = correct_response(part)
            assert grade(part, right).correct, part.key
            assert answer_markdown(part).startswith("**Answer:**")
            controls = answer_controls(part, demo_bank.bank)
            assert not grade(part, controls.response()).counts  # nothing chosen yet
            controls.set_response(right)
            assert grade(part, controls.response()).correct, part.key
            controls.set_disabled(True)
            wrong = type_of(part).typical_wrong_response(part, np.random.default_rng(1))
            assert grade(part, wrong).status == "incorrect", part.key
    assert seen == set(QUESTION_TYPES)


def test_a_case_is_answered_stage_by_stage(demo_bank):
    case = next(q for q in demo_bank.questions if type_of(q).has_stages)
    assert isinstance(case, CaseQuestion) and case.parts() == case.stages
    with pytest.raises(TypeError, match="grade each stage"):
        grade(case, None)
    with pytest.raises(TypeError, match="no single response"):
        correct_response(case)
    with pytest.raises(TypeError, match="no controls"):
        answer_controls(case)


def test_unknown_type_names_are_left_to_the_schema():
    assert type_named("essay") is None and type_named(None) is None and type_named(3) is None
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        question_from_data({"id": "x", "type": "essay", "stem": "s", "explanation": "e"}, "x")


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=5),
    st.dictionaries(st.text(max_size=3), st.one_of(st.none(), st.integers(), st.text(max_size=3))),
    st.lists(st.lists(st.integers(), max_size=2), max_size=3),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(response=_JUNK)
def test_grading_any_response_never_raises(demo_bank, response):
    for question in demo_bank.questions:
        for part in question.parts():
            g = grade(part, response)
            assert g.status in {"correct", "incorrect", "invalid"}
            assert g.counts or g.hint


def test_the_types_load_without_widgets():
    """Validation and grading stay light: ipywidgets loads only when controls are built."""
    code = (
        "import sys, fluorohip.quiz.types, fluorohip.quiz.validate, fluorohip.quiz.grading;"
        "print('ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
