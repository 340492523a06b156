"""The chapter's content files, read and checked: ``assets/selection/*.yaml`` and the diaries.

Why one module: an instructor edits the differential, the consent risks, the triage patients
and the synthetic pain diaries without touching code, and a mistake in any of them must come
back as ``file:line: item: field: message`` rather than a traceback in class. Each file is
checked field by field and every problem is collected:

- :func:`check_selection_files` and :func:`check_diary_files` return a list of
  :class:`~fluorohip.core.problems.Problem` (for ``fluorohip validate``);
- :func:`load_differential`, :func:`load_risks` and :func:`load_triage_patients` give the
  notebook its objects, or raise :class:`SelectionDataError` naming the first problem.

Files are read through the bounded YAML reader (no aliases or tags; size and depth caps).
Pure Python: no widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from fluorohip.core.bibliography import CITATION_PATTERN, BibliographyError, load_bibliography
from fluorohip.core.paths import assets_dir, project_root
from fluorohip.core.problems import Problem
from fluorohip.core.yamlread import ContentFileError, load_yaml_file, read_yaml_file

from .decision import Decision
from .differential import COMPARTMENTS, Condition
from .record import PatientRecord, record_from_dict
from .risks import APPLIES, Risk, frequency_problems
from .rules import assess
from .triage import TriagePatient

__all__ = [
    "DIARY_FILE",
    "SELECTION_FILES",
    "SelectionDataError",
    "check_diary_files",
    "check_selection_files",
    "error_text",
    "load_differential",
    "load_risks",
    "load_triage_patients",
    "read_entries",
    "selection_dir",
]

#: The selection files an instructor may edit, each with its top-level list.
SELECTION_FILES = {
    "differential.yaml": "conditions",
    "risks.yaml": "risks",
    "patients.yaml": "patients",
}
#: The synthetic pain diaries (chapter 06 reads them; checked here with the other course data).
DIARY_FILE = Path("diaries") / "diaries.yaml"

LineOf = Callable[[tuple[Any, ...]], "int | None"]


def no_lines(_path: tuple[Any, ...]) -> int | None:
    """For data read without line positions (the fast loader used by the notebook)."""
    return None


def error_text(problem: Problem) -> str:
    """One problem as the exception message a notebook shows: ``file: item: field 'x': message``."""
    if problem.item_id is None:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        return f"{where}: {problem.message}"
    field = f" field '{problem.field}':" if problem.field else ""
    return f"{problem.file}: {problem.item_id}:{field} {problem.message}"


class SelectionDataError(ValueError):
    """A chapter file is missing a field or holds a bad value; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        more = len(self.problems) - 1
        super().__init__(
            error_text(self.problems[0]) + (f" (and {more} more problem(s))" if more else "")
        )


def selection_dir() -> Path:
    return assets_dir() / "selection"


def shown_name(path: Path) -> str:
    """How a selection file is named in messages, wherever it was read from."""
    return f"assets/selection/{path.name}"


def read_entries(path: Path, top: str) -> list[Any]:
    """The top-level ``top:`` list of a selection file, or :class:`SelectionDataError`."""
    shown = shown_name(path)
    try:
        data = load_yaml_file(path, shown)  # bounded: no aliases/tags, size and depth caps
    except ContentFileError as exc:
        raise SelectionDataError([Problem(shown, exc.line, None, None, exc.message)]) from None
    problems = top_level_problems(data, shown, top, no_lines)
    if problems:
        raise SelectionDataError(problems)
    entries: list[Any] = data[top]
    return entries


def top_level_problems(data: Any, shown: str, top: str, line_of: LineOf) -> list[Problem]:
    if not isinstance(data, dict) or not isinstance(data.get(top), list) or not data[top]:
        message = f"expected a top-level '{top}:' list with at least one entry"
        return [Problem(shown, line_of(()), None, None, message)]
    return []


