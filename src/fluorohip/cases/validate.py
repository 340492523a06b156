"""Check case files and report every problem as ``file:line: id: field: message``; never raise.

Structure is checked with ``assets/schema/case.schema.json``, which takes each stage's
question from the question-bank schema, so a case question is written exactly like a bank
stage. Rules a schema cannot express reuse the quiz engine's checks (answer names an option,
feedback present, citation keys resolve) plus the case rules: the ``case`` field equals the
file name, stage ids are unique, objectives exist in a chapter bank, a stage's objective is one
of the case's, a diary can be read and a case id is used once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource

from ..core.problems import Problem, display_path
from ..core.schemas import Draft202012Validator
from ..core.yamlread import YamlDoc, load_yaml_file
from ..quiz import validate as bank_rules
from ..quiz.checks import check_unique, field_name
from ..quiz.schema import reworded_issues

CASE_SCHEMA = Path("schema") / "case.schema.json"
BANK_SCHEMA = Path("schema") / "question-bank.schema.json"


@lru_cache(maxsize=4)
def _validator(assets_root: str) -> Draft202012Validator:
    root = Path(assets_root)
    case_schema = json.loads((root / CASE_SCHEMA).read_text(encoding="utf-8"))
    bank_schema = json.loads((root / BANK_SCHEMA).read_text(encoding="utf-8"))
    registry = Registry().with_resource(bank_schema["$id"], Resource.from_contents(bank_schema))
    Draft202012Validator.check_schema(case_schema)
    return Draft202012Validator(case_schema, registry=registry)


def chapter_objectives(assets_root: Path, bank_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Objective id -> text declared in the banks ``bank_ids`` (unreadable banks skipped).

    ``fluorohip validate`` passes the chapter banks of the course map
    (:func:`fluorohip.content.course_map.chapter_banks`). The cases engine sits below the course
    map and cannot ask it, so without ``bank_ids`` every bank file is read: the pre- and post-test
    declare the chapter objectives verbatim (a test enforces it), so this adds only the start
    notebook's own objectives, and the strict check is the one ``fluorohip validate`` runs.

    Cached on the banks' modification times: every case check asks, and parsing the banks each
    time made loading the cases take over a second.
    """
    folder = Path(assets_root) / "quizzes"
    if bank_ids is None:
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    else:
        paths = [folder / f"{bank_id}.yaml" for bank_id in bank_ids]
    stamps = []
    for path in paths:
        try:
            stamps.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            continue
    return dict(_chapter_objectives(tuple(stamps)))


@lru_cache(maxsize=8)
def _chapter_objectives(stamps: tuple[tuple[str, int], ...]) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for name, _ in stamps:
        try:
            data = load_yaml_file(name)  # bounded: no aliases/tags, size and depth caps
            for o in data.get("objectives") or []:
                out.setdefault(str(o["id"]), str(o["text"]))
        except Exception:  # a broken bank is reported by the bank validator
            continue
    return tuple(out.items())


class _Reporter:
    """The interface the quiz engine's rule functions expect (``add``, ``doc``)."""

    def __init__(self, shown_as: str, doc: YamlDoc):
        self.shown_as, self.doc = shown_as, doc
        data = doc.data if isinstance(doc.data, dict) else {}
        self.case_id = data.get("case") if isinstance(data.get("case"), str) else None
        stages = data.get("stages")
        self.stages = stages if isinstance(stages, list) else []
        self.problems: list[Problem] = []

    def locate(self, path: tuple) -> tuple[str | None, str | None]:
        item = self.case_id
        rest = path
        if len(path) >= 2 and path[0] == "stages" and isinstance(path[1], int):
            stage = self.stages[path[1]] if path[1] < len(self.stages) else None
            sid = stage.get("id") if isinstance(stage, dict) else None
            item = f"{self.case_id or '?'}/{sid if isinstance(sid, str) else f'stages[{path[1]}]'}"
            rest = path[2:]
        return item, field_name(rest)

    def add(self, path: tuple, message: str, line: int | None = None) -> None:
        item, field = self.locate(path)
        message = message.replace("in this bank's objectives", "in this case's objectives")
        self.problems.append(
            Problem(
                self.shown_as,
                line if line is not None else self.doc.line(path),
                item,
                field,
                message,
            )
        )


@dataclass
class CheckedCase:
    path: Path
    shown_as: str
    doc: YamlDoc | None
    problems: list[Problem]

    @property
    def data(self) -> Any:
        return self.doc.data if self.doc else None


def _fill_question_ids(data: dict) -> None:
    """A stage's question takes the stage id (authors write it once)."""
    for stage in data.get("stages") or []:
        if (
            isinstance(stage, dict)
            and isinstance(stage.get("question"), dict)
            and "id" not in stage["question"]
        ):
            stage["question"]["id"] = (
                stage.get("id") if isinstance(stage.get("id"), str) else "stage"
            )


