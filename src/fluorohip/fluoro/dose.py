"""Dose accounting per pedal press, as a C-arm console shows it.

Per press of ``t`` seconds at ``pps`` pulses per second (continuous = 30 fps):

1. frames ``n = round(pps t)``; fluoroscopy time += t.
2. target detector kerma per frame ``K_det = K_target f_pulse(pps) f_mag``. ``f_pulse`` is
   the dose per pulse relative to a 30 fps frame measured on a pelvic phantom (12/6/3/2 pps
   -> 1.28/2.0/2.0/2.18, i.e. 51/40/20/14.5 % of continuous) [@Herrmann1996];
   ``f_mag = (FOV_full/FOV)^k`` with k = 2 for an image intensifier [@MagnifiedFOVEnergy]
   and 1 for a flat panel (assumption) [@Nickoloff2011].
3. automatic dose-rate control: unattenuated detector air kerma ``K_air,det = K_det / T_c``
   with ``T_c = mean exp(-p)`` over the central measuring field (the control holds the
   mean *signal* at target), so thickness and BMI drive dose.
4. incident air kerma at the skin ``K_ent = K_air,det (SID/SSD)^2`` (no backscatter).
5. cap: ``K_air,det (SID/(SID - 300))^2 x frames/min <= 88 mGy/min`` measured 30 cm from
   the receptor [@FDA2008CFR1020]; if it binds, K_det falls and the image gets noisier.
6. kerma-area product ``KAP = K_air,det A_det`` (the same in every plane). The course
   quotes it as DAP in µGy·m² (1 µGy·m² = 10 mGy·cm² = 0.01 Gy·cm²).
7. staff kerma at distance d: ``1e-3 K_ent (A_ent / 400 cm^2) (1 m / d)^2`` [@HPS2007].

Detector dose. ``K_target`` (constant ``detector_kerma_per_frame_ugy``) is the signal the
dose-rate control holds at the detector, primary behind the anti-scatter grid *plus* scatter
(see :mod:`.chain`): 20 nGy per pulse at 6 pps, the low end of typical flat-panel values.
It is no longer fitted to a DAP. With it the default procedure (default patient, whole
30 x 30 cm panel open, 6 pps, 26 s) gives about 33 µGy·m², 1.6 times the published mean of
1,362 hip injections (20.4 µGy·m², SD 22.3, mean 26 s) [@TrainingLevelDose2017] and inside
its spread; with the field collimated to 70 % of its edge, as in practice, it gives about
16 µGy·m². A larger patient needs a higher tube voltage (less bone contrast), produces more
scatter and needs more entrance kerma for the same detector signal: more dose *and* a worse
image. Relative behaviour (inverse square, pulse rate, collimation, magnification, BMI, cap)
follows the steps above.

Reference: hip injections averaged 26 s and 20.4 µGy·m² [@TrainingLevelDose2017]. The
console shows dose quantities only (time, kerma, DAP), never an effective dose in mSv:
no measured effective dose for this procedure is quoted in the course.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .constants import value
from .validation import check_number

GY_CM2_TO_UGY_M2 = 100.0  # 1 Gy·cm² = 1e6 µGy x 1e-4 m² = 100 µGy·m²


def pulse_factor(pps: float) -> float:
    """Detector kerma per pulse relative to one 30 fps frame (linear between measured rates)."""
    pps = check_number("pulse_rate_pps", pps, 1.0, value("continuous_fps"))
    table = [
        (2.0, value("pulse_factor_2pps")),
        (3.0, value("pulse_factor_3pps")),
        (6.0, value("pulse_factor_6pps")),
        (12.0, value("pulse_factor_12pps")),
        (30.0, 1.0),
    ]
    xs, ys = zip(*table)
    return float(np.interp(pps, xs, ys))


def relative_dose_rate(pps: float) -> float:
    """Dose rate relative to continuous 30 fps fluoroscopy."""
    return pps * pulse_factor(pps) / value("continuous_fps")


def frames_for(pps: float, seconds: float) -> int:
    pps = check_number("pulse_rate_pps", pps, 1.0, value("continuous_fps"))
    seconds = check_number("seconds", seconds, 0.0, 600.0)
    return max(1, int(round(pps * seconds))) if seconds > 0 else 0


def mag_factor(field_mm: float, detector: str) -> float:
    k = (
        value("mag_dose_exponent_ii")
        if detector == "image_intensifier"
        else value("mag_dose_exponent_fp")
    )
    return (value("field_full_mm") / field_mm) ** k


@dataclass(frozen=True)
class Exposure:
    """One pedal press: frames and the per-frame and total kerma figures."""

    frames: int
    seconds: float
    pps: float
    k_det_ugy: float  # detector kerma behind the patient, per frame (ABC target)
    k_air_det_ugy: float  # unattenuated air kerma at the detector plane, per frame
    k_ent_ugy: float  # incident air kerma at the skin, per frame
    kap_gy_cm2: float  # total for the press
    ssd_mm: float
    field_area_det_cm2: float
    capped: bool
    sid_mm: float = 1000.0

    @property
    def k_ent_total_mgy(self) -> float:
        return self.k_ent_ugy * self.frames / 1000.0

    @property
    def dap_ugy_m2(self) -> float:
        """Kerma-area (dose-area) product of the press in µGy·m², the course's unit."""
        return self.kap_gy_cm2 * GY_CM2_TO_UGY_M2

    @property
    def dap_mgy_cm2(self) -> float:
        return self.kap_gy_cm2 * 1000.0

    def staff_kerma_ugy(self, distance_m: float) -> float:
        """Scatter air kerma (uGy) to a person ``distance_m`` from the patient for this press."""
        d = check_number("distance_m", distance_m, 0.1, 20.0)
        return staff_kerma_ugy(
            self.k_ent_ugy * self.frames, self.field_area_det_cm2, self.ssd_mm, self.sid_mm, d
        )


