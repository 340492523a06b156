"""Read the progress exports residents hand in and merge them without double counting.

Accepted files (``fluorohip progress export``, see :mod:`fluorohip.progress.export`):

- **CSV**: a header with the columns ``timestamp, learner, bank, bank_version, question_id,
  objective, answer, correct, attempt_id`` (any order, extra columns ignored); ``answer`` is
  JSON text; ``correct`` is ``true``/``false``; a leading ``'`` that the exporter adds in front of
  ``= + - @`` (spreadsheet formula guard) is removed again.
- **JSON**: ``{"format": "fluorohip-progress-export", "version": 1, "attempts": [...]}``; a
  learner's raw ``progress.json`` (``"format": "fluorohip-progress"``, the store of earlier
  versions) is accepted too.
- **JSON Lines**: a learner's live store log ``attempts.jsonl`` (a header line
  ``{"format": "fluorohip-progress-log", "version": 1}``, then one attempt per line), e.g. the
  ``<learner>.jsonl`` links in a workshop hub's submissions folder. A torn final line (an answer
  being saved at that instant, or cut short by a crash, and so never acknowledged) is skipped,
  exactly as the store itself skips it; a bad line anywhere else makes the file malformed.

Rules, chosen so that nothing is counted twice and nothing good is lost:

- An attempt is identified by ``(bank, question_id, timestamp, attempt_id)``. The same
  attempt handed in twice (the same export sent as CSV *and* JSON, a file copied under a
  new name, two exports of one store a week apart) is kept once. The learner name is not
  part of the key on purpose: a renamed file without a learner name must not create a
  second learner.
- Files are read in sorted path order and the first copy of an attempt wins; a later copy
  that *differs* (e.g. an edited ``correct``) is reported as a conflict.
- Attempts without a learner name (``FLUOROHIP_LEARNER`` was not set) are attributed to the
  file's path relative to the folder read, without extension: ``ana.json`` -> learner ``ana``,
  ``a/me.json`` -> learner ``a/me`` (so two residents' ``me.json`` in two subfolders stay two
  learners). When such files share a name or have a generic one (``me.json``,
  ``progress.json``...), :attr:`MergeResult.name_warning` says so: ask residents to set their name.
- A malformed file (not UTF-8, not CSV/JSON, a missing column, a bad value on any row) is
  skipped **as a whole** and listed with the reason, naming the line or attempt and the field,
  and with what was lost (its rows and learner, when readable): a half-read file would give a
  learner a score they did not earn. Every other file is used.
- An empty file (0 bytes, a header only, or no attempts) is listed as handed in but empty.
- Every field of a hand-in is untrusted text (a learner writes their own store on the hub):
  a file with more than :data:`MAX_BANKS` distinct banks, :data:`MAX_ITEMS` distinct questions,
  :data:`MAX_ATTEMPTS` attempts or a name longer than :data:`MAX_NAME_CHARS` is skipped as a
  whole with a message naming the file, so one hostile file cannot exhaust memory or stop the
  report for everyone else.
- The *owner* of a hand-in: a ``.jsonl`` file is a live store that a workshop hub links into its
  submissions folder as ``<learner>.jsonl``, so its name is its owner (``owners="names"`` makes
  every file's name its owner). An attempt whose ``learner`` field names someone else is counted
  for the owner and listed in :attr:`MergeResult.mismatches` (the report marks it), so one
  learner cannot spoil another's "right first time".
- HTML files (e.g. the class report itself written into the exports folder) and any path
  given to ``exclude`` are not exports: they are listed as ignored, not as malformed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..progress.store import LOG_FORMAT, LOG_VERSION, complete_attempt, is_torn_fragment, split_log

CSV_COLUMNS = (
    "timestamp",
    "learner",
    "bank",
    "bank_version",
    "question_id",
    "objective",
    "answer",
    "correct",
    "attempt_id",
)
EXPORT_FORMAT = "fluorohip-progress-export"
STORE_FORMAT = "fluorohip-progress"
SUPPORTED_VERSION = 1
MAX_BYTES = 20_000_000  # a class export is kilobytes; anything this large is not an export
# A whole course is ~10 banks, ~400 questions; one learner answering every question ten times
# gives ~4,000 attempts. Far above that, a file is not an export (and could exhaust the report).
MAX_BANKS = 64
MAX_ITEMS = 5_000
MAX_ATTEMPTS = 50_000
MAX_NAME_CHARS = 200  # bank, question id, learner, objective, attempt id, timestamp
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_SUFFIXES = (".csv", ".json", ".jsonl")
IGNORED_SUFFIXES = (
    ".html",
    ".htm",
)  # a class report written into the exports folder is not an export
# File names that say nothing about who handed them in (the docs' example is ``me.json``).
GENERIC_NAMES = frozenset(
    {
        "me",
        "my",
        "mine",
        "progress",
        "my_progress",
        "my-progress",
        "export",
        "exports",
        "progress_export",
        "progress-export",
        "fluorohip",
        "fluorohip_progress",
        "fluorohip-progress",
        "attempts",
        "answers",
        "results",
        "quiz",
        "data",
        "download",
        "untitled",
        "file",
        "test",
    }
)


class ExportError(ValueError):
    """A file that is not a usable export; the message names the line/attempt and field."""


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
            _canon(self.answer),
            self.correct,
        ) == (
            other.learner,
            other.bank_version,
            other.objective,
            _canon(other.answer),
            other.correct,
        )


@dataclass(frozen=True)
class FileResult:
    name: str  # path relative to the folder read
    attempts: int  # attempts read from the file
    new: int  # attempts not seen in an earlier file
    learners: tuple[str, ...]
    unnamed: int = 0  # attempts without a learner name, attributed to the file's name


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass
class MergeResult:
    records: list[Record]
    files: list[FileResult]
    skipped: list[Skipped]
    empty: list[str]
    duplicates: int  # attempts dropped because an identical attempt was already read
    conflicts: list[str]  # duplicates whose content differed from the first copy
    ignored: list[str] = field(default_factory=list)  # not exports (.html, the report itself)
    mismatches: list[str] = field(
        default_factory=list
    )  # per file: attempts whose learner field is not the owner

    @property
    def learners(self) -> list[str]:
        return sorted({r.learner for r in self.records})

    @property
    def unnamed_files(self) -> list[FileResult]:
        """Files with attempts that carried no learner name (named after the file instead)."""
        return [f for f in self.files if f.unnamed]

    @property
    def name_warning(self) -> str | None:
        """A warning when learners named after their files may be mixed up, else None.

        Given when files without learner names share a name (``a/me.json``, ``b/me.json``) or
        have a generic one (``me``, ``progress``, ``export``...): the learner list then shows
        file names, not residents, and a resident who renames a file becomes a new learner.
        """
        unnamed = self.unnamed_files
        stems = [PurePosixPath(f.name).stem.lower() for f in unnamed]
        shared = len(stems) != len(set(stems))
        generic = any(stem in GENERIC_NAMES for stem in stems)
        if not (shared or generic):
            return None
        names = ", ".join(sorted({r.learner for r in self.records if r.unnamed}))
        n = len(unnamed)
        return (
            f"{n} file{'s' if n != 1 else ''} had no learner name; learners named after their files: "
            f"{names} — ask residents to set their name (`fluorohip progress export --learner NAME`, "
            "or FLUOROHIP_LEARNER) and export again"
        )


def learner_from_name(name: str) -> str:
    """The learner for unnamed attempts in the file ``name`` (relative path): the path without extension."""
    path = PurePosixPath(name)
    return path.with_name(path.stem).as_posix() if path.stem else path.as_posix()


_JSON_PROBLEMS = {
    "Expecting value": "a value is missing",
    "Expecting ',' delimiter": "a comma or closing bracket is missing",
    "Expecting ':' delimiter": "a colon is missing",
    "Expecting property name enclosed in double quotes": "a name in double quotes was expected",
    "Unterminated string starting at": "unterminated string",
    "Invalid control character at": "a control character inside a string",
    "Invalid \\escape": "an invalid backslash escape",
    "Invalid \\uXXXX escape": "an invalid \\u escape",
    "Extra data": "extra text after the end of the JSON data",
}


def _json_problem(exc: json.JSONDecodeError) -> str:
    """The decoder's message as a complete phrase ("Unterminated string starting at" -> "unterminated string")."""
    msg = exc.msg.strip()
    if msg in _JSON_PROBLEMS:
        return _JSON_PROBLEMS[msg]
    msg = msg.removesuffix(" at").strip()
    return msg[:1].lower() + msg[1:]


