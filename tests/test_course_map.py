"""The course map is one file; README and the start notebook show it as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip.course import (
    CourseMapView,
    chapter_stems,
    course_map,
    course_map_markdown,
    final_entry,
    preflight,
    total_minutes,
)

ROOT = Path(__file__).resolve().parents[1]


def test_map_has_every_planned_chapter_in_order():
    """Start first, cases and assessment last, contiguous numbers: read from the map, not a fixed 00..07."""
    stems = [e.stem for e in course_map()]
    assert (
        stems[0] == "00_start_here"
        and final_entry().stem == stems[-1]
        and stems[-1].endswith("_cases_and_assessment")
    )
    assert [s[:2] for s in stems] == [f"{i:02d}" for i in range(len(stems))]


def test_chapters_are_the_entries_between_start_and_final():
    stems = [e.stem for e in course_map()]
    assert chapter_stems() == stems[1:-1]
    assert "07_beyond_the_injection" in chapter_stems()
    assert stems.index("07_beyond_the_injection") > stems.index("05_procedure")


def test_bank_ids_saved_in_progress_do_not_follow_notebook_numbers():
    """Learners' files hold 00_pretest, 07_posttest and 07_cases: they stay, whatever the final notebook's number."""
    from fluorohip.cases import completion
    from fluorohip.cases.bank import CASES_BANK

    assert (completion.PRETEST, completion.POSTTEST, CASES_BANK) == (
        "00_pretest",
        "07_posttest",
        "07_cases",
    )
    final = (ROOT / "notebooks" / final_entry().filename).read_text(encoding="utf-8")
    assert 'show_quiz(\\"07_posttest\\")' in final or "07_posttest" in final


def test_agendas_include_every_chapter():
    from fluorohip.instructor.agenda import full_day, half_day

    for agenda in (full_day(), half_day()):
        text = (
            repr(agenda)
            if not hasattr(agenda, "blocks")
            else " ".join(b.label for b in agenda.blocks)
        )
        text += " ".join(f"{e.number} {e.title}" for e in agenda.prework)
        for e in course_map()[1:]:
            assert e.number in text, f"{agenda.name} leaves out {e.stem}"


def test_readme_shows_the_current_map():
    assert course_map_markdown() in (ROOT / "README.md").read_text(), (
        "README course map is stale: paste fluorohip.course.course_map_markdown()"
    )


def test_total_minutes_is_the_sum():
    entries = course_map()
    assert total_minutes(entries) == sum(e.minutes for e in entries) > 0


def test_repr_is_plain_text_and_lists_each_chapter():
    text = repr(CourseMapView())
    assert all(e.title in text for e in course_map()) and "<" not in text


def test_bad_map_entry_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "course_map.yaml").write_text(
        "notebooks:\n  - stem: 00_x\n    title: X\n    minutes: ten\n"
    )
    monkeypatch.setenv("FLUOROHIP_ROOT", str(tmp_path))
    with pytest.raises(ValueError, match="course_map.yaml: notebook entry 1"):
        course_map()


def test_preflight_says_all_is_well():
    assert preflight().startswith("All is well")
