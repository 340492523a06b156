"""`fluorohip progress show|export`: exit codes, files, no tracebacks."""

from __future__ import annotations

import csv
import json

import pytest

from fluorohip.cli.progress import main
from fluorohip.progress.store import ProgressStore


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path / "home"))
    s = ProgressStore()
    s.record("00_start_here", "start-educational-use", "a", True, bank_version=1, objective="00.3")
    s.record(
        "00_start_here",
        "start-run-a-cell",
        ["run", "click", "choose", "check"],
        False,
        bank_version=1,
        objective="00.1",
    )
    s.record(
        "00_start_here",
        "start-notebook-count",
        "=cmd|' /C calc'!A0",
        False,
        bank_version=1,
        objective="00.4",
    )
    return s


def test_show(store, capsys):
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    assert f"Progress file: {store.path}" in out and store.path.name == "attempts.jsonl"
    assert "earlier version" not in out  # no progress.json here
    assert "Attempts saved: 3" in out
    assert (
        "00_start_here - Orientation" in out
        and "answered 3/9, correct 1/9, objectives met 1/4" in out
    )
    assert "[    met] 00.3" in out and "[not yet] 00.1" in out


def test_show_accepts_a_leading_progress_word(store, capsys):
    assert main(["progress", "show"]) == 0 and "Attempts saved: 3" in capsys.readouterr().out


def test_export_csv(store, tmp_path, capsys):
    out = tmp_path / "me.csv"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["question_id"] for r in rows] == [
        "start-educational-use",
        "start-run-a-cell",
        "start-notebook-count",
    ]
    assert rows[0]["correct"] == "true" and json.loads(rows[1]["answer"])[0] == "run"
    assert rows[2]["answer"].startswith('"=')  # JSON-quoted, so a spreadsheet will not run it
    assert "Wrote" in capsys.readouterr().out
    assert main(["export", "--format", "csv", "--out", str(out)]) == 1  # no silent overwrite
    assert "already exists" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--out", str(out), "--force"]) == 0


def test_export_json(store, tmp_path):
    out = tmp_path / "me.json"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["format"] == "fluorohip-progress-export" and len(doc["attempts"]) == 3
    assert {
        "timestamp",
        "bank",
        "bank_version",
        "question_id",
        "answer",
        "correct",
        "learner",
    } <= set(doc["attempts"][0])


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nope"],
        ["export"],
        ["export", "--format", "xml", "--out", "x"],
        ["export", "--format", "csv"],
        ["show", "--bogus"],
    ],
)
def test_bad_usage_returns_2_without_traceback(store, argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_unwritable_output_returns_1(store, tmp_path, capsys):
    assert (
        main(["export", "--format", "json", "--out", str(tmp_path / "no" / "such" / "dir.json")])
        == 1
    )
    assert "cannot write" in capsys.readouterr().err


def test_corrupt_store_is_reported_and_moved_aside(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path))
    (tmp_path / "progress.json").write_text("{broken")
    assert main(["show"]) == 0
    err = capsys.readouterr().err
    assert "could not be read" in err and "progress.json.corrupt-" in err
    assert len(list(tmp_path.glob("progress.json.corrupt-*"))) == 1


def test_show_counts_an_old_progress_json_too(store, capsys):
    store.legacy_path.write_text(
        json.dumps(
            {
                "format": "fluorohip-progress",
                "version": 1,
                "attempts": [
                    {
                        "timestamp": "2025-01-01T00:00:00+00:00",
                        "bank": "00_start_here",
                        "bank_version": 1,
                        "question_id": "start-run-a-cell",
                        "answer": ["run"],
                        "correct": True,
                        "attempt_id": "old1",
                    }
                ],
            }
        )
    )
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    assert (
        f"earlier version, never changed): {store.legacy_path}" in out
        and "Attempts saved: 4" in out
    )


def test_newer_store_returns_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path))
    (tmp_path / "progress.json").write_text(
        '{"format": "fluorohip-progress", "version": 7, "attempts": []}'
    )
    assert main(["show"]) == 1 and "newer" in capsys.readouterr().err


def test_export_names_unnamed_attempts_so_one_resident_is_one_learner(
    store, tmp_path, monkeypatch, capsys
):
    """Answers saved before FLUOROHIP_LEARNER was set must not become a second learner in the report."""
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    store.record("00_start_here", "start-review-mode", "a", True, bank_version=1, learner="Carla R")
    out = tmp_path / "carla.json"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    assert "3 of 4 attempts carry no learner name" in capsys.readouterr().err
    monkeypatch.setenv("FLUOROHIP_LEARNER", "Carla R")
    assert main(["export", "--format", "json", "--out", str(out), "--force"]) == 0
    assert "no learner name" not in capsys.readouterr().err
    assert {a["learner"] for a in json.loads(out.read_text())["attempts"]} == {"Carla R"}
    assert (
        main(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--learner", "Ana B"])
        == 0
    )
    learners = [r["learner"] for r in csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8"))]
    assert learners == ["Ana B", "Ana B", "Ana B", "Carla R"]  # a saved name is never overwritten
    assert all(a.learner is None for a in store.attempts()[:3])  # the store itself is unchanged


def test_exporting_an_empty_store_warns(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path / "elsewhere"))
    assert main(["export", "--format", "json", "--out", str(tmp_path / "e.json")]) == 0
    captured = capsys.readouterr()
    assert "(0 attempts)" in captured.out and "no answers are saved" in captured.err
