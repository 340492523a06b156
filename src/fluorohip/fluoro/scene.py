"""A scene (phantom + needle + contrast) and the renderer that turns it into frames.

Anatomy maps depend only on the phantom and the C-arm pose, so they are cached under that
key; the needle and contrast are projected on their own (small windows) and added, which is
what keeps needle and pedal updates fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import imaging
from .constants import value
from .contrast import Deposit, inject
from .dose import Exposure, exposure
from .geometry import CArm
from .materials import mu_per_mm
from .needle import Needle, TipResult, place
from .phantom import HipPhantom
from .projector import accumulate, material_maps, ray_lengths


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
        result = place(self.phantom, needle)
        self.needle = result.needle
        self._tip = result
        return result

    def tip(self) -> TipResult | None:
        if self.needle is None:
            return None
        cached = self.__dict__.get("_tip")
        if cached is None or cached.needle != self.needle:
            cached = self._tip = place(self.phantom, self.needle)
        return cached

    def inject(self, volume_ml: float, seed: int = 0, **kw) -> list[Deposit]:
        """Inject at the current tip; the pattern follows the tip's compartment."""
        if self.needle is None:
            raise ValueError("needle must be placed before injecting; got no needle")
        res = self.tip()
        new = inject(self.phantom, res.needle.tip_mm, res.label, volume_ml, time_s=self.time_s, seed=seed, **kw)
        self.deposits.extend(new)
        return new


@lru_cache(maxsize=16)
def anatomy_maps(phantom: HipPhantom, carm: CArm) -> dict[str, np.ndarray]:
    """Cached per-material line-integral maps (mm) of the anatomy (read-only arrays)."""
    maps = material_maps(carm, phantom.terms)
    for m in maps.values():
        m.setflags(write=False)
    return maps


@lru_cache(maxsize=16)
def anatomy_line_integral(phantom: HipPhantom, carm: CArm) -> np.ndarray:
    maps = anatomy_maps(phantom, carm)
    p = np.zeros((carm.pixels, carm.pixels), dtype=np.float32)
    for m, a in maps.items():
        p += a * np.float32(mu_per_mm(m))
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
    t0, t1 = outer.line_interval(carm.source, -carm.n)
    return float(t0[0])


def overlay_line_integral(scene: Scene, carm: CArm, live: bool = True) -> np.ndarray | None:
    """Needle (steel) and contrast (iodine) log attenuation, or None if neither is present."""
    n = carm.pixels
    out = None
    lengths = None
    if scene.needle is not None or scene.deposits:
        out = np.zeros((n, n), dtype=np.float32)
        lengths = ray_lengths(carm)
    if scene.needle is not None:
        w = mu_per_mm("steel") - mu_per_mm("muscle")
        accumulate(out, carm, scene.needle.primitive(), w, lengths=lengths)
    mu_i = mu_per_mm("iodine")
    cache = scene.__dict__.setdefault("_iodine_cache", {})
    for dep in scene.deposits:
        f = dep.weight_at(scene.time_s)
        if dep.transient and not live:
            f = 0.0
        if f < 1e-3:
            continue
        key = (id(dep), carm)
        iodine = cache.get(key)
        if iodine is None:  # a deposit's iodine map depends only on the pose: project once
            iodine = np.zeros((n, n), dtype=np.float32)
            for prim, conc in dep.terms:
                accumulate(iodine, carm, prim, conc, lengths=lengths)
            if len(cache) > 64:
                cache.clear()
            cache[key] = iodine
        out += iodine * np.float32(mu_i * f)
    return out


@dataclass(frozen=True)
class Frame:
    """One displayed frame and what it cost."""

    image: np.ndarray          # uint8 display image (radiological orientation)
    p: np.ndarray              # noise-free log attenuation
    p_hat: np.ndarray          # measured log attenuation
    n0: float                  # unattenuated quanta per pixel
    exposure: Exposure
    carm: CArm
    tip: TipResult | None
    deposits: tuple[str, ...]
    inverted: bool = False

    def description(self) -> str:
        """Alt text for the frame."""
        parts = [f"Simulated fluoroscopy frame, {self.carm.describe()}, {self.carm.field_mode} field"
                 f"{', collimated' if self.carm.collimation < 1 else ''}: right hip with femoral head, neck "
                 f"and acetabulum; bone appears {'light' if self.inverted else 'dark'}."]
        if self.tip is not None:
            parts.append(f"Needle tip {self.tip.label}{' with bone contact' if self.tip.bone_contact else ''}.")
        if self.deposits:
            parts.append("Contrast: " + ", ".join(self.deposits) + ".")
        parts.append(f"Quantum noise at about {self.n0 * np.exp(-float(np.median(self.p))):.0f} quanta per pixel.")
        return " ".join(parts)


def render(scene: Scene, carm: CArm, *, pps: float = 6.0, seconds: float | None = None,
           noise: str = "poisson", seed: int = 0, rng: np.random.Generator | None = None,
           bank: imaging.NoiseBank | None = None, invert: bool = False, live: bool = True,
           k_target_ugy: float | None = None) -> Frame:
    """Render one frame of ``scene`` seen by ``carm`` (the last frame of a pedal press).

    ``seconds`` is the press length (default one frame). Dose follows :mod:`.dose`; noise
    level follows the detector kerma. Same seed, same bytes.
    """
    if seconds is None:
        seconds = 1.0 / pps
    p_anat = anatomy_line_integral(scene.phantom, carm)
    over = overlay_line_integral(scene, carm, live=live)
    p = p_anat if over is None else p_anat + over
    exp_ = exposure(pps=pps, seconds=seconds, mean_p_central=abc_log_attenuation(scene.phantom, carm),
                    ssd_mm=skin_distance_mm(scene.phantom, carm), sid_mm=carm.sid_mm,
                    field_mm=carm.field_mm, open_field_mm=carm.open_field_mm,
                    detector=carm.detector, k_target_ugy=k_target_ugy)
    n0 = exp_.k_air_det_ugy * value("quanta_per_ugy_mm2") * carm.pixel_mm ** 2
    rng = np.random.default_rng(seed) if rng is None else rng
    mean = imaging.expected_counts(p, n0)
    counts = imaging.noisy_counts(mean, rng, noise, bank)
    p_hat = imaging.log_image(counts, n0)
    win = imaging.auto_window(p_anat if noise == "none" else p_hat)
    img = imaging.to_display(p_hat, win, invert=invert, collimation=carm.collimation)
    tip = scene.tip()
    deps = tuple(d.pattern for d in scene.deposits if d.weight_at(scene.time_s) >= 1e-3 and (live or not d.transient))
    return Frame(img, p, p_hat, n0, exp_, carm, tip, deps, invert)
