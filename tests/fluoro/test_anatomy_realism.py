"""The phantom's pelvis, OA option, cited placements and contrast shapes (fluoro-notes §2.3, §5)."""

import math

import numpy as np
import pytest

from fluorohip.fluoro import CArm, HipPhantom, Scene, render
from fluorohip.fluoro.constants import CONSTANTS, value
from fluorohip.fluoro.contrast import _film_volume_mm3, arthrogram_pieces, inject
from fluorohip.fluoro.needle import classify_point

PH = HipPhantom()
OA = HipPhantom(oa=True)


def _grid(lo, hi, n=40):
    ax = [np.linspace(l, h, n) for l, h in zip(lo, hi)]
    z, y, x = np.meshgrid(ax[2], ax[1], ax[0], indexing="ij")
    return np.stack([x, y, z], axis=-1).reshape(-1, 3)


@pytest.mark.parametrize("ph", [PH, OA, HipPhantom(sex="female", bmi=38)])
def test_attenuation_never_negative(ph):
    # inclusion-exclusion must never subtract more than was added
    pts = _grid((-110, -120, -150), (140, 120, 130), 45)
    mu = ph.mu_at(pts)
    assert mu.min() >= -1e-9
    assert mu.max() <= value("mu_cortical_per_cm") / 10 + 1e-9  # one material per point


# obturator foramen of the real hip bone (head-centred frame): an AP line through its centre
# misses bone, one through the inferior ramus below it does not (probed on the BodyParts3D mesh)
FORAMEN = np.array([46.0, 0.0, -26.0])
RAMUS = np.array([46.0, 0.0, -46.0])


def _ap_bone_mm(ph, x, z):
    ys = np.arange(-100.0, 100.0, 0.25)
    pts = np.stack([np.full_like(ys, x), ys, np.full_like(ys, z)], axis=-1)
    return 0.25 * ph.in_region("bone", pts).sum()


def test_cup_is_hollow_and_foramen_is_a_hole():
    # between head and acetabular roof: soft tissue (cartilage and joint space), not bone
    g = PH.geometry
    assert classify_point(PH, [0.0, 0.0, g["r"] + 1.0]) != "bone"
    assert classify_point(PH, [0.0, 0.0, g["r"] - 1.0]) == "bone"  # femoral head
    assert classify_point(PH, [0.0, 0.0, g["r"] + 6.0]) == "bone"  # acetabular roof (sourcil)
    assert _ap_bone_mm(PH, FORAMEN[0], FORAMEN[2]) == 0.0
    assert _ap_bone_mm(PH, RAMUS[0], RAMUS[2]) > 5.0


def test_foramen_projects_lucent_inside_a_dense_ring():
    carm = CArm(pixels=128)
    p = render(Scene(PH), carm, noise="none").p
    y = -40.0  # a depth inside the pelvis: the projection point barely depends on it
    col, row = carm.to_pixel(carm.project(FORAMEN + [0, y, 0]))
    col2, row2 = carm.to_pixel(carm.project(RAMUS + [0, y, 0]))
    assert p[int(round(row2)), int(round(col2))] > p[int(round(row)), int(round(col))] + 0.2


def test_left_side_mirrors_the_right_and_symphysis_is_a_gap():
    mid = PH.body_centre[0]
    pts = np.array([[0.0, 0.0, 0.0], [-30.0, 10.0, -60.0], [30.0, -20.0, 5.0]])
    mirrored = pts.copy()
    mirrored[:, 0] = 2 * mid - pts[:, 0]
    assert (PH.in_region("bone", pts) == PH.in_region("bone", mirrored)).all()
    # the pubic bodies stop short of the midline: the symphysis is a soft-tissue gap
    z = np.linspace(-80, 0, 81)
    ys = np.linspace(-80, 40, 121)
    line = np.array([[mid, y_, z_] for y_ in ys for z_ in z])
    assert not PH.in_region("bone", line).any()


def test_no_two_bones_share_a_point_and_mu_never_exceeds_cortical():
    rng = np.random.default_rng(3)
    pts = rng.uniform((-80, -80, -150), (250, 120, 170), (600_000, 3))
    counts = sum(piece.contains(pts).astype(int) for piece in PH.regions["bone"])
    assert counts.max() <= 1
    for ph in (PH, OA):
        mu = ph.mu_at(pts)
        assert mu.max() <= value("mu_cortical_per_cm") / 10 + 1e-9


def test_artery_sits_at_the_cited_distance_from_the_capsule():
    a = PH.artery.quadrics[0].c
    ra = value("artery_diameter_mm") / 2
    gap = math.hypot(a[0], a[1]) - ra - PH.capsule_radius_mm
    assert gap == pytest.approx(value("artery_joint_distance_mm"), abs=0.1)
    assert CONSTANTS["artery_joint_distance_mm"].key == "Mehta2018"
    assert 19.6 - 4.2 <= gap <= 19.6 + 4.2
    v = PH.vein.quadrics[0].c
    assert v[0] > a[0]  # vein medial to the artery


