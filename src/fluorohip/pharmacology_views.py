"""Moved to :mod:`fluorohip.chapters.injectates.views` and :mod:`~fluorohip.chapters.injectates.figures`;
this old name re-exports their public names for one release (0.2)."""

from fluorohip.chapters.injectates.figures import (
    AGENT_COLOURS,
    short_labels,
    time_course_alt_text,
    time_course_figure,
    volume_alt_text,
    volume_figure,
)
from fluorohip.chapters.injectates.views import (
    TEACHING_NOTE,
    DoseChecker,
    VolumePlanner,
    Worked,
    equivalent_mg,
    maxima_table,
    maxima_table_html,
    mg_in,
    ml_holding,
)

__all__ = [
    "AGENT_COLOURS",
    "TEACHING_NOTE",
    "DoseChecker",
    "VolumePlanner",
    "Worked",
    "equivalent_mg",
    "maxima_table",
    "maxima_table_html",
    "mg_in",
    "ml_holding",
    "short_labels",
    "time_course_alt_text",
    "time_course_figure",
    "volume_alt_text",
    "volume_figure",
]
