"""The numpy mesh rasteriser (default) and the optional numba one give the same path lengths."""

import numpy as np
import pytest

from fluorohip.fluoro import CArm, HipPhantom, meshproj

numba = pytest.importorskip("numba")


@pytest.mark.parametrize(
    "pose", [{}, {"rotation_deg": 20.0}, {"rotation_deg": -15.0, "tilt_deg": -15.0}]
)
def test_numpy_and_numba_rasterisers_agree(pose):
    from fluorohip.fluoro import meshjit

    ph = HipPhantom()
    v, f, kind = ph.bone_surfaces()
    w = np.array([[-1.0, 1.0], [0.7, -0.7]])[kind]
    carm = CArm(pixels=96, **pose)
    a = meshproj.project_mesh2(carm, v, f, w)
    b = meshjit.project_mesh2(carm, v, f, w, threads=1)
    assert np.abs(a).max() > 20.0  # bone is in the field
    assert np.allclose(a, b, atol=1e-4)


def test_renderer_switch_reads_the_environment(monkeypatch):
    monkeypatch.delenv("FLUOROHIP_RENDERER", raising=False)
    assert not meshproj.jit_requested()
    monkeypatch.setenv("FLUOROHIP_RENDERER", "numba")
    assert meshproj.jit_requested()
