"""Trabecular texture of cancellous bone: a seeded, band-limited 3-D field fixed to the patient.

Why: on a real image cancellous bone is not a flat grey; the femoral head and neck show a
mottled, streaky trabecular pattern, with the principal compressive trabeculae running along
the neck. Without it the simulated bone looks like plastic. The texture changes the local
bone fraction of cancellous bone around its mean (0.3 cortical-bone equivalent, the split
behind ``mu_cancellous_per_cm`` [@Haba2012]) with standard deviation
``trabecular_fraction_sd``, so its mean attenuation is unchanged.

How (cheap enough for a C-arm move): a grid of seeded Gaussian noise with spacing
``trabecular_grain_mm`` around the hip, smoothed (binomial filter), normalised to unit SD,
is sampled where each pixel's ray crosses the isocentre plane, with coordinates compressed
3x along the neck axis (streaks along the neck). The field is fixed to the patient, so it
moves with the anatomy when the C-arm turns; it is a projection-level approximation, not
simulated trabeculae. Same seed, same texture, same frame.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .constants import value

#: the default seed of the texture (a patient's bones do not change between sessions)
TEXTURE_SEED = 21
#: grid points per side; with 2 mm spacing the cube covers 192 mm around the hip
GRID_N = 96
#: centre of the cube (mm, patient frame): between the head, the trochanters and the acetabulum
CENTRE_MM = np.array([-20.0, 0.0, -20.0])
NECK_STRETCH = 3.0


@lru_cache(maxsize=2)
def texture_grid(seed: int = TEXTURE_SEED) -> np.ndarray:
    """(GRID_N,)*3 float32 field with mean 0 and SD 1 (read-only)."""
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((GRID_N, GRID_N, GRID_N), dtype=np.float32)
    for axis in range(3):  # binomial [1 4 6 4 1] / 16 along each axis
        g = (
            np.roll(g, 2, axis)
            + 4 * np.roll(g, 1, axis)
            + 6 * g
            + 4 * np.roll(g, -1, axis)
            + np.roll(g, -2, axis)
        ) / np.float32(16.0)
    g -= g.mean()
    g /= g.std()
    g.setflags(write=False)
    return g


def sample(points_mm: np.ndarray, neck_axis, seed: int = TEXTURE_SEED) -> np.ndarray:
    """Texture value (SD 1) at points (..., 3), trilinear; 0 outside the cube."""
    grid = texture_grid(seed)
    p = np.asarray(points_mm, dtype=np.float64) - CENTRE_MM
    a = np.asarray(neck_axis, dtype=np.float64)
    along = p @ a
    p = p + np.multiply.outer(along / NECK_STRETCH - along, a)  # compress along the neck
    f = p / value("trabecular_grain_mm") + (GRID_N - 1) / 2.0
    inside = np.all((f >= 0) & (f <= GRID_N - 1.001), axis=-1)
    f = np.clip(f, 0, GRID_N - 1.001)
    i = f.astype(np.intp)
    t = (f - i).astype(np.float32)
    flat = grid.ravel()
    n = GRID_N
    out = np.zeros(f.shape[:-1], dtype=np.float32)
    for dx in (0, 1):
        wx = t[..., 0] if dx else 1 - t[..., 0]
        for dy in (0, 1):
            wy = t[..., 1] if dy else 1 - t[..., 1]
            for dz in (0, 1):
                wz = t[..., 2] if dz else 1 - t[..., 2]
                k = ((i[..., 0] + dx) * n + (i[..., 1] + dy)) * n + (i[..., 2] + dz)
                out += wx * wy * wz * flat[k]
    return np.where(inside, out, np.float32(0.0))


#: spacing (mm at the isocentre) of the grid the texture is sampled on before upsampling
SAMPLE_MM = 2.0


def _upsample(img: np.ndarray, n: int) -> np.ndarray:
    """Bilinear resampling of a square (m, m) image onto (n, n) pixel centres (same field)."""
    m = img.shape[0]
    x = np.clip((np.arange(n) + 0.5) * m / n - 0.5, 0.0, m - 1.0)
    i0 = np.minimum(x.astype(np.intp), m - 2)
    t = (x - i0).astype(np.float32)
    rows = img[i0] * (1 - t)[:, None] + img[i0 + 1] * t[:, None]
    return rows[:, i0] * (1 - t)[None, :] + rows[:, i0 + 1] * t[None, :]


def fraction_offset(carm, neck_axis, seed: int = TEXTURE_SEED) -> np.ndarray:
    """Per pixel: change of the cancellous bone fraction (SD ``trabecular_fraction_sd``), float32.

    Sampled where each pixel's ray crosses the plane through the isocentre normal to the beam,
    on a grid of about ``SAMPLE_MM`` (finer than the texture's grain) and resampled bilinearly
    to the detector: a frame needs about 10 000 texture look-ups (the field is smooth on that scale:
    binomial-filtered noise on a grid of the same spacing) instead of one per pixel.
    """
    n = carm.pixels
    field_iso = n * carm.pixel_mm / carm.magnification
    m = int(min(n, max(8, np.ceil(field_iso / SAMPLE_MM))))
    e_c, e_r = (np.asarray(e, dtype=np.float64) for e in carm.axes)
    k = (np.arange(m) - (m - 1) / 2.0) * field_iso / m
    pts = (
        np.asarray(carm.isocentre_mm, dtype=np.float64)
        + k[None, :, None] * e_c[None, None, :]
        + k[:, None, None] * e_r[None, None, :]
    )
    coarse = sample(pts, neck_axis, seed) * np.float32(value("trabecular_fraction_sd"))
    return coarse if m == n else _upsample(coarse, n).astype(np.float32)
