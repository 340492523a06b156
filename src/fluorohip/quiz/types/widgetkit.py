"""The ipywidgets pieces the question types' controls share: a layout and a chooser.

Imported only when controls are built (by :meth:`QuestionType.controls`), so reading and
grading banks never loads ipywidgets.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

#: The "nothing chosen yet" entry of every dropdown; its value ``None`` grades as unanswered.
CHOOSE = ("— choose —", None)


#: Widths in percent so a 1024 px screen fits; capped so lines stay readable. One shared layout.
FULL = W.Layout(width="100%", max_width="900px")


def chooser(choices: list[tuple[str, Any]], description: str, layout: Any) -> Any:
    """A dropdown that starts on "— choose —", for one ordering slot or one figure marker."""
    return W.Dropdown(
        options=[CHOOSE, *choices], value=None, description=description, layout=layout
    )
