"""The catalog and cross-chapter review ask the course map, and keep the order learners' summaries use."""

from __future__ import annotations

import shutil
from pathlib import Path

from fluorohip.cases.bank import CASES_BANK
from fluorohip.content.catalog import load_catalog, objectives_of
from fluorohip.content.course_map import chapter_entries, course_banks, entry, final_entry
from fluorohip.content.review import due_for_review, review
from fluorohip.progress import ProgressStore
from fluorohip.progress.store import Attempt

ROOT = Path(__file__).resolve().parents[2]


def test_catalog_is_every_bank_of_the_map_then_the_cases():
    catalog = load_catalog()
    assert list(catalog) == sorted(course_banks()) + [CASES_BANK]
    assert {"00_pretest", "07_posttest", "07_beyond_the_injection"} <= set(catalog)


def test_each_chapter_teaches_the_objectives_its_bank_declares():
    for chapter in chapter_entries():
        assert objectives_of(chapter), f"{chapter.id} declares no objectives"
    assert objectives_of(entry("hip-anatomy"))[0].id == "01.1"
    assert objectives_of(entry("facilitator-guide")) == ()


def test_catalog_survives_a_broken_course_map(tmp_path, monkeypatch):
    """A learner's totals do not vanish because an instructor broke the map; validate says why."""
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    (tmp_path / "assets" / "course_map.yaml").write_text("notebooks: [1, 2\n", encoding="utf-8")
    monkeypatch.setenv("FLUOROHIP_ROOT", str(tmp_path))
    assert "05_procedure" in load_catalog()


def _attempt(bank: str, question_id: str, correct: bool) -> Attempt:
    return Attempt(
        timestamp="2026-12-01T10:00:00Z",
        bank=bank,
        bank_version=1,
        question_id=question_id,
        answer="x",
        correct=correct,
    )


def test_due_for_review_is_oldest_wrong_first_and_a_case_comes_back_whole():
    attempts = [
        _attempt("01_hip_anatomy", "q-old", False),
        _attempt("02_image_guidance", "q-new", False),
        _attempt("01_hip_anatomy", "q-right", False),
        _attempt("01_hip_anatomy", "q-right", True),
        _attempt(CASES_BANK, "classic-oa/history", False),
        _attempt(CASES_BANK, "classic-oa/exam", True),
    ]
    assert due_for_review(attempts) == [
        ("01_hip_anatomy", "q-old"),
        ("02_image_guidance", "q-new"),
        (CASES_BANK, "classic-oa"),
    ]
    assert due_for_review(attempts, n=1) == [("01_hip_anatomy", "q-old")]


def test_review_sends_a_wrong_case_to_the_final_notebook_of_the_map(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(CASES_BANK, "classic-oa/history", "x", False, bank_version=1)
    shown = " ".join(_html_values(review(store=store)))
    assert f"href='{final_entry().filename}'" in shown and "classic-oa" in shown


def _html_values(widget) -> list[str]:
    """The text of every HTML widget inside ``widget`` (what the learner reads)."""
    found = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found += _html_values(child)
    return found
