"""Cone-beam line-integral maps of convex primitives (the DRR kernel).

Each primitive is evaluated only inside its detector window: the bounding box of its exact
projected outline where that is cheap to get (an ellipsoid's silhouette conic; a capped
cylinder's two end sections, each inside a circumscribed polygon), else the projection of
its bounding sphere. The pixel arithmetic is the closed-form ray-quadric interval of
:mod:`.primitives`, written as quadratic forms in the detector offsets (u, v) whose
coefficients are formed in float64 and evaluated in ``dtype`` (float32) after completing
the square about the window centre, so no per-pixel 3-vectors and no cancellation of large
terms. Terms that cannot vary along a detector axis (a cylinder along that axis, a cap
plane across it) are evaluated as one row or one column and broadcast. Clip planes that
cannot cut any ray of the window between source and detector are skipped.

Outputs: per-material maps of summed chord lengths (mm, :func:`material_maps`), so other
energies only re-weight maps, or directly the total log attenuation
``p = sum_m mu_m A_m`` (:func:`line_integral_map`, one accumulation per term).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .geometry import CArm
from .primitives import Convex

_POLY_N = 16  # sides of the polygon circumscribing a cylinder's end section
_POLY = np.stack(
    [
        np.cos(np.arange(_POLY_N) * 2 * np.pi / _POLY_N),
        np.sin(np.arange(_POLY_N) * 2 * np.pi / _POLY_N),
    ],
    axis=1,
) / math.cos(math.pi / _POLY_N)
_MIN_DEPTH_MM = 1.0  # a bound closer to the source plane than this: use the sphere window


# --- per-geometry constants ------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RayFrame:
    """D(u, v) = w0 + u e_c + v e_r from ``source``; u, v are pixel-centre offsets (mm)."""

    pixels: int
    pixel_mm: float
    sid_mm: float
    source: np.ndarray
    w0: np.ndarray
    e_c: np.ndarray
    e_r: np.ndarray
    n: np.ndarray  # unit vector isocentre -> source
    offsets: np.ndarray  # float64 pixel-centre offsets along either axis (mm)
    pencils: tuple  # ((n0, n1) for u, (n0, n1) for v): planes through the source, see _pose


def _cross(a, b) -> np.ndarray:
    """Cross product of 3-vectors (rows of ``a`` with ``b``), without np.cross's overhead."""
    a = np.asarray(a)
    return np.stack(
        [
            a[..., 1] * b[2] - a[..., 2] * b[1],
            a[..., 2] * b[0] - a[..., 0] * b[2],
            a[..., 0] * b[1] - a[..., 1] * b[0],
        ],
        axis=-1,
    )


@lru_cache(maxsize=8)
def ray_frame(carm: CArm) -> RayFrame:
    s, w0, e_c, e_r = carm.ray_frame()
    pencils = ((_cross(w0, e_r), _cross(e_c, e_r)), (_cross(w0, e_c), _cross(e_r, e_c)))
    return RayFrame(
        carm.pixels,
        carm.pixel_mm,
        carm.sid_mm,
        s,
        w0,
        e_c,
        e_r,
        carm.n,
        carm.pixel_offsets(),
        pencils,
    )


