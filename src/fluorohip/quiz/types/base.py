"""What every question type provides, and the grade it returns.

A question type (one module in this package per type, like jupyterquiz's one file per type)
owns its question end to end: reading it from bank data, the validation rules a schema cannot
express, grading a response, the correct response, the answer written out, the answer key's
listing and the controls a learner answers with. Everything else in the quiz engine asks the
registry (:func:`fluorohip.quiz.types.type_of`) instead of testing which class a question is.

This module and the type modules import no widgets at import time: ``fluorohip validate``
and the instructor tools load them without ipywidgets; a type's controls import it when built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from ..checks import ProblemSink
from ..model import TYPE_NAMES, Question

if TYPE_CHECKING:  # numpy loads only where random responses are drawn
    from numpy.random import Generator

Q = TypeVar("Q", bound=Question)

#: Renders one bank text (Markdown with citations) as safe HTML; ``inline`` drops the <p>.
MarkdownRenderer = Callable[..., str]
#: Builds the model of one question of any type from bank data and its progress key.
QuestionReader = Callable[[Mapping[str, Any], str], Question]


@dataclass(frozen=True)
class Grade:
    """The verdict on one response: what the views show and the progress store records."""

    status: str  # "correct" | "incorrect" | "invalid"
    feedback: tuple[str, ...] = ()  # Markdown, one entry per choice made (or missed)
    hint: str | None = None  # for "invalid": what to do before checking
    score: float = 0.0  # fraction right (partial credit is shown, never stored as correct)
    answer: Any = None  # JSON-able record of the response, for the progress store
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def counts(self) -> bool:
        """Whether this is an attempt worth saving (the learner really answered)."""
        return self.status != "invalid"


def invalid(hint: str) -> Grade:
    """Not an attempt: the response cannot be graded yet, and ``hint`` says what to do."""
    return Grade("invalid", hint=hint)


def verdict(correct: bool) -> str:
    return "correct" if correct else "incorrect"


class Controls(Protocol):
    """The input part of one question in a notebook: its widgets and its response.

    ``widgets`` go under the stem; ``intro`` is HTML shown above them (an ordering question's
    list of steps), or "". A response is what :meth:`QuestionType.grade` takes.
    """

    widgets: list[Any]
    intro: str

    def response(self) -> Any: ...

    def set_response(self, value: Any) -> None: ...

    def set_disabled(self, disabled: bool) -> None: ...


class QuestionType(Generic[Q]):
    """One question type. Subclasses set the class variables and override what applies."""

    #: The ``type:`` value in a bank.
    name: ClassVar[str]
    #: The model class this type builds (a frozen dataclass of :mod:`fluorohip.quiz.model`).
    question_class: ClassVar[type[Question]]
    #: Whether a wrong answer can be partly right (the view then says "60% of your choices").
    partial_credit: ClassVar[bool] = False
    #: Exactly one option is keyed (single best answer): the item-writing position checks apply.
    one_key: ClassVar[bool] = False
    #: A case holds stages and is not answered itself; every other type is answered directly.
    has_stages: ClassVar[bool] = False

    @property
    def title(self) -> str:
        """Shown in headings: "single best answer", "label the figure" ..."""
        return TYPE_NAMES[self.name]

    # -- bank data -------------------------------------------------------------------------
    def from_data(
        self,
        data: Mapping[str, Any],
        common: dict[str, Any],
        key: str,
        read: QuestionReader,
    ) -> Q:
        """The model of one validated question; ``common`` holds the fields every type has,
        ``read`` builds a nested question (a case's stage) of any type."""
        raise NotImplementedError

    def check_answer(
        self, data: Mapping[str, Any], base: tuple[Any, ...], rep: ProblemSink
    ) -> None:
        """Report what a schema cannot: an answer naming a choice that does not exist."""

    def keyed_option_ids(self, data: Mapping[str, Any]) -> set[str] | None:
        """For types answered by picking options (the item-writing checks): the keyed ids.
        ``None`` for types without an ``options`` list."""
        return None

    def options_chosen(
        self, question: Q, responses: list[Any]
    ) -> list[tuple[str, str, bool, int]] | None:
        """For types answered by picking options (the class report's distractor table): each
        option's (id, text, keyed, how many responses chose it). ``None`` for other types."""
        return None

    # -- grading ---------------------------------------------------------------------------
    def grade(self, question: Q, response: Any) -> Grade:
        """Grade one response. Never raises on bad input: ``invalid`` with a hint instead."""
        raise TypeError(f"a {self.name} question is not graded itself")

    def correct_response(self, question: Q) -> Any:
        """A response that grades as correct (Show answer sets the controls to it)."""
        raise TypeError(f"no single response for a {self.name} question")

    def answer_markdown(self, question: Q) -> str:
        """The correct answer written out, for Show answer and the answer key."""
        return ""

    def typical_wrong_response(self, question: Q, rng: Generator) -> Any:
        """A wrong response a learner often gives (for the instructor's synthetic class data)."""
        raise TypeError(f"no single response for a {self.name} question")

    # -- texts -------------------------------------------------------------------------------
    def feedback_texts(self, question: Q) -> list[str]:
        """Every feedback text of the question's choices (their citations are listed)."""
        return []

    def cited_texts(self, question: Q) -> list[str]:
        """Every text of the choices that may cite a source, in bank order (the answer key
        lists their sources): option and item texts with their feedback."""
        return []

    def key_html(self, question: Q, md: MarkdownRenderer, with_answers: bool) -> str:
        """The answer key's listing of the choices, with the right ones marked if asked."""
        return ""

    # -- controls ----------------------------------------------------------------------------
    def controls(self, question: Q, bank: str) -> Controls:
        """The widgets a learner answers with (imports ipywidgets on first use)."""
        raise TypeError(f"a {self.name} question has no controls of its own")
