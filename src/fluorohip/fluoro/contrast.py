"""Contrast injection: the pattern follows the compartment of the needle tip.

Iodinated contrast (iohexol 300 mgI/mL by default [@UWMSKHipArthrography]) is rendered as
an iodine line-integral map (mg/mL x mm), added to the anatomy through the iodine mass
attenuation coefficient. Rules (modelling choices in the spirit of the cited descriptions):

* intra-articular -- contrast flows away from the tip and outlines the head and neck
  [@UWMSKHipArthrography]: a thin film over the femoral head (inside the acetabular cavity)
  and the recesses along the neck, thicker at the superior and inferior margins, pinched at
  the zona orbicularis (mid-neck) and pooling in the inferior recess [@RadiopaediaCapsule2022].
  The film is undiluted contrast whose thickness is solved so that its volume equals the
  injected volume (iodine conserved); the film is shared about evenly between head and
  recesses, thickest in the recesses (a modelling choice). The head rim looks dense
  because rays graze the film.
* capsular -- a streak at the tip along the capsule fibres (the neck axis), volume ``V``,
  aspect 2.2:1, no outline of head or neck [@RadiopaediaExtraArticularCase].
* bursal -- a round/oval collection in the iliopsoas bursa, anteromedial to the joint, grooved
  by the tendon; about 15 % of bursae communicate, so a seeded draw may spill half the volume
  into the joint [@IliopsoasBursaCase].
* intramuscular -- 8 to 11 thin streaks (aspect 8:1) fanned along the fibres like the barbs
  of a feather [@Shim2017] (shape a modelling choice).
* intravascular -- a thin column along the vessel lumen (plus a branch for the artery) that
  fades downstream, flashes and washes out, ``c(t) = c0 exp(-t/tau)``, tau about 1 s
  (assumption); visible only in frames taken during or just after the injection [@Hong2014].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .constants import value
from .phantom import HipPhantom
from .primitives import Convex, Quadric, cylinder, cylinder_between, ellipsoid, sphere
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
    return {
        "intra-articular": "intra-articular",
        "capsular": "capsular",
        "bursal": "bursal",
        "intramuscular": "intramuscular",
        "subcutaneous": "capsular",
        "intravascular": "intravascular",
    }.get(label)


def checked_injection(
    label: str, volume_ml: float, concentration_mgi_per_ml: float | None
) -> tuple[str, float, float]:
    """(pattern, volume mL, concentration mgI/mL) for an injection, or a ValueError for people.

    One place for the limits both contrast models apply (the analytic deposits here and the 3-D
    clouds in :mod:`.contrast3d`), so the two cannot disagree on what a valid injection is.
    """
    volume_ml = check_number("volume_ml", volume_ml, 0.1, 30.0)
    c0 = (
        value("contrast_default_mgi_per_ml")
        if concentration_mgi_per_ml is None
        else check_number("concentration_mgi_per_ml", concentration_mgi_per_ml, 1.0, 400.0)
    )
    pattern = pattern_for_label(label)
    if pattern is None:
        raise ValueError(f"cannot inject with the tip in {label!r}: withdraw the needle first")
    return pattern, volume_ml, c0


def inject(
    phantom: HipPhantom,
    tip_mm,
    label: str,
    volume_ml: float,
    *,
    time_s: float = 0.0,
    concentration_mgi_per_ml: float | None = None,
    seed: int = 0,
) -> list[Deposit]:
    """Deposits produced by injecting ``volume_ml`` at the tip whose label is ``label``."""
    pattern, volume_ml, c0 = checked_injection(label, volume_ml, concentration_mgi_per_ml)
    tip = np.asarray(tip_mm, dtype=np.float64)
    rng = np.random.default_rng(seed)
    end = time_s + volume_ml / INJECTION_RATE_ML_PER_S
    if pattern == "intra-articular":
        return [_joint_deposit(phantom, tip, volume_ml, c0, time_s, end)]
    if pattern == "capsular":
        b = blob_radius_mm(volume_ml) / CAPSULAR_ASPECT ** (1.0 / 3.0)
        a = phantom.neck_axis
        e2 = phantom.neck_cross_axis
        streak = ellipsoid(tip, (CAPSULAR_ASPECT * b, b, b), np.stack([a, e2, np.cross(a, e2)]))
        return [Deposit(pattern, ((streak, c0),), volume_ml, time_s, end)]
    if pattern == "bursal":
        bq = phantom.bursa.quadrics[0]
        semi = 1.0 / np.linalg.svd(bq.A)[1]
        v_bursa = 4.0 / 3.0 * math.pi * float(np.prod(semi)) / 1000.0
        fill = min(1.0, volume_ml / v_bursa)
        conc = c0 * max(1.0, volume_ml / v_bursa)  # beyond the bursa's volume: denser, not bigger
        # the collection: the bursa shrunk about its centre (undiluted contrast), grooved by the tendon
        A = bq.A / fill ** (1.0 / 3.0)
        sac = Convex(
            (Quadric(A, bq.c),),
            (),
            bq.c,
            float(semi.max()) * fill ** (1.0 / 3.0),
            "bursal collection",
        )
        terms = ((sac, conc), (sac.intersect(phantom.tendon), -conc))
        out = [Deposit(pattern, terms, volume_ml, time_s, end)]
        if rng.random() < value("bursa_communication_p"):
            joint_tip = phantom.target_point()
            out.append(_joint_deposit(phantom, joint_tip, volume_ml / 2, c0, time_s, end))
        return out
    if pattern == "intramuscular":
        n = int(rng.integers(8, 12))
        aspect = value("muscle_streak_aspect")
        fibre = _unit_v([-0.25, 0.1, 1.0])
        side = _unit_v(np.cross(fibre, [0.0, 1.0, 0.0]))
        depth = np.cross(fibre, side)
        v_each = volume_ml * 1000.0 / n
        semi_long = (3.0 * v_each * aspect**2 / (4.0 * math.pi)) ** (1.0 / 3.0)
        semi_short = semi_long / aspect
        terms = []
        for i in range(n):
            # barbs of a feather: alternate sides of a central line, staggered along it, each
            # leaning 15-25 deg off the fibre direction and starting at the central line
            sgn = 1.0 if i % 2 else -1.0
            along = (i - (n - 1) / 2.0) * 0.3 * semi_long
            ang = math.radians(sgn * rng.uniform(15.0, 25.0))
            d = _unit_v(math.cos(ang) * fibre + math.sin(ang) * side)
            e = _unit_v(np.cross(d, depth))
            length = semi_long * rng.uniform(0.7, 1.1)
            centre = (
                tip
                + fibre * along
                + d * (0.8 * length)
                - fibre * (0.8 * length * math.cos(ang))
                + depth * rng.normal(0, semi_short)
            )
            terms.append(
                (
                    ellipsoid(
                        centre, (length, semi_short, semi_short), np.stack([d, e, np.cross(d, e)])
                    ),
                    c0,
                )
            )
        return [Deposit(pattern, tuple(terms), volume_ml, time_s, end)]
    # intravascular: a thin column in the lumen, fading downstream (plus a branch for the artery)
    vessel = phantom.artery if phantom.artery.contains(tip[None, :])[0] else phantom.vein
    r = float(1.0 / np.linalg.svd(vessel.quadrics[0].A)[1].max())
    is_artery = vessel is phantom.artery
    length = 60.0 + 40.0 * volume_ml
    sign = -1.0 if is_artery else 1.0  # arterial flow runs caudally, venous cranially
    axis_c = vessel.quadrics[0].c
    r_jet = 0.45 * r  # the bolus streams down the middle of the lumen before it mixes
    fades = (1.0, 0.55, 0.25)
    seg = length / len(fades)
    conc = min(c0, c0 * volume_ml * 1000.0 / (math.pi * r_jet**2 * seg * sum(fades)))
    terms = []
    for j, fz in enumerate(fades):
        z0, z1 = tip[2] + sign * j * seg, tip[2] + sign * (j + 1) * seg
        terms.append(
            (
                cylinder_between(
                    (axis_c[0], axis_c[1], z0), (axis_c[0], axis_c[1], z1), (r_jet, r_jet)
                ),
                conc * fz,
            )
        )
    if is_artery:  # a branch leaving laterally and downward (illustrative)
        z_b = tip[2] - 0.3 * length
        p0 = np.array([axis_c[0], axis_c[1], z_b])
        p1 = p0 + np.array([-35.0, 8.0, -30.0])
        terms.append((cylinder_between(p0, p1, (1.2, 1.2)), 0.5 * conc))
    return [Deposit(pattern, tuple(terms), volume_ml, time_s, end, transient=True)]


def _unit_v(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


HEAD_FILM_MM = (
    2.8  # modelling choice: head film thickness at scale 1 (recesses: 6 mm SI, 2.5 mm AP)
)
CAPSULAR_ASPECT = 2.2  # modelling choice: a streak along the capsule fibres


def arthrogram_pieces(phantom: HipPhantom, s: float):
    """Convex pieces (prim, sign) of the contrast film for film-thickness scale ``s`` (1 = thick).

    Head film: (sphere r + t) & cavity, cut at the head-neck junction, minus the head. Neck
    recesses: elliptic sleeves around the neck in three segments along it -- proximal,
    zona orbicularis (a thin waist) and distal (an inferior pouch) -- minus the neck.
    Each subtracted body lies inside the body it is subtracted from, so the sums are exact.
    """
    g = phantom.geometry
    r, h0, n_si, n_ap, n_len = g["r"], g["h0"], g["n_si"], g["n_ap"], g["n_len"]
    a, e_si = phantom.neck_axis, phantom.neck_cross_axis
    t_head = min(s * HEAD_FILM_MM, g["gap"] - 0.25)
    pieces = [
        (sphere((0, 0, 0), r + t_head).intersect(g["cavity"]).clip(a, h0), 1.0),
        (g["head"], -1.0),
    ]
    h_w = h0 + 0.5 * n_len
    segs = (
        (h0, h_w - 3.0, 6.0, 2.5, 0.0),
        (h_w - 3.0, h_w + 3.0, 1.2, 0.6, 0.0),
        (h_w + 3.0, h0 + n_len - 3.0, 6.0, 2.5, 4.0),
    )
    sr = s
    for lo, hi, o_si, o_ap, pouch in segs:
        centre = (lo + hi) / 2 * a
        half = (hi - lo) / 2
        shift = pouch * sr
        sleeve = cylinder(
            centre - shift * e_si,
            a,
            (n_si + o_si * sr + shift, n_ap + o_ap * sr),
            half,
            cross_axis=e_si,
        )
        bone = cylinder(centre, a, (n_si, n_ap), half, cross_axis=e_si)
        pieces += [(sleeve, 1.0), (bone, -1.0)]
    return pieces


def _film_volume_mm3(phantom: HipPhantom, s: float) -> float:
    """Analytic volume of :func:`arthrogram_pieces` (the cavity cut is ignored: exact when
    the film is thinner than the joint space, as it is in the normal hip)."""
    g = phantom.geometry
    r, h0, n_si, n_ap, n_len = g["r"], g["h0"], g["n_si"], g["n_ap"], g["n_len"]

    def ball_cut(R: float, h: float) -> float:
        H = R - h
        return 4.0 / 3.0 * math.pi * R**3 - (math.pi * H * H * (3 * R - H) / 3.0 if H > 0 else 0.0)

    t_head = min(s * HEAD_FILM_MM, g["gap"] - 0.25)
    v = ball_cut(r + t_head, h0) - ball_cut(r, h0)
    h_w = h0 + 0.5 * n_len
    for lo, hi, o_si, o_ap, pouch in (
        (h0, h_w - 3.0, 6.0, 2.5, 0.0),
        (h_w - 3.0, h_w + 3.0, 1.2, 0.6, 0.0),
        (h_w + 3.0, h0 + n_len - 3.0, 6.0, 2.5, 4.0),
    ):
        shift = pouch * s
        v += math.pi * ((n_si + o_si * s + shift) * (n_ap + o_ap * s) - n_si * n_ap) * (hi - lo)
    return v


def _joint_deposit(
    phantom: HipPhantom, tip: np.ndarray, volume_ml: float, c0: float, start: float, end: float
) -> Deposit:
    """Film thickness solved (bisection on the analytic volume) so the film holds ``volume_ml``."""
    target = volume_ml * 1000.0
    s_max = 1.6
    v_max = _film_volume_mm3(phantom, s_max)
    if target >= v_max:  # beyond the modelled film: same shape, denser (iodine conserved)
        s, conc = s_max, c0 * target / v_max
    else:
        lo, hi = 0.0, s_max
        for _ in range(50):
            mid = (lo + hi) / 2
            if _film_volume_mm3(phantom, mid) < target:
                lo = mid
            else:
                hi = mid
        s, conc = (lo + hi) / 2, c0
    terms = tuple((p, sign * conc) for p, sign in arthrogram_pieces(phantom, s))
    return Deposit("intra-articular", terms, volume_ml, start, end)
