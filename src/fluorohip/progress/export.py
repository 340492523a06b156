"""Export attempts for an instructor: CSV (one row per attempt) or JSON.

In CSV the answer is JSON-encoded (``"a"``, ``["a", "c"]``, ``{"A": "head"}``) so every type
fits one column; text cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .store import Attempt, utc_now_iso

FORMATS = ("csv", "json")
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


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text  # no formula injection when the instructor opens it in a spreadsheet
    return text


def attempts_to_csv(attempts: Iterable[Attempt]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in attempts:
        row = a.to_json()
        row["answer"] = json.dumps(a.answer, ensure_ascii=False, sort_keys=True)
        row["correct"] = "true" if a.correct else "false"
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue()


def attempts_to_json(attempts: Iterable[Attempt]) -> str:
    doc = {
        "format": "fluorohip-progress-export",
        "version": 1,
        "exported_at": utc_now_iso(),
        "attempts": [a.to_json() for a in attempts],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def export_text(attempts: Iterable[Attempt], fmt: str) -> str:
    if fmt == "csv":
        return attempts_to_csv(attempts)
    if fmt == "json":
        return attempts_to_json(attempts)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