def test_neck_is_measured_on_the_real_femur_and_within_the_cited_size():
    # the neck frame comes from the mesh; its SI width lies within the cited 40/38 mm (M/F) +- 10 %
    assert 0.9 * 38.0 <= 2 * PH.geometry["n_si"] <= 1.1 * 40.0
    assert PH.geometry["n_ap"] < PH.geometry["n_si"]  # flatter front to back
    assert CONSTANTS["neck_semi_si_male_mm"].key == "AbdulaiFemur"
    # the neck axis runs lateral, inferior and slightly posterior from the head (anteversion)
    a = PH.neck_axis
    assert a[0] < -0.5 and a[2] < -0.5 and a[1] > 0


def test_oa_narrows_the_superolateral_joint_space():
    s = np.array([-0.259, 0.0, 0.966])
    s /= np.linalg.norm(s)

    def gap(ph):  # distance from the head surface to the cup lining along s
        r = ph.geometry["r"]
        for d in np.arange(0.0, 8.0, 0.05):
            if classify_point(ph, (r + d + 0.01) * s) == "bone":
                return d
        return None

    # the real joint space lies within the cited range 2-7 mm (mean 4.19 +- 0.92) [Lequesne2004]
    assert 2.0 <= gap(PH) <= 7.0
    assert gap(OA) == pytest.approx(value("oa_superolateral_joint_space_mm"), abs=0.1)
    # osteophytes: bone grown outward at the head-neck junction (outer surface moved out)
    grow = np.linalg.norm(OA.bones[1].outer - PH.bones[1].outer, axis=1)
    assert grow.max() >= 0.5 * value("oa_osteophyte_mm")
    assert OA != PH and hash(OA) != hash(PH)
    with pytest.raises(ValueError, match="oa"):
        HipPhantom(oa="yes")


def test_oa_target_still_reachable():
    from fluorohip.fluoro import Needle, place

    t = OA.target_point()
    res = place(OA, Needle.anterior(OA, t[0], t[2], 89))
    assert res.bone_contact and res.label == "intra-articular"


@pytest.mark.parametrize("s", [0.05, 0.3, 1.0])
def test_film_volume_formula_matches_the_pieces(s):
    rng = np.random.default_rng(1)
    lo, hi = np.array([-80, -40, -70]), np.array([40, 40, 40])
    pts = rng.uniform(lo, hi, (400_000, 3))
    occ = sum(sign * prim.contains(pts) for prim, sign in arthrogram_pieces(PH, s))
    assert occ.min() >= 0 and occ.max() <= 1  # disjoint pieces, every subtraction inside its body
    vol = occ.mean() * np.prod(hi - lo)
    assert vol == pytest.approx(_film_volume_mm3(PH, s), rel=0.08)


def test_intra_articular_contrast_outlines_the_head_not_the_tip():
    carm = CArm(pixels=256)
    sc = Scene(PH)
    sc.deposits.extend(inject(PH, PH.target_point(), "intra-articular", 2.0))
    base = render(Scene(PH), carm, noise="none").p
    extra = render(sc, carm, noise="none").p - base
    r = PH.geometry["r"]
    uv = carm.project(np.array([[0, 0, 0], [0, 0, r + 0.05], [0, 0, r * 0.3]]))
    (_c0, _r0), (c1, r1), (c2, r2) = (carm.to_pixel(x) for x in uv)
    rim = extra[int(round(r1)), int(round(c1))]
    face = extra[int(round(r2)), int(round(c2))]
    assert rim > 3 * face > 0  # the grazing rim is dense, the face-on film faint


def test_capsular_streak_follows_the_neck_and_intramuscular_is_striated():
    d = inject(PH, PH.target_point() * 1.2, "capsular", 2.0)[0]
    A = d.terms[0][0].quadrics[0].A
    long_axis = np.linalg.svd(A)[2][-1]
    assert abs(long_axis @ PH.neck_axis) > 0.99
    m = inject(PH, np.array([-30.0, -60.0, 10.0]), "intramuscular", 2.0, seed=0)[0]
    assert len(m.terms) >= 8
    for prim, _ in m.terms:
        semi = 1 / np.linalg.svd(prim.quadrics[0].A)[1]
        assert semi.max() / semi.min() >= 5


def test_vascular_column_is_thin_and_bursal_collection_inside_bursa():
    a = PH.artery.quadrics[0].c * [1, 1, 0]
    d = inject(PH, a, "intravascular", 2.0)[0]
    r_col = 1 / np.linalg.svd(d.terms[0][0].quadrics[0].A)[1].max()
    assert r_col < value("artery_diameter_mm") / 2
    b = inject(PH, PH.bursa.quadrics[0].c, "bursal", 2.0, seed=1)[0]
    sac = b.terms[0][0]
    pts = np.random.default_rng(0).uniform(-60, 60, (100_000, 3)) + PH.bursa.quadrics[0].c
    inside = sac.contains(pts)
    assert inside.any() and PH.bursa.contains(pts[inside]).all()
    assert PH.bursa.quadrics[0].c[0] > 0  # medial of the head centre
