"""Tube spectra and beam hardening: a polychromatic look-up table built from kept libraries.

:func:`build` (authoring step; needs ``spekpy`` [@SpekPy2021] and ``xraydb`` [@XrayDB]) computes,
for tube voltages 60-120 kV with the C-arm's filtration (``filtration_al_mm`` Al plus
``filtration_cu_mm`` Cu, assumption), the photon spectrum, the linear attenuation of muscle
and cortical bone (ICRU-44 compositions [@Hubbell2004]), iodine and steel, and the energy
absorbed in a 0.6 mm CsI scintillator (an energy-integrating flat panel). From them it
tabulates the *polychromatic* log attenuation ``p(S, B) = -ln(signal / signal_0)`` over a
grid of muscle-equivalent thickness S and cortical-bone thickness B: beam hardening is in
the table (a thick patient's beam is harder, so bone contrast per mm falls). Iodine and steel
get effective coefficients behind 200 mm of muscle. The archive ``assets/fluoro_spectra.npz``
is what the simulator reads at run time (numpy only).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

KVPS = (60.0, 70.0, 80.0, 90.0, 100.0, 110.0, 120.0)
S_GRID = np.linspace(0.0, 600.0, 121)  # muscle-equivalent mm
B_GRID = np.linspace(0.0, 160.0, 81)  # cortical-bone mm
ARCHIVE = "fluoro_spectra.npz"

# ICRU-44 mass fractions (percent)
MUSCLE = (
    {"H": 10.2, "C": 14.3, "N": 3.4, "O": 71.0, "Na": 0.1, "P": 0.2, "S": 0.3, "Cl": 0.1, "K": 0.4},
    1.05,
)
CORTICAL = (
    {
        "H": 3.4,
        "C": 15.5,
        "N": 4.2,
        "O": 43.5,
        "Na": 0.1,
        "Mg": 0.2,
        "P": 10.3,
        "S": 0.3,
        "Ca": 22.5,
    },
    1.92,
)
STEEL = ({"Fe": 70.0, "Cr": 19.0, "Ni": 9.0, "Mn": 2.0}, 8.0)


def _path() -> Path:
    from ..core.paths import assets_dir

    return assets_dir() / ARCHIVE


def _mu_mix(fractions: dict, density: float, e_ev: np.ndarray) -> np.ndarray:
    """Linear attenuation (1/mm) of a mixture given by mass fractions."""
    import xraydb

    tot = sum(fractions.values())
    mu_rho = sum((w / tot) * xraydb.mu_elam(el, e_ev) for el, w in fractions.items())  # cm2/g
    return mu_rho * density / 10.0


def build(out_path=None) -> Path:
    import spekpy
    import xraydb

    from .constants import value

    al, cu = value("filtration_al_mm"), value("filtration_cu_mm")
    out = {"kvps": np.array(KVPS), "s_grid": S_GRID, "b_grid": B_GRID}
    luts, mu_i, mu_st, kerma = [], [], [], []
    for kv in KVPS:
        sp = spekpy.Spek(kvp=kv, th=12.0)
        sp.filter("Al", al)
        sp.filter("Cu", cu)
        k, phi = sp.get_spectrum()  # keV, photons per keV per cm2 per mAs at 1 m
        keep = (k >= 10.0) & (phi > 0)
        k, phi = k[keep], phi[keep]
        e = k * 1000.0
        m_mus = _mu_mix(*MUSCLE, e)
        m_cor = _mu_mix(*CORTICAL, e)
        m_io = xraydb.mu_elam("I", e) * 1e-3 / 10.0  # per mg/mL, 1/mm
        m_st = _mu_mix(*STEEL, e)
        csi = 1.0 - np.exp(
            -xraydb.material_mu("CsI", e, density=4.51) * 0.06
        )  # 0.6 mm, fraction absorbed
        w = phi * k * csi  # energy absorbed per keV bin
        w = w / w.sum()
        ss, bb = np.meshgrid(S_GRID, B_GRID, indexing="ij")
        sig = np.tensordot(
            np.exp(-np.multiply.outer(ss, m_mus) - np.multiply.outer(bb, m_cor)), w, axes=([2], [0])
        )
        luts.append(-np.log(sig))
        behind = w * np.exp(-200.0 * m_mus)
        behind /= behind.sum()
        mu_i.append(float((behind * m_io).sum()))
        mu_st.append(float((behind * m_st).sum()))
        kerma.append(float(sp.get_kerma()))  # air kerma, uGy per mAs at 1 m (SpekPy's default)
    out["lut"] = np.array(luts, dtype=np.float32)  # (kv, S, B)
    out["mu_iodine_eff"] = np.array(mu_i)  # 1/mm per mg/mL
    out["mu_steel_eff"] = np.array(mu_st)  # 1/mm
    out["kerma_ugy_per_mas_1m"] = np.array(kerma)
    path = Path(out_path) if out_path else _path()
    np.savez_compressed(path, allow_pickle=False, **out)
    return path


@lru_cache(maxsize=1)
def load() -> dict:
    path = _path()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: spectra archive missing; run `python -m fluorohip.fluoro.spectra`"
        )
    with np.load(path) as z:
        return {k: np.asarray(z[k]) for k in z.files}


def kv_index(kvp: float) -> int:
    kv = load()["kvps"]
    return int(np.argmin(np.abs(kv - kvp)))


def poly_log_attenuation(s_mm: np.ndarray, b_mm: np.ndarray, kvp: float) -> np.ndarray:
    """Polychromatic log attenuation from muscle-equivalent and cortical-bone path maps (bilinear LUT).

    Vectorised numpy (float32 throughout): a 512^2 map costs a few milliseconds.
    """
    d = load()
    lut = np.ascontiguousarray(d["lut"][kv_index(kvp)], dtype=np.float32)
    sg, bg = d["s_grid"], d["b_grid"]
    ns, nb = lut.shape
    fs = np.clip(
        np.asarray(s_mm, dtype=np.float32) * np.float32((len(sg) - 1) / sg[-1]), 0, ns - 1.001
    )
    fb = np.clip(
        np.asarray(b_mm, dtype=np.float32) * np.float32((len(bg) - 1) / bg[-1]), 0, nb - 1.001
    )
    i0 = fs.astype(np.intp)
    j0 = fb.astype(np.intp)
    ts = fs - np.floor(fs)
    tb = fb - np.floor(fb)
    flat = lut.ravel()
    k = i0 * nb + j0
    top = flat[k]
    top += (flat[k + nb] - top) * ts
    bot = flat[k + 1]
    bot += (flat[k + nb + 1] - bot) * ts
    top += (bot - top) * tb
    return top


if __name__ == "__main__":  # pragma: no cover - authoring step
    print(build())
