"""progress/formats.py: every format round-trips, and the shared guards say where and what."""

from __future__ import annotations

import json

import pytest

from fluorohip.progress import formats as F


def _attempts() -> list[F.Attempt]:
    return [
        F.Attempt("2026-12-01T09:00:00+00:00", "b", 1, "q1", "=1+1", True, "@ana", "01.1", "a1"),
        F.Attempt(
            "2026-12-01T09:01:00+00:00", "b", "v-2", "q2", ["a", "c"], False, None, None, "a2"
        ),
        F.Attempt("2026-12-01T09:02:00+00:00", "b", 3, "c/s", {"A": "é"}, True, "ana", None, "a3"),
    ]


def test_log_round_trip():
    data = F.log_header() + b"".join(F.log_line(a) for a in _attempts())
    assert F.read_log(data) == _attempts()


def test_csv_round_trip_keeps_types_and_undoes_the_formula_guard():
    text = F.attempts_to_csv(_attempts())
    assert text.splitlines()[1].split(",")[1] == "'@ana"  # a spreadsheet would run it
    rows = [item for _, item in F.csv_items(text)]
    assert [F.Attempt.from_json(r) for r in rows] == _attempts()


def test_json_export_round_trip():
    doc = F.attempts_to_json(_attempts())
    items = [item for _, item in F.document_items(doc, (F.EXPORT_FORMAT,))]
    assert [F.Attempt.from_json(i) for i in items] == _attempts()


def test_the_csv_columns_are_the_attempt_fields():
    assert set(F.CSV_COLUMNS) == set(F.ATTEMPT_FIELDS) | {"answer"}


@pytest.mark.parametrize(
    "read",
    [
        lambda: F.read_log(b'{"format": "fluorohip-progress-log", "version": 2}\n'),
        lambda: F.read_legacy_document(
            '{"format": "fluorohip-progress", "version": 5, "attempts": []}'
        ),
        lambda: list(
            F.document_items(
                json.dumps({"format": F.EXPORT_FORMAT, "version": 2, "attempts": []}),
                (F.EXPORT_FORMAT,),
            )
        ),
    ],
    ids=["log", "legacy", "export"],
)
def test_every_format_refuses_a_newer_version(read):
    with pytest.raises(F.NewerFormatError, match="newer fluorohip") as caught:
        read()
    assert caught.value.detail.startswith("written by a newer fluorohip")


def test_a_bad_line_is_named_with_its_field():
    good = F.log_line(_attempts()[0])
    data = F.log_header() + good + b'{"bank": 3}\n' + good
    with pytest.raises(F.ProgressFormatError, match=r"line 3: attempt field 'timestamp'"):
        F.read_log(data)


def test_a_torn_final_line_is_skipped_and_a_whole_one_kept():
    lines = [F.log_line(a) for a in _attempts()]
    assert F.read_log(F.log_header() + lines[0] + lines[1][:10]) == _attempts()[:1]
    assert F.read_log(F.log_header() + lines[0] + lines[1].rstrip(b"\n")) == _attempts()[:2]


def test_hand_ins_are_checked_more_strictly_than_the_store():
    item = _attempts()[0].to_json() | {"bank": " "}
    F.check_attempt(item)  # the learner's own store keeps it
    with pytest.raises(
        F.ProgressFormatError, match="attempts\\[0\\]: field 'bank' is missing or empty"
    ):
        F.check_handed_in_attempt(item, "attempts[0]")