def _json_error(exc: json.JSONDecodeError, text: str) -> str:
    """A complete sentence for a JSON document that does not parse, with line and column."""
    reason = f"not valid JSON at line {exc.lineno} column {exc.colno} ({_json_problem(exc)})"
    if exc.msg.startswith("Unterminated string") or exc.pos >= len(text.rstrip()):
        reason += " — the file may be truncated"
    return reason


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _unguard(text: str) -> str:
    """Undo the exporter's spreadsheet-formula guard (a ``'`` before ``= + - @``)."""
    if text[:1] == "'" and text[1:2] in _FORMULA_START:
        return text[1:]
    return text


def _version(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _check_attempt(data: dict, where: str) -> None:
    for name, types in (
        ("timestamp", str),
        ("bank", str),
        ("question_id", str),
        ("attempt_id", str),
    ):
        value = data.get(name)
        if not isinstance(value, types) or not value.strip():
            raise ExportError(f"{where}: field {name!r} is missing or empty")
    if not isinstance(data.get("correct"), bool):
        raise ExportError(
            f"{where}: field 'correct' must be true or false; got {data.get('correct')!r}"
        )
    version = data.get("bank_version")
    if isinstance(version, bool) or not isinstance(version, (int, str)) or version == "":
        raise ExportError(f"{where}: field 'bank_version' is missing or has the wrong type")
    for name in ("learner", "objective"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ExportError(f"{where}: field {name!r} must be text")
    for name in (
        "timestamp",
        "bank",
        "question_id",
        "attempt_id",
        "learner",
        "objective",
        "bank_version",
    ):
        if isinstance(data.get(name), str) and len(data[name]) > MAX_NAME_CHARS:
            raise ExportError(
                f"{where}: field {name!r} is {len(data[name]):,} characters long "
                f"(limit {MAX_NAME_CHARS}); not a progress export"
            )
    if "answer" not in data:
        raise ExportError(f"{where}: field 'answer' is missing")


def _record(data: dict, default_learner: str, source: str) -> Record:
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
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        raise ExportError(f"line 1: not readable as CSV ({exc})") from None
    header = [h.strip() for h in header]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ExportError(
            f"line 1: header lacks column(s) {', '.join(missing)}; "
            f"is this a `fluorohip progress export --format csv` file?"
        )
    col = {name: header.index(name) for name in CSV_COLUMNS}
    out, limits = [], _Limits()
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise ExportError(
                    f"line {line}: {len(row)} values for {len(header)} columns (truncated row?)"
                )
            cells = {name: _unguard(row[i]) for name, i in col.items()}
            try:
                answer = json.loads(cells["answer"])
            except json.JSONDecodeError:
                raise ExportError(
                    f"line {line}: field 'answer' is not JSON text: {cells['answer'][:40]!r}"
                ) from None
            flag = cells["correct"].strip().lower()
            if flag not in ("true", "false"):
                raise ExportError(
                    f"line {line}: field 'correct' must be true or false; got {cells['correct']!r}"
                )
            data = {
                "timestamp": cells["timestamp"],
                "learner": cells["learner"] or None,
                "bank": cells["bank"],
                "bank_version": _version(cells["bank_version"].strip()),
                "question_id": cells["question_id"],
                "objective": cells["objective"] or None,
                "answer": answer,
                "correct": flag == "true",
                "attempt_id": cells["attempt_id"],
            }
            _check_attempt(data, f"line {line}")
            out.append(limits.add(_record(data, default_learner, source)))
    except csv.Error as exc:
        raise ExportError(f"line {reader.line_num}: not readable as CSV ({exc})") from None
    return out


def parse_json(text: str, default_learner: str, source: str = "") -> list[Record]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(_json_error(exc, text)) from None
    if not isinstance(doc, dict):
        raise ExportError("top level: expected a JSON object with 'format' and 'attempts'")
    fmt = doc.get("format")
    if fmt not in (EXPORT_FORMAT, STORE_FORMAT):
        raise ExportError(f"field 'format': expected {EXPORT_FORMAT!r}; got {fmt!r}")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportError("field 'version': missing or not a whole number")
    if version > SUPPORTED_VERSION:
        raise ExportError(
            f"field 'version': written by a newer fluorohip (format {version}); update the course"
        )
    attempts = doc.get("attempts")
    if not isinstance(attempts, list):
        raise ExportError("field 'attempts': missing or not a list")
    if len(attempts) > MAX_ATTEMPTS:
        raise ExportError(
            f"{len(attempts):,} attempts (limit {MAX_ATTEMPTS:,}); not a progress export"
        )
    out, limits = [], _Limits()
    for i, item in enumerate(attempts):
        where = f"attempts[{i}]"
        if not isinstance(item, dict):
            raise ExportError(f"{where}: an attempt must be a JSON object")
        _check_attempt(item, where)
        out.append(limits.add(_record(item, default_learner, source)))
    return out


def parse_log(raw: bytes, default_learner: str, source: str = "") -> list[Record]:
    """A learner's store log (``attempts.jsonl``), skipping a torn final line like the store does."""
    lines, fragment = split_log(raw)
    if fragment and not is_torn_fragment(fragment):
        raise ExportError(
            f"line {len(lines) + 1}: text after the last complete line that no save wrote"
        )
    if not lines:
        if fragment:
            raise ExportError("line 1: no complete header line")
        return []
    if fragment and complete_attempt(fragment) is not None:
        lines.append(fragment)  # a whole attempt that lost only its newline counts, as in the store
    try:
        header = json.loads(lines[0].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportError("line 1: not a fluorohip progress log header") from None
    if not isinstance(header, dict) or header.get("format") != LOG_FORMAT:
        raise ExportError(f"line 1: field 'format': expected {LOG_FORMAT!r}")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportError("line 1: field 'version': missing or not a whole number")
    if version > LOG_VERSION:
        raise ExportError(
            f"line 1: field 'version': written by a newer fluorohip (log format {version}); "
            "update the course"
        )
    if len(lines) - 1 > MAX_ATTEMPTS:
        raise ExportError(
            f"{len(lines) - 1:,} attempts (limit {MAX_ATTEMPTS:,}); not a progress export"
        )
    out, limits = [], _Limits()
    for number, line in enumerate(lines[1:], start=2):
        where = f"line {number}"
        try:
            item = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            raise ExportError(f"{where}: not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ExportError(f"{where}: not valid JSON ({_json_problem(exc)})") from None
        if not isinstance(item, dict):
            raise ExportError(f"{where}: an attempt must be a JSON object")
        _check_attempt(item, where)
        out.append(limits.add(_record(item, default_learner, source)))
    return out


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

    def __init__(self):
        self.n, self.banks, self.items = 0, set(), set()

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


def with_owner(records: list[Record], owner: str) -> tuple[list[Record], int]:
    """Records counted for ``owner`` (the hand-in's owner), and how many named someone else."""
    out, claimed = [], 0
    for r in records:
        if r.learner != owner:
            if not r.unnamed:
                claimed += 1
            r = replace(
                r, learner=owner, claimed=None if r.unnamed else r.learner, unnamed=r.unnamed
            )
        out.append(r)
    return out, claimed


def _scan(folder: Path, exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Path]]:
    """``(candidates, ignored)`` under ``folder``: see :func:`find_exports`."""
    folder = Path(folder)
    excluded = {_same_file_key(Path(x)) for x in exclude}
    found, ignored = [], []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if p.suffix == ".lock":
            continue
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            if p.suffix.lower() in IGNORED_SUFFIXES or _same_file_key(p) in excluded:
                ignored.append(p)
            else:
                found.append(p)
    key = lambda p: p.relative_to(folder).as_posix()  # noqa: E731
    return sorted(found, key=key), sorted(ignored, key=key)


def _same_file_key(path: Path) -> str:
    try:
        return str(path.expanduser().resolve())
    except OSError:
        return str(path.absolute())


def find_exports(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files under ``folder`` (recursively), sorted, skipping hidden files and folders, the
    progress store's ``*.lock`` files (a hub's submissions folder links live stores), HTML files
    (a class report saved among the exports) and the paths in ``exclude``."""
    return _scan(folder, exclude)[0]


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


def _lost(raw: bytes, suffix: str) -> tuple[int | None, str, list[str]]:
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
                    rows.append({"learner": _unguard(r["learner"])})
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


def _loss_note(path: Path, reason: str) -> str:
    """`` — its 303 rows (learner resident20) are not counted; fix that line and run again``."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        return ""
    try:
        if path.stat().st_size > MAX_BYTES:
            return ""
        count, unit, learners = _lost(path.read_bytes(), suffix)
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


def owner_of(name: str, owners: str = "stores") -> str | None:
    """The owner of the hand-in ``name`` (relative path): ``owners="stores"`` (default) gives one
    for ``.jsonl`` live stores only (a hub links them in as ``<learner>.jsonl``), ``"names"`` for
    every file, ``"none"`` never."""
    if owners == "none":
        return None
    if owners == "names" or PurePosixPath(name).suffix.lower() == ".jsonl":
        return learner_from_name(name)
    return None


def merge_files(
    paths: Iterable[Path], base: Path | None = None, owners: str = "stores"
) -> MergeResult:
    """Read and merge ``paths`` in the order given (the first copy of an attempt wins).

    Attempts without a learner name take the file's path relative to ``base`` (or its name)
    without extension. Attempts in a file with an owner (:func:`owner_of`) count for the owner;
    those whose learner field names someone else are listed in ``mismatches``.
    """
    mismatches: list[str] = []
    seen: dict[tuple, Record] = {}
    files: list[FileResult] = []
    skipped: list[Skipped] = []
    empty: list[str] = []
    duplicates = 0
    conflicts: list[str] = []
    for path in paths:
        path = Path(path)
        name = path.relative_to(base).as_posix() if base is not None else path.name
        default = learner_from_name(name)
        try:
            records = read_export(path, name, default)
        except ExportError as exc:
            skipped.append(Skipped(name, str(exc) + _loss_note(path, str(exc))))
            continue
        except (MemoryError, RecursionError) as exc:  # one hostile file never stops the report
            skipped.append(
                Skipped(name, f"too large or too deeply nested to read ({type(exc).__name__})")
            )
            continue
        owner = owner_of(name, owners)
        if owner is not None:
            records, claimed = with_owner(records, owner)
            if claimed:
                names = sorted({r.claimed for r in records if r.claimed})
                shown = ", ".join(names[:3]) + (
                    f" and {len(names) - 3} more" if len(names) > 3 else ""
                )
                mismatches.append(
                    f"{name}: {claimed} attempt{'s' if claimed != 1 else ''} name learner {shown} "
                    f"but this file belongs to {owner}; counted for {owner}"
                )
        if not records:
            empty.append(name)
            continue
        new = 0
        for r in records:
            first = seen.get(r.key)
            if first is None:
                seen[r.key] = r
                new += 1
                continue
            duplicates += 1
            if not first.same_content(r):
                conflicts.append(
                    f"{name}: attempt {r.attempt_id} ({r.bank} {r.question_id}) differs from "
                    f"the copy in {first.source}; the first copy was kept"
                )
        unnamed = sum(1 for r in records if r.unnamed)
        files.append(
            FileResult(
                name, len(records), new, tuple(sorted({r.learner for r in records})), unnamed
            )
        )
    records = sorted(seen.values(), key=lambda r: (r.learner, r.timestamp, r.attempt_id))
    return MergeResult(records, files, skipped, empty, duplicates, conflicts, mismatches=mismatches)


def merge_folder(
    folder: Path | str, exclude: Iterable[Path] = (), owners: str = "stores"
) -> MergeResult:
    """Merge every export under ``folder``. Raises FileNotFoundError/NotADirectoryError.

    ``exclude``: files that are not exports even if they look like one (the report being
    written); they and any ``*.html`` are listed in :attr:`MergeResult.ignored`.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder (give the folder holding the exports)")
    found, ignored = _scan(folder, exclude)
    result = merge_files(found, base=folder, owners=owners)
    result.ignored = [p.relative_to(folder).as_posix() for p in ignored]
    return result
