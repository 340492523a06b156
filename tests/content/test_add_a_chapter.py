"""Adding a chapter takes five new files and one course-map entry, and nothing else (CONTRIBUTING.md).

The test copies the course into a temporary folder, adds a throw-away chapter before the final one
exactly as the "Add a chapter" checklist says (a ``chapters/<name>/`` package, a notebook, a bank,
a test folder, a course-map entry), then runs ``fluorohip validate`` and the course-structure tests
on the copy, and checks that everything computed from the course map (catalog, agendas, completion
summary, the objectives a case may use, the authoring tools' chapter list) now includes the
chapter. A hidden list of chapters (a glob over file numbers, a hand-written agenda) would leave
the new chapter out, and this test would fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NAME = "throwaway_demo"
STEM = f"07b_{NAME}"  # sorts between 07_beyond_the_injection and 08_cases_and_assessment
BANK = "09_throwaway_demo"  # a bank id no entry uses; it does not follow the notebook's number

#: What the copy needs: the package, the content, the notebooks and the structure tests.
COPIED = ("src/fluorohip", "assets", "notebooks", "templates")
COPIED_FILES = ("pyproject.toml", "tests/conftest.py", "tests/nbval_sanitize.cfg")
STRUCTURE_TESTS = ("tests/test_course_map.py", "tests/test_notebook_structure.py")

MAP_ENTRY = f"""  - id: throwaway-demo
    kind: chapter
    stem: {STEM}
    bank: {BANK}
    package: {NAME}
    title: A throw-away demonstration chapter
    goal: Show that a chapter is five files and one course-map entry.
    minutes: 10
"""

BANK_YAML = f"""bank: {BANK}
title: Throw-away demonstration chapter
version: 1
objectives:
  - id: "09.1"
    text: Say where a new chapter is registered.
questions:
  - id: demo-registry
    type: single
    objective: "09.1"
    difficulty: easy
    citations: []
    stem: Where is a new chapter registered?
    options:
      - id: a
        text: In the course map, as one new entry.
        feedback: Right. Every list of chapters is computed from the course map.
      - id: b
        text: In each module that lists the chapters.
        feedback: No. No module lists the chapters; they all ask the course map.
      - id: c
        text: In the name of the notebook file alone.
        feedback: No. File numbers order the folder; the course map says what is a chapter.
    answer: a
    explanation: The course map is the one registry of the course.
"""

MODEL = '''"""The throw-away chapter's model: pure, no widgets."""


def minutes_left(total_minutes: int, done_minutes: int) -> int:
    """Minutes of the chapter still to go (never below zero)."""
    return max(0, total_minutes - done_minutes)
