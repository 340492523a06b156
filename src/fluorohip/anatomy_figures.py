"""Matplotlib drawings for notebook 01, built from :mod:`fluorohip.anatomy` geometry.

Every drawn structure carries a ``gid`` equal to its structure id (and its on-figure label
the gid ``label:<id>``), so tests can check that what the legend promises is on the figure.
Colours are Okabe-Ito; every structure also differs by line style, hatch or marker so the
figures read in greyscale. Each figure has an ``*_alt_text`` function for learners who cannot
see it. The drawings are schematics with cited proportions, not images of a patient.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import patches
from matplotlib.figure import Figure

from . import anatomy as A
from .core.paths import assets_dir

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
BONE = "#D9D9D9"
LABEL_BOX = dict(boxstyle="round,pad=0.2", fc="white", ec="0.3", lw=0.6, alpha=0.95)
LETTERED_PNG = "figures/01_ap_lettered.png"
LETTERED_JSON = "figures/01_ap_lettered.json"


def _label(
    ax, sid: str, text: str, xy: tuple[float, float], xytext: tuple[float, float], **kw
) -> None:
    ann = ax.annotate(
        text,
        xy=xy,
        xytext=xytext,
        fontsize=kw.pop("fontsize", 8),
        ha="center",
        va="center",
        bbox=LABEL_BOX,
        arrowprops=dict(arrowstyle="-", lw=0.6, color="0.25"),
        **kw,
    )
    ann.set_gid(f"label:{sid}")


def _xy(p: A.Point) -> tuple[float, float]:
    return (p.x, p.y)


def drawn_structures(fig: Figure) -> set[str]:
    """Structure ids drawn on ``fig`` (artists whose gid is a structure id)."""
    gids = set()
    for ax in fig.axes:
        for artist in ax.get_children():
            gid = artist.get_gid()
            if gid and not gid.startswith(("label:", "marker:")):
                gids.add(gid)
    return gids


def labelled_structures(fig: Figure) -> set[str]:
    return {
        a.get_gid()[6:]
        for ax in fig.axes
        for a in ax.get_children()
        if (a.get_gid() or "").startswith("label:")
    }


def markers(fig: Figure) -> dict[str, tuple[float, float]]:
    """Letter markers on a lettered figure: ``{letter: (x, y)}`` in millimetres."""
    out = {}
    for ax in fig.axes:
        for a in ax.get_children():
            gid = a.get_gid() or ""
            if gid.startswith("marker:"):
                x, y = a.get_position()
                out[gid[7:]] = (round(float(x), 2), round(float(y), 2))
    return out


# --------------------------------------------------------------------------- shared bones


def _bezier(p0, p1, p2, p3, n: int = 24) -> list[A.Point]:
    """Points on a cubic Bezier curve (used for smooth bone contours)."""
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append(
            A.Point(
                a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y
            )
        )
    return out


def femur_outline(g: A.HipGeometry, cam: bool = False) -> dict[str, list[A.Point]]:
    """Smooth contours of the proximal femur: the head joins the neck with no line across it.

    Returns ``head_arc`` (the free head surface, superolateral to inferomedial over the top),
    ``superior_neck`` (head surface to the trochanteric fossa, concave waist = head-neck offset;
    with ``cam`` the waist is filled: a convexity continuous with the head), ``inferior_neck``
    (head surface down into the medial shaft / calcar), ``normal_superior_neck`` (for drawing the
    cam as the area between the two), and the neck/trochanter/shaft landmarks.
    """
    c, R = g.head_centre, g.radius
    nd = g.neck_direction
    perp = A.Point(-nd.y, nd.x)  # superolateral side of the neck
    w = A.SCHEMATIC["neck_half_width_mm"]
    theta = math.asin(min(0.95, w / R))
    down = nd.scale(-1)
    r_sup = down.scale(math.cos(theta)) + perp.scale(math.sin(theta))
    r_inf = down.scale(math.cos(theta)) - perp.scale(math.sin(theta))
    p_sup, p_inf = c + r_sup.scale(R), c + r_inf.scale(R)
    a_sup = math.degrees(math.atan2(r_sup.y, r_sup.x))
    a_inf = math.degrees(math.atan2(r_inf.y, r_inf.x))
    if a_inf > a_sup:
        a_inf -= 360
    head_arc = [c + A.unit(a_sup - (a_sup - a_inf) * i / 60).scale(R) for i in range(61)]
    # tangents continuing the circle past the junction points (G1-continuous joins)
    # the head arc runs clockwise from p_sup to p_inf; the neck contours continue it beyond both ends
    t_sup = A.Point(-r_sup.y, r_sup.x)  # counter-clockwise continuation at p_sup (down the neck)
    t_inf = A.Point(r_inf.y, -r_inf.x)  # clockwise continuation at p_inf (down the neck)
    base = g.neck_base
    sw = A.SCHEMATIC["shaft_half_width_mm"]
    fossa = base + perp.scale(w * 1.05) + A.Point(-3, 0)
    calcar = A.Point(base.x + sw, base.y - 24)
    superior = _bezier(p_sup, p_sup + t_sup.scale(9), fossa + nd.scale(12), fossa)
    # cam: the contour leaves the head higher on its lateral side and runs down the neck with no
    # concave waist, rejoining the normal neck contour lower down: the head-neck offset is lost
    k = 7
    p_cam = head_arc[k]
    r_cam = (p_cam - c).scale(1 / R)
    t_cam = A.Point(-r_cam.y, r_cam.x)  # continuing the head outline (tangent-continuous)
    j = 14
    tj = superior[j + 1] - superior[j - 1]
    tj = tj.scale(1 / tj.norm())
    cam_curve = (
        _bezier(p_cam, p_cam + t_cam.scale(13), superior[j] - tj.scale(9), superior[j], n=16)
        + superior[j + 1 :]
    )
    inferior = _bezier(p_inf, p_inf + t_inf.scale(8), calcar + A.Point(0, 14), calcar)
    return {
        "head_arc": head_arc[k:] if cam else head_arc,
        "superior_neck": cam_curve if cam else superior,
        "normal_head_arc": head_arc,
        "normal_superior_neck": superior,
        "inferior_neck": inferior,
        "fossa": [fossa],
        "calcar": [calcar],
    }


def _femur(
    ax, g: A.HipGeometry, face=BONE, edge="0.2", head=True, cam=False
) -> dict[str, list[A.Point]]:
    """Proximal femur as one smooth contour; region fills carry the structure gids."""
    o = femur_outline(g, cam=cam)
    base = g.neck_base
    sw = A.SCHEMATIC["shaft_half_width_mm"]
    fossa, calcar = o["fossa"][0], o["calcar"][0]
    bottom = base.y - 95
    lat = base.x - sw
    # greater trochanter: a broad, rounded block lateral to the neck whose summit lies a little below
    # the level of the head centre (not a spike); the trochanteric fossa is the notch medial to it
    summit_y = g.head_centre.y - 6
    top = _bezier(
        fossa + A.Point(-1, 5),
        A.Point(fossa.x - 2, summit_y + 3),
        A.Point(lat - 19, summit_y + 4),
        A.Point(lat - 17, summit_y - 16),
        n=16,
    )
    gt = (
        [fossa]
        + top
        + [A.Point(lat - 13, base.y - 4), A.Point(lat - 5, base.y - 16), A.Point(lat, base.y - 24)]
    )
    # lesser trochanter: a knob on the posteromedial shaft below the neck, drawn under the shaft
    lt = A.Point(base.x + sw + 4, base.y - 30)
    ax.add_patch(
        patches.Ellipse(
            _xy(lt), 12, 16, angle=-35, fc=face, ec=edge, lw=1.0, zorder=1, gid="lesser-trochanter"
        )
    )
    neck_pts = o["superior_neck"] + list(reversed(o["inferior_neck"]))
    shaft = [
        A.Point(lat, base.y - 24),
        A.Point(lat, bottom),
        A.Point(calcar.x, bottom),
        calcar,
        base + A.Point(0, -4),
        fossa,
    ]
    for pts, gid in (
        (shaft, "femoral-shaft"),
        (gt, "greater-trochanter"),
        (neck_pts, "femoral-neck"),
    ):
        # edge in the face colour hides the anti-aliasing seam between adjacent fills
        ax.add_patch(
            patches.Polygon(
                [_xy(p) for p in pts], closed=True, fc=face, ec=face, lw=0.8, zorder=2, gid=gid
            )
        )
    if head:
        ax.add_patch(
            patches.Circle(
                _xy(g.head_centre), g.radius, fc=face, ec=face, lw=0.8, zorder=2, gid="femoral-head"
            )
        )
        contour = o["head_arc"]
    else:
        contour = []
    # one continuous outline: shaft lateral cortex, trochanter, superior neck, head, inferior neck, medial cortex
    line = (
        [A.Point(lat, bottom), A.Point(lat, base.y - 24)]
        + list(reversed(gt[1:]))
        + [fossa]
        + list(reversed(o["superior_neck"]))[1:]
        + contour
        + o["inferior_neck"]
        + [A.Point(calcar.x, bottom)]
    )
    if not head:
        line = (
            [A.Point(lat, bottom), A.Point(lat, base.y - 24)]
            + list(reversed(gt[1:]))
            + [fossa]
            + list(reversed(o["superior_neck"]))
        )
        ax.plot([p.x for p in line], [p.y for p in line], color=edge, lw=1.1, zorder=3)
        line = o["inferior_neck"] + [A.Point(calcar.x, bottom)]
    ax.plot(
        [p.x for p in line],
        [p.y for p in line],
        color=edge,
        lw=1.1,
        zorder=3,
        solid_joinstyle="round",
    )
    if cam:
        end = o["normal_superior_neck"][14]
        cam_part = o["superior_neck"][: o["superior_neck"].index(end) + 1]
        lost = o["normal_head_arc"][: o["normal_head_arc"].index(o["superior_neck"][0]) + 1]
        region = cam_part + list(reversed(o["normal_superior_neck"][:15])) + lost
        ax.add_patch(
            patches.Polygon(
                [_xy(p) for p in region],
                closed=True,
                fc=OKABE_ITO["orange"],
                ec="black",
                lw=0.8,
                hatch="////",
                zorder=4,
                gid="cam-bump",
            )
        )
    return o


# --------------------------------------------------------------------------- coronal section


def coronal_section(layers=None, figsize=(8.4, 5.6), highlight: str | None = None) -> Figure:
    """Coronal section through a right hip with toggleable layers (see ``anatomy.CORONAL_LAYERS``)."""
    chosen = {l.id for l in A.CORONAL_LAYERS} if layers is None else set(layers)
    A.coronal_structures(list(chosen))  # validates layer names
    g = A.HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    R, c = g.radius, g.head_centre
    items: list = []

    def _label(ax_, sid, text, xy, xytext, **_kw):  # collected, then placed in two sorted columns
        items.append(
            (
                sid,
                text.replace("\n", " ") if len(text) < 26 else text,
                xy,
                "L" if xytext[0] < 0 else "R",
            )
        )

    rim = 90 + g.lce_angle_deg
    nd, perp = g.neck_direction, A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    if "bone" in chosen:
        _pelvis(ax, g)
        _femur(ax, g)
        _label(ax, "femoral-head", "Femoral head", _xy(c + A.Point(-6, 4)), (-62, 36))
        _label(ax, "femoral-neck", "Femoral neck", _xy(g.mid_neck), (-80, -20))
        _label(ax, "acetabulum", "Acetabulum", _xy(A.unit(60).scale(R + 20)), (50, 70))
        _label(
            ax, "greater-trochanter", "Greater\ntrochanter", (g.neck_base.x - 22, -22), (-95, 10)
        )
    if "cartilage" in chosen:
        ax.add_patch(
            patches.Wedge(
                _xy(c),
                R,
                -40,
                rim + 5,
                width=2.5,
                fc=OKABE_ITO["sky"],
                ec="none",
                hatch="....",
                gid="head-cartilage",
                zorder=4,
            )
        )
        ax.add_patch(
            patches.Wedge(
                _xy(c),
                g.acetabular_radius,
                -45,
                rim,
                width=2.0,
                fc=OKABE_ITO["blue"],
                ec="none",
                gid="acetabular-cartilage",
                zorder=4,
            )
        )
        _label(ax, "head-cartilage", "Head cartilage", _xy(A.unit(20).scale(R - 1)), (62, 30))
        _label(
            ax,
            "acetabular-cartilage",
            "Acetabular cartilage",
            _xy(A.unit(75).scale(g.acetabular_radius - 1)),
            (20, 85),
        )
    if "labrum" in chosen:
        e = A.unit(rim).scale(g.acetabular_radius + 7)
        tip = A.unit(rim + 14).scale(g.radius + 2)
        ax.add_patch(
            patches.Polygon(
                [_xy(e), _xy(A.unit(rim - 6).scale(g.acetabular_radius + 14)), _xy(tip)],
                fc=OKABE_ITO["green"],
                ec="black",
                lw=0.8,
                hatch="///",
                gid="labrum",
                zorder=4,
            )
        )
        fovea = A.unit(-25).scale(R - 1)
        notch = A.unit(-48).scale(g.acetabular_radius + 4)
        ax.plot(
            [fovea.x, notch.x],
            [fovea.y, notch.y],
            color=OKABE_ITO["orange"],
            lw=3,
            ls="-",
            gid="ligamentum-teres",
        )
        t1, t2 = (
            A.unit(-60).scale(g.acetabular_radius + 6),
            A.unit(-40).scale(g.acetabular_radius + 12),
        )
        ax.plot(
            [t1.x, t2.x],
            [t1.y, t2.y],
            color="black",
            lw=3.5,
            ls=(0, (1, 1)),
            gid="transverse-ligament",
        )
        _label(ax, "labrum", "Labrum", _xy(tip), (-55, 62))
        _label(
            ax, "ligamentum-teres", "Ligamentum teres", _xy((fovea + notch).scale(0.5)), (70, -10)
        )
        _label(ax, "transverse-ligament", "Transverse acetabular\nligament", _xy(t1), (70, -45))
    cap_sup = [
        A.unit(rim).scale(g.acetabular_radius + 12),
        A.unit(rim + 6).scale(R + 8),
        g.head_neck_junction + perp.scale(w + 6),
        g.neck_base + perp.scale(w + 4) + A.Point(-6, 0),
    ]
    cap_inf = [
        A.unit(-58).scale(g.acetabular_radius + 15),
        A.unit(-75).scale(R + 10),
        g.head_neck_junction - perp.scale(w + 8),
        g.neck_base - perp.scale(w + 5) + A.Point(8, 0),
    ]
    if "synovium" in chosen:
        for pts in (cap_sup, cap_inf):
            # the synovial lining sits just inside the fibrous capsule (3 mm towards the joint)
            inner = [p + (c - p).scale(3 / (c - p).norm()) for p in pts]
            ax.plot(
                [p.x for p in inner],
                [p.y for p in inner],
                color=OKABE_ITO["purple"],
                lw=1.6,
                ls=(0, (4, 2.5)),
                zorder=5,
                gid="synovium",
            )
        sup = g.head_neck_junction + perp.scale(w + 2)
        inf = g.head_neck_junction - perp.scale(w + 4) - nd.scale(6)
        ax.add_patch(
            patches.Ellipse(
                _xy(sup),
                12,
                6,
                angle=math.degrees(math.atan2(nd.y, nd.x)),
                fc=OKABE_ITO["yellow"],
                ec="black",
                lw=0.6,
                hatch="oo",
                gid="superior-recess",
                zorder=4,
            )
        )
        ax.add_patch(
            patches.Ellipse(
                _xy(inf),
                16,
                8,
                angle=math.degrees(math.atan2(nd.y, nd.x)),
                fc=OKABE_ITO["yellow"],
                ec="black",
                lw=0.6,
                hatch="oo",
                gid="inferior-recess",
                zorder=4,
            )
        )
        _label(ax, "synovium", "Synovium (dashed)", _xy(cap_sup[2]), (-35, -75))
        _label(ax, "superior-recess", "Superior recess", _xy(sup), (-100, -45))
        _label(ax, "inferior-recess", "Inferior recess (fluid)", _xy(inf), (40, -75))
    if "capsule" in chosen:
        for pts in (cap_sup, cap_inf):
            ax.plot(
                [p.x for p in pts],
                [p.y for p in pts],
                color=OKABE_ITO["vermillion"],
                lw=3.0,
                ls="-",
                gid="capsule",
            )
        zo_s = g.mid_neck + perp.scale(w + 5)
        zo_i = g.mid_neck - perp.scale(w + 6)
        ax.plot(
            [zo_s.x, zo_i.x],
            [zo_s.y, zo_i.y],
            ls="none",
            marker="o",
            ms=6,
            mfc="white",
            mec=OKABE_ITO["vermillion"],
            mew=1.5,
            gid="zona-orbicularis",
        )
        _label(ax, "capsule", "Fibrous capsule", _xy(cap_sup[1]), (-90, 60))
        _label(ax, "zona-orbicularis", "Zona orbicularis", _xy(zo_i), (-20, -95))
    if "needle" in chosen:
        tip = g.mid_neck
        ax.plot(
            [tip.x], [tip.y], marker="X", ms=11, color="black", mec="white", ls="none", gid="needle"
        )
        _label(ax, "needle", "Needle tip\n(from the front)", _xy(tip), (-110, -80))
    if highlight:
        for artist in ax.get_children():
            if artist.get_gid() == highlight and hasattr(artist, "set_linewidth"):
                artist.set_linewidth(4)
    _side_labels(ax, items, -82, 100)
    ax.set_xlim(-170, 175)
    ax.set_ylim(-110, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Coronal section, right hip (schematic; lateral on the left)", fontsize=10)
    ax.text(
        -168,
        -108,
        "Schematic. Head diameter, neck-shaft and centre-edge angles from cited sources.",
        fontsize=6.5,
        color="0.3",
    )
    fig.tight_layout()
    return fig


def coronal_alt_text(layers=None) -> str:
    chosen = [l for l in A.CORONAL_LAYERS if layers is None or l.id in layers]
    if not chosen:
        parts = "Layers shown: no layers are switched on."
    else:
        parts = " ".join(
            f"{l.name[:1].upper()}{l.name[1:]}: {l.note.strip().rstrip('.')}." for l in chosen
        )
    return (
        "Schematic coronal section of a right hip, lateral side on the left. The femoral head sits in the "
        f"acetabulum and its outline flows into the neck, which runs down and out to the shaft. Labels sit in "
        f"two columns beside the drawing. {parts}"
    )


# --------------------------------------------------------------------------- anterior view


ANTERIOR = {
    "asis": A.Point(-70, 62),
    "pubic-tubercle": A.Point(88, 28),
    "apex": A.Point(22, -125),
    "nerve_x": 10.0,
    "artery_x": 24.0,
    "vein_x": 35.0,
}


def anterior_view(figsize=(7.0, 6.5)) -> Figure:
    """Anterior view of the right groin: femoral triangle, contents, LFCN, iliopsoas, safe corridor."""
    g = A.HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    asis, pt, apex = ANTERIOR["asis"], ANTERIOR["pubic-tubercle"], ANTERIOR["apex"]

    def on_ligament(x):
        t = (x - asis.x) / (pt.x - asis.x)
        return asis.y + t * (pt.y - asis.y)

    # deep outline of the joint (dashed: it lies under the muscles)
    ax.add_patch(
        patches.Circle(
            _xy(g.head_centre), g.radius, fc="none", ec="0.35", lw=1.2, ls="--", gid="femoral-head"
        )
    )
    _nd, perp = g.neck_direction, A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    for s in (1, -1):
        a, b = g.head_neck_junction + perp.scale(s * w), g.neck_base + perp.scale(s * w)
        ax.plot([a.x, b.x], [a.y, b.y], color="0.35", lw=1.0, ls="--", gid="femoral-neck")
    # entry corridor: lateral to the marked (palpated) femoral artery, medial to the LFCN, onto bone at the
    # head-neck junction (the vetted rule, Mehta 2018); drawn clear of the nerve as well
    corridor = patches.Rectangle(
        (-44, -40),
        40,
        42,
        fc=OKABE_ITO["green"],
        alpha=0.25,
        ec=OKABE_ITO["green"],
        lw=1.5,
        hatch="\\\\",
        gid="safe-corridor",
    )
    ax.add_patch(corridor)
    ax.plot(
        *_xy(g.head_neck_junction),
        marker="X",
        ms=11,
        color="black",
        mec="white",
        ls="none",
        gid="target-hnj",
    )
    # iliopsoas tendon over the front of the joint, bursa between tendon and capsule
    ax.add_patch(
        patches.FancyBboxPatch(
            (-2, -80),
            22,
            150,
            boxstyle="round,pad=1",
            fc=OKABE_ITO["orange"],
            alpha=0.35,
            ec=OKABE_ITO["orange"],
            hatch="||",
            gid="iliopsoas",
        )
    )
    ax.add_patch(
        patches.Ellipse(
            (12, 0),
            26,
            40,
            fc=OKABE_ITO["yellow"],
            alpha=0.6,
            ec="black",
            lw=0.8,
            ls=":",
            gid="iliopsoas-bursa",
        )
    )
    # ligament, sartorius, adductor longus
    ax.plot([asis.x, pt.x], [asis.y, pt.y], color="black", lw=2.5, gid="inguinal-ligament")
    ax.plot(
        [asis.x, apex.x + 5],
        [asis.y, apex.y],
        color=OKABE_ITO["blue"],
        lw=6,
        alpha=0.6,
        gid="sartorius",
    )
    ax.plot(
        [pt.x, apex.x - 2],
        [pt.y, apex.y],
        color=OKABE_ITO["purple"],
        lw=6,
        alpha=0.6,
        gid="adductor-longus",
    )
    ax.plot(*_xy(asis), marker="^", ms=10, color="black", ls="none", gid="asis")
    ax.plot(*_xy(pt), marker="s", ms=8, color="black", ls="none", gid="pubic-tubercle")
    # contents, lateral to medial: nerve, artery, vein
    styles = {
        "femoral-nerve": (ANTERIOR["nerve_x"], OKABE_ITO["yellow"], "-", 5.0),
        "femoral-artery": (ANTERIOR["artery_x"], OKABE_ITO["vermillion"], "-", 4.5),
        "femoral-vein": (ANTERIOR["vein_x"], OKABE_ITO["blue"], "--", 5.5),
    }
    for sid, (x, colour, ls, lw) in styles.items():
        top = on_ligament(x)
        path = ([x, x, (x + apex.x) / 2], [top + 20, -60, apex.y + 20])
        if (
            sid == "femoral-nerve"
        ):  # black casing and dotted core: reads on the orange tendon and in greyscale
            ax.plot(*path, color="black", lw=lw + 3.0, solid_capstyle="round", zorder=3)
        ax.plot(*path, color=colour, ls=ls, lw=lw, gid=sid, solid_capstyle="round", zorder=3)
        if sid == "femoral-nerve":
            ax.plot(*path, color="black", lw=1.2, ls=":", zorder=4)
    # LFCN: medial to the ASIS, under the ligament, then down the lateral thigh
    ax.plot(
        [asis.x + 12, asis.x + 8, asis.x - 2, asis.x - 8],
        [asis.y + 15, asis.y - 4, 0, -110],
        color="0.15",
        lw=1.8,
        ls="-.",
        gid="lfcn",
    )

    _label(ax, "asis", "ASIS", _xy(asis), (-105, 80))
    _label(ax, "pubic-tubercle", "Pubic tubercle", _xy(pt), (105, 50))
    _label(ax, "inguinal-ligament", "Inguinal ligament", (0, on_ligament(0)), (-15, 85))
    _label(
        ax, "sartorius", "Sartorius", (-6.7, -60), (-110, -40)
    )  # below the corridor: leaders never cross
    _label(ax, "adductor-longus", "Adductor longus", (60, -40), (100, -60))
    _label(
        ax,
        "femoral-nerve",
        "Femoral nerve\n(lateral member)",
        (ANTERIOR["nerve_x"], -50),
        (-20, -105),
    )
    _label(
        ax, "femoral-artery", "Femoral artery\n(the pulse)", (ANTERIOR["artery_x"], 25), (70, 10)
    )
    _label(
        ax, "femoral-vein", "Femoral vein\n(medial, nearest)", (ANTERIOR["vein_x"], -20), (100, -15)
    )
    _label(ax, "lfcn", "Lateral femoral\ncutaneous nerve", (asis.x - 6.9, -90), (-108, -95))
    _label(ax, "iliopsoas", "Iliopsoas tendon", (9, 45), (50, 60))
    _label(ax, "iliopsoas-bursa", "Iliopsoas bursa", (12, -12), (75, -35))
    _label(ax, "femoral-head", "Femoral head (deep)", (-12, 20), (-95, 35))
    _label(
        ax,
        "safe-corridor",
        "Entry corridor:\nlateral to the marked\nartery; aim for bone",
        (-30, -30),
        (-95, -10),
    )
    ax.set_xlim(-135, 130)
    ax.set_ylim(-140, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Anterior view, right groin (schematic; lateral on the left)", fontsize=10)
    ax.text(
        -133,
        -138,
        "Order of contents (lateral to medial) from Mehta et al. 2018; spacing schematic.",
        fontsize=6.5,
        color="0.3",
    )
    fig.tight_layout()
    return fig


def anterior_alt_text() -> str:
    n, a, v = (
        A.fact(k).text(1)
        for k in ("femoral_nerve_distance", "femoral_artery_distance", "femoral_vein_distance")
    )
    lateral = A.fact("nerve_lateral_to_joint").text(0, dash="-")
    return (
        "Schematic anterior view of the right groin, lateral on the left. The inguinal ligament runs from the "
        "anterior superior iliac spine down to the pubic tubercle; sartorius and adductor longus run down from "
        "them to meet at the apex of the femoral triangle. Inside the triangle, from lateral to medial: femoral "
        f"nerve, artery, vein (mean shortest distances from the joint {n}, {a} and {v}). The iliopsoas tendon "
        "crosses the front of the joint with its bursa behind it; the lateral femoral cutaneous nerve runs down "
        "just medial to the spine and then laterally. The femoral nerve, drawn with a black outline, lies lateral "
        "to the artery, near the lateral margin of the joint (lateral to the joint margin in "
        f"{lateral} of MRIs); the vein, and often the artery, lie medial to the joint. A shaded entry corridor "
        "lies lateral to the marked artery (the pulse) and medial to that cutaneous nerve, over the femoral "
        "head-neck junction, which is marked with a cross: the needle stays lateral to the artery and ends on "
        "bone there."
    )


# --------------------------------------------------------------------------- AP radiograph


def _js_profile(g: A.HipGeometry, oa: bool):
    """Joint-space width (mm) as a function of the polar angle; OA narrows it superolaterally."""
    normal = g.joint_space_mm

    def js(a_deg: float) -> float:
        if not oa:
            return normal
        # full narrowing over the weight-bearing dome (superolateral), easing back to normal medially
        t = min(1.0, max(0.0, (a_deg - 35.0) / 40.0))
        return normal - (normal - 0.8) * t

    return js


def _pelvis(
    ax, g: A.HipGeometry, face=BONE, edge="0.2", joint_space=None, oa: bool = False
) -> list[A.Point]:
    """Acetabulum (inner surface follows the joint-space profile) and ilium; returns the inner surface."""
    start = 90 + g.lce_angle_deg
    if joint_space is not None and not oa:
        prof = lambda a: joint_space + 0 * a  # noqa: E731
    else:
        prof = _js_profile(g, oa)
    angles = [start - (start + 55) * i / 60 for i in range(61)]
    inner = [A.unit(a).scale(g.radius + prof(a)) for a in angles]
    outer = [A.unit(a).scale(g.acetabular_radius + 14) for a in reversed(angles)]
    ax.add_patch(
        patches.Polygon(
            [_xy(p) for p in inner + outer],
            closed=True,
            fc=face,
            ec=edge,
            lw=1.0,
            zorder=1,
            gid="acetabulum",
        )
    )
    edge_pt = A.unit(start).scale(g.acetabular_radius + 14)
    r_in = g.acetabular_radius
    ilium = [
        (edge_pt.x, edge_pt.y),
        (edge_pt.x - 25, 95),
        (95, 95),
        (60, r_in + 5),
        (r_in * 0.3, r_in + 14),
    ]
    ax.add_patch(
        patches.Polygon(ilium, closed=True, fc=face, ec=edge, lw=1.0, zorder=1, gid="ilium")
    )
    return inner


def shentons_arc(g: A.HipGeometry, n: int = 40) -> list[A.Point]:
    """Shenton's line as one smooth (tangent-continuous) curve: up the medial border of the femoral
    neck, then on along the inferior border of the superior pubic ramus. The drawn ramus and
    obturator foramen are shaped to it, so the line lies on bone edges."""
    neck = femur_outline(g)["inferior_neck"]  # from the head down to the calcar
    k = 11
    start = neck[k]
    tangent = neck[k - 1] - neck[k + 1]
    tangent = tangent.scale(1 / tangent.norm())
    end = A.Point(88.0, -42.0)
    medial = _bezier(start, start + tangent.scale(13), end + A.Point(-38, 4), end, n=n)
    return list(reversed(neck[k + 1 : k + 9])) + medial


def _side_labels(
    ax, items, x_left: float, x_right: float, gap: float = 9.0, fontsize: float = 8
) -> None:
    """Labels in two columns outside the image, each column sorted by the height of its structure.

    ``items``: ``(sid, text, anchor_xy, side)`` with side ``"L"`` or ``"R"``. Slots keep the
    anchors' top-to-bottom order (so leaders from one column cannot cross), are pushed apart just
    enough not to overlap, and the column is then centred on its anchors to keep leaders short.
    """
    for side, x in (("L", x_left), ("R", x_right)):
        col = sorted((it for it in items if it[3] == side), key=lambda it: -it[2][1])
        if not col:
            continue
        heights = [gap * (text.count("\n") + 1) + 2 for _, text, _, _ in col]
        ys: list[float] = []
        for i, (_, _, anchor, _) in enumerate(col):
            y = anchor[1]
            if ys:
                y = min(y, ys[-1] - (heights[i - 1] + heights[i]) / 2)
            ys.append(y)
        shift = sum(it[2][1] - y for it, y in zip(col, ys)) / len(ys)
        shift = min(shift, 95 - heights[0] / 2 - ys[0])  # stay inside the frame
        for (sid, text, anchor, _), y in zip(col, ys):
            ann = ax.annotate(
                text,
                xy=anchor,
                xytext=(x, y + shift),
                fontsize=fontsize,
                va="center",
                ha="right" if side == "L" else "left",
                bbox=LABEL_BOX,
                zorder=12,
                arrowprops=dict(arrowstyle="-", lw=0.7, color="0.1", shrinkA=0, shrinkB=0),
            )
            ann.set_gid(f"label:{sid}")
            ax.plot(*anchor, marker="o", ms=2.5, color="black", mec="white", mew=0.6, zorder=11)


#: Lettered-figure leaders: letter offset from the dot on the structure (mm), so no letter hides it.
LETTER_OFFSETS = {
    "femoral-head": (22, 26),
    "femoral-neck": (-14, -22),
    "greater-trochanter": (-22, 14),
    "lesser-trochanter": (20, -14),
    "teardrop": (22, 18),
    "obturator-foramen": (30, -24),
}


def ap_radiograph(
    variant: str = "normal", lettered: bool = False, show_targets: bool = True, figsize=(8.4, 5.8)
) -> Figure:
    """AP radiograph schematic of a right hip (a drawing, not a simulation).

    ``variant``: ``normal``, ``osteoarthritis`` (superolateral joint-space narrowing, subchondral
    sclerosis, marginal osteophytes), ``cam`` (loss of head-neck offset at the superolateral
    junction) or ``prosthesis``. ``lettered`` replaces names by letters A-F (``anatomy.AP_LETTERS``)
    for the label-the-structure exercise.
    """
    if variant not in A.AP_VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(A.AP_VARIANTS)}; got {variant!r}")
    g = A.HipGeometry()
    oa = variant == "osteoarthritis"
    fig, ax = plt.subplots(figsize=figsize)
    fig.patch.set_facecolor("white")
    film = (-100, -135, 210, 235)
    ax.add_patch(patches.Rectangle(film[:2], film[2], film[3], fc="#2B2B2B", ec="none", zorder=-5))
    inner = _pelvis(ax, g, oa=oa)
    o = _femur(ax, g, head=variant != "prosthesis", cam=variant == "cam")
    start = 90 + g.lce_angle_deg
    roof = [p for p, a in zip(inner, [start - (start + 55) * i / 60 for i in range(61)]) if a >= 40]
    ax.plot(
        [p.x for p in roof],
        [p.y for p in roof],
        color="white",
        lw=3,
        zorder=3,
        gid="acetabular-roof",
    )
    # teardrop: U-shaped line at the medial floor of the socket
    t = g.teardrop
    ax.add_patch(
        patches.Arc(
            (t.x, t.y + 8),
            9,
            16,
            theta1=180,
            theta2=360,
            color="white",
            lw=2,
            zorder=3,
            gid="teardrop",
        )
    )
    ax.plot([t.x - 4.5, t.x - 4.5], [t.y + 8, t.y + 22], color="white", lw=2, zorder=3)
    ax.plot([t.x + 4.5, t.x + 4.5], [t.y + 8, t.y + 22], color="white", lw=2, zorder=3)
    # superior pubic ramus whose lower border is Shenton's arc; obturator foramen under it
    arc = shentons_arc(g)
    ramus_low = [p for p in arc if p.x >= 18]
    ramus = ramus_low + [A.Point(95, ramus_low[-1].y + 2), A.Point(95, -12), A.Point(20, -12)]
    ax.add_patch(
        patches.Polygon([_xy(p) for p in ramus], closed=True, fc=BONE, ec="none", zorder=1)
    )
    top_y = min(p.y for p in ramus_low if 45 <= p.x <= 75)
    of = A.Point(60, top_y - 26)
    ax.add_patch(patches.Ellipse((of.x, of.y), 48, 62, angle=15, fc=BONE, ec="0.2", lw=1, zorder=0))
    ax.add_patch(
        patches.Ellipse(
            (of.x, of.y),
            34,
            46,
            angle=15,
            fc="#2B2B2B",
            ec="0.2",
            lw=1,
            zorder=1,
            gid="obturator-foramen",
        )
    )
    ax.add_patch(
        patches.Ellipse(
            (of.x - 8, of.y - 36),
            40,
            18,
            angle=12,
            fc=BONE,
            ec="0.2",
            lw=1,
            zorder=0,
            gid="ischial-tuberosity",
        )
    )
    # dark casing under the yellow dashes keeps the line visible on bone and in greyscale
    ax.plot(
        [p.x for p in arc],
        [p.y for p in arc],
        color="black",
        lw=3.6,
        zorder=6,
        solid_capstyle="round",
    )
    ax.plot(
        [p.x for p in arc],
        [p.y for p in arc],
        color=OKABE_ITO["yellow"],
        lw=2.0,
        ls=(0, (5, 2.5)),
        gid="shentons-line",
        zorder=6,
    )
    extra_labels = []
    if oa:
        # subchondral sclerosis: dense white band above the narrowed dome
        angs = [start - (start - 55) * i / 30 for i in range(31)]
        band = [A.unit(a).scale(g.radius + 1.0 + 1.5) for a in angs] + [
            A.unit(a).scale(g.radius + 9.0) for a in reversed(angs)
        ]
        ax.add_patch(
            patches.Polygon(
                [_xy(p) for p in band],
                closed=True,
                fc="white",
                ec="0.35",
                lw=0.6,
                hatch="....",
                zorder=4,
                gid="subchondral-sclerosis",
            )
        )
        # marginal osteophytes: lips growing out of the bone margins, drawn under the bone so only the
        # protruding part shows, continuous with the cortex
        edge = g.lateral_acetabular_edge
        spur_lat = [
            A.unit(start - 14).scale(g.acetabular_radius + 6),
            A.unit(start + 6).scale(g.acetabular_radius + 12),
            edge + A.Point(-13, -9),
            A.unit(start - 4).scale(g.radius + 2),
        ]
        ring = o["head_arc"]
        spur_inf = [ring[-12], ring[-3] + A.Point(14, -6), o["inferior_neck"][3], ring[-1]]
        spur_sup = [ring[6], ring[0] + A.Point(-11, 3), o["superior_neck"][4]]
        # bone is radiopaque: the lips are filled and edged like the rest of the bone (light on the dark
        # film), drawn above the film and the bone fills so no dark notch reads as a lucent triangle
        for spur in (spur_lat, spur_inf, spur_sup):
            ax.add_patch(
                patches.Polygon(
                    [_xy(p) for p in spur],
                    closed=True,
                    fc=BONE,
                    ec="0.2",
                    lw=0.8,
                    zorder=2.5,
                    joinstyle="round",
                    gid="osteophyte",
                )
            )
        pi = ring[-3] + A.Point(10, -5)
        js_mid = A.unit(105).scale(g.radius + 0.4)
        extra_labels += [
            ("joint-space", "Narrowed joint space\n(superolateral)", _xy(js_mid), "L"),
            (
                "subchondral-sclerosis",
                "Subchondral sclerosis",
                _xy(A.unit(80).scale(g.radius + 6)),
                "R",
            ),
            (
                "osteophyte",
                "Marginal osteophyte\n(acetabular edge)",
                _xy(edge + A.Point(-10, -6)),
                "L",
            ),
            ("osteophyte", "Marginal osteophyte\n(inferomedial head)", _xy(pi), "R"),
        ]
    if variant == "cam":
        mid = o["superior_neck"][7] + A.Point(4, 0)
        extra_labels.append(
            ("cam-bump", "Cam: bump fills the\nhead-neck waist\n(lost offset)", _xy(mid), "L")
        )
    if variant == "prosthesis":
        ax.add_patch(
            patches.Wedge(
                (0, 0),
                g.acetabular_radius + 3,
                -40,
                90 + g.lce_angle_deg,
                width=5,
                fc="white",
                ec="0.5",
                zorder=4,
                gid="acetabular-cup",
            )
        )
        ax.add_patch(
            patches.Circle(
                (0, 0), g.radius - 4, fc="white", ec="0.5", zorder=4, gid="prosthetic-head"
            )
        )
        b = g.neck_base
        ax.add_patch(
            patches.Polygon(
                [
                    (-6, -6),
                    (b.x + 8, b.y + 8),
                    (b.x + 6, b.y - 80),
                    (b.x - 2, b.y - 80),
                    (b.x - 6, b.y + 4),
                ],
                fc="white",
                ec="0.5",
                zorder=4,
                gid="femoral-stem",
            )
        )
        extra_labels += [
            (
                "acetabular-cup",
                "Acetabular cup",
                _xy(A.unit(60).scale(g.acetabular_radius + 1)),
                "R",
            ),
            ("prosthetic-head", "Prosthetic head", (6, 6), "R"),
            ("femoral-stem", "Femoral stem", (b.x + 2, b.y - 50), "R"),
        ]
    capsule = g.capsule_outline()
    ax.plot(
        [p.x for p in capsule],
        [p.y for p in capsule],
        color=OKABE_ITO["sky"],
        lw=1.5,
        ls=(0, (1.5, 1.5)),
        zorder=7,
        gid="capsule",
    )
    # a hip replacement is aspirated (for infection), not injected at the neck: no neck targets
    show_targets = show_targets and variant != "prosthesis"
    if show_targets and not lettered:
        hnj, mid = g.head_neck_junction, g.mid_neck
        ax.plot(
            hnj.x,
            hnj.y,
            marker="X",
            ms=12,
            color=OKABE_ITO["vermillion"],
            mec="white",
            ls="none",
            zorder=9,
            gid="target-hnj",
        )
        ax.plot(
            mid.x,
            mid.y,
            marker="D",
            ms=9,
            color=OKABE_ITO["orange"],
            mec="black",
            ls="none",
            zorder=9,
            gid="target-midneck",
        )
    lt = g.neck_base + A.Point(A.SCHEMATIC["shaft_half_width_mm"] + 8, -31)
    spots = {
        "femoral-head": g.head_centre + A.Point(6, 8),
        "femoral-neck": g.mid_neck + A.Point(-3, -5),
        "greater-trochanter": A.Point(g.neck_base.x - 22, -26),
        "lesser-trochanter": lt,
        "teardrop": A.Point(t.x + 4.5, t.y + 14),
        "obturator-foramen": of + A.Point(8, -6),
    }
    if lettered:
        for letter, sid in A.AP_LETTERS.items():
            p = spots[sid]
            dx, dy = LETTER_OFFSETS[sid]
            q = A.Point(round(p.x + dx, 2), round(p.y + dy, 2))
            ax.plot([p.x, q.x], [p.y, q.y], color="white", lw=2.6, zorder=9, solid_capstyle="round")
            ax.plot([p.x, q.x], [p.y, q.y], color="black", lw=1.1, zorder=9)
            ax.plot(p.x, p.y, marker="o", ms=4.5, color="black", mec="white", mew=1.0, zorder=10)
            txt = ax.text(
                q.x,
                q.y,
                letter,
                fontsize=12,
                fontweight="bold",
                ha="center",
                va="center",
                bbox=dict(boxstyle="circle,pad=0.25", fc="white", ec="black", lw=1.2),
                zorder=11,
            )
            txt.set_gid(f"marker:{letter}")
    else:
        pros = variant == "prosthesis"
        items = [
            ("femoral-head", "Femoral head", _xy(spots["femoral-head"]), "R"),
            (
                "femoral-neck",
                "Prosthetic neck" if pros else "Femoral neck",
                _xy(o["inferior_neck"][12] + A.Point(-5, 3)),
                "L",
            ),
            ("greater-trochanter", "Greater trochanter", _xy(spots["greater-trochanter"]), "L"),
            ("lesser-trochanter", "Lesser trochanter", _xy(lt), "R"),
            ("acetabular-roof", "Acetabular roof", _xy(roof[4]), "L"),
            ("teardrop", "Teardrop", _xy(A.Point(t.x + 4.5, t.y + 18)), "R"),
            ("obturator-foramen", "Obturator foramen", _xy(of + A.Point(8, -10)), "R"),
            ("shentons-line", "Shenton's line\n(smooth arc)", _xy(arc[int(len(arc) * 0.75)]), "R"),
            (
                "capsule",
                "Pseudocapsule (dotted)" if pros else "Capsule (dotted)",
                _xy((capsule[-2] + capsule[-1]).scale(0.5)),
                "L",
            ),
        ] + extra_labels
        if pros:
            items = [it for it in items if it[0] != "femoral-head"]
        if show_targets:
            items += [
                ("target-hnj", "Target: head-neck\njunction (X)", _xy(g.head_neck_junction), "L"),
                ("target-midneck", "Target: mid neck (◆)", _xy(g.mid_neck), "L"),
            ]
        _side_labels(ax, items, film[0] - 4, film[0] + film[2] + 4)
    titles = {
        "normal": "AP radiograph schematic, right hip",
        "osteoarthritis": "Osteoarthritis: superolateral narrowing, sclerosis, osteophytes",
        "cam": "Cam morphology: lost offset at the head-neck junction",
        "prosthesis": "Hip replacement: cup, head and stem",
    }
    ax.set_title(
        titles[variant] + (" (lettered)" if lettered else "") + " — lateral on the left",
        fontsize=10,
    )
    if lettered:
        ax.set_xlim(film[0], film[0] + film[2])
    else:
        ax.set_xlim(film[0] - 78, film[0] + film[2] + 78)
    ax.set_ylim(-140, 102)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def ap_alt_text(variant: str = "normal", lettered: bool = False) -> str:
    g = A.HipGeometry()
    base = (
        "Schematic AP radiograph of a right hip, lateral on the left, bone light on a dark background. "
        f"The femoral head (about {A.fact('femoral_head_diameter').value:.0f} mm across) sits under the "
        f"acetabular roof; the neck leaves the shaft at {g.neck_shaft_angle_deg:.0f} degrees; the greater "
        "trochanter is lateral and the lesser trochanter medial and below the neck. Medially lie the teardrop "
        "and the obturator foramen; the greater trochanter is a broad rounded block whose top lies a little "
        "below the level of the head centre. Shenton's line (dashed) is one smooth arc running up the medial border of the "
        "femoral neck and on along the inferior border of the superior pubic ramus, the top of the foramen. The "
        "head's outline flows into the neck without a break. A dotted capsule outline encloses the head and the whole neck down to the "
        "intertrochanteric line."
    )
    extra = {
        "normal": " Two targets are marked on the neck: a cross at the head-neck junction and a diamond at mid neck, both inside the capsule.",
        "osteoarthritis": (
            " The joint space is narrowed over the superolateral, weight-bearing dome but stays wider medially; a dense "
            "white band of subchondral sclerosis lies in the acetabular roof above the narrowing; marginal "
            "osteophytes grow as bony lips, drawn light like the rest of the bone, from the lateral acetabular edge "
            "and from the superolateral and inferomedial margins of the head. Each of these is labelled."
        ),
        "cam": (
            " At the upper outer (anterolateral) head-neck junction the round head outline carries on instead of "
            "turning into the neck, so the normal concave waist is filled: the head-neck offset is lost. The "
            "bump is shaded and labelled 'cam'."
        ),
        "prosthesis": (
            " The head is replaced by a metal ball on a stem in the femoral canal, articulating with a cup; "
            "cup, prosthetic head, stem and the dotted pseudocapsule are labelled. No neck targets are drawn: a "
            "painful replacement is aspirated for infection, not injected at the neck."
        ),
    }[variant]
    if lettered:
        return base.split(" Two targets")[0] + (
            " Letters A to F, each joined by a short leader line to a dot on "
            "a structure, mark six structures for you to name; the names "
            "are hidden."
        )
    return base + extra


# --------------------------------------------------------------------------- stored lettered figure


def write_lettered_figure(root: Path | None = None) -> dict[str, tuple[float, float]]:
    """(Re)generate ``assets/figures/01_ap_lettered.png`` and its marker sidecar JSON."""
    base = root or assets_dir()
    fig = ap_radiograph(lettered=True, figsize=(6.0, 5.6))
    png = base / LETTERED_PNG
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100, metadata={"Software": None})
    marks = markers(fig)
    plt.close(fig)
    payload = {
        "markers": {k: list(v) for k, v in sorted(marks.items())},
        "answer": dict(sorted(A.AP_LETTERS.items())),
    }
    (base / LETTERED_JSON).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return marks


# --------------------------------------------------------------------------- depth chart


def depth_chart(tilts_deg=(0, 20, 40), figsize=(7.0, 4.2)) -> Figure:
    """Needle path length against a measured perpendicular depth for a few tilts, with needle lengths.

    The derived average (about 74 mm) is a path length along the oblique anterior portal line,
    so it is drawn on the path axis, not as a perpendicular depth to be tilted again.
    """
    fig, ax = plt.subplots(figsize=figsize)
    depths = list(range(40, 161, 5))
    styles = [
        ("-", "o", OKABE_ITO["blue"]),
        ("--", "s", OKABE_ITO["orange"]),
        (":", "^", OKABE_ITO["green"]),
        ("-.", "D", OKABE_ITO["purple"]),
    ]
    for (ls, mk, colour), tilt in zip(styles, tilts_deg):
        paths = [A.needle_path_mm(d, tilt) for d in depths]
        ax.plot(
            depths, paths, ls=ls, marker=mk, markevery=4, color=colour, lw=1.8, gid=f"tilt-{tilt}"
        )
        ax.annotate(
            f"tilt {tilt}°",
            (depths[-1], paths[-1]),
            textcoords="offset points",
            xytext=(4, 0),
            fontsize=8,
            va="center",
            color=colour,
        )
    label_x = {88.9: 96, 127.0: 142}
    for name, length in A.NEEDLE_LENGTHS_MM.items():
        ax.axhline(length, color="0.3", lw=1.0, ls=(0, (6, 3)))
        ax.text(label_x.get(length, 96), length - 2, name, fontsize=8, color="0.2", va="top")
    avg = A.skin_to_anterior_head_mm().value
    ax.axhline(avg, color=OKABE_ITO["vermillion"], lw=1.2, ls="-.")
    ax.text(
        118,
        avg - 2,
        f"average path along the anterior\nportal line ≈ {avg:.0f} mm (derived, see text)",
        fontsize=8,
        color=OKABE_ITO["vermillion"],
        va="top",
    )
    ax.set_xlabel("Depth you measured, straight down from skin to target (mm)")
    ax.set_ylabel("Needle inside the body (mm)")
    ax.set_xlim(40, 185)
    ax.set_ylim(30, 225)
    ax.set_title("Depth, tilt and needle length (geometry: path = depth / cos tilt)", fontsize=10)
    fig.tight_layout()
    return fig


def depth_chart_alt_text(tilts_deg=(0, 20, 40)) -> str:
    avg = A.skin_to_anterior_head_mm().value
    return (
        "Line chart. The horizontal axis is a depth you measured straight down from skin to target, from 40 "
        "to 160 mm; the vertical axis is the length of needle inside the body. One line per tilt "
        f"({', '.join(f'{t} degrees' for t in tilts_deg)}): the steeper the tilt, the longer the path for the "
        "same depth. Dashed horizontal lines mark 3.5-inch (89 mm) and 5-inch (127 mm) spinal needles; a "
        f"dash-dot horizontal line marks the derived average path of about {avg:.0f} mm along the oblique "
        "anterior portal line, which is already a path length and is not tilted again."
    )
