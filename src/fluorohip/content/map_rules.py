"""The rules a course map must satisfy, reported as ``file:line: entry: field: message``; never raises.

The schema (``assets/schema/course-map.schema.json``) checks each entry's shape. The rules here are
the ones that need the rest of the course: ids, stems and banks used once; one ``start`` entry
first and one ``final`` entry last among the learner's notebooks, instructor notebooks after them;
every notebook named exists and every notebook in ``notebooks/`` has an entry; every bank named
exists and every bank file is named by an entry (a bank no entry names would never be counted);
every chapter package named exists and every package under ``fluorohip/chapters/`` is named; the
learner's notebook files sort in course order, so the folder lists them as the course runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..core.problems import Problem
from ..core.schemas import Draft202012Validator
from ..core.yamlread import ContentFileError, YamlDoc, read_yaml_file
from .course_map import LEARNER_KINDS, MAP_FILE, CourseMapError, MapEntry, entry_from_data

SHOWN = f"assets/{MAP_FILE}"
SCHEMA = Path("schema") / "course-map.schema.json"


def chapters_package_dir() -> Path:
    """The folder of the chapter packages, ``fluorohip/chapters/``, of the package being run."""
    from .. import chapters

    return Path(chapters.__file__).parent


def chapter_packages(folder: Path | None = None) -> list[str]:
    """Names of the chapter packages present (folders with an ``__init__.py``)."""
    folder = folder if folder is not None else chapters_package_dir()
    return sorted(p.parent.name for p in folder.glob("*/__init__.py"))


def learner_notebook_stems(notebooks: Path) -> list[str]:
    """Every notebook under ``notebooks/`` as a stem relative to it (``instructor/x`` included)."""
    return sorted(
        p.relative_to(notebooks).with_suffix("").as_posix()
        for p in notebooks.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


class _Report:
    def __init__(self, doc: YamlDoc | None):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, index: int | None, item: str | None, field: str | None, message: str) -> None:
        path: tuple = ("notebooks",) if index is None else ("notebooks", index - 1)
        if field and index is not None:
            path += (field,)
        line = self.doc.line(path) if self.doc is not None else None
        self.problems.append(Problem(SHOWN, line, item, field, message))


def _schema_problems(doc: YamlDoc, assets_root: Path, report: _Report) -> None:
    try:
        schema = json.loads((assets_root / SCHEMA).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.add(None, None, None, f"course-map schema unavailable: {exc}")
        return
    for error in Draft202012Validator(schema).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        line = doc.line(path)
        entry = None
        if len(path) >= 2 and path[0] == "notebooks" and isinstance(path[1], int):
            data = doc.data["notebooks"][path[1]]
            entry = data.get("id") if isinstance(data, dict) else None
            entry = entry if isinstance(entry, str) else f"notebooks[{path[1]}]"
        field = ".".join(str(p) for p in path[2:]) or None
        report.problems.append(Problem(SHOWN, line, entry, field, error.message))


def _duplicates(report: _Report, entries: list[MapEntry], attribute: str) -> None:
    owner: dict[str, str] = {}
    for i, e in enumerate(entries, start=1):
        values = e.banks if attribute == "bank" else (getattr(e, attribute),)
        for value in values:
            if value in owner:
                report.add(i, e.id, attribute, f"{value!r} is also used by entry {owner[value]!r}")
            else:
                owner[value] = e.id


def _order(report: _Report, entries: list[MapEntry]) -> None:
    kinds = [e.kind for e in entries]
    learners = [e for e in entries if e.kind in LEARNER_KINDS]
    for kind in ("start", "final"):
        if kinds.count(kind) != 1:
            report.add(
                None,
                None,
                "kind",
                f"the map needs exactly one {kind!r} entry; found {kinds.count(kind)}",
            )
    if learners and learners[0].kind != "start":
        report.add(1, entries[0].id, "kind", "the first learner notebook must be the 'start' entry")
    if learners and learners[-1].kind != "final":
        i = entries.index(learners[-1]) + 1
        report.add(
            i, learners[-1].id, "kind", "the last learner notebook must be the 'final' entry"
        )
    seen_instructor = False
    for i, e in enumerate(entries, start=1):
        if e.kind == "instructor":
            seen_instructor = True
        elif seen_instructor:
            report.add(i, e.id, "kind", "learner notebooks come before the instructor notebooks")
    stems = [e.stem for e in learners]
    if stems != sorted(stems):
        report.add(
            None,
            None,
            "stem",
            "notebook file names must sort in course order (so the folder lists them as the course "
            f"runs); in map order they are {', '.join(stems)}",
        )


def _files(
    report: _Report, entries: list[MapEntry], root: Path, packages: Iterable[str] | None
) -> None:
    notebooks = root / "notebooks"
    present = set(learner_notebook_stems(notebooks)) if notebooks.is_dir() else set()
    banks_dir = root / "assets" / "quizzes"
    bank_files = {p.stem for p in banks_dir.glob("*.yaml")} if banks_dir.is_dir() else set()
    package_names = set(packages if packages is not None else chapter_packages())
    for i, e in enumerate(entries, start=1):
        if e.stem not in present:
            report.add(i, e.id, "stem", f"no notebook notebooks/{e.filename}")
        for name, bank in (("bank", e.bank), ("pretest", e.pretest)):
            if bank and bank not in bank_files:
                report.add(i, e.id, name, f"no bank file assets/quizzes/{bank}.yaml")
        if e.package and e.package not in package_names:
            report.add(i, e.id, "package", f"no chapter package fluorohip/chapters/{e.package}/")
    named = {e.stem for e in entries}
    for stem in sorted(present - named):
        report.add(
            None, None, "notebooks", f"notebooks/{stem}.ipynb has no entry in the course map"
        )
    named_banks = {b for e in entries for b in e.banks}
    for bank in sorted(bank_files - named_banks):
        report.add(None, None, "bank", f"assets/quizzes/{bank}.yaml is named by no entry")
    named_packages = {e.package for e in entries if e.package}
    for package in sorted(package_names - named_packages):
        report.add(
            None,
            None,
            "package",
            f"chapter package fluorohip/chapters/{package}/ is named by no entry",
        )


def course_map_problems(root: Path, packages: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with ``root/assets/course_map.yaml``; ``packages`` defaults to the chapter
    packages of the running ``fluorohip`` (tests pass their own)."""
    root = Path(root)
    try:
        doc = read_yaml_file(root / "assets" / MAP_FILE, SHOWN)
    except ContentFileError as exc:
        return [Problem(SHOWN, exc.line, None, None, exc.message)]
    report = _Report(doc)
    _schema_problems(doc, root / "assets", report)
    if report.problems:
        return report.problems
    entries = []
    for i, item in enumerate(doc.data["notebooks"], start=1):
        try:
            entries.append(entry_from_data(item, i))
        except CourseMapError as exc:
            report.add(i, str(item.get("id")), None, str(exc).split(": ", 1)[-1])
    if report.problems:
        return report.problems
    for attribute in ("id", "stem", "bank"):
        _duplicates(report, entries, attribute)
    _order(report, entries)
    _files(report, entries, root, packages)
    return sorted(report.problems, key=lambda p: p.line or 0)
