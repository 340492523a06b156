"""Quizzes: question banks as data, grading, safe rendering and the ipywidgets views.

Light to import: the widget modules (and ipywidgets) load only when ``show_quiz`` or
``review`` is first used, so ``fluorohip validate`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .loader import BankError, available_banks, bank_path, load_bank
from .model import Bank, Question
from .validate import validate_bank_file, validate_banks

if TYPE_CHECKING:  # pragma: no cover
    from .retrieval import review
    from .widgets import show_quiz
    from .workshop import answers_released, release_answers

__all__ = [
    "Bank", "BankError", "Question", "answers_released", "available_banks", "bank_path",
    "grade", "load_bank", "parse_number", "release_answers", "review", "show_quiz",
    "validate_bank_file", "validate_banks",
]

_LAZY = {
    "show_quiz": ".widgets",
    "review": ".retrieval",
    "release_answers": ".workshop",
    "answers_released": ".workshop",
    "grade": ".grading",
    "parse_number": ".numeric",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
