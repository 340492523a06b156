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


def bench_plastimatch(
    sizes=(256, 512),
    pairs: int = 5,
    spacing_mm: float = 2.5,
    extent_mm=(400.0, 270.0, 200.0),
    log=print,
) -> dict:
    if shutil.which("plastimatch") is None:
        return {"error": "plastimatch not installed (Debian package 'plastimatch')"}
    from fluorohip.fluoro import CArm, Scene
    from fluorohip.fluoro.export import (
        clip_terms_z,
        ls_slope,
        mu_to_hu,
        ncc,
        plastimatch_command,
        read_pfm,
        voxelise,
        write_mha,
    )
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
            ours_img = line_integral(
                material_maps(carm, terms), phantom.mu
            )  # warm imports/allocations
            rec = {
                "pm_wall_ms": [],
                "pm_self_ms": [],
                "ours_ms": [],
                "ratio_wall": [],
                "ratio_self": [],
            }
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
            log(
                f"  plastimatch {n}^2: wall {sorted(rec['pm_wall_ms'])[pairs // 2]:.0f} ms, own "
                f"{(sorted(rec['pm_self_ms'])[pairs // 2] if rec['pm_self_ms'] else float('nan')):.0f} ms; "
                f"ours {sorted(rec['ours_ms'])[pairs // 2]:.1f} ms; NCC {rec['ncc']:.4f}, slope {rec['slope']:.3f}"
            )
    return out


POSES = (
    {"rotation_deg": 0.0, "tilt_deg": 0.0},
    {"rotation_deg": 20.0, "tilt_deg": 0.0},
    {"rotation_deg": -15.0, "tilt_deg": -15.0},
)
#: the voxel box (mm, patient frame): every ray of the three poses that meets the body stays in it
BOX_LO, BOX_HI = (-160.0, -100.0, -150.0), (180.0, 120.0, 150.0)


