"""Cases: every file validates, every case can be walked to its end, images and player behave."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip import interpretation as interp
from fluorohip.cases import (
    STAGE_KINDS,
    DiaryImage,
    FluoroImage,
    available_cases,
    load_case,
    load_cases,
    model_answers,
    run_case,
    validate_case_files,
)
from fluorohip.cases.images import image_png, pain_diary
from fluorohip.cases.model import COURSE_ORDER
from fluorohip.core.bibliography import load_bibliography
from fluorohip.quiz.model import MultipleQuestion, NumericQuestion, OrderingQuestion, SingleQuestion

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
CASE_FILES = sorted((ASSETS / "cases").glob("*.yaml"))
KEYS = set(load_bibliography(ASSETS / "references.yaml"))
CASES = load_cases()

REQUIRED_SCENARIOS = {  # the issue's list -> case id
    "classic osteoarthritis": "classic-oa",
    "FAI/labral tear before arthroscopy": "fai-labral-tear",
    "hip vs lumbar spine": "hip-vs-spine",
    "greater trochanteric pain mis-attributed to the hip": "gtps-not-hip",
    "contraindication found at time-out": "timeout-contraindication",
    "diabetic patient on steroids": "diabetic-steroid",
    "anticoagulated patient": "anticoagulated",
    "negative block with extra-articular contrast": "negative-extra-articular",
    "arthroplasty planned soon": "arthroplasty-soon",
}


def test_every_case_file_validates():
    problems = validate_case_files(CASE_FILES, KEYS, ASSETS)
    assert not problems, "\n".join(map(str, problems))


def test_issue_scenarios_are_all_present_in_course_order():
    assert len(CASE_FILES) >= 9
    assert set(REQUIRED_SCENARIOS.values()) <= set(available_cases())
    assert available_cases()[: len(COURSE_ORDER)] == list(COURSE_ORDER)


def test_cases_cover_every_stage_kind():
    kinds = {k for c in CASES for k in c.kinds}
    assert kinds == set(STAGE_KINDS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_scripted_run_with_right_answers_reaches_the_end(case):
    t = run_case(case, model_answers(case))
    assert t.reached_end and t.conclusion == case.explanation
    assert [s.stage_id for s in t.steps] == [s.id for s in case.stages]
    assert all(s.status == "correct" for s in t.steps), t.text()
    assert all(s.feedback for s in t.steps)


def _wrong(q):
    if isinstance(q, SingleQuestion):
        return next(o.id for o in q.options if o.id != q.answer)
    if isinstance(q, MultipleQuestion):
        return sorted({o.id for o in q.options} - set(q.answer)) or [q.options[0].id]
    if isinstance(q, NumericQuestion):
        return str(q.answer.value + 10 * (q.answer.tolerance + 1))
    if isinstance(q, OrderingQuestion):
        return list(reversed(q.answer))
    raise AssertionError(q.type)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_scripted_run_with_wrong_answers_still_reaches_the_end(case):
    t = run_case(case, [_wrong(s.question) for s in case.stages])
    assert t.reached_end
    assert all(s.status == "incorrect" for s in t.steps), t.text()


def test_run_stops_at_an_ungradable_answer():
    case = load_case("classic-oa")
    answers = model_answers(case)
    answers[case.stages[2].id] = None
    t = run_case(case, answers)
    assert not t.reached_end and len(t.steps) == 3 and t.steps[-1].status == "invalid"
    assert "stopped at stage 3" in t.text()


def _diary_stages():
    return [(c, s) for c in CASES for s in c.stages if isinstance(s.image, DiaryImage)]


@pytest.mark.parametrize("case,stage", _diary_stages(), ids=lambda x: getattr(x, "id", ""))
def test_diary_numbers_agree_with_the_interpretation_model(case, stage):
    summary = interp.summarise_diary(pain_diary(stage.image))
    q = stage.question
    if isinstance(
        q, NumericQuestion
    ):  # the percent-relief answer is the model's best relief in the window
        assert abs(q.answer.value - summary.best_window_relief) <= q.answer.tolerance
    if case.id == "hip-vs-spine":
        assert summary.pattern == "no-response"
    if case.id == "classic-oa":
        assert summary.pattern == "anaesthetic-response"


def test_every_stage_image_renders_deterministically_with_alt_text():
    seen = 0
    for case in CASES:
        for stage in case.stages:
            if stage.image is None:
                continue
            png, alt = image_png(stage.image)
            assert png.startswith(b"\x89PNG") and len(alt) > 40
            if isinstance(stage.image, FluoroImage):
                assert image_png(stage.image)[0] == png  # seeded
                assert "Simulated fluoroscopy frame" in alt
                if stage.image.contrast != "none":
                    assert stage.image.contrast in alt
            seen += 1
    assert seen >= 10


def test_needle_frames_show_the_tip_in_the_joint():
    from fluorohip.cases.images import fluoro_frame

    for bmi in (20, 27, 38):
        frame = fluoro_frame(FluoroImage(bmi=bmi, needle=True))
        assert frame.image.shape == (256, 256)
        assert (
            frame.tip is not None
            and frame.tip.label == "intra-articular"
            and frame.tip.bone_contact
        )


def test_player_opens_stages_one_by_one_and_summarises():
    from fluorohip.cases.views import CaseMenu, CasePlayer
    from fluorohip.quiz.grading import correct_response

    case = load_case("hip-vs-spine")
    player = CasePlayer(case)
    assert (
        repr(player)
        == "Case hip-vs-spine: 5 stages (history, decision, technique, diary, next_step)"
    )
    assert [b.layout.display for b in player.stage_boxes] == [None, "none", "none", "none", "none"]
    first = player.views[0]
    first.controls.set_response(_wrong(first.q))
    first.check()
    assert (
        player.stage_boxes[1].layout.display is None
        and "What happens next" in player.reveals[0].value
    )
    assert player.summary.value == ""
    for view in player.views[1:]:
        view.controls.set_response(correct_response(view.q))
        view.check()
    assert player.done and "4 of 5 stages right" in player.summary.value
    diary_box = player.stage_boxes[3]
    assert "data:image/png;base64" in diary_box.children[1].value
    menu = CaseMenu(CASES[:2])
    assert repr(menu) == "Cases: 2 synthetic patients, one at a time"
    menu.picker.value = CASES[1].id
    assert menu.holder.children[0].case.id == CASES[1].id


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_objectives_are_exactly_those_its_stages_test(case):
    assert {s.question.objective for s in case.stages} == set(case.objectives)
