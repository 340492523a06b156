"""The class report as one self-contained HTML file: tables and plots, readable offline.

Plots are PNGs embedded as base64 ``data:`` images, each with alt text that states the numbers,
so a screen-reader user (or a greyscale printout) loses nothing. No JavaScript, no web fonts, no
network: open the file anywhere. Every field of a hand-in is untrusted text: the page is rendered
from Jinja2 templates (``templates/*.html.j2``) with autoescape.
"""

from __future__ import annotations

from ..item_analysis import ClassAnalysis, debrief_criteria
from ..merge import MergeResult
from ..templating import Markup, render
from .figures import (
    ReportFigure,
    figure_distractors,
    figure_gains,
    figure_items,
    figure_objectives,
    figure_participation,
)
from .tables import (
    debrief_table,
    distractor_tables,
    gains_table,
    items_table,
    key_check_table,
    objectives_table,
    participation_table,
)

#: Distractor charts shown for the top of the debrief list (each question has its table).
DISTRACTOR_FIGURES = 6

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#111;line-height:1.45}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#eee}
figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#333}
.summary{background:#f4f4f4;border-left:4px solid #0072B2;padding:.5rem 1rem}code{background:#f4f4f4}
.warning{border-left:4px solid #D55E00;padding:.5rem 1rem}
"""


def files_section(merged: MergeResult) -> Markup:
    rows = [[f.name, f.attempts, f.new, ", ".join(f.learners)] for f in merged.files]
    return render("files_section.html.j2", merged=merged, file_rows=rows)


def summary_line(merged: MergeResult, analysis: ClassAnalysis) -> str:
    ignored = (
        f"; {len(merged.ignored)} non-export files (such as .html) ignored"
        if merged.ignored
        else ""
    )
    return (
        f"{analysis.participation.n_learners} learners, {len(merged.records)} attempts from "
        f"{len(merged.files)} files; {merged.duplicates} duplicate attempts counted once; "
        f"{len(merged.skipped)} malformed files skipped; {len(merged.empty)} empty files{ignored}."
    )


def debrief_intro(analysis: ClassAnalysis) -> str:
    """How many questions met a criterion and how many are listed."""
    n, shown = analysis.debrief_candidates, len(analysis.debrief)
    if not n:
        return "No question met a debrief criterion."
    if n <= shown:
        return f"{n} question{'s' if n != 1 else ''} met a criterion."
    return (
        f"{n} questions met a criterion; the {shown} highest-ranked are listed. The item table below marks "
        "every question that met one."
    )


def _figure_html(fig: ReportFigure | None) -> Markup | None:
    return Markup(fig.html()) if fig else None


def render_report(
    merged: MergeResult, analysis: ClassAnalysis, title: str = "fluorohip class report"
) -> str:
    """The whole report as one HTML document (no scripts, no external resources), from
    ``templates/class_report.html.j2`` with autoescape: hand-in text never becomes markup."""
    pp = analysis.pre_post
    distractors = [
        _figure_html(f)
        for f in (figure_distractors(d.item) for d in analysis.debrief[:DISTRACTOR_FIGURES])
        if f
    ]
    return str(
        render(
            "class_report.html.j2",
            title=title,
            css=Markup(CSS),
            merged=merged,
            summary=summary_line(merged, analysis),
            criteria=debrief_criteria(pp),
            debrief_intro=debrief_intro(analysis),
            debrief_table=debrief_table(analysis),
            key_check_table=key_check_table(analysis),
            distractor_figures=distractors,
            participation_figure=_figure_html(figure_participation(analysis)),
            participation_table=participation_table(analysis),
            objectives_figure=_figure_html(figure_objectives(analysis)),
            objectives_table=objectives_table(analysis),
            items_figure=_figure_html(figure_items(analysis)),
            items_table=items_table(analysis),
            gains_figure=_figure_html(figure_gains(analysis)),
            gains_table=gains_table(analysis) if analysis.gains else None,
            pre_banks=", ".join(pp.pre_banks),
            post_banks=", ".join(pp.post_banks),
            distractor_tables=distractor_tables(analysis),
            files_section=files_section(merged),
        )
    )
