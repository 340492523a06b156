"""Integrated cases: synthetic patients from clinic to follow-up, in graded stages.

Data in ``assets/cases/*.yaml`` (schema ``assets/schema/case.schema.json``), checked by
``fluorohip validate`` through :func:`validate_case_files`. Light to import: the player
(ipywidgets, matplotlib, the fluoroscope) loads only when used.
"""

from __future__ import annotations

import lazy_loader as lazy

from .loader import CaseError, available_cases, case_path, load_case, load_cases
from .model import STAGE_KINDS, Case, DiaryImage, FluoroImage, Stage
from .runner import Step, Transcript, model_answers, run_case
from .validate import check_case_file, validate_case_files

__all__ = [
    "STAGE_KINDS",
    "Case",
    "CaseError",
    "DiaryImage",
    "FluoroImage",
    "Stage",
    "Step",
    "Transcript",
    "available_cases",
    "case_path",
    "check_case_file",
    "load_case",
    "load_cases",
    "model_answers",
    "run_case",
    "show_case",
    "show_cases",
    "validate_case_files",
]

# The player (ipywidgets, matplotlib, the fluoroscope) loads on first use (lazy_loader, SPEC 1).
__getattr__, __dir__, _ = lazy.attach(__name__, submod_attrs={"views": ["show_case", "show_cases"]})
