"""Options are shown in a shuffled order fixed per learner and item; everything else uses ids."""

from __future__ import annotations

from collections import Counter

import pytest

from fluorohip.core.paths import quizzes_dir
from fluorohip.progress import ProgressStore
from fluorohip.quiz import load_bank, show_quiz
from fluorohip.quiz.model import CaseQuestion, MultipleQuestion, SingleQuestion
from fluorohip.quiz.order import option_order, plain_label
from fluorohip.quiz.views import answer_controls

CHAPTERS = [p.stem for p in sorted(quizzes_dir().glob("0[0-6]_*.yaml"))]


def _items(bank):
    for q in bank.questions:
        for item in q.stages if isinstance(q, CaseQuestion) else (q,):
            if isinstance(item, (SingleQuestion, MultipleQuestion)):
                yield item


def test_order_is_a_stable_permutation_that_depends_on_learner_and_item():
    ids = ["a", "b", "c", "d", "e"]
    first = option_order(ids, "01_hip_anatomy", "anat-x", learner="ana")
    assert sorted(first) == ids and first == option_order(
        ids, "01_hip_anatomy", "anat-x", learner="ana"
    )
    others = {
        tuple(option_order(ids, "01_hip_anatomy", "anat-x", learner=f"learner{n}"))
        for n in range(20)
    }
    assert len(others) > 5  # another learner sees another order
    items = {
        tuple(option_order(ids, "01_hip_anatomy", f"anat-{n}", learner="ana")) for n in range(20)
    }
    assert len(items) > 5


def test_learner_comes_from_the_environment(monkeypatch):
    ids = list("abcdef")
    monkeypatch.setenv("FLUOROHIP_LEARNER", "resident-1")
    one = [option_order(ids, "b", f"q{n}") for n in range(10)]
    monkeypatch.setenv("FLUOROHIP_LEARNER", "resident-2")
    two = [option_order(ids, "b", f"q{n}") for n in range(10)]
    assert one != two
    assert one == [option_order(ids, "b", f"q{n}", learner="resident-1") for n in range(10)]


@pytest.mark.parametrize("learner", ["", "resident-1", "Dr Patel"])
def test_the_key_is_not_first_more_often_than_chance(monkeypatch, learner):
    """Choosing the first shown option on every chapter item must not beat chance by much."""
    monkeypatch.setenv("FLUOROHIP_LEARNER", learner)
    first_right = expected = n = 0
    for stem in CHAPTERS:
        bank = load_bank(stem)
        for q in _items(bank):
            shown = answer_controls(q, bank.bank).order
            keyed = {q.answer} if isinstance(q, SingleQuestion) else set(q.answer)
            first_right += shown[0] in keyed
            expected += len(keyed) / len(shown)
            n += 1
    assert n > 60
    assert first_right <= expected + 2.5 * (expected**0.5), (first_right, expected, n)


def test_controls_show_full_text_in_shuffled_order_and_answer_by_id():
    bank = load_bank("00_start_here")
    q = next(q for q in _items(bank) if isinstance(q, SingleQuestion))
    controls = answer_controls(q, bank.bank)
    labels = [label for label, _ in controls.radio.options]
    assert [v for _, v in controls.radio.options] == controls.order
    assert set(labels) == {plain_label(o.text) for o in q.options}
    assert not any(
        label[:3] in ("A. ", "B. ", "C. ", "D. ") or label in ("A.", "B.") for label in labels
    )
    assert controls.intro == ""  # no separate lettered list
    controls.radio.value = q.answer
    assert controls.response() == q.answer


def test_multiple_response_is_ids_whatever_the_order():
    bank = load_bank("00_start_here")
    q = next(q for q in _items(bank) if isinstance(q, MultipleQuestion))
    controls = answer_controls(q, bank.bank)
    assert [b.description for b in controls.boxes] == [
        plain_label(o.text) for o in controls.shown_options
    ]
    controls.set_response(sorted(q.answer))
    assert sorted(controls.response()) == sorted(q.answer)
    ticked = [o.id for o, b in zip(controls.shown_options, controls.boxes) if b.value]
    assert sorted(ticked) == sorted(q.answer)


def test_progress_stores_the_option_id_not_the_position():
    quiz = show_quiz("00_start_here")
    view = next(v for v in quiz.views if isinstance(v.q, SingleQuestion))
    wrong = next(i for i in view.controls.order if i != view.q.answer)
    view.controls.radio.value = wrong
    view.check()
    view.try_again()
    view.controls.radio.value = view.q.answer
    assert view.check().correct
    assert [(a.answer, a.correct) for a in ProgressStore().attempts()] == [
        (wrong, False),
        (view.q.answer, True),
    ]


def test_plain_label_drops_markdown_and_keeps_citations():
    assert (
        plain_label("Press **Check** and\n read `x` [@Hoeber2016]")
        == "Press Check and read x (Hoeber2016)"
    )
    assert Counter(plain_label("a *b* c")) == Counter("a b c")
