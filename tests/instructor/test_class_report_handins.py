"""class-report on awkward hand-ins: unnamed files with the same name, a bad cell in a long file,
a truncated JSON export, the report written into the exports folder, and a debrief list short
enough to use on the bundled twelve-resident class."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from fluorohip.cli import class_report as cli
from fluorohip.instructor.class_report import render_report
from fluorohip.instructor.item_analysis import (
    DEBRIEF_LIMIT,
    ItemStats,
    OptionShare,
    debrief_reasons,
)
from fluorohip.instructor.merge import merge_folder
from fluorohip.progress.export import attempts_to_csv, attempts_to_json

from .conftest import ANSWERS, make_attempts


# -- 1. unnamed hand-ins are named after their path, and a warning says so ----------------------
def _unnamed(learner, rows):
    return attempts_to_json(make_attempts(learner, rows, named=False))


def test_two_unnamed_me_json_in_subfolders_are_two_learners_with_a_warning(tmp_path, capsys):
    d = tmp_path / "class2"
    for sub, learner in (("a", "A"), ("b", "B")):
        (d / sub).mkdir(parents=True)
        (d / sub / "me.json").write_text(_unnamed(learner, ANSWERS[learner]), encoding="utf-8")
    shutil.copy(d / "a" / "me.json", d / "a" / "me_copy.json")  # a renamed copy still counts once
    m = merge_folder(d)
    assert m.learners == ["a/me", "b/me"]
    assert len(m.records) == 8 and m.duplicates == 4
    # b/me's first answers are first answers, not retries of a/me.
    assert {f.name: f.new for f in m.files} == {"a/me.json": 4, "a/me_copy.json": 0, "b/me.json": 4}
    assert m.name_warning == (
        "3 files had no learner name; learners named after their files: a/me, b/me — "
        "ask residents to set their name (`fluorohip progress export --learner NAME`, "
        "or FLUOROHIP_LEARNER) and export again"
    )
    out = tmp_path / "r.html"
    assert cli.main([str(d), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("2 learners, 8 attempts from 3 files")
    assert (
        "warning: 3 files had no learner name; learners named after their files: a/me, b/me"
        in captured.err
    )
    assert "3 files had no learner name" in out.read_text(encoding="utf-8")


def test_unnamed_files_with_distinct_names_in_a_flat_folder_keep_their_names_without_warning(
    tmp_path,
):
    (tmp_path / "ana.json").write_text(_unnamed("A", ANSWERS["A"]), encoding="utf-8")
    (tmp_path / "ben.csv").write_text(
        attempts_to_csv(make_attempts("B", ANSWERS["B"], named=False)), encoding="utf-8"
    )
    m = merge_folder(tmp_path)
    assert m.learners == ["ana", "ben"] and m.name_warning is None


@pytest.mark.parametrize(
    "names", [["me.json"], ["a/ana.json", "b/ana.json"], ["progress.json", "x.json"]]
)
def test_a_generic_or_shared_file_name_without_learner_names_is_warned_about(tmp_path, names):
    for i, name in enumerate(names):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        learner = "ABCDE"[i]
        (tmp_path / name).write_text(_unnamed(learner, ANSWERS[learner]), encoding="utf-8")
    m = merge_folder(tmp_path)
    assert m.name_warning and m.name_warning.startswith(f"{len(names)} file")


def test_named_attempts_in_me_json_need_no_warning(tmp_path):
    (tmp_path / "me.json").write_text(
        attempts_to_json(make_attempts("A", ANSWERS["A"])), encoding="utf-8"
    )
    m = merge_folder(tmp_path)
    assert m.learners == ["A"] and m.name_warning is None


# -- 2. a skipped file says what was lost -------------------------------------------------------
def test_a_bad_cell_in_a_long_csv_says_how_many_rows_and_whose(tmp_path, capsys):
    rows = [(f"q{i % 4 + 1}", "a", i % 2 == 0) for i in range(303)]
    lines = attempts_to_csv(make_attempts("resident20", rows)).splitlines()
    lines[5] = lines[5].replace(",true,", ",x,").replace(",false,", ",x,")  # line 6 of the file
    (tmp_path / "badscore.csv").write_text(
        "\n".join(lines) + "\n\n", encoding="utf-8"
    )  # a trailing blank line
    (tmp_path / "good.json").write_text(
        attempts_to_json(make_attempts("A", ANSWERS["A"])), encoding="utf-8"
    )
    (s,) = merge_folder(tmp_path).skipped
    assert s.reason == (
        "line 6: field 'correct' must be true or false; got 'x' — its 303 rows (learner "
        "resident20) are not counted; fix that line and run again"
    )
    assert cli.main([str(tmp_path), "--out", str(tmp_path.parent / "r.html")]) == 0
    assert "skipped badscore.csv: line 6:" in capsys.readouterr().err


def test_a_bad_attempt_in_a_json_export_says_how_many_attempts(tmp_path):
    text = attempts_to_json(make_attempts("B", ANSWERS["B"])).replace(
        '"correct": false', '"correct": "no"', 1
    )
    (tmp_path / "b.json").write_text(text, encoding="utf-8")
    (s,) = merge_folder(tmp_path).skipped
    assert s.reason.endswith(
        "— its 4 attempts (learner B) are not counted; fix that attempt and run again"
    )


# -- 3. a truncated JSON export gets a complete sentence ----------------------------------------
def test_a_truncated_json_export_is_explained_in_a_sentence(tmp_path):
    text = attempts_to_json(make_attempts("D", ANSWERS["D"]))
    cut = text.index('"answer"', len(text) // 2) + len('"answer": "')  # inside a string value
    (tmp_path / "d.json").write_text(text[:cut] + "ab", encoding="utf-8")
    (s,) = merge_folder(tmp_path).skipped
    assert re.fullmatch(
        r"not valid JSON at line \d+ column \d+ \(unterminated string\) — the file may be "
        r"truncated; its \d attempts are not counted; ask for a fresh export and run again",
        s.reason,
    ), s.reason
    assert "starting at" not in s.reason


# -- 4. the report written into the exports folder is not an export -------------------------------
def test_report_written_into_the_exports_folder_is_ignored_not_malformed(tmp_path, capsys):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.json").write_text(attempts_to_json(make_attempts("A", ANSWERS["A"])), encoding="utf-8")
    (d / "b.csv").write_text(attempts_to_csv(make_attempts("B", ANSWERS["B"])), encoding="utf-8")
    out = d / "report.html"
    assert cli.main([str(d), "--out", str(out), "--strict"]) == 0
    (d / "old_report.html").write_text("<html></html>", encoding="utf-8")
    capsys.readouterr()
    assert cli.main([str(d), "--out", str(out), "--strict"]) == 0  # was 3: report.html "malformed"
    captured = capsys.readouterr()
    assert "skipped" not in captured.err
    assert "ignored 2 non-export files" in captured.err and "report.html" in captured.err
    assert (
        "0 malformed files skipped" in captured.out
        and "2 non-export files (such as .html) ignored" in captured.out
    )
    m = merge_folder(d)
    assert m.skipped == [] and m.ignored == ["old_report.html", "report.html"]


def test_the_output_file_is_ignored_whatever_its_name(tmp_path, capsys):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.json").write_text(attempts_to_json(make_attempts("A", ANSWERS["A"])), encoding="utf-8")
    out = d / "class-report.txt"
    assert cli.main([str(d), "--out", str(out), "--strict"]) == 0
    assert cli.main([str(d), "--out", str(out), "--strict"]) == 0
    assert "ignored 1 non-export file" in capsys.readouterr().err


# -- 5. debrief criteria for a class of 10-25 -----------------------------------------------------
def _item(n_correct, counts, n=12, r=0.3, qtype="single"):
    options = (OptionShare("a", "Right", True, n_correct, n_correct / n),) + tuple(
        OptionShare(k, k.upper(), False, c, c / n) for k, c in counts.items()
    )
    return ItemStats("t1", "q", "T.1", qtype, "Stem?", n, n_correct, r, n, options)


@pytest.mark.parametrize(
    "item, expected",
    [
        (_item(4, {"b": 5, "c": 3}), ["a shared wrong answer"]),  # p = 1/3 is not below a third
        (_item(3, {"b": 5, "c": 4}), ["most missed it", "a shared wrong answer"]),
        (_item(5, {"b": 5, "c": 2}), []),  # the wrong answer ties with the key: not more often
        (_item(6, {"b": 2}, n=8), []),  # 25% but only two learners
        (_item(10, {"b": 2}, r=-0.20), ["check the key and the wording"]),
        (_item(10, {"b": 2}, r=-0.19), []),
        (_item(2, {"b": 1}, n=2), []),  # too few answers for anything
    ],
    ids=[
        "shared",
        "hard-and-shared",
        "tie-with-key",
        "two-learners",
        "negative-r",
        "r-above-cut",
        "n-2",
    ],
)
def test_debrief_criteria(item, expected):
    assert [r.split(":")[0] for r in debrief_reasons(item)] == expected


def test_pre_test_items_are_flagged_only_to_check_the_key():
    assert debrief_reasons(_item(1, {"b": 9}), pre_test=True) == ()
    assert [
        r.split(":")[0] for r in debrief_reasons(_item(1, {"b": 9}, r=-0.4), pre_test=True)
    ] == ["check the key and the wording"]


def test_debrief_on_the_bundled_class_is_short_and_keeps_the_hardest_items():
    from fluorohip.content.catalog import load_catalog
    from fluorohip.core.paths import assets_dir
    from fluorohip.instructor.class_results import build

    merged, analysis = build(assets_dir() / "instructor" / "sample_exports")
    debrief = analysis.debrief
    assert len(debrief) <= DEBRIEF_LIMIT <= 15
    # Far fewer candidates than before (181 of 217 items met the old criteria).
    assert DEBRIEF_LIMIT < analysis.debrief_candidates <= len(analysis.items) // 4
    listed = [d.item.label for d in debrief]
    # The generator makes "hard" items harder; the hardest of them after teaching is on the list.
    catalog = load_catalog()
    hard = [
        it
        for it in analysis.items
        if it.bank != "00_pretest"
        and it.n >= 3
        and getattr(catalog[it.bank].gradable().get(it.question_id), "difficulty", None) == "hard"
    ]
    hardest = min(hard, key=lambda it: (it.p, it.label))
    assert hardest.label in listed
    # Every listed item is one most of the group missed, not a pre-test item answered before teaching.
    assert all(d.item.p < 0.5 and d.item.bank != "00_pretest" for d in debrief)
    text = render_report(merged, analysis)
    assert (
        "fewer than a third were right first time" in text
        and "more learners than got the question right" in text
    )
    assert (
        f"{analysis.debrief_candidates} questions met a criterion; the {len(debrief)} highest-ranked are listed"
        in text
    )
    assert "171 more" not in text


def test_every_item_with_negative_discrimination_is_listed_to_check_its_key():
    """A possibly wrong key is never cut off by the top-ten limit of the debrief list."""
    from fluorohip.core.paths import assets_dir
    from fluorohip.instructor.class_results import build

    merged, analysis = build(assets_dir() / "instructor" / "sample_exports")
    negative = {
        it.label
        for it in analysis.items
        if it.n >= 3 and it.r_pb is not None and round(it.r_pb, 2) <= -0.20
    }
    assert negative, "the bundled class should have at least one item to re-check"
    assert {d.item.label for d in analysis.key_checks} == negative
    text = render_report(merged, analysis)
    assert "Answer keys to check" in text
    assert all(html.escape(label) in text for label in negative)
