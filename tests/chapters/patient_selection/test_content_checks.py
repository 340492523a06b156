"""The content layer's checks of the files an instructor edits: ``assets/selection/*.yaml`` and
``assets/diaries/diaries.yaml`` (issue 20: one ``validate`` over every content file).

Each test edits a copy of the course's real files in ``tmp_path`` and expects a
:class:`~fluorohip.core.problems.Problem` naming the file, the line, the item and the field.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fluorohip.chapters.patient_selection.data import (
    SelectionDataError,
    check_diary_files,
    check_selection_files,
    load_risks,
)
from fluorohip.core.problems import Problem

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the files the checks read: selection, diaries and the bibliography."""
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets" / "selection", assets / "selection")
    shutil.copytree(ROOT / "assets" / "diaries", assets / "diaries")
    shutil.copy(ROOT / "assets" / "references.yaml", assets / "references.yaml")
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new`` in ``path``; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_the_shipped_files_have_no_problems():
    assert check_selection_files() == []
    assert check_diary_files() == []
    assert check_selection_files(ROOT) == [] and check_diary_files(ROOT) == []


def test_a_clean_copy_has_no_problems(course):
    assert check_selection_files(course) == [] and check_diary_files(course) == []


def test_a_bad_risk_frequency_is_named_by_file_line_item_and_field(course):
    risks = course / "assets" / "selection" / "risks.yaml"
    line = edit(risks, "high_percent: 0.09}", "high_percent: 140}")
    problems = check_selection_files(course)
    assert len(problems) >= 1 and all(isinstance(p, Problem) for p in problems)
    p = problems[0]
    assert p.file == "assets/selection/risks.yaml"
    assert p.field == "frequency.high_percent"
    assert p.line == line
    assert p.item_id is not None and p.item_id.startswith("risks[")
    assert "100" in p.message
    assert str(p).startswith(f"assets/selection/risks.yaml:{line}: risks[")


def test_every_problem_in_a_file_is_reported_not_only_the_first(course):
    patients = course / "assets" / "selection" / "patients.yaml"
    first = edit(patients, "expected: proceed", "expected: maybe")
    second = edit(patients, "keys: [", "keys: [Nobody2099, ")
    problems = check_selection_files(course)
    fields = {(p.field, p.line) for p in problems if p.file.endswith("patients.yaml")}
    assert ("expected", first) in fields
    assert any(f == "keys" and "Nobody2099" in p.message for p in problems for f in [p.field])
    assert second in {p.line for p in problems}


def test_a_misspelt_field_and_a_duplicate_key_are_reported(course):
    diff = course / "assets" / "selection" / "differential.yaml"
    line = edit(diff, "    clues:", "    cleus:")
    problems = check_selection_files(course)
    names = {(p.field, p.line) for p in problems}
    assert ("cleus", line) in names  # unknown field, on its own line
    assert any(p.field == "clues" and "non-empty text" in p.message for p in problems)


def test_an_empty_id_is_one_problem_and_a_repeated_id_is_named(course):
    diff = course / "assets" / "selection" / "differential.yaml"
    empty = edit(diff, "- id: hip-oa", '- id: ""')
    repeated = edit(diff, "- id: synovitis", "- id: fai-labrum")
    problems = [p for p in check_selection_files(course) if p.field == "id"]
    assert [(p.line, p.message) for p in problems] == [
        (empty, "must be non-empty text"),
        (repeated, "duplicate id 'fai-labrum'"),
    ]


def test_a_missing_or_broken_selection_file_is_one_problem_each(course):
    (course / "assets" / "selection" / "differential.yaml").unlink()
    (course / "assets" / "selection" / "risks.yaml").write_text("risks: &a []\nx: *a\n")
    problems = check_selection_files(course)
    by_file = {p.file: p for p in problems}
    assert "file not found" in by_file["assets/selection/differential.yaml"].message
    broken = by_file["assets/selection/risks.yaml"]
    assert broken.line == 1 and "anchor" in broken.message


def test_a_triage_patient_whose_expected_decision_disagrees_with_the_rules(course):
    patients = course / "assets" / "selection" / "patients.yaml"
    line = edit(patients, "expected: do-not-inject", "expected: proceed")
    problems = check_selection_files(course)
    p = next(p for p in problems if p.field == "expected")
    assert p.line == line and "checklist gives 'do-not-inject'" in p.message


def test_the_notebook_loader_raises_the_first_problem_with_every_problem_attached(course):
    risks = course / "assets" / "selection" / "risks.yaml"
    edit(risks, "applies_when: [", "applies_when: [sometimes, ")
    with pytest.raises(SelectionDataError, match="field 'applies_when'") as info:
        load_risks(risks)
    assert info.value.problems and all(isinstance(p, Problem) for p in info.value.problems)


def test_a_bad_diary_is_named_by_field_and_line(course):
    diaries = course / "assets" / "diaries" / "diaries.yaml"
    line = edit(diaries, "pre_score: 7", "pre_score: seven")
    problems = check_diary_files(course)
    p = next(p for p in problems if p.field == "pre_score")
    assert p.file == "assets/diaries/diaries.yaml" and p.line == line
    assert p.item_id == "diaries[0] (id 'clear-responder')"
    assert "pre-injection score" in p.message


def test_a_diary_labelled_with_the_wrong_pattern_or_an_unknown_one(course):
    diaries = course / "assets" / "diaries" / "diaries.yaml"
    first = edit(diaries, "expected: anaesthetic-response", "expected: no-response")
    problems = check_diary_files(course)
    p = next(p for p in problems if p.field == "expected")
    assert p.line == first and "reads as 'anaesthetic-response'" in p.message
    edit(diaries, "expected: no-response", "expected: cured")
    assert any("must be one of" in p.message for p in check_diary_files(course))


def test_diary_readings_out_of_order_and_bad_citations_are_reported(course):
    diaries = course / "assets" / "diaries" / "diaries.yaml"
    edit(diaries, '["15 min", 4], ["30 min", 1]', '["30 min", 4], ["15 min", 1]')
    edit(diaries, "[@McCabe2016]", "[@Nobody2099]")
    problems = check_diary_files(course)
    assert any(p.field == "readings" and "comes before" in p.message for p in problems)
    assert any(p.field == "feedback" and "Nobody2099" in p.message for p in problems)


def test_a_missing_diary_file_is_one_problem(course):
    (course / "assets" / "diaries" / "diaries.yaml").unlink()
    problems = check_diary_files(course)
    assert len(problems) == 1 and "file not found" in problems[0].message
