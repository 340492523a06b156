"""``fluorohip validate``: every content file an instructor may edit, checked in one pass.

The bibliography, the course map, every question bank, every case, the patient-selection data
and the synthetic pain diaries. Each checker returns :class:`~fluorohip.core.problems.Problem`
objects and never raises, so an instructor sees every problem at once as
``file:line: id: field: message`` and a new kind of content adds one checker, not a new command.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cases.validate import validate_case_files
from ..core.bibliography import BibliographyError, load_bibliography, validate_bibliography
from ..core.problems import Problem, display_path
from ..quiz.validate import validate_banks
from .course_map import CourseMapError, chapter_banks, course_map
from .map_rules import course_map_problems

#: Where the patient-selection and diary checkers live (the chapter 04 package).
SELECTION_DATA_MODULE = "fluorohip.chapters.patient_selection.data"


def bank_problems(root: Path, keys: set[str]) -> list[Problem]:
    """Every bank file under ``assets/quizzes/`` (named in the map or not: a stray file is checked
    too, and the course-map rules report that no entry names it)."""
    banks = sorted((root / "assets" / "quizzes").glob("*.yaml"))
    return validate_banks(banks, keys, root / "assets") if banks else []


def case_problems(root: Path, keys: set[str]) -> list[Problem]:
    """Every case file; the objectives a case may use are those of the map's chapter banks."""
    cases = sorted((root / "assets" / "cases").glob("*.yaml"))
    if not cases:
        return []
    try:
        banks: list[str] | None = chapter_banks(course_map(root / "assets"))
    except (OSError, CourseMapError, ValueError):
        banks = None  # the map's own problems are reported by course_map_problems
    return validate_case_files(cases, keys, root / "assets", banks)


def _checker(name: str) -> Callable[..., list[Problem]] | None:
    try:
        module = importlib.import_module(SELECTION_DATA_MODULE)
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


def _problem_from_error(path: Path, root: Path, exc: Exception) -> Problem:
    shown = display_path(path, root)
    message = str(exc)
    if message.startswith(shown + ": "):  # the loaders name the file themselves
        message = message[len(shown) + 2 :]
    return Problem(shown, getattr(exc, "line", None), None, None, message)


def _loader_problems(
    root: Path, loaders: list[tuple[Path, Callable[[Path], Any]]]
) -> list[Problem]:
    """Fallback while the chapter 04 package has no checkers: run each loader (they validate and
    raise a ValueError naming the file and field) and turn its refusal into a problem."""
    problems = []
    for path, load in loaders:
        if not path.exists():
            continue
        try:
            load(path)
        except (OSError, ValueError) as exc:
            problems.append(_problem_from_error(path, root, exc))
        except (KeyError, TypeError) as exc:  # a loader that indexes fields without checking
            problems.append(
                Problem(
                    display_path(path, root), None, None, None, f"missing or malformed field {exc}"
                )
            )
    return problems


def selection_problems(root: Path) -> list[Problem]:
    """``assets/selection/*.yaml``: patients, the differential and the consent risks."""
    check = _checker("check_selection_files")
    if check is not None:
        return check(root)  # it reads the bibliography of ``root`` itself
    from .. import selection  # the pre-chapter-package module; goes when chapter 04 ships checkers

    folder = root / "assets" / "selection"
    return _loader_problems(
        root,
        [
            (folder / "patients.yaml", selection.load_triage_patients),
            (folder / "differential.yaml", selection.load_differential),
            (folder / "risks.yaml", selection.load_risks),
        ],
    )


def diary_problems(root: Path) -> list[Problem]:
    """``assets/diaries/diaries.yaml``: the synthetic pain diaries of chapter 06."""
    check = _checker("check_diary_files")
    if check is not None:
        return check(root)
    from .. import interpretation  # the pre-chapter-package module, as above

    path = root / "assets" / "diaries" / "diaries.yaml"
    return _loader_problems(root, [(path, interpretation.load_synthetic_diaries)])


def validate_project(root: Path) -> list[Problem]:
    """All problems in every content file under ``root`` (a course folder holding ``assets/``)."""
    root = Path(root)
    bib_path = root / "assets" / "references.yaml"
    problems = validate_bibliography(bib_path, shown_as=display_path(bib_path, root))
    try:
        keys = set(load_bibliography(bib_path))
    except BibliographyError:
        keys = set()
    problems += course_map_problems(root)
    problems += bank_problems(root, keys)
    problems += case_problems(root, keys)
    problems += selection_problems(root)
    problems += diary_problems(root)
    return problems
