"""Locating a problem in a bank (``file:line: id: field: message``) and the checks every
question type shares (unique ids in a list). Used by :mod:`fluorohip.quiz.validate` and by the
question types' own rules (:meth:`QuestionType.check_answer`)."""

from __future__ import annotations

from typing import Any, Protocol

from ..core.problems import Problem
from ..core.yamlread import YamlDoc


def field_name(path: tuple[Any, ...]) -> str | None:
    """``("options", 2, "text")`` -> ``options[2].text``, as messages name a field."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


class ProblemSink(Protocol):
    """Where the shared rules report: a bank's :class:`BankReporter` or the cases' reporter,
    each of which knows how to name the item a path points at."""

    doc: YamlDoc

    def add(self, path: tuple[Any, ...], message: str, line: int | None = None) -> None: ...


class BankReporter:
    """Collects the problems of one bank file, each located by line, item and field."""

    def __init__(self, shown_as: str, doc: YamlDoc):
        self.shown_as = shown_as
        self.doc = doc
        self.problems: list[Problem] = []
        data = doc.data if isinstance(doc.data, dict) else {}
        bank = data.get("bank")
        self.bank_id = bank if isinstance(bank, str) else None
        questions = data.get("questions")
        self.questions: list[Any] = questions if isinstance(questions, list) else []

    def locate(self, path: tuple[Any, ...]) -> tuple[str | None, str | None]:
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            q = self.questions[path[1]] if path[1] < len(self.questions) else None
            qid = q.get("id") if isinstance(q, dict) else None
            item = qid if isinstance(qid, str) else f"questions[{path[1]}]"
            return item, field_name(path[2:])
        return self.bank_id, field_name(path)

    def add(self, path: tuple[Any, ...], message: str, line: int | None = None) -> None:
        item, field = self.locate(path)
        if line is None:
            line = self.doc.line(path)
        self.problems.append(Problem(self.shown_as, line, item, field, message))


def is_text(x: Any) -> bool:
    return isinstance(x, str)


def entry_ids(entries: Any) -> list[tuple[int, str]]:
    """``(position, id)`` of every entry of a list that has a text id."""
    if not isinstance(entries, list):
        return []
    return [
        (i, e["id"]) for i, e in enumerate(entries) if isinstance(e, dict) and is_text(e.get("id"))
    ]


def check_unique(rep: ProblemSink, base: tuple[Any, ...], entries: Any, what: str) -> None:
    """Report every id used twice in ``entries``, pointing at the first use."""
    first: dict[str, int] = {}
    for i, ident in entry_ids(entries):
        if ident in first:
            rep.add(
                base + (i, "id"),
                f"duplicate {what} id {ident!r} (first used at {what} {first[ident] + 1})",
            )
        else:
            first[ident] = i
