"""Quizzes: question banks as data, grading, safe rendering and the ipywidgets views.

Light to import: the widget modules (and ipywidgets) load only when ``show_quiz`` or
``review`` is first used, so ``fluorohip validate`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader as lazy

from .loader import BankError, available_banks, bank_path, load_bank
from .model import Bank, Question
from .validate import validate_bank_file, validate_banks

if TYPE_CHECKING:  # pragma: no cover
    from ..content.review import review
    from .release import answers_released, release_answers
    from .views import show_quiz

__all__ = [
    "Bank",
    "BankError",
    "Question",
    "answers_released",
    "available_banks",
    "bank_path",
    "grade",
    "load_bank",
    "parse_number",
    "release_answers",
    "review",
    "show_quiz",
    "validate_bank_file",
    "validate_banks",
]

# Widgets, grading and review load on first use (lazy_loader, SPEC 1), keeping ipywidgets out
# of the import path of the pure models.
__getattr__, __dir__, _ = lazy.attach(
    __name__,
    submod_attrs={
        "views": ["show_quiz"],
        "retrieval": ["review"],
        "release": ["release_answers", "answers_released"],
        "grading": ["grade"],
        "numeric": ["parse_number"],
    },
)
