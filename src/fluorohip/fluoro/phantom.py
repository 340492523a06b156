"""An analytic adult right hip built from convex primitives with exact line integrals.

Frame: origin at the right femoral-head centre, x to the patient's left (so +x is medial),
y posterior, z cranial, millimetres. Attenuation is additive: every :class:`Term` adds
``weight_m * chord`` to the line-integral map of material ``m``, so nested shells are an
outer body plus a correction (e.g. cortical sphere, then a smaller sphere with
``cancellous - cortical``) and holes are inclusion-exclusion (a body minus its intersection with a convex hole, the
hole lying inside the body's term, so no chord goes negative). Pelvis: a hemispherical
acetabular cup (dense lining, the sourcil) in a cancellous body, the teardrop (a U-shaped
tube), an oblique iliac wing, the pelvic brim (a ring in the tilted inlet plane), the pubic
rami and ischium around the obturator foramen (an ellipsoid minus an elliptic hole), both
pubic bodies at the symphysis (the left one is the contralateral hint). Femur: head and
neck with cortex, trochanteric union (metaphysis + greater trochanter, inclusion-exclusion)
and a lesser trochanter. ``oa=True`` narrows the superolateral joint space and adds
marginal osteophytes [@Ledingham1992] [@Nelson2010HipOAFeatures]. Soft tissue (muscle) is the baseline: the
capsule, joint fluid, bursa and vessels differ from it by less than 2 % at 50 keV and are
invisible without contrast, as on a real plain fluoroscopic image.

Dimensions and angles come from :mod:`.constants`, which takes the numbers it shares with
the anatomy chapter from :data:`fluorohip.anatomy.FACTS` (femoral head diameter
[@Abdulai2024], neck-shaft angle [@Boese2016], centre-edge and Sharp angles
[@Tannast2015]); neck length [@AbdulaiFemur], anteversion [@Toogood2009], acetabular
anteversion [@Jiang2015], joint space [@Lequesne2004], capsule [@USHipStandards1994]
[@RadiopaediaCapsule2022], iliopsoas bursa [@IliopsoasBursaCase], neck width (40/38 mm,
[@AbdulaiFemur]) and the femoral artery and vein placed at the mean shortest distances to
the joint (19.6 and 17.5 mm [@Mehta2018]) from the modelled capsule. Cortical thickness,
the neck's AP/SI ratio, soft-tissue depth by BMI, vessel sizes and the pelvic outline are
modelling assumptions without a source (flagged in :mod:`.constants`): the pelvis is drawn
for recognition, not measurement.
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
    oa: bool = False
    terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)
    regions: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_choice("sex", self.sex, ("male", "female"))
        object.__setattr__(self, "bmi", check_number("bmi", self.bmi, 15.0, 60.0))
        if not isinstance(self.oa, (bool, np.bool_)):
            raise ValueError(f"oa must be True or False; got {self.oa!r}")
        object.__setattr__(self, "oa", bool(self.oa))
        self._build()

    # ---------------------------------------------------------------------------
    def _build(self) -> None:
        male = self.sex == "male"
        r = value("head_radius_male_mm") if male else value("head_radius_female_mm")
        k = r / value("head_radius_male_mm")  # scale for the unsourced (pelvic, trochanteric) sizes
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
        n_si = value("neck_semi_si_male_mm") if male else value("neck_semi_si_female_mm")
        n_ap = n_si * value("neck_ap_to_si_ratio")
        n_len = value("neck_length_mm") * k
        # head/neck junction plane a.x = h0, where the head section is as wide as the neck (SI);
        # in front the head overhangs the flatter neck (the anterior head-neck offset)
        h0 = math.sqrt(r * r - n_si * n_si)
        mu = {m: mu_per_mm(m) for m in ("fat", "muscle", "blood", "cortical", "cancellous")}
        terms: list[Term] = []
        bone_pieces: list[Piece] = []

        def add(prim: Convex, **w: float) -> None:
            terms.append(Term(prim, tuple(w.items())))

        def neg(**w: float) -> dict:
            return {m: -x for m, x in w.items()}

        CANC = dict(cancellous=1.0, muscle=-1.0)              # cancellous bone replacing muscle
        CORT = dict(cortical=1.0, muscle=-1.0)                # cortical bone replacing muscle
        CORE = dict(cancellous=1.0, cortical=-1.0)            # cancellous core inside a cortical shell
        PLATE = dict(cortical=0.5, cancellous=0.5, muscle=-1.0)  # thin pelvic plate: cortex + diploe

        def bone(prim: Convex, w: dict, minus: tuple = ()) -> None:
            """A bone piece ``prim`` minus the convex sets ``minus`` (each subtracted as prim & m)."""
            add(prim, **w)
            for m in minus:
                add(prim.intersect(m), **neg(**w))
            bone_pieces.append(Piece(prim, tuple(minus)))

        # --- body: muscle envelope inside a fat layer ---
        f = fat_thickness_mm(self.bmi)
        mid_x = value("pelvis_midline_mm") * k
        body_c = np.array([mid_x, 30.0, -25.0])  # hip joint in the anterior half (assumption)
        hw, hd = value("muscle_half_width_mm") * k, value("muscle_half_depth_mm")
        z_half = 225.0
        outer = cylinder(body_c, (0, 0, 1), (hw + f, hd + f), z_half, cross_axis=(1, 0, 0), name="fat")
        inner = cylinder(body_c, (0, 0, 1), (hw, hd), z_half, cross_axis=(1, 0, 0), name="muscle")
        add(outer, fat=1.0)
        add(inner, fat=-1.0, muscle=1.0)

        # --- femoral head and neck: cortical shell over a cancellous core ---
        head = sphere((0, 0, 0), r, "femoral head").clip(a, h0)
        head_core = sphere((0, 0, 0), r - cx).clip(a, h0)
        neck_c = (h0 + n_len / 2) * a
        neck = cylinder(neck_c, a, (n_si, n_ap), n_len / 2, cross_axis=e_si, name="femoral neck")
        neck_core = cylinder(neck_c, a, (n_si - cx, n_ap - cx), n_len / 2, cross_axis=e_si)
        for outer_p, core in ((head, head_core), (neck, neck_core)):
            bone(outer_p, CORT)
            add(core, **CORE)

        # --- trochanteric region: metaphysis and greater trochanter as one cortical-shelled union ---
        neck_end = h0 + n_len
        p_end = neck_end * a
        cm = p_end + np.array([-8.0, 0.0, -2.0]) * k
        sr, sc = value("shaft_radius_mm") * k, value("shaft_cortex_mm")
        shaft_top = cm[2] - 22.0 * k
        meta_o = (ellipsoid(cm + np.array([0, 0, -4.0]) * k, np.array([21.0, 17.0, 30.0]) * k,
                            name="intertrochanteric region").clip(-a, -neck_end).clip((0, 0, -1), -shaft_top))
        meta_i = (ellipsoid(cm + np.array([0, 0, -4.0]) * k, np.array([21.0 - cx, 17.0 - cx, 30.0 - cx]) * k)
                  .clip(-a, -neck_end).clip((0, 0, -1), -shaft_top))
        gt_c = cm + np.array([-13.0, 5.0, 20.0]) * k
        gt_o = ellipsoid(gt_c, np.array([13.0, 15.0, 22.0]) * k, name="greater trochanter").clip(-a, -neck_end)
        gt_i = ellipsoid(gt_c, np.array([13.0 - cx, 15.0 - cx, 22.0 - cx]) * k).clip(-a, -neck_end)
        # union by inclusion-exclusion: shells, then cores (each core inside its shell)
        add(meta_o, **CORT)
        add(gt_o, **CORT)
        add(meta_o.intersect(gt_o), **neg(**CORT))
        add(meta_i, **CORE)
        add(gt_i, **CORE)
        add(meta_i.intersect(gt_i), **neg(**CORE))
        bone_pieces += [Piece(meta_o), Piece(gt_o)]
        shaft_bottom = -260.0
        axis_pt = np.array([cm[0], cm[1], 0.0])
        shaft = cylinder_between((cm[0], cm[1], shaft_bottom), (cm[0], cm[1], shaft_top), (sr, sr),
                                 name="femoral shaft")
        shaft_core = cylinder_between((cm[0], cm[1], shaft_bottom), (cm[0], cm[1], shaft_top),
                                      (sr - sc, sr - sc))
        bone(shaft, CORT)
        add(shaft_core, **CORE)
        lt_dir = _unit(np.array([12.0, 10.0, 0.0]))
        lt = (ellipsoid(axis_pt + np.array([sr + 2.0, 10.0 * k, shaft_top - 8.0 * k]) * np.array([1, 1, 1.0]),
                        np.array([9.0, 8.0, 13.0]) * k, name="lesser trochanter")
              .clip((0, 0, 1), shaft_top).clip(-lt_dir, -(lt_dir @ axis_pt + sr - 1.0)))
        bone(lt, PLATE)

        # --- acetabulum: a hemispherical cup (dense lining) in a cancellous body ---
        inc = math.radians(value("acetabular_inclination_deg"))
        aav = math.radians(value("acetabular_anteversion_deg"))
        ce = math.radians(value("centre_edge_angle_deg"))
        gap = value("joint_space_mm")
        # OA: the head migrates superolaterally, i.e. the cup sits inferomedial of the head centre
        shift = 0.0
        if self.oa:
            shift = gap - value("oa_superolateral_joint_space_mm")
        s_dir = _unit([-0.259, 0.0, 0.966])  # superolateral weight-bearing zone, 15 deg from vertical
        c_ac = -shift * s_dir
        r_cav = r + gap
        wall = value("cup_wall_mm") * (1.7 if self.oa else 1.0)  # OA: subchondral sclerosis
        r_cup = r_cav + wall
        n_open = _unit([-math.sin(inc) * math.cos(aav), -math.sin(inc) * math.sin(aav), -math.cos(inc)])
        rim = c_ac + np.array([-r_cav * math.sin(ce), 0.0, r_cav * math.cos(ce)])
        h_open = float(n_open @ rim)  # plane through the lateral roof edge sets the CE angle
        cavity = sphere(c_ac, r_cav, "acetabular cavity")
        cup_ball = sphere(c_ac, r_cup)
        cup = cup_ball.clip(n_open, h_open, "acetabulum")
        bone(cup, CORT, (cavity,))
        x_wall = value("pelvis_midline_mm") * k - value("inlet_half_width_mm") * k + 8.0  # ilioischial line
        body = (ellipsoid(np.array([12.0, 4.0, 16.0]) * k, np.array([36.0, 24.0, 48.0]) * k, name="acetabulum")
                .clip(n_open, h_open).clip((1, 0, 0), x_wall))
        bone(body, CANC, (cup_ball,))
        # teardrop: a U of dense bone at the inferomedial acetabulum (acetabular fossa floor + pelvic wall)
        td_c = np.array([x_wall - 6.0 * k, -3.0, -14.0 * k])
        td_o = cylinder(td_c, (0, 1, 0), (5.0 * k, 13.0 * k), 8.0, cross_axis=(1, 0, 0), name="teardrop")
        td_i = cylinder(td_c, (0, 1, 0), (2.8 * k, 10.5 * k), 8.0, cross_axis=(1, 0, 0))
        td_top = float(td_c[2] + 5.0 * k)
        add(td_o.clip((0, 0, 1), td_top), cortical=1.0, cancellous=-1.0)
        add(td_i.clip((0, 0, 1), td_top), cortical=-1.0, cancellous=1.0)
        # iliac wing: a thin oblique plate rising above the acetabulum
        wing_axes = np.array([_unit([0.52, 0.85, 0.0]), [0.0, 0.0, 1.0], _unit([0.85, -0.52, 0.0])])
        wing = (ellipsoid(np.array([12.0, 12.0, 78.0]) * k, np.array([72.0, 55.0, 7.0]) * k, wing_axes, name="ilium")
                .clip((0, 0, -1), -52.0 * k))
        bone(wing, PLATE)
        # pelvic brim (iliopectineal line): a ring in the tilted inlet plane, right half and a hint of the left
        tilt = math.radians(value("inlet_tilt_deg"))
        u_in = np.array([0.0, math.cos(tilt), math.sin(tilt)])      # in-plane, anterior -> posterior-cranial
        n_in = np.array([0.0, -math.sin(tilt), math.cos(tilt)])     # inlet plane normal
        in_c = np.array([mid_x, 6.0, 30.0 * k])
        iw, idp = value("inlet_half_width_mm") * k, value("inlet_half_depth_mm") * k
        brim_o = cylinder(in_c, n_in, (iw + 5.0, idp + 5.0), 4.0, cross_axis=(1, 0, 0), name="pelvic brim")
        brim_i = cylinder(in_c, n_in, (iw, idp), 4.0, cross_axis=(1, 0, 0))
        keep = mid_x + 25.0
        bone(brim_o.clip((1, 0, 0), keep), PLATE, (brim_i,))
        # obturator ring (pubic rami and ischium around the foramen): plate minus an elliptic hole
        ob_c = np.array([45.0, -8.0, -48.0]) * k
        th = math.radians(15.0)  # long axis leans: top lateral
        e_h = _unit([0.82, -0.57, 0.0])
        e_n = _unit([0.57, 0.82, 0.0])
        e_v = np.array([0.0, 0.0, 1.0])
        e_h, e_v = math.cos(th) * e_h + math.sin(th) * e_v, -math.sin(th) * e_h + math.cos(th) * e_v
        oh, ow = value("obturator_half_height_mm") * k, value("obturator_half_width_mm") * k
        ring = ellipsoid(ob_c, np.array([ow + 12.0 * k, oh + 14.0 * k, 10.0 * k]), np.stack([e_h, e_v, e_n]),
                         name="pubic rami and ischium")
        hole = cylinder(ob_c, e_n, (ow, oh), 30.0, cross_axis=e_h, name="obturator foramen")
        bone(ring, PLATE, (hole,))
        isch = ellipsoid(np.array([24.0, 14.0, -84.0]) * k, np.array([14.0, 16.0, 17.0]) * k, name="ischium")
        bone(isch, CANC)
        # superior pubic ramus to the symphysis, both pubic bodies (the left one is the contralateral hint)
        ramus = cylinder_between(np.array([34.0, -10.0, -12.0]) * k, np.array([mid_x - 10.0, -22.0, -22.0 * k]),
                                 (8.0 * k, 7.0 * k), cross_axis=(0, 0, 1), name="superior pubic ramus")
        bone(ramus, CANC)
        for side in (-1.0, 1.0):
            pb = ellipsoid(np.array([mid_x + side * 9.0, -22.0, -30.0 * k]), np.array([7.0, 10.0, 19.0]) * k,
                           name="pubic body" if side < 0 else "left pubic body")
            bone(pb, PLATE)
        l_ramus = cylinder_between(np.array([mid_x + 10.0, -22.0, -22.0 * k]),
                                   np.array([mid_x + 60.0, -10.0, -12.0 * k]), (8.0 * k, 7.0 * k),
                                   cross_axis=(0, 0, 1), name="left superior pubic ramus")
        bone(l_ramus, CANC)
        # --- OA: marginal osteophytes (lateral acetabular rim; superior and inferomedial head-neck) ---
        if self.oa:
            o = value("oa_osteophyte_mm")
            lat = _unit([-1.0, 0.0, 0.15])
            bone(ellipsoid(rim + lat * (0.6 * o) + np.array([0, 0, 0.5 * o]), (o, 0.9 * o, 0.6 * o),
                           name="acetabular osteophyte"), CORT)
            for sgn, nm in ((1.0, "superior head-neck osteophyte"), (-1.0, "inferomedial head-neck osteophyte")):
                c_o = (h0 - 1.0) * a + sgn * (n_si + 0.4 * o) * e_si
                bone(ellipsoid(c_o, (0.7 * o, 0.8 * o, 1.2 * o), np.stack([a, e_post, e_si]), name=nm), CORT)

        # --- vessels and bursa (soft tissue; matter for classification and contrast) ---
        ra, rv = value("artery_diameter_mm") / 2, value("vein_diameter_mm") / 2
        r_cap = r + value("capsule_offset_mm")
        xa = value("artery_x_mm") * k
        ya = -math.sqrt((r_cap + ra + value("artery_joint_distance_mm")) ** 2 - xa ** 2)
        xv = xa + ra + rv + 3.0
        yv = -math.sqrt((r_cap + rv + value("vein_joint_distance_mm")) ** 2 - xv ** 2)
        artery = cylinder_between((xa, ya, -160.0), (xa, ya, 70.0), (ra, ra), name="femoral artery")
        vein = cylinder_between((xv, yv, -160.0), (xv, yv, 70.0), (rv, rv), name="femoral vein")
        # blood differs from muscle by ~1 % at 50 keV: vessels are not rendered, only classified
        bl, bw, bd = (value("bursa_length_mm") / 2 * k, value("bursa_width_mm") / 2 * k,
                      value("bursa_depth_mm") / 2)
        bursa_c = np.array([value("bursa_x_mm") * k, -(r_cap + bd + 1.0), -5.0 * k])
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
        # Joint space (disjoint pieces: cavity sphere r + joint space, sleeve beyond it, minus bone)
        r_js = r + gap
        cavity0 = sphere((0, 0, 0), r_js)
        h_cap = math.sqrt(r_js ** 2 - sleeve_semi[1] ** 2)
        cap_piece = cavity0.clip(a, h_cap)
        sleeve_piece = sleeve.clip(-a, -h_cap)
        self_joint = (
            (cap_piece, 1.0), (sleeve_piece, 1.0), (head, -1.0),
            (neck.clip(a, h_cap), -1.0), (neck.intersect(sleeve_piece), -1.0),
        )
        regions = {
            "bone": tuple(bone_pieces),
            "vessel": (Piece(artery), Piece(vein)),
            "capsule": (Piece(capsule_ball), Piece(sleeve)),
            "bursa": (Piece(bursa),),
            "muscle": (Piece(inner),),
            "fat": (Piece(outer, (inner,)),),
        }
        geometry = dict(r=r, h0=h0, n_si=n_si, n_ap=n_ap, n_len=n_len, gap=gap, cavity=cavity,
                        head=head, e_post=e_post)
        object.__setattr__(self, "terms", tuple(terms))
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "joint_terms", self_joint)
        object.__setattr__(self, "geometry", geometry)
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
        object.__setattr__(self, "mu", mu)
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
        g = self.geometry
        # anterior surface of the neck 5 mm lateral of the junction, 2 mm off bone
        return (g["h0"] + 5.0) * self.neck_axis - (g["n_ap"] + 2.0) * g["e_post"]

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