class _Entries:
    """Field checks for the entries of one file; every problem is collected, none raised."""

    def __init__(
        self, shown: str, top: str, known: Iterable[str], line_of: LineOf, bib: set[str] | None
    ):
        self.shown, self.top, self.known = shown, top, frozenset(known)
        self.line_of, self.bib = line_of, bib
        self.problems: list[Problem] = []
        self.seen: set[str] = set()

    def add(self, i: int, item: Any, field: str | None, message: str) -> None:
        ident = item.get("id") if isinstance(item, dict) else None
        where = f"{self.top}[{i}]" + (f" (id {ident!r})" if ident else "")
        path = (self.top, i, *field.split(".")) if field else (self.top, i)
        self.problems.append(Problem(self.shown, self.line_of(path), where, field, message))

    def is_entry(self, i: int, item: Any) -> bool:
        """Is the entry a mapping? Also reports each field it has that the file does not know."""
        if not isinstance(item, dict):
            self.add(i, item, None, "must be a mapping of fields")
            return False
        for name in sorted(set(item) - self.known, key=str):
            known = ", ".join(sorted(self.known))
            self.add(i, item, str(name), f"unknown field; known fields: {known}")
        return True

    def ident(self, i: int, item: dict[str, Any]) -> str | None:
        """The entry's id: non-empty text, not used by an earlier entry of the file."""
        ident = self.text(i, item, "id")
        if ident is not None:
            if ident in self.seen:
                self.add(i, item, "id", f"duplicate id {ident!r}")
                return None
            self.seen.add(ident)
        return ident

    def text(self, i: int, item: dict[str, Any], name: str) -> str | None:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            self.add(i, item, name, "must be non-empty text")
            return None
        return " ".join(value.split())

    def choice(self, i: int, item: dict[str, Any], name: str, allowed: Iterable[str]) -> str | None:
        allowed = tuple(allowed)
        value = item.get(name)
        if value not in allowed:
            self.add(i, item, name, f"must be one of {', '.join(allowed)}; got {value!r}")
            return None
        return str(value)

    def citation_keys(
        self, i: int, item: dict[str, Any], allow_empty: bool = False
    ) -> tuple[str, ...] | None:
        value = item.get("keys")
        if (
            not isinstance(value, list)
            or (not value and not allow_empty)
            or not all(isinstance(k, str) for k in value)
        ):
            self.add(i, item, "keys", "must be a list of citation keys")
            return None
        if self.bib is not None:
            bad = [k for k in value if k not in self.bib]
            if bad:
                self.add(
                    i,
                    item,
                    "keys",
                    f"unknown citation key(s) {', '.join(bad)} (not in assets/references.yaml)",
                )
                return None
        return tuple(value)

    def cited_text(self, i: int, item: dict[str, Any], name: str) -> str | None:
        """Text whose ``[@Key]`` citations must resolve in the bibliography."""
        text = self.text(i, item, name)
        if text is not None and self.bib is not None:
            bad = sorted(set(CITATION_PATTERN.findall(text)) - self.bib)
            if bad:
                self.add(i, item, name, f"unknown citation key(s) {', '.join(bad)}")
        return text

    def fail(self) -> None:
        if self.problems:
            raise SelectionDataError(self.problems)


# --- the three selection files ----------------------------------------------------------------


def parse_differential(
    entries: list[Any], shown: str, line_of: LineOf, bib: set[str] | None
) -> tuple[tuple[Condition, ...], list[Problem]]:
    chk = _Entries(shown, "conditions", [f.name for f in fields(Condition)], line_of, bib)
    out = []
    for i, item in enumerate(entries):
        if not chk.is_entry(i, item):
            continue
        ident, name = chk.ident(i, item), chk.text(i, item, "name")
        compartment = chk.choice(i, item, "compartment", COMPARTMENTS)
        where, clues = chk.text(i, item, "where"), chk.text(i, item, "clues")
        first_test, injection = chk.text(i, item, "first_test"), chk.text(i, item, "injection")
        keys = chk.citation_keys(i, item, allow_empty=True)
        if (
            ident is None
            or name is None
            or compartment is None
            or where is None
            or clues is None
            or first_test is None
            or injection is None
            or keys is None
        ):
            continue
        out.append(Condition(ident, name, compartment, where, clues, first_test, injection, keys))
    return tuple(out), chk.problems


