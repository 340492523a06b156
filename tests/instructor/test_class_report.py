"""class-report on synthetic exports: every expected number is worked out by hand below.

The class is described in conftest.py. Rest score = share right of the learner's OTHER
answered items in the bank (first answers); r_pb = (M1 - M0) / s * sqrt(p q), population s.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pytest

from fluorohip.cli import class_report as cli
from fluorohip.instructor.item_analysis import PrePost, analyse, point_biserial
from fluorohip.instructor.merge import merge_folder, parse_csv
from fluorohip.progress.export import attempts_to_csv

from .conftest import make_attempts


# -- merging ---------------------------------------------------------------------------------
def test_merge_counts_each_attempt_once_and_lists_bad_files(class_folder):
    m = merge_folder(class_folder)
    # Unique attempts: A 4 + B 4 + C 4 + D 5 (incl. the retry) + E 1 = 18.
    assert len(m.records) == 18
    # Duplicates: b_copy.json repeats B's 4 attempts; a_edit.json repeats A's first one = 5.
    assert m.duplicates == 5
    assert len(m.conflicts) == 1 and m.conflicts[0].startswith("a_edit.json:")
    assert "first copy was kept" in m.conflicts[0]
    # The tampered copy lost: A's q1 stays correct.
    a_q1 = [r for r in m.records if r.learner == "A" and r.question_id == "q1"]
    assert len(a_q1) == 1 and a_q1[0].correct is True
    assert m.learners == ["A", "B", "C", "D", "E"]  # C from the file name, E from a subfolder
    reasons = {s.name: s.reason for s in m.skipped}
    assert sorted(reasons) == [
        "bad_correct.csv",
        "broken.json",
        "garbage.csv",
        "notes.txt",
        "truncated.json",
    ]
    assert "line 2" in reasons["bad_correct.csv"] and "'correct'" in reasons["bad_correct.csv"]
    assert "attempts[0]" in reasons["broken.json"] and "'correct'" in reasons["broken.json"]
    assert "lacks column" in reasons["garbage.csv"] and "timestamp" in reasons["garbage.csv"]
    assert "not a .csv or .json" in reasons["notes.txt"]
    assert "not valid JSON" in reasons["truncated.json"]
    assert m.empty == ["empty.csv", "header_only.csv"]
    files = {f.name: f for f in m.files}
    assert files["b_copy.json"].attempts == 4 and files["b_copy.json"].new == 0
    assert files["d.json"].new == 5
    assert ".hidden.json" not in files and ".hidden.json" not in reasons


def test_csv_formula_guard_is_undone():
    a = make_attempts(
        "=Dr Who", [("q1", "-3", False)]
    )  # exporter writes '=Dr Who and "-3" as JSON text
    text = attempts_to_csv(a)
    assert "'=Dr Who" in text
    (r,) = parse_csv(text, "file")
    assert r.learner == "=Dr Who" and r.answer == "-3"


def test_same_export_as_csv_and_json_is_not_double_counted(tmp_path):
    from fluorohip.progress.export import attempts_to_json

    a = make_attempts(None, [("q1", "a", True), ("q2", "a", False)], named=False)
    (tmp_path / "x.csv").write_text(attempts_to_csv(a), encoding="utf-8")
    (tmp_path / "x_again.json").write_text(attempts_to_json(a), encoding="utf-8")
    m = merge_folder(tmp_path)
    assert len(m.records) == 2 and m.duplicates == 2
    assert m.learners == ["x"]  # unnamed: the first file's name; the renamed copy adds no learner


# -- item statistics, by hand ------------------------------------------------------------------
def _analysis(class_folder, t1_bank):
    return analyse(merge_folder(class_folder).records, {"t1": t1_bank})


def test_participation(class_folder, t1_bank):
    a = _analysis(class_folder, t1_bank)
    rows = {
        l.learner: (l.items_answered, l.items_correct, l.attempts) for l in a.participation.learners
    }
    # A 4 right of 4; B right q1,q3 = 2; C right q4 = 1; D 0 right first time (retry ignored), 5 attempts; E 1/1.
    assert rows == {"A": (4, 4, 4), "B": (4, 2, 4), "C": (4, 1, 4), "D": (4, 0, 5), "E": (1, 1, 1)}
    (bank,) = a.participation.banks
    assert (bank.bank, bank.learners, bank.items_in_bank, bank.items_answered) == ("t1", 5, 4, 4)


def test_difficulty_and_objective_scores(class_folder, t1_bank):
    a = _analysis(class_folder, t1_bank)
    p = {i.question_id: (i.n_correct, i.n) for i in a.items}
    # q1: A, B, E right of A-E -> 3/5; q2: only A -> 1/4; q3: A, B -> 2/4; q4: A, C -> 2/4.
    assert p == {"q1": (3, 5), "q2": (1, 4), "q3": (2, 4), "q4": (2, 4)}
    obj = {o.objective: (o.correct, o.responses, o.learners) for o in a.objectives}
    # T.1 = q1 + q2: right 3 + 1 = 4 of 5 + 4 = 9 answers, 5 learners; T.2 = q3 + q4: 2 + 2 = 4 of 8, 4 learners.
    assert obj == {"T.1": (4, 9, 5), "T.2": (4, 8, 4)}
    assert a.objectives[0].text == "First objective."


def test_point_biserial_corrected(class_folder, t1_bank):
    r = {i.question_id: (i.r_pb, i.r_n) for i in _analysis(class_folder, t1_bank).items}
    # q1: E answered nothing else -> left out (r_n = 4). Rest scores (q2,q3,q4):
    #   A 3/3 = 1, B (q3) 1/3, C (q4) 1/3, D 0; item A1 B1 C0 D0; p = 1/2.
    #   M1 = (1 + 1/3)/2 = 2/3, M0 = (1/3 + 0)/2 = 1/6, mean 5/12,
    #   var = ((7/12)^2 + 2(1/12)^2 + (5/12)^2)/4 = 76/576, s = sqrt(76)/24
    #   r = (2/3 - 1/6) / (sqrt(76)/24) * 1/2 = 6/sqrt(76) = 0.688247
    assert r["q1"][1] == 4 and r["q1"][0] == pytest.approx(0.688247, abs=1e-6)
    # q2: rests (q1,q3,q4) A 1, B 2/3, C 1/3, D 0; item A1 only; p = 1/4.
    #   M1 = 1, M0 = (2/3 + 1/3 + 0)/3 = 1/3, mean 1/2, var = (1/4 + 1/36 + 1/36 + 1/4)/4 = 5/36, s = sqrt(5)/6
    #   r = (2/3)/(sqrt(5)/6) * sqrt(3/16) = sqrt(3/5) = 0.774597
    assert r["q2"][0] == pytest.approx(0.774597, abs=1e-6)
    # q3: rests (q1,q2,q4) A 1, B 1/3, C 1/3, D 0; item A1 B1 C0 D0 -> the same numbers as q1: 0.688247
    assert r["q3"][0] == pytest.approx(0.688247, abs=1e-6)
    # q4: rests (q1,q2,q3) A 1, B 2/3, C 0, D 0; item A1 B0 C1 D0; p = 1/2.
    #   M1 = (1 + 0)/2 = 1/2, M0 = (2/3 + 0)/2 = 1/3, mean 5/12,
    #   var = ((7/12)^2 + (3/12)^2 + 2(5/12)^2)/4 = 108/576 = 3/16, s = sqrt(3)/4
    #   r = (1/6)/(sqrt(3)/4) * 1/2 = 1/(3 sqrt 3) = 0.192450
    assert r["q4"][0] == pytest.approx(0.192450, abs=1e-6)


def test_point_biserial_undefined_cases():
    assert point_biserial([1, 1, 1], [0.1, 0.5, 0.9]) is None  # everybody right
    assert point_biserial([1, 0, 1], [0.5, 0.5, 0.5]) is None  # rest score does not vary
    assert point_biserial([1, 0], [1.0, 0.0]) is None  # too few learners
    # Perfect separation, n = 4: item 1 1 0 0, rest 1 1 0 0 -> r = 1 exactly.
    assert point_biserial([1, 1, 0, 0], [1.0, 1.0, 0.0, 0.0]) == pytest.approx(1.0)


def test_distractors(class_folder, t1_bank):
    items = {i.question_id: i for i in _analysis(class_folder, t1_bank).items}
    # q1 first answers: a by A, B, E (3); b by C, D (2); c by nobody. Shares of 5.
    assert [(o.option, o.correct, o.count) for o in items["q1"].options] == [
        ("a", True, 3),
        ("b", False, 2),
        ("c", False, 0),
    ]
    assert items["q1"].options[1].share == pytest.approx(2 / 5)
    # q3 ticks: a by A, B, C, D (4); b by C (1); c by A, B, C (3).
    assert [(o.option, o.count) for o in items["q3"].options] == [("a", 4), ("b", 1), ("c", 3)]
    # q4 (numeric) wrong answers: "12" by B and D.
    assert items["q4"].wrong_answers == (("12", 2),)
    assert items["q2"].top_distractor() == ("a: Alpha", 3, 0.75)


def test_debrief_ranking(class_folder, t1_bank):
    a = _analysis(class_folder, t1_bank)
    d = a.debrief
    # q2: p 1/4 < 1/3, and "a" by 3 of 4 (>= 25%, >= 3 learners, more than the 1 right) -> 2 criteria.
    # q1: b by only 2 of 5 (fewer than 3 learners, and fewer than the 3 right) -> not listed;
    # q4: "12" by only 2, r 0.19 (not <= -0.20) -> not listed; q3: p 0.5, wrong b by 1 -> not listed.
    assert [x.item.question_id for x in d] == ["q2"] and a.debrief_candidates == 1
    assert d[0].reasons == (
        "most missed it: only 1 of 4 right first time (p = 0.25)",
        "a shared wrong answer: 3 of 4 chose the wrong answer “a: Alpha”, more than the 1 "
        "who got it right",
    )


def test_pre_post_gain_by_objective():
    pre_obj = {"pre-1": "01.1", "pre-2": "01.1", "pre-3": "02.1"}
    post_obj = {"post-1": "01.1", "post-2": "02.1"}
    records = []
    from fluorohip.instructor.merge import Record

    def add(learner, bank, rows, objs):
        for a in make_attempts(learner, rows, bank=bank, objective_of=objs):
            records.append(
                Record(
                    a.learner,
                    a.bank,
                    a.bank_version,
                    a.question_id,
                    a.objective,
                    a.answer,
                    a.correct,
                    a.timestamp,
                    a.attempt_id,
                )
            )

    add(
        "A",
        "00_pretest",
        [("pre-1", "x", False), ("pre-2", "x", True), ("pre-3", "x", False)],
        pre_obj,
    )
    add(
        "B",
        "00_pretest",
        [("pre-1", "x", False), ("pre-2", "x", False), ("pre-3", "x", True)],
        pre_obj,
    )
    add("C", "00_pretest", [("pre-1", "x", True), ("pre-2", "x", False)], pre_obj)
    add("F", "00_pretest", [("pre-1", "x", True)], pre_obj)
    add("A", "07_posttest", [("post-1", "x", True), ("post-2", "x", True)], post_obj)
    add("B", "07_posttest", [("post-1", "x", True), ("post-2", "x", False)], post_obj)
    add("C", "07_posttest", [("post-1", "x", False)], post_obj)
    gains = {g.objective: g for g in analyse(records).gains}
    # 01.1: matched A, B, C (F did no post-test). Pre right: A 1/2, B 0/2, C 1/2 -> 2/6 = 1/3.
    #       Post right: A, B of 3 -> 2/3. Gain 1/3; g = (1/3)/(1 - 1/3) = 0.5.
    g = gains["01.1"]
    assert (g.matched, g.pre_correct, g.pre_responses, g.post_correct, g.post_responses) == (
        3,
        2,
        6,
        2,
        3,
    )
    assert (g.pre_only, g.post_only) == (1, 0)
    assert g.gain == pytest.approx(1 / 3) and g.normalised_gain == pytest.approx(0.5)
    # 02.1: matched A, B. Pre: B right -> 1/2; post: A right -> 1/2; gain 0, g = 0 / 0.5 = 0.
    g = gains["02.1"]
    assert (g.matched, g.pre_p, g.post_p, g.gain, g.normalised_gain) == (2, 0.5, 0.5, 0.0, 0.0)
    # Other bank names by option: nothing is pre/post.
    assert analyse(records, pre_post=PrePost(("x",), ("y",))).gains == ()


# -- the command -------------------------------------------------------------------------------
class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.scripts, self.external = [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            if a.get(k, "").startswith(("http:", "https:", "//")):
                self.external.append(a[k])


def test_cli_writes_offline_report(class_folder, tmp_path, capsys):
    out = tmp_path / "report" / "class.html"
    assert cli.main([str(class_folder), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert (
        "5 learners, 18 attempts from 7 files; 5 duplicate attempts counted once; 5 malformed files skipped; "
        "2 empty files." in captured.out
    )
    for name in ("bad_correct.csv", "broken.json", "garbage.csv", "notes.txt", "truncated.json"):
        assert f"skipped {name}:" in captured.err
    text = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert page.scripts == 0 and page.external == []
    assert len(page.imgs) >= 3
    assert all(
        i["src"].startswith("data:image/png;base64,") and len(i.get("alt", "")) > 20
        for i in page.imgs
    )
    for name in ("bad_correct.csv", "truncated.json", "empty.csv"):
        assert name in text
    assert str(tmp_path) not in text  # no machine paths in the report
    # Without the t1 bank file the command still computes p from the records: q2 is 1 of 4.
    assert re.search(r"<td>t1</td><td>q2</td><td>T.1</td><td>\?</td><td>4</td><td>0.25</td>", text)


def test_cli_exit_codes(class_folder, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert cli.main([str(class_folder), "--out", str(out), "--strict"]) == 3 and out.exists()
    assert cli.main([str(tmp_path / "nowhere"), "--out", str(out)]) == 1
    assert cli.main([]) == 2
    assert cli.main([str(class_folder)]) == 2  # --out is required
    bad = tmp_path / "only_bad"
    bad.mkdir()
    (bad / "x.json").write_text("[]", encoding="utf-8")
    assert cli.main([str(bad), "--out", str(tmp_path / "none.html")]) == 1
    assert not (tmp_path / "none.html").exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no such folder" in err and "no usable attempts" in err


def test_cli_through_the_fluorohip_command(class_folder, tmp_path):
    from fluorohip.cli import main

    assert main(["class-report", str(class_folder), "--out", str(tmp_path / "r.html")]) == 0


def test_report_has_no_nan_text(class_folder, t1_bank):
    from fluorohip.instructor.class_report import render_report

    m = merge_folder(class_folder)
    text = render_report(m, analyse(m.records, {"t1": t1_bank}))
    visible = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    assert not re.search(r"\bnan\b", visible, flags=re.IGNORECASE)
    assert math.isclose(analyse(m.records, {"t1": t1_bank}).items[0].p, 0.6)


def test_lock_files_beside_live_stores_are_not_reported(tmp_path):
    from fluorohip.instructor.merge import find_exports

    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / "progress.json").write_text("{}")
    (tmp_path / "ana" / "progress.json.lock").write_text("")
    assert [p.name for p in find_exports(tmp_path)] == ["progress.json"]


# -- a learner's live store log (a hub's submissions/<learner>.jsonl) ---------------------------
def _store_log(tmp_path, name="ana"):
    from fluorohip.progress.store import ProgressStore

    store = ProgressStore(tmp_path / f"{name}-home")
    for i, ok in enumerate((True, False, True)):
        store.record("t1", f"q{i + 1}", "a", ok, bank_version=1, objective="T.1", learner=None)
    return store


def test_a_store_log_is_read_skipping_a_torn_final_line_and_not_double_counted(tmp_path):
    from fluorohip.progress.export import attempts_to_json

    store = _store_log(tmp_path)
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    log = class_dir / "ana.jsonl"
    log.write_bytes(
        store.path.read_bytes() + '{"answer": "h\u00e9'.encode()[:-1]
    )  # a save in progress
    (class_dir / "ana.json").write_text(
        attempts_to_json(store.attempts()), encoding="utf-8"
    )  # also exported
    m = merge_folder(class_dir)
    assert not m.skipped, m.skipped
    assert (
        len(m.records) == 3 and m.duplicates == 3 and m.learners == ["ana"]
    )  # unnamed: the file name
    assert [r.correct for r in sorted(m.records, key=lambda r: r.question_id)] == [
        True,
        False,
        True,
    ]


@pytest.mark.parametrize(
    "damage, reason",
    [
        (
            lambda raw: b"\n".join(raw.split(b"\n")[:2] + [b"garbage"] + raw.split(b"\n")[2:]),
            "line 3: not valid JSON",
        ),
        (
            lambda raw: raw.replace(b'"correct": false', b'"correct": "no"'),
            "line 3: field 'correct'",
        ),
        (lambda raw: raw + b"junk", "line 5: text after the last complete line"),
        (lambda raw: raw.replace(b'"version": 1', b'"version": 9', 1), "newer fluorohip"),
        (
            lambda raw: b'{"format": "other", "version": 1}\n' + raw.split(b"\n", 1)[1],
            "line 1: field 'format'",
        ),
    ],
    ids=["middle", "field", "junk-tail", "newer", "not-a-log"],
)
def test_a_damaged_store_log_is_skipped_as_a_whole(tmp_path, damage, reason):
    store = _store_log(tmp_path)
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    (class_dir / "ana.jsonl").write_bytes(damage(store.path.read_bytes()))
    m = merge_folder(class_dir)
    assert m.records == [] and len(m.skipped) == 1, m.skipped
    assert m.skipped[0].name == "ana.jsonl" and reason in m.skipped[0].reason, m.skipped[0].reason


def test_a_store_log_with_only_its_header_is_empty(tmp_path):
    from fluorohip.progress.store import log_header

    (tmp_path / "ana.jsonl").write_bytes(log_header())
    (tmp_path / "ben.jsonl").write_bytes(b"")
    m = merge_folder(tmp_path)
    assert m.empty == ["ana.jsonl", "ben.jsonl"] and not m.skipped
