"""Contrast as a 3-D distribution in time, in spaces taken from the anatomy.

Why: a resident learns to read *how* contrast moves -- from the tip, along the neck, round
the head, into the recesses -- and how a misplaced injection differs. Each pattern is a cloud
of points (1 mm voxels, each carrying an iodine concentration in mg/mL that depends on the
time since the injection started), projected onto the detector by splatting. Spaces come
only from the phantom's public API (``joint_samples``, ``in_region``, ``mu_at``,
``capsule_distance``), so the same rules work on the analytic and on a mesh phantom.

Rules (each marked where it is a teaching description rather than a measured behaviour):

* **intra-articular** -- contrast leaves the tip and flows away from it through the joint
  space, outlining the femoral head and neck; it fills the superior and inferior recesses
  along the neck, with a waist at the zona orbicularis at mid-neck [@UWMSKHipArthrography]
  [@RadiopaediaCapsule2022]. In the model the front advances through the joint space by
  geodesic distance from the tip; concentration falls with distance from the tip; the
  recesses gain weight (distend) as volume rises, so 2 mL shows a thin, partly complete
  outline and 8 mL a fuller joint with distended recesses (volumes and the spreading law
  are a teaching description; hip arthrography volumes vary, e.g. 8.9-11.2 mL in one
  ultrasound series [@USArthrography2013]).
* **capsular** (periarticular, in the capsule wall or just outside it) -- a dense blob or short
  streak that stays at the tip and does not outline the head or neck
  [@RadiopaediaExtraArticularCase]; elongated along the capsule fibres (teaching description).
* **intramuscular** -- feathery streaks along the muscle fibres, marking a misplaced tip
  ("muscular staining" [@Shim2017]; the feathered shape is a teaching description).
* **bursal** -- the iliopsoas bursa, anterior to the capsule, fills as an elongated sac that
  extends superiorly; it communicates with the joint in about 15% of adults
  [@IliopsoasBursaCase], drawn here with a seeded probability of 0.15, when the overflow
  continues into the joint.
* **intravascular** -- a thin serpiginous column and branches that flash during the injection
  and wash out within seconds (time constant ``vascular_washout_s``); visible only on live
  frames, so last-image-hold misses it [@Hong2014] (spinal data; the shape is a teaching
  description).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np

from .constants import value
from .contrast import checked_injection, pattern_for_label  # noqa: F401 (re-exported for gallery)

PATTERNS = ("intra-articular", "capsular", "bursal", "intramuscular", "intravascular")
RATE_ML_PER_S = 1.0  # assumption: a slow hand injection
VOXEL_MM = 1.0
JITTER = 4  # sub-samples per voxel for a smooth splat
FRONT_FULL_ML = 3.0  # teaching description: the front has crossed the whole joint by ~3 mL
BURSA_COMMUNICATION_P = 0.15  # [@IliopsoasBursaCase]
VESSEL_FRONT_MM_PER_S = 150.0  # assumption: bolus front speed drawn in the cine


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


# --- graph distances on a voxel cloud -------------------------------------------------
def geodesic_hops(points: np.ndarray, start: np.ndarray, step: float = VOXEL_MM) -> np.ndarray:
    """Breadth-first distance (mm, 26-neighbour hops x step) from the voxel nearest ``start``
    through the cloud; unreachable voxels get +inf."""
    ijk = np.floor(points / step).astype(np.int64)
    lo = ijk.min(axis=0) - 1
    ijk -= lo
    dims = ijk.max(axis=0) + 2
    lin = (ijk[:, 0] * dims[1] + ijk[:, 1]) * dims[2] + ijk[:, 2]
    lookup = np.full(int(dims.prod()), -1, dtype=np.int64)
    lookup[lin] = np.arange(len(points))
    offs = np.array(
        [
            (a * dims[1] + b) * dims[2] + c
            for a in (-1, 0, 1)
            for b in (-1, 0, 1)
            for c in (-1, 0, 1)
            if (a, b, c) != (0, 0, 0)
        ],
        dtype=np.int64,
    )
    dist = np.full(len(points), np.inf)
    s0 = int(np.argmin(np.linalg.norm(points - np.asarray(start)[None, :], axis=1)))
    dist[s0] = 0.0
    frontier = np.array([s0])
    level = 0
    while len(frontier):
        level += 1
        nb = (lin[frontier][:, None] + offs[None, :]).ravel()
        nb = nb[(nb >= 0) & (nb < len(lookup))]
        idx = lookup[nb]
        idx = np.unique(idx[idx >= 0])
        idx = idx[np.isinf(dist[idx])]
        dist[idx] = (
            level * step * 1.15
        )  # mean 26-neighbour hop length is ~1.15 voxel edges (approx.)
        frontier = idx
    return dist


def _grid_in(phantom, region: str, centre, half_mm, step=VOXEL_MM) -> np.ndarray:
    """Voxel centres within a box around ``centre`` that lie in ``region``."""
    c = np.asarray(centre, dtype=np.float64)
    h = np.broadcast_to(np.asarray(half_mm, dtype=np.float64), (3,))
    axes = [np.arange(c[i] - h[i], c[i] + h[i], step) + step / 2 for i in range(3)]
    zz, yy, xx = np.meshgrid(axes[2], axes[1], axes[0], indexing="ij")
    pts = np.stack([xx.ravel(), yy.ravel(), zz.ravel()], axis=-1)
    return pts[phantom.in_region(region, pts)]


# --- the cloud -----------------------------------------------------------------------
@dataclass(eq=False)
class ContrastCloud:
    """Iodine carried by voxels, as a function of time; projects itself onto a detector.

    ``conc(t)`` returns mg/mL per voxel at scene time ``t``. ``transient`` clouds (vessels)
    are dropped from last-image-hold frames by the renderer.
    """

    pattern: str
    points: np.ndarray  # (N, 3) voxel centres, mm
    volume_ml: float
    start_s: float
    end_s: float
    conc_fn: object  # callable(t_since_start_s) -> (N,) mg/mL
    transient: bool = False
    voxel_mm: float = VOXEL_MM
    seed: int = 0
    communicates: bool = False
    _proj: dict = field(default_factory=dict, repr=False)

    def conc(self, time_s: float) -> np.ndarray:
        if time_s < self.start_s:
            return np.zeros(len(self.points))
        return self.conc_fn(time_s - self.start_s)

    def weight_at(self, time_s: float) -> float:
        """Fraction of the injected iodine visible at ``time_s`` (for frame labels)."""
        c = self.conc(time_s)
        total = self.volume_ml * value("contrast_default_mgi_per_ml")
        return (
            float(min(1.0, c.sum() * self.voxel_mm**3 / 1000.0 / max(total, 1e-9)))
            if len(c)
            else 0.0
        )

    def iodine_mg(self, time_s: float) -> float:
        return float(self.conc(time_s).sum() * self.voxel_mm**3 / 1000.0)

    def _projection(self, carm):
        hit = self._proj.get(carm)
        if hit is not None:
            return hit
        rng = np.random.default_rng(self.seed)
        jit = rng.uniform(-0.5, 0.5, size=(JITTER, 1, 3)) * self.voxel_mm
        pts = (self.points[None, :, :] + jit).reshape(-1, 3)
        uv = carm.project(pts)
        cr = carm.to_pixel(uv)
        col, row = cr[:, 0], cr[:, 1]
        depth = -((pts - carm.source) @ carm.n)
        pix_iso = carm.pixel_mm * depth / carm.sid_mm
        # voxel volume over the pixel footprint at its depth: concentration x path (mg/mL x mm)
        scale = (self.voxel_mm**3 / JITTER) / pix_iso**2
        c0, r0 = np.floor(col).astype(np.int64), np.floor(row).astype(np.int64)
        fc, fr = col - c0, row - r0
        n = carm.pixels
        ok = (c0 >= 0) & (r0 >= 0) & (c0 < n - 1) & (r0 < n - 1)
        if not ok.any():
            self._proj[carm] = None
            return None
        rlo, rhi = int(r0[ok].min()), int(r0[ok].max()) + 2
        clo, chi = int(c0[ok].min()), int(c0[ok].max()) + 2
        rlo, clo = max(0, rlo - 1), max(0, clo - 1)
        rhi, chi = min(n, rhi + 1), min(n, chi + 1)
        h, w = rhi - rlo, chi - clo
        base = (r0 - rlo) * w + (c0 - clo)
        idx = np.stack([base, base + 1, base + w, base + w + 1])
        wts = (
            np.stack([(1 - fc) * (1 - fr), fc * (1 - fr), (1 - fc) * fr, fc * fr]) * scale[None, :]
        )
        wts = np.where(ok[None, :], wts, 0.0)
        idx = np.where(ok[None, :], idx, 0)
        hit = (
            slice(rlo, rhi),
            slice(clo, chi),
            (h, w),
            idx.ravel(),
            wts.astype(np.float64),
            len(self.points),
        )
        if len(self._proj) > 4:
            self._proj.pop(next(iter(self._proj)))
        self._proj[carm] = hit
        return hit

    def iodine_map(self, carm, time_s: float):
        """(rows, cols, array) of the iodine line integral (mg/mL x mm) at ``time_s``, or None."""
        c = self.conc(time_s)
        if not c.any():
            return None
        pr = self._projection(carm)
        if pr is None:
            return None
        rows, cols, (h, w), idx, wts, _n = pr
        per = np.tile(c, JITTER)  # jitter copies are stacked point-major per copy
        vals = (wts * per[None, :]).ravel()
        img = np.bincount(idx, weights=vals, minlength=h * w).reshape(h, w)
        img = _blur121(img)
        return rows, cols, img.astype(np.float32)


def _blur121(a: np.ndarray) -> np.ndarray:
    """Separable [1 2 1]/4 smoothing (detector-scale softening of the voxel splat)."""
    b = a.copy()
    b[1:-1, :] = 0.25 * a[:-2, :] + 0.5 * a[1:-1, :] + 0.25 * a[2:, :]
    c = b.copy()
    c[:, 1:-1] = 0.25 * b[:, :-2] + 0.5 * b[:, 1:-1] + 0.25 * b[:, 2:]
    return c


def injected_ml(volume_ml: float, t: float) -> float:
    return min(volume_ml, RATE_ML_PER_S * max(0.0, t))


def _normalise(weights: np.ndarray, iodine_mg: float, cap: float, voxel_ml: float) -> np.ndarray:
    """Concentrations proportional to ``weights`` holding ``iodine_mg`` in total, none above
    ``cap`` (undiluted contrast): voxels at the cap are filled and the rest is shared again."""
    c = np.zeros(len(weights))
    w = np.asarray(weights, dtype=np.float64)
    active = w > 0
    remaining = float(iodine_mg)
    for _ in range(12):
        if remaining <= 0 or not active.any():
            break
        scale = remaining / ((w[active]).sum() * voxel_ml)
        trial = w * scale
        over = active & (trial >= cap)
        if not over.any():
            c[active] = trial[active]
            break
        c[over] = cap
        remaining -= cap * voxel_ml * int(over.sum())
        active &= ~over
    return c


# --- joint geometry from the samples -------------------------------------------------
def joint_frame(phantom) -> dict:
    """Neck axis, head radius and recess coordinates of the joint samples (from the API only).

    The neck axis is the principal axis of the joint-space samples (the sleeve along the neck
    makes the cloud elongated), oriented away from the head centre (the frame origin).
    """
    with _JOINT_LOCK:
        cache = phantom.__dict__.get("_contrast3d_joint")
        if cache is None:
            cache = phantom.__dict__["_contrast3d_joint"] = _joint_frame(phantom)
    return cache


_JOINT_LOCK = threading.Lock()


def _joint_frame(phantom) -> dict:
    pts = np.asarray(phantom.joint_samples, dtype=np.float64)
    centre = np.zeros(3)
    cen = pts.mean(axis=0)
    _, _, vt = np.linalg.svd(pts - cen, full_matrices=False)
    a = vt[0]
    if a @ (cen - centre) < 0:
        a = -a
    e_si = _unit(np.array([0.0, 0.0, 1.0]) - a[2] * a)
    h = (pts - centre) @ a
    radial = pts - centre - h[:, None] * a[None, :]
    rr = np.linalg.norm(radial, axis=1)
    rho = np.linalg.norm(pts - centre, axis=1)
    r_head = float(np.percentile(rho, 2))
    in_head = rho < r_head + 7.0
    neck = ~in_head & (h > 0)
    h_lo = float(np.percentile(h[neck], 5)) if neck.any() else r_head
    h_hi = float(np.percentile(h[neck], 95)) if neck.any() else r_head + 20
    cos_si = np.where(rr > 0, (radial @ e_si) / np.maximum(rr, 1e-9), 0.0)
    # over the head the contrast is a thin film in the middle of the joint space (between the
    # cartilage surfaces), not spread through the whole gap: a thinner film gives the bright,
    # sharp rim seen where the beam grazes it (teaching description)
    gap = float(np.percentile(rho[in_head], 98)) - r_head if in_head.any() else 4.0
    film = ~in_head | (np.abs(rho - (r_head + 0.5 * gap)) <= 0.9)
    out = dict(
        film=film,
        points=pts,
        axis=a,
        e_si=e_si,
        h=h,
        cos_si=cos_si,
        in_head=in_head,
        neck=neck,
        r_head=r_head,
        h_waist=(h_lo + h_hi) / 2,
        h_lo=h_lo,
        h_hi=h_hi,
    )
    return out


def _joint_cloud(phantom, tip, volume_ml, c0, start, seed, entry_point=None) -> ContrastCloud:
    jf = joint_frame(phantom)
    film = jf["film"]
    g = geodesic_hops(jf["points"], tip if entry_point is None else entry_point)[
        film
    ]  # flow through the whole space
    pts = jf["points"][film]
    reach = np.isfinite(g)
    g_max = float(g[reach].max()) if reach.any() else 1.0
    # recess weights: superior and inferior parts of the neck sleeve distend with volume;
    # the inferior recess is the larger pouch; the zona orbicularis pinches the mid-neck.
    cos_si, hh, neck = jf["cos_si"][film], jf["h"][film], jf["neck"][film]
    sup_inf = np.abs(cos_si)
    inferior = (cos_si < 0).astype(float)
    waist = np.abs(hh - jf["h_waist"]) < 3.0
    recess = neck * (sup_inf**2) * (1.0 + 0.5 * inferior)
    voxel_ml = VOXEL_MM**3 / 1000.0

    head = ~neck

    def conc(t: float) -> np.ndarray:
        v = injected_ml(volume_ml, t)
        if v <= 0:
            return np.zeros(len(pts))
        front = g_max * min(1.0, math.sqrt(v / FRONT_FULL_ML)) + 4.0
        reached = reach & (g <= front)
        # share of the iodine over the head falls as the recesses distend (teaching description)
        f_head = 0.55 - 0.2 * min(1.0, v / 8.0)
        w = np.exp(-g / 45.0) * (0.25 + recess * (1.0 + min(1.0, v / 8.0)))
        w = np.where(waist & neck, 0.25 * w, w)
        w = np.where(reached, w, 0.0)
        wh = np.where(reached & head, np.exp(-g / 45.0), 0.0)
        if not wh.any() or not (w * neck).any():
            return _normalise(np.where(reached, np.exp(-g / 45.0), 0.0), c0 * v, c0, voxel_ml)
        return _normalise(wh, f_head * c0 * v, c0, voxel_ml) + _normalise(
            np.where(neck, w, 0.0), (1.0 - f_head) * c0 * v, c0, voxel_ml
        )

    return ContrastCloud(
        "intra-articular", pts, volume_ml, start, start + volume_ml / RATE_ML_PER_S, conc, seed=seed
    )


def _blob_cloud(phantom, tip, volume_ml, c0, start, seed) -> ContrastCloud:
    """Capsular / periarticular: an elongated blob that stays at the tip."""
    jf = joint_frame(phantom)
    a = jf["axis"]  # capsule fibres run roughly along the neck (teaching description)
    r = (3.0 * volume_ml * 1000.0 / (4.0 * math.pi)) ** (1.0 / 3.0)
    e1 = a
    e2 = _unit(np.cross(a, [0.0, 1.0, 0.0]) if abs(a[1]) < 0.9 else np.cross(a, [1.0, 0.0, 0.0]))
    R = np.stack([e1, e2, np.cross(e1, e2)])
    step = 0.7
    for grow in (
        1.0,
        1.15,
        1.3,
        1.5,
        1.75,
        2.0,
    ):  # bone pushes the blob aside: grow until it holds V
        semi = grow * np.array([r * 1.8, r / math.sqrt(1.8), r / math.sqrt(1.8)])
        half = semi.max() + 2
        ax = np.arange(-half, half, step) + step / 2
        zz, yy, xx = np.meshgrid(ax, ax, ax, indexing="ij")
        rel = np.stack([xx.ravel(), yy.ravel(), zz.ravel()], axis=-1)
        rn = np.linalg.norm(rel @ R.T / semi[None, :], axis=1)
        keep = rn <= 1.0
        pts = np.asarray(tip)[None, :] + rel[keep]
        rn = rn[keep]
        not_bone = ~phantom.in_region("bone", pts)
        pts, rn = pts[not_bone], rn[not_bone]
        if len(pts) * step**3 / 1000.0 >= 1.05 * volume_ml:
            break
    voxel_ml = step**3 / 1000.0

    def conc(t: float) -> np.ndarray:
        v = injected_ml(volume_ml, t)
        if v <= 0:
            return np.zeros(len(pts))
        edge = (v / volume_ml) ** (1.0 / 3.0)
        w = np.where(rn <= edge, 1.0 - 0.5 * (rn / max(edge, 1e-6)) ** 2, 0.0)
        return _normalise(w, c0 * v, c0, voxel_ml)

    cl = ContrastCloud(
        "capsular",
        pts,
        volume_ml,
        start,
        start + volume_ml / RATE_ML_PER_S,
        conc,
        voxel_mm=step,
        seed=seed,
    )
    return cl


def _muscle_cloud(phantom, tip, volume_ml, c0, start, seed) -> ContrastCloud:
    """Feathery streaks along the muscle fibres (roughly cranio-caudal over the anterior hip)."""
    rng = np.random.default_rng(seed)
    fibre = _unit(
        [-0.2, 0.1, 1.0]
    )  # teaching description: iliopsoas/rectus fibres run cranio-caudally
    e1 = _unit(np.cross(fibre, [0.0, 1.0, 0.0]))
    e2 = np.cross(fibre, e1)
    n_streaks = 14
    pts, order = [], []
    step = 0.6
    for k in range(n_streaks):
        ang = rng.normal(0.0, math.radians(9.0), size=2)
        d = _unit(fibre + ang[0] * e1 + ang[1] * e2) * (1 if k % 2 == 0 else -1)
        off = rng.normal(0.0, 2.5, size=2)
        length = rng.uniform(18.0, 38.0) * (volume_ml / 2.0) ** (1.0 / 3.0)
        s = np.arange(0.0, length, step)
        line = np.asarray(tip)[None, :] + off[0] * e1 + off[1] * e2 + s[:, None] * d[None, :]
        for a_ in (-step, 0.0, step):  # a thin bundle, about 2 mm across
            for b_ in (-step, 0.0, step):
                pts.append(line + a_ * e1 + b_ * e2)
                order.append(s / length)
    pts = np.concatenate(pts)
    order = np.concatenate(order)
    keep = ~phantom.in_region("bone", pts) & (phantom.mu_at(pts) > 1e-4)
    pts, order = pts[keep], order[keep]
    voxel_ml = step**3 / 1000.0

    def conc(t: float) -> np.ndarray:
        v = injected_ml(volume_ml, t)
        if v <= 0:
            return np.zeros(len(pts))
        reach = (v / volume_ml) ** 0.5
        w = np.where(order <= reach, 1.0 - 0.7 * order, 0.0)
        return _normalise(w, c0 * v, c0, voxel_ml)

    return ContrastCloud(
        "intramuscular",
        pts,
        volume_ml,
        start,
        start + volume_ml / RATE_ML_PER_S,
        conc,
        voxel_mm=step,
        seed=seed,
    )


def bursa_communicates(seed: int) -> bool:
    """Seeded draw: does this bursa communicate with the joint (p = 0.15 [@IliopsoasBursaCase])?"""
    return bool(np.random.default_rng([seed, 15]).random() < BURSA_COMMUNICATION_P)


def _bursa_cloud(phantom, tip, volume_ml, c0, start, seed) -> list[ContrastCloud]:
    """Iliopsoas bursa: fills from the tip, preferring the superior extension; may communicate."""
    communicates = bursa_communicates(seed)
    pts = _grid_in(phantom, "bursa", tip, (40.0, 25.0, 60.0))
    if not len(pts):
        pts = np.asarray(tip)[None, :]
    g = geodesic_hops(pts, tip)
    g = np.where(np.isfinite(g), g, 1e3)
    key = g - 0.6 * (pts[:, 2] - tip[2])  # the sac extends superiorly (teaching description)
    order = np.argsort(key, kind="stable")
    rank = np.empty(len(pts))
    rank[order] = np.arange(len(pts))
    voxel_ml = VOXEL_MM**3 / 1000.0
    cap_ml = len(pts) * voxel_ml * 0.6  # the sac holds about this much before it distends or spills
    into_bursa = min(volume_ml, cap_ml) if communicates else volume_ml

    def conc(t: float) -> np.ndarray:
        v = min(injected_ml(volume_ml, t), into_bursa)
        if v <= 0:
            return np.zeros(len(pts))
        n_fill = max(1, int(v / voxel_ml / 0.8))
        w = np.where(rank < n_fill, 1.0, 0.0)
        return _normalise(w, c0 * v, c0, voxel_ml)

    out = [
        ContrastCloud(
            "bursal",
            pts,
            into_bursa,
            start,
            start + volume_ml / RATE_ML_PER_S,
            conc,
            seed=seed,
            communicates=communicates,
        )
    ]
    spill = volume_ml - into_bursa
    if communicates and spill > 0.05:
        jf = joint_frame(phantom)
        near = jf["points"][
            int(np.argmin(np.linalg.norm(jf["points"] - pts[int(order[-1])][None, :], axis=1)))
        ]
        out.append(_joint_cloud(phantom, near, spill, c0, start + into_bursa / RATE_ML_PER_S, seed))
    return out


def _vessel_cloud(phantom, tip, volume_ml, c0, start, seed) -> ContrastCloud:
    """A serpiginous column in the vessel plus tortuous branches, washing out in seconds."""
    rng = np.random.default_rng(seed)
    lumen = _grid_in(phantom, "vessel", tip, (15.0, 15.0, 90.0), step=1.0)
    if len(lumen):
        g = geodesic_hops(lumen, tip)
        lumen = lumen[np.isfinite(g)]
    artery = getattr(phantom, "artery", None)
    arterial = artery is not None and bool(artery.contains(np.asarray(tip)[None, :])[0])
    flow = np.array(
        [0.0, 0.0, -1.0 if arterial else 1.0]
    )  # femoral artery runs distally, vein proximally
    # the stream hugs a wavy line in the lumen (it does not fill the lumen evenly)
    pts, dist = [], []
    if len(lumen):
        s_l = (lumen - tip) @ flow
        down = s_l >= -2.0
        lum = lumen[down]
        s_l = s_l[down]
        wave = 1.5 * np.sin(s_l / 6.0)
        lateral = (lum[:, 0] - tip[0]) - wave
        keep = np.abs(lateral) < 1.6
        pts.append(lum[keep])
        dist.append(np.maximum(s_l[keep], 0.0))
    # branches: random walks that meander away (serpiginous small vessels; teaching description)
    step = 0.8
    for _k in range(4):
        p = np.asarray(tip, dtype=np.float64) + flow * rng.uniform(5, 35)
        d = _unit(
            flow
            + rng.normal(0, 0.8, size=3) * np.array([1.0, 0.4, 0.3])
            + np.array([-0.8, 0.1, 0.0])
        )
        walk = []
        s0 = float((p - tip) @ flow)
        for _i in range(int(rng.uniform(40, 80) / step)):
            d = _unit(d + rng.normal(0, 0.35, size=3) * np.array([1.0, 0.3, 1.0]))
            p = p + step * d
            walk.append(p.copy())
        walk = np.array(walk)
        dd = s0 + np.arange(1, len(walk) + 1) * step
        for off in ((0, 0, 0), (step, 0, 0), (0, 0, step), (step, 0, step)):  # ~1.5 mm calibre
            pts.append(walk + np.asarray(off))
            dist.append(dd)
    pts = np.concatenate(pts) if pts else np.asarray(tip)[None, :]
    dist = np.concatenate(dist) if dist else np.zeros(1)
    step**3 / 1000.0
    tau = value("vascular_washout_s")
    t_end = volume_ml / RATE_ML_PER_S
    conc_inflow = 0.5 * c0  # diluted at once by flowing blood (teaching description)

    def conc(t: float) -> np.ndarray:
        front = VESSEL_FRONT_MM_PER_S * t
        seen = dist <= front
        c = np.where(seen, conc_inflow * np.exp(-dist / 120.0), 0.0)
        if t > t_end:
            c = c * math.exp(-(t - t_end) / tau)
        return c

    return ContrastCloud(
        "intravascular",
        pts,
        volume_ml,
        start,
        start + t_end,
        conc,
        transient=True,
        voxel_mm=step,
        seed=seed,
    )


def inject(
    phantom,
    tip_mm,
    label: str,
    volume_ml: float,
    *,
    time_s: float = 0.0,
    concentration_mgi_per_ml: float | None = None,
    seed: int = 0,
) -> list[ContrastCloud]:
    """Clouds produced by injecting ``volume_ml`` at a tip whose compartment is ``label``."""
    pattern, volume_ml, c0 = checked_injection(label, volume_ml, concentration_mgi_per_ml)
    tip = np.asarray(tip_mm, dtype=np.float64)
    if pattern == "intra-articular":
        return [_joint_cloud(phantom, tip, volume_ml, c0, time_s, seed)]
    if pattern == "capsular":
        return [_blob_cloud(phantom, tip, volume_ml, c0, time_s, seed)]
    if pattern == "intramuscular":
        return [_muscle_cloud(phantom, tip, volume_ml, c0, time_s, seed)]
    if pattern == "bursal":
        return _bursa_cloud(phantom, tip, volume_ml, c0, time_s, seed)
    return [_vessel_cloud(phantom, tip, volume_ml, c0, time_s, seed)]


def cine(scene, carm, clouds_start_s: float, seconds: float, pps: float, render_fn, **kw) -> list:
    """Frames every ``1/pps`` s from ``clouds_start_s`` for ``seconds`` (live: vessels visible)."""
    frames = []
    n = max(1, int(round(seconds * pps)))
    for k in range(n):
        scene.time_s = clouds_start_s + (k + 1) / pps
        frames.append(render_fn(scene, carm, pps=pps, seconds=1.0 / pps, live=True, **kw))
    return frames