@lru_cache(maxsize=4)
def _ray_maps(
    pixels: int, pixel_mm: float, sid_mm: float, dtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """|D|, 1/|D| and 1/|D|^2 on the detector (pose-independent; read-only)."""
    k = (np.arange(pixels) - (pixels - 1) / 2.0) * pixel_mm
    d2 = sid_mm**2 + k[None, :] ** 2 + k[:, None] ** 2
    out = (np.sqrt(d2).astype(dtype), (1.0 / np.sqrt(d2)).astype(dtype), (1.0 / d2).astype(dtype))
    for a in out:
        a.setflags(write=False)
    return out


def ray_lengths(carm: CArm, dtype=np.float32) -> np.ndarray:
    """|D(u, v)| in mm: the factor turning a chord in t (0 at source, 1 at pixel) into mm."""
    return _ray_maps(carm.pixels, carm.pixel_mm, carm.sid_mm, np.dtype(dtype).type)[0]


# --- plans: pose-independent constants of a set of primitives --------------------------------
class _Plan:
    """Constants of a tuple of primitives, gathered into arrays so that a pose costs a few
    vectorised operations for all of them (windows, quadric coefficients, plane tests)."""

    def __init__(self, prims):
        self.prims = tuple(prims)
        T = len(self.prims)
        self.bc = np.array([p.bound_centre for p in self.prims], dtype=np.float64).reshape(T, 3)
        self.br = np.array([p.bound_radius for p in self.prims], dtype=np.float64)
        A3, qc, qt, kap, scale = [], [], [], [], []
        eB, ec, et = [], [], []
        verts, vt = [], []
        pn, ph, pt = [], [], []
        self.term_quads: list[list[int]] = []
        self.term_planes: list[list[int]] = []
        for j, prim in enumerate(self.prims):
            self.term_quads.append([])
            self.term_planes.append([])
            for n, h in prim.planes:
                self.term_planes[j].append(len(pn))
                pn.append(n)
                ph.append(h)
                pt.append(j)
            for q in prim.quadrics:
                self.term_quads[j].append(len(A3))
                A = (
                    q.A if q.A.shape[0] == 3 else np.vstack([q.A, np.zeros(3)])
                )  # a zero row changes nothing
                A3.append(A)
                qc.append(q.c)
                qt.append(j)
                kap.append(q.kappa if q.kappa is not None else np.nan)
                scale.append(float(np.abs(q.A).max()))
                if q.B is not None:
                    eB.append(q.B)
                    ec.append(q.c)
                    et.append(j)
                    continue
                axis, P = q.section
                base = q.c + _POLY @ P.T  # polygon around the section through c
                ups = [(n, h) for n, h in prim.planes if n @ axis > 1e-9]
                downs = [(n, h) for n, h in prim.planes if n @ axis < -1e-9]
                for nu, hu in ups:
                    top = base + ((hu - base @ nu) / (nu @ axis))[:, None] * axis
                    for nd, hd in downs:
                        bot = base + ((hd - base @ nd) / (nd @ axis))[:, None] * axis
                        verts.append(np.concatenate([top, bot]))
                        vt.append(j)
        f = np.float64
        self.A3 = np.array(A3, dtype=f).reshape(-1, 3, 3)
        self.qc = np.array(qc, dtype=f).reshape(-1, 3)
        self.qt = np.array(qt, dtype=np.intp)
        self.kappa = np.array(kap, dtype=f)
        self.qscale = np.array(scale, dtype=f)
        self.cyl = np.array(
            [a.shape[0] == 2 for p in self.prims for a in (q.A for q in p.quadrics)], dtype=bool
        )
        self.eB = np.array(eB, dtype=f).reshape(-1, 3, 3)
        self.ec = np.array(ec, dtype=f).reshape(-1, 3)
        self.et = np.array(et, dtype=np.intp)
        self.verts = np.array(verts, dtype=f).reshape(-1, 2 * _POLY_N, 3)
        self.vt = np.array(vt, dtype=np.intp)
        self.pn = np.array(pn, dtype=f).reshape(-1, 3)
        self.ph = np.array(ph, dtype=f)
        self.pt = np.array(pt, dtype=np.intp)


_PLANS: dict = {}


def _plan(key, prims=None) -> _Plan:
    """The plan of ``prims`` (default: ``key``, a tuple of primitives), memoised on ``key``'s identity."""
    hit = _PLANS.get(id(key))
    if hit is not None and hit[0] is key:
        return hit[1]
    plan = _Plan(key if prims is None else prims)
    if len(_PLANS) >= 32:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(key)] = (key, plan)
    return plan


class _Term:
    """One primitive seen from one pose: its window and the coefficients of its rays."""

    __slots__ = ("clamp", "cols", "hu", "hv", "planes", "quads", "rows", "uc", "vc")


