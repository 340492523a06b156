"""A progress file saved before chapter 07 was inserted (when the final notebook was 07_cases_and_assessment)
still loads and summarises: bank ids such as 07_posttest and 07_cases never depended on notebook numbers."""

from __future__ import annotations

from fluorohip.content import completion
from fluorohip.progress import ProgressStore

#: Written by the course before the renumbering (format version 1); the ids are real bank item ids.
OLD_LOG = """{"format": "fluorohip-progress-log", "version": 1}
{"answer": "a", "attempt_id": "0000000000000001", "bank": "00_pretest", "bank_version": 2, "correct": false, "learner": "resident-old", "objective": "01.1", "question_id": "pre-capsule-capacity", "timestamp": "2026-11-01T09:00:00+00:00"}
{"answer": "a", "attempt_id": "0000000000000002", "bank": "06_interpretation", "bank_version": 1, "correct": true, "learner": "resident-old", "objective": "06.1", "question_id": "interp-what-a-positive-block-shows", "timestamp": "2026-11-01T10:00:00+00:00"}
{"answer": "a", "attempt_id": "0000000000000003", "bank": "07_cases", "bank_version": 1, "correct": true, "learner": "resident-old", "objective": "04.1", "question_id": "classic-oa/history", "timestamp": "2026-11-01T11:00:00+00:00"}
{"answer": "a", "attempt_id": "0000000000000004", "bank": "07_posttest", "bank_version": 2, "correct": true, "learner": "resident-old", "objective": "01.1", "question_id": "post-capsule-attachment", "timestamp": "2026-11-01T12:00:00+00:00"}
"""


def test_old_progress_file_loads_and_summarises(tmp_path, monkeypatch):
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    (tmp_path / "attempts.jsonl").write_text(OLD_LOG, encoding="utf-8")
    store = ProgressStore(tmp_path)
    attempts = store.attempts()
    assert [a.bank for a in attempts] == [
        "00_pretest",
        "06_interpretation",
        "07_cases",
        "07_posttest",
    ]
    c = completion.completion_for_store(store)
    assert c.learner == "resident-old"
    row = next(o for o in c.objectives if o.id == "01.1")
    assert (
        row.pre == 0.0 and row.post is not None and row.post > 0
    )  # the old post-test answer still counts
    case = next(x for x in c.cases if x.id == "classic-oa")
    assert case.correct == 1
    chapters = [ch.stem for ch in c.chapters]
    assert chapters[0] == "01_hip_anatomy" and "07_beyond_the_injection" in chapters
    assert (
        "07_posttest" not in chapters
        and "07_cases" not in chapters
        and "00_start_here" not in chapters
    )
    interp = next(ch for ch in c.chapters if ch.stem == "06_interpretation")
    assert (interp.answered, interp.correct) == (1, 1)
    html = completion.completion_html(c)
    assert "Beyond the injection" in html and "resident-old" in html
