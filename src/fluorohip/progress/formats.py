"""Every progress file format, read and written in one place (as nbgrader keeps its formats).

The formats, all version 1:

- **store log** ``attempts.jsonl`` (:data:`LOG_FORMAT`): a header line
  ``{"format": "fluorohip-progress-log", "version": 1}``, then one attempt per line. Written by
  :class:`~fluorohip.progress.store.ProgressStore`; also handed in (a hub links each learner's
  log into its submissions folder).
- **legacy store** ``progress.json`` (:data:`LEGACY_FORMAT`): one JSON document
  ``{"format": "fluorohip-progress", "version": 1, "attempts": [...]}`` written by earlier
  versions; read, never written.
- **CSV export** (:data:`CSV_COLUMNS`): one row per attempt; ``answer`` is JSON text,
  ``correct`` is ``true``/``false``; a text cell a spreadsheet would run as a formula gets a
  leading ``'`` (:func:`guard_cell`), which readers remove again (:func:`unguard_cell`).
- **JSON export** (:data:`EXPORT_FORMAT`): ``{"format": "fluorohip-progress-export",
  "version": 1, "exported_at": ..., "attempts": [...]}``.

Why one module: the writer and the reader of a format used to define its columns, names and
version separately (the store, the exporter and the class report each had a copy), so a change
in one silently broke another. Here each format has one definition, and the guards every reader
shares: a file from a *newer* fluorohip is refused (:class:`NewerFormatError`, never taken for
damage), and a bad line or attempt raises :class:`ProgressFormatError` naming the line
(``line 3: ...``) or attempt (``attempts[2]: ...``) and the field. What to do about a bad file
(move it aside, skip it in a report) is the caller's decision; nothing here deletes anything.

Attempts are checked at two strengths, from one table of fields (:data:`ATTEMPT_FIELDS`):
the learner's own store accepts any well-typed attempt (refusing more would move a learner's
file aside), while a hand-in to the class report (:func:`check_handed_in_attempt`) must also
have non-empty names of sane length, because its every field is untrusted text.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

LOG_NAME = "attempts.jsonl"  # the store log in a learner's progress folder
LEGACY_NAME = "progress.json"  # the whole-document store of earlier versions: read, never written
LOG_FORMAT = "fluorohip-progress-log"
LOG_VERSION = 1
LEGACY_FORMAT = "fluorohip-progress"
LEGACY_VERSION = 1
EXPORT_FORMAT = "fluorohip-progress-export"
EXPORT_VERSION = 1
EXPORT_TYPES = ("csv", "json")  # what ``fluorohip progress export --format`` writes
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
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula
HEADER_MAX_BYTES = 4096  # the log header is ~50 bytes; a first "line" longer than this is not ours
MAX_NAME_CHARS = 200  # a hand-in's bank, question id, learner, objective, attempt id, timestamp

#: Every attempt field but ``answer`` (any JSON value), with its type; ``None`` allowed where optional.
ATTEMPT_FIELDS: dict[str, tuple[type, ...]] = {
    "timestamp": (str,),
    "bank": (str,),
    "bank_version": (int, str),
    "question_id": (str,),
    "correct": (bool,),
    "attempt_id": (str,),
    "learner": (str,),
    "objective": (str,),
}
OPTIONAL_FIELDS = ("learner", "objective")


class ProgressFormatError(ValueError):
    """A file, line or attempt that is not in a progress format; the message names where and what."""


class NewerFormatError(ProgressFormatError):
    """Written by a newer fluorohip: not damaged, so never moved aside nor appended to.

    ``detail`` is the reason without the place ("written by a newer fluorohip (log format 2);
    update the course"), for messages that name the file instead.
    """

    def __init__(self, where: str, detail: str):
        super().__init__(f"{where}{detail}")
        self.detail = detail


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Attempt:
    """One press of Check: what was answered and whether it was right."""

    timestamp: str  # UTC, ISO 8601
    bank: str
    bank_version: int | str
    question_id: str  # "question-id", or "case-id/stage-id" for a case stage
    answer: Any  # JSON-able: an option id, a list, a mapping or the typed text
    correct: bool
    learner: str | None = None
    objective: str | None = None
    attempt_id: str = field(default_factory=lambda: secrets.token_hex(8))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any, where: str = "") -> Attempt:
        """ProgressFormatError (a ValueError) for anything that is not a well-formed attempt."""
        check_attempt(data, where)
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def _wrong_type(name: str, value: Any) -> bool:
    if value is None and name in OPTIONAL_FIELDS:
        return False
    if name == "bank_version" and isinstance(value, bool):
        return True  # a bool is an int to Python, never a version to us
    return not isinstance(value, ATTEMPT_FIELDS[name])


def check_attempt(data: Any, where: str = "") -> None:
    """ProgressFormatError unless ``data`` is an attempt (a dict with well-typed fields)."""
    lead = f"{where}: " if where else ""
    if not isinstance(data, dict):
        raise ProgressFormatError(f"{lead}an attempt must be a JSON object")
    for name in ATTEMPT_FIELDS:
        if _wrong_type(name, data.get(name)):
            if name in OPTIONAL_FIELDS:
                raise ProgressFormatError(f"{lead}attempt field {name!r} must be text")
            raise ProgressFormatError(
                f"{lead}attempt field {name!r} is missing or has the wrong type"
            )


def check_handed_in_attempt(data: dict[str, Any], where: str) -> None:
    """The stricter check of a hand-in: names present, not empty and at most MAX_NAME_CHARS long."""
    for name in ("timestamp", "bank", "question_id", "attempt_id"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ProgressFormatError(f"{where}: field {name!r} is missing or empty")
    if not isinstance(data.get("correct"), bool):
        raise ProgressFormatError(
            f"{where}: field 'correct' must be true or false; got {data.get('correct')!r}"
        )
    version = data.get("bank_version")
    if _wrong_type("bank_version", version) or version == "":
        raise ProgressFormatError(f"{where}: field 'bank_version' is missing or has the wrong type")
    for name in OPTIONAL_FIELDS:
        if _wrong_type(name, data.get(name)):
            raise ProgressFormatError(f"{where}: field {name!r} must be text")
    for name in ATTEMPT_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and len(value) > MAX_NAME_CHARS:
            raise ProgressFormatError(
                f"{where}: field {name!r} is {len(value):,} characters long "
                f"(limit {MAX_NAME_CHARS}); not a progress export"
            )
    if "answer" not in data:
        raise ProgressFormatError(f"{where}: field 'answer' is missing")


def check_version(version: Any, newest: int, where: str, what: str = "format") -> None:
    """The one version guard: a whole number, and not newer than ``newest``."""
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProgressFormatError(f"{where}field 'version': missing or not a whole number")
    if version > newest:
        raise NewerFormatError(
            f"{where}field 'version': ",
            f"written by a newer fluorohip ({what} {version}); update the course",
        )


# -- JSON messages for people ---------------------------------------------------------------
JSON_PROBLEMS = {
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


def json_problem(exc: json.JSONDecodeError) -> str:
    """The decoder's message as a phrase ("Unterminated string starting at" -> "unterminated string")."""
    msg = exc.msg.strip()
    if msg in JSON_PROBLEMS:
        return JSON_PROBLEMS[msg]
    msg = msg.removesuffix(" at").strip()
    return msg[:1].lower() + msg[1:]


def json_document_error(exc: json.JSONDecodeError, text: str) -> str:
    """A sentence for a JSON document that does not parse, with line and column."""
    reason = f"not valid JSON at line {exc.lineno} column {exc.colno} ({json_problem(exc)})"
    if exc.msg.startswith("Unterminated string") or exc.pos >= len(text.rstrip()):
        reason += " — the file may be truncated"
    return reason


# -- the store log (attempts.jsonl) -----------------------------------------------------------
def log_header() -> bytes:
    return (json.dumps({"format": LOG_FORMAT, "version": LOG_VERSION}) + "\n").encode("utf-8")


def log_line(attempt: Attempt) -> bytes:
    """One attempt as one log line (ends with the newline; JSON never contains a raw one)."""
    text = json.dumps(attempt.to_json(), ensure_ascii=False, sort_keys=True)
    return (text + "\n").encode("utf-8")


def is_torn_fragment(fragment: bytes) -> bool:
    """Could ``fragment`` (bytes after the last newline) be an append cut short by a crash?

    Our lines start with ``{``; a power cut can also leave the unwritten part as NUL bytes.
    Anything else after the last newline was not written by a save and is damage.
    """
    return fragment.startswith(b"{") or fragment.strip(b"\0") == b""


def complete_attempt(fragment: bytes) -> Attempt | None:
    """The attempt in a final line that lacks only its newline, or None if it is torn."""
    if not fragment.startswith(b"{") or not fragment.rstrip().endswith(b"}"):
        return None
    try:
        return Attempt.from_json(json.loads(fragment.decode("utf-8")))
    except (UnicodeDecodeError, ValueError):
        return None


def split_log(data: bytes) -> tuple[list[bytes], bytes]:
    """A log's complete lines (without newlines) and its final fragment (``b""`` if none)."""
    end = data.rfind(b"\n")
    if end < 0:
        return [], data
    return data[:end].split(b"\n"), data[end + 1 :]


def check_log_header(line: bytes) -> None:
    """ProgressFormatError unless ``line`` is a log header we can read (NewerFormatError if newer)."""
    try:
        doc = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ProgressFormatError("line 1: not a fluorohip progress log header") from None
    if not isinstance(doc, dict) or doc.get("format") != LOG_FORMAT:
        raise ProgressFormatError(
            f"line 1: field 'format': expected {LOG_FORMAT!r} (not a fluorohip progress log header)"
        )
    check_version(doc.get("version"), LOG_VERSION, "line 1: ", "log format")


def log_items(data: bytes, max_attempts: int | None = None) -> Iterator[tuple[str, Any]]:
    """``("line N", parsed JSON)`` per attempt line of a log, header checked, torn final line skipped.

    A whole attempt that lost only its newline counts (as the store counts it). Raises
    ProgressFormatError naming the line for anything else that no save wrote. An empty file
    yields nothing (the store, which creates its log whole, calls that damage itself).
    """
    lines, fragment = split_log(data)
    if fragment and not is_torn_fragment(fragment):
        raise ProgressFormatError(
            f"line {len(lines) + 1}: text after the last complete line that no save wrote"
        )
    if not lines:
        if fragment:
            raise ProgressFormatError("line 1: no complete header line")
        return
    check_log_header(lines[0])
    if fragment and complete_attempt(fragment) is not None:
        lines.append(fragment)
    if max_attempts is not None and len(lines) - 1 > max_attempts:
        raise ProgressFormatError(
            f"{len(lines) - 1:,} attempts (limit {max_attempts:,}); not a progress export"
        )
    for number, line in enumerate(lines[1:], start=2):
        where = f"line {number}"
        try:
            yield where, json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            raise ProgressFormatError(f"{where}: not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ProgressFormatError(f"{where}: not valid JSON ({json_problem(exc)})") from None


def read_log(data: bytes) -> list[Attempt]:
    """The attempts in a store log's bytes; ProgressFormatError naming the first bad line."""
    if b"\n" not in data and is_torn_fragment(data):
        raise ProgressFormatError("no header line")  # the store writes its log whole, header first
    return [Attempt.from_json(item, where) for where, item in log_items(data)]


# -- JSON documents: the legacy store and the JSON export -------------------------------------
#: The JSON documents and the newest version of each that this fluorohip reads.
DOCUMENT_VERSIONS = {EXPORT_FORMAT: EXPORT_VERSION, LEGACY_FORMAT: LEGACY_VERSION}


def document_items(
    text: str, formats: Iterable[str], max_attempts: int | None = None
) -> Iterator[tuple[str, Any]]:
    """``("attempts[i]", item)`` per attempt of a JSON document in one of ``formats``
    (keys of :data:`DOCUMENT_VERSIONS`)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressFormatError(json_document_error(exc, text)) from None
    if not isinstance(doc, dict):
        raise ProgressFormatError("top level: expected a JSON object with 'format' and 'attempts'")
    accepted = tuple(formats)
    if doc.get("format") not in accepted:
        raise ProgressFormatError(
            f"field 'format': expected {accepted[0]!r}; got {doc.get('format')!r}"
        )
    check_version(doc.get("version"), DOCUMENT_VERSIONS[doc["format"]], "")
    attempts = doc.get("attempts")
    if not isinstance(attempts, list):
        raise ProgressFormatError("field 'attempts': missing or not a list")
    if max_attempts is not None and len(attempts) > max_attempts:
        raise ProgressFormatError(
            f"{len(attempts):,} attempts (limit {max_attempts:,}); not a progress export"
        )
    for i, item in enumerate(attempts):
        yield f"attempts[{i}]", item


def read_legacy_document(text: str) -> list[Attempt]:
    """The attempts in a legacy ``progress.json``; ProgressFormatError if it is not one."""
    return [
        Attempt.from_json(item, where) for where, item in document_items(text, (LEGACY_FORMAT,))
    ]


def attempts_to_json(attempts: Iterable[Attempt]) -> str:
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utc_now_iso(),
        "attempts": [a.to_json() for a in attempts],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# -- CSV export -------------------------------------------------------------------------------
def guard_cell(value: object) -> str:
    """A cell as text; a leading ``'`` where a spreadsheet would otherwise run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_START else text


def unguard_cell(text: str) -> str:
    """Undo :func:`guard_cell`."""
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def attempts_to_csv(attempts: Iterable[Attempt]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in attempts:
        row = a.to_json()
        row["answer"] = json.dumps(a.answer, ensure_ascii=False, sort_keys=True)
        row["correct"] = "true" if a.correct else "false"
        writer.writerow([guard_cell(row.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue()


def csv_items(text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("line N", attempt fields)`` per data row of a CSV export; columns in any order.

    ``answer`` is decoded from JSON, ``correct`` from ``true``/``false``, a numeric
    ``bank_version`` becomes a number, empty ``learner``/``objective`` become None.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise ProgressFormatError(f"line 1: not readable as CSV ({exc})") from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ProgressFormatError(
            f"line 1: header lacks column(s) {', '.join(missing)}; "
            f"is this a `fluorohip progress export --format csv` file?"
        )
    col = {name: header.index(name) for name in CSV_COLUMNS}
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise ProgressFormatError(
                    f"{where}: {len(row)} values for {len(header)} columns (truncated row?)"
                )
            cells = {name: unguard_cell(row[i]) for name, i in col.items()}
            yield where, _csv_attempt(cells, where)
    except csv.Error as exc:
        raise ProgressFormatError(f"line {reader.line_num}: not readable as CSV ({exc})") from None


def _csv_attempt(cells: dict[str, str], where: str) -> dict[str, Any]:
    try:
        answer = json.loads(cells["answer"])
    except json.JSONDecodeError:
        raise ProgressFormatError(
            f"{where}: field 'answer' is not JSON text: {cells['answer'][:40]!r}"
        ) from None
    flag = cells["correct"].strip().lower()
    if flag not in ("true", "false"):
        raise ProgressFormatError(
            f"{where}: field 'correct' must be true or false; got {cells['correct']!r}"
        )
    version = cells["bank_version"].strip()
    return {
        "timestamp": cells["timestamp"],
        "learner": cells["learner"] or None,
        "bank": cells["bank"],
        "bank_version": int(version) if version.isdigit() else version,
        "question_id": cells["question_id"],
        "objective": cells["objective"] or None,
        "answer": answer,
        "correct": flag == "true",
        "attempt_id": cells["attempt_id"],
    }


def export_text(attempts: Iterable[Attempt], fmt: str) -> str:
    """The export ``fluorohip progress export --format`` writes: ``"csv"`` or ``"json"``."""
    if fmt == "csv":
        return attempts_to_csv(attempts)
    if fmt == "json":
        return attempts_to_json(attempts)
    raise ValueError(f"format must be one of {', '.join(EXPORT_TYPES)}; got {fmt!r}")