def parse_risks(
    entries: list[Any], shown: str, line_of: LineOf, bib: set[str] | None
) -> tuple[tuple[Risk, ...], list[Problem]]:
    chk = _Entries(shown, "risks", [f.name for f in fields(Risk)], line_of, bib)
    out = []
    for i, item in enumerate(entries):
        if not chk.is_entry(i, item):
            continue
        ident, name = chk.ident(i, item), chk.text(i, item, "name")
        what, context = chk.text(i, item, "what"), chk.text(i, item, "context")
        applies = item.get("applies_when")
        if not isinstance(applies, list) or not applies or any(a not in APPLIES for a in applies):
            chk.add(
                i,
                item,
                "applies_when",
                f"must be a list drawn from {', '.join(APPLIES)}; got {applies!r}",
            )
            applies = None
        frequency = item.get("frequency")
        bad_frequency = frequency_problems(frequency)
        for field, message in bad_frequency:
            chk.add(i, item, field, message)
        keys = chk.citation_keys(i, item)
        if (
            ident is None
            or name is None
            or what is None
            or context is None
            or applies is None
            or bad_frequency
            or keys is None
        ):
            continue
        out.append(Risk(ident, name, what, dict(frequency), context, tuple(applies), keys))
    return tuple(out), chk.problems


def parse_triage_patients(
    entries: list[Any],
    shown: str,
    line_of: LineOf,
    bib: set[str] | None,
    check_expected: bool = True,
) -> tuple[tuple[TriagePatient, ...], list[Problem]]:
    chk = _Entries(shown, "patients", [f.name for f in fields(TriagePatient)], line_of, bib)
    out = []
    for i, item in enumerate(entries):
        if not chk.is_entry(i, item):
            continue
        ident, name = chk.ident(i, item), chk.text(i, item, "name")
        vignette = chk.text(i, item, "vignette")
        record: PatientRecord | None = None
        record_data = item.get("record")
        if not isinstance(record_data, dict):
            chk.add(i, item, "record", "must be a mapping of findings")
        else:
            try:
                record = record_from_dict(record_data, where="record")
            except ValueError as exc:
                chk.add(i, item, "record", str(exc).removeprefix("record: "))
        slug = chk.choice(i, item, "expected", [d.slug for d in Decision])
        expected = Decision.from_slug(slug) if slug is not None else None
        if check_expected and record is not None and expected is not None:
            found = assess(record).decision
            if found is not expected:
                chk.add(
                    i,
                    item,
                    "expected",
                    f"says {slug!r} but the checklist gives {found.slug!r}; "
                    "fix the record or the rules",
                )
                expected = None
        teaching, keys = chk.cited_text(i, item, "teaching"), chk.citation_keys(i, item)
        if (
            ident is None
            or name is None
            or vignette is None
            or record is None
            or expected is None
            or teaching is None
            or keys is None
        ):
            continue
        out.append(TriagePatient(ident, name, vignette, record, expected, teaching, keys))
    return tuple(out), chk.problems


def bibliography_keys(check_citations: bool) -> set[str] | None:
    """This course's citation keys, or None when the caller asked not to check citations."""
    return set(load_bibliography()) if check_citations else None


def load_differential(
    path: Path | str | None = None, check_citations: bool = True
) -> tuple[Condition, ...]:
    """The differential diagnosis table, or :class:`SelectionDataError`."""
    path = Path(path) if path else selection_dir() / "differential.yaml"
    entries = read_entries(path, "conditions")
    found, problems = parse_differential(
        entries, shown_name(path), no_lines, bibliography_keys(check_citations)
    )
    if problems:
        raise SelectionDataError(problems)
    return found


def load_risks(path: Path | str | None = None, check_citations: bool = True) -> tuple[Risk, ...]:
    """The consent risks, or :class:`SelectionDataError`."""
    path = Path(path) if path else selection_dir() / "risks.yaml"
    entries = read_entries(path, "risks")
    found, problems = parse_risks(
        entries, shown_name(path), no_lines, bibliography_keys(check_citations)
    )
    if problems:
        raise SelectionDataError(problems)
    return found