def bench_real_bone(
    spacings=(1.25, 0.625), pixels: int = 512, threads=(1, 2), repeats: int = 3, log=print
) -> dict:
    """Real-bone phantom against ``plastimatch drr -P none`` on exact voxelised copies.

    For each voxel size: the whole anatomy (soft tissue + bones) and the bones alone are
    voxelised (bone surfaces exactly along z on 2x2 columns per voxel; soft tissue on 2^3 points
    per voxel, 1 at 0.625 mm), written as mu and projected by plastimatch at the same geometry,
    three poses. Reported per pose: NCC and least-squares slope of total and bone-alone line
    integrals, and NCC of their high-pass (edge) images. Speed: plastimatch wall time (whole
    process) and its own 'Total time' against our uncached re-projection of the same view
    (anatomy of the pose from scratch), at equal OpenMP/numba threads, 1 and 2.
    """
    import numpy as np

    if shutil.which("plastimatch") is None:
        return {"error": "plastimatch not installed (Debian package 'plastimatch')"}
    from fluorohip.fluoro import CArm, HipPhantom
    from fluorohip.fluoro.export import (
        high_pass,
        ls_slope,
        ncc,
        plastimatch_command,
        read_pfm,
        voxelise_real,
        write_mha,
    )
    from fluorohip.fluoro.projector import line_integral_map

    ph = HipPhantom()
    lo, hi = np.array(BOX_LO), np.array(BOX_HI)
    out = {
        "pixels": pixels,
        "poses": list(POSES),
        "box_mm": [list(BOX_LO), list(BOX_HI)],
        "spacings": {},
    }

    def ours(carm, th):
        return line_integral_map(carm, ph.terms, ph.mu) + ph.bone_line_integral(carm, threads=th)

    for sp in spacings:
        shape = tuple(int(x) for x in np.round((hi - lo) / sp)[::-1])
        origin = lo + sp / 2
        t0 = time.perf_counter()
        vb = voxelise_real(ph, shape, sp, origin, bone_only=True)
        vt = voxelise_real(ph, shape, sp, origin, subsamples=2 if sp > 1.0 else 1)
        rec = {
            "volume_zyx": list(shape),
            "voxels_m": float(np.prod(shape)) / 1e6,
            "voxelise_s": time.perf_counter() - t0,
            "poses": [],
            "speed": {},
        }
        with tempfile.TemporaryDirectory(prefix="fluorohip-bench-rb-") as d:
            mt = write_mha(Path(d) / "total.mha", vt, sp, origin)
            mb = write_mha(Path(d) / "bone.mha", vb, sp, origin)
            del vt, vb
            for pose in POSES:
                carm = CArm(pixels=pixels, **pose)
                row = {"pose": pose}
                for name, mha in (("total", mt), ("bone", mb)):
                    prefix = str(Path(d) / f"{name}_")
                    subprocess.run(
                        plastimatch_command(carm, str(mha), prefix, preprocess="none"),
                        capture_output=True,
                        text=True,
                        env=dict(os.environ, OMP_NUM_THREADS="2"),
                        check=True,
                    )
                    pm = read_pfm(prefix + "0000.pfm")
                    if name == "total":
                        a = ours(carm, 1)
                        mask = a > 0.5
                    else:
                        m = ph.bone_material_maps(carm, threads=1)
                        a = (
                            ph.mu["cortical"] * m["cortical"]
                            + ph.mu["cancellous"] * m["cancellous"]
                        )
                        mask = a > 0.05
                    row[name] = {
                        "ncc": ncc(a, pm, mask),
                        "slope": ls_slope(a, pm, mask),
                        "edge_ncc": ncc(high_pass(a), high_pass(pm), mask),
                    }
                rec["poses"].append(row)
                log(
                    f"  {sp} mm {pose}: total NCC {row['total']['ncc']:.4f} slope {row['total']['slope']:.4f} "
                    f"edge {row['total']['edge_ncc']:.3f}; bone NCC {row['bone']['ncc']:.4f} slope "
                    f"{row['bone']['slope']:.4f} edge {row['bone']['edge_ncc']:.3f}"
                )
            for th in threads:
                carm = CArm(pixels=pixels, **POSES[1])
                cmd = plastimatch_command(carm, str(mt), str(Path(d) / "spd_"), preprocess="none")
                pm_wall, pm_self, our = [], [], []
                ours(carm, th)
                for i in range(repeats):
                    t0 = time.perf_counter()
                    proc = subprocess.run(
                        cmd,
                        capture_output=True,
                        text=True,
                        env=dict(os.environ, OMP_NUM_THREADS=str(th)),
                        check=True,
                    )
                    pm_wall.append((time.perf_counter() - t0) * 1000)
                    tt = parse_total_time(proc.stdout)
                    if tt is not None:
                        pm_self.append(tt * 1000)
                    c2 = CArm(pixels=pixels, rotation_deg=POSES[1]["rotation_deg"] + 0.01 * (i + 1))
                    t0 = time.perf_counter()
                    ours(c2, th)
                    our.append((time.perf_counter() - t0) * 1000)
                med = lambda x: sorted(x)[len(x) // 2] if x else float("nan")  # noqa: E731
                rec["speed"][str(th)] = {
                    "pm_wall_ms": pm_wall,
                    "pm_self_ms": pm_self,
                    "ours_ms": our,
                    "ratio_wall": med(pm_wall) / med(our),
                    "ratio_self": med(pm_self) / med(our) if pm_self else None,
                }
                log(
                    f"  {sp} mm, {th} thread(s): plastimatch wall {med(pm_wall):.0f} ms (own {med(pm_self):.0f}); "
                    f"ours {med(our):.1f} ms; ratio {med(pm_wall) / med(our):.1f}x wall"
                )
        out["spacings"][str(sp)] = rec
    return out


THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bench_plastimatch_subprocess(pairs: int = 5, log=print) -> dict:
    """Run :func:`bench_plastimatch` in a fresh interpreter whose numpy/BLAS use one thread."""
    import json
    import sys

    proc = subprocess.run(
        [sys.executable, __file__, "--pairs", str(pairs), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **THREAD_ENV},
    )
    for line in proc.stderr.splitlines():
        if line.startswith("  plastimatch"):
            log(line)
    if proc.returncode != 0:
        raise RuntimeError(
            f"bench_plastimatch.py exited {proc.returncode}: "
            f"{(proc.stderr.strip().splitlines() or [''])[-1][:300]}"
        )
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
    ap.add_argument(
        "--real-bone",
        nargs="*",
        type=float,
        default=None,
        help="run the real-bone validation at these voxel sizes (mm) instead",
    )
    args = ap.parse_args()
    if args.real_bone is not None:
        res = bench_real_bone(
            spacings=tuple(args.real_bone) or (1.25, 0.625),
            log=lambda m: print(m, file=sys.stderr, flush=True),
        )
        print(json.dumps(res) if args.json else json.dumps(res, indent=1)[:6000])
        sys.exit(0)
    res = bench_plastimatch(pairs=args.pairs, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(res) if args.json else json.dumps(res, indent=1)[:3000])