'''

MODEL_TEST = f"""from fluorohip.chapters.{NAME}.model import minutes_left


def test_minutes_left_never_negative():
    assert minutes_left(10, 4) == 6 and minutes_left(10, 12) == 0
"""

#: Run in the copy after the chapter is added: what the course map feeds must include it.
CHECK_REGISTRY = textwrap.dedent(
    """
    import json
    from pathlib import Path
    import fluorohip
    from fluorohip.authoring import chapters
    from fluorohip.cases.validate import chapter_objectives
    from fluorohip.content.catalog import load_catalog
    from fluorohip.content.completion import build_completion
    from fluorohip.content.course_map import chapter_banks, course_map, final_entry
    from fluorohip.core.paths import assets_dir
    from fluorohip.instructor.agenda import full_day, half_day

    stems = [e.stem for e in course_map()]
    print(json.dumps({
        "package_file": fluorohip.__file__,
        "order": stems[-3:],
        "final": [final_entry().stem, final_entry().bank],
        "chapter_banks": chapter_banks(),
        "catalog": sorted(load_catalog()),
        "agendas": [" | ".join(b.label for b in a.blocks) for a in (full_day(), half_day())],
        "completion": [c.stem for c in build_completion([], load_catalog()).chapters],
        "case_objectives": sorted(chapter_objectives(assets_dir(), chapter_banks())),
        "authoring": [c.stem for c in chapters()],
    }))
    """
)


def _copy_course(destination: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "*.pyc")
    for folder in COPIED:
        shutil.copytree(ROOT / folder, destination / folder, ignore=ignore)
    for name in COPIED_FILES:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, destination / name)
    for name in STRUCTURE_TESTS:
        shutil.copyfile(ROOT / name, destination / name)


def _notebook() -> nbformat.NotebookNode:
    """A chapter in the house shape, stored executed (the References cell is generated later)."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell(
        f"from fluorohip.chapters.{NAME}.model import minutes_left\nminutes_left(10, 4)",
        execution_count=1,
    )
    code.outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "6"}, execution_count=1)
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# 07b · A throw-away demonstration chapter\n\n**Estimated time:** 10 minutes"
        ),
        nbformat.v4.new_markdown_cell(
            "## Learning objectives\n\n- **09.1** Say where a new chapter is registered."
        ),
        code,
        nbformat.v4.new_markdown_cell("## Check your understanding\n\nThe quiz of this chapter."),
        nbformat.v4.new_markdown_cell("## Key points\n\n- One entry in the course map."),
    ]
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    return nb


def add_chapter(course: Path) -> list[Path]:
    """The checklist of CONTRIBUTING.md, "Add a chapter"; returns the new files."""
    package = course / "src" / "fluorohip" / "chapters" / NAME
    package.mkdir()
    new = {
        package
        / "__init__.py": '"""A throw-away chapter used by tests/content/test_add_a_chapter.py."""\n',
        package / "model.py": MODEL,
        course / "assets" / "quizzes" / f"{BANK}.yaml": BANK_YAML,
        course / "tests" / "chapters" / NAME / "test_model.py": MODEL_TEST,
    }
    for path, text in new.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    notebook = course / "notebooks" / f"{STEM}.ipynb"
    nbformat.write(_notebook(), notebook)
    course_map = course / "assets" / "course_map.yaml"
    text = course_map.read_text(encoding="utf-8")
    final = re.search(r"^  - id: [a-z-]+\n    kind: final\n", text, flags=re.MULTILINE)
    assert final, "no final entry in the course map"
    course_map.write_text(
        text[: final.start()] + MAP_ENTRY + text[final.start() :], encoding="utf-8"
    )
    return [*new, notebook]


def _run(course: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(course / "src"), FLUOROHIP_ROOT=str(course))
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


pytestmark = pytest.mark.slow  # a copy of the course and three interpreters: about 40 s alone


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    _copy_course(course)
    before = {p for p in course.rglob("*") if p.is_file()}
    new_files = add_chapter(course)
    after = {p for p in course.rglob("*") if p.is_file()}
    assert after - before == set(new_files) and len(new_files) <= 6
    refs = _run(course, "-m", "fluorohip.cli", "refs", "--write", f"notebooks/{STEM}.ipynb")
    assert refs.returncode == 0, refs.stdout + refs.stderr
    return course


@pytest.fixture(scope="module")
def fed(course) -> dict:
    """What the course map feeds, read in the copy by the copy's own package."""
    result = _run(course, "-c", CHECK_REGISTRY)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_copy_runs_its_own_package(course, fed):
    assert Path(fed["package_file"]).resolve().is_relative_to(course.resolve())


def test_fluorohip_validate_is_green_for_the_copy(course):
    result = _run(
        course, "-c", "import sys; from fluorohip.cli import main; sys.exit(main(['validate']))"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "All course content is valid." in result.stdout


def test_everything_the_course_map_feeds_includes_the_new_chapter(fed):
    found = fed
    assert found["order"] == ["07_beyond_the_injection", STEM, "08_cases_and_assessment"]
    assert found["final"] == ["08_cases_and_assessment", "07_posttest"]  # bank ids unchanged
    assert found["chapter_banks"][-2:] == ["07_beyond_the_injection", BANK]
    assert BANK in found["catalog"] and "07_cases" in found["catalog"]
    for agenda in found["agendas"]:
        assert "07b A throw-away demonstration chapter" in agenda
    assert STEM in found["completion"] and STEM in found["authoring"]
    assert "09.1" in found["case_objectives"]


def test_structure_tests_are_green_for_the_copy(course):
    result = _run(
        course,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not slow",
        # The README's course-map table is a stored display: the checklist regenerates it.
        "-k",
        "not readme",
        *STRUCTURE_TESTS,
        f"tests/chapters/{NAME}",
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert STEM in _run(course, "-m", "pytest", "--collect-only", "-q", STRUCTURE_TESTS[1]).stdout


def test_no_glob_over_file_numbers_in_the_package():
    """A hidden list in its commonest form: a glob over a range of notebook or bank numbers."""
    pattern = re.compile(r"""glob\(\s*["'][^"']*\[\d-\d\]""")
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in sorted((ROOT / "src").rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line) and "[0-9]" not in line
    ]
    assert not offenders, f"globs over file numbers (ask the course map instead): {offenders}"
