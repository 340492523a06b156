"""Exact path lengths through closed triangle meshes, rasterised per C-arm pose (numpy).

For a closed, consistently wound surface every ray enters as often as it leaves, so the
path length inside is ``sum(t_exit) - sum(t_entry)`` over the triangles it crosses: no
sorting, no pairing, the order of triangles does not matter. Each triangle is projected
through the focal spot onto the detector, the pixel centres inside it are found with edge
functions (a top-left tie rule, so a pixel on an edge shared by two triangles is counted
once), and the ray parameter ``t`` of the triangle's plane is added (ray leaving: the
normal points along the ray) or subtracted (entering). ``t`` is measured along
``D(u, v) = W0 + u e_c + v e_r`` (0 at the source, 1 at the detector), so the sum times
``|D|`` is millimetres, the convention of :mod:`.projector`.

Why numpy and not a JIT compiler: the notebook kernel must stay small (issue 21: 250 MB for
notebook 05), and loading numba's LLVM alone costs about 90 MB resident. Rasterising is
done in vectorised chunks: every face's pixel bounding box is enumerated (``np.repeat``),
the inside test and plane parameter are evaluated for all candidates at once, and the
weighted ``t`` values are summed per pixel with ``np.bincount``. Chunks of at most
``CHUNK`` candidate pixels bound the temporary memory (about 40 bytes per candidate).

The same surfaces answer point queries (``winding`` along +z with a binned triangle
list: inside when the signed crossing count above the point is 1) and first bone contact
along a needle (Moller-Trumbore over all triangles at once).
"""

from __future__ import annotations

import os

import numpy as np

#: candidate pixels per vectorised chunk (bounds the temporaries to a few MB)
CHUNK = 1 << 17
#: faces spanning at most SMALL x SMALL pixel centres take the fixed-shape path
SMALL = 2


