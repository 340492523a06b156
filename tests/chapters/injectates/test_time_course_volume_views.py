"""Notebook 03 (injectates): time course, steroid equivalence, volume, figures and widgets,
the old module names.

Mirrors :mod:`fluorohip.chapters.injectates` (time_course, steroids, volume, figures, views)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.injectates import figures, views
from fluorohip.chapters.injectates.dose_check import check_dose, max_dose_mg
from fluorohip.chapters.injectates.facts import FACTS, STEROID_EQUIVALENT_MG
from fluorohip.chapters.injectates.local_anaesthetics import LOCAL_ANAESTHETICS
from fluorohip.chapters.injectates.steroids import equivalent_dose_mg
from fluorohip.chapters.injectates.time_course import TIME_COURSE_AGENTS, time_course
from fluorohip.chapters.injectates.volume import volume_check
from fluorohip.core.inputs import InputError

FAST = settings(max_examples=60, deadline=None)


# --- time course ---------------------------------------------------------------------------


@pytest.mark.parametrize("agent", TIME_COURSE_AGENTS)
def test_time_course_ranges_are_ordered(agent):
    tc = time_course(agent)
    (on_lo, on_hi), (end_lo, end_hi) = tc.onset_h, tc.end_h
    assert 0 < on_lo <= on_hi < end_lo <= end_hi
    a_lo, a_hi = tc.assess_h
    assert on_lo <= a_lo < a_hi <= end_hi
    assert tc.keys


@FAST
@given(st.sampled_from(TIME_COURSE_AGENTS), st.floats(min_value=0, max_value=1e5, allow_nan=False))
def test_band_lower_never_exceeds_upper(agent, t):
    lower, upper = time_course(agent).band(t)
    assert lower in (0, 1) and upper in (0, 1)
    assert lower <= upper


@FAST
@given(
    st.sampled_from(TIME_COURSE_AGENTS),
    st.floats(min_value=0, max_value=1e5, allow_nan=False),
    st.floats(min_value=0, max_value=1e5, allow_nan=False),
)
def test_expected_region_is_one_interval(agent, t1, t2):
    tc = time_course(agent)
    lo, hi = sorted((t1, t2))
    if tc.band(lo)[0] == 1 and tc.band(hi)[0] == 1:
        mid = (lo + hi) / 2
        assert tc.band(mid)[0] == 1


def test_anaesthetic_acts_before_steroid_and_steroid_is_not_immediate():
    steroid = time_course("corticosteroid")
    for la in LOCAL_ANAESTHETICS:
        tc = time_course(la)
        assert tc.state(0.5) in ("may have started", "expected")
        assert tc.end_h[1] < steroid.onset_h[0] + 1e-9 or tc.end_h[1] <= 24
    assert steroid.state(0.5) == "not yet"
    assert steroid.state(7 * 24) == "expected"
    assert steroid.state(365 * 24) == "over"
    assert time_course("lidocaine").state(24) == "over"


def test_time_course_refuses_unknown_agent_and_bad_time():
    with pytest.raises(InputError, match="agent"):
        time_course("saline")
    with pytest.raises(InputError, match="t_h"):
        time_course("lidocaine").state(-1)


# --- steroid equivalence -----------------------------------------------------------------


def test_steroid_equivalence_known_values():
    assert equivalent_dose_mg(40, "triamcinolone", "prednisone") == pytest.approx(50)
    assert equivalent_dose_mg(40, "triamcinolone", "dexamethasone") == pytest.approx(7.5)
    assert equivalent_dose_mg(20, "hydrocortisone", "methylprednisolone") == pytest.approx(4)


@FAST
@given(
    st.floats(min_value=0, max_value=300, allow_nan=False),
    st.sampled_from(sorted(STEROID_EQUIVALENT_MG)),
    st.sampled_from(sorted(STEROID_EQUIVALENT_MG)),
)
def test_steroid_equivalence_round_trips(dose, a, b):
    there = equivalent_dose_mg(dose, a, b)
    assert equivalent_dose_mg(there, b, a) == pytest.approx(dose, abs=1e-9)


def test_steroid_equivalence_refuses_unknown_names():
    with pytest.raises(InputError, match="to_steroid"):
        equivalent_dose_mg(40, "triamcinolone", "aspirin")


# --- volume ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts, zone",
    [
        ((2, 4, 1), "low pressure"),
        ((3, 8, 1), "pressure rising"),
        ((5, 10, 2), "near capacity"),
        ((5, 15, 2), "over capacity"),
    ],
)
def test_volume_zones(parts, zone):
    check = volume_check(*parts)
    assert check.zone == zone
    assert check.total_ml == pytest.approx(sum(parts))


@FAST
@given(
    st.floats(min_value=0, max_value=30),
    st.floats(min_value=0.1, max_value=30),
    st.floats(min_value=0, max_value=30),
)
def test_volume_fractions_sum_to_one(c, a, s):
    check = volume_check(c, a, s)
    total = sum(check.fraction(n) for n in check.components_ml)
    assert math.isclose(total, 1.0, rel_tol=1e-9)


def test_volume_refuses_nonsense():
    with pytest.raises(InputError, match="contrast_ml"):
        volume_check(-1, 4, 1)
    with pytest.raises(InputError, match="total volume"):
        volume_check(0, 0, 0)
    with pytest.raises(InputError, match="steroid_ml"):
        volume_check(1, 4, "one")


# --- views (smoke + behaviour) -----------------------------------------------------------


def test_dose_checker_shows_teaching_note_and_refuses_letters():
    w = views.DoseChecker()
    assert "Teaching, not dosing advice" in w.result.value
    assert "Teaching, not dosing advice" in repr(w)
    w.weight.value = "seventy"
    assert "weight_kg" in w.result.value and "Cannot check" in w.result.value
    assert "Teaching, not dosing advice" in w.result.value
    w.weight.value = "70"
    w.agent.value = "bupivacaine"
    assert "weakly sourced" in w.result.value
    assert "0x" not in repr(w)


def test_volume_planner_updates():
    w = views.VolumePlanner()
    assert repr(w) == "VolumePlanner: total 7 mL (low pressure)"
    w.anaesthetic.value = "20"
    assert "over capacity" in repr(w)
    w.contrast.value = "x"
    assert "contrast_ml" in w.result.value


def test_figures_and_alt_text():
    fig = figures.time_course_figure()
    assert fig.get_size_inches()[0] == 10
    plt.close(fig)
    fig = figures.volume_figure(5, 10, 2)
    plt.close(fig)
    assert "17 mL" in figures.volume_alt_text(5, 10, 2)
    alt = figures.time_course_alt_text()
    for agent in TIME_COURSE_AGENTS:
        assert agent in alt
    assert "weak, teaching value" in views.maxima_table_html()


def test_label_vs_teaching_maximum_wording():
    lido = check_dose("lidocaine", 70, 1, 4)
    bupi = check_dose("bupivacaine", 70, 0.5, 4)
    assert lido.maximum.kind == "label maximum"
    assert bupi.maximum.kind == "teaching maximum"
    assert any(line.startswith("Label maximum") for line in lido.lines())
    assert not any("teaching maximum" in line.lower() for line in lido.lines())
    assert "label maximum" in repr(views.DoseChecker(agent="lidocaine"))


def test_bupivacaine_cap_is_daily_and_kept_apart_from_single_dose_caps():
    assert max_dose_mg("bupivacaine", 250).cap_is_daily
    assert not max_dose_mg("lidocaine", 70).cap_is_daily
    big = check_dose("bupivacaine", 250, 0.5, 10)
    assert any("per 24 hours" in line for line in big.lines())
    table = views.maxima_table_html()
    assert "single-dose ceiling" in table and "cap per 24 h" in table
    assert "175 mg" in table and "225 mg" in table and "400 mg/day" in table


# --- the old module names stay one release (0.2) ------------------------------------------------


def test_old_module_names_still_resolve_to_the_new_objects():
    from fluorohip import pharmacology, pharmacology_views
    from fluorohip.chapters.injectates import body_size, dose_check
    from fluorohip.chapters.injectates import time_course as tc_module

    assert pharmacology.check_dose is check_dose and pharmacology.FACTS is FACTS
    assert pharmacology.lean_body_weight_kg is body_size.lean_body_weight_kg
    assert pharmacology.DoseCheck is dose_check.DoseCheck
    assert pharmacology.TimeCourse is tc_module.TimeCourse
    assert pharmacology.InputError is InputError
    assert pharmacology_views.DoseChecker is views.DoseChecker
    assert pharmacology_views.time_course_figure is figures.time_course_figure
    for name in pharmacology.__all__:
        assert hasattr(pharmacology, name), name
    for name in pharmacology_views.__all__:
        assert hasattr(pharmacology_views, name), name


def test_the_models_import_no_widget_or_plotting_library():
    """A model never imports a widget: checked in a fresh interpreter, so it can fail."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import fluorohip.chapters.injectates.dose_check, fluorohip.chapters.injectates.volume\n"
        "import fluorohip.chapters.injectates.time_course, fluorohip.chapters.injectates.steroids\n"
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
