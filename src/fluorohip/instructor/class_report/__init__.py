"""The class report: merged hand-ins and their item analysis as HTML, charts and notebook views.

:mod:`.figures` draws the charts (matplotlib, alt text stating every number), :mod:`.tables`
writes the HTML tables, :mod:`.page` puts them into one self-contained file, and :mod:`.views`
shows a section in the class-results notebook. The data comes from
:mod:`fluorohip.instructor.merge` and :mod:`fluorohip.instructor.item_analysis`.
"""

from __future__ import annotations

from .figures import (
    MAX_FIGURE_ROWS,
    ReportFigure,
    figure_distractors,
    figure_gains,
    figure_items,
    figure_objectives,
    figure_participation,
)
from .page import CSS, debrief_intro, files_section, render_report, summary_line
from .tables import (
    debrief_table,
    distractor_tables,
    gains_table,
    items_table,
    key_check_table,
    objectives_table,
    participation_table,
)
from .views import SECTIONS, Shown, show

__all__ = [
    "CSS",
    "MAX_FIGURE_ROWS",
    "SECTIONS",
    "ReportFigure",
    "Shown",
    "debrief_intro",
    "debrief_table",
    "distractor_tables",
    "figure_distractors",
    "figure_gains",
    "figure_items",
    "figure_objectives",
    "figure_participation",
    "files_section",
    "gains_table",
    "items_table",
    "key_check_table",
    "objectives_table",
    "participation_table",
    "render_report",
    "show",
    "summary_line",
]
