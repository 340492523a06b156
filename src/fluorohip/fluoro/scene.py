"""A scene (phantom + needle + contrast) and the renderer that turns it into frames.

Anatomy maps depend only on the phantom and the C-arm pose, so they are cached under that
key; the needle and contrast are projected on their own (small windows) and added, which is
what keeps needle and pedal updates fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from . import imaging
from .chain import chain_for, ii_mask, overlay_factors
from .constants import value
from .contrast import Deposit, inject
from .dose import Exposure, exposure
from .geometry import CArm
from .materials import mu_per_mm
from .needle import Needle, TipResult, place
from .phantom import HipPhantom
from .projector import line_integral_map, material_maps, windowed_sum


@dataclass
class Scene:
    """What is in the beam: the patient, an optional needle, contrast deposits, a clock."""

    phantom: HipPhantom = field(default_factory=HipPhantom)
    needle: Needle | None = None
    deposits: list[Deposit] = field(default_factory=list)
    time_s: float = 0.0

    def set_needle(self, needle: Needle | None) -> TipResult | None:
        if needle is None:
            self.needle = None
            return None
        result = _place(self.phantom, needle)
        self.needle = result.needle
        self._tip = result
        return result

    def tip(self) -> TipResult | None:
        if self.needle is None:
            return None
        cached = self.__dict__.get("_tip")
        if cached is None or cached.needle != self.needle:
            cached = self._tip = _place(self.phantom, self.needle)
        return cached

    def inject(self, volume_ml: float, seed: int = 0, **kw) -> list[Deposit]:
        """Inject at the current tip; the pattern follows the tip's compartment."""
        if self.needle is None:
            raise ValueError("needle must be placed before injecting; got no needle")
        res = self.tip()
        new = inject(
            self.phantom,
            res.needle.tip_mm,
            res.label,
            volume_ml,
            time_s=self.time_s,
            seed=seed,
            **kw,
        )
        self.deposits.extend(new)
        return new


def _place(phantom: HipPhantom, needle) -> TipResult:
    """A needle that knows how to place itself (e.g. :class:`.spinal_needle.SpinalNeedle`) does."""
    own = getattr(needle, "place", None)
    return own(phantom) if own is not None else place(phantom, needle)


# Full-frame arrays are cached for at most two poses (the pose being moved to and the one
# before): a slider drag must not pile up frame-sized arrays, one per step.
@lru_cache(maxsize=1)
def anatomy_maps(phantom: HipPhantom, carm: CArm) -> dict[str, np.ndarray]:
    """Per-material line-integral maps (mm) of the anatomy (read-only arrays; not used by :func:`render`)."""
    maps = material_maps(carm, phantom.terms)
    for m, a in phantom.bone_material_maps(carm).items():
        maps[m] = maps[m] + a if m in maps else a
    for m in maps.values():
        m.setflags(write=False)
    return maps


@lru_cache(maxsize=2)
def anatomy_line_integral(phantom: HipPhantom, carm: CArm) -> np.ndarray:
    """Log attenuation of the anatomy, ``sum_m mu_m A_m``, accumulated term by term (read-only)."""
    p = line_integral_map(carm, phantom.terms, phantom.mu)
    p += phantom.bone_line_integral(carm)  # real bone surfaces: exact path lengths (numba)
    p.setflags(write=False)
    return p


@lru_cache(maxsize=16)
def abc_log_attenuation(phantom: HipPhantom, carm: CArm, fraction: float = 0.25) -> float:
    """Effective log attenuation the automatic dose-rate control sees: ``-ln mean(exp(-p))``.

    The control loop holds the *mean detector signal* in its central measuring field at
    target, and the signal is ``N0 exp(-p)``, so the transmission that sets the dose is the
    mean of ``exp(-p)`` over the field, not ``exp(-mean p)``; the latter overstates the
    dose (by about 13 % for the default hip, Jensen's inequality).
    """
    p = anatomy_line_integral(phantom, carm)
    roi = p[imaging.central_roi(p.shape, fraction)].astype(np.float64)
    return float(-np.log(np.mean(np.exp(-roi))))


@lru_cache(maxsize=16)
def skin_distance_mm(phantom: HipPhantom, carm: CArm) -> float:
    """Source-to-skin distance along the central ray (mm)."""
    outer = phantom.regions["fat"][0].prim
    t0, _t1 = outer.line_interval(carm.source, -carm.n)
    return float(t0[0])


_IODINE_POSES = 2  # deposit iodine maps kept for this many C-arm poses per scene


