"""Chapter 06, interpreting a diagnostic hip injection, as one pure model: the public names of
:mod:`.facts`, :mod:`.relief`, :mod:`.windows`, :mod:`.diagnostic`, :mod:`.evidence` and
:mod:`.diary` in one namespace (what the notebook, the cases and the tests import).

Nothing here imports a widget; :mod:`.figures` draws and :mod:`.views` wires the widgets.
Teaching only: this model does not diagnose anyone.
"""

from __future__ import annotations

from fluorohip.core.facts import Fact

from .diagnostic import (
    Accuracy,
    accuracy_from_counts,
    check_probability,
    diluted_likelihood_ratios,
    diluted_sensitivity,
    likelihood_ratios,
    odds_to_probability,
    post_test_after_block,
    post_test_probability,
    probability_to_odds,
    wilson_interval,
)
from .diary import (
    NEXT_STEPS,
    PARTIAL_RELIEF_PERCENT,
    PATTERNS,
    STEROID_RESPONSE_PERCENT,
    DiaryError,
    DiaryReading,
    DiarySummary,
    PainDiary,
    load_synthetic_diaries,
    parse_diary,
    summarise_diary,
    validate_diary,
)
from .evidence import EVIDENCE, Study, evidence_rows
from .facts import FACTS, fact_value
from .relief import (
    THRESHOLDS,
    Threshold,
    is_positive,
    mixed_source_relief,
    percent_relief,
    points_relief,
    threshold_for,
)
from .windows import (
    DIARY_MAX_MIN,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    STEROID_PHASE_START_MIN,
    STEROID_WINDOW_MIN,
    WINDOWS,
    AnaestheticWindow,
    format_minutes,
)

__all__ = [
    "DIARY_MAX_MIN",
    "EVIDENCE",
    "FACTS",
    "MINUTES_PER_DAY",
    "MINUTES_PER_WEEK",
    "NEXT_STEPS",
    "PARTIAL_RELIEF_PERCENT",
    "PATTERNS",
    "STEROID_PHASE_START_MIN",
    "STEROID_RESPONSE_PERCENT",
    "STEROID_WINDOW_MIN",
    "THRESHOLDS",
    "WINDOWS",
    "Accuracy",
    "AnaestheticWindow",
    "DiaryError",
    "DiaryReading",
    "DiarySummary",
    "Fact",
    "PainDiary",
    "Study",
    "Threshold",
    "accuracy_from_counts",
    "check_probability",
    "diluted_likelihood_ratios",
    "diluted_sensitivity",
    "evidence_rows",
    "fact_value",
    "format_minutes",
    "is_positive",
    "likelihood_ratios",
    "load_synthetic_diaries",
    "mixed_source_relief",
    "odds_to_probability",
    "parse_diary",
    "percent_relief",
    "points_relief",
    "post_test_after_block",
    "post_test_probability",
    "probability_to_odds",
    "summarise_diary",
    "threshold_for",
    "validate_diary",
    "wilson_interval",
]
