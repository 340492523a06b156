"""Check question banks and report every problem as ``file:line: id: field: message``.

Structure (fields, types, unknown fields) is checked by the JSON Schema; the rules a
schema cannot express (an answer naming an option that exists, a citation key that
resolves, a figure that exists, an objective that is declared, ids unique across banks)
are checked here. Nothing in this module raises on bad content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.bibliography import CITATION_PATTERN
from ..core.problems import Problem, display_path
from ..core.yamlread import ContentFileError, YamlDoc, YamlSyntaxError, read_text_capped, read_yaml
from .checks import BankReporter, ProblemSink, check_unique, entry_ids, is_text
from .itemwriting import item_writing_problems
from .schema import schema_errors
from .types import type_named


@dataclass
class CheckedBank:
    """The outcome of reading and checking one bank file."""

    path: Path
    shown_as: str
    doc: YamlDoc | None
    problems: list[Problem]

    @property
    def data(self) -> Any:
        return self.doc.data if self.doc else None


def _check_answer(rep: ProblemSink, base: tuple[Any, ...], q: dict[str, Any]) -> None:
    qtype = type_named(q.get("type"))
    if qtype is not None:  # an unknown type is reported by the schema check
        qtype.check_answer(q, base, rep)


def check_citations(rep: ProblemSink, node: Any, path: tuple, known: set[str] | None) -> None:
    """``citations:`` lists and ``[@Key]`` markers in any text below ``node``."""
    if known is None:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "citations" and isinstance(value, list):
                for j, cite in enumerate(value):
                    if is_text(cite) and cite not in known:
                        rep.add(
                            path + ("citations",),
                            f"citation key {cite!r} is not in assets/references.yaml",
                            line=rep.doc.value_lines.get(path + ("citations", j)),
                        )
            else:
                check_citations(rep, value, path + (key,), known)
    elif isinstance(node, list):
        for j, value in enumerate(node):
            check_citations(rep, value, path + (j,), known)
    elif isinstance(node, str):
        for m in CITATION_PATTERN.finditer(node):
            if m.group(1) not in known:
                rep.add(
                    path,
                    f"citation [@{m.group(1)}] is not in assets/references.yaml",
                    line=rep.doc.text_line(path, m.start(), node),
                )


def _check_figure(rep: ProblemSink, base: tuple, q: dict, assets_root: Path) -> None:
    figure = q.get("figure")
    if not is_text(figure) or not figure:
        return
    pure = PurePosixPath(figure)
    if pure.is_absolute() or ".." in pure.parts or "\\" in figure:
        rep.add(
            base + ("figure",),
            f"figure must be a path inside assets/, e.g. figures/x.png; got {figure!r}",
        )
        return
    if not (assets_root / pure).is_file():
        rep.add(base + ("figure",), f"figure file not found: assets/{figure}")


def check_question(
    rep: ProblemSink, base: tuple, q: Any, objectives: set[str] | None, assets_root: Path
) -> None:
    if not isinstance(q, dict):
        return
    objective = q.get("objective")
    if objectives is not None and is_text(objective) and objective not in objectives:
        declared = ", ".join(sorted(objectives)) or "none"
        rep.add(
            base + ("objective",),
            f"objective {objective!r} is not declared in this bank's objectives ({declared})",
        )
    for name in ("stem", "explanation", "reveal", "feedback_correct", "feedback_incorrect"):
        if is_text(q.get(name)) and q[name] and not q[name].strip():
            rep.add(base + (name,), "must not be blank")
    for group in ("options", "items", "markers"):
        entries = q.get(group)
        if not isinstance(entries, list):  # the schema check reports the wrong shape
            continue
        for j, entry in enumerate(entries):
            if (
                isinstance(entry, dict)
                and is_text(entry.get("feedback"))
                and entry["feedback"]
                and not entry["feedback"].strip()
            ):
                rep.add(
                    base + (group, j, "feedback"),
                    "must not be blank: say why this choice is right or wrong",
                )
    _check_figure(rep, base, q, assets_root)
    _check_answer(rep, base, q)
    qtype = type_named(q.get("type"))
    if qtype is not None and qtype.has_stages and isinstance(q.get("stages"), list):
        for j, stage in enumerate(q["stages"]):
            check_question(rep, base + ("stages", j), stage, objectives, assets_root)


def read_content_file(path: Path, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Read a bank or case file as YAML with line numbers, or say plainly why it cannot be read.

    Bounded (size, depth, values; no aliases or tags): see :mod:`fluorohip.core.yamlread`.
    """
    try:
        text = read_text_capped(path, shown)
    except ContentFileError as exc:
        return None, [Problem(shown, exc.line, None, None, exc.message)]
    try:
        return read_yaml(text), []
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, None, None, exc.message)]


