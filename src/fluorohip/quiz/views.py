"""The quiz views: plain ipywidgets over the model, grading and the progress store.

A question's own controls (radio buttons, checkboxes, a number box, dropdowns) are built by its
type (:mod:`fluorohip.quiz.types`); this module lays out the stem, figure, buttons and feedback
around them, runs unfolding cases stage by stage, keeps the score and saves each answer.

Rules that keep stored notebooks deterministic under strict nbval: nothing is printed or
written into an ``Output`` while a cell runs (all text lives in ``HTML`` widgets whose
``value`` changes in callbacks), and composite widgets have a ``__repr__`` that depends only
on the bank and on clicks made in this session, never on the learner's stored progress.

Accessibility: standard controls, each option's whole text as its own label, text ✓/✗ with
the words "Correct" / "Not quite" (colour only doubles them), widths in percent so 1024 px
fits; :mod:`fluorohip.quiz.keyboard` adds arrow keys inside a question, Enter to check, focus
on the feedback after Check and a visible focus ring. Single and multiple options are shown
in a per-learner fixed order (:mod:`fluorohip.quiz.order`); responses are option ids.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W

from ..core.paths import assets_dir
from ..ui.palette import FEEDBACK_TEXT
from ..ui.text import FullTextRepr
from . import release
from .grading import Grade, answer_markdown, correct_response, grade
from .keyboard import keyboard_support
from .loader import load_bank
from .model import Bank, Question, type_counts
from .render import citation_keys, figure_html, markdown_html, sources_html
from .types import Controls, type_of
from .types.widgetkit import FULL

_BOX = W.Layout(
    width="100%",
    max_width="900px",
    border="1px solid #bbbbbb",
    padding="8px 12px",
    margin="0 0 12px 0",
)


def _status_html(kind: str, text: str) -> str:
    colours = FEEDBACK_TEXT
    marks = {"correct": "✓ Correct.", "incorrect": "✗ Not quite.", "invalid": "ℹ", "info": "ℹ"}
    return (
        f'<div class="fluorohip-{kind}" role="status" style="border-left:4px solid {colours[kind]};padding-left:8px">'
        f"<b>{marks[kind]}</b> {text}</div>"
    )


Recorder = Callable[[Bank, Question, Grade], "str | None"]


def answer_controls(q: Question, bank: str = "") -> Controls:
    """The input part of one question (its type builds the widgets): ``widgets``, ``intro``,
    ``response()``, ``set_response()``, ``set_disabled()``."""
    return type_of(q).controls(q, bank)


class QuestionView(FullTextRepr, W.VBox):
    """One question (or one case stage): stem, figure, controls, Check / Try again / Show answer."""

    def __init__(
        self,
        bank: Bank,
        q: Question,
        heading: str,
        recorder: Recorder,
        on_done: Callable[[QuestionView], None] | None = None,
        *,
        assets_root: Path | None = None,
        boxed: bool = True,
    ):
        self.bank, self.q, self.heading = bank, q, heading
        self.recorder, self.on_done = recorder, on_done
        self.grade: Grade | None = None
        self.first_grade: Grade | None = (
            None  # the first graded answer: "right first time" counts this
        )
        self.shown_answer = False
        self.controls = answer_controls(q, bank.bank)
        parts: list[W.Widget] = [W.HTML(f"<b>{html.escape(heading)}</b>")]
        parts.append(W.HTML(markdown_html(q.stem), layout=FULL))
        if q.figure:
            parts.append(
                W.HTML(figure_html(assets_root or assets_dir(), q.figure, q.alt or ""), layout=FULL)
            )
        if self.controls.intro:
            parts.append(W.HTML(self.controls.intro, layout=FULL))
        parts.extend(self.controls.widgets)
        self.check_button = W.Button(
            description="Check",
            button_style="primary",
            icon="check",
            tooltip="Grade your answer and save it to your progress",
        )
        self.retry_button = W.Button(
            description="Try again",
            icon="redo",
            tooltip="Change your answer",
            layout=W.Layout(display="none"),
        )
        self.show_button = W.Button(
            description="Show answer", icon="eye", tooltip="Show the right answer"
        )
        # Workshop mode: a release made elsewhere (the instructor's CLI or notebook) reaches an
        # answered question when the learner asks for it, without a new attempt.
        self.feedback_button = W.Button(
            description="See feedback",
            icon="unlock",
            tooltip="Once your instructor has released the answers, show the feedback on your answer",
            layout=W.Layout(display="none"),
        )
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.try_again())
        self.show_button.on_click(lambda _: self.show_answer())
        self.feedback_button.on_click(lambda _: self.see_feedback())
        self.feedback = W.HTML(value="", layout=FULL)
        parts.append(
            W.HBox([self.check_button, self.retry_button, self.show_button, self.feedback_button])
        )
        parts.append(self.feedback)
        super().__init__(parts, layout=_BOX if boxed else W.Layout(width="100%"))
        # Stable CSS hooks for the real-browser tests and for instructors' custom styles.
        self.add_class("fluorohip-question")
        self.check_button.add_class("fluorohip-check")
        self.feedback.add_class("fluorohip-feedback")
        self.retry_button.add_class("fluorohip-retry")
        self.show_button.add_class("fluorohip-show")
        self.feedback_button.add_class("fluorohip-see-feedback")
        self._apply_release()
        release.register(self)

    def __repr__(self) -> str:
        return f"Question {self.q.key} ({self.q.type})"

    # -- state ----------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self.shown_answer or (self.grade is not None and self.grade.counts)

    @property
    def released(self) -> bool:
        return release.answers_released(self.bank.bank)

    def _apply_release(self) -> None:
        released = self.released
        self.show_button.layout.display = None if released else "none"
        answered = self.grade is not None and self.grade.counts and not self.shown_answer
        self.feedback_button.layout.display = None if (answered and not released) else "none"

    def refresh_release(self) -> None:
        self._apply_release()
        if self.grade is not None and self.grade.counts and not self.shown_answer:
            self._render(self.grade, self._saved_note)

    def see_feedback(self) -> bool:
        """Show the feedback on the answer already checked, if the instructor has released it.

        Re-reads the release flag (a release from another kernel or the CLI); records nothing.
        """
        if self.grade is None or not self.grade.counts:
            return False
        if not self.released:
            self._render(self.grade, self._saved_note, waiting=True)
            return False
        release.refresh_views()  # every open question and case summary of this kernel, not only this one
        self.refresh_release()
        return True

    # -- actions --------------------------------------------------------------------------
    def check(self) -> Grade:
        g = grade(self.q, self.controls.response())
        self._apply_release()
        if not g.counts:
            self.feedback.value = _status_html("invalid", html.escape(g.hint or ""))
            return g
        self.grade = g
        if self.first_grade is None and not self.shown_answer:
            self.first_grade = g
        self._saved_note = self.recorder(self.bank, self.q, g)
        self.controls.set_disabled(True)
        self.check_button.disabled = True
        self.retry_button.layout.display = None
        self._apply_release()
        self._render(g, self._saved_note)
        if self.on_done:
            self.on_done(self)
        return g

    _saved_note: str | None = None

    def try_again(self) -> None:
        self.controls.set_disabled(False)
        self.check_button.disabled = False
        self.retry_button.layout.display = "none"
        self.feedback_button.layout.display = "none"
        self.feedback.value = _status_html("info", "Change your answer, then press Check.")

    def show_answer(self) -> None:
        if not self.released:
            self.feedback.value = _status_html(
                "info", "Answers are released by your instructor in this workshop."
            )
            return
        self.shown_answer = True
        self.feedback_button.layout.display = "none"
        self.controls.set_response(correct_response(self.q))
        self.controls.set_disabled(True)
        self.check_button.disabled = True
        self.retry_button.layout.display = None
        self.feedback.value = (
            f'<div role="status">{markdown_html(answer_markdown(self.q))}'
            f"{self._explanation_html()}</div>"
        )
        if self.on_done:
            self.on_done(self)

    # -- rendering -------------------------------------------------------------------------
    def _explanation_html(self) -> str:
        q = self.q
        texts = [q.stem, q.explanation, *type_of(q).feedback_texts(q)]
        keys = citation_keys(texts, q.citations)
        return f"<div><b>Explanation.</b> {markdown_html(q.explanation)}</div>{sources_html(keys)}"

    def _render(self, g: Grade, saved_note: str | None, *, waiting: bool = False) -> None:
        score = ""
        if not g.correct and g.score and type_of(self.q).partial_credit:
            score = f" {round(g.score * 100)}% of your choices were right."
        head = _status_html(
            g.status, ("Well done." if g.correct else "Press Try again to have another go.") + score
        )
        note = f"<p><i>{html.escape(saved_note)}</i></p>" if saved_note else ""
        if not self.released:
            body = (
                "<p><i>In this workshop, feedback and explanations appear when your instructor releases them; "
                "then press See feedback.</i></p>"
            )
            if waiting:
                body += "<p><b>Not released yet.</b> Your answer is saved; try again after the discussion.</p>"
            self.feedback.value = head + body + note
            return
        items = "".join(f"<li>{markdown_html(text, inline=True)}</li>" for text in g.feedback)
        self.feedback.value = f"{head}<ul>{items}</ul>{self._explanation_html()}{note}"


class CaseView(FullTextRepr, W.VBox):
    """An unfolding case: the opening, then each stage appears after the previous one is done."""

    def __init__(
        self,
        bank: Bank,
        q: Question,
        heading: str,
        recorder: Recorder,
        on_done: Callable[[CaseView], None] | None = None,
        *,
        assets_root: Path | None = None,
    ):
        self.bank, self.q, self.on_done = bank, q, on_done
        parts: list[W.Widget] = [
            W.HTML(f"<b>{html.escape(heading)}</b>"),
            W.HTML(markdown_html(q.stem), layout=FULL),
        ]
        if q.figure:
            parts.append(
                W.HTML(figure_html(assets_root or assets_dir(), q.figure, q.alt or ""), layout=FULL)
            )
        self.stage_views: list[QuestionView] = []
        self.reveals: list[W.HTML] = []
        stages = q.parts()
        n = len(stages)
        for i, stage in enumerate(stages):
            view = QuestionView(
                bank,
                stage,
                f"Stage {i + 1} of {n}",
                recorder,
                self._stage_done,
                assets_root=assets_root,
                boxed=False,
            )
            view.layout.display = None if i == 0 else "none"
            reveal = W.HTML(value="", layout=FULL)
            self.stage_views.append(view)
            self.reveals.append(reveal)
            parts += [view, reveal]
        self.summary = W.HTML(value="", layout=FULL)
        parts.append(self.summary)
        super().__init__(parts, layout=_BOX)
        self.add_class("fluorohip-case")

    def __repr__(self) -> str:
        return f"Case {self.q.key} ({len(self.q.parts())} stages)"

    @property
    def done(self) -> bool:
        return all(v.done for v in self.stage_views)

    @property
    def grade(self) -> Grade | None:
        grades = [v.grade for v in self.stage_views if v.grade is not None]
        if len(grades) < len(self.stage_views):
            return None
        return Grade("correct" if all(g.correct for g in grades) else "incorrect")

    def _stage_done(self, view: QuestionView) -> None:
        i = self.stage_views.index(view)
        if view.q.reveal:
            self.reveals[i].value = (
                f'<div style="background:#f3f3f3;padding:6px 10px"><b>What happens next.</b> '
                f"{markdown_html(view.q.reveal)}</div>"
            )
        if i + 1 < len(self.stage_views):
            self.stage_views[i + 1].layout.display = None
        elif release.answers_released(self.bank.bank):
            self.summary.value = (
                f"<div><b>Case summary.</b> {markdown_html(self.q.explanation)}</div>"
                + sources_html(citation_keys([self.q.stem, self.q.explanation], self.q.citations))
            )
        if self.on_done:
            self.on_done(self)


class QuizWidget(FullTextRepr, W.VBox):
    """A list of questions with a running score; the thing a notebook cell displays."""

    def __init__(
        self,
        entries: list[tuple[Bank, Question]],
        *,
        title: str,
        label: str,
        store=None,
        assets_root: Path | None = None,
        intro: str = "",
        fixed_repr: str | None = None,
    ):
        self.entries = entries
        self.fixed_repr = fixed_repr
        self.label = label
        self._store = store
        self._answered: set[str] = set()
        self.save_notices: list[str] = []
        header = [W.HTML(f"<h3>{html.escape(title)}</h3>")]
        if intro:
            header.append(W.HTML(intro, layout=FULL))
        if release.workshop_mode():
            header.append(
                W.HTML(
                    "<p><i>Workshop mode: explanations and answers appear when your instructor "
                    "releases them.</i></p>"
                )
            )
        self.views: list[W.Widget] = []
        total = len(entries)
        for n, (bank, q) in enumerate(entries, start=1):
            heading = f"Question {n} of {total} · {q.type_name}" + (
                f" · {q.difficulty}" if q.difficulty else ""
            )
            if type_of(q).has_stages:
                view = CaseView(
                    bank, q, heading, self._record, self._view_done, assets_root=assets_root
                )
            else:
                view = QuestionView(
                    bank, q, heading, self._record, self._view_done, assets_root=assets_root
                )
            self.views.append(view)
        self.score = W.HTML(value=self._score_text(), layout=FULL)
        super().__init__(
            [*header, *self.views, self.score, keyboard_support()],
            layout=W.Layout(width="100%", max_width="940px"),
        )
        self.add_class("fluorohip-quiz")

    def _questions(self) -> list[Question]:
        return [q for _, q in self.entries]

    def __repr__(self) -> str:
        if self.fixed_repr:
            return self.fixed_repr
        qs = self._questions()
        return f"{self.label}: {len(qs)} questions ({type_counts(qs)}); answered {len(self._answered)}/{len(qs)}"

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's text/plain, same as repr
        printer.text(repr(self))

    # -- progress --------------------------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            from ..progress.store import ProgressStore

            self._store = ProgressStore()
        return self._store

    def _record(self, bank: Bank, q: Question, g: Grade) -> str | None:
        note, notices = save_grade(self.store, bank, q, g)
        self.save_notices.extend(notices)
        return note

    def _view_done(self, view) -> None:
        if view.done:
            self._answered.add(view.q.key)
        self.score.value = self._score_text()

    def _score_text(self) -> str:
        correct = sum(1 for v in self.views if v.grade is not None and v.grade.correct)
        total = len(self.views)
        return (
            f'<p role="status"><b>Score: {correct} of {total} correct</b> '
            f"({len(self._answered)} of {total} answered in this session).</p>"
        )


def save_grade(store, bank: Bank, q: Question, g: Grade) -> tuple[str | None, list[str]]:
    """Write one graded answer to ``store``: ``(note to show under the feedback, notices)``.

    The answer is graded whatever happens here; a store that cannot be written is reported in
    the note (and the notices) instead of raising, so the learner keeps working.
    """
    from ..progress.store import ProgressStoreError

    try:
        before = len(store.notices)
        store.record(
            bank.bank,
            q.key,
            g.answer,
            g.correct,
            bank_version=bank.version,
            objective=bank.objective_of(q.key),
        )
        notices = list(store.notices[before:])
    except (ProgressStoreError, OSError, ValueError) as exc:
        return f"⚠ Graded, but not saved: {exc}", [str(exc)]
    if notices:
        return "⚠ " + " ".join(notices), notices
    return None, []


def show_quiz(bank: str, ids: list[str] | None = None, *, store=None) -> QuizWidget:
    """The quiz of one notebook (or the questions ``ids``, in that order), ready to display.

    Raises :class:`~fluorohip.quiz.loader.BankError` (listing every problem) for a bank that
    does not validate, and for ids the bank does not have.
    """
    from .loader import BankError

    model = load_bank(bank)
    try:
        questions = model.select(ids)
    except KeyError as exc:
        raise BankError(str(exc.args[0]), []) from None
    return QuizWidget(
        [(model, q) for q in questions], title=model.title, label=f"Quiz {model.bank}", store=store
    )
