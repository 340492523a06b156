"""The learner's progress views (the dashboard widget): per notebook, answered, correct and objectives met.

Its ``repr`` (what a stored notebook shows and nbval compares) is fixed text; the table
itself is filled from the store when the widget is made and on "Refresh".
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as W

from ..ui.text import FullTextRepr
from .store import ProgressStore, ProgressStoreError
from .summary import BankProgress, course_banks


def dashboard_html(summary: list[BankProgress], notices: Sequence[str] = ()) -> str:
    rows = []
    for b in summary:
        total = f" of {b.total}" if b.total is not None else ""
        met = [o for o in b.objectives if o.met]
        not_met = [o for o in b.objectives if not o.met]
        title = html.escape(b.title or "")
        detail = ""
        if b.objectives:
            detail = (
                "<br><small>"
                + "; ".join(
                    f"{'✓ met' if o.met else '○ not yet'} {html.escape(o.id)}" for o in b.objectives
                )
                + "</small>"
            )
        rows.append(
            f"<tr><td><b>{html.escape(b.bank)}</b><br><small>{title}</small></td>"
            f"<td>{b.answered}{total}</td><td>{b.correct}{total}</td>"
            f"<td>{len(met)} of {len(met) + len(not_met)}{detail}</td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="4">No quizzes found yet.</td></tr>')
    warn = "".join(f'<p role="alert"><b>⚠</b> {html.escape(n)}</p>' for n in notices)
    return (
        warn + '<table style="border-collapse:collapse;width:100%" border="1" cellpadding="6">'
        '<caption style="text-align:left">Your progress per notebook (questions answered, answered '
        "correctly the last time, learning objectives met)</caption>"
        '<thead><tr><th scope="col">Notebook</th><th scope="col">Answered</th>'
        '<th scope="col">Correct</th><th scope="col">Objectives met</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class Dashboard(FullTextRepr, W.VBox):
    def __init__(self, store: ProgressStore | None = None):
        self._store = store
        self.table = W.HTML(value="", layout=W.Layout(width="100%", max_width="900px"))
        self.refresh_button = W.Button(
            description="Refresh", icon="refresh", tooltip="Read your progress again"
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        super().__init__([W.HTML("<h3>Your progress</h3>"), self.table, self.refresh_button])
        self.refresh()

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            self._store = ProgressStore()
        return self._store

    def refresh(self) -> None:
        try:
            summary = self.store.summary(course_banks())
            self.table.value = dashboard_html(summary, self.store.notices)
        except ProgressStoreError as exc:
            self.table.value = f'<p role="alert"><b>⚠</b> {html.escape(str(exc))}</p>'

    def __repr__(self) -> str:
        return "Progress dashboard: per notebook, questions answered, correct and objectives met"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def show_dashboard(store: ProgressStore | None = None) -> Dashboard:
    """The learner's progress per notebook, as a widget (run the cell again, or Refresh, to update)."""
    return Dashboard(store)
