"""Notebook 01 (hip anatomy), the pure part: cited facts, the depth and needle model, the
drawings' geometry and the structure lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.hip_anatomy import geometry, model, structures
from fluorohip.core.bibliography import load_bibliography

BIB = load_bibliography()


# --------------------------------------------------------------------------- facts


def test_every_fact_cites_a_resolving_key():
    missing = sorted(k for k in model.all_citation_keys() if k not in BIB)
    assert not missing, f"anatomy facts cite keys not in references.yaml: {missing}"


@pytest.mark.parametrize("name", sorted(model.FACTS))
def test_fact_value_lies_in_its_range(name):
    f = model.FACTS[name]
    assert f.unit and f.population
    if f.low is not None:
        assert f.low <= f.value <= f.high


def test_key_numbers_match_the_vetted_sources():
    # values a reviewer checked against clinical-facts.md; a drift here is a clinical defect
    assert (model.fact("joint_capacity").low, model.fact("joint_capacity").high) == (14, 20)
    assert model.fact("femoral_vein_distance").value == 17.5
    assert model.fact("femoral_artery_distance").value == 19.6
    assert model.fact("femoral_nerve_distance").value == 23.6
    assert model.fact("bursa_communication").value == 15
    assert (
        model.fact("internal_rotation_for_ap").low,
        model.fact("internal_rotation_for_ap").high,
    ) == (
        10,
        15,
    )
    assert model.fact("alpha_angle_cam_threshold").value == 60


def test_vessel_order_nearest_first_is_vein_artery_nerve():
    d = {k: model.fact(f"femoral_{k}_distance").value for k in ("vein", "artery", "nerve")}
    assert sorted(d, key=d.get) == ["vein", "artery", "nerve"]
    assert structures.FEMORAL_TRIANGLE_ORDER == ("femoral-nerve", "femoral-artery", "femoral-vein")


def test_fact_text_and_unknown_name():
    assert model.fact("joint_capacity").text() == "14–20 mL"
    assert model.fact("lateral_center_edge_angle").text() == "23–33°"
    assert model.fact("joint_capacity").cite == "[@HipCapacity1981]"
    with pytest.raises(KeyError, match="no anatomy fact called"):
        model.fact("capacity")


def test_derived_depth_is_centre_depth_minus_head_radius():
    d = model.skin_to_anterior_head_mm()
    assert d.derived
    expected = (
        model.fact("skin_to_acetabular_centre_anterior").value
        - model.fact("femoral_head_diameter").value / 2
    )
    assert d.value == pytest.approx(expected, abs=0.5)
    assert set(d.keys) <= set(BIB)


# --------------------------------------------------------------------------- depth model


def test_needle_path_known_values():
    assert model.needle_path_mm(80, 0) == pytest.approx(80)
    assert model.needle_path_mm(80, 30) == pytest.approx(92.38, abs=0.01)
    assert model.needle_path_mm(50, 60) == pytest.approx(100)


@settings(max_examples=60, deadline=None)
@given(st.floats(10, 250), st.floats(0, 59), st.floats(0, 1))
def test_path_never_shorter_than_depth_and_grows_with_tilt(depth, tilt, extra):
    p = model.needle_path_mm(depth, tilt)
    assert p >= depth - 1e-9
    assert model.needle_path_mm(depth, min(60, tilt + extra)) >= p - 1e-9


@settings(max_examples=40, deadline=None)
@given(st.floats(10, 1000))
def test_longer_needle_reaches_whenever_shorter_does(path):
    short, long_ = model.needle_checks(path)
    assert short.length_mm < long_.length_mm
    if short.reaches:
        assert long_.reaches
    assert short.spare_mm == pytest.approx(short.length_mm - path)


@pytest.mark.parametrize("bad", ["abc", "", None, float("nan"), -5, 0, 400, True, "1e9"])
def test_depth_refuses_nonsense_with_field_name(bad):
    with pytest.raises(ValueError, match="depth_mm"):
        model.needle_path_mm(bad, 10)


@pytest.mark.parametrize("bad", [-1, 75, "x", float("nan")])
def test_tilt_refuses_nonsense(bad):
    with pytest.raises(ValueError, match="tilt_deg"):
        model.needle_path_mm(70, bad)


def test_needle_to_choose_keeps_the_teaching_margin():
    assert model.NEEDLE_MARGIN_MM == 10.0
    assert model.shortest_needle_that_reaches(86).startswith("3.5-inch")  # reaches, 3 mm spare
    assert model.needle_to_choose(86).startswith(
        "5-inch"
    )  # ... but under the margin: take the longer needle
    assert model.needle_to_choose(70).startswith("3.5-inch")
    assert model.needle_to_choose(120) is None  # 7 mm spare even on the 5-inch
    short, _ = model.needle_checks(86)
    assert short.reaches and not short.has_margin()
    with pytest.raises(ValueError, match="margin_mm"):
        model.shortest_needle_that_reaches(70, margin_mm=-1)


def test_shortest_needle_that_reaches():
    assert model.shortest_needle_that_reaches(70).startswith("3.5-inch")
    assert model.shortest_needle_that_reaches(100).startswith("5-inch")
    assert model.shortest_needle_that_reaches(140) is None
    assert model.depth_for_extra_fat_mm(30) == model.skin_to_anterior_head_mm().value + 30
    with pytest.raises(ValueError, match="extra_fat_mm"):
        model.depth_for_extra_fat_mm(500)


# --------------------------------------------------------------------------- geometry


def test_drawn_geometry_reproduces_cited_angles_and_size():
    g = geometry.HipGeometry()
    assert g.head_diameter_mm == model.fact("femoral_head_diameter").value
    nsa = model.fact("neck_shaft_angle")
    assert nsa.low <= g.measured_neck_shaft_deg() <= nsa.high
    lce, sharp = model.fact("lateral_center_edge_angle"), model.fact("sharp_angle")
    assert lce.low <= g.measured_lce_deg() <= lce.high
    assert sharp.low <= g.measured_sharp_deg() <= sharp.high


@settings(max_examples=40, deadline=None)
@given(st.floats(115, 145), st.floats(15, 40), st.floats(30, 50))
def test_geometry_measures_back_what_it_was_built_from(nsa, lce, sharp):
    g = geometry.HipGeometry(neck_shaft_angle_deg=nsa, lce_angle_deg=lce, sharp_angle_deg=sharp)
    assert g.measured_neck_shaft_deg() == pytest.approx(nsa, abs=1e-6)
    assert g.measured_lce_deg() == pytest.approx(lce, abs=1e-6)
    assert g.measured_sharp_deg() == pytest.approx(sharp, abs=1e-6)


def test_targets_are_inside_the_capsule_and_the_greater_trochanter_is_not():
    g = geometry.HipGeometry()
    cap = g.capsule_outline()
    for name, p in g.targets().items():
        assert geometry.point_in_polygon(p, cap), name
    assert not geometry.point_in_polygon(geometry.Point(g.neck_base.x - 40, 0), cap)
    # head-neck junction lies on the head surface, mid neck farther down the axis
    assert (g.head_neck_junction - g.head_centre).norm() == pytest.approx(g.radius)
    assert (g.mid_neck - g.head_centre).norm() > g.radius


def test_neck_runs_inferolaterally_from_the_head():
    g = geometry.HipGeometry()
    assert g.neck_base.x < 0 and g.neck_base.y < 0  # lateral (-x) and caudal (-y)


def test_coronal_layers_validate_names():
    assert "capsule" in structures.coronal_structures(["capsule"])
    with pytest.raises(ValueError, match="unknown layer"):
        structures.coronal_structures(["skin"])


def test_fact_value_is_the_single_figure_for_arithmetic():
    assert model.fact_value("femoral_head_diameter") == 49.0
    assert model.average_path_mm() == model.skin_to_anterior_head_mm().value == 74
    with pytest.raises(KeyError, match="no anatomy fact called"):
        model.fact_value("head_size")
