"""The case player: one synthetic patient, stage by stage, with the quiz engine's question views.

Each stage shows its findings and image, then a :class:`fluorohip.quiz.widgets.QuestionView`
(the same controls, grading, feedback and workshop release as every quiz). The next stage
appears once the current one is answered. Case answers are practice: they are not written to
the progress store, so the review session and completion summary count quiz banks only.
The ``repr`` depends on the case alone (nbval-stable).
"""

from __future__ import annotations

import base64
import html

import ipywidgets as W

from ..widget_text import FullTextRepr
from ..quiz.model import Bank, Objective
from ..quiz.render import citation_keys, markdown_html, sources_html
from ..quiz.widgets import QuestionView
from .images import image_png
from .loader import load_case, load_cases
from .model import Case, Stage

_FULL = W.Layout(width="100%", max_width="900px")
BANK_LABEL = "07_cases"  # workshop release name for the cases (release_answers("07_cases"))


def _no_save(bank, question, grade):
    return None


def stage_image_html(stage: Stage) -> str:
    if stage.image is None:
        return ""
    png, alt = image_png(stage.image)
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure style="margin:6px 0"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%;height:auto;border:1px solid #767676"/>'
            f"<figcaption><i>{html.escape(alt)}</i></figcaption></figure>")


class CasePlayer(FullTextRepr, W.VBox):
    """A whole case; stage ``n + 1`` appears when stage ``n`` has been checked or its answer shown."""

    def __init__(self, case: Case):
        self.case = case
        self.bank = Bank(bank=BANK_LABEL, title="Integrated cases", version=case.version,
                         objectives=tuple(Objective(o, o) for o in case.objectives), questions=())
        head = [W.HTML(f"<h3>{html.escape(case.title)}</h3>"),
                W.HTML(f"<p><b>{html.escape(case.patient)}.</b></p>{markdown_html(case.presentation)}", layout=_FULL)]
        self.stage_boxes: list[W.VBox] = []
        self.views: list[QuestionView] = []
        self.reveals: list[W.HTML] = []
        n = len(case.stages)
        for i, stage in enumerate(case.stages):
            view = QuestionView(self.bank, stage.question, f"Stage {i + 1} of {n} · {stage.title}", _no_save,
                                self._stage_done, boxed=False)
            reveal = W.HTML(value="", layout=_FULL)
            parts = [W.HTML(markdown_html(stage.findings), layout=_FULL)]
            if stage.image is not None:
                parts.append(W.HTML(value="", layout=_FULL))  # filled when the stage opens
            box = W.VBox([*parts, view, reveal], layout=W.Layout(width="100%", max_width="900px",
                                                                  border="1px solid #bbbbbb", padding="6px 10px",
                                                                  margin="0 0 8px 0"))
            box.layout.display = "none"
            self.stage_boxes.append(box)
            self.views.append(view)
            self.reveals.append(reveal)
        self.summary = W.HTML(value="", layout=_FULL)
        super().__init__([*head, *self.stage_boxes, self.summary], layout=W.Layout(width="100%", max_width="940px"))
        self._open(0)

    def _open(self, i: int) -> None:
        box = self.stage_boxes[i]
        stage = self.case.stages[i]
        if stage.image is not None and not box.children[1].value:
            box.children[1].value = stage_image_html(stage)
        box.layout.display = None

    def _stage_done(self, view: QuestionView) -> None:
        i = self.views.index(view)
        stage = self.case.stages[i]
        if stage.reveal:
            self.reveals[i].value = ('<div style="background:#f3f3f3;padding:6px 10px"><b>What happens next.</b> '
                                     f"{markdown_html(stage.reveal)}</div>")
        if i + 1 < len(self.views):
            self._open(i + 1)
        else:
            right = sum(1 for v in self.views if v.grade is not None and v.grade.correct)
            keys = citation_keys([self.case.explanation], self.case.citations)
            self.summary.value = (f"<div><b>Case complete: {right} of {len(self.views)} stages right first time.</b> "
                                  f"{markdown_html(self.case.explanation)}</div>{sources_html(keys)}")

    @property
    def done(self) -> bool:
        return all(v.done for v in self.views)

    def __repr__(self) -> str:
        return f"Case {self.case.id}: {len(self.case.stages)} stages ({', '.join(self.case.kinds)})"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


class CaseMenu(FullTextRepr, W.VBox):
    """Pick a case from a dropdown; the player below changes with it."""

    def __init__(self, cases: list[Case]):
        self.cases = cases
        self.picker = W.Dropdown(options=[(f"{n}. {c.title}", c.id) for n, c in enumerate(cases, start=1)],
                                 value=cases[0].id, description="Case", layout=W.Layout(width="100%", max_width="700px"))
        self.holder = W.VBox([CasePlayer(cases[0])])
        self.picker.observe(self._pick, names="value")
        super().__init__([self.picker, self.holder])

    def _pick(self, change) -> None:
        case = next(c for c in self.cases if c.id == change["new"])
        self.holder.children = [CasePlayer(case)]

    def __repr__(self) -> str:
        return f"Cases: {len(self.cases)} synthetic patients, one at a time"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def show_case(case_id: str) -> CasePlayer:
    return CasePlayer(load_case(case_id))


def show_cases(ids: list[str] | None = None) -> CaseMenu:
    return CaseMenu(load_cases(ids))
