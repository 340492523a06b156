"""One hand-in file read into records: the class report's side of the progress formats.

The formats themselves (columns, versions, what a valid attempt is) are defined once, in
:mod:`fluorohip.progress.formats`; this module adds what only a class report needs: every
field of a hand-in is untrusted text, so a file is refused **as a whole** with a message
naming the line or attempt and the field (a half-read file would give a learner a score they
did not earn), one hostile file cannot exhaust memory (:data:`MAX_BYTES`, :data:`MAX_BANKS`,
:data:`MAX_ITEMS`, :data:`MAX_ATTEMPTS`), and a refused file's message says what was lost.
See :mod:`fluorohip.instructor.merge` for how files are merged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..progress.formats import (
    EXPORT_FORMAT,
    LEGACY_FORMAT,
    ProgressFormatError,
    check_handed_in_attempt,
    csv_items,
    document_items,
    log_items,
    split_log,
    unguard_cell,
)

MAX_BYTES = 20_000_000  # a class export is kilobytes; anything this large is not an export
# A whole course is ~10 banks, ~400 questions; one learner answering every question ten times
# gives ~4,000 attempts. Far above that, a file is not an export (and could exhaust the report).
MAX_BANKS = 64
MAX_ITEMS = 5_000
MAX_ATTEMPTS = 50_000
EXPORT_SUFFIXES = (".csv", ".json", ".jsonl")
IGNORED_SUFFIXES = (".html", ".htm")  # a class report written into the exports folder

#: A file that is not a usable export; the message names the line/attempt and field.
ExportError = ProgressFormatError


def canonical_json(value: Any) -> str:
    """One text per JSON value (sorted keys), so two copies of an answer compare equal."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Record:
    """One attempt as handed in, with the learner resolved and the file it came from."""

    learner: str
    bank: str
    bank_version: int | str
    question_id: str
    objective: str | None
    answer: Any
    correct: bool
    timestamp: str
    attempt_id: str
    source: str = field(default="", compare=False)
    unnamed: bool = field(
        default=False, compare=False
    )  # no learner name in the file: named after it
    claimed: str | None = field(
        default=None, compare=False
    )  # learner field naming someone other than the owner

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.bank, self.question_id, self.timestamp, self.attempt_id)

    def same_content(self, other: Record) -> bool:
        return (
            self.learner,
            self.bank_version,
            self.objective,
            canonical_json(self.answer),
            self.correct,
        ) == (
            other.learner,
            other.bank_version,
            other.objective,
            canonical_json(other.answer),
            other.correct,
        )


def _records(items: Iterator[tuple[str, Any]], default_learner: str, source: str) -> list[Record]:
    out, limits = [], _Limits()
    for where, item in items:
        if not isinstance(item, dict):
            raise ExportError(f"{where}: an attempt must be a JSON object")
        check_handed_in_attempt(item, where)
        out.append(limits.add(_record(item, default_learner, source)))
    return out


def _record(data: dict[str, Any], default_learner: str, source: str) -> Record:
    named = (data.get("learner") or "").strip()
    return Record(
        learner=named or default_learner,
        unnamed=not named,
        bank=data["bank"].strip(),
        bank_version=data["bank_version"],
        question_id=data["question_id"].strip(),
        objective=(data.get("objective") or None),
        answer=data["answer"],
        correct=data["correct"],
        timestamp=data["timestamp"].strip(),
        attempt_id=data["attempt_id"].strip(),
        source=source,
    )


def parse_csv(text: str, default_learner: str, source: str = "") -> list[Record]:
    """Records in a CSV export (``fluorohip progress export --format csv``)."""
    return _records(csv_items(text), default_learner, source)


def parse_json(text: str, default_learner: str, source: str = "") -> list[Record]:
    """Records in a JSON export, or in a learner's raw ``progress.json`` of earlier versions."""
    items = document_items(text, (EXPORT_FORMAT, LEGACY_FORMAT), MAX_ATTEMPTS)
    return _records(items, default_learner, source)


def parse_log(raw: bytes, default_learner: str, source: str = "") -> list[Record]:
    """A learner's store log (``attempts.jsonl``), skipping a torn final line like the store does."""
    return _records(log_items(raw, MAX_ATTEMPTS), default_learner, source)


