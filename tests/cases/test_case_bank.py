"""Case answers count like quiz answers: saved under ``07_cases``, in the catalog, reports, key and review."""

from __future__ import annotations

import pytest

from fluorohip.cases import available_cases, load_case, load_cases
from fluorohip.cases.bank import CASES_BANK, bank_version, case_question, cases_bank
from fluorohip.progress import ProgressStore
from fluorohip.quiz.grading import correct_response
from fluorohip.quiz.model import CaseQuestion


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_HOME", str(tmp_path))
    monkeypatch.delenv("FLUOROHIP_WORKSHOP_MODE", raising=False)
    return tmp_path


def _wrong_response(q):
    """An answer that grades wrong for a single-best-answer stage."""
    return next(o.id for o in q.options if o.id != q.answer)


def test_bank_has_one_staged_item_per_case_keyed_case_slash_stage():
    bank = cases_bank()
    assert bank.bank == CASES_BANK
    assert [q.id for q in bank.questions] == available_cases()
    assert all(isinstance(q, CaseQuestion) for q in bank.questions)
    keys = list(bank.gradable())
    expected = [f"{c.id}/{s.id}" for c in load_cases() for s in c.stages]
    assert keys == expected and len(set(keys)) == len(keys)


def test_each_stage_counts_for_its_own_objective_not_the_cases_first():
    case = load_case("classic-oa")
    bank = cases_bank([case])
    for stage in case.stages:
        assert bank.objective_of(f"classic-oa/{stage.id}") == stage.question.objective
    assert len({bank.objective_of(k) for k in bank.gradable()}) > 1


def test_stage_stems_carry_their_findings_for_reading_away_from_the_notebook():
    case = load_case("classic-oa")
    q = case_question(case)
    assert case.title in q.stem
    for stage, item in zip(case.stages, q.stages):
        assert item.stem.startswith(stage.findings.strip()[:40]) and item.stem.endswith(
            stage.question.stem
        )


def test_version_changes_when_any_case_is_revised():
    cases = load_cases()
    from dataclasses import replace

    revised = [replace(cases[0], version=f"{cases[0].version}-r"), *cases[1:]]
    assert bank_version(cases) == bank_version(list(reversed(cases)))
    assert bank_version(revised) != bank_version(cases)


def test_checked_stages_reach_the_store_with_the_catalog_version(home):
    from fluorohip.cases.views import CasePlayer
    from fluorohip.content.catalog import load_catalog

    player = CasePlayer(load_case("timeout-contraindication"))
    for view in player.views:
        view.controls.set_response(correct_response(view.q))
        view.check()
    got = ProgressStore(home).attempts()
    catalog_bank = load_catalog()[CASES_BANK]
    assert [a.question_id for a in got] == [
        f"timeout-contraindication/{s.id}" for s in player.case.stages
    ]
    assert {a.bank for a in got} == {CASES_BANK}
    assert {a.bank_version for a in got} == {catalog_bank.version}
    assert [a.objective for a in got] == [s.question.objective for s in player.case.stages]
    assert all(a.correct for a in got)


def test_unwritable_store_still_grades_and_says_so(tmp_path):
    from fluorohip.cases.views import CasePlayer

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    player = CasePlayer(load_case("classic-oa"), store=ProgressStore(blocker / "home"))
    view = player.views[0]
    view.controls.set_response(correct_response(view.q))
    view.check()
    assert view.grade.correct
    assert player.save_notices and "not saved" in view.feedback.value


def test_case_answers_appear_in_the_learner_summary_and_completion(home):
    from fluorohip.cases.views import CasePlayer
    from fluorohip.content.catalog import load_catalog
    from fluorohip.content.completion import completion_for_store, completion_html

    player = CasePlayer(load_case("classic-oa"))
    first, second = player.views[0], player.views[1]
    first.controls.set_response(correct_response(first.q))
    first.check()
    second.controls.set_response(_wrong_response(second.q))
    second.check()
    summary = {b.bank: b for b in ProgressStore(home).summary(load_catalog())}
    assert summary[CASES_BANK].total == len(available_cases())
    c = completion_for_store()
    row = next(k for k in c.cases if k.id == "classic-oa")
    assert (row.answered, row.correct, row.stages) == (2, 1, len(player.case.stages))
    assert all(k.answered == 0 for k in c.cases if k.id != "classic-oa")
    page = completion_html(c)
    assert "Integrated cases" in page and player.case.title in page


