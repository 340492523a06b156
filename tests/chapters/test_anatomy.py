"""Notebook 01 (hip anatomy): cited facts, geometry, drawings, depth model and widgets."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip import anatomy as A
from fluorohip import anatomy_figures as F
from fluorohip.core.bibliography import load_bibliography

ROOT = Path(__file__).resolve().parents[2]
BIB = load_bibliography(ROOT / "assets" / "references.yaml")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- facts


def test_every_fact_cites_a_resolving_key():
    missing = sorted(k for k in A.all_citation_keys() if k not in BIB)
    assert not missing, f"anatomy facts cite keys not in references.yaml: {missing}"


@pytest.mark.parametrize("name", sorted(A.FACTS))
def test_fact_value_lies_in_its_range(name):
    f = A.FACTS[name]
    assert f.unit and f.population
    if f.low is not None:
        assert f.low <= f.value <= f.high


def test_key_numbers_match_the_vetted_sources():
    # values a reviewer checked against clinical-facts.md; a drift here is a clinical defect
    assert (A.fact("joint_capacity").low, A.fact("joint_capacity").high) == (14, 20)
    assert A.fact("femoral_vein_distance").value == 17.5
    assert A.fact("femoral_artery_distance").value == 19.6
    assert A.fact("femoral_nerve_distance").value == 23.6
    assert A.fact("bursa_communication").value == 15
    assert (A.fact("internal_rotation_for_ap").low, A.fact("internal_rotation_for_ap").high) == (
        10,
        15,
    )
    assert A.fact("alpha_angle_cam_threshold").value == 60


def test_vessel_order_nearest_first_is_vein_artery_nerve():
    d = {k: A.fact(f"femoral_{k}_distance").value for k in ("vein", "artery", "nerve")}
    assert sorted(d, key=d.get) == ["vein", "artery", "nerve"]
    assert A.FEMORAL_TRIANGLE_ORDER == ("femoral-nerve", "femoral-artery", "femoral-vein")


def test_fact_text_and_unknown_name():
    assert A.fact("joint_capacity").text() == "14–20 mL"
    assert A.fact("lateral_center_edge_angle").text() == "23–33°"
    assert A.fact("joint_capacity").cite == "[@HipCapacity1981]"
    with pytest.raises(KeyError, match="no anatomy fact called"):
        A.fact("capacity")


def test_derived_depth_is_centre_depth_minus_head_radius():
    d = A.skin_to_anterior_head_mm()
    assert d.derived
    expected = (
        A.fact("skin_to_acetabular_centre_anterior").value
        - A.fact("femoral_head_diameter").value / 2
    )
    assert d.value == pytest.approx(expected, abs=0.5)
    assert set(d.keys) <= set(BIB)


# --------------------------------------------------------------------------- depth model


def test_needle_path_known_values():
    assert A.needle_path_mm(80, 0) == pytest.approx(80)
    assert A.needle_path_mm(80, 30) == pytest.approx(92.38, abs=0.01)
    assert A.needle_path_mm(50, 60) == pytest.approx(100)


@settings(max_examples=60, deadline=None)
@given(st.floats(10, 250), st.floats(0, 59), st.floats(0, 1))
def test_path_never_shorter_than_depth_and_grows_with_tilt(depth, tilt, extra):
    p = A.needle_path_mm(depth, tilt)
    assert p >= depth - 1e-9
    assert A.needle_path_mm(depth, min(60, tilt + extra)) >= p - 1e-9


@settings(max_examples=40, deadline=None)
@given(st.floats(10, 1000))
def test_longer_needle_reaches_whenever_shorter_does(path):
    short, long_ = A.needle_checks(path)
    assert short.length_mm < long_.length_mm
    if short.reaches:
        assert long_.reaches
    assert short.spare_mm == pytest.approx(short.length_mm - path)


@pytest.mark.parametrize("bad", ["abc", "", None, float("nan"), -5, 0, 400, True, "1e9"])
def test_depth_refuses_nonsense_with_field_name(bad):
    with pytest.raises(ValueError, match="depth_mm"):
        A.needle_path_mm(bad, 10)


@pytest.mark.parametrize("bad", [-1, 75, "x", float("nan")])
def test_tilt_refuses_nonsense(bad):
    with pytest.raises(ValueError, match="tilt_deg"):
        A.needle_path_mm(70, bad)


def test_needle_to_choose_keeps_the_teaching_margin():
    assert A.NEEDLE_MARGIN_MM == 10.0
    assert A.shortest_needle_that_reaches(86).startswith("3.5-inch")  # reaches, 3 mm spare
    assert A.needle_to_choose(86).startswith(
        "5-inch"
    )  # ... but under the margin: take the longer needle
    assert A.needle_to_choose(70).startswith("3.5-inch")
    assert A.needle_to_choose(120) is None  # 7 mm spare even on the 5-inch
    short, _ = A.needle_checks(86)
    assert short.reaches and not short.has_margin()
    with pytest.raises(ValueError, match="margin_mm"):
        A.shortest_needle_that_reaches(70, margin_mm=-1)


def test_shortest_needle_that_reaches():
    assert A.shortest_needle_that_reaches(70).startswith("3.5-inch")
    assert A.shortest_needle_that_reaches(100).startswith("5-inch")
    assert A.shortest_needle_that_reaches(140) is None
    assert A.depth_for_extra_fat_mm(30) == A.skin_to_anterior_head_mm().value + 30
    with pytest.raises(ValueError, match="extra_fat_mm"):
        A.depth_for_extra_fat_mm(500)


# --------------------------------------------------------------------------- geometry


def test_drawn_geometry_reproduces_cited_angles_and_size():
    g = A.HipGeometry()
    assert g.head_diameter_mm == A.fact("femoral_head_diameter").value
    nsa = A.fact("neck_shaft_angle")
    assert nsa.low <= g.measured_neck_shaft_deg() <= nsa.high
    lce, sharp = A.fact("lateral_center_edge_angle"), A.fact("sharp_angle")
    assert lce.low <= g.measured_lce_deg() <= lce.high
    assert sharp.low <= g.measured_sharp_deg() <= sharp.high


@settings(max_examples=40, deadline=None)
@given(st.floats(115, 145), st.floats(15, 40), st.floats(30, 50))
def test_geometry_measures_back_what_it_was_built_from(nsa, lce, sharp):
    g = A.HipGeometry(neck_shaft_angle_deg=nsa, lce_angle_deg=lce, sharp_angle_deg=sharp)
    assert g.measured_neck_shaft_deg() == pytest.approx(nsa, abs=1e-6)
    assert g.measured_lce_deg() == pytest.approx(lce, abs=1e-6)
    assert g.measured_sharp_deg() == pytest.approx(sharp, abs=1e-6)


def test_targets_are_inside_the_capsule_and_the_greater_trochanter_is_not():
    g = A.HipGeometry()
    cap = g.capsule_outline()
    for name, p in g.targets().items():
        assert A.point_in_polygon(p, cap), name
    assert not A.point_in_polygon(A.Point(g.neck_base.x - 40, 0), cap)
    # head-neck junction lies on the head surface, mid neck farther down the axis
    assert (g.head_neck_junction - g.head_centre).norm() == pytest.approx(g.radius)
    assert (g.mid_neck - g.head_centre).norm() > g.radius


def test_neck_runs_inferolaterally_from_the_head():
    g = A.HipGeometry()
    assert g.neck_base.x < 0 and g.neck_base.y < 0  # lateral (-x) and caudal (-y)


def test_coronal_layers_validate_names():
    assert "capsule" in A.coronal_structures(["capsule"])
    with pytest.raises(ValueError, match="unknown layer"):
        A.coronal_structures(["skin"])


# --------------------------------------------------------------------------- drawings


def test_coronal_section_draws_every_structure_of_every_layer():
    fig = F.coronal_section()
    expected = set(A.coronal_structures())
    assert expected <= F.drawn_structures(fig)
    assert expected <= F.labelled_structures(fig)


@pytest.mark.parametrize("layer", [l.id for l in A.CORONAL_LAYERS])
def test_switching_a_layer_off_removes_only_its_structures(layer):
    others = [l.id for l in A.CORONAL_LAYERS if l.id != layer]
    drawn = F.drawn_structures(F.coronal_section(others))
    own = set(next(l for l in A.CORONAL_LAYERS if l.id == layer).structures)
    assert not (own & drawn)
    assert set(A.coronal_structures(others)) <= drawn


def test_anterior_view_draws_and_labels_every_structure():
    fig = F.anterior_view()
    assert set(A.ANTERIOR_STRUCTURES) <= F.drawn_structures(fig)
    assert set(A.ANTERIOR_STRUCTURES) <= F.labelled_structures(fig)
    xs = [F.ANTERIOR[k] for k in ("nerve_x", "artery_x", "vein_x")]
    assert xs == sorted(xs), "nerve, artery, vein must run lateral (-x) to medial (+x)"


def test_safe_corridor_is_lateral_to_the_marked_artery():
    fig = F.anterior_view()
    corridor = next(a for a in fig.axes[0].patches if a.get_gid() == "safe-corridor")
    assert corridor.get_x() + corridor.get_width() < F.ANTERIOR["artery_x"]
    assert (
        corridor.get_x() + corridor.get_width() < F.ANTERIOR["nerve_x"]
    )  # as drawn, clear of the nerve too


def test_anterior_view_teaches_the_vetted_entry_rule():
    """Stay lateral to the marked (palpated) artery and aim for bone; not 'lateral to the whole bundle'."""
    fig = F.anterior_view()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts).replace("\n", " ")
    alt = F.anterior_alt_text()
    for text in (texts, alt):
        assert "whole bundle" not in text and "nerve included" not in text
        assert "artery" in text and "bone" in text
    assert "56-61%" in alt


@pytest.mark.parametrize("variant", A.AP_VARIANTS)
def test_ap_variants_draw_the_landmarks(variant):
    fig = F.ap_radiograph(variant)
    drawn = F.drawn_structures(fig)
    # a prosthesis has no femoral head, and no neck targets (it is aspirated, not injected at the neck)
    landmarks = set(A.AP_STRUCTURES) - (
        {"femoral-head", "target-hnj", "target-midneck"} if variant == "prosthesis" else set()
    )
    assert landmarks <= drawn
    assert landmarks <= F.labelled_structures(fig)
    extra = {"osteoarthritis": "osteophyte", "cam": "cam-bump", "prosthesis": "femoral-stem"}.get(
        variant
    )
    if extra:
        assert extra in drawn
    assert F.ap_alt_text(variant)


def test_ap_rejects_unknown_variant():
    with pytest.raises(ValueError, match="variant must be one of"):
        F.ap_radiograph("dysplasia")


def test_lettered_ap_hides_names_and_marks_every_letter():
    fig = F.ap_radiograph(lettered=True)
    assert set(F.markers(fig)) == set(A.AP_LETTERS)
    assert not F.labelled_structures(fig)
    assert "names are hidden" in F.ap_alt_text(lettered=True)


def test_stored_lettered_figure_matches_the_code(tmp_path):
    stored = json.loads((ROOT / "assets" / F.LETTERED_JSON).read_text())
    assert (ROOT / "assets" / F.LETTERED_PNG).stat().st_size > 1000
    regenerated = F.write_lettered_figure(tmp_path)
    assert {k: list(v) for k, v in regenerated.items()} == stored["markers"]
    assert stored["answer"] == A.AP_LETTERS


def test_lettered_figure_agrees_with_the_quiz_bank():
    import yaml

    bank = yaml.safe_load((ROOT / "assets" / "quizzes" / "01_hip_anatomy.yaml").read_text())
    q = next(q for q in bank["questions"] if q["type"] == "label")
    assert q["figure"] == F.LETTERED_PNG
    assert q["answer"] == A.AP_LETTERS
    assert {m["id"] for m in q["markers"]} == set(A.AP_LETTERS)


def test_alt_texts_quote_the_model_numbers():
    assert f"{A.fact('femoral_vein_distance').value}" in F.anterior_alt_text()
    assert f"{A.skin_to_anterior_head_mm().value:.0f} mm" in F.depth_chart_alt_text()
    assert "capsule" in F.coronal_alt_text(["capsule"]).lower()
    assert "no layers" in F.coronal_alt_text([])


def test_depth_chart_has_one_line_per_tilt():
    fig = F.depth_chart((0, 30))
    assert {"tilt-0", "tilt-30"} <= F.drawn_structures(fig)


# --------------------------------------------------------------------------- widgets


def test_layer_explorer_toggles_and_repr():
    from fluorohip.anatomy_views import LayerExplorer

    w = LayerExplorer()
    assert repr(w) == "LayerExplorer: 6 layers, 6 shown"
    before = w.image.value
    w.boxes["capsule"].value = False
    assert repr(w) == "LayerExplorer: 6 layers, 5 shown"
    assert w.image.value != before
    assert "Fibrous capsule" not in w.notes.value


def test_label_exercise_grades_each_letter():
    from fluorohip.anatomy_views import LabelExercise

    w = LabelExercise()
    for letter, sid in A.AP_LETTERS.items():
        w.dropdowns[letter].value = sid
    w.dropdowns["E"].value = "acetabular-roof"
    w.check.click()
    assert "5 of 6 correct" in w.feedback.value
    assert "E: you chose Acetabular roof" in w.feedback.value and "U-shaped" in w.feedback.value
    assert repr(w).endswith("checked 1 times")


def test_depth_explorer_refuses_letters_and_updates():
    from fluorohip.anatomy_views import DepthExplorer

    w = DepthExplorer()
    w.depth.value = "abc"
    assert "Cannot compute" in w.result.value and "Depth (mm)" in w.result.value
    w.depth.value = "80"
    w.tilt.value = 30
    assert "92 mm" in w.result.value
    w.patient.value = "Mrs C, obese (invented: 60 mm more fat)"
    assert w.depth.value == f"{A.skin_to_anterior_head_mm().value + 60:.0f}"
    assert "Teaching, not dosing advice" in w.children[0].value


def test_depth_explorer_flags_a_needle_that_only_just_reaches():
    from fluorohip.anatomy_views import DepthExplorer

    w = DepthExplorer()
    w.tilt.value = 0
    w.depth.value = "86"
    assert "only 3 mm spare" in w.result.value and "Choose: <b>5-inch" in w.result.value
    assert "rule of thumb" in w.result.value
    w.depth.value = "70"
    assert "Choose: <b>3.5-inch" in w.result.value


# --------------------------------------------------------------------------- drawing quality (resident review)


def _turn_deg(pts):
    """Largest change of direction (degrees) between consecutive segments of a polyline."""
    worst = 0.0
    for a, b, c in zip(pts, pts[1:], pts[2:]):
        u, v = b - a, c - b
        if u.norm() < 1e-9 or v.norm() < 1e-9:
            continue
        worst = max(worst, A.angle_between_deg(u, v))
    return worst


@pytest.mark.parametrize("cam", [False, True])
def test_head_outline_flows_into_the_neck_without_a_corner(cam):
    g = A.HipGeometry()
    o = F.femur_outline(g, cam=cam)
    head, sup, inf = o["head_arc"], o["superior_neck"], o["inferior_neck"]
    assert (head[0] - sup[0]).norm() < 1e-9 and (head[-1] - inf[0]).norm() < 1e-9
    for neck, end in ((sup, head[:2][::-1]), (inf, head[-2:])):
        # tangent continuity at the join: last head segment vs first neck segment
        assert _turn_deg([end[0], neck[0], neck[1]]) < 15
    assert _turn_deg(list(reversed(sup)) + head[1:] + inf[1:]) < 15  # a real corner is 40+


def test_cam_fills_the_superolateral_waist_and_keeps_the_head():
    g = A.HipGeometry()
    normal, cam = F.femur_outline(g), F.femur_outline(g, cam=True)

    def axis(p):
        return abs(
            (p - g.head_centre).x * -g.neck_direction.y + (p - g.head_centre).y * g.neck_direction.x
        )

    # the cam contour stands farther from the neck axis than the normal waist (lost offset) ...
    assert (
        max(map(axis, cam["superior_neck"][:12])) > max(map(axis, normal["superior_neck"][:12])) + 3
    )
    # ... and is continuous with the head, not a separate loose body
    assert (cam["superior_neck"][0] - cam["head_arc"][0]).norm() < 1e-9
    assert cam["inferior_neck"] == normal["inferior_neck"]


def test_shentons_line_is_one_smooth_arc_on_the_neck_and_ramus():
    g = A.HipGeometry()
    arc = F.shentons_arc(g)
    assert _turn_deg(arc) < 15  # the old polyline turned 40+ degrees at a corner
    neck = F.femur_outline(g)["inferior_neck"]
    assert arc[0] in neck and arc[-1].x > 60  # from the medial femoral neck out to the pubic ramus
    assert all(
        p.y < g.head_centre.y - g.radius + 1 for p in arc
    )  # passes below the head, not through it


def _segments_cross(p1, p2, p3, p4):
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return (orient(p1, p2, p3) * orient(p1, p2, p4) < 0) and (
        orient(p3, p4, p1) * orient(p3, p4, p2) < 0
    )


@pytest.mark.parametrize("variant", A.AP_VARIANTS)
def test_ap_leader_lines_do_not_cross_and_labels_sit_outside_the_image(variant):
    fig = F.ap_radiograph(variant)
    anns = [a for a in fig.axes[0].texts if (a.get_gid() or "").startswith("label:")]
    leaders = [(a.xyann, a.xy) for a in anns]
    for i, (a1, b1) in enumerate(leaders):
        assert not (-100 <= a1[0] <= 110), "label text must sit outside the image"
        for a2, b2 in leaders[i + 1 :]:
            assert not _segments_cross(a1, b1, a2, b2), (a1, b1, a2, b2)


def test_osteoarthritis_shows_narrowing_sclerosis_and_osteophytes():
    fig = F.ap_radiograph("osteoarthritis")
    labelled = F.labelled_structures(fig)
    assert {"joint-space", "subchondral-sclerosis", "osteophyte"} <= labelled
    assert "subchondral-sclerosis" in F.drawn_structures(fig)
    g = A.HipGeometry()
    js = F._js_profile(g, oa=True)
    assert js(110) < 1.0 < g.joint_space_mm == pytest.approx(js(0))  # superolateral narrowing only


def test_prosthesis_labels_the_implant_not_a_native_head():
    labelled = F.labelled_structures(F.ap_radiograph("prosthesis"))
    assert {"acetabular-cup", "prosthetic-head", "femoral-stem"} <= labelled
    assert "femoral-head" not in labelled


def test_lettered_markers_sit_off_their_structures_with_leaders():
    g = A.HipGeometry()
    marks = F.markers(F.ap_radiograph(lettered=True))
    lt = g.neck_base + A.Point(
        A.SCHEMATIC["shaft_half_width_mm"] + 4, -30
    )  # drawn lesser trochanter
    teardrop = g.teardrop + A.Point(0, 8)
    for letter, structure in (("D", lt), ("E", teardrop)):
        assert A.AP_LETTERS[letter] in ("lesser-trochanter", "teardrop")
        assert (A.Point(*marks[letter]) - structure).norm() >= 15, (
            letter
        )  # the letter never hides it
    assert all(math.hypot(*F.LETTER_OFFSETS[sid]) >= 15 for sid in A.AP_LETTERS.values())


@pytest.mark.parametrize("make", [F.coronal_section, F.anterior_view], ids=["coronal", "anterior"])
def test_coronal_and_anterior_leaders_do_not_cross(make):
    anns = [a for a in make().axes[0].texts if (a.get_gid() or "").startswith("label:")]
    leaders = [(a.xyann, a.xy) for a in anns]
    for i, (a1, b1) in enumerate(leaders):
        for a2, b2 in leaders[i + 1 :]:
            assert not _segments_cross(a1, b1, a2, b2), (a1, b1, a2, b2)


def test_coronal_overlays_are_not_hidden_under_the_bone_fill():
    fig = F.coronal_section()
    z = {a.get_gid(): a.get_zorder() for a in fig.axes[0].get_children() if a.get_gid()}
    for sid in ("head-cartilage", "labrum", "superior-recess", "inferior-recess"):
        assert z[sid] > z["femoral-head"], sid


# --- issue 19: the AP drawing shows bone as bone ------------------------------------------------


def _luminance(rgba) -> float:
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_osteophytes_are_drawn_radiopaque_like_bone_not_black():
    fig = F.ap_radiograph("osteoarthritis")
    spurs = [p for p in fig.axes[0].patches if p.get_gid() == "osteophyte"]
    femur = next(p for p in fig.axes[0].patches if p.get_gid() == "femoral-neck")
    assert len(spurs) >= 3
    for spur in spurs:
        assert _luminance(spur.get_facecolor()) >= 0.8  # light on the dark film, as bone is
        assert (
            _luminance(spur.get_edgecolor()) > 0.1
        )  # no black outline that reads as a lucent triangle
        assert spur.get_zorder() > femur.get_zorder()  # visible, not hidden under the bone fill


def test_greater_trochanter_is_a_broad_block_and_the_neck_is_not_short():
    g = A.HipGeometry()
    assert g.neck_length_mm >= 34  # the simulator's cited neck length is about 35 mm
    fig = F.ap_radiograph("normal")
    gt = next(p for p in fig.axes[0].patches if p.get_gid() == "greater-trochanter")
    xy = gt.get_xy()
    top = xy[:, 1].max()
    assert top <= g.head_centre.y  # summit at or below the level of the head centre
    band = xy[(xy[:, 1] > top - 12)]
    assert band[:, 0].max() - band[:, 0].min() >= 15  # broad near its top, not a spike


def test_prosthesis_figure_has_no_neck_targets():
    fig = F.ap_radiograph("prosthesis")
    assert not {"target-hnj", "target-midneck"} & F.drawn_structures(fig)
    assert "No neck targets" in F.ap_alt_text("prosthesis")
