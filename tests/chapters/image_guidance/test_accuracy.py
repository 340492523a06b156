"""Accuracy model: published counts, the placement-accuracy closed form and its simulation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluorohip.chapters.image_guidance import accuracy
from fluorohip.core.bibliography import load_bibliography

prob = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_published_counts_match_cited_percentages():
    by_key = {(s.key, s.successes, s.n) for s in accuracy.STUDIES}
    assert ("Kurup2010", 28, 43) in by_key and ("Singh2014", 67, 100) in by_key
    assert ("AnteriorLandmark2013", 51, 55) in by_key and ("Smith2009", 29, 30) in by_key
    assert round(28 / 43 * 100, 1) == 65.1


def test_every_citation_key_resolves():
    bib = load_bibliography()
    missing = accuracy.citation_keys() - set(bib)
    assert not missing


def test_closed_form_worked_example():
    perf = accuracy.observed_block_performance(0.72, 0.97, 0.91)
    assert perf.sensitivity == pytest.approx(0.72 * 0.97 + 0.28 * 0.09)
    assert perf.specificity == pytest.approx(0.91)
    assert perf.lr_negative == pytest.approx((1 - perf.sensitivity) / 0.91)


@given(prob, prob, prob, prob)
def test_observed_sensitivity_is_a_mixture(a, se, sp, r):
    obs = accuracy.observed_block_performance(
        a, se, sp, response_if_missed_with_hip_pain=r
    ).sensitivity
    assert min(se, r) - 1e-12 <= obs <= max(se, r) + 1e-12
    assert obs == pytest.approx(accuracy.observed_sensitivity(a, se, r))


@given(prob, prob, st.floats(0.0, 0.95))
def test_more_accuracy_never_lowers_sensitivity_when_block_beats_chance(a, da_frac, sp):
    se = 1.0 - sp / 2  # se > 1 - sp
    b = a + (1 - a) * da_frac
    lo = accuracy.observed_block_performance(a, se, sp).sensitivity
    hi = accuracy.observed_block_performance(b, se, sp).sensitivity
    assert hi >= lo - 1e-12


def test_perfect_accuracy_recovers_true_values():
    perf = accuracy.observed_block_performance(1.0, 0.9, 0.8, 0.3, 0.6)
    assert perf.sensitivity == pytest.approx(0.9) and perf.specificity == pytest.approx(0.8)


def test_missed_response_without_hip_pain_lowers_specificity():
    perf = accuracy.observed_block_performance(
        0.5, 0.9, 0.9, response_if_missed_without_hip_pain=0.3
    )
    assert perf.specificity == pytest.approx(1 - (0.5 * 0.1 + 0.5 * 0.3))


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan"), "abc", None])
def test_bad_probabilities_rejected(bad):
    with pytest.raises(ValueError, match="placement_accuracy"):
        accuracy.observed_block_performance(bad, 0.9, 0.9)


def test_simulation_matches_closed_form_for_large_n():
    sim = accuracy.simulate_block_study(
        0.72, 0.97, 0.91, n_hip_pain=200_000, n_other_pain=200_000, seed=7
    )
    expected = accuracy.observed_block_performance(0.72, 0.97, 0.91)
    assert sim.sensitivity == pytest.approx(expected.sensitivity, abs=0.004)
    assert sim.specificity == pytest.approx(expected.specificity, abs=0.004)
    assert sim.missed_hip_pain / sim.n_hip_pain == pytest.approx(0.28, abs=0.004)


def test_simulation_is_seeded():
    a = accuracy.simulate_block_study(0.8, 0.9, 0.9, seed=3)
    b = accuracy.simulate_block_study(0.8, 0.9, 0.9, seed=3)
    c = accuracy.simulate_block_study(0.8, 0.9, 0.9, seed=4)
    assert a == b and a != c


def test_simulation_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n_hip_pain"):
        accuracy.simulate_block_study(0.8, 0.9, 0.9, n_hip_pain=0)


def test_lr_positive_infinite_when_perfectly_specific():
    assert math.isinf(accuracy.ObservedPerformance(0.9, 1.0).lr_positive)


def test_simulation_gives_ultrasound_and_fluoroscopy_one_shared_accuracy():
    """The data cannot rank the two guided methods, so the simulation must not either."""
    scen = accuracy.scenario_accuracies()
    assert set(scen) == {"landmark", "image-guided"}
    assert abs(scen["image-guided"] - 29 / 30) < 1e-9
    assert scen["landmark"] < scen["image-guided"]
