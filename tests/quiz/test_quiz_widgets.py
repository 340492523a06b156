"""The views: stable repr, feedback in words, saving attempts, workshop mode, review, dashboard."""

from __future__ import annotations

import pytest

from fluorohip.progress import ProgressStore, show_dashboard
from fluorohip.quiz import load_bank, release_answers, review, show_quiz
from fluorohip.quiz.order import shuffled
from fluorohip.quiz.views import QuestionView, QuizWidget

REPR = (
    "Quiz 00_start_here: 9 questions (single 4, multiple 1, numeric 1, ordering 1, label 1, case 1); "
    "answered 0/9"
)


def test_repr_is_stable_and_ignores_stored_progress(capsys):
    ProgressStore().record("00_start_here", "start-educational-use", "a", True, bank_version=1)
    quiz = show_quiz("00_start_here")
    assert repr(quiz) == REPR
    assert (
        quiz._repr_mimebundle_()["text/plain"] == REPR
    )  # what a stored notebook shows and nbval compares
    assert capsys.readouterr() == ("", "")  # nothing printed while the cell runs


def test_subset_in_given_order():
    quiz = show_quiz("00_start_here", ["start-review-mode", "start-notebook-count"])
    assert repr(quiz) == "Quiz 00_start_here: 2 questions (single 1, numeric 1); answered 0/2"
    with pytest.raises(ValueError, match="no question"):
        show_quiz("00_start_here", ["nope"])


def _view(quiz: QuizWidget, qid: str):
    return next(v for v in quiz.views if v.q.id == qid)


def test_check_try_again_and_saving():
    quiz = show_quiz("00_start_here")
    view = _view(quiz, "start-educational-use")
    view.controls.radio.value = "b"
    view.check()
    assert "✗ Not quite." in view.feedback.value and "certify" in view.feedback.value
    assert "Explanation." in view.feedback.value and view.controls.radio.disabled
    view.try_again()
    view.controls.radio.value = "a"
    view.check()
    assert "✓ Correct." in view.feedback.value
    assert repr(quiz).endswith("answered 1/9") and "Score: 1 of 9 correct" in quiz.score.value
    saved = ProgressStore().attempts()
    v = load_bank("00_start_here").version  # the bank's version, raised when an item changes
    assert [(a.question_id, a.answer, a.correct, a.bank_version, a.objective) for a in saved] == [
        ("start-educational-use", "b", False, v, "00.3"),
        ("start-educational-use", "a", True, v, "00.3"),
    ]


@pytest.mark.parametrize("text", ["abc", "", "1,500", "1e309", "NaN", "inf"])
def test_numeric_box_hints_and_does_not_save(text):
    quiz = show_quiz("00_start_here", ["start-notebook-count"])
    view = quiz.views[0]
    view.controls.text.value = text
    assert view.check().status == "invalid"
    assert "ℹ" in view.feedback.value and not view.controls.text.disabled
    assert ProgressStore().attempts() == []


def test_show_answer_for_every_type_sets_the_controls():
    quiz = show_quiz("00_start_here")
    for view in quiz.views:
        for v in getattr(view, "stage_views", [view]):
            v.show_answer()
            assert "Answer:" in v.feedback.value
            assert v.check_button.disabled
    assert ProgressStore().attempts() == []  # showing is not answering


def test_every_type_can_be_answered_correctly():
    from fluorohip.quiz.grading import correct_response

    quiz = show_quiz("00_start_here")
    for view in quiz.views:
        for v in getattr(view, "stage_views", [view]):
            v.controls.set_response(correct_response(v.q))
            assert v.check().correct, v.q.key
    assert "Score: 9 of 9 correct" in quiz.score.value and repr(quiz).endswith("answered 9/9")
    assert len(ProgressStore().attempts()) == 10  # a case saves one attempt per stage


def test_case_unfolds_stage_by_stage():
    quiz = show_quiz("00_start_here", ["start-troubleshoot-case"])
    case = quiz.views[0]
    first, second = case.stage_views
    assert second.layout.display == "none" and case.reveals[0].value == ""
    first.controls.radio.value = "b"
    first.check()
    assert second.layout.display is None and "kernel status circle" in case.reveals[0].value
    assert repr(quiz).endswith("answered 0/1")
    second.controls.set_response(["interrupt", "restart", "run-all"])
    second.check()
    assert "Case summary" in case.summary.value and repr(quiz).endswith("answered 1/1")
    assert [a.question_id for a in ProgressStore().attempts()] == [
        "start-troubleshoot-case/first-step",
        "start-troubleshoot-case/stuck-kernel",
    ]


def test_ordering_shows_a_shuffled_order_not_the_answer():
    ids = ["a", "b", "c", "d"]
    assert shuffled(ids, "x") != ids and sorted(shuffled(ids, "x")) == ids
    assert shuffled(ids, "x") == shuffled(ids, "x")


