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
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .constants import value
from .materials import mu_per_mm
from .primitives import Convex, cylinder, cylinder_between, ellipsoid, sphere
from .validation import check_choice, check_number


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


class MeshPiece:
    """A bone given by its real surface: ``contains`` by winding number, one material per point."""

    def __init__(self, mesh):
        self.mesh = mesh
        self.name = mesh.name
        self.minus = ()
        lo, hi = mesh.outer.min(axis=0), mesh.outer.max(axis=0)
        self.centre = (lo + hi) / 2
        self.radius = float(np.linalg.norm(hi - lo) / 2)

    # The point-query bins are built on first use: most pieces (the mirrored left bones) are
    # only ever projected, never asked whether a point lies inside them.
    @cached_property
    def outer_bins(self):
        from .meshproj import TriangleBins

        return TriangleBins(self.mesh.triangles("outer"))

    @cached_property
    def inner_bins(self):
        from .meshproj import TriangleBins

        return TriangleBins(self.mesh.triangles("inner"))

    @property
    def prim(self) -> MeshPiece:
        return self

    def contains(self, points: np.ndarray) -> np.ndarray:
        return self.outer_bins.contains(points)

    def contains_inner(self, points: np.ndarray) -> np.ndarray:
        """Inside the endosteal surface: cancellous bone."""
        return self.inner_bins.contains(points)

    @cached_property
    def outer_triangles(self) -> np.ndarray:
        """(F, 3, 3) outer-surface triangles, kept for ray queries (the needle asks often)."""
        return self.mesh.triangles("outer")

    @cached_property
    def _triangle_spheres(self) -> tuple[np.ndarray, np.ndarray]:
        tris = self.outer_triangles
        c = tris.mean(axis=1)
        return c, np.sqrt(((tris - c[:, None, :]) ** 2).sum(axis=2).max(axis=1))

    def entry_distance(self, p0, d) -> float | None:
        """Distance along the unit ray p0 + t d (t >= 0) to the first surface of this bone, or None.

        A ray that misses the bone's bounding sphere (or has it behind) is answered without
        testing the triangles: the needle's bone-contact query runs on every advance.
        """
        from .meshproj import first_hit

        oc = np.asarray(p0, dtype=np.float64) - self.centre
        dd = np.asarray(d, dtype=np.float64)
        b = float(oc @ dd)
        disc = b * b - (float(oc @ oc) - self.radius * self.radius)
        if disc < 0.0 or -b + math.sqrt(disc) < 0.0:
            return None
        # only triangles whose bounding sphere the ray line passes through can be hit
        c, rad = self._triangle_spheres
        rel = c - np.asarray(p0, dtype=np.float64)
        along = rel @ dd
        off2 = (rel * rel).sum(axis=1) - along * along
        near = np.flatnonzero((off2 <= (rad + 1e-6) ** 2) & (along >= -rad))
        if near.size == 0:
            return None
        t = first_hit(self.outer_triangles[near], p0, d)
        return None if not np.isfinite(t) else t


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


def neck_frame(femur_outer: np.ndarray, r: float):
    """Femoral neck axis (head -> shaft), cross axes and semi-axes measured on the real femur.

    The axis runs through the head centre (the origin) and the centres of neck cross-sections
    3-15 mm beyond the head's radius (iterated); the semi-axes are half the extents of the
    section at the head-neck junction. Returns (a, e_si, e_post, n_si, n_ap, h0).
    """
    v = femur_outer
    a = _unit([-0.77, 0.164, -0.616])  # start from the cited neck-shaft angle and anteversion

    def frame(a):
        e_si = _unit(np.array([0.0, 0.0, 1.0]) - a[2] * a)
        e_post = _unit(np.cross(a, e_si))
        return e_si, (e_post if e_post[1] > 0 else -e_post)

    for _ in range(8):
        e_si, e_post = frame(a)
        pts = []
        s = v @ a
        for lo in np.arange(r - 2.0, r + 14.0, 3.0):
            sel = v[(s > lo) & (s < lo + 3.0)]
            sel = sel[np.linalg.norm(sel - np.outer(sel @ a, a), axis=1) < 30.0]
            q1, q2 = sel @ e_si, sel @ e_post
            pts.append(
                (lo + 1.5) * a
                + 0.5 * (q1.min() + q1.max()) * e_si
                + 0.5 * (q2.min() + q2.max()) * e_post
            )
        p = np.array(pts)
        a = _unit((p / np.linalg.norm(p, axis=1)[:, None]).mean(axis=0))
    e_si, e_post = frame(a)
    s = v @ a
    sel = v[(s > r - 2.0) & (s < r + 4.0)]
    sel = sel[np.linalg.norm(sel - np.outer(sel @ a, a), axis=1) < 30.0]
    n_si = float(np.ptp(sel @ e_si) / 2)
    n_ap = float(np.ptp(sel @ e_post) / 2)
    h0 = math.sqrt(max(r * r - n_si * n_si, 1.0))
    return a, e_si, e_post, n_si, n_ap, h0


