"""Moved to :mod:`fluorohip.chapters.patient_selection.views` and
:mod:`~fluorohip.chapters.patient_selection.figures`; this old name re-exports their public
names for one release (0.2)."""

from fluorohip.chapters.patient_selection.figures import (
    NOT_ON_LADDER,
    OFF_LADDER,
    ladder_risks,
    percent_label,
    plot_risk_ladder,
    risk_ladder_alt_text,
)
from fluorohip.chapters.patient_selection.views import (
    assessment_html,
    checklist,
    consent_builder,
    decision_badge,
    differential_explorer,
    differential_html,
    show_risk_ladder,
    triage_exercise,
)

__all__ = [
    "NOT_ON_LADDER",
    "OFF_LADDER",
    "assessment_html",
    "checklist",
    "consent_builder",
    "decision_badge",
    "differential_explorer",
    "differential_html",
    "ladder_risks",
    "percent_label",
    "plot_risk_ladder",
    "risk_ladder_alt_text",
    "show_risk_ladder",
    "triage_exercise",
]
