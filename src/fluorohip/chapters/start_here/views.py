"""Widgets for notebook 00: the "do widgets work here?" check.

A learner who sees a slider that moves a line of text knows the widget front end works before
any chapter relies on it; a learner who sees the text repr instead is told to re-run the cell.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from fluorohip.ui.text import FullTextRepr


class WidgetCheck(FullTextRepr, widgets.VBox):
    """A slider wired to a line of text. If a learner sees a slider that updates the text,
    the widget front end works; if they see this class's repr instead, it does not."""

    def __init__(self) -> None:
        self.slider = widgets.IntSlider(
            value=5, min=0, max=10, description="Try me:", continuous_update=True
        )
        self.echo = widgets.HTML(value=self._message(5))
        self.slider.observe(self._on_change, names="value")
        super().__init__([self.slider, self.echo])

    @staticmethod
    def _message(value: int) -> str:
        return f"The slider is at <strong>{value}</strong>. Widgets work: move it and this line follows."

    def _on_change(self, change: dict[str, Any]) -> None:
        self.echo.value = self._message(change["new"])

    def __repr__(self) -> str:
        return "Widget check: a slider (0-10) and a line that follows it. If you can read this text instead, re-run the cell."


def widget_check() -> WidgetCheck:
    """A fresh widget check for the start notebook."""
    return WidgetCheck()