def _check_diary(rep: _Reporter, base: tuple, image: Any) -> None:
    diary = image.get("diary") if isinstance(image, dict) else None
    if not isinstance(diary, dict) or not isinstance(diary.get("readings"), list):
        return
    from ..interpretation import DiaryError, validate_diary

    try:
        validate_diary(
            diary.get("pre_score"), diary["readings"], diary.get("anaesthetic", "bupivacaine")
        )
    except DiaryError as exc:
        for message in exc.problems:
            rep.add(base + ("image", "diary"), f"diary: {message}")


def check_case_file(
    path: Path | str,
    known_citation_keys: set[str] | None,
    assets_root: Path,
    objectives: dict[str, str] | None = None,
) -> CheckedCase:
    path, assets_root = Path(path), Path(assets_root)
    shown = display_path(path, assets_root.parent)
    doc, problems = bank_rules.read_content_file(path, shown)
    if doc is None:
        return CheckedCase(path, shown, None, problems)
    rep = _Reporter(shown, doc)
    for dup_path, line in doc.duplicates:
        rep.add(
            dup_path,
            f"field {dup_path[-1]!r} appears twice in the same block; the first one would be ignored",
            line=line,
        )
    data = doc.data
    if not isinstance(data, dict):
        rep.add(
            (),
            "a case must be a mapping with case, title, version, patient, presentation, objectives, "
            "difficulty, citations, stages and explanation",
            line=1,
        )
        return CheckedCase(path, shown, doc, rep.problems)
    _fill_question_ids(data)
    try:
        validator = _validator(str(assets_root.resolve()))
    except (OSError, ValueError) as exc:
        rep.add((), f"case schema unavailable: {exc}")
        return CheckedCase(path, shown, doc, rep.problems)
    seen: set[tuple] = set()
    for error in validator.iter_errors(data):
        for issue in reworded_issues(error):
            if (issue.path, issue.message) not in seen:
                seen.add((issue.path, issue.message))
                rep.add(issue.path, issue.message)

    if isinstance(data.get("case"), str) and data["case"] != path.stem:
        rep.add(
            ("case",),
            f"must equal the file name without .yaml ({path.stem!r}); got {data['case']!r}",
        )
    check_unique(rep, ("stages",), data.get("stages"), "stage")
    known_objectives = objectives if objectives is not None else chapter_objectives(assets_root)
    case_objectives: set[str] = set()
    for j, oid in enumerate(
        data.get("objectives") or [] if isinstance(data.get("objectives"), list) else []
    ):
        if isinstance(oid, str):
            case_objectives.add(oid)
            if known_objectives and oid not in known_objectives:
                rep.add(
                    ("objectives",),
                    f"objective {oid!r} is not declared in any chapter bank "
                    f"(known: {', '.join(sorted(known_objectives))})",
                    line=doc.value_lines.get(("objectives", j)),
                )
    for i, stage in enumerate(rep.stages):
        if not isinstance(stage, dict):
            continue
        question = stage.get("question")
        if isinstance(question, dict):
            bank_rules.check_question(
                rep, ("stages", i, "question"), question, case_objectives or None, assets_root
            )
        _check_diary(rep, ("stages", i), stage.get("image"))
        if (
            isinstance(stage.get("findings"), str)
            and stage["findings"]
            and not stage["findings"].strip()
        ):
            rep.add(("stages", i, "findings"), "must not be blank")
    bank_rules.check_citations(rep, data, (), known_citation_keys)
    rep.problems.sort(key=lambda p: p.line if p.line is not None else 0)
    return CheckedCase(path, shown, doc, rep.problems)


def validate_case_files(
    paths: Iterable[Path | str],
    known_citation_keys: set[str],
    assets_root: Path,
    chapter_banks: Iterable[str] | None = None,
) -> list[Problem]:
    """Every problem in the case files, in file then line order; a case id used twice is reported too.

    ``chapter_banks``: the banks whose objectives a case may teach (see :func:`chapter_objectives`).
    """
    assets_root = Path(assets_root)
    objectives = chapter_objectives(assets_root, chapter_banks)
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for path in sorted(Path(p) for p in paths):
        checked = check_case_file(path, set(known_citation_keys), assets_root, objectives)
        problems.extend(checked.problems)
        data = checked.data
        if checked.doc is not None and isinstance(data, dict) and isinstance(data.get("case"), str):
            if data["case"] in owner:
                problems.append(
                    Problem(
                        checked.shown_as,
                        checked.doc.line(("case",)),
                        data["case"],
                        "case",
                        f"case id also used in {owner[data['case']]}",
                    )
                )
            else:
                owner[data["case"]] = checked.shown_as
    return problems
