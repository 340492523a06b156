"""The progress store: records, reads back, survives damage without losing anything."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fluorohip.progress.store import (
    Attempt,
    ProgressStore,
    ProgressStoreError,
    ProgressStoreWarning,
    default_home,
    summarise,
)
from fluorohip.quiz import load_bank


@pytest.fixture
def demo_bank(tmp_path):
    """The quiz tests' demo bank (tests/quiz/conftest.py), loaded without importing that conftest."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_quiz_demo_bank", Path(__file__).parents[1] / "quiz" / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assets = tmp_path / "assets"
    (assets / "figures").mkdir(parents=True)
    (assets / "figures" / "demo.png").write_bytes(module.PNG)
    path = tmp_path / "01_demo.yaml"
    path.write_text(module.VALID_BANK, encoding="utf-8")
    return load_bank(path, known_citation_keys=module.KEYS, assets_root=assets)


def test_home_follows_fluorohip_home(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path / "h"))
    assert default_home() == tmp_path / "h"
    assert ProgressStore().path == tmp_path / "h" / "attempts.jsonl"
    assert ProgressStore().legacy_path == tmp_path / "h" / "progress.json"
    monkeypatch.delenv("FLUOROHIP_HOME")
    assert default_home().name == "fluorohip"


def test_record_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_LEARNER", "res-07")
    store = ProgressStore(tmp_path)
    assert store.attempts() == [] and not store.path.exists()
    a = store.record("01_demo", "demo-single", "a", True, bank_version=2, objective="01.1")
    b = store.record("01_demo", "demo-multiple", ["a", "c"], False, bank_version="1.0.0")
    got = ProgressStore(tmp_path).attempts()
    assert got == [a, b]
    assert (
        got[0].learner == "res-07"
        and got[0].timestamp.endswith("+00:00")
        and got[1].bank_version == "1.0.0"
    )
    header, *lines = store.path.read_text().splitlines()
    assert json.loads(header) == {"format": "fluorohip-progress-log", "version": 1}
    assert [json.loads(line) for line in lines] == [a.to_json(), b.to_json()]
    assert store.path.read_bytes().endswith(b"\n") and not store.legacy_path.exists()
    assert not list(tmp_path.glob(".*.tmp-*"))


def test_answers_must_be_json(tmp_path):
    with pytest.raises(ValueError):
        ProgressStore(tmp_path).record("b", "q", object(), True, bank_version=1)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"format": "other"}',
        b'{"format": "fluorohip-progress", "version": 1, "attempts": [{"bank": 3}]}',
        b"\xff\xfe\x00",
    ],
)
def test_corrupt_legacy_store_is_moved_aside_with_a_message(tmp_path, content):
    store = ProgressStore(tmp_path)
    store.legacy_path.write_bytes(content)
    with pytest.warns(ProgressStoreWarning, match="progress.json.corrupt-"):
        assert store.attempts() == []
    aside = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept byte for byte
    assert str(store.legacy_path) in store.notices[0] and aside[0].name in store.notices[0]
    store.record("b", "q", 1, True, bank_version=1)
    assert len(ProgressStore(tmp_path).attempts()) == 1


