"""Cone-beam line-integral maps of convex primitives (the DRR kernel).

Each primitive is evaluated only inside the detector window covered by the projection of
its bounding sphere; the pixel arithmetic is the closed-form ray-quadric interval of
:mod:`.primitives`. Output: one map per material of summed chord lengths (mm), so the
total log attenuation is ``p = sum_m mu_m A_m`` and other energies only re-weight maps.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterable

import numpy as np

from .geometry import CArm
from .primitives import Convex


@lru_cache(maxsize=8)
def _ray_lengths(pixels: int, pixel_mm: float, sid_mm: float, dtype) -> np.ndarray:
    k = (np.arange(pixels) - (pixels - 1) / 2.0) * pixel_mm
    out = np.sqrt(sid_mm ** 2 + k[None, :] ** 2 + k[:, None] ** 2).astype(dtype)
    out.setflags(write=False)
    return out


def ray_lengths(carm: CArm, dtype=np.float32) -> np.ndarray:
    """|D(u, v)| in mm: the factor turning a chord in t (0 at source, 1 at pixel) into mm."""
    return _ray_lengths(carm.pixels, carm.pixel_mm, carm.sid_mm, dtype)


def window(carm: CArm, prim: Convex) -> tuple[slice, slice] | None:
    """(rows, cols) slices of the detector that the primitive can touch, or None."""
    s = carm.source
    c = prim.bound_centre
    depth = float(-(c - s) @ carm.n)
    r = prim.bound_radius
    if depth - r <= 1e-6:  # bounding sphere reaches the source: use the whole detector
        n = carm.pixels
        return slice(0, n), slice(0, n)
    uv = carm.project(c)
    dist = math.sqrt(max(float((c - s) @ (c - s)), r * r + 1e-9))
    # cone of half-angle asin(r/dist) about the centre ray, widened for obliquity (1/cos^2)
    theta = math.asin(min(r / dist, 0.999))
    half = 1.1 * carm.sid_mm * math.tan(theta) * (dist / depth) ** 2 + 2 * carm.pixel_mm
    col, row = carm.to_pixel(uv)
    hp = half / carm.pixel_mm
    n = carm.pixels
    c0, c1 = max(0, int(math.floor(col - hp))), min(n, int(math.ceil(col + hp)) + 1)
    r0, r1 = max(0, int(math.floor(row - hp))), min(n, int(math.ceil(row + hp)) + 1)
    if c0 >= c1 or r0 >= r1:
        return None
    return slice(r0, r1), slice(c0, c1)


def chord_image(carm: CArm, prim: Convex, dtype=np.float32, use_window: bool = True) -> np.ndarray:
    """Chord length (mm) of every detector ray through one primitive (full frame)."""
    out = np.zeros((carm.pixels, carm.pixels), dtype=dtype)
    accumulate(out, carm, prim, 1.0, dtype=dtype, use_window=use_window)
    return out


def accumulate(out: np.ndarray, carm: CArm, prim: Convex, weight: float, dtype=np.float32,
               use_window: bool = True, lengths: np.ndarray | None = None) -> None:
    """Add ``weight * chord_mm`` of ``prim`` into ``out`` (in place)."""
    win = window(carm, prim) if use_window else (slice(0, carm.pixels), slice(0, carm.pixels))
    if win is None:
        return
    rows, cols = win
    s, w0, e_c, e_r = carm.ray_frame()
    u = carm.pixel_offsets()
    t_in, t_out = prim.ray_interval(s, w0, e_c, e_r, u[cols], u[rows], dtype=dtype)
    dt = t_out - t_in
    np.maximum(dt, 0, out=dt)
    if lengths is None:
        lengths = ray_lengths(carm, dtype)
    dt *= lengths[rows, cols]
    if weight != 1.0:
        dt *= dtype(weight) if isinstance(dtype, type) else weight
    out[rows, cols] += dt


def material_maps(carm: CArm, terms: Iterable, dtype=np.float32) -> dict[str, np.ndarray]:
    """Per-material line-integral maps (mm) of weighted terms (see :class:`.phantom.Term`)."""
    n = carm.pixels
    maps: dict[str, np.ndarray] = {}
    lengths = ray_lengths(carm, dtype)
    for term in terms:
        win = window(carm, term.prim)
        if win is None:
            continue
        rows, cols = win
        s, w0, e_c, e_r = carm.ray_frame()
        u = carm.pixel_offsets()
        t_in, t_out = term.prim.ray_interval(s, w0, e_c, e_r, u[cols], u[rows], dtype=dtype)
        dt = t_out - t_in
        np.maximum(dt, 0, out=dt)
        dt *= lengths[rows, cols]
        for material, w in term.weights:
            m = maps.get(material)
            if m is None:
                m = maps[material] = np.zeros((n, n), dtype=dtype)
            if w == 1.0:
                m[rows, cols] += dt
            else:
                m[rows, cols] += dt * dtype(w)
    return maps


def line_integral(maps: dict[str, np.ndarray], mu: dict[str, float], dtype=np.float32) -> np.ndarray:
    """p = sum_m mu_m A_m (dimensionless)."""
    out = None
    for m, a in maps.items():
        if out is None:
            out = a * dtype(mu[m])
        else:
            out += a * dtype(mu[m])
    return out
