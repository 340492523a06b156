"""Exact path lengths through closed triangle meshes, rasterised per C-arm pose (numba).

For a closed, consistently wound surface every ray enters as often as it leaves, so the
path length inside is ``sum(t_exit) - sum(t_entry)`` over the triangles it crosses: no
sorting, no pairing, the order of triangles does not matter. Each triangle is projected
through the focal spot onto the detector, the pixel centres inside it are found with edge
functions (a top-left tie rule, so a pixel on an edge shared by two triangles is counted
once), and the ray parameter ``t`` of the triangle's plane is added (ray leaving: the
normal points along the ray) or subtracted (entering). ``t`` is measured along
``D(u, v) = W0 + u e_c + v e_r`` (0 at the source, 1 at the detector), so the sum times
``|D|`` is millimetres, the convention of :mod:`.projector`.

The same surfaces answer point queries (``winding`` along +z with a binned triangle
list: inside when the signed crossing count above the point is 1), first bone contact
along a needle (Moller-Trumbore over all triangles) and exact z-column occupancy for the
voxelised copy handed to ``plastimatch``. Rows of the image are split into bands, one
per thread, so ``threads`` sets the parallelism the benchmark compares at equal threads.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit, prange


@njit(cache=True, fastmath=False)
def _edge_in(w, dx, dy):
    # top-left tie rule on the oriented edge (dx, dy): exactly one of two triangles
    # sharing an edge (traversed in opposite directions) claims a pixel lying on it
    if w > 0.0:
        return True
    if w < 0.0:
        return False
    return dy > 0.0 or (dy == 0.0 and dx < 0.0)


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
    nb = (
        default_threads()
        if threads is None
        else max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS))
    )
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
    return max(1, min(n, numba.config.NUMBA_NUM_THREADS))


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
    nb = (
        default_threads()
        if threads is None
        else max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS))
    )
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


def project_meshes(
    carm,
    tris: np.ndarray,
    weights: np.ndarray,
    out: np.ndarray | None = None,
    threads: int | None = None,
) -> np.ndarray:
    """Triangle-soup form of :func:`project_mesh`: ``tris`` (T, 3, 3), one weight per triangle."""
    tris = np.asarray(tris, dtype=np.float64)
    verts = tris.reshape(-1, 3)
    faces = np.arange(len(verts), dtype=np.int64).reshape(-1, 3)
    img = project_mesh(carm, verts, faces, weights, threads=threads)
    if out is None:
        return img
    out += img
    return out


# --- point queries: winding number along +z with an xy bin grid ------------------------------


class TriangleBins:
    """Triangles of a closed mesh binned by their xy bounding boxes (for +z ray queries)."""

    def __init__(self, tris: np.ndarray, cell_mm: float = 4.0):
        tris = np.ascontiguousarray(tris, dtype=np.float64)
        self.tris = tris
        lo = tris[:, :, :2].min(axis=(0, 1)) - 1.0
        hi = tris[:, :, :2].max(axis=(0, 1)) + 1.0
        self.lo = lo
        self.cell = float(cell_mm)
        self.shape = tuple(int(x) for x in np.ceil((hi - lo) / cell_mm).astype(int) + 1)
        self.start, self.index = _bin_triangles(tris, lo, self.cell, self.shape[0], self.shape[1])

    def winding(self, points: np.ndarray) -> np.ndarray:
        p = np.ascontiguousarray(np.asarray(points, dtype=np.float64).reshape(-1, 3))
        fn = (
            _winding if len(p) >= 4096 else _winding_serial
        )  # a thread team costs more than a few points
        return fn(
            self.tris, self.start, self.index, self.lo, self.cell, self.shape[0], self.shape[1], p
        )

    def contains(self, points: np.ndarray) -> np.ndarray:
        shape = np.asarray(points).shape[:-1]
        return (self.winding(points) > 0).reshape(shape)

    def column_crossings(self, x: float, y: float):
        """(z, sign) of every crossing of the vertical line at (x, y), sign +1 leaving upward."""
        return _column(
            self.tris,
            self.start,
            self.index,
            self.lo,
            self.cell,
            self.shape[0],
            self.shape[1],
            float(x),
            float(y),
        )


@njit(cache=True)
def _bin_triangles(tris, lo, cell, nx, ny):
    ntri = tris.shape[0]
    counts = np.zeros(nx * ny + 1, dtype=np.int64)
    for pass_ in range(2):
        if pass_ == 1:
            for k in range(1, nx * ny + 1):
                counts[k] += counts[k - 1]
            index = np.empty(counts[nx * ny], dtype=np.int64)
            fill = counts[:-1].copy()
        for i in range(ntri):
            x0 = min(tris[i, 0, 0], min(tris[i, 1, 0], tris[i, 2, 0]))
            x1 = max(tris[i, 0, 0], max(tris[i, 1, 0], tris[i, 2, 0]))
            y0 = min(tris[i, 0, 1], min(tris[i, 1, 1], tris[i, 2, 1]))
            y1 = max(tris[i, 0, 1], max(tris[i, 1, 1], tris[i, 2, 1]))
            i0 = int((x0 - lo[0]) / cell)
            i1 = int((x1 - lo[0]) / cell)
            j0 = int((y0 - lo[1]) / cell)
            j1 = int((y1 - lo[1]) / cell)
            for a in range(i0, i1 + 1):
                for b in range(j0, j1 + 1):
                    if pass_ == 0:
                        counts[a * ny + b + 1] += 1
                    else:
                        index[fill[a * ny + b]] = i
                        fill[a * ny + b] += 1
    return counts, index


@njit(cache=True)
def _cross_z(tris, i, x, y):
    """(hit, z, sign) where the vertical line through (x, y) meets triangle i (top-left tie rule)."""
    ax, ay = tris[i, 0, 0], tris[i, 0, 1]
    bx, by = tris[i, 1, 0], tris[i, 1, 1]
    cx, cy = tris[i, 2, 0], tris[i, 2, 1]
    area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    if area == 0.0:
        return False, 0.0, 0.0
    if area < 0.0:
        bx, by, cx, cy = cx, cy, bx, by
    e0 = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    if not _edge_in(e0, bx - ax, by - ay):
        return False, 0.0, 0.0
    e1 = (cx - bx) * (y - by) - (cy - by) * (x - bx)
    if not _edge_in(e1, cx - bx, cy - by):
        return False, 0.0, 0.0
    e2 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx)
    if not _edge_in(e2, ax - cx, ay - cy):
        return False, 0.0, 0.0
    ux = tris[i, 1, 0] - tris[i, 0, 0]
    uy = tris[i, 1, 1] - tris[i, 0, 1]
    uz = tris[i, 1, 2] - tris[i, 0, 2]
    vx = tris[i, 2, 0] - tris[i, 0, 0]
    vy = tris[i, 2, 1] - tris[i, 0, 1]
    vz = tris[i, 2, 2] - tris[i, 0, 2]
    nx = uy * vz - uz * vy
    ny = uz * vx - ux * vz
    nz = ux * vy - uy * vx
    if nz == 0.0:
        return False, 0.0, 0.0
    z = tris[i, 0, 2] - (nx * (x - tris[i, 0, 0]) + ny * (y - tris[i, 0, 1])) / nz
    return True, z, (1.0 if nz > 0.0 else -1.0)


@njit(cache=True, parallel=True)
def _winding(tris, start, index, lo, cell, nx, ny, pts):
    n = pts.shape[0]
    out = np.zeros(n, dtype=np.int32)
    for k in prange(n):
        x, y, z = pts[k, 0], pts[k, 1], pts[k, 2]
        a = int((x - lo[0]) / cell)
        b = int((y - lo[1]) / cell)
        if a < 0 or b < 0 or a >= nx or b >= ny:
            continue
        c = a * ny + b
        w = 0.0
        for j in range(start[c], start[c + 1]):
            hit, zc, sgn = _cross_z(tris, index[j], x, y)
            if hit and zc > z:
                w += sgn
        out[k] = int(round(w))
    return out


@njit(cache=True)
def _winding_serial(tris, start, index, lo, cell, nx, ny, pts):
    n = pts.shape[0]
    out = np.zeros(n, dtype=np.int32)
    for k in range(n):
        x, y, z = pts[k, 0], pts[k, 1], pts[k, 2]
        a = int((x - lo[0]) / cell)
        b = int((y - lo[1]) / cell)
        if a < 0 or b < 0 or a >= nx or b >= ny:
            continue
        c = a * ny + b
        w = 0.0
        for j in range(start[c], start[c + 1]):
            hit, zc, sgn = _cross_z(tris, index[j], x, y)
            if hit and zc > z:
                w += sgn
        out[k] = int(round(w))
    return out


@njit(cache=True)
def _column(tris, start, index, lo, cell, nx, ny, x, y):
    a = int((x - lo[0]) / cell)
    b = int((y - lo[1]) / cell)
    zs = np.empty(0)
    ss = np.empty(0)
    if a < 0 or b < 0 or a >= nx or b >= ny:
        return zs, ss
    c = a * ny + b
    m = start[c + 1] - start[c]
    zs = np.empty(m)
    ss = np.empty(m)
    k = 0
    for j in range(start[c], start[c + 1]):
        hit, zc, sgn = _cross_z(tris, index[j], x, y)
        if hit:
            zs[k] = zc
            ss[k] = sgn
            k += 1
    order = np.argsort(zs[:k])
    return zs[:k][order], ss[:k][order]


@njit(cache=True, parallel=True)
def column_occupancy(tris, start, index, lo, cell, nx, ny, xs, ys, z0, dz, nz):
    """Exact fraction of each z-voxel [z0 + k dz - dz/2, + dz/2) inside the mesh, per (x, y) column.

    Returns (len(ys), len(xs), nz) float32; inside means winding 1 (integrated exactly in z).
    """
    out = np.zeros((ys.shape[0], xs.shape[0], nz), dtype=np.float32)
    zlo = z0 - dz / 2.0
    for iy in prange(ys.shape[0]):
        for ix in range(xs.shape[0]):
            zs, ss = _column(tris, start, index, lo, cell, nx, ny, xs[ix], ys[iy])
            m = zs.shape[0]
            if m == 0:
                continue
            # winding below z is -sum(signs above) = sum of signs at or below, minus the total (0)
            # walk upward: crossing with sign s (normal up = leaving upward) changes inside by -s
            w = 0.0
            for j in range(m):
                w -= ss[j]  # winding just above crossing j: entering (normal down, s=-1) adds 1
                if j + 1 < m and w > 0.5:
                    a_ = zs[j]
                    b_ = zs[j + 1]
                    ka = int(math.floor((a_ - zlo) / dz))
                    kb = int(math.floor((b_ - zlo) / dz))
                    for kk in range(max(ka, 0), min(kb, nz - 1) + 1):
                        lo_k = zlo + kk * dz
                        hi_k = lo_k + dz
                        seg = min(hi_k, b_) - max(lo_k, a_)
                        if seg > 0.0:
                            out[iy, ix, kk] += seg / dz
    return out


@njit(cache=True)
def _first_hit(tris, o, d):
    best = np.inf
    for i in range(tris.shape[0]):
        e1x = tris[i, 1, 0] - tris[i, 0, 0]
        e1y = tris[i, 1, 1] - tris[i, 0, 1]
        e1z = tris[i, 1, 2] - tris[i, 0, 2]
        e2x = tris[i, 2, 0] - tris[i, 0, 0]
        e2y = tris[i, 2, 1] - tris[i, 0, 1]
        e2z = tris[i, 2, 2] - tris[i, 0, 2]
        px = d[1] * e2z - d[2] * e2y
        py = d[2] * e2x - d[0] * e2z
        pz = d[0] * e2y - d[1] * e2x
        det = e1x * px + e1y * py + e1z * pz
        if abs(det) < 1e-14:
            continue
        inv = 1.0 / det
        tx = o[0] - tris[i, 0, 0]
        ty = o[1] - tris[i, 0, 1]
        tz = o[2] - tris[i, 0, 2]
        u = (tx * px + ty * py + tz * pz) * inv
        if u < 0.0 or u > 1.0:
            continue
        qx = ty * e1z - tz * e1y
        qy = tz * e1x - tx * e1z
        qz = tx * e1y - ty * e1x
        v = (d[0] * qx + d[1] * qy + d[2] * qz) * inv
        if v < 0.0 or u + v > 1.0:
            continue
        t = (e2x * qx + e2y * qy + e2z * qz) * inv
        if t >= 0.0 and t < best:
            best = t
    return best


def first_hit(tris: np.ndarray, origin, direction) -> float:
    """Distance along the unit ray origin + t direction (t >= 0) to the first triangle, or inf."""
    return float(
        _first_hit(
            np.ascontiguousarray(tris, dtype=np.float64),
            np.asarray(origin, dtype=np.float64),
            np.asarray(direction, dtype=np.float64),
        )
    )
