"""Moved to :mod:`fluorohip.chapters.image_guidance` (split into ``figures`` and ``views``); this old
name stays for one release (0.2) and re-exports their public names."""

from .chapters.image_guidance.accuracy import scenario_accuracies
from .chapters.image_guidance.figures import (
    GUIDANCE_STYLE,
    accuracy_forest_alt_text,
    accuracy_forest_figure,
    dap_comparison_alt_text,
    dap_comparison_figure,
    observed_sensitivity_alt_text,
    observed_sensitivity_figure,
    staff_distance_alt_text,
    staff_distance_figure,
)
from .chapters.image_guidance.views import (
    TEACHING_NOTE,
    DoseExplorer,
    StaffDistanceExplorer,
    dose_explorer,
    dose_report_html,
    staff_distance_explorer,
    staff_report_html,
)

__all__ = [
    "GUIDANCE_STYLE",
    "TEACHING_NOTE",
    "DoseExplorer",
    "StaffDistanceExplorer",
    "accuracy_forest_alt_text",
    "accuracy_forest_figure",
    "dap_comparison_alt_text",
    "dap_comparison_figure",
    "dose_explorer",
    "dose_report_html",
    "observed_sensitivity_alt_text",
    "observed_sensitivity_figure",
    "scenario_accuracies",
    "staff_distance_alt_text",
    "staff_distance_explorer",
    "staff_distance_figure",
    "staff_report_html",
]
