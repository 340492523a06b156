import shutil

import numpy as np
import pytest

from fluorohip.fluoro import CArm, HipPhantom
from fluorohip.fluoro.export import compare_with_plastimatch, read_pfm, write_mha

pytestmark = pytest.mark.skipif(
    shutil.which("plastimatch") is None,
    reason="plastimatch binary not found (Debian package 'plastimatch')",
)


def test_drr_agrees_with_plastimatch(tmp_path):
    r = compare_with_plastimatch(HipPhantom(), CArm(pixels=128), tmp_path, spacing_mm=3.0)
    assert r["ncc"] >= 0.98
    assert r["slope"] == pytest.approx(1.0, abs=0.03)


def test_off_centre_sphere_lands_on_same_pixel(tmp_path):
    # a voxelised ball 30 mm toward the patient's left and 20 mm cranial
    n, sp = 64, 2.0
    origin = -(n - 1) / 2 * sp * np.ones(3)
    ax = origin[0] + np.arange(n) * sp
    z, y, x = np.meshgrid(ax, ax, ax, indexing="ij")
    mu = ((x - 30) ** 2 + y**2 + (z - 20) ** 2 <= 12**2).astype(np.float32) * 0.05
    hu = np.where(mu > 0, 1000 * (mu / 0.022 - 1), -1000).astype(np.float32)
    write_mha(tmp_path / "ball.mha", hu, sp, origin)
    from fluorohip.fluoro.export import run_plastimatch_drr

    carm = CArm(pixels=64)
    img, _ = run_plastimatch_drr(carm, tmp_path / "ball.mha", tmp_path)
    rows, cols = np.indices(img.shape)
    w = img / img.sum()
    centroid = np.array([(w * cols).sum(), (w * rows).sum()])
    expected = carm.to_pixel(carm.project(np.array([30.0, 0, 20.0])))
    assert np.abs(centroid - expected).max() < 0.5


def test_pfm_reader_rejects_colour(tmp_path):
    p = tmp_path / "x.pfm"
    p.write_bytes(b"PF\n1 1\n-1\n" + bytes(12))
    with pytest.raises(ValueError, match="PFM"):
        read_pfm(p)
