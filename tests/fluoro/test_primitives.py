import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.fluoro.geometry import CArm
from fluorohip.fluoro.primitives import cylinder, ellipsoid, sphere
from fluorohip.fluoro.projector import chord_image

RNG = np.random.default_rng(7)


def _random_rays(n, centre, spread):
    p0 = centre + RNG.normal(0, spread, (n, 3))
    d = RNG.normal(0, 1, (n, 3))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    # start far back so the ray passes the body
    return p0 - 200 * d, d


def _quadrature(prim, p0, d, step=0.025, t_max=400.0):
    t = np.arange(0, t_max, step) + step / 2
    out = []
    for a, b in zip(p0, d):
        pts = a + t[:, None] * b
        out.append(prim.contains(pts).sum() * step)
    return np.array(out)


def test_sphere_chord_exact():
    s = sphere((1.0, 2.0, 3.0), 24.0)
    rho = np.linspace(0, 23.9, 50)
    p0 = np.stack([1.0 + rho, np.full_like(rho, -100), np.full_like(rho, 3.0)], axis=1)
    got = s.chord(p0, np.array([0.0, 1.0, 0.0]))
    np.testing.assert_allclose(got, 2 * np.sqrt(24.0**2 - rho**2), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize(
    "prim",
    [
        ellipsoid(
            (3, -2, 5), (20, 12, 30), np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))[0]
        ),
        cylinder((0, 5, 0), (1, 1, 0.3), (8, 5), 25, cross_axis=(0, 0, 1)),
        sphere((0, 0, 0), 15).clip((1, 0.2, 0), 4.0),
    ],
)
def test_chords_match_quadrature(prim):
    p0, d = _random_rays(200, prim.bound_centre, 8.0)
    exact = prim.chord(p0, d)
    numeric = _quadrature(prim, p0, d)
    assert np.max(np.abs(exact - numeric)) <= 0.05  # within two 0.025 mm steps
    assert exact.max() > 5  # the rays really hit


def test_kak_slaney_ellipse_principal_plane():
    a, b = 20.0, 12.0
    e = ellipsoid((0, 0, 0), (a, b, 50.0))
    for theta in np.linspace(0, np.pi, 7):
        d = np.array([-np.sin(theta), np.cos(theta), 0.0])  # ray direction, normal (cos, sin)
        normal = np.array([np.cos(theta), np.sin(theta), 0.0])
        sm2 = a * a * np.cos(theta) ** 2 + b * b * np.sin(theta) ** 2
        for s in (0.0, 5.0, 0.9 * math.sqrt(sm2)):
            got = e.chord(s * normal, d)[0]
            want = 2 * a * b * math.sqrt(sm2 - s * s) / sm2
            assert got == pytest.approx(want, rel=1e-10)


def test_cylinder_perpendicular_axial_and_oblique():
    h, r = 30.0, 4.0
    c = cylinder((0, 0, 0), (0, 0, 1), (r, r), h)
    assert c.chord(np.array([1.5, -50, 0]), np.array([0, 1.0, 0]))[0] == pytest.approx(
        2 * math.sqrt(r * r - 1.5**2)
    )
    assert c.chord(np.array([0.5, 0.3, -100]), np.array([0, 0, 1.0]))[0] == pytest.approx(2 * h)
    th = math.radians(5)
    d = np.array([math.sin(th), 0, math.cos(th)])
    assert c.chord(np.zeros(3), d)[0] == pytest.approx(2 * h / math.cos(th))


def test_clip_plane_through_centre_halves_chord():
    s = sphere((0, 0, 0), 10.0).clip((0, 1, 0), 0.0)
    assert s.chord(np.array([0, -50.0, 0]), np.array([0, 1.0, 0]))[0] == pytest.approx(10.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 40), st.floats(-60, 60), st.floats(-60, 60), st.floats(0, 2 * math.pi))
def test_sphere_chord_bounded_and_symmetric(r, x, z, phi):
    s = sphere((0, 0, 0), r)
    d = np.array([math.cos(phi), math.sin(phi), 0.0])
    p = np.array([x, 0.0, z])
    c1 = s.chord(p, d)[0]
    c2 = s.chord(p, -d)[0]
    assert 0 <= c1 <= 2 * r + 1e-9
    assert c1 == pytest.approx(c2, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.floats(-30, 30), st.floats(-30, 30))
def test_set_operations(x, z):
    a, b = sphere((0, 0, 0), 10), sphere((8, 0, 0), 6)
    p, d = np.array([x, -100.0, z]), np.array([0, 1.0, 0])
    la, lb, lab = a.chord(p, d)[0], b.chord(p, d)[0], a.intersect(b).chord(p, d)[0]
    union = la + lb - lab
    assert union <= la + lb + 1e-9
    assert la - lab >= -1e-9  # a difference is never negative
    far = sphere((100, 0, 0), 5)
    assert a.intersect(far).chord(p, d)[0] == 0.0


def test_float32_image_matches_float64_lines():
    carm = CArm(pixels=64)
    s = sphere((10, 0, -5), 24.0)
    img32 = chord_image(carm, s)
    src, w0, e_c, e_r = carm.ray_frame()
    u = carm.pixel_offsets()
    D = w0[None, None, :] + u[None, :, None] * e_c + u[:, None, None] * e_r
    dn = D / np.linalg.norm(D, axis=-1, keepdims=True)
    ref = s.chord(np.broadcast_to(src, dn.shape), dn)
    inside = ref > 1.0
    rel = np.abs(img32[inside] - ref[inside]) / ref[inside]
    assert rel.max() < 1e-4
