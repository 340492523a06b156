"""A tiny synthetic class whose statistics are worked out by hand in test_class_report.py.

Bank ``t1`` (objectives T.1 and T.2):
  q1 single  T.1  options a (right), b, c
  q2 single  T.1  options a, b (right)
  q3 multiple T.2 options a, b, c; right = {a, c}
  q4 numeric T.2  10 ± 1

First answers (✓ right, ✗ wrong):
      q1      q2      q3         q4
  A   a ✓     b ✓     [a,c] ✓    "10" ✓
  B   a ✓     a ✗     [a,c] ✓    "12" ✗
  C   b ✗     a ✗     [a,b,c] ✗  "10" ✓     (no learner name: attributed to the file name "C")
  D   b ✗     a ✗     [a] ✗      "12" ✗     then retries q1 with a ✓ (a later attempt: ignored)
  E   a ✓     -       -          -          (answered only q1)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip.progress.export import attempts_to_csv, attempts_to_json
from fluorohip.progress.store import Attempt
from fluorohip.quiz.loader import bank_from_data

T1 = {
    "bank": "t1",
    "title": "Tiny bank",
    "version": 1,
    "objectives": [
        {"id": "T.1", "text": "First objective."},
        {"id": "T.2", "text": "Second objective."},
    ],
    "questions": [
        {
            "id": "q1",
            "type": "single",
            "objective": "T.1",
            "stem": "Q one?",
            "explanation": "x",
            "options": [
                {"id": "a", "text": "Alpha", "feedback": "right"},
                {"id": "b", "text": "Beta", "feedback": "no"},
                {"id": "c", "text": "Gamma", "feedback": "no"},
            ],
            "answer": "a",
        },
        {
            "id": "q2",
            "type": "single",
            "objective": "T.1",
            "stem": "Q two?",
            "explanation": "x",
            "options": [
                {"id": "a", "text": "Alpha", "feedback": "no"},
                {"id": "b", "text": "Beta", "feedback": "right"},
            ],
            "answer": "b",
        },
        {
            "id": "q3",
            "type": "multiple",
            "objective": "T.2",
            "stem": "Q three?",
            "explanation": "x",
            "options": [
                {"id": "a", "text": "Alpha", "feedback": "yes"},
                {"id": "b", "text": "Beta", "feedback": "no"},
                {"id": "c", "text": "Gamma", "feedback": "yes"},
            ],
            "answer": ["a", "c"],
        },
        {
            "id": "q4",
            "type": "numeric",
            "objective": "T.2",
            "stem": "Q four?",
            "explanation": "x",
            "answer": {"value": 10, "tolerance": 1, "unit": ""},
            "feedback_correct": "y",
            "feedback_incorrect": "n",
        },
    ],
}

# learner -> list of (question, answer, correct); order = time order
ANSWERS = {
    "A": [("q1", "a", True), ("q2", "b", True), ("q3", ["a", "c"], True), ("q4", "10", True)],
    "B": [("q1", "a", True), ("q2", "a", False), ("q3", ["a", "c"], True), ("q4", "12", False)],
    "C": [
        ("q1", "b", False),
        ("q2", "a", False),
        ("q3", ["a", "b", "c"], False),
        ("q4", "10", True),
    ],
    "D": [
        ("q1", "b", False),
        ("q2", "a", False),
        ("q3", ["a"], False),
        ("q4", "12", False),
        ("q1", "a", True),
    ],
    "E": [("q1", "a", True)],
}


def make_attempts(
    learner: str, rows, bank: str = "t1", objective_of=None, named: bool = True, day: int = 10
):
    objective_of = objective_of or {"q1": "T.1", "q2": "T.1", "q3": "T.2", "q4": "T.2"}
    out = []
    for i, (qid, answer, correct) in enumerate(rows):
        out.append(
            Attempt(
                timestamp=f"2025-03-{day:02d}T09:{i:02d}:00.000000+00:00",
                bank=bank,
                bank_version=1,
                question_id=qid,
                answer=answer,
                correct=correct,
                learner=learner if named else None,
                objective=objective_of[qid],
                attempt_id=f"{learner}-{bank}-{i:03d}".lower().ljust(16, "0"),
            )
        )
    return out


@pytest.fixture
def t1_bank():
    return bank_from_data(T1)


@pytest.fixture
def class_folder(tmp_path) -> Path:
    """The class's hand-ins, good and bad (see test_class_report.py for what each file tests)."""
    d = tmp_path / "exports"
    d.mkdir()
    att = {k: make_attempts(k, v, named=(k != "C")) for k, v in ANSWERS.items()}
    (d / "a.json").write_text(attempts_to_json(att["A"]), encoding="utf-8")
    edited = Attempt(**{**att["A"][0].to_json(), "correct": False})  # same attempt, tampered
    (d / "a_edit.json").write_text(attempts_to_json([edited]), encoding="utf-8")
    (d / "b.csv").write_text(attempts_to_csv(att["B"]), encoding="utf-8")
    (d / "b_copy.json").write_text(
        attempts_to_json(att["B"]), encoding="utf-8"
    )  # the same export again
    (d / "C.csv").write_text(attempts_to_csv(att["C"]), encoding="utf-8")
    (d / "d.json").write_text(attempts_to_json(att["D"]), encoding="utf-8")
    sub = d / "late"
    sub.mkdir()
    (sub / "e.json").write_text(attempts_to_json(att["E"]), encoding="utf-8")
    (d / "empty.csv").write_text("", encoding="utf-8")
    (d / "header_only.csv").write_text(attempts_to_csv([]), encoding="utf-8")
    (d / "broken.json").write_text(
        '{"format": "fluorohip-progress-export", "version": 1, "attempts": [{"timestamp": "2025-03-10T09:00:00+00:00",'
        ' "bank": "t1", "bank_version": 1, "question_id": "q1", "answer": "a", "attempt_id": "zz"}]}',
        encoding="utf-8",
    )
    (d / "garbage.csv").write_text("hello,world\n1,2\n", encoding="utf-8")
    (d / "notes.txt").write_text("my answers are in my head", encoding="utf-8")
    (d / "truncated.json").write_text(
        '{"format": "fluorohip-progress-export", "vers', encoding="utf-8"
    )
    good_row = attempts_to_csv(att["B"][:1]).splitlines()
    (d / "bad_correct.csv").write_text(
        good_row[0] + "\n" + good_row[1].replace(",true,", ",maybe,") + "\n", encoding="utf-8"
    )
    (d / ".hidden.json").write_text("not even json", encoding="utf-8")  # hidden files are ignored
    return d
