"""Notebook 06 model: relief, thresholds, 2x2 accuracy, Bayes, diary validation, citations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.interpretation import model as I
from fluorohip.core.bibliography import CITATION_PATTERN, load_bibliography

BIB = load_bibliography()
score = st.floats(min_value=0, max_value=10, allow_nan=False)
pos_score = st.floats(min_value=0.1, max_value=10, allow_nan=False)
prob = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)
lr = st.floats(min_value=1e-4, max_value=1e4, allow_nan=False)
FAST = settings(max_examples=150, deadline=None)


# --- relief ---------------------------------------------------------------------------
def test_percent_relief_examples():
    assert I.percent_relief(8, 3) == pytest.approx(62.5)
    assert I.percent_relief(6, 6) == 0
    assert I.percent_relief(4, 6) == pytest.approx(-50)


@FAST
@given(pos_score, score)
def test_relief_bounds_and_closed_form(pre, post):
    r = I.percent_relief(pre, post)
    assert r <= 100 + 1e-9
    assert r == pytest.approx(100 * (pre - post) / pre)
    assert (r >= 0) == (post <= pre) or math.isclose(pre, post)


@FAST
@given(pos_score, score, score)
def test_relief_falls_as_post_score_rises(pre, a, b):
    lo, hi = sorted((a, b))
    assert I.percent_relief(pre, lo) >= I.percent_relief(pre, hi)


@pytest.mark.parametrize(
    "pre, post", [(0, 0), (11, 2), (5, -1), ("7", 2), (float("nan"), 2), (True, 1)]
)
def test_relief_refuses_bad_scores(pre, post):
    with pytest.raises(ValueError):
        I.percent_relief(pre, post)


def test_threshold_edges():
    assert not I.is_positive(6, 3, "gt50")  # exactly 50% is not "more than 50%"
    assert I.is_positive(6, 2.9, "gt50")
    assert I.is_positive(6, 4, "ge20pts")  # 2 points = 20/100
    assert not I.is_positive(6, 4.1, "ge20pts")
    assert I.is_positive(6, 0, "complete") and not I.is_positive(6, 0.5, "complete")


@FAST
@given(pos_score, score, score, st.sampled_from(list(I.THRESHOLDS)))
def test_classification_is_monotone(pre, a, b, key):
    lo, hi = sorted((a, b))
    if I.is_positive(pre, hi, key):  # a lower post score can only stay positive
        assert I.is_positive(pre, lo, key)


# --- 2x2 -------------------------------------------------------------------------------
def test_accuracy_from_counts_matches_hand_calculation():
    acc = I.accuracy_from_counts(tp=30, fp=2, fn=3, tn=10)
    assert acc.sensitivity == pytest.approx(30 / 33)
    assert acc.specificity == pytest.approx(10 / 12)
    assert acc.ppv == pytest.approx(30 / 32) and acc.npv == pytest.approx(10 / 13)
    assert acc.lr_positive == pytest.approx((30 / 33) / (2 / 12))
    assert acc.sensitivity_ci[0] < acc.sensitivity < acc.sensitivity_ci[1]


@FAST
@given(st.integers(0, 200), st.integers(0, 200), st.integers(0, 200), st.integers(0, 200))
def test_accuracy_bounds(tp, fp, fn, tn):
    acc = I.accuracy_from_counts(tp, fp, fn, tn)
    for value, ci in [
        (acc.sensitivity, acc.sensitivity_ci),
        (acc.specificity, acc.specificity_ci),
        (acc.ppv, acc.ppv_ci),
        (acc.npv, acc.npv_ci),
    ]:
        if math.isnan(value):
            assert all(math.isnan(c) for c in ci)
        else:
            assert 0 <= ci[0] <= value + 1e-12 and value - 1e-12 <= ci[1] <= 1


def test_wilson_known_value():
    lo, hi = I.wilson_interval(29, 30)  # 29/30 -> about 0.833 to 0.994
    assert lo == pytest.approx(0.8333, abs=1e-3) and hi == pytest.approx(0.9941, abs=1e-3)


@pytest.mark.parametrize("bad", [(-1, 0, 0, 0), (1.5, 0, 0, 0), ("3", 0, 0, 0)])
def test_accuracy_refuses_bad_counts(bad):
    with pytest.raises(ValueError):
        I.accuracy_from_counts(*bad)


# --- likelihood ratios and Bayes ---------------------------------------------------------
def test_pooled_lrs():
    lp, ln = I.likelihood_ratios(0.97, 0.91)
    assert lp == pytest.approx(10.78, abs=0.01) and ln == pytest.approx(0.033, abs=0.001)
    assert I.likelihood_ratios(0.88, 1.0)[0] == math.inf


@FAST
@given(prob)
def test_odds_round_trip(p):
    assert I.odds_to_probability(I.probability_to_odds(p)) == pytest.approx(p)


@FAST
@given(prob, lr)
def test_post_test_closed_form_and_bounds(p, l):
    post = I.post_test_probability(p, l)
    assert 0 <= post <= 1
    assert post == pytest.approx(p * l / (p * l + 1 - p), rel=1e-9, abs=1e-12)
    assert (post >= p - 1e-12) if l >= 1 else (post <= p + 1e-12)


@FAST
@given(prob, lr, lr)
def test_post_test_monotone_in_lr(p, a, b):
    lo, hi = sorted((a, b))
    assert I.post_test_probability(p, lo) <= I.post_test_probability(p, hi) + 1e-12


@FAST
@given(prob, prob, lr)
def test_post_test_monotone_in_pre_test(a, b, l):
    lo, hi = sorted((a, b))
    assert I.post_test_probability(lo, l) <= I.post_test_probability(hi, l) + 1e-12


def test_post_test_worked_examples():
    assert I.post_test_probability(0.5, 10.78) == pytest.approx(0.915, abs=0.001)
    assert I.post_test_after_block(0.8, False, 0.72) == pytest.approx(0.5485, abs=0.001)
    assert I.post_test_after_block(0.8, False, 1.0) == pytest.approx(0.1165, abs=0.001)


@pytest.mark.parametrize("p", [0, 1, -0.1, 1.2, float("nan"), "0.5"])
def test_bayes_refuses_bad_probability(p):
    with pytest.raises(ValueError):
        I.post_test_probability(p, 2)


@FAST
@given(unit, unit, unit, unit)
def test_dilution_weakens_the_test(se, sp, a, b):
    lo, hi = sorted((a, b))
    if se >= 1 - sp:  # an informative test
        assert I.diluted_sensitivity(se, sp, lo) <= I.diluted_sensitivity(se, sp, hi) + 1e-12
    assert I.diluted_sensitivity(se, sp, 1.0) == pytest.approx(se)
    assert I.diluted_sensitivity(se, sp, 0.0) == pytest.approx(1 - sp)


@FAST
@given(unit, unit)
def test_mixed_source_relief_bounds(share, effect):
    r = I.mixed_source_relief(share, effect)
    assert 0 <= r <= 100 and r == pytest.approx(100 * share * effect)


# --- diary validation ----------------------------------------------------------------------
def _problems(pre, rows, drug="bupivacaine"):
    with pytest.raises(I.DiaryError) as err:
        I.validate_diary(pre, rows, drug)
    return " | ".join(err.value.problems)


def test_diary_text_parses_units():
    d = I.validate_diary(
        "7", I.parse_diary("15, 4\n30 min; 1\n# comment\n\n4 h\t3\n2 d 5\n1 wk, 3")
    )
    assert [r.minutes for r in d.readings] == [15, 30, 240, 2880, 10080]


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("", 3)], "time is missing"),
        ([(None, 3)], "time is missing"),
        ([(30, 11)], "between 0 and 10; got 11"),
        ([(30, -1)], "between 0 and 10; got -1"),
        ([(30, "seven")], "must be a number between 0 and 10; got 'seven'"),
        ([("soon", 3)], "carry a unit"),
        ([(30, 2), (15, 3)], "comes before an earlier reading"),
        ([(30, 2), (30, 3)], "repeats"),
        ([(-5, 2)], "0 or more minutes"),
        ([(30, "")], "score is missing"),
        ([], "no readings"),
        ([(30,)], "expected a time and a score"),
    ],
)
def test_bad_diary_input_gets_a_clear_message(rows, expected):
    assert expected in _problems(7, rows)


def test_every_problem_is_reported_at_once():
    msg = _problems("x", [("a", "11"), (30, "seven"), (20, 4)], "aspirin")
    for part in (
        "pre-injection score",
        "reading 1: time",
        "reading 1: score",
        "reading 2: score",
        "reading 3: time 20 min comes before",
        "anaesthetic must be one of",
    ):
        assert part in msg


@FAST
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10)), min_size=1, max_size=8))
def test_diary_accepts_sorted_unique_valid_input_and_rejects_shuffles(rows):
    times = sorted({t for t, _ in rows})
    clean = [(t, s) for t, (_, s) in zip(times, rows)]
    assert len(I.validate_diary(5, clean).readings) == len(clean)
    if len(clean) > 1:
        with pytest.raises(I.DiaryError, match="time order"):
            I.validate_diary(5, list(reversed(clean)))


def test_synthetic_diaries_read_as_their_authors_expect():
    diaries = I.load_synthetic_diaries()
    assert len(diaries) >= 5
    for key, item in diaries.items():
        assert I.summarise_diary(item["diary"], item["threshold"]).pattern == item["expected"], key
    assert set(I.PATTERNS) == set(I.NEXT_STEPS)


def test_windows_come_from_pharmacology():
    from fluorohip import pharmacology

    tc = pharmacology.time_course("lidocaine")
    w = I.WINDOWS["lidocaine"]
    assert (w.onset_min, w.end_min) == (60 * tc.onset_h[0], 60 * tc.end_h[1])


# --- citations -----------------------------------------------------------------------------------
def test_every_key_in_the_model_resolves():
    keys = {f.key for f in I.FACTS.values()} | {t.key for t in I.THRESHOLDS.values()}
    keys |= {s.key for s in I.EVIDENCE} | {k for w in I.WINDOWS.values() for k in w.keys}
    for text in I.NEXT_STEPS.values():
        keys |= set(CITATION_PATTERN.findall(text))
    for item in I.load_synthetic_diaries().values():
        keys |= set(CITATION_PATTERN.findall(item["feedback"]))
    missing = sorted(k for k in keys if k not in BIB)
    assert not missing, missing


# --- facts typed once; helpers made public when the module was split -----------------------------
def test_placement_accuracy_is_chapter_05s_fact_as_a_proportion():
    from fluorohip.chapters.procedure.facts import FACTS as PROCEDURE

    landmark, pct = I.FACTS["landmark_accuracy"], PROCEDURE["landmark_pooled"]
    assert landmark.derived and landmark.keys == pct.keys
    assert (landmark.value, landmark.low, landmark.high) == pytest.approx(
        (pct.value / 100, pct.low / 100, pct.high / 100)
    )
    with pytest.raises(ValueError, match="needs a fact in %"):
        from fluorohip.chapters.interpretation.facts import as_proportion

        as_proportion(I.FACTS["fai_lr_pos"])


def test_no_number_is_typed_twice_in_chapters_05_and_06():
    """Same value, unit and source in two chapters' own FACTS means one should borrow the other."""
    from fluorohip.chapters.procedure.facts import FACTS as PROCEDURE

    def own(facts):
        return {
            (f.value, f.unit, f.keys): name
            for name, f in facts.items()
            if not f.derived and f is not I.FACTS.get("bursa_communication")
        }

    shared = own(PROCEDURE).keys() & own(I.FACTS).keys()
    assert not shared, shared


def test_evidence_rows_quote_the_facts():
    meta = next(s for s in I.EVIDENCE if s.key == "AnaestheticMeta2014")
    assert (meta.sensitivity, meta.specificity) == (
        I.FACTS["meta_sensitivity"].value,
        I.FACTS["meta_specificity"].value,
    )
    assert "0.97 (0.87-0.99)" in meta.result and "0.91 (0.83-0.95)" in meta.result


def test_threshold_ids_and_time_format():
    assert I.threshold_for("gt50") is I.THRESHOLDS["gt50"]
    with pytest.raises(ValueError, match="threshold must be one of gt50, ge20pts, complete"):
        I.is_positive(6, 2, "half")
    assert [I.format_minutes(m) for m in (30, 240, 3 * 1440, 21 * 1440)] == [
        "30 min",
        "4 h",
        "3 d",
        "3 wk",
    ]
