import math

import numpy as np
import pytest

from fluorohip.fluoro.geometry import CArm, angles_for_direction
from fluorohip.fluoro.primitives import cylinder_between, sphere
from fluorohip.fluoro.projector import chord_image


def test_projected_sphere_radius():
    carm = CArm(pixels=512)
    r = 24.0
    img = chord_image(carm, sphere((0, 0, 0), r))
    row = img[255:257].mean(axis=0)
    width_px = (row > 0).sum()
    expected = 2 * carm.sid_mm * r / math.sqrt(carm.sod_mm**2 - r**2) / carm.pixel_mm
    assert abs(width_px - expected) <= 2


def test_left_right_symmetry():
    carm = CArm(pixels=128)
    img = chord_image(carm, sphere((0, 0, 0), 30))
    np.testing.assert_allclose(img, img[:, ::-1], atol=1e-3)
    np.testing.assert_allclose(img, img[::-1, :], atol=1e-3)


def test_magnification_and_axes():
    carm = CArm()
    assert carm.magnification == pytest.approx(1000 / 650)
    uv = carm.project(np.array([[10.0, 0, 0], [0, 0, 10.0]]))
    assert uv[0, 0] == pytest.approx(
        -10 * carm.magnification
    )  # +x (patient left) runs against columns
    assert uv[1, 1] == pytest.approx(-10 * carm.magnification)  # cranial is toward row 0


def test_needle_dash_length_with_tilt():
    carm = CArm(pixels=512)
    L = 60.0
    for deg in (2.0, 5.0):
        th = math.radians(deg)
        d = np.array([math.sin(th), 1.0 * math.cos(th), 0.0])
        needle = cylinder_between(-L / 2 * d, L / 2 * d, (0.36, 0.36))
        img = chord_image(carm, needle)
        cols = np.nonzero(img.max(axis=0) > 0.3)[0]
        extent = (cols.max() - cols.min()) * carm.pixel_mm
        assert extent == pytest.approx(
            L * math.sin(th) * carm.magnification, abs=2 * carm.pixel_mm + 0.8
        )


def test_coaxial_needle_is_a_dot():
    d = np.array([0.1, 1.0, 0.2])
    d /= np.linalg.norm(d)
    rot, tilt = angles_for_direction(d)
    carm = CArm(rotation_deg=rot, tilt_deg=tilt, pixels=512, isocentre_mm=(0, 0, 0))
    needle = cylinder_between(-40 * d, 40 * d, (0.359, 0.359))
    img = chord_image(carm, needle)
    area_px = (img > 40).sum()
    diam_px = 2 * math.sqrt(area_px / math.pi)
    assert diam_px * carm.pixel_mm == pytest.approx(
        0.718 * carm.magnification, abs=2 * carm.pixel_mm
    )
    assert img.max() == pytest.approx(80.0, rel=1e-3)


@pytest.mark.parametrize(
    "kw,name",
    [
        ({"tilt_deg": 55}, "tilt_deg"),
        ({"rotation_deg": "1O"}, "rotation_deg"),
        ({"collimation": -1}, "collimation"),
        ({"field_mode": "zoom"}, "field_mode"),
    ],
)
def test_bad_input_names_parameter(kw, name):
    with pytest.raises(ValueError, match=name):
        CArm(**kw)