def _pose(plan: _Plan, fr: RayFrame, full_frame: bool = False) -> list:
    """Per primitive: a :class:`_Term`, or None if it cannot reach the detector.

    ``full_frame`` evaluates every primitive on the whole detector (for testing the windows).
    """
    T = len(plan.prims)
    if T == 0:
        return []
    N = fr.pixels
    pix = fr.pixel_mm
    mid = (N - 1) / 2.0
    s, nvec, e_c, e_r = fr.source, fr.n, fr.e_c, fr.e_r
    # bounding-sphere windows (the fallback, and a cap on every window)
    d = plan.bc - s
    depth = -(d @ nvec)
    r = plan.br
    full = depth - r <= 1e-6
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.sqrt(np.maximum(np.einsum("ij,ij->i", d, d), r * r + 1e-9))
        theta = np.arcsin(np.minimum(r / dist, 0.999))
        half = 1.1 * fr.sid_mm * np.tan(theta) * (dist / depth) ** 2 + 2 * pix
        k = fr.sid_mm / depth / pix
        col = (d @ e_c) * k + mid
        row = (d @ e_r) * k + mid
        hp = half / pix
    c0 = np.where(full, 0.0, np.maximum(0.0, np.floor(col - hp)))
    c1 = np.where(full, N, np.minimum(N, np.ceil(col + hp) + 1))
    r0 = np.where(full, 0.0, np.maximum(0.0, np.floor(row - hp)))
    r1 = np.where(full, N, np.minimum(N, np.ceil(row + hp) + 1))
    # exact outline boxes: ellipsoids (tangent planes of a pencil) and capped cylinders (polygons)
    umin = np.full(T, -np.inf)
    umax = np.full(T, np.inf)
    vmin = np.full(T, -np.inf)
    vmax = np.full(T, np.inf)
    if len(plan.et):
        B = plan.eB
        m = plan.ec - s
        bn = B @ nvec
        ok = -(m @ nvec) - np.sqrt(np.einsum("ij,ij->i", bn, bn)) > _MIN_DEPTH_MM
        roots = []
        for n0, n1 in fr.pencils:
            p0, p1 = m @ n0, m @ n1
            b0, b1 = B @ n0, B @ n1
            a2 = p1 * p1 - np.einsum("ij,ij->i", b1, b1)
            a1 = 2.0 * (p0 * p1 - np.einsum("ij,ij->i", b0, b1))
            a0 = p0 * p0 - np.einsum("ij,ij->i", b0, b0)
            disc = a1 * a1 - 4.0 * a2 * a0
            ok &= (a2 > 0) & (disc >= 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                sq = np.sqrt(np.maximum(disc, 0.0))
                roots.append(((-a1 - sq) / (2 * a2), (-a1 + sq) / (2 * a2)))
        t = plan.et[ok]
        np.maximum.at(umin, t, roots[0][0][ok])
        np.minimum.at(umax, t, roots[0][1][ok])
        np.maximum.at(vmin, t, roots[1][0][ok])
        np.minimum.at(vmax, t, roots[1][1][ok])
    if len(plan.vt):
        dv_ = plan.verts - s
        dep = -(dv_ @ nvec)
        ok = dep.min(axis=1) > _MIN_DEPTH_MM
        with np.errstate(divide="ignore", invalid="ignore"):
            sc = fr.sid_mm / dep
            uu = (dv_ @ e_c) * sc
            vv = (dv_ @ e_r) * sc
        t = plan.vt[ok]
        poly_in = ok & (
            dep.max(axis=1) < fr.sid_mm
        )  # the cut cylinder lies between source and detector
        np.maximum.at(umin, t, uu[ok].min(axis=1))
        np.minimum.at(umax, t, uu[ok].max(axis=1))
        np.maximum.at(vmin, t, vv[ok].min(axis=1))
        np.minimum.at(vmax, t, vv[ok].max(axis=1))
    # pixel centres inside the box, plus one pixel either side (the chord is 0 there)
    with np.errstate(invalid="ignore"):
        c0 = np.maximum(c0, np.ceil(umin / pix + mid) - 1)
        c1 = np.minimum(c1, np.floor(umax / pix + mid) + 2)
        r0 = np.maximum(r0, np.ceil(vmin / pix + mid) - 1)
        r1 = np.minimum(r1, np.floor(vmax / pix + mid) + 2)
    live = (c0 < c1) & (r0 < r1)
    if full_frame:
        live[:] = True
        c0[:] = r0[:] = 0
        c1[:] = r1[:] = N
    c0 = np.where(live, c0, 0).astype(np.intp)
    c1 = np.where(live, c1, 1).astype(np.intp)
    r0 = np.where(live, r0, 0).astype(np.intp)
    r1 = np.where(live, r1, 1).astype(np.intp)
    uc = ((c0 + c1 - 1) / 2.0 - mid) * pix
    vc = ((r0 + r1 - 1) / 2.0 - mid) * pix
    hu = (c1 - 1 - c0) / 2.0 * pix
    hv = (r1 - 1 - r0) / 2.0 * pix
    w0c = fr.w0 + uc[:, None] * e_c + vc[:, None] * e_r  # D at each window's centre
    # quadrics: a(du, dv) = M (1, du, dv), b = A (s - c); alpha = |a|^2, disc = alpha - |a x b|^2
    if len(plan.qt):
        A3 = plan.A3
        M = np.stack([np.einsum("qij,qj->qi", A3, w0c[plan.qt]), A3 @ e_c, A3 @ e_r], axis=2)
        b = np.einsum("qij,qj->qi", A3, s - plan.qc)
        H = np.stack(
            [
                M[:, 1] * b[:, 2, None] - M[:, 2] * b[:, 1, None],
                M[:, 2] * b[:, 0, None] - M[:, 0] * b[:, 2, None],
                M[:, 0] * b[:, 1, None] - M[:, 1] * b[:, 0, None],
            ],
            axis=1,
        )
        Ga = np.einsum("qki,qkj->qij", M, M)
        Gd = Ga - np.einsum("qki,qkj->qij", H, H)
        beta = np.einsum("qki,qk->qi", M, b)
        tiny = 1e-12 * plan.qscale
        along_v = np.abs(M[:, :, 2]).max(axis=1) <= tiny  # a cylinder along e_r: a row of values
        along_u = ~along_v & (np.abs(M[:, :, 1]).max(axis=1) <= tiny)
        Ga_l, Gd_l, beta_l = Ga.tolist(), Gd.tolist(), beta.tolist()
        av_l, au_l, kap_l, cyl_l = (
            along_v.tolist(),
            along_u.tolist(),
            plan.kappa.tolist(),
            plan.cyl.tolist(),
        )
    # ellipsoids wholly between source and detector keep every interval inside (0, 1)
    inslab = np.zeros(T, dtype=bool)
    if len(plan.et):
        dep_c = -((plan.ec - s) @ nvec)
        ext = np.sqrt(np.einsum("ij,ij->i", bn, bn))
        inside = (dep_c - ext > 0) & (dep_c + ext < fr.sid_mm)
        np.logical_or.at(inslab, plan.et, inside)
    if len(plan.vt):
        np.logical_or.at(inslab, plan.vt, poly_in)
    # planes: skipped where they hold on every ray of the window from source to detector
    if len(plan.pt):
        pn, pt = plan.pn, plan.pt
        ku = pn @ e_c
        kv = pn @ e_r
        at_s = pn @ s - plan.ph
        k0 = np.einsum("ij,ij->i", pn, w0c[pt])
        spread = hu[pt] * np.abs(ku) + hv[pt] * np.abs(kv)
        side_max = np.maximum(at_s, at_s + k0 + spread)
        side_min = np.minimum(at_s, at_s + k0 - spread)
        small = 1e-12 * (np.abs(k0) + 1)
        ku = np.where(np.abs(ku) <= small, 0.0, ku)
        kv = np.where(np.abs(kv) <= small, 0.0, kv)
        nd_min, nd_max = k0 - spread, k0 + spread
        p_l = np.stack([k0, ku, kv, -at_s, nd_min, nd_max], axis=1).tolist()
        inactive = (side_max <= 0).tolist()
        empty = (side_min > 0).tolist()
    out = []
    live_l = live.tolist()
    c0l, c1l, r0l, r1l = c0.tolist(), c1.tolist(), r0.tolist(), r1.tolist()
    ucl, vcl, hul, hvl, inslab_l = (
        uc.tolist(),
        vc.tolist(),
        hu.tolist(),
        hv.tolist(),
        inslab.tolist(),
    )
    for j in range(T):
        if not live_l[j]:
            out.append(None)
            continue
        planes = []
        dead = False
        for i in plan.term_planes[j]:
            if inactive[i]:
                continue
            if empty[i]:
                dead = True
                break
            planes.append(p_l[i])
        if dead:
            out.append(None)
            continue
        term = _Term()
        term.rows, term.cols = slice(r0l[j], r1l[j]), slice(c0l[j], c1l[j])
        term.uc, term.vc, term.hu, term.hv = ucl[j], vcl[j], hul[j], hvl[j]
        term.quads = [
            (Ga_l[i], Gd_l[i], beta_l[i], av_l[i], au_l[i], kap_l[i], cyl_l[i])
            for i in plan.term_quads[j]
        ]
        term.planes = planes
        term.clamp = not inslab_l[j]
        out.append(term)
    return out


def window(carm: CArm, prim: Convex) -> tuple[slice, slice] | None:
    """(rows, cols) slices of the detector that the primitive can touch, or None."""
    fr = ray_frame(carm)
    t = _pose(_Plan((prim,)), fr)[0]
    if t is None:
        return None
    return t.rows, t.cols


# --- pixel arithmetic --------------------------------------------------------------------------
def _square_form(G, du: np.ndarray, dv: np.ndarray, hu: float, hv: float, dtype):
    """Write the quadratic form ``z^T G z``, z = (1, du, dv), as ``k * (X + q)`` with
    ``X = (du + p(dv))^2`` (or the same with u and v swapped): completing the square about the
    window centre keeps float32 pixel arithmetic free of cancellation.

    Returns (k, X, q) with X a full (rows, cols) array of ``dtype`` and q a column/row in
    ``dtype``, or None if neither square term is usable (then evaluate directly).
    """
    (g00, g01, g02), (_, g11, g12), (_, _, g22) = G
    if abs(g11) * max(hu, 1e-3) ** 2 >= abs(g22) * max(hv, 1e-3) ** 2:
        k, lin, lin_m, quad, major, minor, row_major = g11, g01, g02, g22, du, dv, True
    else:
        k, lin, lin_m, quad, major, minor, row_major = g22, g02, g01, g11, dv, du, False
    hm = max(hu if row_major else hv, 1e-3)
    if abs(k) * hm * hm <= 1e-9 * (abs(g00) + abs(g01) * hu + abs(g02) * hv):
        return None  # (nearly) no square term: completing the square would cancel
    p = minor * (g12 / k) + lin / k  # float64, along the minor axis
    q = (g00 / k) + minor * (2.0 * lin_m / k + minor * (quad / k)) - p * p
    q = q.astype(dtype)
    pm = p.astype(dtype)
    major = major.astype(dtype)
    if row_major:
        X = major[None, :] + pm[:, None]
        q = q[:, None]
    else:
        X = pm[None, :] + major[:, None]
        q = q[None, :]
    np.multiply(X, X, out=X)
    return k, X, q


def _direct_form(G, du: np.ndarray, dv: np.ndarray, dtype) -> np.ndarray:
    G = np.asarray(G)
    du = du.astype(np.float64)
    dv = dv.astype(np.float64)
    out = (
        (G[0, 0] + 2 * G[0, 1] * du + G[1, 1] * du * du)[None, :]
        + (2 * G[0, 2] * dv + G[2, 2] * dv * dv)[:, None]
        + 2 * G[1, 2] * dv[:, None] * du[None, :]
    )
    return out.astype(dtype)


def _sqrt_disc(G, du, dv, hu, hv, dtype):
    """(sigma, S) with sqrt(max(disc, 0)) = sigma * S on the window grid."""
    f = _square_form(G, du, dv, hu, hv, dtype)
    if f is None:
        d = _direct_form(G, du, dv, dtype)
        np.maximum(d, 0, out=d)
        return 1.0, np.sqrt(d, out=d)
    k, X, q = f
    if k < 0:  # disc = |k| (-q - X): the usual case, a cap over the outline
        np.subtract(-q, X, out=X)
    else:
        np.add(X, q, out=X)
    np.maximum(X, 0, out=X)
    return math.sqrt(abs(k)), np.sqrt(X, out=X)


def _alpha(G, du, dv, hu, hv, dtype):
    """(k, Y) with alpha = k * Y on the window grid (alpha = |A D|^2 > 0)."""
    f = _square_form(G, du, dv, hu, hv, dtype)
    if f is None:
        return 1.0, _direct_form(G, du, dv, dtype)
    k, X, q = f
    np.add(X, q, out=X)
    return k, X


def _linear(k0, ku, kv, du, dv, dtype):
    """k0 + ku du + kv dv, as a row, a column or a full array."""
    if kv == 0.0:
        return (du * ku + k0).astype(dtype)[None, :]
    if ku == 0.0:
        return (dv * kv + k0).astype(dtype)[:, None]
    return (du * ku + k0).astype(dtype)[None, :] + (dv * kv).astype(dtype)[:, None]


def _row_only(t: _Term) -> bool:
    """True if the chord in t-units varies along detector rows only (then chord_mm = row x |D|)."""
    return all(q[3] for q in t.quads) and all(p[2] == 0.0 for p in t.planes)


def _chord(
    fr: RayFrame, t: _Term, dtype=np.float32, scale: float = 1.0, t_units: bool = False
) -> np.ndarray:
    """``scale`` x chord length (mm) of the rays of ``t``'s window through its primitive.

    With ``t_units`` the chord is left in t (source 0, pixel 1), not multiplied by |D|: a row
    for a :func:`_row_only` term.
    """
    dtype = np.dtype(dtype).type
    rows, cols = t.rows, t.cols
    off = fr.offsets
    du = off[cols] - t.uc  # float64, centred on the window
    dv = off[rows] - t.vc
    maps = _ray_maps(fr.pixels, fr.pixel_mm, fr.sid_mm, dtype)
    quads, planes, hu, hv = t.quads, t.planes, t.hu, t.hv
    # one quadric, no cut, interval inside (0, 1): chord = 2 sqrt(disc) / alpha
    if len(quads) == 1 and not planes and not t.clamp and not (quads[0][3] or quads[0][4]):
        Ga, Gd, _, _, _, kappa, _ = quads[0]
        sig, S = _sqrt_disc(Gd, du, dv, hu, hv, dtype)
        if kappa == kappa:  # a sphere: alpha = kappa |D|^2, chord_mm = 2 sqrt(disc) / (kappa |D|)
            S *= maps[1][rows, cols]
            S *= dtype(2.0 * sig * scale / kappa)
            return S
        ka, Y = _alpha(Ga, du, dv, hu, hv, dtype)
        np.divide(S, Y, out=S)
        S *= maps[0][rows, cols]
        S *= dtype(2.0 * sig * scale / ka)
        return S
    t_in = t_out = None
    for Ga, Gd, beta, along_v, along_u, kappa, cylinder in quads:
        if along_v or along_u:  # a cylinder along a detector axis: one row (or column) of values
            x, j = (du, 1) if along_v else (dv, 2)
            alpha = Ga[0][0] + x * (2 * Ga[0][j] + Ga[j][j] * x)
            disc = Gd[0][0] + x * (2 * Gd[0][j] + Gd[j][j] * x)
            mb = beta[0] + beta[j] * x
            with np.errstate(divide="ignore", invalid="ignore"):
                alpha = np.maximum(alpha, 1e-30)
                root = np.sqrt(np.maximum(disc, 0.0))
                lo = ((-mb - root) / alpha).astype(dtype)
                hi = ((-mb + root) / alpha).astype(dtype)
            shape = (1, -1) if along_v else (-1, 1)
            lo, hi = lo.reshape(shape), hi.reshape(shape)
        else:
            sig, S = _sqrt_disc(Gd, du, dv, hu, hv, dtype)
            if kappa == kappa:
                inv = maps[2][rows, cols] * dtype(sig / kappa)
            else:
                ka, inv = _alpha(Ga, du, dv, hu, hv, dtype)
                if (
                    cylinder
                ):  # alpha = 0 only for a ray along a cylinder's axis (then cut by its caps)
                    np.maximum(inv, dtype(1e-30), out=inv)
                np.divide(dtype(sig / ka), inv, out=inv)
            # -beta / alpha = (-beta / sig) * inv and sqrt(disc) / alpha = S * inv
            mid = _linear(-beta[0] / sig, -beta[1] / sig, -beta[2] / sig, du, dv, dtype)
            mid = mid * inv
            S *= inv
            hi = mid + S
            lo = np.subtract(mid, S, out=mid)
        if t_in is None:
            t_in, t_out = lo, hi
        else:
            t_in = np.maximum(t_in, lo)
            t_out = np.minimum(t_out, hi)
    if t_in is None:
        t_in, t_out = np.zeros((1, 1), dtype), np.ones((1, 1), dtype)
    elif t.clamp:
        t_in = np.maximum(t_in, dtype(0.0))
        t_out = np.minimum(t_out, dtype(1.0))
    for k0, ku, kv, rhs, nd_min, nd_max in planes:
        nd = _linear(k0, ku, kv, du, dv, dtype)
        if nd_min > 0:
            t_out = np.minimum(t_out, np.divide(dtype(rhs), nd, out=nd))
        elif nd_max < 0:
            t_in = np.maximum(t_in, np.divide(dtype(rhs), nd, out=nd))
        else:  # edge-on to some ray of the window: each ray is bounded from the side it meets the plane
            inf = dtype(np.inf)
            with np.errstate(divide="ignore", invalid="ignore"):
                tb = np.divide(dtype(rhs), nd)
            hi_p = np.where(nd > 0, tb, inf)
            if rhs < 0:  # a ray parallel to the plane and outside it misses the primitive
                hi_p = np.where(nd == 0, -inf, hi_p)
            t_out = np.minimum(t_out, hi_p)
            t_in = np.maximum(t_in, np.where(nd < 0, tb, -inf))
    dt = np.subtract(t_out, t_in, dtype=dtype)
    np.maximum(dt, 0, out=dt)
    if t_units:
        if scale != 1.0:
            dt *= dtype(scale)
        return dt
    lengths = maps[0][rows, cols]
    if dt.shape != lengths.shape:
        dt = dt * lengths
    else:
        dt *= lengths
    if scale != 1.0:
        dt *= dtype(scale)
    return dt


# --- public API ----------------------------------------------------------------------------------
def chord_image(carm: CArm, prim: Convex, dtype=np.float32, use_window: bool = True) -> np.ndarray:
    """Chord length (mm) of every detector ray through one primitive (full frame)."""
    out = np.zeros((carm.pixels, carm.pixels), dtype=dtype)
    accumulate(out, carm, prim, 1.0, dtype=dtype, use_window=use_window)
    return out


def accumulate(
    out: np.ndarray,
    carm: CArm,
    prim: Convex,
    weight: float,
    dtype=np.float32,
    use_window: bool = True,
    lengths: np.ndarray | None = None,
) -> None:
    """Add ``weight * chord_mm`` of ``prim`` into ``out`` (in place).

    ``lengths`` is accepted for compatibility and ignored (ray lengths are cached per detector).
    """
    fr = ray_frame(carm)
    t = _pose(_Plan((prim,)), fr, full_frame=not use_window)[0]
    if t is None:
        return
    out[t.rows, t.cols] += _chord(fr, t, dtype=dtype, scale=weight)


def windowed_sum(carm: CArm, terms, dtype=np.float32):
    """``sum weight * chord_mm`` over (primitive, weight) pairs, on the union of their windows.

    Returns (rows, cols, array) or None if no term reaches the detector: a small deposit
    costs a small array, not a full frame.
    """
    terms = tuple(terms) if not isinstance(terms, tuple) else terms
    fr = ray_frame(carm)
    plan = _plan(terms, [p for p, _ in terms])
    ts = _pose(plan, fr)
    parts = [(t, w) for t, (_, w) in zip(ts, terms) if t is not None]
    if not parts:
        return None
    r0 = min(t.rows.start for t, _ in parts)
    r1 = max(t.rows.stop for t, _ in parts)
    c0 = min(t.cols.start for t, _ in parts)
    c1 = max(t.cols.stop for t, _ in parts)
    out = np.zeros((r1 - r0, c1 - c0), dtype=dtype)
    for t, w in parts:
        out[t.rows.start - r0 : t.rows.stop - r0, t.cols.start - c0 : t.cols.stop - c0] += _chord(
            fr, t, dtype, w
        )
    return slice(r0, r1), slice(c0, c1), out


def _terms_plan(terms) -> tuple[tuple, _Plan]:
    terms = terms if isinstance(terms, tuple) else tuple(terms)
    return terms, _plan(terms, [t.prim for t in terms])


def material_maps(carm: CArm, terms: Iterable, dtype=np.float32) -> dict[str, np.ndarray]:
    """Per-material line-integral maps (mm) of weighted terms (see :class:`.phantom.Term`)."""
    n = carm.pixels
    dtype = np.dtype(dtype).type
    terms, plan = _terms_plan(terms)
    fr = ray_frame(carm)
    maps: dict[str, np.ndarray] = {}
    for term, t in zip(terms, _pose(plan, fr)):
        if t is None:
            continue
        dt = _chord(fr, t, dtype)
        for material, w in term.weights:
            m = maps.get(material)
            if m is None:
                m = maps[material] = np.zeros((n, n), dtype=dtype)
            view = m[t.rows, t.cols]
            if w == 1.0:
                view += dt
            elif w == -1.0:
                view -= dt
            else:
                view += dt * dtype(w)
    return maps


def line_integral_map(
    carm: CArm, terms: Iterable, mu: dict[str, float], dtype=np.float32
) -> np.ndarray:
    """p = sum_m mu_m A_m of weighted terms, accumulated term by term (no per-material maps)."""
    n = carm.pixels
    dtype = np.dtype(dtype).type
    terms, plan = _terms_plan(terms)
    fr = ray_frame(carm)
    todo = []
    for term, t in zip(terms, _pose(plan, fr)):
        w = sum(x * mu[m] for m, x in term.weights)
        if t is not None and w != 0.0:
            todo.append((t, w))
    # terms that vary along rows only and span all rows (the body envelope in views without
    # tilt): summed as one row, then one multiplication by |D| starts the map
    row = np.zeros(n, dtype=dtype)
    rest = []
    for t, w in todo:
        if t.rows.start == 0 and t.rows.stop == n and _row_only(t):
            row[t.cols] += _chord(fr, t, dtype, w, t_units=True)[0]
        else:
            rest.append((t, w))
    out = np.multiply(_ray_maps(n, fr.pixel_mm, fr.sid_mm, dtype)[0], row[None, :])
    for t, w in rest:
        out[t.rows, t.cols] += _chord(fr, t, dtype, w)
    return out


def line_integral(
    maps: dict[str, np.ndarray], mu: dict[str, float], dtype=np.float32
) -> np.ndarray:
    """p = sum_m mu_m A_m (dimensionless)."""
    out = None
    for m, a in maps.items():
        if out is None:
            out = a * dtype(mu[m])
        else:
            out += a * dtype(mu[m])
    return out
