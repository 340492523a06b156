"""Optional JIT-compiled mesh rasteriser (numba): the same scan conversion as :mod:`.meshproj`.

Why it is optional: numba's LLVM costs about 90 MB of resident memory in the kernel (issue 21
caps notebook 05 at 250 MB), so the default renderer is the numpy rasteriser of
:mod:`.meshproj`. This one is 3-5x faster per C-arm pose and can run on several threads; set
``FLUOROHIP_RENDERER=numba`` (for example on a machine with memory to spare, or for the
plastimatch speed comparison at equal threads) and :func:`.meshproj.project_mesh` and
:func:`.meshproj.project_mesh2` use it. Same half-open span rule, so both give the same image
to rounding (``tests/fluoro/test_meshproj_backends.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit, prange


def _max_threads() -> int:
    """numba's thread limit (its config module is untyped: read by name)."""
    return int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))


@njit(cache=True, parallel=True)
def _setup(verts, faces, src, w0, e_c, e_r, n_vec, sid, pix, npx, px, py, ok, plane):
    """Project vertices to pixel coordinates; per face the plane terms of t = k / (a0 + a1 col + a2 row)."""
    c0 = (npx - 1) / 2.0
    for i in prange(verts.shape[0]):
        dx = verts[i, 0] - src[0]
        dy = verts[i, 1] - src[1]
        dz = verts[i, 2] - src[2]
        depth = -(dx * n_vec[0] + dy * n_vec[1] + dz * n_vec[2])
        if depth <= 1e-6:
            ok[i] = False
            continue
        ok[i] = True
        s = sid / depth
        px[i] = (dx * e_c[0] + dy * e_c[1] + dz * e_c[2]) * s / pix + c0
        py[i] = (dx * e_r[0] + dy * e_r[1] + dz * e_r[2]) * s / pix + c0
    for f in prange(faces.shape[0]):
        i0, i1, i2 = faces[f, 0], faces[f, 1], faces[f, 2]
        ux = verts[i1, 0] - verts[i0, 0]
        uy = verts[i1, 1] - verts[i0, 1]
        uz = verts[i1, 2] - verts[i0, 2]
        vx = verts[i2, 0] - verts[i0, 0]
        vy = verts[i2, 1] - verts[i0, 1]
        vz = verts[i2, 2] - verts[i0, 2]
        nx = uy * vz - uz * vy
        ny = uz * vx - ux * vz
        nz = ux * vy - uy * vx
        plane[f, 0] = (
            nx * (verts[i0, 0] - src[0])
            + ny * (verts[i0, 1] - src[1])
            + nz * (verts[i0, 2] - src[2])
        )
        nec = (nx * e_c[0] + ny * e_c[1] + nz * e_c[2]) * pix
        ner = (nx * e_r[0] + ny * e_r[1] + nz * e_r[2]) * pix
        plane[f, 1] = nx * w0[0] + ny * w0[1] + nz * w0[2] - c0 * (nec + ner)
        plane[f, 2] = nec
        plane[f, 3] = ner


