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


def voxelise(
    phantom: HipPhantom,
    shape: tuple[int, int, int],
    spacing_mm: float,
    centre_mm=(0.0, 0.0, 0.0),
    subsamples: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
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
        vol[iz] = acc / subsamples**3
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


def plastimatch_command(
    carm: CArm, mha: str, prefix: str, preprocess: str = "preprocess"
) -> list[str]:
    n = carm.n
    _e_c, e_r = carm.axes
    vup = -e_r
    size = carm.field_mm
    return [
        "plastimatch",
        "drr",
        "-A",
        "cpu",
        "-i",
        "exact",
        "-P",
        preprocess,
        "-t",
        "pfm",
        "--sad",
        f"{carm.sod_mm:g}",
        "--sid",
        f"{carm.sid_mm:g}",
        "-r",
        f"{carm.pixels} {carm.pixels}",
        "-z",
        f"{size:g} {size:g}",
        "-n",
        f"{n[0]:.6f} {n[1]:.6f} {n[2]:.6f}",
        "--vup",
        f"{vup[0]:.6f} {vup[1]:.6f} {vup[2]:.6f}",
        "-o",
        " ".join(f"{c:g}" for c in carm.isocentre_mm),
        "-s",
        "10",
        "-O",
        prefix,
        mha,
    ]


def run_plastimatch_drr(
    carm: CArm, mha: Path, workdir: Path, threads: int = 1
) -> tuple[np.ndarray, str]:
    """Run ``plastimatch drr``; returns (line-integral image, stdout)."""
    if shutil.which("plastimatch") is None:
        raise FileNotFoundError("plastimatch is not installed (Debian package 'plastimatch')")
    prefix = str(Path(workdir) / "drr_")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(
        plastimatch_command(carm, str(mha), prefix),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
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

    return tuple(
        Term(t.prim.clip((0, 0, 1), z_hi).clip((0, 0, -1), -z_lo), t.weights) for t in terms
    )


#: a voxel box (mm) holding every ray of AP and moderate oblique/tilted views that meets the body
BOX_LO, BOX_HI = (-160.0, -100.0, -150.0), (180.0, 120.0, 150.0)


def compare_with_plastimatch(
    phantom: HipPhantom, carm: CArm, workdir, spacing_mm: float = 2.5, threads: int = 1
) -> dict:
    """Voxelise (bones exactly, soft tissue sampled), run plastimatch, compare with our 50 keV DRR.

    The box is large enough that no ray meeting the body leaves it, so nothing is clipped.
    """
    import time

    from .scene import anatomy_line_integral

    workdir = Path(workdir)
    lo, hi = np.array(BOX_LO), np.array(BOX_HI)
    nz, ny, nx = (int(x) for x in np.round((hi - lo) / spacing_mm)[::-1])
    shape = (nz, ny, nx)
    origin = lo + spacing_mm / 2
    t0 = time.perf_counter()
    vol = voxelise_real(phantom, shape, spacing_mm, origin)
    t_vox = time.perf_counter() - t0
    mha = write_mha(workdir / "phantom_mu.mha", vol, spacing_mm, origin)
    drr, t_pm = run_plastimatch_mu(carm, mha, workdir, threads=threads)
    t0 = time.perf_counter()
    ours = np.asarray(anatomy_line_integral(phantom, carm))
    t_ours = time.perf_counter() - t0
    mask = ours > 0.5
    return {
        "ncc": ncc(ours, drr, mask),
        "slope": ls_slope(ours, drr, mask),
        "mean_abs_diff": float(np.abs(ours - drr)[mask].mean()),
        "median_rel_diff": float(np.median(np.abs(ours - drr)[mask] / ours[mask])),
        "plastimatch_s": t_pm,
        "ours_s": t_ours,
        "voxelise_s": t_vox,
        "volume_shape_zyx": shape,
        "spacing_mm": spacing_mm,
        "threads": threads,
        "ours": ours,
        "plastimatch": drr,
    }


# --- real-bone phantom: exact voxelisation of the meshes, comparison with plastimatch -----------


def voxelise_real(
    phantom: HipPhantom,
    shape: tuple[int, int, int],
    spacing_mm: float,
    origin_mm,
    bone_only: bool = False,
    subsamples: int = 2,
) -> np.ndarray:
    """mu (1/mm) on a grid [z, y, x] whose voxel (0,0,0) centre is ``origin_mm``.

    Bone surfaces are voxelised exactly along z (winding-number occupancy integrated over each
    voxel's z-interval) on ``subsamples``^2 columns per voxel in x and y; the analytic soft
    tissue terms are point-sampled on ``subsamples``^3 points per voxel. ``bone_only`` keeps
    the meshed bones alone (cortical and cancellous mu, nothing else).
    """
    from .meshproj import TriangleBins
    from .meshvox import column_occupancy
    from .phantom import MeshPiece

    nz, ny, nx = shape
    origin = np.asarray(origin_mm, dtype=np.float64)
    offs = (np.arange(subsamples) + 0.5) / subsamples - 0.5
    xs = origin[0] + np.arange(nx) * spacing_mm
    ys = origin[1] + np.arange(ny) * spacing_mm
    vol = np.zeros((ny, nx, nz), dtype=np.float32)  # z last while accumulating columns
    mu = phantom.mu
    w_out = mu["cortical"] if bone_only else mu["cortical"] - mu["muscle"]
    w_in = mu["cancellous"] - mu["cortical"]
    for piece in phantom.regions["bone"]:
        if not isinstance(piece, MeshPiece):
            continue
        for which, w in (("outer", w_out), ("inner", w_in)):
            tb = TriangleBins(piece.mesh.triangles(which))
            for dy in offs:
                for dx in offs:
                    occ = column_occupancy(
                        tb.tris,
                        tb.start,
                        tb.index,
                        tb.lo,
                        tb.cell,
                        tb.shape[0],
                        tb.shape[1],
                        xs + dx * spacing_mm,
                        ys + dy * spacing_mm,
                        float(origin[2]),
                        float(spacing_mm),
                        nz,
                    )
                    occ *= np.float32(w / subsamples**2)
                    vol += occ
    vol = np.ascontiguousarray(np.moveaxis(vol, 2, 0))
    if bone_only:
        return vol
    terms = phantom.terms
    for iz in range(nz):
        z = origin[2] + iz * spacing_mm
        acc = np.zeros((ny, nx))
        for dz in offs:
            for dy in offs:
                for dx in offs:
                    yy, xx = np.meshgrid(ys + dy * spacing_mm, xs + dx * spacing_mm, indexing="ij")
                    pts = np.stack([xx, yy, np.full_like(xx, z + dz * spacing_mm)], axis=-1)
                    for t in terms:
                        w = sum(wt * mu[m] for m, wt in t.weights)
                        acc += w * t.prim.contains(pts)
        vol[iz] += (acc / subsamples**3).astype(np.float32)
    return vol


def run_plastimatch_mu(
    carm: CArm, mha: Path, workdir: Path, threads: int = 1
) -> tuple[np.ndarray, float]:
    """``plastimatch drr -P none`` on a mu volume: (line integrals, wall-clock seconds incl. start-up)."""
    import time

    if shutil.which("plastimatch") is None:
        raise FileNotFoundError("plastimatch is not installed (Debian package 'plastimatch')")
    prefix = str(Path(workdir) / "drr_")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    t0 = time.perf_counter()
    subprocess.run(
        plastimatch_command(carm, str(mha), prefix, preprocess="none"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    dt = time.perf_counter() - t0
    return read_pfm(prefix + "0000.pfm"), dt


def high_pass(img: np.ndarray, sigma_px: float = 2.0) -> np.ndarray:
    """Image minus its Gaussian blur: the edges an NCC on edges compares."""
    from .imaging import gaussian_blur

    img = np.asarray(img, dtype=np.float32)
    return img - gaussian_blur(img, sigma_px)
