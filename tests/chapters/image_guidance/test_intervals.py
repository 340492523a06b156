"""Confidence intervals for a proportion (Wilson and Clopper–Pearson) computed from counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.image_guidance.intervals import exact_interval, wilson_interval


def test_wilson_known_values():
    # 67/100 (Singh 2014): Wilson 95% interval 0.573-0.754, computed by hand from the formula
    lo, hi = wilson_interval(67, 100)
    assert lo == pytest.approx(0.5729, abs=5e-4) and hi == pytest.approx(0.7539, abs=5e-4)


def test_exact_all_successes_closed_form():
    # k = n: lower bound is (alpha/2)^(1/n)
    lo, hi = exact_interval(11, 11)
    assert lo == pytest.approx(0.025 ** (1 / 11), abs=1e-6) and hi == 1.0
    lo, hi = exact_interval(0, 20)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 20), abs=1e-6)


def test_exact_is_wider_than_wilson_for_small_series():
    wl, wh = wilson_interval(29, 30)
    el, eh = exact_interval(29, 30)
    assert el < wl and eh > wh


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(max_examples=60, deadline=None)
def test_intervals_contain_the_estimate_and_stay_in_bounds(kn):
    k, n = kn
    for lo, hi in (wilson_interval(k, n), exact_interval(k, n)):
        assert 0.0 <= lo <= k / n + 1e-9 <= hi + 2e-9 <= 1.0 + 2e-9


@pytest.mark.parametrize("args", [(5, 4), (-1, 10), (3, 0), (1.5, 4), (True, 3)])
def test_bad_counts_rejected_with_message(args):
    with pytest.raises(ValueError, match="successes|n must"):
        wilson_interval(*args)
