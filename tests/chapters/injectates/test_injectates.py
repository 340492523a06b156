"""Notebook 03 (injectates): units, teaching maxima, bad input, time-course ranges, volume.

Mirrors :mod:`fluorohip.chapters.injectates`."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.injectates import figures, views
from fluorohip.chapters.injectates.body_size import lean_body_weight_kg
from fluorohip.chapters.injectates.dose_check import check_dose, max_dose_mg
from fluorohip.chapters.injectates.facts import (
    FACTS,
    GLUCOSE_MG_DL_PER_MMOL_L,
    STEROID_EQUIVALENT_MG,
    all_citation_keys,
)
from fluorohip.chapters.injectates.local_anaesthetics import (
    LOCAL_ANAESTHETICS,
    mg_from_percent,
    mg_per_ml,
    ml_for_mg,
)
from fluorohip.chapters.injectates.steroids import equivalent_dose_mg
from fluorohip.chapters.injectates.time_course import TIME_COURSE_AGENTS, time_course
from fluorohip.chapters.injectates.volume import volume_check
from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.inputs import InputError

FAST = settings(max_examples=60, deadline=None)
weights = st.floats(min_value=30, max_value=300, allow_nan=False)
concs = st.floats(min_value=0.05, max_value=5, allow_nan=False)
volumes = st.floats(min_value=0.1, max_value=100, allow_nan=False)
agents = st.sampled_from(sorted(LOCAL_ANAESTHETICS))


# --- sources -----------------------------------------------------------------------------


def test_every_citation_key_in_the_module_resolves():
    bib = load_bibliography()
    missing = sorted(k for k in all_citation_keys() if k not in bib)
    assert not missing


def test_the_resolution_check_can_fail():
    bib = load_bibliography()
    assert "NoSuchSource" + "1999" not in bib


def test_every_fact_has_unit_key_and_ordered_range():
    for name, f in {**FACTS, **STEROID_EQUIVALENT_MG}.items():
        assert f.unit, name
        assert f.key, name
        lo, hi = f.range
        assert lo <= f.value <= hi, name


def test_label_figures_match_the_vetted_label_values():
    # US lidocaine label: 4.5 mg/kg up to 300 mg; 7 mg/kg up to 500 mg with adrenaline.
    assert FACTS["lidocaine_max_plain_mg_per_kg"].value == 4.5
    assert FACTS["lidocaine_cap_plain_mg"].value == 300
    assert FACTS["lidocaine_max_adrenaline_mg_per_kg"].value == 7
    assert FACTS["lidocaine_cap_adrenaline_mg"].value == 500
    assert FACTS["bupivacaine_daily_cap_mg"].value == 400
    assert not FACTS["lidocaine_max_plain_mg_per_kg"].weak


def test_weakly_sourced_maxima_are_flagged():
    for key in (
        "bupivacaine_max_plain_mg_per_kg",
        "bupivacaine_max_adrenaline_mg_per_kg",
        "ropivacaine_max_mg_per_kg",
    ):
        assert FACTS[key].weak, key
    assert max_dose_mg("bupivacaine", 70).weak
    assert max_dose_mg("ropivacaine", 70).weak
    assert not max_dose_mg("lidocaine", 70).weak


# --- units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "percent, ml, mg",
    [(1, 4, 40), (1, 5, 50), (0.5, 10, 50), (0.25, 4, 10), (2, 1, 20), (0.2, 10, 20)],
)
def test_mg_from_percent_known_values(percent, ml, mg):
    assert mg_from_percent(percent, ml) == pytest.approx(mg)


def test_one_percent_is_ten_mg_per_ml():
    assert mg_per_ml(1) == 10


@FAST
@given(concs, volumes)
def test_ml_for_mg_inverts_mg_from_percent(c, v):
    mg = mg_from_percent(c, v)
    assert ml_for_mg(mg, c) == pytest.approx(v, rel=1e-9)


@FAST
@given(concs, volumes, st.floats(min_value=1.01, max_value=5))
def test_dose_scales_linearly_with_volume(c, v, k):
    if v * k <= 100:
        assert mg_from_percent(c, v * k) == pytest.approx(k * mg_from_percent(c, v))


# --- limits ------------------------------------------------------------------------------


def test_lidocaine_maximum_weight_limited_and_capped():
    assert max_dose_mg("lidocaine", 60).mg == pytest.approx(270)
    assert max_dose_mg("lidocaine", 60).limited_by == "weight"
    assert max_dose_mg("lidocaine", 80).mg == pytest.approx(300)
    assert max_dose_mg("lidocaine", 80).limited_by == "cap"
    assert max_dose_mg("lidocaine", 60, adrenaline=True).mg == pytest.approx(420)
    assert max_dose_mg("lidocaine", 100, adrenaline=True).mg == pytest.approx(500)


def test_bupivacaine_uses_lower_teaching_value_and_ropivacaine_has_no_adrenaline_allowance():
    assert max_dose_mg("bupivacaine", 52).mg == pytest.approx(104)
    assert max_dose_mg("bupivacaine", 52, adrenaline=True).mg == pytest.approx(156)
    with_adr = max_dose_mg("ropivacaine", 70, adrenaline=True)
    assert with_adr.mg == max_dose_mg("ropivacaine", 70).mg
    assert "No separate" in with_adr.note


@FAST
@given(agents, weights, st.booleans())
def test_maximum_never_exceeds_cap_or_per_kg_product(agent, w, adr):
    m = max_dose_mg(agent, w, adr)
    assert m.mg <= m.per_kg.value * min(w, 100) + 1e-9
    if m.cap is not None:
        assert m.mg <= m.cap.value + 1e-9
    assert m.mg > 0


@FAST
@given(agents, weights, weights, st.booleans())
def test_maximum_is_monotone_in_weight(agent, w1, w2, adr):
    lo, hi = sorted((w1, w2))
    assert max_dose_mg(agent, lo, adr).mg <= max_dose_mg(agent, hi, adr).mg + 1e-9


@FAST
@given(agents, weights)
def test_adrenaline_never_lowers_the_maximum(agent, w):
    assert max_dose_mg(agent, w, True).mg >= max_dose_mg(agent, w, False).mg


@FAST
@given(agents, weights, concs, volumes, st.booleans())
def test_percent_of_max_consistent(agent, w, c, v, adr):
    check = check_dose(agent, w, c, v, adr)
    assert check.percent_of_max == pytest.approx(100 * check.dose_mg / check.maximum.mg)
    assert check.over_max == (check.dose_mg > check.maximum.mg)
    lines = " ".join(check.lines())
    assert "intravascular" in lines  # the "under the max is safe" trap is always addressed


def test_check_dose_worked_example():
    check = check_dose("lidocaine", 80, 1, 4)
    assert check.dose_mg == pytest.approx(40)
    assert check.percent_of_max == pytest.approx(40 / 3)
    assert not check.over_max
    assert check_dose("bupivacaine", 50, 0.5, 40).over_max


# --- bad input ---------------------------------------------------------------------------

BAD_WEIGHTS = [
    "abc",
    "seventy",
    "",
    "   ",
    "-4",
    -4,
    0,
    "0",
    float("nan"),
    "nan",
    1e309,
    "1e309",
    float("inf"),
    "-inf",
    10**400,
    29.9,
    301,
    True,
    None,
    [70],
]


@pytest.mark.parametrize("bad", BAD_WEIGHTS, ids=repr)
def test_bad_weight_is_refused_with_a_message_naming_the_field(bad):
    with pytest.raises(InputError) as info:
        check_dose("lidocaine", bad, 1, 4)
    msg = str(info.value)
    assert "weight_kg" in msg and "30" in msg and "300" in msg


@pytest.mark.parametrize(
    "field, args",
    [
        ("concentration_percent", ("lidocaine", 70, "x", 4)),
        ("concentration_percent", ("lidocaine", 70, 0, 4)),
        ("concentration_percent", ("lidocaine", 70, -1, 4)),
        ("volume_ml", ("lidocaine", 70, 1, 0)),
        ("volume_ml", ("lidocaine", 70, 1, float("nan"))),
        ("volume_ml", ("lidocaine", 70, 1, "1e309")),
        ("agent", ("cocaine", 70, 1, 4)),
        ("agent", (None, 70, 1, 4)),
    ],
)
def test_other_bad_input_names_its_field(field, args):
    with pytest.raises(InputError, match=field):
        check_dose(*args)


def test_input_error_is_a_value_error_and_numeric_text_is_accepted():
    assert issubclass(InputError, ValueError)
    assert check_dose(" Lidocaine ", " 70 ", "1", "4.0").dose_mg == pytest.approx(40)


@FAST
@given(st.text(max_size=12))
def test_arbitrary_text_never_raises_anything_but_input_error(text):
    try:
        check_dose("lidocaine", text, 1, 4)
    except InputError:
        pass


def test_adrenaline_must_be_boolean():
    with pytest.raises(InputError, match="adrenaline"):
        max_dose_mg("lidocaine", 70, adrenaline="yes")


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


# --- issue 19, major 1: single-dose ceilings, lean body weight, weights outside the lean range ---


def test_reproduced_case_bupivacaine_200mg_at_150kg_is_above_the_single_dose_ceiling():
    """Old behaviour: '67% of a 300 mg maximum' (2 mg/kg x 150 kg, only the 400 mg/day cap applied)."""
    check = check_dose("bupivacaine", 150, 0.5, 40)
    assert check.dose_mg == pytest.approx(200)
    assert check.maximum.mg == pytest.approx(175)
    assert check.maximum.limited_by == "cap" and check.maximum.kind == "label maximum"
    assert check.over_max and round(check.percent_of_max) == 114
    assert any("ABOVE" in line for line in check.lines())
    assert max_dose_mg("bupivacaine", 150, adrenaline=True).mg == pytest.approx(225)


def test_reproduced_case_ropivacaine_750mg_at_250kg_is_over_not_100_percent():
    """Old behaviour: 3 mg/kg x 250 kg = 750 mg, so 750 mg showed '100%' and not over."""
    check = check_dose("ropivacaine", 250, 0.75, 100)
    assert check.dose_mg == pytest.approx(750)
    assert check.maximum.mg == pytest.approx(250)
    assert check.over_max and round(check.percent_of_max) == 300
    assert any("above the adult lean range" in f for f in check.flags)
    w = views.DoseChecker(
        agent="ropivacaine", weight_kg="250", concentration_percent="0.75", volume_ml="100"
    )
    assert "ABOVE" in w.result.value and "Check the weight" in w.result.value and "ABOVE" in repr(w)


def test_reproduced_case_total_body_weight_in_obesity_is_replaced_by_lean_body_weight():
    """Old behaviour: the per-kg figure times total weight (up to 300 kg)."""
    # 150 kg, 160 cm woman: BMI 58.6; Janmahasatian LBW = 9270*150/(8780+244*58.6) = 60.2 kg
    lbw = lean_body_weight_kg(150, 160, "female")
    assert lbw == pytest.approx(9270 * 150 / (8780 + 244 * 150 / 1.6**2))
    assert 59 < lbw < 61
    m = max_dose_mg("bupivacaine", 150, height_cm=160, sex="female")
    assert m.dosing.basis == "lean" and m.mg == pytest.approx(2.0 * lbw)
    assert m.limited_by == "weight" and "Nightingale2015" in m.keys
    # a man of normal BMI doses on actual weight
    assert max_dose_mg("lidocaine", 60, height_cm=175, sex="male").dosing.basis == "actual"
    # without height, no weight above the lean range raises the maximum
    for agent in LOCAL_ANAESTHETICS:
        assert max_dose_mg(agent, 300).mg == max_dose_mg(agent, 100).mg
    check = check_dose("lidocaine", 300, 1, 4)
    assert check.maximum.dosing.kg == 100 and check.flags
    lines = " ".join(check.lines())
    assert "dosing weight of 100 kg (300 kg actual)" in lines


def test_weight_below_the_adult_lean_range_is_flagged_and_half_given_body_size_is_refused():
    check = check_dose("lidocaine", 35, 1, 4)
    assert any("below the adult lean range" in f for f in check.flags)
    assert not check_dose("lidocaine", 70, 1, 4).flags
    with pytest.raises(InputError, match="sex"):
        check_dose("lidocaine", 120, 1, 4, height_cm=170)
    with pytest.raises(InputError, match="height_cm"):
        check_dose("lidocaine", 120, 1, 4, height_cm="tall", sex="male")
    with pytest.raises(InputError, match="sex"):
        check_dose("lidocaine", 120, 1, 4, height_cm=170, sex="x")
    w = views.DoseChecker(
        agent="bupivacaine", weight_kg="150", concentration_percent="0.5", volume_ml="10"
    )
    w.height.value, w.sex.value = "160", "female"
    assert "lean body weight" in w.result.value and "60 kg" in w.result.value
    assert "not dosing advice" in w.result.value


@FAST
@given(agents, weights, st.booleans())
def test_no_weight_lifts_the_maximum_above_the_single_dose_ceiling(agent, w, adr):
    m = max_dose_mg(agent, w, adr)
    assert m.cap is not None and m.mg <= m.cap.value


def test_steroid_onset_range_matches_text_and_glucose_si_units():
    onset = FACTS["steroid_onset_days"]
    assert (onset.low, onset.high) == (1, 5)
    for mgdl, mmol in (
        ("glucose_peak_acetonide_mg_dl", "glucose_peak_acetonide_mmol_l"),
        ("glucose_peak_hexacetonide_mg_dl", "glucose_peak_hexacetonide_mmol_l"),
    ):
        converted = FACTS[mgdl].value / GLUCOSE_MG_DL_PER_MMOL_L
        assert abs(converted - FACTS[mmol].value) < 0.05


def test_calculator_answers_shown_in_the_notebook_say_they_are_teaching_arithmetic():
    """A bare '40.0' under a dose calculation reads like a prescription; the shown answer says what it is."""
    shown = views.mg_in(concentration_percent=1, volume_ml=4)
    assert shown == 40.0 and repr(shown) == "40 mg (arithmetic for teaching, not dosing advice)"
    assert repr(views.ml_holding(dose_mg=10, concentration_percent=0.25)).startswith("4 mL (")
    assert "mg of prednisone (arithmetic for teaching" in repr(
        views.equivalent_mg(40, "triamcinolone", "prednisone")
    )
    with pytest.raises(InputError, match="concentration_percent"):
        views.mg_in(concentration_percent="x", volume_ml=4)


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
