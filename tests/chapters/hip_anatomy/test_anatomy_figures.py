"""Notebook 01 (hip anatomy), the drawings: every structure drawn and labelled, readable
leaders, the stored lettered figure, and the drawing-quality checks from resident review."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from fluorohip.chapters.hip_anatomy import figures as F
from fluorohip.chapters.hip_anatomy import geometry, model, structures

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- drawings


def test_coronal_section_draws_every_structure_of_every_layer():
    fig = F.coronal_section()
    expected = set(structures.coronal_structures())
    assert expected <= F.drawn_structures(fig)
    assert expected <= F.labelled_structures(fig)


@pytest.mark.parametrize("layer", [l.id for l in structures.CORONAL_LAYERS])
def test_switching_a_layer_off_removes_only_its_structures(layer):
    others = [l.id for l in structures.CORONAL_LAYERS if l.id != layer]
    drawn = F.drawn_structures(F.coronal_section(others))
    own = set(next(l for l in structures.CORONAL_LAYERS if l.id == layer).structures)
    assert not (own & drawn)
    assert set(structures.coronal_structures(others)) <= drawn


def test_anterior_view_draws_and_labels_every_structure():
    fig = F.anterior_view()
    assert set(structures.ANTERIOR_STRUCTURES) <= F.drawn_structures(fig)
    assert set(structures.ANTERIOR_STRUCTURES) <= F.labelled_structures(fig)
    xs = [F.ANTERIOR_CONTENTS_X[k] for k in ("femoral-nerve", "femoral-artery", "femoral-vein")]
    assert xs == sorted(xs), "nerve, artery, vein must run lateral (-x) to medial (+x)"


def test_safe_corridor_is_lateral_to_the_marked_artery():
    fig = F.anterior_view()
    corridor = next(a for a in fig.axes[0].patches if a.get_gid() == "safe-corridor")
    assert corridor.get_x() + corridor.get_width() < F.ANTERIOR_CONTENTS_X["femoral-artery"]
    assert (
        corridor.get_x() + corridor.get_width() < F.ANTERIOR_CONTENTS_X["femoral-nerve"]
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


@pytest.mark.parametrize("variant", structures.AP_VARIANTS)
def test_ap_variants_draw_the_landmarks(variant):
    fig = F.ap_radiograph(variant)
    drawn = F.drawn_structures(fig)
    # a prosthesis has no femoral head, and no neck targets (it is aspirated, not injected at the neck)
    landmarks = set(structures.AP_STRUCTURES) - (
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
    assert set(F.markers(fig)) == set(structures.AP_LETTERS)
    assert not F.labelled_structures(fig)
    assert "names are hidden" in F.ap_alt_text(lettered=True)


def test_stored_lettered_figure_matches_the_code(tmp_path):
    stored = json.loads((ROOT / "assets" / F.LETTERED_JSON).read_text())
    assert (ROOT / "assets" / F.LETTERED_PNG).stat().st_size > 1000
    regenerated = F.write_lettered_figure(tmp_path)
    assert {k: list(v) for k, v in regenerated.items()} == stored["markers"]
    assert stored["answer"] == structures.AP_LETTERS


def test_lettered_figure_agrees_with_the_quiz_bank():
    import yaml

    bank = yaml.safe_load((ROOT / "assets" / "quizzes" / "01_hip_anatomy.yaml").read_text())
    q = next(q for q in bank["questions"] if q["type"] == "label")
    assert q["figure"] == F.LETTERED_PNG
    assert q["answer"] == structures.AP_LETTERS
    assert {m["id"] for m in q["markers"]} == set(structures.AP_LETTERS)


def test_alt_texts_quote_the_model_numbers():
    assert f"{model.fact('femoral_vein_distance').value}" in F.anterior_alt_text()
    assert f"{model.skin_to_anterior_head_mm().value:.0f} mm" in F.depth_chart_alt_text()
    assert "capsule" in F.coronal_alt_text(["capsule"]).lower()
    assert "no layers" in F.coronal_alt_text([])


def test_depth_chart_has_one_line_per_tilt():
    fig = F.depth_chart((0, 30))
    assert {"tilt-0", "tilt-30"} <= F.drawn_structures(fig)


# --------------------------------------------------------------------------- drawing quality (resident review)


def _turn_deg(pts):
    """Largest change of direction (degrees) between consecutive segments of a polyline."""
    worst = 0.0
    for a, b, c in zip(pts, pts[1:], pts[2:]):
        u, v = b - a, c - b
        if u.norm() < 1e-9 or v.norm() < 1e-9:
            continue
        worst = max(worst, geometry.angle_between_deg(u, v))
    return worst


@pytest.mark.parametrize("cam", [False, True])
def test_head_outline_flows_into_the_neck_without_a_corner(cam):
    g = geometry.HipGeometry()
    o = F.femur_outline(g, cam=cam)
    head, sup, inf = o["head_arc"], o["superior_neck"], o["inferior_neck"]
    assert (head[0] - sup[0]).norm() < 1e-9 and (head[-1] - inf[0]).norm() < 1e-9
    for neck, end in ((sup, head[:2][::-1]), (inf, head[-2:])):
        # tangent continuity at the join: last head segment vs first neck segment
        assert _turn_deg([end[0], neck[0], neck[1]]) < 15
    assert _turn_deg(list(reversed(sup)) + head[1:] + inf[1:]) < 15  # a real corner is 40+


def test_cam_fills_the_superolateral_waist_and_keeps_the_head():
    g = geometry.HipGeometry()
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
    g = geometry.HipGeometry()
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


@pytest.mark.parametrize("variant", structures.AP_VARIANTS)
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
    g = geometry.HipGeometry()
    js = F.joint_space_profile(g, oa=True)
    assert js(110) < 1.0 < g.joint_space_mm == pytest.approx(js(0))  # superolateral narrowing only


def test_prosthesis_labels_the_implant_not_a_native_head():
    labelled = F.labelled_structures(F.ap_radiograph("prosthesis"))
    assert {"acetabular-cup", "prosthetic-head", "femoral-stem"} <= labelled
    assert "femoral-head" not in labelled


def test_lettered_markers_sit_off_their_structures_with_leaders():
    g = geometry.HipGeometry()
    marks = F.markers(F.ap_radiograph(lettered=True))
    lt = g.neck_base + geometry.Point(
        geometry.SCHEMATIC["shaft_half_width_mm"] + 4, -30
    )  # drawn lesser trochanter
    teardrop = g.teardrop + geometry.Point(0, 8)
    for letter, structure in (("D", lt), ("E", teardrop)):
        assert structures.AP_LETTERS[letter] in ("lesser-trochanter", "teardrop")
        assert (geometry.Point(*marks[letter]) - structure).norm() >= 15, (
            letter
        )  # the letter never hides it
    assert all(math.hypot(*F.LETTER_OFFSETS[sid]) >= 15 for sid in structures.AP_LETTERS.values())


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
    g = geometry.HipGeometry()
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
