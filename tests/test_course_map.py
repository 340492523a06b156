"""The course map is one file; README and the start notebook show it as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip.course import CourseMapView, course_map, course_map_markdown, preflight, total_minutes

ROOT = Path(__file__).resolve().parents[1]


def test_map_has_every_planned_chapter_in_order():
    stems = [e.stem for e in course_map()]
    assert stems[0] == "00_start_here" and stems[-1] == "07_cases_and_assessment"
    assert [s[:2] for s in stems] == [f"{i:02d}" for i in range(len(stems))]


def test_readme_shows_the_current_map():
    assert course_map_markdown() in (ROOT / "README.md").read_text(), (
        "README course map is stale: paste fluorohip.course.course_map_markdown()")


def test_total_minutes_is_the_sum():
    entries = course_map()
    assert total_minutes(entries) == sum(e.minutes for e in entries) > 0


def test_repr_is_plain_text_and_lists_each_chapter():
    text = repr(CourseMapView())
    assert all(e.title in text for e in course_map()) and "<" not in text


def test_bad_map_entry_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "course_map.yaml").write_text("notebooks:\n  - stem: 00_x\n    title: X\n    minutes: ten\n")
    monkeypatch.setenv("FLUOROHIP_ROOT", str(tmp_path))
    with pytest.raises(ValueError, match="course_map.yaml: notebook entry 1"):
        course_map()


def test_preflight_says_all_is_well():
    assert preflight().startswith("All is well")