def read_export(
    path: Path, shown_as: str | None = None, default_learner: str | None = None
) -> list[Record]:
    """Every attempt in one export file. Raises :class:`ExportError` (message without the name).

    Attempts without a learner name get ``default_learner`` (default: the file name without
    extension).
    """
    path = Path(path)
    name = shown_as or path.name
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ExportError(
            "not a .csv or .json export (`fluorohip progress export --format csv|json`) "
            "nor a .jsonl progress store"
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExportError(f"{size} bytes is far too large for a progress export")
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot be read ({exc.strerror})") from None
    learner = default_learner or path.stem
    if suffix == ".jsonl":  # bytes first: a torn final line may end inside a UTF-8 character
        return check_limits(parse_log(raw, learner, name))
    try:
        text = raw.decode("utf-8-sig")  # a BOM appears when a spreadsheet re-saves the file
    except UnicodeDecodeError:
        raise ExportError(
            "not UTF-8 text (was it saved from a spreadsheet in another encoding?)"
        ) from None
    if not text.strip():
        return []
    return check_limits(
        parse_csv(text, learner, name) if suffix == ".csv" else parse_json(text, learner, name)
    )


class _Limits:
    """Counts as a file is read, so a hostile file is refused at the first record over a cap."""

    def __init__(self) -> None:
        self.n = 0
        self.banks: set[str] = set()
        self.items: set[tuple[str, str]] = set()

    def add(self, record: Record) -> Record:
        self.n += 1
        if self.n > MAX_ATTEMPTS:
            raise ExportError(f"more than {MAX_ATTEMPTS:,} attempts; not a progress export")
        self.banks.add(record.bank)
        if len(self.banks) > MAX_BANKS:
            raise ExportError(f"more than {MAX_BANKS} distinct banks; not a progress export")
        self.items.add((record.bank, record.question_id))
        if len(self.items) > MAX_ITEMS:
            raise ExportError(f"more than {MAX_ITEMS:,} distinct questions; not a progress export")
        return record


def check_limits(records: list[Record]) -> list[Record]:
    """ExportError when one file holds far more than a course has: it is not an export."""
    if len(records) > MAX_ATTEMPTS:
        raise ExportError(
            f"{len(records):,} attempts (limit {MAX_ATTEMPTS:,}); not a progress export"
        )
    banks = {r.bank for r in records}
    if len(banks) > MAX_BANKS:
        raise ExportError(
            f"{len(banks):,} distinct banks (limit {MAX_BANKS}); not a progress export"
        )
    items = {(r.bank, r.question_id) for r in records}
    if len(items) > MAX_ITEMS:
        raise ExportError(
            f"{len(items):,} distinct questions (limit {MAX_ITEMS:,}); not a progress export"
        )
    return records


def scan_folder(folder: Path, exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Path]]:
    """``(candidates, ignored)`` under ``folder``: see :func:`find_exports`."""
    folder = Path(folder)
    excluded = {same_file_key(Path(x)) for x in exclude}
    found, ignored = [], []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if p.suffix == ".lock":
            continue
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            if p.suffix.lower() in IGNORED_SUFFIXES or same_file_key(p) in excluded:
                ignored.append(p)
            else:
                found.append(p)
    key = lambda p: p.relative_to(folder).as_posix()  # noqa: E731
    return sorted(found, key=key), sorted(ignored, key=key)


def same_file_key(path: Path) -> str:
    try:
        return str(path.expanduser().resolve())
    except OSError:
        return str(path.absolute())


def find_exports(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files under ``folder`` (recursively), sorted, skipping hidden files and folders, the
    progress store's ``*.lock`` files (a hub's submissions folder links live stores), HTML files
    (a class report saved among the exports) and the paths in ``exclude``."""
    return scan_folder(folder, exclude)[0]


def _count_data_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def _named_learners(items) -> list[str]:
    """The non-empty ``learner`` names among ``items`` (dicts; anything else is skipped), sorted."""
    return sorted(
        {
            i["learner"].strip()
            for i in items
            if isinstance(i, dict) and isinstance(i.get("learner"), str) and i["learner"].strip()
        }
    )


def lost_in(raw: bytes, suffix: str) -> tuple[int | None, str, list[str]]:
    """What a skipped file held, read cheaply and leniently: ``(count, unit, learner names)``.

    ``count`` is None when it cannot be told (e.g. not UTF-8 text, or JSON cut short before any
    attempt). CSV rows are counted as non-empty lines after the header.
    """
    try:
        text = raw.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
    if suffix == ".csv":
        count = _count_data_lines("\n".join(text.splitlines()[1:]))
        rows = []
        try:  # rows read before a CSV error still name their learner
            for r in csv.DictReader(io.StringIO(text)):
                if isinstance(r.get("learner"), str):
                    rows.append({"learner": unguard_cell(r["learner"])})
        except csv.Error:
            pass
        return count, "row", _named_learners(rows)
    if suffix == ".jsonl":
        lines, _ = split_log(raw)
        items = []
        for line in lines[1:]:
            try:
                items.append(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
        return sum(1 for line in lines[1:] if line.strip()), "attempt", _named_learners(items)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        # Cut short or damaged: every attempt that was written carries one attempt_id.
        count = text.count('"attempt_id"')
        return (count or None), "attempt", []
    attempts = doc.get("attempts") if isinstance(doc, dict) else None
    if not isinstance(attempts, list):
        return None, "attempt", []
    return len(attempts), "attempt", _named_learners(attempts)


def loss_note(path: Path, reason: str) -> str:
    """`` — its 303 rows (learner resident20) are not counted; fix that line and run again``."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        return ""
    try:
        if path.stat().st_size > MAX_BYTES:
            return ""
        count, unit, learners = lost_in(path.read_bytes(), suffix)
    except OSError:
        return ""
    if count is None:
        what, verb = "none of it", "is counted"
    else:
        what = f"its {count} {unit}{'s' if count != 1 else ''}"
        verb = "is not counted" if count == 1 else "are not counted"
    if learners:
        shown = ", ".join(learners[:3]) + (
            f" and {len(learners) - 3} more" if len(learners) > 3 else ""
        )
        what += f" (learner{'s' if len(learners) > 1 else ''} {shown})"
    if (
        reason.startswith("line ")
        and not reason.startswith("line 1:")
        and "truncated" not in reason
    ):
        advice = "fix that line and run again"
    elif reason.startswith("attempts["):
        advice = "fix that attempt and run again"
    else:
        advice = "ask for a fresh export and run again"
    lead = "; " if " — " in reason else " — "
    return f"{lead}{what} {verb}; {advice}"
