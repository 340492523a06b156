"""Notebook 03 (injectates), the dose side: sources, units, maxima, dosing weight, bad input.

Mirrors :mod:`fluorohip.chapters.injectates` (facts, local_anaesthetics, body_size, dose_check)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.injectates import views
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