class _MeshPlan:
    """Pose-independent constants of one indexed mesh: face normals, n . v0, block bounds.

    Faces are grouped in blocks of ``BLOCK`` consecutive faces (mesh files keep neighbours
    together) with a bounding sphere each, so a pose can drop whole blocks that fall outside
    the detector (the left femur in an AP view of the right hip) before any per-face work.
    """

    BLOCK = 512

    def __init__(self, verts: np.ndarray, faces: np.ndarray):
        self.verts = np.ascontiguousarray(verts, dtype=np.float64)
        self.faces = np.ascontiguousarray(faces, dtype=np.int64)
        v0 = self.verts[self.faces[:, 0]]
        self.normals = np.cross(
            self.verts[self.faces[:, 1]] - v0, self.verts[self.faces[:, 2]] - v0
        )
        self.n_dot_v0 = np.einsum("ij,ij->i", self.normals, v0)
        nb = -(-len(self.faces) // self.BLOCK)
        self.block_centre = np.empty((nb, 3))
        self.block_radius = np.empty(nb)
        for b in range(nb):
            p = self.verts[self.faces[b * self.BLOCK : (b + 1) * self.BLOCK].ravel()]
            c = 0.5 * (p.min(axis=0) + p.max(axis=0))
            self.block_centre[b] = c
            self.block_radius[b] = float(np.sqrt(((p - c) ** 2).sum(axis=1).max()))


_PLANS: dict[tuple[int, int], tuple[object, object, _MeshPlan]] = {}


def _plan(verts, faces) -> _MeshPlan:
    """The plan of (verts, faces), kept for the last few meshes (keyed by identity, checked)."""
    key = (id(verts), id(faces))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is verts and hit[1] is faces:
        return hit[2]
    plan = _MeshPlan(verts, faces)
    if len(_PLANS) >= 4:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[key] = (verts, faces, plan)
    return plan


def _sort_by_y(ax, ay, bx, by, cx, cy):
    """Reorder each face's projected vertices to (top, middle, bottom) by (y, x), vectorised."""

    def swap(c, x0, y0, x1, y1):
        return np.where(c, x1, x0), np.where(c, y1, y0), np.where(c, x0, x1), np.where(c, y0, y1)

    ax, ay, bx, by = swap((by < ay) | ((by == ay) & (bx < ax)), ax, ay, bx, by)
    bx, by, cx, cy = swap((cy < by) | ((cy == by) & (cx < bx)), bx, by, cx, cy)
    ax, ay, bx, by = swap((by < ay) | ((by == ay) & (bx < ax)), ax, ay, bx, by)
    return ax, ay, bx, by, cx, cy


def _visible_faces(carm, plan: _MeshPlan, live: np.ndarray) -> np.ndarray:
    """Indices of faces in blocks whose bounding sphere can reach the detector (and live)."""
    npx = carm.pixels
    src = np.asarray(carm.source, dtype=np.float64)
    n = np.asarray(carm.n, dtype=np.float64)
    e_c, e_r = carm.axes
    d = plan.block_centre - src
    depth = -(d @ n)
    r = plan.block_radius
    near = np.maximum(depth - r, 1e-6)
    half = (npx / 2.0 + 1.0) * carm.pixel_mm  # detector half-width (mm) plus a pixel
    reach = np.abs(d @ np.asarray(e_c)) * carm.sid_mm / near
    reach_r = np.abs(d @ np.asarray(e_r)) * carm.sid_mm / near
    slack = r * carm.sid_mm / near
    keep = (depth + r > 1e-6) & (reach - slack <= half) & (reach_r - slack <= half)
    blocks = np.flatnonzero(keep)
    if blocks.size == len(keep):
        idx = np.arange(len(plan.faces))
    else:
        starts = blocks * plan.BLOCK
        lens = np.minimum(plan.BLOCK, len(plan.faces) - starts)
        idx = _repeat_ranges(starts, lens)[1]
    return idx[live[idx]]


_GROUPS: dict[int, tuple[object, np.ndarray, np.ndarray]] = {}


def _weight_groups(weights: np.ndarray, key: object) -> tuple[np.ndarray, np.ndarray]:
    """(distinct weight rows, group of each face); remembered for the last few weight arrays.

    The phantom passes the same per-face weight arrays pose after pose (a few distinct rows:
    outer and inner surface), so the grouping is computed once per array.
    """
    hit = _GROUPS.get(id(key))
    if hit is not None and hit[0] is key:
        return hit[1], hit[2]
    groups, g_of = np.unique(weights, axis=0, return_inverse=True)
    if len(_GROUPS) >= 8:
        _GROUPS.pop(next(iter(_GROUPS)))
    _GROUPS[id(key)] = (key, groups, g_of.ravel())
    return groups, g_of.ravel()


def _rasterise(carm, verts, faces, weights: np.ndarray, key: object) -> np.ndarray:
    """sum_f weights[f, c] * (+-t) per pixel, as (C, n*n) float64 (not yet times |D|).

    Scan conversion with half-open spans (rows ceil(y_top) .. ceil(y_bottom), columns
    ceil(x_left) .. ceil(x_right)), so a pixel centre on an edge or vertex shared by two
    faces is counted once. Per face the plane's ``t = k / nd`` with ``nd`` affine in the
    pixel; ``nd`` keeps one sign over a face, which says whether the ray enters or leaves.
    Faces with equal weight rows (outer and inner surfaces) are accumulated together and
    scaled once, so the per-pixel work is a few gathers and one ``bincount`` per group.
    """
    npx = carm.pixels
    nch = weights.shape[1]
    acc = np.zeros((nch, npx * npx))
    plan = _plan(verts, faces)
    live_w = weights[:, 0] != 0.0
    for c in range(1, nch):
        live_w |= weights[:, c] != 0.0
    sel = _visible_faces(carm, plan, live_w)
    if sel.size == 0:
        return acc
    src, w0, e_c, e_r = (np.asarray(a, dtype=np.float64) for a in carm.ray_frame())
    pix = float(carm.pixel_mm)
    c0 = (npx - 1) / 2.0
    d = plan.verts - src
    depth = -(d @ np.asarray(carm.n, dtype=np.float64))
    ok = depth > 1e-6
    s = np.where(ok, float(carm.sid_mm) / np.where(ok, depth, 1.0), 0.0) / pix
    px = (d @ e_c) * s + c0
    py = (d @ e_r) * s + c0
    fi = plan.faces[sel]
    x0, x1, x2 = px[fi[:, 0]], px[fi[:, 1]], px[fi[:, 2]]
    y0, y1, y2 = py[fi[:, 0]], py[fi[:, 1]], py[fi[:, 2]]
    keep = ok[fi[:, 0]] & ok[fi[:, 1]] & ok[fi[:, 2]]
    keep &= np.maximum(np.maximum(y0, y1), y2) > -1.0
    keep &= np.minimum(np.minimum(y0, y1), y2) < npx
    keep &= np.maximum(np.maximum(x0, x1), x2) > -1.0
    keep &= np.minimum(np.minimum(x0, x1), x2) < npx
    k_idx = np.flatnonzero(keep)
    sel = sel[k_idx]
    ax, ay, bx, by, cx, cy = _sort_by_y(
        x0[k_idx], y0[k_idx], x1[k_idx], y1[k_idx], x2[k_idx], y2[k_idx]
    )
    row0 = np.clip(np.ceil(ay), 0, npx).astype(np.int64)
    row1 = np.clip(np.ceil(cy), 0, npx).astype(np.int64)
    nrows = np.where(cy > ay, np.maximum(row1 - row0, 0), 0)
    nrm = plan.normals[sel]
    nec = (nrm @ e_c) * pix
    ner = (nrm @ e_r) * pix
    a0 = nrm @ w0 - c0 * (nec + ner)
    # nd has one sign over a face: take it at the centroid; fold it into k (t = k / nd)
    side = np.sign(a0 + ner * (ay + by + cy) / 3.0 + nec * (ax + bx + cx) / 3.0)
    k_signed = (plan.n_dot_v0[sel] - nrm @ src) * side
    # edges as x = q0 + q1 * row: long edge a-c, short edges a-b (above b) and b-c (below b);
    # a short edge is only used on rows it spans, so a horizontal one (inf slope) never is
    with np.errstate(divide="ignore", invalid="ignore"):
        l1 = (cx - ax) / (cy - ay)
        u1 = (bx - ax) / (by - ay)
        d1 = (cx - bx) / (cy - by)
    l0, u0, d0 = ax - ay * l1, ax - ay * u1, bx - by * d1
    short0 = np.stack([u0, d0], axis=1).ravel()
    short1 = np.stack([u1, d1], axis=1).ravel()
    # group faces by weight row (outer, inner surface): one image per group, scaled at the end
    groups, g_all = _weight_groups(weights, key)
    g_of = g_all[sel]
    imgs = np.zeros((len(groups), npx * npx))
    # small faces (at most SMALL rows and columns of pixel centres: most faces at live sizes)
    # are tested on those candidate pixels with fixed-shape arrays; the same edge formulas
    # and half-open rule as the spans below, so shared edges stay counted once
    xlo = np.clip(np.ceil(np.minimum(np.minimum(ax, bx), cx)), 0, npx)
    xhi = np.clip(np.ceil(np.maximum(np.maximum(ax, bx), cx)), 0, npx)
    small = (nrows <= SMALL) & (xhi - xlo <= SMALL)
    sm = np.flatnonzero(small & (nrows > 0))
    if sm.size:
        two = np.arange(SMALL)
        r = row0[sm][:, None] + two
        fy = r.astype(np.float64)
        x_long = l0[sm][:, None] + l1[sm][:, None] * fy
        with np.errstate(invalid="ignore"):
            x_short = np.where(
                fy < by[sm][:, None],
                u0[sm][:, None] + u1[sm][:, None] * fy,
                d0[sm][:, None] + d1[sm][:, None] * fy,
            )
            lo_c = np.clip(np.ceil(np.minimum(x_long, x_short)), 0, npx)
            hi_c = np.clip(np.ceil(np.maximum(x_long, x_short)), 0, npx)
        col = xlo[sm][:, None] + two
        inside = (two[None, :] < nrows[sm][:, None])[:, :, None] & (
            (col[:, None, :] >= lo_c[:, :, None]) & (col[:, None, :] < hi_c[:, :, None])
        )
        f_i, r_i, c_i = np.nonzero(inside)
        face = sm[f_i]
        fy_i = fy[f_i, r_i]
        col_i = col[f_i, c_i]
        nd = a0[face] + ner[face] * fy_i + nec[face] * col_i
        nd[nd == 0.0] = np.inf
        val = k_signed[face] / nd
        where = r[f_i, r_i] * npx + col_i.astype(np.int64)
        g_i = g_of[face]
        for g in range(len(groups)):
            m = g_i == g
            imgs[g] += np.bincount(where[m], weights=val[m], minlength=npx * npx)
    # larger faces: one span per (face, row), spans grouped so each group is one contiguous run
    big = np.flatnonzero(~small & (nrows > 0))
    order = np.concatenate([big[g_of[big] == g] for g in range(len(groups))])
    fid, row = _repeat_ranges(row0[order], nrows[order])
    fid = order[fid]
    span_group = g_of[fid]
    fy = row.astype(np.float64)
    x_long = l0[fid] + l1[fid] * fy
    pick = 2 * fid + (fy >= by[fid])
    x_short = short0[pick] + short1[pick] * fy
    col0 = np.clip(np.ceil(np.minimum(x_long, x_short)), 0, npx).astype(np.int64)
    col1 = np.clip(np.ceil(np.maximum(x_long, x_short)), 0, npx).astype(np.int64)
    ncols = np.maximum(col1 - col0, 0)
    has = np.flatnonzero(ncols)
    fid, row, col0, ncols, span_group = fid[has], row[has], col0[has], ncols[has], span_group[has]
    nd0 = a0[fid] + ner[fid] * row + nec[fid] * col0
    step = nec[fid]
    kspan = k_signed[fid]
    base = row * npx + col0
    bounds = np.searchsorted(span_group, np.arange(len(groups) + 1))
    for g in range(len(groups)):
        ends = np.cumsum(ncols[bounds[g] : bounds[g + 1]])
        lo, stop = int(bounds[g]), int(bounds[g + 1])
        while lo < stop:
            first = ends[lo - bounds[g] - 1] if lo > bounds[g] else 0
            hi = max(lo + 1, int(bounds[g] + np.searchsorted(ends, first + CHUNK, side="right")))
            hi = min(hi, stop)
            span, k = _repeat_ranges(np.zeros(hi - lo, dtype=np.int64), ncols[lo:hi])
            span += lo
            nd = nd0[span] + step[span] * k
            nd[nd == 0.0] = np.inf  # a ray in the face's plane adds nothing
            imgs[g] += np.bincount(base[span] + k, weights=kspan[span] / nd, minlength=npx * npx)
            lo = hi
    for g in range(len(groups)):
        for c in range(nch):
            if groups[g, c] != 0.0:
                acc[c] += groups[g, c] * imgs[g]
    return acc


def jit_requested() -> bool:
    """True when ``FLUOROHIP_RENDERER=numba`` asks for the optional JIT rasteriser (:mod:`.meshjit`)."""
    return os.environ.get("FLUOROHIP_RENDERER", "numpy").strip().lower() == "numba"


def project_mesh2(carm, verts, faces, weights2, threads: int | None = None) -> np.ndarray:
    """Two weighted path-length images in one pass: (2, n, n) float32 (weights2 is (F, 2)).

    ``threads`` is used by the optional numba rasteriser (``FLUOROHIP_RENDERER=numba``); the
    numpy path is single-threaded.
    """
    if jit_requested():
        from . import meshjit

        return meshjit.project_mesh2(carm, verts, faces, weights2, threads=threads)
    from .projector import ray_lengths

    npx = carm.pixels
    w = np.asarray(weights2, dtype=np.float64).reshape(-1, 2)
    acc = _rasterise(carm, verts, faces, w, weights2)
    out = acc.reshape(2, npx, npx)
    out *= ray_lengths(carm, np.float64)[None]
    return out.astype(np.float32)


def default_threads() -> int:
    """Threads used for a live frame: the numpy rasteriser runs on one."""
    if jit_requested():
        from . import meshjit

        return meshjit.default_threads()
    return 1


def project_mesh(
    carm, verts: np.ndarray, faces: np.ndarray, weights: np.ndarray, threads: int | None = None
) -> np.ndarray:
    """sum_f w_f * chord_f (mm) per pixel for a closed mesh (or several): float32 image.

    ``verts`` (V, 3) mm, ``faces`` (F, 3) outward-wound, ``weights`` one per face (e.g. a
    material's mu difference, or 1 for a plain path length).
    """
    if jit_requested():
        from . import meshjit

        return meshjit.project_mesh(carm, verts, faces, weights, threads=threads)
    from .projector import ray_lengths

    npx = carm.pixels
    w = np.asarray(weights, dtype=np.float64).reshape(-1, 1)
    acc = _rasterise(carm, verts, faces, w, weights)
    out = acc.reshape(npx, npx)
    out *= ray_lengths(carm, np.float64)
    return out.astype(np.float32)


# --- point queries: winding number along +z with an xy bin grid ------------------------------


def _edge_coeffs(ax, ay, bx, by):
    """E(x, y) = A x + B y + C for the edge a -> b, and its top-left tie flag (E = 0 counts if set)."""
    dx, dy = bx - ax, by - ay
    return -dy, dx, dy * ax - dx * ay, (dy > 0.0) | ((dy == 0.0) & (dx < 0.0))


def _repeat_ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value): for each i, the values starts[i] .. starts[i] + lengths[i] - 1."""
    owner = np.repeat(np.arange(len(lengths)), lengths)
    first = np.cumsum(lengths) - lengths
    return owner, starts[owner] + np.arange(int(lengths.sum())) - first[owner]


class TriangleBins:
    """Triangles of a closed mesh binned by their xy bounding boxes (for +z ray queries).

    ``start``/``index`` are a CSR list: the triangles of xy cell ``a * ny + b`` are
    ``index[start[c]:start[c + 1]]`` (the layout :func:`.meshvox.column_occupancy` reads).
    """

    def __init__(self, tris: np.ndarray, cell_mm: float = 4.0):
        tris = np.ascontiguousarray(tris, dtype=np.float64)
        self.tris = tris
        lo = tris[:, :, :2].min(axis=(0, 1)) - 1.0
        hi = tris[:, :, :2].max(axis=(0, 1)) + 1.0
        self.lo = lo
        self.cell = float(cell_mm)
        self.shape = tuple(int(x) for x in np.ceil((hi - lo) / cell_mm).astype(int) + 1)
        nx, ny = self.shape
        i0 = ((tris[:, :, 0].min(axis=1) - lo[0]) / cell_mm).astype(np.int64)
        i1 = ((tris[:, :, 0].max(axis=1) - lo[0]) / cell_mm).astype(np.int64)
        j0 = ((tris[:, :, 1].min(axis=1) - lo[1]) / cell_mm).astype(np.int64)
        j1 = ((tris[:, :, 1].max(axis=1) - lo[1]) / cell_mm).astype(np.int64)
        w, h = i1 - i0 + 1, j1 - j0 + 1
        tri, k = _repeat_ranges(np.zeros(len(tris), dtype=np.int64), w * h)
        cell = (i0[tri] + k // h[tri]) * ny + j0[tri] + k % h[tri]
        order = np.argsort(cell, kind="stable")
        self.index = tri[order]
        self.start = np.zeros(nx * ny + 1, dtype=np.int64)
        np.cumsum(np.bincount(cell, minlength=nx * ny), out=self.start[1:])
        # per-triangle constants of the +z crossing test (counter-clockwise in xy)
        a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
        area = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
        flip = area < 0.0
        b2 = np.where(flip[:, None], c, b)
        c2 = np.where(flip[:, None], b, c)
        self._edges = [
            _edge_coeffs(p[:, 0], p[:, 1], q[:, 0], q[:, 1])
            for p, q in ((a, b2), (b2, c2), (c2, a))
        ]
        nrm = np.cross(b - a, c - a)
        self._valid = (area != 0.0) & (nrm[:, 2] != 0.0)
        nz = np.where(nrm[:, 2] != 0.0, nrm[:, 2], 1.0)
        # z on the triangle's plane: z = z0 - (nx (x - x0) + ny (y - y0)) / nz = gx x + gy y + g0
        self._gx, self._gy = -nrm[:, 0] / nz, -nrm[:, 1] / nz
        self._g0 = a[:, 2] + (nrm[:, 0] * a[:, 0] + nrm[:, 1] * a[:, 1]) / nz
        self._sign = np.sign(nrm[:, 2])

    def _pairs(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point, triangle) candidate pairs: each point with the triangles of its xy cell."""
        nx, ny = self.shape
        a = np.floor((p[:, 0] - self.lo[0]) / self.cell).astype(np.int64)
        b = np.floor((p[:, 1] - self.lo[1]) / self.cell).astype(np.int64)
        inside = (a >= 0) & (b >= 0) & (a < nx) & (b < ny)
        c = np.where(inside, a * ny + b, 0)
        n = np.where(inside, self.start[c + 1] - self.start[c], 0)
        owner, k = _repeat_ranges(self.start[c], n)
        return owner, self.index[k]

    def _crossings(self, p: np.ndarray, owner: np.ndarray, tri: np.ndarray):
        """(hit, z) of the vertical line through each owner's (x, y) with its triangle."""
        x, y = p[owner, 0], p[owner, 1]
        hit = self._valid[tri]
        for ea, eb, ec, tie in self._edges:
            e = ea[tri] * x + eb[tri] * y + ec[tri]
            hit &= (e > 0.0) | ((e == 0.0) & tie[tri])
        z = self._gx[tri] * x + self._gy[tri] * y + self._g0[tri]
        return hit, z

    def winding(self, points: np.ndarray) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        out = np.zeros(len(p), dtype=np.int32)
        step = 4096
        for s in range(0, len(p), step):
            q = p[s : s + step]
            owner, tri = self._pairs(q)
            hit, z = self._crossings(q, owner, tri)
            hit &= z > q[owner, 2]
            w = np.bincount(owner[hit], weights=self._sign[tri[hit]], minlength=len(q))
            out[s : s + step] = np.rint(w).astype(np.int32)
        return out

    def contains(self, points: np.ndarray) -> np.ndarray:
        shape = np.asarray(points).shape[:-1]
        return (self.winding(points) > 0).reshape(shape)