def test_unsaved_answer_is_said_not_hidden(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    quiz = show_quiz("00_start_here", ["start-review-mode"], store=ProgressStore(blocker / "home"))
    view = quiz.views[0]
    view.controls.radio.value = "a"
    assert view.check().correct
    assert "not saved" in view.feedback.value


def test_workshop_mode_hides_answers_until_released(monkeypatch, tmp_path):
    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    quiz = show_quiz("00_start_here", ["start-educational-use"])
    view: QuestionView = quiz.views[0]
    assert view.show_button.layout.display == "none"
    view.controls.radio.value = "b"
    view.check()
    assert "✗ Not quite." in view.feedback.value
    assert "Explanation." not in view.feedback.value and "certify" not in view.feedback.value
    view.show_answer()
    assert "Answer:" not in view.feedback.value
    flag = release_answers("00_start_here")
    assert flag.name == "00_start_here" and flag.exists()
    assert view.show_button.layout.display is None and "Explanation." in view.feedback.value


def test_workshop_release_by_file_flag(monkeypatch, tmp_path):
    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    quiz = show_quiz("00_start_here", ["start-educational-use"])
    view = quiz.views[0]
    view.controls.radio.value = "a"
    view.check()
    assert "Explanation." not in view.feedback.value
    (tmp_path / "released").mkdir()
    (tmp_path / "released" / "ALL").touch()  # what an instructor toolkit would do
    view.try_again()
    view.check()
    assert "Explanation." in view.feedback.value


def test_review_reasks_wrong_questions_oldest_first():
    store = ProgressStore()

    def rec(qid, ok):
        return store.record("00_start_here", qid, "x", ok, bank_version=1)

    rec("start-review-mode", False)  # oldest wrong
    rec("start-educational-use", False)
    rec("start-educational-use", True)  # now right: not due
    rec("start-troubleshoot-case/first-step", True)
    rec("start-troubleshoot-case/stuck-kernel", False)
    rec("start-export-progress", False)
    store.record("99_gone", "q", "x", False, bank_version=1)  # bank no longer exists: skipped
    widget = review()
    assert [q.id for _, q in widget.entries] == [
        "start-review-mode",
        "start-troubleshoot-case",
        "start-export-progress",
    ]
    assert repr(widget) == "Review: the questions you last answered wrongly, oldest first"
    assert [q.id for _, q in review(n=1).entries] == ["start-review-mode"]


def test_review_with_nothing_due():
    widget = review()
    assert widget.entries == [] and "Nothing to review" in widget.children[1].value


def test_dashboard_repr_is_fixed_and_table_reflects_progress():
    empty = show_dashboard()
    text = repr(empty)
    ProgressStore().record(
        "00_start_here", "start-educational-use", "a", True, bank_version=1, objective="00.3"
    )
    full = show_dashboard()
    assert (
        repr(full)
        == text
        == "Progress dashboard: per notebook, questions answered, correct and objectives met"
    )
    assert (
        "00_start_here" in full.table.value and "<td>1 of 9</td><td>1 of 9</td>" in full.table.value
    )
    assert "✓ met 00.3" in full.table.value


def test_dashboard_shows_a_moved_aside_store(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.write_text("{bad")
    with pytest.warns(UserWarning):
        board = show_dashboard(store)
    assert "could not be read" in board.table.value and 'role="alert"' in board.table.value


def test_long_summary_is_not_cut_by_ipywidgets():
    quiz = show_quiz("01_hip_anatomy")
    text = quiz._repr_mimebundle_()["text/plain"]
    assert len(repr(quiz)) > 110 and text == repr(quiz) and not text.endswith("…")


def test_release_elsewhere_reaches_an_answered_question_without_a_new_attempt(
    monkeypatch, tmp_path
):
    """The class answers, the instructor releases from the CLI (a file flag), learners press See feedback."""
    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    store = ProgressStore(tmp_path / "home")
    quiz = show_quiz("00_start_here", ["start-educational-use", "start-review-mode"], store=store)
    first, second = quiz.views
    first.controls.radio.value = "b"
    first.check()
    second.controls.radio.value = "a"
    second.check()
    assert first.feedback_button.layout.display is None  # offered once answered, while hidden
    assert first.see_feedback() is False
    assert "Not released yet" in first.feedback.value and "Explanation." not in first.feedback.value
    (tmp_path / "released").mkdir()
    (tmp_path / "released" / "00_start_here").touch()  # what `fluorohip answer-key --release` does
    assert first.see_feedback() is True
    assert "Explanation." in first.feedback.value
    assert (
        "Explanation." in second.feedback.value
    )  # every open question of the kernel, not only the one pressed
    assert first.feedback_button.layout.display == "none"
    assert first.show_button.layout.display is None
    assert len(store.attempts()) == 2  # no extra attempt recorded


def test_first_grade_is_kept_when_the_learner_tries_again():
    quiz = show_quiz("00_start_here", ["start-educational-use"])
    view = quiz.views[0]
    view.controls.radio.value = "b"
    view.check()
    view.try_again()
    view.controls.radio.value = next(o.id for o in view.q.options if o.id == view.q.answer)
    assert view.check().correct
    assert view.grade.correct and not view.first_grade.correct


def test_hiding_answers_again_rehides_open_views_of_this_kernel(monkeypatch, tmp_path):
    from fluorohip.quiz.release import hide_answers, release_flags

    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    view = show_quiz("00_start_here", ["start-educational-use"]).views[0]
    view.controls.radio.value = "a"
    view.check()
    release_answers("00_start_here")
    assert "Explanation." in view.feedback.value
    removed = hide_answers()
    assert [p.name for p in removed] == ["00_start_here"] and release_flags() == []
    assert "Explanation." not in view.feedback.value and view.show_button.layout.display == "none"
