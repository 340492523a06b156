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
import math

import numpy as np

NOISE_MODES = ("poisson", "gaussian", "bank", "none")


def expected_counts(p: np.ndarray, n0: float, out: np.ndarray | None = None) -> np.ndarray:
    """Mean quanta per pixel, Beer-Lambert: N0 exp(-p) = exp(ln N0 - p) (float32; into ``out`` if given)."""
    out = np.subtract(np.float32(np.log(n0)), p, out=out, dtype=np.float32)
    np.exp(out, out=out)
    return out


def noisy_counts(
    mean: np.ndarray,
    rng: np.random.Generator,
    mode: str = "poisson",
    bank: NoiseBank | None = None,
    out: np.ndarray | None = None,
    extra_var: float = 0.0,
    var_factor: float = 1.0,
) -> np.ndarray:
    """Counts with quantum noise: exact Poisson, Gaussian (var = mean), or a noise bank.

    ``extra_var`` adds Gaussian electronic noise (counts^2); ``var_factor`` scales the total
    noise variance (a recursive temporal filter averages frames). ``out`` (float32, may be
    ``mean`` itself) receives the counts instead of a new array.
    """
    if mode == "poisson":
        counts = rng.poisson(mean).astype(np.float32)
        if extra_var > 0:
            counts += rng.standard_normal(mean.shape, dtype=np.float32) * np.float32(
                math.sqrt(extra_var)
            )
        if var_factor != 1.0:
            counts -= mean
            counts *= np.float32(math.sqrt(var_factor))
            counts += mean
        if out is None:
            return counts
        np.copyto(out, counts)
        return out
    if mode == "none":
        if out is None:
            return mean.astype(np.float32, copy=True)
        if out is not mean:
            np.copyto(out, mean)
        return out
    if mode == "gaussian":
        z = rng.standard_normal(mean.shape, dtype=np.float32)
    elif mode == "bank":
        if bank is None:
            raise ValueError("noise mode 'bank' needs a NoiseBank")
        z = bank.next(mean.shape)
    else:
        raise ValueError(f"noise must be one of {', '.join(NOISE_MODES)}; got {mode!r}")
    if extra_var > 0 or var_factor != 1.0:
        dev = mean + np.float32(extra_var)
        if var_factor != 1.0:
            dev *= np.float32(var_factor)
        np.sqrt(dev, out=dev)
    else:
        dev = np.sqrt(mean)
    dev *= z
    if out is None:
        dev += mean
        return dev
    np.add(mean, dev, out=out)
    return out


class NoiseBank:
    """Pre-drawn standard-normal frames, reused cyclically (live view: no RNG per frame)."""

    def __init__(self, shape: tuple[int, int], frames: int = 8, seed: int = 0):
        rng = np.random.default_rng(seed)
        self._frames = rng.standard_normal((frames, *shape), dtype=np.float32)
        self._i = 0

    def next(self, shape) -> np.ndarray:
        if tuple(shape) != self._frames.shape[1:]:
            raise ValueError(
                f"noise bank shape is {self._frames.shape[1:]}; frame shape {tuple(shape)}"
            )
        z = self._frames[self._i % len(self._frames)]
        self._i += 1
        return z


def log_image(counts: np.ndarray, n0: float, out: np.ndarray | None = None) -> np.ndarray:
    """p_hat = -ln(max(N, 0.5) / N0) = ln N0 - ln max(N, 0.5) (into ``out`` if given; may be ``counts``)."""
    out = np.maximum(counts, np.float32(0.5), out=out)
    np.log(out, out=out)
    np.subtract(np.float32(np.log(n0)), out, out=out)
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


def to_display(
    p_hat: np.ndarray, window: tuple[float, float], invert: bool = False, collimation: float = 1.0
) -> np.ndarray:
    """8-bit display image, dense = dark (or bright with ``invert``), radiological left-right."""
    lo, hi = window
    g = np.subtract(np.float32(hi), p_hat, dtype=np.float32)
    g *= np.float32(255.0 / (hi - lo))
    np.clip(g, 0, 255, out=g)
    if invert:
        np.subtract(np.float32(255), g, out=g)
    img = np.empty(g.shape, dtype=np.uint8)
    np.copyto(img[:, ::-1], g, casting="unsafe")  # truncates, as astype does
    if collimation < 1.0:  # collimator blades: unexposed border
        n = img.shape[0]
        edge = int(round(n * (1 - collimation) / 2))
        if edge:
            shade = 255 if invert else 0
            img[:edge, :] = shade
            img[-edge:, :] = shade
            img[:, :edge] = shade
            img[:, -edge:] = shade
    return img


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


def gaussian_kernel(sigma_px: float, truncate: float = 3.0) -> np.ndarray:
    r = max(1, int(math.ceil(truncate * sigma_px)))
    x = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / max(sigma_px, 1e-6)) ** 2)
    return (k / k.sum()).astype(np.float32)


def gaussian_blur(img: np.ndarray, sigma_px: float, out: np.ndarray | None = None) -> np.ndarray:
    """Separable Gaussian blur (edges replicated), as a sum of shifted slices: no scipy, float32."""
    img = np.asarray(img, dtype=np.float32)
    if sigma_px <= 0:
        return img.copy() if out is None else np.copyto(out, img) or out
    k = gaussian_kernel(sigma_px)
    r = len(k) // 2
    tmp = np.pad(img, ((0, 0), (r, r)), mode="edge")
    acc = np.zeros_like(img)
    n = img.shape[1]
    for i, w in enumerate(k):
        acc += w * tmp[:, i : i + n]
    tmp = np.pad(acc, ((r, r), (0, 0)), mode="edge")
    res = np.zeros_like(img) if out is None else out
    res[...] = 0
    m = img.shape[0]
    for i, w in enumerate(k):
        res += w * tmp[i : i + m, :]
    return res
