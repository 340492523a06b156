"""Grading of every question type, including partial and unreadable responses."""

from __future__ import annotations

import pytest

from fluorohip.quiz.grading import answer_markdown, correct_response, grade


def q(bank, qid):
    return bank.question(qid)


def test_single(demo_bank):
    s = q(demo_bank, "demo-single")
    assert grade(s, "a").correct and grade(s, "a").feedback == (
        "Alpha is right because it is first.",
    )
    wrong = grade(s, "b")
    assert wrong.status == "incorrect" and "second" in wrong.feedback[0] and wrong.answer == "b"
    for bad in (None, "z", 3):
        assert grade(s, bad).status == "invalid" and not grade(s, bad).counts


def test_multiple(demo_bank):
    m = q(demo_bank, "demo-multiple")
    assert grade(m, ["c", "a"]).correct and grade(m, ["c", "a"]).answer == ["a", "c"]
    partial = grade(m, ["a"])
    assert partial.status == "incorrect" and partial.score == pytest.approx(2 / 3)
    assert any("did not tick" in f and "Three" in f for f in partial.feedback)
    extra = grade(m, ["a", "b", "c"])
    assert not extra.correct and any(f.startswith("✗ You ticked “Two”") for f in extra.feedback)
    assert grade(m, []).status == "invalid"


@pytest.mark.parametrize(
    "text, status",
    [
        ("7.5", "correct"),
        ("7", "correct"),
        ("8", "correct"),
        ("8.01", "incorrect"),
        ("6.9", "incorrect"),
        ("7.5 cc", "correct"),
        ("7.5 ml", "correct"),
        ("7.5 mL", "correct"),
        ("abc", "invalid"),
        ("", "invalid"),
        ("7,5", "correct"),
        ("7,5 mL", "correct"),
        ("8,01", "incorrect"),
        ("1e309", "invalid"),
        ("NaN", "invalid"),
    ],
)
def test_numeric(demo_bank, text, status):
    g = grade(q(demo_bank, "demo-numeric"), text)
    assert g.status == status
    if status == "invalid":
        assert g.hint and not g.feedback
    else:
        assert g.feedback == (("Yes.",) if status == "correct" else ("No, about 7.5 mL.",))
        assert g.answer == text.strip()


def test_ordering(demo_bank):
    o = q(demo_bank, "demo-ordering")
    assert grade(o, ["first", "second", "third"]).correct
    swapped = grade(o, ["second", "first", "third"])
    assert swapped.status == "incorrect" and swapped.score == pytest.approx(1 / 3)
    assert "belongs at position 2" in swapped.feedback[0]
    assert grade(o, ["first", "first", "third"]).status == "invalid"
    assert grade(o, ["first", None, "third"]).status == "invalid"
    assert grade(o, ["first", "second"]).status == "invalid"


def test_label(demo_bank):
    lab = q(demo_bank, "demo-label")
    assert grade(lab, {"A": "head", "B": "neck"}).correct
    wrong = grade(lab, {"A": "shaft", "B": "neck"})
    assert (
        wrong.status == "incorrect"
        and wrong.score == 0.5
        and "You said “Shaft”" in wrong.feedback[0]
    )
    assert grade(lab, {"A": "head"}).status == "invalid"
    assert grade(lab, {"A": "head", "B": "elbow"}).status == "invalid"


def test_case_is_graded_by_stage(demo_bank):
    case = q(demo_bank, "demo-case")
    with pytest.raises(TypeError):
        grade(case, "a")
    one, two = case.stages
    assert grade(one, "a").correct and not grade(one, "b").correct
    assert grade(two, "3").correct and grade(two, "3.0").correct and not grade(two, "4").correct
    assert one.key == "demo-case/one"


def test_correct_response_grades_correct_for_every_type(demo_bank):
    for item in demo_bank.gradable().values():
        assert grade(item, correct_response(item)).correct, item.key
        assert answer_markdown(item).startswith("**Answer:**")


def test_show_answer_text(demo_bank):
    assert answer_markdown(q(demo_bank, "demo-numeric")) == "**Answer:** 7.5 mL (± 0.5)"
    assert "1. First step" in answer_markdown(q(demo_bank, "demo-ordering"))
    assert "- B: Neck" in answer_markdown(q(demo_bank, "demo-label"))