def _clear_of(hip, femur, r: float, margin: float = 0.5):
    """Push the acetabulum's vertices radially out of the femoral head (OA: the cup has moved onto it).

    Vertices nearer the head centre than the head's own surface in that direction (plus
    ``margin``) move out to it, inner surface alongside, so the two bones never share a point.
    """
    from .meshes import BoneMesh
    from .meshproj import first_hit

    outer, inner = hip.outer.copy(), hip.inner.copy()
    fem_tris = femur.triangles("outer")
    for _ in range(6):
        d = np.linalg.norm(outer, axis=1)
        cand = np.nonzero(d < r + 6.0)[0]
        # head radius along each candidate's direction: first hit from outside, looking inward
        moved = False
        for i in cand:
            u = outer[i] / d[i]
            t = first_hit(fem_tris, u * (r + 10.0), -u)
            if not np.isfinite(t):
                continue
            need = r + 10.0 - t + margin
            if d[i] < need:
                delta = (need - d[i]) * u
                outer[i] += delta
                inner[i] += delta
                moved = True
        if not moved:
            break
    return BoneMesh(hip.name, hip.faces, outer, inner)


def _bump(mesh, bumps):
    """Smooth outward bumps of a bone's outer surface (osteophytes): (centre, direction, height, sigma)."""
    from .meshes import BoneMesh

    v = mesh.outer.copy()
    f = mesh.faces
    fn = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    vn = np.zeros_like(v)
    for k in range(3):
        np.add.at(vn, f[:, k], fn)
    vn /= np.linalg.norm(vn, axis=1)[:, None] + 1e-12
    disp = np.zeros_like(v)
    for c, d, h, sigma in bumps:
        w = h * np.exp(-np.sum((mesh.outer - c) ** 2, axis=1) / (2 * sigma**2))
        disp += w[:, None] * (vn if d is None else np.asarray(d)[None, :])
    return BoneMesh(mesh.name, f, v + disp, mesh.inner)


#: built phantoms shared between equal patients (most recent last); bounded so a BMI slider
#: cannot pile up copies of the bone surfaces
_SHARED: OrderedDict[tuple, HipPhantom] = OrderedDict()
_SHARED_MAX = 3


def _shared_key(sex, bmi, oa, prosthesis) -> tuple | None:
    """Key of an already valid patient description, or None (then a fresh phantom validates it)."""
    if not (isinstance(sex, str) and sex in ("male", "female")):
        return None
    if isinstance(bmi, bool) or not isinstance(bmi, (int, float, np.floating, np.integer)):
        return None
    if not (15.0 <= float(bmi) <= 60.0):
        return None
    if not all(isinstance(b, (bool, np.bool_)) for b in (oa, prosthesis)):
        return None
    return (sex, float(bmi), bool(oa), bool(prosthesis))