def _iodine_windows(scene: Scene, carm: CArm) -> list:
    """Per deposit: (deposit, window of its iodine map (mg/mL x mm) or None), projected once per pose.

    A deposit covers a small part of the detector, so only its window is stored; the cache is
    keyed by pose and holds the last ``_IODINE_POSES`` poses.
    """
    cache = scene.__dict__.setdefault("_iodine_cache", {})
    per_pose = cache.pop(carm, None)
    if per_pose is None:
        per_pose = {}
    cache[carm] = per_pose  # most recent last
    while len(cache) > _IODINE_POSES:
        cache.pop(next(iter(cache)))
    out = []
    for dep in scene.deposits:
        if hasattr(dep, "iodine_map"):  # a 3-D contrast cloud projects itself (see contrast3d)
            continue
        entry = per_pose.get(id(dep))
        if entry is None or entry[0] is not dep:
            entry = per_pose[id(dep)] = (dep, windowed_sum(carm, dep.terms))
        out.append(entry)
    return out


def overlay_line_integral(
    scene: Scene,
    carm: CArm,
    live: bool = True,
    base: np.ndarray | None = None,
    steel_factor: float = 1.0,
    iodine_factor: float = 1.0,
) -> np.ndarray | None:
    """Needle (steel) and contrast (iodine) log attenuation, or None if neither is present.

    With ``base`` the overlay is added to a copy of it (one full-frame array, not two).
    """
    n = carm.pixels
    out = None

    def target() -> np.ndarray:
        nonlocal out
        if out is None:
            out = (
                np.zeros((n, n), dtype=np.float32)
                if base is None
                else np.array(base, dtype=np.float32)
            )
        return out

    if scene.needle is not None:
        key = (scene.needle, carm)
        hit = scene.__dict__.get("_needle_cache")
        if hit is None or hit[0] != key:  # the needle's map depends only on needle and pose
            w = mu_per_mm("steel") - mu_per_mm("muscle")
            own = getattr(
                scene.needle, "terms", None
            )  # a needle with hub and bevel draws its own parts
            terms = own() if own is not None else ((scene.needle.primitive(), w),)
            hit = scene.__dict__["_needle_cache"] = (key, windowed_sum(carm, terms))
        needle = hit[1]
        if needle is not None:
            rows, cols, a = needle
            target()[rows, cols] += a if steel_factor == 1.0 else a * np.float32(steel_factor)
        else:
            target()
    mu_i = mu_per_mm("iodine") * iodine_factor
    for dep, iodine in _iodine_windows(scene, carm):
        f = dep.weight_at(scene.time_s)
        if dep.transient and not live:
            f = 0.0
        if f < 1e-3:
            continue
        p = target()
        if iodine is not None:
            rows, cols, a = iodine
            p[rows, cols] += a * np.float32(mu_i * f)
    for dep in scene.deposits:  # 3-D contrast clouds: iodine map at the scene's time
        if not hasattr(dep, "iodine_map"):
            continue
        if dep.transient and not live:
            continue
        win = dep.iodine_map(carm, scene.time_s)
        if win is not None:
            rows, cols, a = win
            target()[rows, cols] += a * np.float32(mu_i)
    return out


@dataclass(frozen=True)
class Frame:
    """One displayed frame and what it cost."""

    image: np.ndarray  # uint8 display image (radiological orientation)
    p: np.ndarray  # noise-free log attenuation
    p_hat: np.ndarray  # measured log attenuation
    n0: float  # unattenuated quanta per pixel
    exposure: Exposure
    carm: CArm
    tip: TipResult | None
    deposits: tuple[str, ...]
    inverted: bool = False
    window: tuple[float, float] | None = None  # log-domain display window (lo, hi)
    kvp: float | None = None  # tube voltage the dose-rate control chose (None: 50 keV mono)
    spr: float = 0.0  # central scatter-to-primary ratio at the detector
    grid: bool = True

    def redisplayed(self, invert: bool) -> Frame:
        """The same exposure shown with the other polarity (display only: no new dose, same noise)."""
        win = self.window if self.window is not None else imaging.auto_window(self.p_hat)
        img = imaging.to_display(self.p_hat, win, invert=invert, collimation=self.carm.collimation)
        return replace(self, image=img, inverted=bool(invert), window=win)

    def description(self) -> str:
        """Alt text for the frame."""
        parts = [
            f"Simulated fluoroscopy frame, {self.carm.describe()}, {self.carm.field_mode} field"
            f"{', collimated' if self.carm.collimation < 1 else ''}: right hip with femoral head, neck "
            f"and acetabulum; bone appears {'light' if self.inverted else 'dark'}."
        ]
        if self.tip is not None:
            parts.append(
                f"Needle tip {self.tip.label}{' with bone contact' if self.tip.bone_contact else ''}."
            )
        if self.deposits:
            parts.append("Contrast: " + ", ".join(self.deposits) + ".")
        if self.kvp is not None:
            parts.append(
                f"{self.kvp:.0f} kV, {'with' if self.grid else 'without'} grid, scatter-to-primary "
                f"ratio {self.spr:.1f}."
            )
        parts.append(
            f"Quantum noise at about {self.n0 * np.exp(-float(np.median(self.p))):.0f} quanta per pixel."
        )
        return " ".join(parts)


