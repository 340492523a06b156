"""``fluorohip validate``: every content file an instructor may edit, checked in one pass.

Each checker returns :class:`~fluorohip.core.problems.Problem` objects; this module only
gathers them, so a new kind of content (cases, agendas) adds one checker, not a new command.
"""

from __future__ import annotations

from pathlib import Path

from .core.bibliography import BibliographyError, load_bibliography, validate_bibliography
from .core.problems import Problem, display_path


def _bank_problems(root: Path, keys: set[str]) -> list[Problem]:
    banks = sorted((root / "assets" / "quizzes").glob("*.yaml"))
    if not banks:
        return []
    try:
        from .quiz import validate_banks
    except ImportError as exc:  # the quiz engine is part of the package; this is a broken install
        return [Problem("assets/quizzes", None, None, None, f"quiz engine unavailable: {exc}")]
    return validate_banks(banks, keys, root / "assets")


def _case_problems(root: Path, keys: set[str]) -> list[Problem]:
    cases = sorted((root / "assets" / "cases").glob("*.yaml"))
    if not cases:
        return []
    try:
        from .cases import validate_case_files
    except ImportError:
        return []
    return validate_case_files(cases, keys, root / "assets")


def validate_project(root: Path) -> list[Problem]:
    """All problems in the bibliography, question banks and case files under ``root``."""
    bib_path = root / "assets" / "references.yaml"
    problems = validate_bibliography(bib_path, shown_as=display_path(bib_path, root))
    try:
        keys = set(load_bibliography(bib_path))
    except BibliographyError:
        keys = set()
    problems += _bank_problems(root, keys)
    problems += _case_problems(root, keys)
    return problems