@dataclass(frozen=True)
class HipPhantom:
    """The right hip of an adult; ``sex`` rescales the bones, ``bmi`` the fat layer.

    ``oa`` adds osteoarthritis (narrowed joint space, osteophytes); ``prosthesis`` replaces
    the femoral head and neck by a total hip replacement (metal stem, head and cup, see
    :mod:`.prosthesis`). Equal patients share one built phantom (``HipPhantom()`` twice is
    the same object): the bone surfaces, their point-query bins and the joint samples cost
    tens of megabytes and seconds to build, and a phantom never changes once built.
    """

    sex: str = "male"
    bmi: float = 25.0
    oa: bool = False
    prosthesis: bool = False
    # built by _build (shared between equal phantoms; never compared or printed)
    terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)
    regions: dict = field(init=False, repr=False, compare=False)
    bones: tuple = field(init=False, repr=False, compare=False)
    joint_terms: tuple = field(init=False, repr=False, compare=False)
    geometry: dict = field(init=False, repr=False, compare=False)
    metal: dict = field(init=False, repr=False, compare=False)
    bursa: Convex = field(init=False, repr=False, compare=False)
    tendon: Convex = field(init=False, repr=False, compare=False)
    artery: Convex = field(init=False, repr=False, compare=False)
    vein: Convex = field(init=False, repr=False, compare=False)
    neck_axis: np.ndarray = field(init=False, repr=False, compare=False)
    neck_cross_axis: np.ndarray = field(init=False, repr=False, compare=False)
    head_radius_mm: float = field(init=False, repr=False, compare=False)
    capsule_radius_mm: float = field(init=False, repr=False, compare=False)
    fat_mm: float = field(init=False, repr=False, compare=False)
    body_centre: np.ndarray = field(init=False, repr=False, compare=False)
    body_semi_muscle: tuple[float, float] = field(init=False, repr=False, compare=False)
    mu: dict[str, float] = field(init=False, repr=False, compare=False)
    z_range_mm: tuple[float, float] = field(init=False, repr=False, compare=False)

    def __new__(cls, sex="male", bmi=25.0, oa=False, prosthesis=False):
        key = _shared_key(sex, bmi, oa, prosthesis) if cls is HipPhantom else None
        hit = _SHARED.get(key) if key is not None else None
        if key is not None and hit is not None:
            _SHARED.move_to_end(key)
            return hit
        return super().__new__(cls)

    def __post_init__(self) -> None:
        check_choice("sex", self.sex, ("male", "female"))
        object.__setattr__(self, "bmi", check_number("bmi", self.bmi, 15.0, 60.0))
        for flag in ("oa", "prosthesis"):
            v = getattr(self, flag)
            if not isinstance(v, (bool, np.bool_)):
                raise ValueError(f"{flag} must be True or False; got {v!r}")
            object.__setattr__(self, flag, bool(v))
        if "terms" in self.__dict__:  # a shared phantom, already built
            return
        self._build()
        key = _shared_key(self.sex, self.bmi, self.oa, self.prosthesis)
        if key is not None and type(self) is HipPhantom:
            _SHARED[key] = self
            while len(_SHARED) > _SHARED_MAX:
                _SHARED.popitem(last=False)

    # ---------------------------------------------------------------------------
    def _build(self) -> None:
        from . import meshes

        data = meshes.load()
        r = data["head_radius_mm"]  # the real femoral head (46.3 mm across): one adult's bone
        k = 1.0  # no scaling: the surfaces are of one adult (see ``bone_note``)
        cx = value("cortex_mm")
        gap = value("joint_space_mm")
        n_len = value("neck_length_mm")
        mu = {
            m: mu_per_mm(m) for m in ("fat", "muscle", "blood", "cortical", "cancellous", "steel")
        }
        terms: list[Term] = []
        bone_pieces: list[Piece | MeshPiece] = []

        def add(prim: Convex, **w: float) -> None:
            terms.append(Term(prim, tuple(w.items())))

        def neg(**w: float) -> dict:
            return {m: -x for m, x in w.items()}

        dict(cancellous=1.0, muscle=-1.0)  # cancellous bone replacing muscle
        CORT = dict(cortical=1.0, muscle=-1.0)  # cortical bone replacing muscle
        CORE = dict(cancellous=1.0, cortical=-1.0)  # cancellous core inside a cortical shell
        dict(cortical=0.5, cancellous=0.5, muscle=-1.0)  # thin pelvic plate: cortex + diploe

        def bone(prim: Convex, w: dict, minus: tuple = ()) -> None:
            """A bone piece ``prim`` minus the convex sets ``minus`` (each subtracted as prim & m)."""
            add(prim, **w)
            for m in minus:
                add(prim.intersect(m), **neg(**w))
            bone_pieces.append(Piece(prim, tuple(minus)))

        # --- body: muscle envelope inside a fat layer ---
        f = fat_thickness_mm(self.bmi)
        mid_x = float(
            -data["head_centre_source_mm"][0]
        )  # the meshes' sagittal midplane (x = 0 there)
        body_c = np.array([mid_x, 10.0, -110.0])  # hip joint in the anterior half (assumption)
        hw, hd = value("muscle_half_width_mm") * k, value("muscle_half_depth_mm")
        z_half = 340.0  # from below the femoral condyles to above the iliac crests
        outer = cylinder(
            body_c, (0, 0, 1), (hw + f, hd + f), z_half, cross_axis=(1, 0, 0), name="fat"
        )
        inner = cylinder(body_c, (0, 0, 1), (hw, hd), z_half, cross_axis=(1, 0, 0), name="muscle")
        add(outer, fat=1.0)
        add(inner, fat=-1.0, muscle=1.0)

        # --- bones: real surfaces (BodyParts3D), right side plus its mirror image ---
        bones, a, e_si, e_post, n_si, n_ap, h0 = self._real_bones(r, gap, mid_x)
        for b in bones:
            bone_pieces.append(MeshPiece(b))
        cavity = sphere((0, 0, 0), r + gap, "acetabular cavity")
        head = sphere((0, 0, 0), r, "femoral head").clip(a, h0)
        metal = {}
        if self.prosthesis:
            from .prosthesis import add_prosthesis

            metal = add_prosthesis(add, r, a, h0)
        neck_end = h0 + n_len
        neck = cylinder(
            (h0 + n_len / 2) * a, a, (n_si, n_ap), n_len / 2, cross_axis=e_si, name="femoral neck"
        )
        # sacrum: a cortical-shelled cancellous wedge between the ilia (drawn for the field's edge only)
        sac_c = np.array([mid_x, 62.0, 95.0])
        sac_axes = np.array([[1.0, 0.0, 0.0], _unit([0.0, 0.45, -1.0]), _unit([0.0, 1.0, 0.45])])
        sac_semi = np.array([value("sacrum_half_width_mm"), 55.0, 16.0])
        sac = ellipsoid(sac_c, sac_semi, sac_axes, name="sacrum").clip((0, 0, 1), 150.0)
        sac_core = ellipsoid(sac_c, sac_semi - cx, sac_axes).clip((0, 0, 1), 150.0 - cx)
        bone(sac, CORT)
        add(sac_core, **CORE)

        # --- vessels and bursa (soft tissue; matter for classification and contrast) ---
        ra, rv = value("artery_diameter_mm") / 2, value("vein_diameter_mm") / 2
        r_cap = r + value("capsule_offset_mm")
        xa = value("artery_x_mm") * k
        ya = -math.sqrt((r_cap + ra + value("artery_joint_distance_mm")) ** 2 - xa**2)
        xv = xa + ra + rv + 3.0
        yv = -math.sqrt((r_cap + rv + value("vein_joint_distance_mm")) ** 2 - xv**2)
        artery = cylinder_between((xa, ya, -160.0), (xa, ya, 70.0), (ra, ra), name="femoral artery")
        vein = cylinder_between((xv, yv, -160.0), (xv, yv, 70.0), (rv, rv), name="femoral vein")
        # blood differs from muscle by ~1 % at 50 keV: vessels are not rendered, only classified
        bl, bw, bd = (
            value("bursa_length_mm") / 2 * k,
            value("bursa_width_mm") / 2 * k,
            value("bursa_depth_mm") / 2,
        )
        bursa_c = np.array([value("bursa_x_mm") * k, -(r_cap + bd + 1.0), -5.0 * k])
        bursa = ellipsoid(bursa_c, (bw, bd, bl), name="iliopsoas bursa")
        tendon = cylinder_between(
            bursa_c + np.array([0, -bd - 2.0, -bl]),
            bursa_c + np.array([0, -bd - 2.0, bl]),
            (5.0 * k, 5.0 * k),
            name="iliopsoas tendon",
        )
        # --- joint capsule: sphere around the head plus a sleeve along the neck ---
        sleeve_semi = (n_si + value("capsule_offset_mm"), n_ap + value("capsule_offset_mm"))
        short = value("capsule_posterior_shortening_mm")
        kappa = short / (2 * sleeve_semi[1])
        n_end = a + kappa * e_post
        h_end = neck_end - short / 2
        sleeve_len = neck_end + 10.0
        sleeve = cylinder(
            sleeve_len / 2 * a,
            a,
            sleeve_semi,
            sleeve_len / 2,
            cross_axis=e_si,
            name="capsule sleeve",
        ).clip(n_end, h_end)
        capsule_ball = sphere((0, 0, 0), r_cap, "capsule")
        # Joint space (disjoint pieces: cavity sphere r + joint space, sleeve beyond it, minus bone)
        r_js = r + gap
        cavity0 = sphere((0, 0, 0), r_js)
        h_cap = math.sqrt(r_js**2 - sleeve_semi[1] ** 2)
        cap_piece = cavity0.clip(a, h_cap)
        sleeve_piece = sleeve.clip(-a, -h_cap)
        self_joint = (
            (cap_piece, 1.0),
            (sleeve_piece, 1.0),
            (head, -1.0),
            (neck.clip(a, h_cap), -1.0),
            (neck.intersect(sleeve_piece), -1.0),
        )
        regions = {
            "bone": tuple(bone_pieces),
            "vessel": (Piece(artery), Piece(vein)),
            "capsule": (Piece(capsule_ball), Piece(sleeve)),
            "bursa": (Piece(bursa),),
            "muscle": (Piece(inner),),
            "fat": (Piece(outer, (inner,)),),
        }
        geometry = dict(
            r=r,
            h0=h0,
            n_si=n_si,
            n_ap=n_ap,
            n_len=n_len,
            gap=gap,
            cavity=cavity,
            head=head,
            e_post=e_post,
            neck=neck,
        )
        object.__setattr__(self, "metal", metal)
        object.__setattr__(self, "terms", tuple(terms))
        object.__setattr__(self, "bones", tuple(bones))
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
            raise ValueError(
                f"x must lie over the body (|x - {self.body_centre[0]:.0f}| < {a_:.0f} mm); got {x}"
            )
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
        for piece in self.regions["bone"]:
            if isinstance(piece, MeshPiece):
                out += (self.mu["cortical"] - self.mu["muscle"]) * piece.contains(p)
                out += (self.mu["cancellous"] - self.mu["cortical"]) * piece.contains_inner(p)
        return out

    # --- real bones ------------------------------------------------------------------
    def _real_bones(self, r: float, gap: float, mid_x: float):
        """Right hip bone and femur from the meshes, their mirror images, and the neck frame.

        OA: the hip bone moves inferomedially against the head (the head has migrated
        superolaterally), narrowing the superolateral joint space to the cited value, and
        marginal osteophytes grow as smooth bumps of the outer (cortical) surface at the
        lateral acetabular rim and the superior and inferomedial head-neck junction
        [@Ledingham1992] [@Nelson2010HipOAFeatures].
        """
        from . import meshes

        data = meshes.load()
        hip, femur = data["hip bone"], data["femur"]
        a, e_si, e_post, n_si, n_ap, h0 = neck_frame(femur.outer, r)
        if self.oa:
            s_dir = _unit([-0.259, 0.0, 0.966])  # superolateral weight-bearing zone
            # measured normal superolateral gap (head surface to acetabular roof along s_dir)
            g0 = MeshPiece(hip).entry_distance((r + 0.01) * s_dir, s_dir) or gap
            shift = max(0.0, g0 + 0.01 - value("oa_superolateral_joint_space_mm"))
            hip = _clear_of(hip.moved(-shift * s_dir), femur, r)
            o = value("oa_osteophyte_mm")
            v = hip.outer
            near = np.linalg.norm(v, axis=1) < r + gap + 14.0
            rim = v[near][np.argmax(v[near] @ _unit([-0.75, 0.0, 0.66]))]
            hip = _bump(hip, [(rim, _unit([-1.0, 0.0, -0.2]), o, 1.6 * o)])
            sup = femur.outer[
                np.argmin(np.linalg.norm(femur.outer - (h0 * a + n_si * e_si), axis=1))
            ]
            inf = femur.outer[
                np.argmin(np.linalg.norm(femur.outer - ((h0 + 3.0) * a - n_si * e_si), axis=1))
            ]
            femur = _bump(femur, [(sup, None, 0.6 * o, 1.4 * o), (inf, None, 0.8 * o, 1.6 * o)])
        bones = [
            hip,
            femur,
            hip.mirrored(mid_x, "left hip bone"),
            femur.mirrored(mid_x, "left femur"),
        ]
        return bones, a, e_si, e_post, n_si, n_ap, h0

    def bone_surfaces(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vertices, faces, surface kind per face: 0 outer / 1 inner) of every bone, one indexed mesh."""
        cached = self.__dict__.get("_bone_surf")
        if cached is None:
            verts, faces, kind = [], [], []
            n = 0
            for b in self.bones:
                for k, v in enumerate((b.outer, b.inner)):
                    verts.append(v)
                    faces.append(b.faces + n)
                    kind.append(np.full(len(b.faces), k, dtype=np.int8))
                    n += len(v)
            cached = (
                np.ascontiguousarray(np.concatenate(verts)),
                np.ascontiguousarray(np.concatenate(faces)),
                np.concatenate(kind),
            )
            object.__setattr__(self, "_bone_surf", cached)
        return cached

    def bone_material_maps(self, carm, threads: int | None = None) -> dict[str, np.ndarray]:
        """Path lengths (mm) through cortical and cancellous bone of all bones, and the muscle they displace."""
        from .meshproj import project_mesh

        v, f, kind = self.bone_surfaces()
        outer = project_mesh(carm, v, f, (kind == 0).astype(np.float64), threads=threads)
        inner = project_mesh(carm, v, f, (kind == 1).astype(np.float64), threads=threads)
        return {"cortical": outer - inner, "cancellous": inner, "muscle": -outer}

    def bone_line_integral(self, carm, threads: int | None = None) -> np.ndarray:
        """sum over bones of (mu_cort - mu_muscle) L_outer + (mu_canc - mu_cort) L_inner, one pass."""
        from .meshproj import project_mesh

        v, f, kind = self.bone_surfaces()
        w_face = self.__dict__.get("_bone_w")
        if w_face is None:
            w = np.array(
                [
                    self.mu["cortical"] - self.mu["muscle"],
                    self.mu["cancellous"] - self.mu["cortical"],
                ]
            )
            w_face = w[kind]
            object.__setattr__(self, "_bone_w", w_face)
        return project_mesh(carm, v, f, w_face, threads=threads)

    @property
    def bone_note(self) -> str:
        """What the bones are, said plainly (shown by the simulator)."""
        note = (
            "Bones: real surfaces of one adult's right hip bone and femur (BodyParts3D), mirrored for the "
            "left side; sacrum simplified."
        )
        if self.prosthesis:
            note += (
                " Prosthesis: a metal resurfacing cap with a short stem down the neck and a metal cup "
                "(a stemmed total hip replacement, with the head removed, is not modelled)."
            )
        if self.sex == "female":
            note += (
                " No female bone surface is available: this 'female' patient has the same adult pelvis and "
                "femur; only the soft tissue differs."
            )
        return note

    def bone_entry_distance(self, p0, d) -> float | None:
        """Distance along the unit ray p0 + t d (t >= 0) to the first bone surface, or None."""
        best = math.inf
        for piece in self.regions["bone"]:
            if isinstance(piece, MeshPiece):
                t = piece.entry_distance(p0, d)
                if t is not None:
                    best = min(best, t)
        return None if math.isinf(best) else best

    def in_region(self, name: str, points: np.ndarray) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64)
        inside = np.zeros(p.shape[:-1], dtype=bool)
        for piece in self.regions[name]:
            inside |= piece.contains(p)
        return inside

    def capsule_distance(self, points: np.ndarray) -> np.ndarray:
        """Approximate signed distance (mm) to the capsule's inner surface (negative inside)."""
        p = np.asarray(points, dtype=np.float64)
        return np.minimum.reduce(
            [piece.prim.signed_distance(p) for piece in self.regions["capsule"]]
        )

    def joint_indicator(self, points: np.ndarray) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64)
        out = np.zeros(p.shape[:-1])
        for prim, w in self.joint_terms:
            out += w * prim.contains(p)
        return out

    @cached_property
    def joint_samples(self) -> np.ndarray:
        """Points (1 mm grid) inside the modelled joint space, for contrast spread.

        The 1.06 million grid points are tested a few z-slices at a time: testing them in one
        go held about 140 MB of temporaries.
        """
        xs = np.arange(-80.0, 40.0, 1.0) + 0.5
        yy, xx = np.meshgrid(np.arange(-40.0, 40.0) + 0.5, xs, indexing="ij")
        plane = np.stack([xx.ravel(), yy.ravel(), np.zeros(xx.size)], axis=-1)
        out = []
        zs = np.arange(-70.0, 40.0) + 0.5
        for k in range(0, len(zs), 8):
            slab = np.concatenate([plane + (0.0, 0.0, z) for z in zs[k : k + 8]])
            out.append(slab[self.joint_indicator(slab) > 0.5])
        return np.concatenate(out)