@njit(cache=True, parallel=True)
def _raster(faces, weights, px, py, ok, plane, npx, t_ref, out, nbands):
    """Scan-convert every face (half-open spans: a shared edge or vertex is counted once) and
    accumulate w * (+-t - t_ref) per covered pixel; rows are split into ``nbands`` bands."""
    band = (npx + nbands - 1) // nbands
    for b in prange(nbands):
        r_lo = b * band
        r_hi = min(npx, r_lo + band)
        for f in range(faces.shape[0]):
            w = weights[f]
            i0, i1, i2 = faces[f, 0], faces[f, 1], faces[f, 2]
            if w == 0.0 or not (ok[i0] and ok[i1] and ok[i2]):
                continue
            # sort the vertices by (y, x): top, middle, bottom -- the same order from either face of an edge
            ax, ay, bx, by, cx, cy = px[i0], py[i0], px[i1], py[i1], px[i2], py[i2]
            if by < ay or (by == ay and bx < ax):
                ax, ay, bx, by = bx, by, ax, ay
            if cy < by or (cy == by and cx < bx):
                bx, by, cx, cy = cx, cy, bx, by
                if by < ay or (by == ay and bx < ax):
                    ax, ay, bx, by = bx, by, ax, ay
            row0 = max(r_lo, int(math.ceil(ay)))
            row1 = min(r_hi, int(math.ceil(cy)))  # exclusive
            if row0 >= row1 or cy == ay:
                continue
            k_num = plane[f, 0]
            a0 = plane[f, 1]
            nec = plane[f, 2]
            ner = plane[f, 3]
            sl = (cx - ax) / (cy - ay)
            for row in range(row0, row1):
                fy = float(row)
                x_long = ax + (fy - ay) * sl
                if fy < by:
                    x_short = ax + (fy - ay) * (bx - ax) / (by - ay)
                else:
                    if cy == by:
                        continue
                    x_short = bx + (fy - by) * (cx - bx) / (cy - by)
                xl = min(x_long, x_short)
                xr = max(x_long, x_short)
                col0 = max(0, int(math.ceil(xl)))
                col1 = min(npx, int(math.ceil(xr)))  # exclusive
                if col0 >= col1:
                    continue
                nd = a0 + ner * fy + nec * col0
                for col in range(col0, col1):
                    if nd != 0.0:
                        t = k_num / nd
                        if nd > 0.0:
                            out[row, col] += w * (t - t_ref)
                        else:
                            out[row, col] -= w * (t - t_ref)
                    nd += nec


@njit(cache=True, parallel=True)
def _raster2(faces, weights, px, py, ok, plane, npx, t_ref, out, nbands):
    """As :func:`_raster` with two weighted channels: out[c] += weights[f, c] * (+-t - t_ref)."""
    band = (npx + nbands - 1) // nbands
    for b in prange(nbands):
        r_lo = b * band
        r_hi = min(npx, r_lo + band)
        for f in range(faces.shape[0]):
            w0 = weights[f, 0]
            w1 = weights[f, 1]
            i0, i1, i2 = faces[f, 0], faces[f, 1], faces[f, 2]
            if not (ok[i0] and ok[i1] and ok[i2]):
                continue
            ax, ay, bx, by, cx, cy = px[i0], py[i0], px[i1], py[i1], px[i2], py[i2]
            if by < ay or (by == ay and bx < ax):
                ax, ay, bx, by = bx, by, ax, ay
            if cy < by or (cy == by and cx < bx):
                bx, by, cx, cy = cx, cy, bx, by
                if by < ay or (by == ay and bx < ax):
                    ax, ay, bx, by = bx, by, ax, ay
            row0 = max(r_lo, int(math.ceil(ay)))
            row1 = min(r_hi, int(math.ceil(cy)))
            if row0 >= row1 or cy == ay:
                continue
            k_num = plane[f, 0]
            a0 = plane[f, 1]
            nec = plane[f, 2]
            ner = plane[f, 3]
            sl = (cx - ax) / (cy - ay)
            for row in range(row0, row1):
                fy = float(row)
                x_long = ax + (fy - ay) * sl
                if fy < by:
                    x_short = ax + (fy - ay) * (bx - ax) / (by - ay)
                else:
                    if cy == by:
                        continue
                    x_short = bx + (fy - by) * (cx - bx) / (cy - by)
                xl = min(x_long, x_short)
                xr = max(x_long, x_short)
                col0 = max(0, int(math.ceil(xl)))
                col1 = min(npx, int(math.ceil(xr)))
                if col0 >= col1:
                    continue
                nd = a0 + ner * fy + nec * col0
                for col in range(col0, col1):
                    if nd != 0.0:
                        t = k_num / nd - t_ref
                        if nd < 0.0:
                            t = -t
                        out[0, row, col] += w0 * t
                        out[1, row, col] += w1 * t
                    nd += nec


