"""The course map is the one registry: its real rules, and the displays generated from it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from fluorohip.content.course_map import (
    MapEntry,
    all_entries,
    chapter_banks,
    chapter_stems,
    course_map,
    entry,
    final_entry,
    posttest_bank,
    pretest_bank,
    start_entry,
    total_minutes,
)
from fluorohip.content.map_rules import chapter_packages, course_map_problems
from fluorohip.content.overview import CourseMapView, course_map_markdown, preflight

ROOT = Path(__file__).resolve().parents[1]


def test_the_course_map_obeys_every_rule():
    problems = course_map_problems(ROOT)
    assert problems == [], "\n".join(map(str, problems))


def test_start_first_final_last_and_chapters_between():
    entries = course_map()
    assert entries[0] == start_entry() and entries[-1] == final_entry()
    assert chapter_stems() == [e.stem for e in entries[1:-1]]
    assert {e.kind for e in all_entries()} - {e.kind for e in entries} == {"instructor"}


def test_bank_ids_saved_in_progress_do_not_follow_notebook_numbers():
    """Learners' files hold 00_pretest, 07_posttest and 07_cases: they stay, whatever the final notebook's number."""
    from fluorohip.cases.bank import CASES_BANK

    assert (pretest_bank(), posttest_bank(), CASES_BANK) == (
        "00_pretest",
        "07_posttest",
        "07_cases",
    )
    assert (
        final_entry().number != "07"
    )  # the final notebook is 08 and its bank is still 07_posttest
    final = (ROOT / "notebooks" / final_entry().filename).read_text(encoding="utf-8")
    assert "07_posttest" in final


def test_an_entry_is_found_by_its_id_not_its_position():
    assert entry("procedure").stem == "05_procedure"
    with pytest.raises(KeyError, match="known: start"):
        entry("no-such-chapter")


def _inserted_before_final(entries: list[MapEntry]) -> list[MapEntry]:
    new = MapEntry(
        stem="07b_wound_care",
        title="Wound care",
        goal="Dress it.",
        minutes=30,
        id="wound-care",
        bank="09_wound_care",
    )
    return entries[:-1] + [new, entries[-1]]


def test_inserting_a_chapter_renames_no_bank_and_no_id():
    before = course_map()
    after = _inserted_before_final(before)
    kept = {e.id: e.banks for e in before}
    assert {e.id: e.banks for e in after if e.id in kept} == kept
    assert chapter_banks(after) == chapter_banks(before) + ["09_wound_care"]
    assert (pretest_bank(after), posttest_bank(after)) == (
        pretest_bank(before),
        posttest_bank(before),
    )


def test_agendas_include_every_chapter_and_an_inserted_one():
    from fluorohip.instructor.agenda import full_day, half_day

    for entries in (course_map(), _inserted_before_final(course_map())):
        for agenda in (full_day(entries), half_day(entries)):
            shown = " ".join(b.label for b in agenda.blocks) + " ".join(
                f"{e.number} {e.title}" for e in agenda.prework
            )
            for e in entries[1:]:
                assert f"{e.number} {e.title}" in shown, f"{agenda.name} leaves out {e.stem}"
    longer = full_day(_inserted_before_final(course_map()))
    assert longer.session_minutes == full_day().session_minutes + 30


def test_agenda_times_follow_the_map():
    from fluorohip.instructor.agenda import full_day

    entries = [
        replace(e, minutes=e.minutes + 5) if e.id == "procedure" else e for e in course_map()
    ]
    assert full_day(entries).session_minutes == full_day().session_minutes + 5


def test_readme_shows_the_current_map():
    assert course_map_markdown() in (ROOT / "README.md").read_text(), (
        "README course map is stale: paste fluorohip.content.overview.course_map_markdown()"
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


# -- the rules, each shown to fail on a small course of its own ---------------------------------------
def _mini_course(tmp_path: Path) -> Path:
    """Three notebooks (start, one chapter, final), their banks and a map that obeys every rule."""
    (tmp_path / "assets" / "quizzes").mkdir(parents=True)
    (tmp_path / "assets" / "schema").mkdir()
    shutil.copy(
        ROOT / "assets" / "schema" / "course-map.schema.json", tmp_path / "assets" / "schema"
    )
    (tmp_path / "notebooks").mkdir()
    entries = [
        dict(id="start", kind="start", stem="00_start", bank="00_start", pretest="00_pretest"),
        dict(id="knee", kind="chapter", stem="01_knee", bank="01_knee", package="knee"),
        dict(id="final", kind="final", stem="02_final", bank="02_posttest"),
    ]
    for e in entries:
        e.update(title=e["id"].title(), goal="Learn.", minutes=10)
        (tmp_path / "notebooks" / f"{e['stem']}.ipynb").write_text("{}")
        for bank in (e["bank"], e.get("pretest")):
            if bank:
                (tmp_path / "assets" / "quizzes" / f"{bank}.yaml").write_text("{}")
    _write_map(tmp_path, entries)
    return tmp_path


def _write_map(root: Path, entries: list[dict]) -> None:
    (root / "assets" / "course_map.yaml").write_text(yaml.safe_dump({"notebooks": entries}))


def _entries(root: Path) -> list[dict]:
    return yaml.safe_load((root / "assets" / "course_map.yaml").read_text())["notebooks"]


def _messages(root: Path, packages=("knee",)) -> str:
    return "\n".join(str(p) for p in course_map_problems(root, packages))


def test_the_mini_course_is_valid(tmp_path):
    assert _messages(_mini_course(tmp_path)) == ""


def test_ids_must_be_unique(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    entries[1]["id"] = "start"
    _write_map(root, entries)
    assert "id: 'start' is also used by entry 'start'" in _messages(root)


def test_a_bank_is_owned_by_one_entry(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    entries[2]["bank"] = "01_knee"
    _write_map(root, entries)
    messages = _messages(root)
    assert "'01_knee' is also used by entry 'knee'" in messages
    assert "assets/quizzes/02_posttest.yaml is named by no entry" in messages


def test_banks_named_must_exist(tmp_path):
    root = _mini_course(tmp_path)
    (root / "assets" / "quizzes" / "01_knee.yaml").unlink()
    assert "knee: bank: no bank file assets/quizzes/01_knee.yaml" in _messages(root)


def test_every_notebook_has_an_entry_and_every_entry_a_notebook(tmp_path):
    root = _mini_course(tmp_path)
    (root / "notebooks" / "instructor").mkdir()
    (root / "notebooks" / "instructor" / "guide.ipynb").write_text("{}")
    (root / "notebooks" / "01_knee.ipynb").unlink()
    messages = _messages(root)
    assert "notebooks/instructor/guide.ipynb has no entry in the course map" in messages
    assert "no notebook notebooks/01_knee.ipynb" in messages


def test_final_chapter_last_and_start_first(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    _write_map(root, [entries[1], entries[0], entries[2]])
    assert "the first learner notebook must be the 'start' entry" in _messages(root)
    _write_map(root, [entries[0], entries[2], entries[1]])
    messages = _messages(root)
    assert "the last learner notebook must be the 'final' entry" in messages
    assert "must sort in course order" in messages


def test_only_one_final(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    entries[1]["kind"] = "final"
    _write_map(root, entries)
    assert "exactly one 'final' entry; found 2" in _messages(root)


def test_instructor_notebooks_come_after_the_learners(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    entries[1]["kind"] = "instructor"
    _write_map(root, entries)
    assert "learner notebooks come before the instructor notebooks" in _messages(root)


def test_packages_named_exist_and_every_package_is_named(tmp_path):
    root = _mini_course(tmp_path)
    assert "no chapter package fluorohip/chapters/knee/" in _messages(root, packages=())
    assert "chapters/hip/ is named by no entry" in _messages(root, packages=("knee", "hip"))


def test_the_real_chapter_packages_are_found():
    assert "beyond_the_injection" in chapter_packages()


def test_schema_errors_name_the_line_and_entry(tmp_path):
    root = _mini_course(tmp_path)
    entries = _entries(root)
    entries[1]["minutes"] = "ten"
    entries[1]["kind"] = "lesson"
    _write_map(root, entries)
    problems = course_map_problems(root, ("knee",))
    assert {p.item_id for p in problems} == {"knee"} and all(p.line for p in problems)
    assert {p.field for p in problems} == {"minutes", "kind"}
