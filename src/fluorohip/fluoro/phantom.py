"""An analytic adult right hip built from convex primitives with exact line integrals.

Frame: origin at the right femoral-head centre, x to the patient's left (so +x is medial),
y posterior, z cranial, millimetres. Attenuation is additive: every :class:`Term` adds
``weight_m * chord`` to the line-integral map of material ``m``, so nested shells are an
outer body plus a correction (e.g. cortical sphere, then a smaller sphere with
``cancellous - cortical``) and holes are inclusion-exclusion (acetabular block minus the
block's intersection with the cavity). Abutting bones are kept disjoint with shared
clip planes, so nothing is counted twice. Soft tissue (muscle) is the baseline: the
capsule, joint fluid, bursa and vessels differ from it by less than 2 % at 50 keV and are
invisible without contrast, as on a real plain fluoroscopic image.

Dimensions and angles come from :mod:`.constants`, which takes the numbers it shares with
the anatomy chapter from :data:`fluorohip.anatomy.FACTS` (femoral head diameter
[@Abdulai2024], neck-shaft angle [@Boese2016], centre-edge and Sharp angles
[@Tannast2015]); neck length [@AbdulaiFemur], anteversion [@Toogood2009], acetabular
anteversion [@Jiang2015], joint space [@Lequesne2004], capsule [@USHipStandards1994]
[@RadiopaediaCapsule2022], iliopsoas bursa [@IliopsoasBursaCase]. Cortical thickness,
neck cross-section, soft-tissue depth by BMI, vessel sizes and the pelvic outline are
modelling assumptions without a source (flagged in :mod:`.constants`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .constants import value
from .materials import mu_per_mm
from .primitives import Convex, cylinder, cylinder_between, ellipsoid, sphere
from .validation import check_choice, check_number

BONE_LABELS = ("femoral head", "femoral neck", "greater trochanter", "intertrochanteric region",
               "lesser trochanter", "femoral shaft", "acetabulum", "ilium", "superior pubic ramus",
               "ischium")


@dataclass(frozen=True)
class Term:
    prim: Convex
    weights: tuple[tuple[str, float], ...]  # (material, weight)


@dataclass(frozen=True)
class Piece:
    """A region piece: a convex set minus a union of convex sets."""

    prim: Convex
    minus: tuple[Convex, ...] = ()

    def contains(self, points: np.ndarray) -> np.ndarray:
        inside = self.prim.contains(points)
        for m in self.minus:
            inside &= ~m.contains(points)
        return inside


def fat_thickness_mm(bmi: float) -> float:
    """Subcutaneous fat depth over the hip (mm): 15 mm at BMI 20 rising to 60 mm at 35.

    A linear modelling choice; MRI nomograms show soft-tissue depth rising with BMI
    [@NeedleLengthNomogram] but their values were not retrieved.
    """
    lo, hi = value("fat_min_mm"), value("fat_max_mm")
    return float(min(hi, max(lo, lo + (bmi - 20.0) * (hi - lo) / 15.0)))


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


@dataclass(frozen=True)
class HipPhantom:
    """The right hip of an adult; ``sex`` rescales the bones, ``bmi`` the fat layer."""

    sex: str = "male"
    bmi: float = 25.0
    terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)
    regions: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_choice("sex", self.sex, ("male", "female"))
        object.__setattr__(self, "bmi", check_number("bmi", self.bmi, 15.0, 60.0))
        self._build()

    # ---------------------------------------------------------------------------
    def _build(self) -> None:
        r = value("head_radius_male_mm") if self.sex == "male" else value("head_radius_female_mm")
        k = r / value("head_radius_male_mm")  # scale for the other bones
        cx = value("cortex_mm")
        nsa = math.radians(value("neck_shaft_angle_deg"))
        av = math.radians(value("femoral_anteversion_deg"))
        # neck axis from the head toward the shaft (lateral, posterior, caudal)
        to_head = np.array([math.sin(nsa) * math.cos(av), -math.sin(nsa) * math.sin(av), -math.cos(nsa)])
        a = -_unit(to_head)
        e_si = _unit(np.array([0.0, 0.0, 1.0]) - a[2] * a)  # supero-inferior across the neck
        e_post = _unit(np.cross(a, e_si))
        if e_post[1] < 0:
            e_post = -e_post
        n_si, n_ap, n_len = (value("neck_semi_si_mm") * k, value("neck_semi_ap_mm") * k,
                             value("neck_length_mm") * k)
        h0 = math.sqrt(r * r - n_ap * n_ap)  # head/neck junction plane a.x = h0
        mu = {m: mu_per_mm(m) for m in ("fat", "muscle", "blood", "cortical", "cancellous")}
        self_mu = mu
        terms: list[Term] = []

        def add(prim: Convex, **w: float) -> None:
            terms.append(Term(prim, tuple(w.items())))

        bone_minus_muscle = dict(cancellous=1.0, muscle=-1.0)
        # --- body: muscle envelope inside a fat layer ---
        f = fat_thickness_mm(self.bmi)
        mid_x = 85.0 * k
        body_c = np.array([mid_x, 30.0, -25.0])  # hip joint in the anterior half (assumption)
        hw, hd = value("muscle_half_width_mm") * k, value("muscle_half_depth_mm")
        z_half = 225.0
        outer = cylinder(body_c, (0, 0, 1), (hw + f, hd + f), z_half, cross_axis=(1, 0, 0), name="fat")
        inner = cylinder(body_c, (0, 0, 1), (hw, hd), z_half, cross_axis=(1, 0, 0), name="muscle")
        add(outer, fat=1.0)
        add(inner, fat=-1.0, muscle=1.0)
        # --- femoral head and neck (cortical shell over cancellous core) ---
        head = sphere((0, 0, 0), r, "femoral head").clip(a, h0)
        head_core = sphere((0, 0, 0), r - cx).clip(a, h0)
        neck_c = (h0 + n_len / 2) * a
        neck = cylinder(neck_c, a, (n_si, n_ap), n_len / 2, cross_axis=e_si, name="femoral neck")
        neck_core = cylinder(neck_c, a, (n_si - cx, n_ap - cx), n_len / 2, cross_axis=e_si)
        for outer_p, core in ((head, head_core), (neck, neck_core)):
            add(outer_p, cortical=1.0, muscle=-1.0)
            add(core, cancellous=1.0, cortical=-1.0)
        # --- trochanteric region and shaft ---
        neck_end = h0 + n_len
        p_end = neck_end * a
        cm = p_end + np.array([-8.0, 0.0, -2.0]) * k
        z_split = cm[2] + 12.0 * k
        shaft_top = cm[2] - 15.0 * k
        metaphysis = (ellipsoid(cm, np.array([20.0, 18.0, 30.0]) * k, name="intertrochanteric region")
                      .clip(-a, -neck_end).clip((0, 0, 1), z_split).clip((0, 0, -1), -shaft_top))
        gt = (ellipsoid(cm + np.array([-12.0, 4.0, 22.0]) * k, np.array([11.0, 13.0, 16.0]) * k,
                        name="greater trochanter")
              .clip(-a, -neck_end).clip((0, 0, -1), -z_split))
        add(metaphysis, **bone_minus_muscle)
        add(gt, **bone_minus_muscle)
        sr, sc = value("shaft_radius_mm") * k, value("shaft_cortex_mm")
        shaft_bottom = -260.0
        axis_pt = np.array([cm[0], cm[1], 0.0])
        shaft = cylinder_between((cm[0], cm[1], shaft_bottom), (cm[0], cm[1], shaft_top), (sr, sr),
                                 name="femoral shaft")
        shaft_core = cylinder_between((cm[0], cm[1], shaft_bottom), (cm[0], cm[1], shaft_top),
                                      (sr - sc, sr - sc))
        add(shaft, cortical=1.0, muscle=-1.0)
        add(shaft_core, cancellous=1.0, cortical=-1.0)
        lt_dir = _unit(np.array([12.0, 14.0, 0.0]))
        lt = (ellipsoid(axis_pt + np.array([12.0, 14.0, cm[2] - 22.0 * k]) * np.array([k, k, 1.0]),
                        np.array([8.0, 8.0, 11.0]) * k, name="lesser trochanter")
              .clip((0, 0, 1), shaft_top).clip(-lt_dir, -(lt_dir @ axis_pt + sr)))
        add(lt, **bone_minus_muscle)
        # --- acetabulum and pelvis ---
        inc = math.radians(value("acetabular_inclination_deg"))
        aav = math.radians(value("acetabular_anteversion_deg"))
        ce = math.radians(value("centre_edge_angle_deg"))
        r_cav = r + value("joint_space_mm")
        n_open = _unit([-math.sin(inc) * math.cos(aav), -math.sin(inc) * math.sin(aav), -math.cos(inc)])
        rim = np.array([-r_cav * math.sin(ce), 0.0, r_cav * math.cos(ce)])
        h_open = float(n_open @ rim)  # plane through the lateral roof edge sets the CE angle
        x_ramus = 55.0 * k
        z_ilium = 40.0 * k
        z_isch = -15.0 * k
        block = (ellipsoid(np.array([20.0, 5.0, 15.0]) * k, np.array([45.0, 40.0, 45.0]) * k, name="acetabulum")
                 .clip(n_open, h_open).clip((1, 0, 0), x_ramus).clip((0, 0, 1), z_ilium)
                 .clip((0, 0, -1), -z_isch))
        cavity = sphere((0, 0, 0), r_cav, "acetabular cavity")
        add(block, **bone_minus_muscle)
        add(block.intersect(cavity), cancellous=-1.0, muscle=1.0)
        wing_axes = np.array([[math.cos(0.5), -math.sin(0.5), 0.0], [math.sin(0.5), math.cos(0.5), 0.0], [0, 0, 1]])
        ilium = (ellipsoid(np.array([15.0, 20.0, 85.0]) * k, np.array([75.0, 14.0, 70.0]) * k, wing_axes,
                           name="ilium").clip((0, 0, -1), -z_ilium))
        add(ilium, **bone_minus_muscle)
        ramus = cylinder_between(np.array([x_ramus, -12.0 * k, -8.0 * k]),
                                 np.array([mid_x - 3.0, -38.0 * k, -28.0 * k]), (10.0 * k, 8.0 * k),
                                 cross_axis=(0, 0, 1), name="superior pubic ramus")
        add(ramus, **bone_minus_muscle)
        ischium = (ellipsoid(np.array([22.0, 22.0, -45.0]) * k, np.array([17.0, 20.0, 30.0]) * k, name="ischium")
                   .clip((0, 0, 1), z_isch))
        add(ischium, **bone_minus_muscle)
        # --- vessels and bursa (soft tissue; matter for classification and contrast) ---
        vessel_y = -value("vessel_depth_mm") * k
        ra, rv = value("artery_diameter_mm") / 2, value("vein_diameter_mm") / 2
        artery = cylinder_between((12.0 * k, vessel_y, -160.0), (12.0 * k, vessel_y, 70.0), (ra, ra),
                                  name="femoral artery")
        vein = cylinder_between((12.0 * k + ra + rv + 3.0, vessel_y, -160.0),
                                (12.0 * k + ra + rv + 3.0, vessel_y, 70.0), (rv, rv), name="femoral vein")
        # blood differs from muscle by ~1 % at 50 keV: vessels are not rendered, only classified
        r_cap = r + value("capsule_offset_mm")
        bl, bw, bd = (value("bursa_length_mm") / 2 * k, value("bursa_width_mm") / 2 * k,
                      value("bursa_depth_mm") / 2)
        bursa_c = np.array([4.0 * k, -(r_cap + bd + 1.0), -5.0 * k])
        bursa = ellipsoid(bursa_c, (bw, bd, bl), name="iliopsoas bursa")
        tendon = cylinder_between(bursa_c + np.array([0, -bd - 2.0, -bl]), bursa_c + np.array([0, -bd - 2.0, bl]),
                                  (5.0 * k, 5.0 * k), name="iliopsoas tendon")
        # --- joint capsule: sphere around the head plus a sleeve along the neck ---
        sleeve_semi = (n_si + value("capsule_offset_mm"), n_ap + value("capsule_offset_mm"))
        short = value("capsule_posterior_shortening_mm")
        kappa = short / (2 * sleeve_semi[1])
        n_end = a + kappa * e_post
        h_end = neck_end - short / 2
        sleeve_len = neck_end + 10.0
        sleeve = (cylinder(sleeve_len / 2 * a, a, sleeve_semi, sleeve_len / 2, cross_axis=e_si, name="capsule sleeve")
                  .clip(n_end, h_end))
        capsule_ball = sphere((0, 0, 0), r_cap, "capsule")
        # Joint space for contrast (disjoint pieces; cavity sphere r + joint space)
        h_cap = math.sqrt(r_cav ** 2 - sleeve_semi[1] ** 2)
        cap_piece = cavity.clip(a, h_cap)
        sleeve_piece = sleeve.clip(-a, -h_cap)
        self_joint = (
            (cap_piece, 1.0), (sleeve_piece, 1.0), (head, -1.0),
            (neck.clip(a, h_cap), -1.0), (neck.intersect(sleeve_piece), -1.0),
        )
        bone_pieces = tuple(Piece(p) for p in (head, neck, metaphysis, gt, shaft, lt, ilium, ramus, ischium))
        bone_pieces += (Piece(block, (cavity,)),)
        regions = {
            "bone": bone_pieces,
            "vessel": (Piece(artery), Piece(vein)),
            "capsule": (Piece(capsule_ball), Piece(sleeve)),
            "bursa": (Piece(bursa),),
            "muscle": (Piece(inner),),
            "fat": (Piece(outer, (inner,)),),
        }
        object.__setattr__(self, "terms", tuple(terms))
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "joint_terms", self_joint)
        object.__setattr__(self, "bursa", bursa)
        object.__setattr__(self, "tendon", tendon)
        object.__setattr__(self, "artery", artery)
        object.__setattr__(self, "vein", vein)
        object.__setattr__(self, "neck_axis", a)
        object.__setattr__(self, "neck_cross_axis", e_si)
        object.__setattr__(self, "head_radius_mm", r)
        object.__setattr__(self, "capsule_radius_mm", r_cap)
        object.__setattr__(self, "fat_mm", f)
        object.__setattr__(self, "body_centre", body_c)
        object.__setattr__(self, "body_semi_muscle", (hw, hd))
        object.__setattr__(self, "mu", self_mu)
        object.__setattr__(self, "z_range_mm", (body_c[2] - z_half, body_c[2] + z_half))

    # --- landmarks -------------------------------------------------------------
    def anterior_skin_y(self, x: float) -> float:
        """y (mm) of the anterior skin surface above lateral position x."""
        hw, hd = self.body_semi_muscle
        a_, b_ = hw + self.fat_mm, hd + self.fat_mm
        dx = (x - self.body_centre[0]) / a_
        if abs(dx) >= 1:
            raise ValueError(f"x must lie over the body (|x - {self.body_centre[0]:.0f}| < {a_:.0f} mm); got {x}")
        return float(self.body_centre[1] - b_ * math.sqrt(1 - dx * dx))

    def target_point(self) -> np.ndarray:
        """The usual anterior-approach target: just off the lateral head-neck junction, inside the joint."""
        a = self.neck_axis
        r = self.head_radius_mm
        h0 = math.sqrt(r * r - (value("neck_semi_ap_mm") * r / value("head_radius_male_mm")) ** 2)
        # anterior surface of the neck 5 mm lateral of the junction, 2 mm off bone
        e_post = np.cross(a, self.neck_cross_axis)
        e_post = e_post if e_post[1] > 0 else -e_post
        n_ap = value("neck_semi_ap_mm") * r / value("head_radius_male_mm")
        return (h0 + 5.0) * a - (n_ap + 2.0) * e_post

    # --- point evaluation --------------------------------------------------------
    def mu_at(self, points: np.ndarray) -> np.ndarray:
        """Linear attenuation (1/mm) at points, from the same terms the projector uses."""
        p = np.asarray(points, dtype=np.float64)
        out = np.zeros(p.shape[:-1])
        for t in self.terms:
            w = sum(wt * self.mu[m] for m, wt in t.weights)
            out += w * t.prim.contains(p)
        return out

    def in_region(self, name: str, points: np.ndarray) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64)
        inside = np.zeros(p.shape[:-1], dtype=bool)
        for piece in self.regions[name]:
            inside |= piece.contains(p)
        return inside

    def capsule_distance(self, points: np.ndarray) -> np.ndarray:
        """Approximate signed distance (mm) to the capsule's inner surface (negative inside)."""
        p = np.asarray(points, dtype=np.float64)
        return np.minimum.reduce([piece.prim.signed_distance(p) for piece in self.regions["capsule"]])

    def joint_indicator(self, points: np.ndarray) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64)
        out = np.zeros(p.shape[:-1])
        for prim, w in self.joint_terms:
            out += w * prim.contains(p)
        return out

    @cached_property
    def joint_samples(self) -> np.ndarray:
        """Points (1 mm grid) inside the modelled joint space, for contrast spread."""
        g = np.arange(-80.0, 40.0, 1.0) + 0.5
        zz, yy, xx = np.meshgrid(np.arange(-70.0, 40.0) + 0.5, np.arange(-40.0, 40.0) + 0.5, g, indexing="ij")
        pts = np.stack([xx.ravel(), yy.ravel(), zz.ravel()], axis=-1)
        ind = self.joint_indicator(pts)
        return pts[ind > 0.5]

    @property
    def joint_volume_ml(self) -> float:
        return len(self.joint_samples) / 1000.0
