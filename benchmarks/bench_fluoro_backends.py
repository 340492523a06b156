"""Bone rasteriser: numpy (default, small kernel) against the optional numba JIT, paired.

Run: .venv/bin/python benchmarks/bench_fluoro_backends.py

Why paired: on the shared 2-core machine the load average moves between 5 and 15 within
minutes, so absolute milliseconds from separate runs are not comparable; here the two
rasterisers alternate call by call on the same poses (1 thread each) and the ratio of their
medians is what carries over to another machine. Also times a whole C-arm move (anatomy
re-projected through the imaging chain) with each, and 1M float multiply-adds as a load
calibration. Writes benchmarks/results/fluoro_backends.json.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from fluorohip.fluoro import CArm, HipPhantom, Scene, meshjit, meshproj, render
from fluorohip.fluoro.chain import chain_for
from fluorohip.fluoro.scene import _abc_signal


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def main(reps: int = 12) -> dict:
    ph = HipPhantom()
    v, f, kind = ph.bone_surfaces()
    w = np.eye(2)[kind]
    out: dict = {"load_average_start": os.getloadavg()}
    x = np.random.default_rng(0).random(1_000_000)
    out["calibration_1m_fma_ms"] = statistics.median(_ms(lambda: x * 2.0 + 1.0) for _ in range(20))
    for n in (256, 512):
        poses = [CArm(pixels=n, rotation_deg=float(a)) for a in np.linspace(-20, 20, reps)]
        meshproj.project_mesh2(poses[0], v, f, w)
        meshjit.project_mesh2(poses[0], v, f, w, threads=1)
        t_np, t_jit = [], []
        for c in poses:
            t_np.append(_ms(lambda: meshproj.project_mesh2(c, v, f, w)))
            t_jit.append(_ms(lambda: meshjit.project_mesh2(c, v, f, w, threads=1)))
        out[f"bone_raster_numpy_ms_{n}"] = statistics.median(t_np)
        out[f"bone_raster_numba1_ms_{n}"] = statistics.median(t_jit)
        out[f"ratio_numpy_over_numba_{n}"] = statistics.median(t_np) / statistics.median(t_jit)
        # a whole C-arm move at this size (chain rebuilt), each rasteriser in turn
        moves: dict[str, list[float]] = {"numpy": [], "numba": []}
        for i, c in enumerate(poses):
            for name in ("numpy", "numba"):
                os.environ["FLUOROHIP_RENDERER"] = name
                chain_for.cache_clear()
                _abc_signal.cache_clear()
                moves[name].append(_ms(lambda: render(Scene(ph), c, seed=i)))
        os.environ.pop("FLUOROHIP_RENDERER", None)
        for name, ts in moves.items():
            out[f"carm_move_{name}_ms_{n}"] = statistics.median(ts)
    out["load_average_end"] = os.getloadavg()
    for k, val in out.items():
        print(f"{k:36s} {val}")
    res = Path(__file__).resolve().parent / "results"
    res.mkdir(exist_ok=True)
    (res / "fluoro_backends.json").write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