def test_record_on_a_corrupt_store_keeps_the_old_file(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.write_text("garbage")
    with pytest.warns(ProgressStoreWarning, match="attempts.jsonl.corrupt-"):
        store.record("b", "q", 1, True, bank_version=1)
    assert [p.read_text() for p in tmp_path.glob("attempts.jsonl.corrupt-*")] == ["garbage"]
    assert len(store.attempts()) == 1


def test_record_does_not_read_the_legacy_store_and_a_read_finds_its_damage(tmp_path):
    """record() never reads progress.json (O(1)); the next read moves a damaged one aside."""
    store = ProgressStore(tmp_path)
    store.legacy_path.write_text("garbage")
    store.record("b", "q", 1, True, bank_version=1)  # no warning: progress.json is not read here
    assert store.notices == [] and store.legacy_path.read_text() == "garbage"
    with pytest.warns(ProgressStoreWarning, match="progress.json.corrupt-"):
        assert [a.question_id for a in store.attempts()] == ["q"]  # the new answer is kept
    assert [p.read_text() for p in tmp_path.glob("progress.json.corrupt-*")] == ["garbage"]


def test_store_from_a_newer_version_is_not_touched(tmp_path):
    store = ProgressStore(tmp_path)
    store.legacy_path.write_text('{"format": "fluorohip-progress", "version": 99, "attempts": []}')
    with pytest.raises(ProgressStoreError, match="newer"):
        store.attempts()
    assert store.legacy_path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_log_from_a_newer_version_is_neither_read_nor_appended_to(tmp_path):
    store = ProgressStore(tmp_path)
    newer = b'{"format": "fluorohip-progress-log", "version": 2}\n{"something": "else"}\n'
    store.path.write_bytes(newer)
    with pytest.raises(ProgressStoreError, match="newer"):
        store.attempts()
    with pytest.raises(ProgressStoreError, match="attempts.jsonl was written by a newer fluorohip"):
        store.record("b", "q", 1, True, bank_version=1)
    assert store.path.read_bytes() == newer and not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_store_is_moved_aside(tmp_path):  # pragma: no cover - CI runs as root
    store = ProgressStore(tmp_path)
    store.record("b", "q", 1, True, bank_version=1)
    store.path.chmod(0)
    with pytest.warns(ProgressStoreWarning):
        assert store.attempts() == []


def test_unwritable_folder_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProgressStoreError, match="Cannot create the progress folder"):
        ProgressStore(blocker / "sub").record("b", "q", 1, True, bank_version=1)


def test_stale_temp_files_from_a_killed_writer_are_cleaned(tmp_path):
    store = ProgressStore(tmp_path)
    (tmp_path / ".progress.json.tmp-999-abcd").write_text("half")  # an older version's writer
    (tmp_path / ".attempts.jsonl.tmp-999-abcd").write_text("half")  # killed while creating the log
    store.record("b", "q", 1, True, bank_version=1)
    assert not list(tmp_path.glob(".*.tmp-*"))


def test_attempt_from_json_rejects_bad_shapes():
    good = Attempt("t", "b", 1, "q", "a", True).to_json()
    assert Attempt.from_json(good).question_id == "q"
    for field, value in (
        ("correct", "yes"),
        ("bank_version", True),
        ("learner", 3),
        ("timestamp", None),
    ):
        with pytest.raises(ValueError):
            Attempt.from_json({**good, field: value})


def test_summary_per_bank_and_objective(tmp_path, demo_bank):
    store = ProgressStore(tmp_path)

    def rec(qid, ok):
        return store.record(
            "01_demo", qid, "x", ok, bank_version=2, objective=demo_bank.objective_of(qid)
        )

    rec("demo-single", False)
    rec("demo-single", True)  # the latest attempt counts
    rec("demo-multiple", True)
    rec("demo-case/one", True)  # a case needs every stage
    rec("demo-numeric", False)
    rec("gone-question", True)  # no longer in the bank: ignored
    store.record("09_elsewhere", "x-1", "a", True, bank_version=1, objective="09.1")
    [demo, other] = store.summary({"01_demo": demo_bank})
    assert (demo.bank, demo.answered, demo.correct, demo.total, demo.attempts) == (
        "01_demo",
        3,
        2,
        6,
        6,
    )
    objectives = {o.id: o for o in demo.objectives}
    assert (objectives["01.1"].correct, objectives["01.1"].total, objectives["01.1"].met) == (
        2,
        3,
        False,
    )
    assert demo.objectives_met == 0
    rec("demo-case/two", True)
    demo = store.summary({"01_demo": demo_bank})[0]
    assert demo.objectives_met == 1 and {o.id for o in demo.objectives if o.met} == {"01.1"}
    assert (other.bank, other.answered, other.correct, other.total, other.objectives_met) == (
        "09_elsewhere",
        1,
        1,
        None,
        1,
    )


def test_summary_lists_banks_without_attempts(demo_bank):
    [only] = summarise([], {"01_demo": demo_bank})
    assert (only.answered, only.total, only.objectives_met) == (0, 6, 0)
