"""Benchmark of the virtual fluoroscope (issue 5). Run: .venv/bin/python benchmarks/bench_fluoro.py

Prints median timings (ms) and peak memory, the plastimatch comparison (time ratio and
image agreement), writes benchmarks/results/fluoro.json, and exits 1 if a target is missed.
Targets (issue 21): a 512x512 frame through the full imaging chain (polychromatic beam, scatter,
blur, quantum + electronic noise; cached anatomy, noise bank) <= 20 ms median on one core; a
C-arm move (real-bone anatomy re-projected, chain rebuilt) <= 100 ms at 512^2; control change
to new frame (kernel side, incl. JPEG) <= 50 ms at the 256^2 live size.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from fluorohip.fluoro import CArm, Needle, Scene, render
from fluorohip.fluoro.chain import chain_for
from fluorohip.fluoro.imaging import NoiseBank, jpeg_bytes
from fluorohip.fluoro.scene import (
    _abc_signal,
    abc_log_attenuation,
    anatomy_line_integral,
    anatomy_maps,
)
from fluorohip.fluoro.session import FluoroSession


def median_ms(fn, runs=20, setup=None):
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    _rows, results, failed = [], {}, []
    scene = Scene()
    t = scene.phantom.target_point()
    scene.set_needle(Needle.anterior(scene.phantom, t[0], t[2], 89))
    scene.inject(2.0)
    for n in (256, 512):
        carm = CArm(pixels=n)
        bank = NoiseBank((n, n))
        render(scene, carm, noise="bank", bank=bank)  # warm the anatomy cache

        def clear():
            anatomy_maps.cache_clear()
            anatomy_line_integral.cache_clear()
            abc_log_attenuation.cache_clear()
            chain_for.cache_clear()
            _abc_signal.cache_clear()

        results[f"anatomy_rerender_{n}"] = median_ms(
            lambda: render(scene, carm, noise="bank", bank=bank), runs=10, setup=clear
        )
        render(scene, carm, noise="bank", bank=bank)
        results[f"frame_cached_{n}"] = median_ms(
            lambda: render(scene, carm, noise="bank", bank=bank)
        )
        results[f"frame_cached_poisson_{n}"] = median_ms(
            lambda: render(scene, carm, noise="poisson"), runs=10
        )
        f = render(scene, carm, noise="bank", bank=bank)
        results[f"jpeg_{n}"] = median_ms(lambda: jpeg_bytes(f.image))
    # control change -> new frame (kernel side): C-arm move at live size, needle move
    sess = FluoroSession()
    sess.set_needle(Needle.anterior(sess.phantom, t[0], t[2], 60))
    angles = iter(np.linspace(-20, 20, 1000))

    def carm_move():
        sess.set_carm(rotation_deg=float(next(angles)))
        jpeg_bytes(sess.pedal(0.1).image)

    depths = iter(np.linspace(40, 89, 1000))

    def needle_move():
        sess.set_needle(Needle.anterior(sess.phantom, t[0], t[2], float(next(depths))))
        jpeg_bytes(sess.pedal(0.1).image)

    results["control_carm_256"] = median_ms(carm_move, runs=10)
    results["control_needle_256"] = median_ms(needle_move)
    tracemalloc.start()
    anatomy_maps.cache_clear()
    anatomy_line_integral.cache_clear()
    render(scene, CArm(pixels=512), noise="poisson")
    results["peak_mem_mb_512"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    # plastimatch comparison
    import shutil

    from fluorohip.fluoro.export import compare_with_plastimatch

    if shutil.which("plastimatch"):
        with tempfile.TemporaryDirectory() as d:
            r = compare_with_plastimatch(
                scene.phantom, CArm(pixels=512), d, spacing_mm=2.5, threads=1
            )
        results.update(
            {
                "plastimatch_ncc": r["ncc"],
                "plastimatch_slope": r["slope"],
                "plastimatch_median_rel_diff": r["median_rel_diff"],
                "plastimatch_ms_512_1thread_incl_startup": r["plastimatch_s"] * 1000,
                "ours_uncached_ms_512": r["ours_s"] * 1000,
                "time_ratio_plastimatch_over_ours": r["plastimatch_s"] / r["ours_s"],
                "plastimatch_volume_zyx": list(r["volume_shape_zyx"]),
            }
        )
        if r["ncc"] < 0.98 or abs(r["slope"] - 1) > 0.03:
            failed.append("plastimatch agreement")
    else:
        results["plastimatch"] = "not installed"
    targets = {
        "frame_cached_512": 20.0,
        "anatomy_rerender_512": 100.0,
        "control_carm_256": 50.0,
        "control_needle_256": 50.0,
    }
    for k, lim in targets.items():
        if results[k] > lim:
            failed.append(f"{k} {results[k]:.1f} ms > {lim} ms")
    print(f"{'measure':45s} {'value':>10s}  target")
    for k, v in results.items():
        tgt = f"<= {targets[k]:g} ms" if k in targets else ""
        print(
            f"{k:45s} {v if isinstance(v, str) else (f'{v:10.2f}' if not isinstance(v, list) else str(v)):>10}  {tgt}"
        )
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "fluoro.json").write_text(
        json.dumps({"results": results, "failed": failed, "threads": 1}, indent=2)
    )
    if failed:
        print("MISSED:", "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