def first_hits(tris: np.ndarray, origins, directions) -> np.ndarray:
    """Distance along each unit ray origin + t direction (t >= 0) to its first triangle, or inf.

    Moller-Trumbore over all triangles for each ray (rays taken a few at a time).
    """
    tris = np.asarray(tris, dtype=np.float64)
    o_all = np.asarray(origins, dtype=np.float64).reshape(-1, 3)
    d_all = np.asarray(directions, dtype=np.float64).reshape(-1, 3)
    v0 = tris[:, 0]
    e1 = tris[:, 1] - v0
    e2 = tris[:, 2] - v0
    out = np.full(len(o_all), np.inf)
    step = max(1, (1 << 18) // max(len(tris), 1))
    for s in range(0, len(o_all), step):
        o = o_all[s : s + step, None, :]
        d = d_all[s : s + step, None, :]
        pv = np.cross(d, e2[None])
        det = np.einsum("rtk,tk->rt", pv, e1)
        ok = np.abs(det) >= 1e-14
        inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
        tv = o - v0[None]
        u = np.einsum("rtk,rtk->rt", tv, pv) * inv
        qv = np.cross(tv, e1[None])
        v = np.einsum("rtk,rtk->rt", np.broadcast_to(d, qv.shape), qv) * inv
        t = np.einsum("tk,rtk->rt", e2, qv) * inv
        good = ok & (u >= 0.0) & (u <= 1.0) & (v >= 0.0) & (u + v <= 1.0) & (t >= 0.0)
        out[s : s + step] = np.where(good, t, np.inf).min(axis=1)
    return out


def first_hit(tris: np.ndarray, origin, direction) -> float:
    """Distance along the unit ray origin + t direction (t >= 0) to the first triangle, or inf."""
    return float(first_hits(tris, origin, direction)[0])
