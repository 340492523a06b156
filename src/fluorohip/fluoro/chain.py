"""The imaging chain between the patient and the screen (per C-arm pose, cached).

1. **Basis maps.** Every material's path length is reduced to muscle-equivalent (S) and
   cortical-bone (B) thickness: fat counts as 0.85 mm of muscle per mm (the ratio of their
   attenuation at 50 keV [@Hubbell2004]), cancellous bone as 0.7 muscle + 0.3 cortical
   (the phantom's definition). Bone surfaces add both in one projector pass.
2. **Automatic dose-rate control picks the tube voltage** from the central thickness:
   about 70 kV for a slim hip, rising 1 kV per 5 mm of muscle-equivalent beyond 150 mm to
   at most 120 kV (a typical ADRC curve; assumption). Harder beams lower bone contrast.
3. **Polychromatic attenuation** from the spectrum look-up table of :mod:`.spectra`
   (beam hardening included) [@SpekPy2021] [@XrayDB].
4. **Scatter.** Scatter-to-primary ratio without a grid grows with thickness and field area
   (``spr_per_100mm`` per 100 mm of muscle-equivalent for a 400 cm² field, scaled by the
   square root of the irradiated area; assumption after [@RadiopaediaSPR]); an anti-scatter
   grid passes ``grid_primary_transmission`` of the primary and ``grid_scatter_transmission``
   of the scatter (assumption). Scatter is a very blurred copy of the primary (Gaussian,
   ``scatter_sigma_mm`` at the detector): it adds signal and quantum noise but no detail.
5. **Blur**: focal spot (``focal_spot_mm`` x (M - 1) at the detector) and scintillator
   (``detector_blur_mm``) combined as one Gaussian.

Numbers marked ``assumption`` in :mod:`.constants` are modelling choices to be reviewed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import spectra
from .constants import value
from .imaging import central_roi, gaussian_blur
from .materials import mu_per_mm
from .projector import material_maps

FAT_AS_MUSCLE = 0.202 / 0.238  # mu ratio at 50 keV (fluoro-notes table, NIST)


@dataclass(frozen=True)
class Chain:
    """Per-pose imaging state: primary log attenuation, relative scatter, technique."""

    p_primary: np.ndarray  # polychromatic log attenuation of the anatomy (read-only)
    scatter_rel: np.ndarray  # scatter signal / unattenuated primary signal (behind the grid)
    kvp: float
    spr_central: float  # scatter-to-primary ratio in the central field (behind the grid if any)
    grid: bool
    s_central_mm: float  # muscle-equivalent thickness at the centre
    blur_px: float


def basis_maps(phantom, carm, texture: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(S, B, steel): muscle-equivalent, cortical-bone and metal path lengths (mm) per pixel.

    The bone surfaces are projected once as two path-length images, outer (L_out) and inner
    (L_in): cortex is L_out - L_in and cancellous bone L_in, whose bone fraction f is 0.3
    plus the trabecular texture of :mod:`.trabecular` (``texture=False``: a flat 0.3).
    Cancellous bone counts as (1 - f) muscle + f cortical bone.
    """
    from . import trabecular
    from .meshproj import project_mesh2

    soft = material_maps(carm, phantom.terms)
    n = carm.pixels
    zero = np.zeros((n, n), dtype=np.float32)
    s = (
        soft.get("muscle", zero)
        + FAT_AS_MUSCLE * soft.get("fat", zero)
        + 0.7 * soft.get("cancellous", zero)
    )
    b = soft.get("cortical", zero) + 0.3 * soft.get("cancellous", zero)
    w = phantom.__dict__.get("_surface_w")
    v, f, kind = phantom.bone_surfaces()
    if w is None:
        w = np.eye(2)[kind]  # channel 0: outer surfaces, channel 1: inner surfaces
        object.__setattr__(phantom, "_surface_w", w)
    l_out, l_in = project_mesh2(carm, v, f, w)
    frac = np.float32(0.3)
    if texture:
        frac = frac + trabecular.fraction_offset(carm, phantom.neck_axis)
    canc_as_muscle = (1 - frac) * l_in
    s += canc_as_muscle - l_out
    b += l_out - canc_as_muscle
    return s.astype(np.float32), b.astype(np.float32), soft.get("steel", zero)


