"""Radiation model: units, inverse square, levers and the combined relative dose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluorohip.chapters.image_guidance import radiation as r
from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.inputs import parse_number


def test_unit_conversion_procedure_mean():
    assert r.ugym2_to_mgycm2(20.4) == pytest.approx(204.0)
    assert r.mgycm2_to_ugym2(204.0) == pytest.approx(20.4)


def test_hip_radiograph_equivalents_one_or_two():
    lo, hi = r.hip_radiograph_equivalents(r.FACTS["dap_mean_ugym2"].value)
    assert lo == pytest.approx(204 / 156) and hi == pytest.approx(204 / 127)
    assert 1 <= lo < hi <= 2


def test_inverse_square():
    assert r.relative_staff_exposure(2.0) == pytest.approx(0.25)
    assert r.relative_staff_exposure(0.5) == pytest.approx(4.0)
    assert r.inverse_square_factor(3.0, 1.5) == pytest.approx(0.25)


@given(st.floats(0.05, 50), st.floats(1.01, 2.0))
def test_exposure_falls_with_distance(d, k):
    assert r.relative_staff_exposure(min(d * k, 100)) < r.relative_staff_exposure(d)


def test_pulse_rate_and_collimation_factors():
    assert r.pulse_rate_factor(7.5, 15) == pytest.approx(0.5)
    assert r.collimation_factor(16, 20) == pytest.approx(0.64)
    # the review's "about 40%" is consistent with the area ratio (36%)
    assert (
        abs((1 - r.collimation_factor(16, 20)) - r.FACTS["collimation_20_to_16cm_reduction"].value)
        < 0.05
    )


def test_magnification_squared_and_lih_halves():
    assert r.magnification_factor(2.0) == pytest.approx(4.0)
    assert r.last_image_hold_factor(True) == 0.5 and r.last_image_hold_factor(False) == 1.0


def test_geometry_detector_close_lowers_skin_dose():
    assert r.geometry_factor(60, 90) < r.geometry_factor(60, 110)
    assert r.geometry_factor(70, 100) < r.geometry_factor(50, 100)
    with pytest.raises(ValueError, match="larger than"):
        r.geometry_factor(100, 90)


def test_reference_gives_unity_and_levers_multiply():
    est = r.estimate_dose(r.REFERENCE_SETTINGS)
    assert est.relative_kap == pytest.approx(1.0) and est.relative_air_kerma == pytest.approx(1.0)
    s = r.DoseSettings(
        last_image_hold=True, pulse_rate_pps=3.75, field_diameter_cm=16, magnification=1.5
    )
    est = r.estimate_dose(s)
    assert est.relative_air_kerma == pytest.approx(0.5 * 0.5 * 2.25)
    assert est.relative_kap == pytest.approx(0.5 * 0.5 * 2.25 * 0.64)
    assert est.illustrative_dap_ugym2() == pytest.approx(20.4 * est.relative_kap)


@given(st.floats(1, 600), st.floats(1.01, 3))
def test_dose_linear_in_time(t, k):
    a = r.estimate_dose(r.DoseSettings(screening_time_s=min(t * k, 600)))
    b = r.estimate_dose(r.DoseSettings(screening_time_s=t))
    assert a.relative_kap / b.relative_kap == pytest.approx(min(t * k, 600) / t)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(screening_time_s=-4),
        dict(pulse_rate_pps=100),
        dict(field_diameter_cm=float("nan")),
        dict(magnification="x"),
        dict(last_image_hold="yes"),
    ],
)
def test_nonsense_settings_rejected(kwargs):
    with pytest.raises(ValueError):
        r.DoseSettings(**kwargs)


@pytest.mark.parametrize("text", ["abc", "", "-3", "nan", "1e9"])
def test_parse_number_refuses_nonsense(text):
    with pytest.raises(ValueError, match="Distance"):
        parse_number(text, "Distance", 0.3, 10, " m")


def test_parse_number_accepts_decimal_comma():
    assert parse_number(" 1,5 ", "Distance", 0.3, 10) == 1.5


def test_limits_and_pregnancy_numbers():
    assert r.ICRP_OCCUPATIONAL_LIMITS["effective dose"].value == 20
    assert r.ICRP_OCCUPATIONAL_LIMITS["extremities (hands, feet) and skin"].value == 500
    assert r.PREGNANCY_THRESHOLDS["negligible risk below"].value == 50
    assert r.EFFECTIVE_DOSE_COMPARATORS["abdominal CT"].value == 8.0


def test_every_citation_key_resolves():
    assert not (r.citation_keys() - set(load_bibliography()))


def test_views_report_refuses_bad_input_without_traceback():
    from fluorohip.chapters.image_guidance import views as gv

    assert "Check input" in gv.staff_report_html("abc")
    assert "25%" in gv.staff_report_html("2")
    html = gv.dose_report_html(r.REFERENCE_SETTINGS)
    assert "Teaching, not dosing advice" in html and "× 1.00" in html
