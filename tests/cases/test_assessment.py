"""Pre-test / post-test matching and the completion summary."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import yaml

from fluorohip import interpretation as interp
from fluorohip.content import completion
from fluorohip.content.catalog import load_catalog
from fluorohip.content.course_map import chapter_banks, posttest_bank, pretest_bank
from fluorohip.progress import ProgressStore
from fluorohip.quiz import load_bank

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = ROOT / "assets" / "quizzes"
# The chapter banks, the pre-test and the post-test come from the course map (its chapter entries),
# never from file numbers: inserting a chapter renumbers notebooks but must not change which banks count.
CHAPTER_BANKS = [QUIZZES / f"{b}.yaml" for b in chapter_banks()]
PRE, POST = load_bank(pretest_bank()), load_bank(posttest_bank())


def _chapter_objectives() -> dict[str, str]:
    out = {}
    for path in CHAPTER_BANKS:
        for o in yaml.safe_load(path.read_text(encoding="utf-8"))["objectives"]:
            out[str(o["id"])] = o["text"]
    return out


def test_bank_names_are_the_ones_the_instructor_toolkit_reads():
    assert (PRE.bank, POST.bank) == ("00_pretest", "07_posttest")


def test_every_chapter_objective_has_items_in_both_pre_and_post():
    chapter = _chapter_objectives()
    assert len(chapter) >= 26
    pre = {q.objective for q in PRE.questions}
    post = {q.objective for q in POST.questions}
    assert set(chapter) - pre == set(), "objectives without a pre-test item"
    assert set(chapter) - post == set(), "objectives without a post-test item"
    assert pre == post


def test_pre_and_post_declare_the_chapter_objectives_verbatim():
    chapter = _chapter_objectives()
    for bank in (PRE, POST):
        assert {o.id: o.text for o in bank.objectives} == chapter


def test_parallel_items_are_different_questions():
    pre_stems = {q.stem.strip() for q in PRE.questions}
    assert not pre_stems & {q.stem.strip() for q in POST.questions}
    assert not {q.id for q in PRE.questions} & {q.id for q in POST.questions}


def test_answer_position_is_not_a_giveaway():
    for bank in (PRE, POST):
        singles = [q for q in bank.questions if q.type == "single"]
        firsts = sum(q.options[0].id == q.answer for q in singles)
        assert firsts < 0.6 * len(singles)


def _numeric(bank, qid):
    return bank.question(qid).answer


@pytest.mark.parametrize(
    "bank,qid,pre,post", [(PRE, "pre-percent-relief", 8, 3), (POST, "post-percent-relief", 5, 1)]
)
def test_percent_relief_items_match_the_model(bank, qid, pre, post):
    a = _numeric(bank, qid)
    assert abs(a.value - interp.percent_relief(pre, post)) <= a.tolerance


@pytest.mark.parametrize(
    "bank,qid,prior", [(PRE, "pre-post-test", 0.5), (POST, "post-post-test", 0.2)]
)
def test_post_test_probability_items_match_the_model(bank, qid, prior):
    a = _numeric(bank, qid)
    assert abs(a.value - 100 * interp.post_test_probability(prior, 10)) <= a.tolerance


def test_diluted_sensitivity_item_matches_the_model():
    a = _numeric(POST, "post-diluted-sensitivity")
    assert abs(a.value - 100 * interp.diluted_sensitivity(0.97, 0.91, 0.72)) <= a.tolerance


@pytest.mark.parametrize(
    "bank,qid,depth,tilt", [(PRE, "pre-needle-path", 70, 20), (POST, "post-needle-path", 90, 25)]
)
def test_needle_path_items(bank, qid, depth, tilt):
    import math

    a = _numeric(bank, qid)
    assert abs(a.value - depth / math.cos(math.radians(tilt))) <= a.tolerance


# -- completion summary -----------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _banks():
    """The catalog, loaded once: the summary tests only read it."""
    return load_catalog()


def test_fresh_store_gives_a_deterministic_empty_summary(tmp_path, monkeypatch):
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    a = completion.completion_html(completion.build_completion([], _banks()))
    b = completion.completion_html(completion.build_completion([], _banks()))
    assert a == b
    assert "not set" in a and "not taken" in a
    assert not re.search(r"/(tmp|home|root|work)/", a)
    assert [c.stem for c in completion.build_completion([], _banks()).chapters][:1] == [
        "01_hip_anatomy"
    ]


def test_summary_reports_chapter_objective_and_gain(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_LEARNER", "resident-07")
    store = ProgressStore(tmp_path)
    pre_q = next(q for q in PRE.questions if q.objective == "01.2")
    post_q = next(q for q in POST.questions if q.objective == "01.2")
    anat = load_bank(QUIZZES / "01_hip_anatomy.yaml")
    anat_q = next(q for q in anat.questions if q.objective == "01.2" and q.type != "case")
    store.record("00_pretest", pre_q.key, "x", False, bank_version=1, objective="01.2")
    store.record("07_posttest", post_q.key, "x", True, bank_version=1, objective="01.2")
    store.record("01_hip_anatomy", anat_q.key, "x", True, bank_version=1, objective="01.2")
    c = completion.build_completion(store.attempts(), _banks())
    row = next(o for o in c.objectives if o.id == "01.2")
    assert row.notebook == "01_hip_anatomy" and row.correct == 1
    n_pre = sum(q.objective == "01.2" for q in PRE.questions)
    assert row.pre == 0.0 and row.post == pytest.approx(
        1 / sum(q.objective == "01.2" for q in POST.questions)
    )
    assert row.gain_points == pytest.approx(100 * row.post) and n_pre >= 1
    other = next(o for o in c.objectives if o.id == "03.1")
    assert other.pre is None and other.gain_points is None
    ch = next(x for x in c.chapters if x.stem == "01_hip_anatomy")
    assert (ch.answered, ch.correct) == (1, 1)
    page = completion.completion_html(c)
    assert "resident-07" in page and 'href="01_hip_anatomy.ipynb"' in page and "+100 points" in page
    message = completion.write_completion(tmp_path / "out" / "summary.html", store=store)
    written = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "resident-07" in written
    assert str(tmp_path) not in message and "summary.html" in message


def test_learner_falls_back_to_the_attempts(tmp_path, monkeypatch):
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    store = ProgressStore(tmp_path)
    store.record("00_pretest", PRE.questions[0].key, "x", True, bank_version=1, learner="ana")
    assert completion.build_completion(store.attempts(), _banks()).learner == "ana"


def test_html_escapes_learner_names(monkeypatch):
    monkeypatch.setenv("FLUOROHIP_LEARNER", "<script>x</script>")
    page = completion.completion_html(completion.build_completion([], _banks()))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_every_objective_links_to_a_notebook_that_exists():
    c = completion.build_completion([], _banks())
    stems = {o.notebook for o in c.objectives}
    assert None not in stems
    for stem in stems:
        assert (ROOT / "notebooks" / f"{stem}.ipynb").exists() or stem == "05_procedure"
