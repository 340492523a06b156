"""Contrast injection: the pattern follows the compartment of the needle tip.

Iodinated contrast (iohexol 300 mgI/mL by default [@UWMSKHipArthrography]) is rendered as
an iodine line-integral map (mg/mL x mm), added to the anatomy through the iodine mass
attenuation coefficient. Rules (modelling choices in the spirit of the cited descriptions):

* intra-articular -- contrast spreads away from the tip through the joint space and
  outlines the head and neck [@UWMSKHipArthrography]. The modelled joint space is thicker
  than the real one, so the filled region is ``V / phi`` with ``phi`` = capacity (about
  14 mL [@HipCapacity1981]) / modelled volume, at concentration ``c0 phi`` (iodine conserved).
* capsular -- a blob at the tip, radius ``(3V / 4 pi)^(1/3)``, no neck outline
  [@RadiopaediaExtraArticularCase].
* bursal -- the iliopsoas bursa minus the tendon (a U around it); about 15 % of bursae
  communicate, so a seeded draw may spill half the volume into the joint [@IliopsoasBursaCase].
* intramuscular -- 3 to 6 thin streaks (aspect 6:1) along the fibres [@Shim2017].
* intravascular -- a column along the vessel that flashes and washes out,
  ``c(t) = c0 exp(-t/tau)``, tau about 1 s (assumption); visible only in frames taken during
  or just after the injection [@Hong2014].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .constants import value
from .phantom import HipPhantom
from .primitives import Convex, ellipsoid, sphere
from .validation import check_number

PATTERNS = ("intra-articular", "capsular", "bursal", "intramuscular", "intravascular")
INJECTION_RATE_ML_PER_S = 1.0  # assumption: a slow hand injection


@dataclass(frozen=True)
class Deposit:
    pattern: str
    terms: tuple[tuple[Convex, float], ...]  # (primitive, iodine mg/mL)
    volume_ml: float
    start_s: float
    end_s: float
    transient: bool = False

    def weight_at(self, time_s: float) -> float:
        """Fraction of the deposited iodine visible at ``time_s`` (washout for vessels)."""
        if time_s < self.start_s:
            return 0.0
        if not self.transient:
            return 1.0
        if time_s <= self.end_s:
            return 1.0
        return math.exp(-(time_s - self.end_s) / value("vascular_washout_s"))


def blob_radius_mm(volume_ml: float) -> float:
    """Radius (mm) of a sphere of ``volume_ml``: 1 mL -> 6.2 mm."""
    return (3.0 * volume_ml * 1000.0 / (4.0 * math.pi)) ** (1.0 / 3.0)


def pattern_for_label(label: str) -> str | None:
    return {"intra-articular": "intra-articular", "capsular": "capsular", "bursal": "bursal",
            "intramuscular": "intramuscular", "subcutaneous": "capsular",
            "intravascular": "intravascular"}.get(label)


def inject(phantom: HipPhantom, tip_mm, label: str, volume_ml: float, *, time_s: float = 0.0,
           concentration_mgi_per_ml: float | None = None, seed: int = 0) -> list[Deposit]:
    """Deposits produced by injecting ``volume_ml`` at the tip whose label is ``label``."""
    volume_ml = check_number("volume_ml", volume_ml, 0.1, 30.0)
    c0 = value("contrast_default_mgi_per_ml") if concentration_mgi_per_ml is None else \
        check_number("concentration_mgi_per_ml", concentration_mgi_per_ml, 1.0, 400.0)
    pattern = pattern_for_label(label)
    if pattern is None:
        raise ValueError(f"cannot inject with the tip in {label!r}: withdraw the needle first")
    tip = np.asarray(tip_mm, dtype=np.float64)
    rng = np.random.default_rng(seed)
    end = time_s + volume_ml / INJECTION_RATE_ML_PER_S
    if pattern == "intra-articular":
        return [_joint_deposit(phantom, tip, volume_ml, c0, time_s, end)]
    if pattern == "capsular":
        return [Deposit(pattern, ((sphere(tip, blob_radius_mm(volume_ml)), c0),), volume_ml, time_s, end)]
    if pattern == "bursal":
        v_bursa = 4.0 / 3.0 * math.pi * np.prod(1.0 / np.linalg.svd(phantom.bursa.quadrics[0].A)[1]) / 1000.0
        frac = min(1.0, volume_ml / v_bursa)
        terms = ((phantom.bursa, c0 * frac), (phantom.bursa.intersect(phantom.tendon), -c0 * frac))
        out = [Deposit(pattern, terms, volume_ml, time_s, end)]
        if rng.random() < value("bursa_communication_p"):
            joint_tip = phantom.target_point()
            out.append(_joint_deposit(phantom, joint_tip, volume_ml / 2, c0, time_s, end))
        return out
    if pattern == "intramuscular":
        n = int(rng.integers(3, 7))
        aspect = value("muscle_streak_aspect")
        fibre = np.array([-0.25, 0.1, 1.0])
        fibre /= np.linalg.norm(fibre)
        side = np.cross(fibre, [0.0, 1.0, 0.0])
        side /= np.linalg.norm(side)
        depth = np.cross(fibre, side)
        axes = np.stack([fibre, side, depth])
        v_each = volume_ml * 1000.0 / n
        semi_long = (3.0 * v_each * aspect ** 2 / (4.0 * math.pi)) ** (1.0 / 3.0)
        semi_short = semi_long / aspect
        terms = []
        for _ in range(n):
            offset = fibre * rng.uniform(-0.6, 0.6) * semi_long + side * rng.normal(0, 3 * semi_short) \
                + depth * rng.normal(0, semi_short)
            terms.append((ellipsoid(tip + offset, (semi_long, semi_short, semi_short), axes), c0))
        return [Deposit(pattern, tuple(terms), volume_ml, time_s, end)]
    # intravascular: a column along the vessel, downstream of the tip
    vessel = phantom.artery if phantom.artery.contains(tip[None, :])[0] else phantom.vein
    r = float(1.0 / np.linalg.svd(vessel.quadrics[0].A)[1].max())
    flows_caudal = vessel is phantom.artery
    length = 60.0 + 40.0 * volume_ml
    z1 = tip[2] - length if flows_caudal else tip[2] + length
    axis_c = vessel.quadrics[0].c
    from .primitives import cylinder_between
    col = cylinder_between((axis_c[0], axis_c[1], tip[2]), (axis_c[0], axis_c[1], z1), (r, r))
    # the bolus is diluted in the flowing blood: mean concentration over the column
    conc = c0 * volume_ml * 1000.0 / (math.pi * r * r * length)
    return [Deposit(pattern, ((col, min(c0, conc)),), volume_ml, time_s, end, transient=True)]


def _joint_deposit(phantom: HipPhantom, tip: np.ndarray, volume_ml: float, c0: float,
                   start: float, end: float) -> Deposit:
    samples = phantom.joint_samples
    v_model = len(samples) / 1000.0
    phi = min(1.0, value("joint_capacity_ml") / v_model)
    fill_ml = volume_ml / phi
    if fill_ml >= v_model:  # the whole joint (over-distension beyond capacity)
        w = c0 * volume_ml / v_model
        return Deposit("intra-articular", tuple((p, s * w) for p, s in phantom.joint_terms), volume_ml, start, end)
    d = np.sort(np.linalg.norm(samples - tip, axis=1))
    radius = float(d[min(len(d) - 1, int(round(fill_ml * 1000.0)))])
    spread = sphere(tip, radius)
    w = c0 * phi
    terms = tuple((p.intersect(spread), s * w) for p, s in phantom.joint_terms)
    return Deposit("intra-articular", terms, volume_ml, start, end)
