"""Export the phantom as a 3-D image and compare with an independent DRR engine.

``voxelise`` averages mu over 2x2x2 sub-samples per voxel. ``write_mha`` writes an
uncompressed MetaImage (float32, LPS, x fastest). HU are an exchange code chosen so that
plastimatch's mapping ``mu = 0.022 (1 + HU/1000)`` per mm recovers our mu exactly
[@Sharp2010]; plastimatch zeroes mu for HU <= -800, so voxels under 0.0044 /mm (partial
-volume skin edges) are written as air. plastimatch divides its sum by 10 ("mm to cm"),
hence ``-s 10`` in :func:`plastimatch_command`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np

from .constants import value
from .geometry import CArm
from .phantom import HipPhantom


def voxelise(phantom: HipPhantom, shape: tuple[int, int, int], spacing_mm: float,
             centre_mm=(0.0, 0.0, 0.0), subsamples: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """mu (1/mm) on a grid, indexed [z, y, x]; returns (volume, origin_mm of voxel (0,0,0))."""
    nz, ny, nx = shape
    centre = np.asarray(centre_mm, dtype=np.float64)
    origin = centre - (np.array([nx, ny, nz]) - 1) / 2.0 * spacing_mm
    offs = (np.arange(subsamples) + 0.5) / subsamples - 0.5
    vol = np.zeros(shape, dtype=np.float32)
    xs = origin[0] + np.arange(nx) * spacing_mm
    ys = origin[1] + np.arange(ny) * spacing_mm
    for iz in range(nz):
        z = origin[2] + iz * spacing_mm
        acc = np.zeros((ny, nx))
        for dz in offs:
            for dy in offs:
                for dx in offs:
                    yy, xx = np.meshgrid(ys + dy * spacing_mm, xs + dx * spacing_mm, indexing="ij")
                    pts = np.stack([xx, yy, np.full_like(xx, z + dz * spacing_mm)], axis=-1)
                    acc += phantom.mu_at(pts)
        vol[iz] = acc / subsamples ** 3
    return vol, origin


def mu_to_hu(mu_per_mm: np.ndarray) -> np.ndarray:
    """Exchange HU for plastimatch: 1000 (mu/0.022 - 1); voxels below 0.0044 /mm become air."""
    mw = value("mu_water_plastimatch_per_mm")
    hu = 1000.0 * (mu_per_mm / mw - 1.0)
    hu[mu_per_mm < 0.2 * mw] = -1000.0
    return hu.astype(np.float32)


def write_mha(path, volume_zyx: np.ndarray, spacing_mm: float, origin_mm) -> Path:
    """Uncompressed MetaImage, MET_FLOAT, identity direction, x fastest."""
    path = Path(path)
    nz, ny, nx = volume_zyx.shape
    header = (
        "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
        "CompressedData = False\nTransformMatrix = 1 0 0 0 1 0 0 0 1\n"
        f"Offset = {origin_mm[0]:.6f} {origin_mm[1]:.6f} {origin_mm[2]:.6f}\n"
        "CenterOfRotation = 0 0 0\nAnatomicalOrientation = RAI\n"
        f"ElementSpacing = {spacing_mm:.6f} {spacing_mm:.6f} {spacing_mm:.6f}\n"
        f"DimSize = {nx} {ny} {nz}\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n"
    )
    with open(path, "wb") as fh:
        fh.write(header.encode("ascii"))
        fh.write(np.ascontiguousarray(volume_zyx, dtype="<f4").tobytes())
    return path


def read_pfm(path) -> np.ndarray:
    """Read a grey PFM as written by plastimatch (rows in file order, from the v-up side)."""
    data = Path(path).read_bytes()
    parts = data.split(b"\n", 3)
    if parts[0].strip() != b"Pf":
        raise ValueError(f"path must be a greyscale PFM ('Pf'); got header {parts[0][:10]!r}")
    w, h = (int(x) for x in parts[1].split())
    scale = float(parts[2])
    dtype = "<f4" if scale < 0 else ">f4"
    arr = np.frombuffer(parts[3][: w * h * 4], dtype=dtype).reshape(h, w)
    return arr.astype(np.float32)


def plastimatch_command(carm: CArm, mha: str, prefix: str, preprocess: str = "preprocess") -> list[str]:
    n = carm.n
    e_c, e_r = carm.axes
    vup = -e_r
    size = carm.field_mm
    return ["plastimatch", "drr", "-A", "cpu", "-i", "exact", "-P", preprocess, "-t", "pfm",
            "--sad", f"{carm.sod_mm:g}", "--sid", f"{carm.sid_mm:g}",
            "-r", f"{carm.pixels} {carm.pixels}", "-z", f"{size:g} {size:g}",
            "-n", f"{n[0]:.6f} {n[1]:.6f} {n[2]:.6f}", "--vup", f"{vup[0]:.6f} {vup[1]:.6f} {vup[2]:.6f}",
            "-o", " ".join(f"{c:g}" for c in carm.isocentre_mm), "-s", "10", "-O", prefix, mha]


def run_plastimatch_drr(carm: CArm, mha: Path, workdir: Path, threads: int = 1) -> tuple[np.ndarray, str]:
    """Run ``plastimatch drr``; returns (line-integral image, stdout)."""
    if shutil.which("plastimatch") is None:
        raise FileNotFoundError("plastimatch is not installed (Debian package 'plastimatch')")
    prefix = str(Path(workdir) / "drr_")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(plastimatch_command(carm, str(mha), prefix), capture_output=True, text=True,
                          env=env, check=True)
    return read_pfm(prefix + "0000.pfm"), proc.stdout


def ncc(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Normalised cross-correlation over ``mask``."""
    if mask is not None:
        a, b = a[mask], b[mask]
    a = a.astype(np.float64) - a.mean()
    b = b.astype(np.float64) - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def ls_slope(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Least-squares slope of b on a (through the means)."""
    if mask is not None:
        a, b = a[mask], b[mask]
    a = a.astype(np.float64) - a.mean()
    b = b.astype(np.float64) - b.mean()
    return float((a * b).sum() / (a * a).sum())


def clip_terms_z(terms, z_lo: float, z_hi: float):
    """The phantom's terms clipped to a z-slab (to match a finite voxel volume)."""
    from .phantom import Term

    return tuple(Term(t.prim.clip((0, 0, 1), z_hi).clip((0, 0, -1), -z_lo), t.weights) for t in terms)


def compare_with_plastimatch(phantom: HipPhantom, carm: CArm, workdir, spacing_mm: float = 2.5,
                             extent_mm=(400.0, 270.0, 200.0), threads: int = 1) -> dict:
    """Voxelise, run plastimatch, and compare with the analytic DRR of the same (z-clipped) body."""
    import time

    from .projector import line_integral, material_maps

    workdir = Path(workdir)
    shape = tuple(int(round(e / spacing_mm)) for e in extent_mm[::-1])  # z, y, x
    centre = (phantom.body_centre[0], phantom.body_centre[1], 0.0)
    t0 = time.perf_counter()
    vol, origin = voxelise(phantom, shape, spacing_mm, centre)
    t_vox = time.perf_counter() - t0
    mha = write_mha(workdir / "phantom_hu.mha", mu_to_hu(vol), spacing_mm, origin)
    t0 = time.perf_counter()
    drr, _ = run_plastimatch_drr(carm, mha, workdir, threads=threads)
    t_pm = time.perf_counter() - t0
    z_lo = origin[2] - spacing_mm / 2
    z_hi = origin[2] + (shape[0] - 0.5) * spacing_mm
    terms = clip_terms_z(phantom.terms, z_lo, z_hi)
    t0 = time.perf_counter()
    ours = line_integral(material_maps(carm, terms), phantom.mu)
    t_ours = time.perf_counter() - t0
    mask = ours > 0.5
    return {
        "ncc": ncc(ours, drr, mask), "slope": ls_slope(ours, drr, mask),
        "mean_abs_diff": float(np.abs(ours - drr)[mask].mean()),
        "median_rel_diff": float(np.median(np.abs(ours - drr)[mask] / ours[mask])),
        "plastimatch_s": t_pm, "ours_s": t_ours, "voxelise_s": t_vox,
        "volume_shape_zyx": shape, "spacing_mm": spacing_mm, "threads": threads,
        "ours": ours, "plastimatch": drr,
    }