def load_triage_patients(
    path: Path | str | None = None, check_citations: bool = True, check_expected: bool = True
) -> tuple[TriagePatient, ...]:
    """Synthetic patients for the triage exercise. ``expected`` must match :func:`~.rules.assess`."""
    path = Path(path) if path else selection_dir() / "patients.yaml"
    entries = read_entries(path, "patients")
    found, problems = parse_triage_patients(
        entries, shown_name(path), no_lines, bibliography_keys(check_citations), check_expected
    )
    if problems:
        raise SelectionDataError(problems)
    return found


PARSERS = {
    "differential.yaml": parse_differential,
    "risks.yaml": parse_risks,
    "patients.yaml": parse_triage_patients,
}


def course_bibliography(root: Path) -> set[str] | None:
    """The citation keys of the course at ``root``; None when the bibliography itself is broken
    (its own check reports that), so citations are then not checked a second time."""
    try:
        return set(load_bibliography(root / "assets" / "references.yaml"))
    except (BibliographyError, ContentFileError, OSError):
        return None


def check_selection_files(root: Path | str | None = None) -> list[Problem]:
    """Every problem in the selection files of the course at ``root`` (default: this course).

    Each file is read with line positions; a missing or unreadable file is one problem, and
    every entry's fields are checked (text, choices, frequencies, citation keys, the triage
    patients' expected decision against the rules).
    """
    base = Path(root) if root is not None else project_root()
    bib = course_bibliography(base)
    problems: list[Problem] = []
    for name, top in SELECTION_FILES.items():
        shown = f"assets/selection/{name}"
        try:
            doc = read_yaml_file(base / "assets" / "selection" / name, shown)
        except ContentFileError as exc:
            problems.append(Problem(shown, exc.line, None, None, exc.message))
            continue
        problems += [
            Problem(shown, line, None, ".".join(map(str, path)), "duplicate key")
            for path, line in doc.duplicates
        ]
        found = top_level_problems(doc.data, shown, top, doc.line)
        if found:
            problems += found
            continue
        problems += PARSERS[name](doc.data[top], shown, doc.line, bib)[1]
    return problems


def check_diary_files(root: Path | str | None = None) -> list[Problem]:
    """Every problem in ``assets/diaries/diaries.yaml`` of the course at ``root``.

    Checks each diary's fields, its readings (through chapter 06's diary validator), the
    pattern and threshold names, that ``expected`` is what the diary actually reads as, and
    that citations in the feedback resolve.
    """
    from .diaries import diary_problems  # chapter 06's model: loaded only when diaries are checked

    base = Path(root) if root is not None else project_root()
    shown = f"assets/{DIARY_FILE.as_posix()}"
    try:
        doc = read_yaml_file(base / "assets" / DIARY_FILE, shown)
    except ContentFileError as exc:
        return [Problem(shown, exc.line, None, None, exc.message)]
    problems = [
        Problem(shown, line, None, ".".join(map(str, path)), "duplicate key")
        for path, line in doc.duplicates
    ]
    found = top_level_problems(doc.data, shown, "diaries", doc.line)
    if found:
        return problems + found
    chk = _Entries(shown, "diaries", DIARY_FIELDS, doc.line, course_bibliography(base))
    for i, item in enumerate(doc.data["diaries"]):
        if not chk.is_entry(i, item):
            continue
        chk.ident(i, item)
        for name in ("title", "story"):
            chk.text(i, item, name)
        chk.cited_text(i, item, "feedback")
        for name in ("steroid", "provoked"):
            if name in item and not isinstance(item[name], bool):
                chk.add(i, item, name, f"must be true or false; got {item[name]!r}")
        for field, message in diary_problems(item):
            chk.add(i, item, field, message)
    return problems + chk.problems


#: Fields a synthetic diary may have (``steroid``, ``provoked`` and ``threshold`` are optional).
DIARY_FIELDS = (
    "id",
    "title",
    "story",
    "anaesthetic",
    "steroid",
    "provoked",
    "pre_score",
    "readings",
    "expected",
    "threshold",
    "feedback",
)
