"""Image formation: Beer-Lambert, quantum noise at a given dose, log image and display.

Signal: expected quanta per pixel ``N = N0 exp(-p)`` with ``N0 = K_air,det q a_pix``
(unattenuated detector air kerma per frame x photons per uGy per mm^2 x pixel area; q at
50 keV from (mu_en/rho)_air [@Hubbell2004]). Counts are Poisson; the live view may use a
Gaussian with variance = mean, or a bank of pre-drawn normal frames, which match the
Poisson mean and variance. The log image ``p_hat = -ln(max(N, 0.5)/N0)`` has
``var(p_hat) ~ 1/N``. Display follows transmitted quanta: dense structures (bone, needle,
contrast) are dark on a light field, with an invert toggle because digital units can show
either polarity [@DartmouthFluoro]. Displayed frames are flipped left-right so the
patient's right is on the viewer's left.
"""

from __future__ import annotations

import io

import numpy as np

NOISE_MODES = ("poisson", "gaussian", "bank", "none")


def expected_counts(p: np.ndarray, n0: float) -> np.ndarray:
    """Mean quanta per pixel, Beer-Lambert: N0 exp(-p)."""
    out = np.negative(p, dtype=np.float32)
    np.exp(out, out=out)
    out *= np.float32(n0)
    return out


def noisy_counts(mean: np.ndarray, rng: np.random.Generator, mode: str = "poisson",
                 bank: "NoiseBank | None" = None) -> np.ndarray:
    """Counts with quantum noise: exact Poisson, Gaussian (var = mean), or a noise bank."""
    if mode == "poisson":
        return rng.poisson(mean).astype(np.float32)
    if mode == "none":
        return mean.astype(np.float32, copy=True)
    if mode == "gaussian":
        z = rng.standard_normal(mean.shape, dtype=np.float32)
    elif mode == "bank":
        if bank is None:
            raise ValueError("noise mode 'bank' needs a NoiseBank")
        z = bank.next(mean.shape)
    else:
        raise ValueError(f"noise must be one of {', '.join(NOISE_MODES)}; got {mode!r}")
    out = np.sqrt(mean)
    out *= z
    out += mean
    return out


class NoiseBank:
    """Pre-drawn standard-normal frames, reused cyclically (live view: no RNG per frame)."""

    def __init__(self, shape: tuple[int, int], frames: int = 8, seed: int = 0):
        rng = np.random.default_rng(seed)
        self._frames = rng.standard_normal((frames, *shape), dtype=np.float32)
        self._i = 0

    def next(self, shape) -> np.ndarray:
        if tuple(shape) != self._frames.shape[1:]:
            raise ValueError(f"noise bank shape is {self._frames.shape[1:]}; frame shape {tuple(shape)}")
        z = self._frames[self._i % len(self._frames)]
        self._i += 1
        return z


def log_image(counts: np.ndarray, n0: float) -> np.ndarray:
    """p_hat = -ln(max(N, 0.5) / N0)."""
    out = np.maximum(counts, np.float32(0.5))
    out *= np.float32(1.0 / n0)
    np.log(out, out=out)
    np.negative(out, out=out)
    return out


def central_roi(shape: tuple[int, int], fraction: float = 0.5) -> tuple[slice, slice]:
    n_r, n_c = shape
    hr, hc = int(n_r * fraction / 2), int(n_c * fraction / 2)
    return slice(n_r // 2 - hr, n_r // 2 + hr), slice(n_c // 2 - hc, n_c // 2 + hc)


def auto_window(p_hat: np.ndarray, fraction: float = 0.5) -> tuple[float, float]:
    """(lo, hi) log-domain window from the central ROI's 1st and 99th percentiles."""
    roi = p_hat[central_roi(p_hat.shape, fraction)]
    sub = roi[::4, ::4]
    lo, hi = np.percentile(sub, (1.0, 99.0))
    if hi - lo < 1e-6:
        hi = lo + 1e-6
    return float(lo), float(hi)


def to_display(p_hat: np.ndarray, window: tuple[float, float], invert: bool = False,
               collimation: float = 1.0) -> np.ndarray:
    """8-bit display image, dense = dark (or bright with ``invert``), radiological left-right."""
    lo, hi = window
    g = (np.float32(hi) - p_hat) * np.float32(255.0 / (hi - lo))
    np.clip(g, 0, 255, out=g)
    if invert:
        g = 255 - g
    img = g.astype(np.uint8)[:, ::-1]
    if collimation < 1.0:  # collimator blades: unexposed border
        n = img.shape[0]
        edge = int(round(n * (1 - collimation) / 2))
        if edge:
            img = img.copy()
            shade = 255 if invert else 0
            img[:edge, :] = shade
            img[-edge:, :] = shade
            img[:, :edge] = shade
            img[:, -edge:] = shade
    return np.ascontiguousarray(img)


def jpeg_bytes(img: np.ndarray, quality: int = 90) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    mode = "RGB" if img.ndim == 3 else "L"
    Image.fromarray(img, mode=mode).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def png_bytes(img: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()
