"""Exact voxelisation of the bone surfaces for the copy handed to ``plastimatch`` (numba).

Why a separate module: this is a validation and authoring step (``export.voxelise``), never
run while a learner works, and it is the only place that still compiles with numba. Keeping
numba out of the run-time path keeps llvmlite (about 90 MB resident once loaded) out of the
notebook kernel; the renderer itself is numpy (:mod:`.meshproj`).

:func:`column_occupancy` walks the +z crossings of each (x, y) column through a
:class:`.meshproj.TriangleBins` grid (same CSR layout: ``start``/``index`` per xy cell) and
integrates the inside intervals exactly over every voxel's z-extent.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange


@njit(cache=True)
def _edge_in(w, dx, dy):
    # top-left tie rule on the oriented edge (dx, dy), as in meshproj.edge_in
    if w > 0.0:
        return True
    if w < 0.0:
        return False
    return dy > 0.0 or (dy == 0.0 and dx < 0.0)


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