def render(
    scene: Scene,
    carm: CArm,
    *,
    pps: float = 6.0,
    seconds: float | None = None,
    noise: str = "poisson",
    seed: int = 0,
    rng: np.random.Generator | None = None,
    bank: imaging.NoiseBank | None = None,
    invert: bool = False,
    live: bool = True,
    k_target_ugy: float | None = None,
    grid: bool = True,
    physics: str = "chain",
    noise_var_factor: float = 1.0,
) -> Frame:
    """Render one frame of ``scene`` seen by ``carm`` (the last frame of a pedal press).

    ``physics="chain"`` (default) runs the imaging chain of :mod:`.chain`: polychromatic
    beam with beam hardening at the kV the dose-rate control picks, scatter (``grid`` on or
    off), focal-spot and detector blur, quantum and electronic noise. ``physics="mono"`` is
    the plain 50 keV line-integral image (what ``plastimatch`` is compared with).
    ``seconds`` is the press length (default one frame); ``noise_var_factor`` scales the
    noise variance (the live recursive filter). Dose follows :mod:`.dose`; same seed, same bytes.
    """
    if seconds is None:
        seconds = 1.0 / pps
    if physics not in ("chain", "mono"):
        raise ValueError(f"physics must be 'chain' or 'mono'; got {physics!r}")
    n = carm.pixels
    if physics == "mono":
        p_anat = anatomy_line_integral(scene.phantom, carm)
        over = overlay_line_integral(scene, carm, live=live, base=p_anat)
        p_prim = p_anat if over is None else over
        scatter = None
        sig_rel_c = math.exp(-abc_log_attenuation(scene.phantom, carm))
        tp, blur_px, kvp, spr = 1.0, 0.0, None, 0.0
    else:
        ch = chain_for(scene.phantom, carm, grid)
        f_st, f_io = overlay_factors(ch.kvp)
        p_anat = ch.p_primary
        over = overlay_line_integral(
            scene, carm, live=live, base=p_anat, steel_factor=f_st, iodine_factor=f_io
        )
        p_prim = p_anat if over is None else over
        scatter = ch.scatter_rel
        tp = value("grid_primary_transmission") if grid else 1.0
        sig_rel_c = _abc_signal(scene.phantom, carm, grid)
        blur_px, kvp, spr = ch.blur_px, ch.kvp, ch.spr_central
    exp_ = exposure(
        pps=pps,
        seconds=seconds,
        mean_p_central=-math.log(sig_rel_c),
        ssd_mm=skin_distance_mm(scene.phantom, carm),
        sid_mm=carm.sid_mm,
        field_mm=carm.field_mm,
        open_field_mm=carm.open_field_mm,
        detector=carm.detector,
        k_target_ugy=k_target_ugy,
    )
    q_pix = value("quanta_per_ugy_mm2") * carm.pixel_mm**2
    n0 = exp_.k_air_det_ugy * q_pix
    rng = np.random.default_rng(seed) if rng is None else rng
    # one full-frame buffer carries mean -> counts -> p_hat
    mean = imaging.expected_counts(p_prim, n0 * tp)
    if blur_px > 0.05:
        mean = imaging.gaussian_blur(mean, blur_px)
    if scatter is not None:
        mean += np.float32(n0) * scatter
    p_clean = None
    if noise == "none":
        p_clean = np.subtract(
            np.float32(math.log(n0)), np.log(np.maximum(mean, np.float32(0.5))), dtype=np.float32
        )
    e_var = 0.0 if physics == "mono" else value("electronic_noise_ugy") * q_pix
    counts = imaging.noisy_counts(
        mean, rng, noise, bank, out=mean, extra_var=e_var, var_factor=noise_var_factor
    )
    p_hat = imaging.log_image(counts, n0, out=counts)
    p_show = p_clean if p_clean is not None else p_prim
    win = imaging.auto_window(p_show if noise == "none" else p_hat)
    img = imaging.to_display(p_hat, win, invert=invert, collimation=carm.collimation)
    if carm.detector == "image_intensifier":  # the round field of an image intensifier
        img[ii_mask(n)] = 255 if invert else 0
    tip = scene.tip()
    deps = tuple(
        d.pattern
        for d in scene.deposits
        if d.weight_at(scene.time_s) >= 1e-3 and (live or not d.transient)
    )
    return Frame(img, p_show, p_hat, n0, exp_, carm, tip, deps, invert, win, kvp, spr, grid)


@lru_cache(maxsize=16)
def _abc_signal(phantom: HipPhantom, carm: CArm, grid: bool) -> float:
    """Mean signal (primary behind the grid plus scatter) / unattenuated signal in the ADRC field."""
    ch = chain_for(phantom, carm, grid)
    roi = imaging.central_roi(ch.p_primary.shape, 0.25)
    tp = value("grid_primary_transmission") if grid else 1.0
    prim = np.exp(-ch.p_primary[roi].astype(np.float64)) * tp
    return float((prim + ch.scatter_rel[roi]).mean())