def check_bank_file(
    path: Path | str,
    known_citation_keys: set[str] | None,
    assets_root: Path,
    shown_as: str | None = None,
) -> CheckedBank:
    """Read and check one bank. ``known_citation_keys=None`` skips the citation check."""
    path = Path(path)
    assets_root = Path(assets_root)
    shown = shown_as or display_path(path, assets_root.parent)
    doc, problems = read_content_file(path, shown)
    if doc is None:
        return CheckedBank(path, shown, None, problems)

    rep = BankReporter(shown, doc)
    for dup_path, line in doc.duplicates:
        rep.add(
            dup_path,
            f"field {dup_path[-1]!r} appears twice in the same block; the first one would be ignored",
            line=line,
        )
    if not isinstance(doc.data, dict):
        rep.add(
            (),
            "a bank must be a mapping with bank, title, version, objectives and questions",
            line=1,
        )
        return CheckedBank(path, shown, doc, rep.problems)

    for issue in schema_errors(doc.data):
        rep.add(issue.path, issue.message)

    data = doc.data
    if is_text(data.get("bank")) and data["bank"] != path.stem:
        rep.add(
            ("bank",),
            f"must equal the file name without .yaml ({path.stem!r}); got {data['bank']!r}",
        )
    check_unique(rep, ("objectives",), data.get("objectives"), "objective")
    objectives = (
        {i for _, i in entry_ids(data.get("objectives"))}
        if isinstance(data.get("objectives"), list)
        else None
    )

    first: dict[str, int] = {}
    for i, q in enumerate(rep.questions):
        if isinstance(q, dict) and is_text(q.get("id")):
            if q["id"] in first:
                rep.add(
                    ("questions", i, "id"),
                    f"duplicate question id {q['id']!r} (also at line {doc.line(('questions', first[q['id']], 'id'))})",
                )
            else:
                first[q["id"]] = i
        check_question(rep, ("questions", i), q, objectives, assets_root)
        if isinstance(q, dict) and "reveal" in q:
            rep.add(("questions", i, "reveal"), "reveal is only allowed inside a case's stages")
    check_citations(rep, data, (), known_citation_keys)
    rep.problems.sort(key=lambda p: p.line if p.line is not None else 0)
    return CheckedBank(path, shown, doc, rep.problems)


def validate_bank_file(
    path: Path | str, known_citation_keys: set[str], assets_root: Path
) -> list[Problem]:
    """Every problem in one bank file, in line order. Never raises on bad content."""
    return check_bank_file(path, set(known_citation_keys), assets_root).problems


def validate_banks(
    paths: Iterable[Path | str], known_citation_keys: set[str], assets_root: Path
) -> list[Problem]:
    """:func:`validate_bank_file` for each file, plus question ids used in more than one bank,
    plus the item-writing checks (:mod:`fluorohip.quiz.itemwriting`) of each well-formed bank."""
    problems: list[Problem] = []
    owner: dict[str, tuple[str, int | None]] = {}
    for path in sorted(Path(p) for p in paths):
        checked = check_bank_file(path, set(known_citation_keys), assets_root)
        problems.extend(checked.problems)
        if checked.doc is not None and not checked.problems:  # flaws of a well-formed bank only
            problems.extend(item_writing_problems(checked.doc, checked.shown_as))
        data = checked.data
        doc = checked.doc
        if doc is None or not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            continue
        for i, q in enumerate(data["questions"]):
            if not (isinstance(q, dict) and is_text(q.get("id"))):
                continue
            line = doc.line(("questions", i, "id"))
            if q["id"] in owner and owner[q["id"]][0] != checked.shown_as:
                other, other_line = owner[q["id"]]
                problems.append(
                    Problem(
                        checked.shown_as,
                        line,
                        q["id"],
                        "id",
                        f"question id also used in {other}:{other_line}; ids must be unique across banks",
                    )
                )
            else:
                owner.setdefault(q["id"], (checked.shown_as, line))
    return problems