def adrc_kvp(s_central_mm: float) -> float:
    """Tube voltage the automatic dose-rate control settles on for this thickness (assumption)."""
    return float(min(120.0, max(70.0, 70.0 + (s_central_mm - 150.0) / 5.0)))


def spr_no_grid(s_central_mm: float, field_area_cm2: float) -> float:
    return (
        value("spr_per_100mm") * s_central_mm / 100.0 * math.sqrt(max(field_area_cm2, 1.0) / 400.0)
    )


@lru_cache(maxsize=2)
def chain_for(phantom, carm, grid: bool = True) -> Chain:
    s, b, metal = basis_maps(phantom, carm)
    roi = central_roi(s.shape, 0.25)
    s_eq = s + b * (mu_per_mm("cortical") / mu_per_mm("muscle"))
    s_c = float(np.median(s_eq[roi]))
    kvp = adrc_kvp(s_c)
    p = spectra.poly_log_attenuation(s, b, kvp)
    if metal.any():  # a prosthesis: steel at its effective attenuation behind the patient
        p += metal * np.float32(overlay_factors(kvp)[0] * mu_per_mm("steel"))
    # field at the patient (isocentre plane), collimated
    side_cm = carm.open_field_mm / carm.magnification / 10.0
    spr = spr_no_grid(s_c, side_cm * side_cm)
    tp = value("grid_primary_transmission") if grid else 1.0
    ts = value("grid_scatter_transmission") if grid else 1.0
    primary = np.exp(-p) * np.float32(tp)
    sig_px = value("scatter_sigma_mm") / carm.pixel_mm
    scat = _broad_blur(primary, sig_px)
    # normalise so the central scatter/primary ratio is the model's SPR (behind the grid)
    spr_eff = spr * ts / tp
    ratio = float(primary[roi].mean()) / max(float(scat[roi].mean()), 1e-12)
    scat *= np.float32(spr_eff * ratio)
    blur_mm = math.hypot(
        value("focal_spot_mm") * (carm.magnification - 1.0), value("detector_blur_mm")
    )
    p.setflags(write=False)
    scat.setflags(write=False)
    return Chain(p, scat, kvp, spr_eff, grid, s_c, blur_mm / carm.pixel_mm)


def _broad_blur(img: np.ndarray, sigma_px: float) -> np.ndarray:
    """A wide Gaussian blur done on a 1/16-size image and brought back bilinearly (cheap, no BLAS)."""
    n = img.shape[0]
    f = max(1, n // 32)
    m = n // f
    small = img[: m * f, : m * f].reshape(m, f, m, f).mean(axis=(1, 3))
    small = gaussian_blur(small, sigma_px / f)
    x = (np.arange(n) + 0.5) / f - 0.5
    i0 = np.clip(np.floor(x).astype(int), 0, m - 1)
    i1 = np.clip(i0 + 1, 0, m - 1)
    t = np.clip(x - np.floor(x), 0, 1).astype(np.float32)
    rows = small[i0] * (1 - t)[:, None] + small[i1] * t[:, None]  # (n, m)
    return (rows[:, i0] * (1 - t)[None, :] + rows[:, i1] * t[None, :]).astype(np.float32)


def overlay_factors(kvp: float) -> tuple[float, float]:
    """(steel, iodine) effective attenuation at this kV relative to the 50 keV values the overlays use."""
    d = spectra.load()
    i = spectra.kv_index(kvp)
    return (
        float(d["mu_steel_eff"][i]) / mu_per_mm("steel"),
        float(d["mu_iodine_eff"][i]) / mu_per_mm("iodine"),
    )


def ii_mask(n: int) -> np.ndarray:
    """Pixels outside the circular image-intensifier field (True = outside)."""
    c = (n - 1) / 2.0
    y, x = np.ogrid[:n, :n]
    return (x - c) ** 2 + (y - c) ** 2 > (n / 2.0) ** 2
