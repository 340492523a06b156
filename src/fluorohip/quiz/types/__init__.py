"""The question types, one module each, and the registry that maps a bank's ``type:`` to one.

Code that must treat types differently asks the registry instead of testing classes::

    qtype = type_of(question)      # e.g. the single best answer type
    qtype.grade(question, response)
    qtype.controls(question, bank) # the widgets (ipywidgets loads here, not before)

Adding a question type: one module here with a :class:`~.base.QuestionType` subclass, its
model dataclass in :mod:`fluorohip.quiz.model`, its entry below and in ``TYPE_NAMES``, and
its shape in the bank schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Question
from .base import Controls, Grade, QuestionType, invalid
from .case import CASE
from .label import LABEL
from .multiple import MULTIPLE
from .numeric import NUMERIC
from .ordering import ORDERING
from .single import SINGLE

__all__ = [
    "REGISTRY",
    "Controls",
    "Grade",
    "QuestionType",
    "invalid",
    "question_from_data",
    "type_named",
    "type_of",
]

#: Every question type by its bank name, in the canonical order of ``QUESTION_TYPES``.
REGISTRY: dict[str, QuestionType[Any]] = {
    t.name: t for t in (SINGLE, MULTIPLE, NUMERIC, ORDERING, LABEL, CASE)
}


def type_of(question: Question) -> QuestionType[Any]:
    """The type object of a built question."""
    return REGISTRY[question.type]


def type_named(name: object) -> QuestionType[Any] | None:
    """The type called ``name`` in bank data, or None (validation reports unknown types)."""
    return REGISTRY.get(name) if isinstance(name, str) else None


def question_from_data(data: Mapping[str, Any], key: str, line: int | None = None) -> Question:
    """The model of one validated question (or case stage) stored under ``key``."""
    common = dict(
        id=data["id"],
        type=data["type"],
        stem=data["stem"],
        explanation=data["explanation"],
        objective=data.get("objective"),
        difficulty=data.get("difficulty"),
        citations=tuple(data.get("citations") or ()),
        figure=data.get("figure"),
        alt=data.get("alt"),
        reveal=data.get("reveal"),
        key=key,
        line=line,
    )
    qtype = type_named(data["type"])
    if qtype is None:  # the schema prevents this
        raise ValueError(f"unknown question type {data['type']!r}")
    return qtype.from_data(data, common, key, question_from_data)
