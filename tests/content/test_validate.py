"""``fluorohip validate`` covers every content file an instructor may edit, the course map included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fluorohip.content import validate
from fluorohip.content.validate import validate_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clean_problems() -> list:
    return validate_project(ROOT)


def test_the_course_is_valid(clean_problems):
    assert clean_problems == [], "\n".join(map(str, clean_problems))


@pytest.fixture
def course(tmp_path) -> Path:
    """A copy of the course's editable content (assets and notebooks) to break on purpose."""
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def _files_with_problems(root: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in validate_project(root):
        out.setdefault(p.file, []).append(str(p))
    return out


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_course_map_is_reported_with_its_line(course):
    _replace(course / "assets" / "course_map.yaml", "bank: 05_procedure", "bank: 05_procedures")
    problems = _files_with_problems(course)["assets/course_map.yaml"]
    (message,) = [m for m in problems if "no bank file assets/quizzes/05_procedures.yaml" in m]
    assert ": procedure: bank: " in message
    line = int(message.split(":")[1])  # the line an editor jumps to holds the bank
    text = (course / "assets" / "course_map.yaml").read_text(encoding="utf-8")
    assert "05_procedures" in text.splitlines()[line - 1]
    assert any("05_procedure.yaml is named by no entry" in m for m in problems)


def test_a_notebook_missing_from_the_map_is_reported(course):
    shutil.copyfile(
        course / "notebooks" / "05_procedure.ipynb", course / "notebooks" / "05b_extra.ipynb"
    )
    problems = _files_with_problems(course)
    assert any("05b_extra.ipynb has no entry" in m for m in problems["assets/course_map.yaml"])


def test_a_broken_selection_file_is_reported(course):
    _replace(
        course / "assets" / "selection" / "risks.yaml", "  - id: joint-infection", "  - id: ''"
    )
    problems = _files_with_problems(course)
    assert [f for f in problems if "selection" in f] == ["assets/selection/risks.yaml"]
    # the file, the line, the item and the field are named
    assert re.search(
        r"risks\.yaml:\d+: risks\[0\]: id:", problems["assets/selection/risks.yaml"][0]
    )


def test_a_broken_diary_file_is_reported(course):
    _replace(course / "assets" / "diaries" / "diaries.yaml", "pre_score: 7", "pre_score: seven")
    problems = _files_with_problems(course)
    assert list(problems) == ["assets/diaries/diaries.yaml"], problems


def test_a_diary_missing_a_field_is_reported_not_raised(course):
    _replace(course / "assets" / "diaries" / "diaries.yaml", "    pre_score: 7\n", "")
    problems = _files_with_problems(course)
    assert "pre_score" in problems["assets/diaries/diaries.yaml"][0]


def test_a_case_objective_must_come_from_a_chapter_bank_of_the_map(course):
    """Objectives of the start notebook's bank are not chapter objectives (the map says which are)."""
    case = course / "assets" / "cases" / "classic-oa.yaml"
    _replace(case, 'objectives: ["04.1",', 'objectives: ["00.1",')
    problems = _files_with_problems(course)
    assert any(
        "'00.1' is not declared in any chapter bank" in m
        for m in problems["assets/cases/classic-oa.yaml"]
    )


def test_selection_checkers_of_the_chapter_package_are_used_when_present(course, monkeypatch):
    """Once chapter 04 ships ``check_selection_files`` / ``check_diary_files``, validate calls them."""
    from fluorohip.core.problems import Problem

    calls = []

    def checker(name):
        def check(root):  # chapters.patient_selection.data: check_*_files(root) -> [Problem]
            calls.append((name, Path(root)))
            return [Problem(f"assets/{name}", 1, None, None, "from the chapter package")]

        return check

    monkeypatch.setattr(validate, "_checker", checker)
    problems = _files_with_problems(course)
    assert set(calls) == {
        ("check_selection_files", course),
        ("check_diary_files", course),
    }
    assert "assets/check_selection_files" in problems and "assets/check_diary_files" in problems
