"""The instructor's live class report on the workshop hub.

The hub links every learner's progress store into the submissions folder
(``$FLUOROHIP_SUBMISSIONS`` in the instructor's server), so this report is current to the last
acknowledged answer. It uses the instructor toolkit (``fluorohip class-report``) unchanged,
with one hub rule: the file *is* the owner (``<learner>.jsonl`` links to that learner's store), so
an attempt whose ``learner`` field names someone else counts for the owner and is marked.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from ..cli.base import write_text_atomic


def submissions_dir(folder: str | Path | None = None) -> Path:
    if folder is not None:
        return Path(folder)
    env = os.environ.get("FLUOROHIP_SUBMISSIONS")
    if not env:
        raise RuntimeError(
            "FLUOROHIP_SUBMISSIONS is not set: this runs in the instructor's server on the "
            "workshop hub, or pass the submissions folder explicitly"
        )
    return Path(env)


def answers_by_learner(folder: str | Path | None = None) -> dict[str, int]:
    """Attempts per learner as the class report counts them (after its de-duplication)."""
    from ..instructor.merge import merge_folder

    merged = merge_folder(submissions_dir(folder), owners="names")
    counts: dict[str, int] = {}
    for r in merged.records:
        counts[r.learner] = counts.get(r.learner, 0) + 1
    return counts


def write_report(
    folder: str | Path | None = None,
    out: str | Path = "class-report.html",
    title: str = "fluorohip class report (live)",
) -> tuple[Path, str]:
    """Build the class report from the submissions folder; returns (html file, one-line summary)."""
    from ..instructor.class_report import render_report, summary_line
    from ..instructor.class_results import build

    merged, analysis = build(submissions_dir(folder), owners="names")
    out = write_text_atomic(out, render_report(merged, analysis, title))
    return out, summary_line(merged, analysis)


def live_report(
    folder: str | Path | None = None, out: str | Path = "class-report.html", height: int = 900
):
    """Display the current class report in the instructor's notebook (sandboxed frame) and save it."""
    from IPython.display import HTML

    path, summary = write_report(folder, out)
    doc = html.escape(path.read_text(encoding="utf-8"), quote=True)
    return HTML(
        f"<p><b>{html.escape(summary)}</b> Saved as <code>{html.escape(str(path))}</code>.</p>"
        f'<iframe title="Class report" srcdoc="{doc}" style="width:100%;height:{height}px;border:1px solid #ccc">'
        "</iframe>"
    )
