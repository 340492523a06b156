"""Our analytic DRR against ``plastimatch drr`` at 256^2 and 512^2, paired runs, one thread each.

The volume is voxelised once (2.5 mm, as in bench_fluoro.py); each pair then times one
plastimatch run (whole process, and its own "Total time", which leaves out start-up and
loading the volume) and one uncached analytic line-integral render of the same view and body.
The ratio is taken pair by pair. Image agreement (NCC, least-squares slope) per size.

Run alone: .venv/bin/python benchmarks/bench_plastimatch.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

TOTAL_RE = re.compile(r"Total time:\s*([0-9.eE+-]+)\s*sec")


def parse_total_time(stdout: str) -> float | None:
    """plastimatch's own 'Total time: X secs' (seconds), or None."""
    m = TOTAL_RE.search(stdout)
    return float(m.group(1)) if m else None


def bench_plastimatch(sizes=(256, 512), pairs: int = 5, spacing_mm: float = 2.5,
                      extent_mm=(400.0, 270.0, 200.0), log=print) -> dict:
    if shutil.which("plastimatch") is None:
        return {"error": "plastimatch not installed (Debian package 'plastimatch')"}
    from fluorohip.fluoro import CArm, Scene
    from fluorohip.fluoro.export import (clip_terms_z, ls_slope, mu_to_hu, ncc, plastimatch_command, read_pfm,
                                         voxelise, write_mha)
    from fluorohip.fluoro.projector import line_integral, material_maps

    phantom = Scene().phantom
    shape = tuple(int(round(e / spacing_mm)) for e in extent_mm[::-1])  # z, y, x
    centre = (phantom.body_centre[0], phantom.body_centre[1], 0.0)
    out: dict = {"volume_zyx": list(shape), "spacing_mm": spacing_mm, "threads": 1, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-pm-") as d:
        vol, origin = voxelise(phantom, shape, spacing_mm, centre)
        mha = write_mha(Path(d) / "phantom_hu.mha", mu_to_hu(vol), spacing_mm, origin)
        z_lo = origin[2] - spacing_mm / 2
        z_hi = origin[2] + (shape[0] - 0.5) * spacing_mm
        terms = clip_terms_z(phantom.terms, z_lo, z_hi)
        env = dict(os.environ, OMP_NUM_THREADS="1")
        for n in sizes:
            carm = CArm(pixels=n)
            prefix = str(Path(d) / f"drr{n}_")
            cmd = plastimatch_command(carm, str(mha), prefix)
            ours_img = line_integral(material_maps(carm, terms), phantom.mu)  # warm imports/allocations
            rec = {"pm_wall_ms": [], "pm_self_ms": [], "ours_ms": [], "ratio_wall": [], "ratio_self": []}
            for _ in range(pairs):
                t0 = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
                pm_wall = (time.perf_counter() - t0) * 1000
                pm_self = parse_total_time(proc.stdout)
                t0 = time.perf_counter()
                ours_img = line_integral(material_maps(carm, terms), phantom.mu)
                ours = (time.perf_counter() - t0) * 1000
                rec["pm_wall_ms"].append(pm_wall)
                rec["ours_ms"].append(ours)
                rec["ratio_wall"].append(pm_wall / ours)
                if pm_self is not None:
                    rec["pm_self_ms"].append(pm_self * 1000)
                    rec["ratio_self"].append(pm_self * 1000 / ours)
            drr = read_pfm(prefix + "0000.pfm")
            mask = ours_img > 0.5
            rec["ncc"] = ncc(ours_img, drr, mask)
            rec["slope"] = ls_slope(ours_img, drr, mask)
            out["sizes"][str(n)] = rec
            log(f"  plastimatch {n}^2: wall {sorted(rec['pm_wall_ms'])[pairs // 2]:.0f} ms, own "
                f"{(sorted(rec['pm_self_ms'])[pairs // 2] if rec['pm_self_ms'] else float('nan')):.0f} ms; "
                f"ours {sorted(rec['ours_ms'])[pairs // 2]:.1f} ms; NCC {rec['ncc']:.4f}, slope {rec['slope']:.3f}")
    return out


THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bench_plastimatch_subprocess(pairs: int = 5, log=print) -> dict:
    """Run :func:`bench_plastimatch` in a fresh interpreter whose numpy/BLAS use one thread."""
    import json
    import sys

    proc = subprocess.run([sys.executable, __file__, "--pairs", str(pairs), "--json"], capture_output=True,
                          text=True, env={**os.environ, **THREAD_ENV})
    for line in proc.stderr.splitlines():
        if line.startswith("  plastimatch"):
            log(line)
    if proc.returncode != 0:
        raise RuntimeError(f"bench_plastimatch.py exited {proc.returncode}: "
                           f"{(proc.stderr.strip().splitlines() or [''])[-1][:300]}")
    return json.loads(proc.stdout)


if __name__ == "__main__":
    import argparse
    import json
    import sys

    for k, v in THREAD_ENV.items():  # before numpy is imported (inside bench_plastimatch)
        os.environ.setdefault(k, v)
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="full JSON on stdout, progress on stderr")
    args = ap.parse_args()
    res = bench_plastimatch(pairs=args.pairs, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(res) if args.json else json.dumps(res, indent=1)[:3000])
