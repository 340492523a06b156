"""How the files beside this script were made (run once, with the code of 2026-12-07, commit 3b7797b).

Kept for the record, not run by the tests: the tests compare what the code of *today* reads
from these files with the summaries this script wrote when they were made. Re-running it with
newer code would hide exactly the regressions the fixture is there to catch.

A synthetic learner (no real person): right and wrong answers, a retry, a list answer, a
mapping, a typed number, a case stage, a bank that no longer exists, an attempt saved without
a learner name, text a spreadsheet would run as a formula, and non-ASCII text. Besides the live
log (``attempts.jsonl``) the folder holds the whole-document ``progress.json`` of earlier
versions, which the store still reads first.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    from fluorohip.content.catalog import load_catalog
    from fluorohip.instructor.merge import merge_files
    from fluorohip.progress.cli import format_summary
    from fluorohip.progress.export import export_text
    from fluorohip.progress.store import ProgressStore

    home = HERE / "home"
    home.mkdir(exist_ok=True)
    legacy = {
        "format": "fluorohip-progress",
        "version": 1,
        "attempts": [
            {
                "answer": "b",
                "attempt_id": "legacy0000000001",
                "bank": "00_pretest",
                "bank_version": 2,
                "correct": False,
                "learner": "resident-fixture",
                "objective": "01.1",
                "question_id": "pre-capsule-capacity",
                "timestamp": "2026-11-30T08:00:00.000000+00:00",
            }
        ],
    }
    (home / "progress.json").write_text(json.dumps(legacy, indent=1) + "\n", encoding="utf-8")
    store = ProgressStore(home)
    rows = [
        ("00_pretest", "pre-capsule-capacity", "a", True, 2, "01.1", "resident-fixture"),
        ("00_pretest", "pre-needle-path", "7,5", False, 2, "01.3", "resident-fixture"),
        ("01_hip_anatomy", "anat-capsule-statements", ["a", "c"], True, 2, "01.1", None),
        (
            "01_hip_anatomy",
            "anat-capsule-anterior-attachment",
            "b",
            False,
            2,
            "01.1",
            "resident-fixture",
        ),
        (
            "01_hip_anatomy",
            "anat-capsule-anterior-attachment",
            "a",
            True,
            2,
            "01.1",
            "resident-fixture",
        ),
        (
            "00_start_here",
            "start-run-a-cell",
            ["run", "click", "choose", "check"],
            False,
            2,
            "00.1",
            "resident-fixture",
        ),
        (
            "00_start_here",
            "start-notebook-count",
            "=cmd|' /C calc'!A0",
            False,
            2,
            "00.4",
            "resident-fixture",
        ),
        ("07_cases", "classic-oa/history", "a", True, "cases-b3bb42ed", "04.1", "resident-fixture"),
        (
            "07_cases",
            "classic-oa/imaging",
            {"A": "head", "B": "neck"},
            False,
            "cases-b3bb42ed",
            "04.1",
            "resident-fixture",
        ),
        ("99_retired_bank", "old-question", "Hüftgelenk – ja", True, 1, "99.1", "resident-fixture"),
    ]
    for i, (bank, qid, answer, correct, version, objective, learner) in enumerate(rows):
        store.record(
            bank,
            qid,
            answer,
            correct,
            bank_version=version,
            objective=objective,
            learner=learner,
            timestamp=f"2026-12-01T09:{i:02d}:00.000000+00:00",
        )
    attempts = store.attempts()
    (HERE / "export.csv").write_text(export_text(attempts, "csv"), encoding="utf-8")
    (HERE / "export.json").write_text(export_text(attempts, "json"), encoding="utf-8")
    summary = {
        "attempts": [a.to_json() for a in attempts],
        "summary_without_banks": [dataclasses.asdict(b) for b in store.summary()],
        "summary_with_catalog": [dataclasses.asdict(b) for b in store.summary(load_catalog())],
    }
    (HERE / "expected_summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    shown = format_summary(store).replace(str(home), "<HOME>")
    (HERE / "expected_show.txt").write_text(shown + "\n", encoding="utf-8")
    merged = {}
    for name in ("export.csv", "export.json", "home/attempts.jsonl", "home/progress.json"):
        result = merge_files([HERE / name], base=HERE)
        merged[name] = {
            "records": [
                {k: v for k, v in dataclasses.asdict(r).items() if k != "source"}
                for r in result.records
            ],
            "skipped": [str(s) for s in result.skipped],
            "files": [dataclasses.asdict(f) for f in result.files],
        }
    (HERE / "expected_merge.json").write_text(
        json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    sys.exit(main())