def project_mesh2(carm, verts, faces, weights2, threads: int | None = None) -> np.ndarray:
    """Two weighted path-length images in one pass: (2, n, n) float32 (weights2 is (F, 2))."""
    npx = carm.pixels
    src, w0, e_c, e_r = (np.ascontiguousarray(a, dtype=np.float64) for a in carm.ray_frame())
    n_vec = np.ascontiguousarray(carm.n, dtype=np.float64)
    verts = np.ascontiguousarray(verts, dtype=np.float64)
    faces = np.ascontiguousarray(faces, dtype=np.int64)
    px = np.empty(len(verts))
    py = np.empty(len(verts))
    ok = np.empty(len(verts), dtype=np.bool_)
    plane = np.empty((len(faces), 4))
    acc = np.zeros((2, npx, npx), dtype=np.float64)
    old = numba.get_num_threads()
    nb = default_threads() if threads is None else max(1, min(int(threads), _max_threads()))
    numba.set_num_threads(nb)
    try:
        _setup(
            verts,
            faces,
            src,
            w0,
            e_c,
            e_r,
            n_vec,
            float(carm.sid_mm),
            float(carm.pixel_mm),
            npx,
            px,
            py,
            ok,
            plane,
        )
        _raster2(
            faces,
            np.ascontiguousarray(weights2, dtype=np.float64),
            px,
            py,
            ok,
            plane,
            npx,
            float(carm.sod_mm / carm.sid_mm),
            acc,
            nb,
        )
    finally:
        numba.set_num_threads(old)
    from .projector import ray_lengths

    acc *= ray_lengths(carm, np.float64)[None]
    return acc.astype(np.float32)


def default_threads() -> int:
    """Threads for a live frame: 1 unless FLUOROHIP_THREADS says otherwise.

    One thread is the predictable choice on a shared workshop machine (a spinning OpenMP
    team on an oversubscribed CPU is slower than one thread); benchmarks pass ``threads``.
    """
    import os

    try:
        n = int(os.environ.get("FLUOROHIP_THREADS", "1"))
    except ValueError:
        n = 1
    return max(1, min(n, _max_threads()))


def project_mesh(
    carm, verts: np.ndarray, faces: np.ndarray, weights: np.ndarray, threads: int | None = None
) -> np.ndarray:
    """sum_f w_f * chord_f (mm) per pixel for a closed mesh (or several): float32 image.

    ``verts`` (V, 3) mm, ``faces`` (F, 3) outward-wound, ``weights`` one per face (e.g. a
    material's mu difference, or 1 for a plain path length).
    """
    npx = carm.pixels
    src, w0, e_c, e_r = (np.ascontiguousarray(a, dtype=np.float64) for a in carm.ray_frame())
    n_vec = np.ascontiguousarray(carm.n, dtype=np.float64)
    verts = np.ascontiguousarray(verts, dtype=np.float64)
    faces = np.ascontiguousarray(faces, dtype=np.int64)
    px = np.empty(len(verts))
    py = np.empty(len(verts))
    ok = np.empty(len(verts), dtype=np.bool_)
    plane = np.empty((len(faces), 4))
    acc = np.zeros((npx, npx), dtype=np.float64)
    old = numba.get_num_threads()
    nb = default_threads() if threads is None else max(1, min(int(threads), _max_threads()))
    numba.set_num_threads(nb)
    try:
        _setup(
            verts,
            faces,
            src,
            w0,
            e_c,
            e_r,
            n_vec,
            float(carm.sid_mm),
            float(carm.pixel_mm),
            npx,
            px,
            py,
            ok,
            plane,
        )
        _raster(
            faces,
            np.ascontiguousarray(weights, dtype=np.float64),
            px,
            py,
            ok,
            plane,
            npx,
            float(carm.sod_mm / carm.sid_mm),
            acc,
            nb,
        )
    finally:
        numba.set_num_threads(old)
    from .projector import ray_lengths

    acc *= ray_lengths(carm, np.float64)
    return acc.astype(np.float32)
