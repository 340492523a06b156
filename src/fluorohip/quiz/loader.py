"""Turn a bank file into a :class:`~fluorohip.quiz.model.Bank`, refusing invalid ones.

``load_bank`` validates first (the same checks as ``fluorohip validate``) and raises
:class:`BankError`, whose message lists every problem, instead of building a half-valid bank.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.paths import assets_dir, quizzes_dir
from ..core.problems import Problem
from .model import Bank, Objective
from .types import question_from_data
from .validate import check_bank_file


class BankError(ValueError):
    """A bank cannot be used; ``problems`` says exactly why."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def bank_path(bank: str | Path) -> Path:
    """``"01_hip_anatomy"`` -> ``assets/quizzes/01_hip_anatomy.yaml``; a path is kept as is."""
    text = str(bank)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return Path(bank)
    return quizzes_dir() / f"{text}.yaml"


def _known_keys() -> set[str] | None:
    try:
        from ..core.bibliography import load_bibliography

        return set(load_bibliography())
    except Exception:  # an unreadable bibliography is reported by `fluorohip validate`
        return None


def load_bank(
    bank: str | Path,
    *,
    known_citation_keys: set[str] | None = None,
    assets_root: Path | None = None,
) -> Bank:
    """Load and validate a bank by notebook stem or path. Raises :class:`BankError`."""
    path = bank_path(bank)
    keys = known_citation_keys if known_citation_keys is not None else _known_keys()
    checked = check_bank_file(path, keys, assets_root or assets_dir())
    if checked.problems:
        listing = "\n".join(f"  {p}" for p in checked.problems)
        raise BankError(
            f"question bank {checked.shown_as} has {len(checked.problems)} problem(s):\n{listing}",
            checked.problems,
        )
    return bank_from_data(checked.data, path, lines=checked.doc.line)


def bank_from_data(data: dict[str, Any], path: Path | None = None, lines=None) -> Bank:
    """Build the model from already-validated data."""
    questions = tuple(
        question_from_data(q, q["id"], lines(("questions", i)) if lines else None)
        for i, q in enumerate(data["questions"])
    )
    return Bank(
        bank=data["bank"],
        title=data["title"],
        version=data["version"],
        objectives=tuple(Objective(o["id"], o["text"]) for o in data["objectives"]),
        questions=questions,
        path=path,
    )


def available_banks() -> list[str]:
    """Stems of the bank files present under ``assets/quizzes/``, sorted."""
    folder = quizzes_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
