"""The case player: one synthetic patient, stage by stage, with the quiz engine's question views.

Each stage shows its findings and image, then a :class:`fluorohip.quiz.views.QuestionView`
(the same controls, grading, feedback and workshop release as every quiz). The next stage
appears once the current one is answered. Every checked stage is saved to the progress store
under the bank ``07_cases`` (see :mod:`fluorohip.cases.bank`), so the learner's summary and the
instructor's class report count case answers like quiz answers.
The ``repr`` depends on the case alone (nbval-stable).
"""

from __future__ import annotations

import base64
import html

import ipywidgets as W

from ..quiz import release as workshop
from ..quiz.keyboard import keyboard_support
from ..quiz.model import Bank
from ..quiz.render import citation_keys, markdown_html, sources_html
from ..quiz.views import QuestionView, save_grade
from ..ui.text import FullTextRepr
from .bank import CASES_BANK, CASES_TITLE, case_question
from .images import image_png
from .loader import load_case, load_cases
from .model import Case, Stage

_FULL = W.Layout(width="100%", max_width="900px")


def stage_image_html(stage: Stage) -> str:
    if stage.image is None:
        return ""
    png, alt = image_png(stage.image)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure style="margin:6px 0"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;height:auto;border:1px solid #767676"/>'
        f"<figcaption><i>{html.escape(alt)}</i></figcaption></figure>"
    )


class CasePlayer(FullTextRepr, W.VBox):
    """A whole case; stage ``n + 1`` appears when stage ``n`` has been checked or its answer shown."""

    def __init__(self, case: Case, *, store=None, bank_version: str | None = None):
        self.case = case
        self._store = store
        self.save_notices: list[str] = []
        # Only this case's item; the version is the whole case set's, so records match the catalog's bank.
        self.bank = Bank(
            bank=CASES_BANK,
            title=CASES_TITLE,
            version=bank_version or _all_cases_version(),
            objectives=(),
            questions=(case_question(case),),
        )
        head = [
            W.HTML(f"<h3>{html.escape(case.title)}</h3>"),
            W.HTML(
                f"<p><b>{html.escape(case.patient)}.</b></p>{markdown_html(case.presentation)}",
                layout=_FULL,
            ),
        ]
        self.stage_boxes: list[W.VBox] = []
        self.views: list[QuestionView] = []
        self.reveals: list[W.HTML] = []
        n = len(case.stages)
        for i, stage in enumerate(case.stages):
            view = QuestionView(
                self.bank,
                stage.question,
                f"Stage {i + 1} of {n} · {stage.title}",
                self._record,
                self._stage_done,
                boxed=False,
            )
            reveal = W.HTML(value="", layout=_FULL)
            parts = [W.HTML(markdown_html(stage.findings), layout=_FULL)]
            if stage.image is not None:
                parts.append(W.HTML(value="", layout=_FULL))  # filled when the stage opens
            box = W.VBox(
                [*parts, view, reveal],
                layout=W.Layout(
                    width="100%",
                    max_width="900px",
                    border="1px solid #bbbbbb",
                    padding="6px 10px",
                    margin="0 0 8px 0",
                ),
            )
            box.layout.display = "none"
            self.stage_boxes.append(box)
            self.views.append(view)
            self.reveals.append(reveal)
        self.summary = W.HTML(value="", layout=_FULL)
        super().__init__(
            [*head, *self.stage_boxes, self.summary, keyboard_support()],
            layout=W.Layout(width="100%", max_width="940px"),
        )
        self._open(0)
        workshop.register(self)

    @property
    def store(self):
        if self._store is None:
            from ..progress.store import ProgressStore

            self._store = ProgressStore()
        return self._store

    def _record(self, bank: Bank, q, g) -> str | None:
        note, notices = save_grade(self.store, bank, q, g)
        self.save_notices.extend(notices)
        return note

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
            self.reveals[i].value = (
                '<div style="background:#f3f3f3;padding:6px 10px"><b>What happens next.</b> '
                f"{markdown_html(stage.reveal)}</div>"
            )
        if i + 1 < len(self.views):
            self._open(i + 1)
        else:
            self._show_summary()

    @property
    def right_first_time(self) -> int:
        """Stages whose first checked answer was right (a stage whose answer was shown first is not)."""
        return sum(1 for v in self.views if v.first_grade is not None and v.first_grade.correct)

    def _show_summary(self) -> None:
        head = f"<b>Case complete: {self.right_first_time} of {len(self.views)} stages right first time.</b> "
        if not workshop.answers_released(self.bank.bank):
            # The explanation gives the answers away: in a workshop it waits for the release of 07_cases.
            self.summary.value = (
                f"<div>{head}<i>The case summary and its sources appear when your instructor "
                f"releases the answers; then press See feedback on any stage.</i></div>"
            )
            return
        keys = citation_keys([self.case.explanation], self.case.citations)
        self.summary.value = (
            f"<div>{head}{markdown_html(self.case.explanation)}</div>{sources_html(keys)}"
        )

    def refresh_release(self) -> None:
        """Called by :mod:`fluorohip.quiz.release` on a release, and by See feedback on the last stage."""
        if self.summary.value and self.views[-1].done:
            self._show_summary()

    @property
    def done(self) -> bool:
        return all(v.done for v in self.views)

    def __repr__(self) -> str:
        return f"Case {self.case.id}: {len(self.case.stages)} stages ({', '.join(self.case.kinds)})"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


class CaseMenu(FullTextRepr, W.VBox):
    """Pick a case from a dropdown; the player below changes with it."""

    def __init__(self, cases: list[Case], *, store=None):
        self.cases = cases
        self._store = store
        self._version = _all_cases_version()
        self.picker = W.Dropdown(
            options=[(f"{n}. {c.title}", c.id) for n, c in enumerate(cases, start=1)],
            value=cases[0].id,
            description="Case",
            layout=W.Layout(width="100%", max_width="700px"),
        )
        self.holder = W.VBox([CasePlayer(cases[0], store=store, bank_version=self._version)])
        self.picker.observe(self._pick, names="value")
        super().__init__([self.picker, self.holder])

    def _pick(self, change) -> None:
        case = next(c for c in self.cases if c.id == change["new"])
        self.holder.children = [CasePlayer(case, store=self._store, bank_version=self._version)]

    def __repr__(self) -> str:
        return f"Cases: {len(self.cases)} synthetic patients, one at a time"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def _all_cases_version() -> str:
    from .bank import cases_bank

    return cases_bank().version


def show_case(case_id: str, *, store=None) -> CasePlayer:
    """One case, its answers saved to ``store`` (default: the learner's progress store)."""
    return CasePlayer(load_case(case_id), store=store)


def show_cases(ids: list[str] | None = None, *, store=None) -> CaseMenu:
    """A menu of the cases (default: all), answers saved to ``store``."""
    return CaseMenu(load_cases(ids), store=store)