def staff_kerma_ugy(
    k_ent_ugy: float, field_area_det_cm2: float, ssd_mm: float, sid_mm: float, distance_m: float
) -> float:
    """Inverse-square scatter estimate: 0.1 % of entrance kerma at 1 m for a 20 x 20 cm field."""
    area_ent = field_area_det_cm2 * (ssd_mm / sid_mm) ** 2
    return (
        value("staff_scatter_fraction_1m")
        * k_ent_ugy
        * area_ent
        / value("staff_reference_field_cm2")
        / distance_m**2
    )


def exposure(
    *,
    pps: float,
    seconds: float,
    mean_p_central: float,
    ssd_mm: float,
    sid_mm: float,
    field_mm: float,
    open_field_mm: float,
    detector: str = "flat_panel",
    k_target_ugy: float | None = None,
) -> Exposure:
    """Dose figures for one pedal press (see the module docstring for each step)."""
    n = frames_for(pps, seconds)
    ssd_mm = check_number("ssd_mm", ssd_mm, 1.0, sid_mm)
    k_target = value("detector_kerma_per_frame_ugy") if k_target_ugy is None else k_target_ugy
    k_det = k_target * pulse_factor(pps) * mag_factor(field_mm, detector)
    t_c = math.exp(-mean_p_central)
    k_air_det = k_det / t_c
    # regulatory cap, 30 cm in front of the receptor
    d_lim = sid_mm - value("kerma_limit_distance_mm")
    rate_mgy_min = k_air_det * (sid_mm / d_lim) ** 2 * pps * 60.0 / 1000.0
    cap = value("kerma_rate_limit_mgy_per_min")
    capped = rate_mgy_min > cap
    if capped:
        k_air_det *= cap / rate_mgy_min
        k_det = k_air_det * t_c
    k_ent = k_air_det * (sid_mm / ssd_mm) ** 2
    area_det_cm2 = (open_field_mm / 10.0) ** 2
    kap = k_air_det * 1e-6 * area_det_cm2 * n
    return Exposure(
        n,
        float(seconds),
        float(pps),
        k_det,
        k_air_det,
        k_ent,
        kap,
        ssd_mm,
        area_det_cm2,
        capped,
        sid_mm,
    )


@dataclass
class DoseLedger:
    """Running totals across pedal presses, displayed like a C-arm console."""

    presses: int = 0
    frames: int = 0
    fluoro_time_s: float = 0.0
    air_kerma_mgy: float = 0.0
    kap_gy_cm2: float = 0.0
    staff_ugy_at_1m: float = 0.0
    history: list = field(default_factory=list)

    def add(self, e: Exposure) -> None:
        self.presses += 1
        self.frames += e.frames
        self.fluoro_time_s += e.seconds
        self.air_kerma_mgy += e.k_ent_total_mgy
        self.kap_gy_cm2 += e.kap_gy_cm2
        self.staff_ugy_at_1m += staff_kerma_ugy(
            e.k_ent_ugy * e.frames, e.field_area_det_cm2, e.ssd_mm, e.sid_mm, 1.0
        )
        self.history.append(e)

    def staff_ugy(self, distance_m: float) -> float:
        d = check_number("distance_m", distance_m, 0.1, 20.0)
        return self.staff_ugy_at_1m / d**2

    @property
    def dap_ugy_m2(self) -> float:
        """Running DAP in µGy·m² (the unit of the course's clinical reference)."""
        return self.kap_gy_cm2 * GY_CM2_TO_UGY_M2

    @property
    def dap_mgy_cm2(self) -> float:
        return self.kap_gy_cm2 * 1000.0

    def console(self, pps: float | None = None) -> str:
        m, s = divmod(self.fluoro_time_s, 60)
        rate = f" | {pps:g} pps" if pps is not None else ""
        ref_t = value("reference_fluoro_time_s")
        ref_dap = value("reference_kap_gy_cm2") * GY_CM2_TO_UGY_M2
        return (
            f"FLUORO {int(m)}:{s:04.1f}{rate} | {self.frames} frames | "
            f"skin air kerma {self.air_kerma_mgy:.2f} mGy | DAP {self.dap_ugy_m2:.1f} µGy·m² "
            f"({self.dap_mgy_cm2:.0f} mGy·cm²) | staff at 1 m {self.staff_ugy(1.0):.2f} µGy "
            f"| typical hip injection: {ref_t:.0f} s, {ref_dap:.1f} µGy·m²"
        )