def test_review_names_a_case_with_a_wrong_stage_instead_of_reasking_it(home):
    from fluorohip.cases.views import CasePlayer
    from fluorohip.quiz import review

    player = CasePlayer(load_case("gtps-not-hip"))
    view = player.views[0]
    view.controls.set_response(_wrong_response(view.q))
    view.check()
    widget = review()
    assert widget.entries == []
    intro = widget.children[1].value
    assert player.case.title in intro and "cases.show_case('gtps-not-hip')" in intro


def test_class_report_counts_case_stages_as_items(home, tmp_path):
    from fluorohip.instructor.class_results import build
    from fluorohip.progress.export import export_text

    for learner, right in (("r1", True), ("r2", False)):
        store = ProgressStore(tmp_path / learner)
        from fluorohip.cases.views import CasePlayer

        player = CasePlayer(load_case("classic-oa"), store=store)
        view = player.views[0]
        view.controls.set_response(correct_response(view.q) if right else _wrong_response(view.q))
        view.check()
        exports = tmp_path / "exports"
        exports.mkdir(exist_ok=True)
        text = export_text(
            [a.__class__(**{**a.to_json(), "learner": learner}) for a in store.attempts()], "json"
        )
        (exports / f"{learner}.json").write_text(text, encoding="utf-8")
    _merged, analysis = build(tmp_path / "exports")
    item = next(i for i in analysis.items if i.bank == CASES_BANK)
    assert item.question_id == "classic-oa/" + load_case("classic-oa").stages[0].id
    assert (item.n, item.n_correct, item.type) == (2, 1, "single")
    assert item.objective == load_case("classic-oa").stages[0].question.objective
    assert len(item.options) == len(
        load_case("classic-oa").stages[0].question.options
    )  # distractor analysis


def test_answer_key_includes_the_cases_and_they_can_be_released(tmp_path, monkeypatch, capsys):
    from fluorohip.cli.answer_key import main

    out = tmp_path / "key.html"
    assert main(["--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "07_cases" in page and load_case("anticoagulated").title in page
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    assert main(["--release", CASES_BANK]) == 0
    assert "Released 07_cases" in capsys.readouterr().out


def test_learner_summary_counts_each_case_stage_under_its_own_objective(home):
    from fluorohip.cases.views import CasePlayer
    from fluorohip.content.catalog import load_catalog

    case = load_case("classic-oa")
    player = CasePlayer(case)
    view = player.views[0]
    view.controls.set_response(correct_response(view.q))
    view.check()
    summary = {b.bank: b for b in ProgressStore(home).summary(load_catalog())}[CASES_BANK]
    per_objective = {o.id: (o.answered, o.correct, o.total) for o in summary.objectives}
    stage_totals = {}
    for c in load_cases():
        for s in c.stages:
            stage_totals[s.question.objective] = stage_totals.get(s.question.objective, 0) + 1
    assert {k: t for k, (_, _, t) in per_objective.items()} == stage_totals
    first = case.stages[0].question.objective
    assert per_objective[first][:2] == (1, 1)
    assert sum(a for a, _, _ in per_objective.values()) == 1


def _answer_stage(view, response):
    view.controls.set_response(response)
    return view.check()


def test_case_player_counts_right_first_time_not_the_latest_grade(home):
    from fluorohip.cases import show_case

    player = show_case("hip-vs-spine", store=ProgressStore(home))
    first = player.views[0]
    _answer_stage(first, _wrong_response(first.q))
    first.try_again()
    _answer_stage(first, correct_response(first.q))
    for view in player.views[1:]:
        _answer_stage(view, correct_response(view.q))
    n = len(player.views)
    assert player.right_first_time == n - 1
    assert f"{n - 1} of {n} stages right first time" in player.summary.value


def test_case_summary_waits_for_the_release_in_workshop_mode(home, monkeypatch):
    from fluorohip.cases import show_case
    from fluorohip.quiz import release as workshop

    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(home / "released"))
    workshop._reset_for_tests()
    player = show_case("hip-vs-spine", store=ProgressStore(home))
    for view in player.views:
        _answer_stage(view, correct_response(view.q))
    case = player.case
    assert "Case complete" in player.summary.value
    assert "appear when your instructor releases" in player.summary.value
    assert "Sources" not in player.summary.value
    (home / "released").mkdir()
    (home / "released" / CASES_BANK).touch()
    assert player.views[-1].see_feedback()
    assert "appear when your instructor" not in player.summary.value
    assert len(player.summary.value) > len(case.explanation) // 2
    workshop._reset_for_tests()
