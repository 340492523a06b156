"""Learners' progress files in the format of 2026-12 (before progress/formats.py) still load,
summarise, export and merge exactly as the code of that day did.

The files in ``tests/data/progress_v_today/`` and the expected outputs beside them were written
by that day's code (``make_fixture.py`` there says how); these tests run today's code on them.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from fluorohip.cli.progress import format_summary
from fluorohip.content.catalog import load_catalog
from fluorohip.instructor.merge import merge_files
from fluorohip.progress import ProgressStore
from fluorohip.progress.export import export_text

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "progress_v_today"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A copy of the learner's folder, so a bug that writes to it cannot change the fixture."""
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    target = tmp_path / "home"
    shutil.copytree(FIXTURE / "home", target)
    return target


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURE / "expected_summary.json").read_text(encoding="utf-8"))


def _numbers_only(summary: list[dict]) -> list[dict]:
    """A summary without the bank titles and objective texts (content that may be reworded)."""
    return [
        {
            **{k: v for k, v in bank.items() if k not in ("title", "objectives")},
            "objectives": [{k: v for k, v in o.items() if k != "text"} for o in bank["objectives"]],
        }
        for bank in summary
    ]


def test_store_reads_every_attempt_of_the_old_files(home, expected):
    store = ProgressStore(home)
    assert [a.to_json() for a in store.attempts()] == expected["attempts"]
    assert store.notices == []  # nothing was taken for damage


def test_summary_is_identical(home, expected):
    store = ProgressStore(home)
    got = [dataclasses.asdict(b) for b in store.summary()]
    assert got == expected["summary_without_banks"]


def test_summary_against_the_course_banks_is_identical(home, expected):
    store = ProgressStore(home)
    got = [dataclasses.asdict(b) for b in store.summary(load_catalog())]
    assert _numbers_only(got) == _numbers_only(expected["summary_with_catalog"])


def test_progress_show_prints_the_same_counts(home):
    shown = format_summary(ProgressStore(home)).replace(str(home), "<HOME>")
    before = (FIXTURE / "expected_show.txt").read_text(encoding="utf-8").rstrip("\n")

    # Objective texts come from the banks, not from the learner's file: compare the rest.
    def strip(text):
        return [
            re.sub(r"^(    \[.{7}\] \S+) .*(\(correct [^)]*\))$", r"\1 \2", line)
            for line in text.splitlines()
        ]

    assert strip(shown) == strip(before)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_are_written_as_before(home, fmt):
    text = export_text(ProgressStore(home).attempts(), fmt)
    before = (FIXTURE / f"export.{fmt}").read_text(encoding="utf-8")
    if fmt == "json":  # the export time is the only field that differs
        text_doc, before_doc = json.loads(text), json.loads(before)
        text_doc.pop("exported_at"), before_doc.pop("exported_at")
        assert text_doc == before_doc
    else:
        assert text == before


@pytest.mark.parametrize(
    "name", ["export.csv", "export.json", "home/attempts.jsonl", "home/progress.json"]
)
def test_class_report_reads_the_old_hand_ins_identically(name):
    expected = json.loads((FIXTURE / "expected_merge.json").read_text(encoding="utf-8"))[name]
    result = merge_files([FIXTURE / name], base=FIXTURE)
    assert [
        {k: v for k, v in dataclasses.asdict(r).items() if k != "source"} for r in result.records
    ] == expected["records"]
    assert [str(s) for s in result.skipped] == expected["skipped"]
    files = json.loads(json.dumps([dataclasses.asdict(f) for f in result.files]))
    assert files == expected["files"]
