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
from .paths import assets_dir

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
BONE = "#D9D9D9"
LABEL_BOX = dict(boxstyle="round,pad=0.2", fc="white", ec="0.3", lw=0.6, alpha=0.95)
LETTERED_PNG = "figures/01_ap_lettered.png"
LETTERED_JSON = "figures/01_ap_lettered.json"


def _label(ax, sid: str, text: str, xy: tuple[float, float], xytext: tuple[float, float], **kw) -> None:
    ann = ax.annotate(text, xy=xy, xytext=xytext, fontsize=kw.pop("fontsize", 8), ha="center", va="center",
                      bbox=LABEL_BOX, arrowprops=dict(arrowstyle="-", lw=0.6, color="0.25"), **kw)
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
    return {a.get_gid()[6:] for ax in fig.axes for a in ax.get_children()
            if (a.get_gid() or "").startswith("label:")}


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


def _femur(ax, g: A.HipGeometry, face=BONE, edge="0.2", head=True, cam=False) -> None:
    nd, perp = g.neck_direction, A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    base = g.neck_base
    hnj = g.head_neck_junction
    sw = A.SCHEMATIC["shaft_half_width_mm"]
    # neck: from the head to the shaft, superolateral edge (+perp) and inferomedial edge (-perp)
    neck = [hnj + perp.scale(w * 0.9), base + perp.scale(w * 1.1) + A.Point(-4, 0),
            base - perp.scale(w * 1.1) + A.Point(6, 0), hnj - perp.scale(w * 0.9)]
    ax.add_patch(patches.Polygon([_xy(p) for p in neck], closed=True, fc=face, ec=edge, lw=1.0, gid="femoral-neck"))
    shaft = [(base.x - sw - 6, base.y + 10), (base.x + sw + 8, base.y - 4),
             (base.x + sw, base.y - 95), (base.x - sw, base.y - 95)]
    ax.add_patch(patches.Polygon(shaft, closed=True, fc=face, ec=edge, lw=1.0, gid="femoral-shaft"))
    gt = [(base.x - sw - 6, base.y + 10), (base.x - sw - 10, g.head_centre.y - 2),
          (base.x - sw + 2, g.head_centre.y + 4), (base.x + 2, base.y + 14)]
    ax.add_patch(patches.Polygon(gt, closed=True, fc=face, ec=edge, lw=1.0, gid="greater-trochanter"))
    lt = base + A.Point(sw + 4, -28)
    ax.add_patch(patches.Ellipse(_xy(lt), 10, 14, angle=-30, fc=face, ec=edge, lw=1.0, gid="lesser-trochanter"))
    if head:
        ax.add_patch(patches.Circle(_xy(g.head_centre), g.radius, fc=face, ec=edge, lw=1.2, gid="femoral-head"))
    if cam:
        bump = hnj + perp.scale(w * 0.75)
        ax.add_patch(patches.Circle(_xy(bump), 7, fc=face, ec=edge, lw=1.0, gid="cam-bump"))


def _pelvis(ax, g: A.HipGeometry, face=BONE, edge="0.2", joint_space=None) -> None:
    r_in = g.acetabular_radius if joint_space is None else g.radius + joint_space
    start = 90 + g.lce_angle_deg
    ax.add_patch(patches.Wedge(_xy(g.head_centre), r_in + 14, -55, start, width=14, fc=face, ec=edge, lw=1.0,
                               gid="acetabulum"))
    # ilium above the socket
    edge_pt = A.unit(start).scale(r_in + 14)
    ilium = [(edge_pt.x, edge_pt.y), (edge_pt.x - 25, 95), (95, 95), (60, r_in + 5), (r_in * 0.3, r_in + 14)]
    ax.add_patch(patches.Polygon(ilium, closed=True, fc=face, ec=edge, lw=1.0, gid="ilium"))


# --------------------------------------------------------------------------- coronal section


def coronal_section(layers=None, figsize=(7.0, 6.0), highlight: str | None = None) -> Figure:
    """Coronal section through a right hip with toggleable layers (see ``anatomy.CORONAL_LAYERS``)."""
    chosen = set(l.id for l in A.CORONAL_LAYERS) if layers is None else set(layers)
    A.coronal_structures(list(chosen))  # validates layer names
    g = A.HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    R, c = g.radius, g.head_centre
    rim = 90 + g.lce_angle_deg
    nd, perp = g.neck_direction, A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    if "bone" in chosen:
        _pelvis(ax, g)
        _femur(ax, g)
        _label(ax, "femoral-head", "Femoral head", _xy(c + A.Point(-6, 4)), (-62, 36))
        _label(ax, "femoral-neck", "Femoral neck", _xy(g.mid_neck), (-80, -20))
        _label(ax, "acetabulum", "Acetabulum", _xy(A.unit(60).scale(R + 20)), (50, 70))
        _label(ax, "greater-trochanter", "Greater\ntrochanter", (g.neck_base.x - 22, 0), (-95, 10))
    if "cartilage" in chosen:
        ax.add_patch(patches.Wedge(_xy(c), R, -40, rim + 5, width=2.5, fc=OKABE_ITO["sky"], ec="none",
                                   hatch="....", gid="head-cartilage"))
        ax.add_patch(patches.Wedge(_xy(c), g.acetabular_radius, -45, rim, width=2.0, fc=OKABE_ITO["blue"], ec="none",
                                   gid="acetabular-cartilage"))
        _label(ax, "head-cartilage", "Head cartilage", _xy(A.unit(20).scale(R - 1)), (62, 30))
        _label(ax, "acetabular-cartilage", "Acetabular cartilage", _xy(A.unit(75).scale(g.acetabular_radius - 1)),
               (20, 85))
    if "labrum" in chosen:
        e = A.unit(rim).scale(g.acetabular_radius + 7)
        tip = A.unit(rim + 14).scale(g.radius + 2)
        ax.add_patch(patches.Polygon([_xy(e), _xy(A.unit(rim - 6).scale(g.acetabular_radius + 14)), _xy(tip)],
                                     fc=OKABE_ITO["green"], ec="black", lw=0.8, hatch="///", gid="labrum"))
        fovea = A.unit(-25).scale(R - 1)
        notch = A.unit(-48).scale(g.acetabular_radius + 4)
        ax.plot([fovea.x, notch.x], [fovea.y, notch.y], color=OKABE_ITO["orange"], lw=3, ls="-", gid="ligamentum-teres")
        t1, t2 = A.unit(-60).scale(g.acetabular_radius + 6), A.unit(-40).scale(g.acetabular_radius + 12)
        ax.plot([t1.x, t2.x], [t1.y, t2.y], color="black", lw=3.5, ls=(0, (1, 1)), gid="transverse-ligament")
        _label(ax, "labrum", "Labrum", _xy(tip), (-55, 62))
        _label(ax, "ligamentum-teres", "Ligamentum teres", _xy((fovea + notch).scale(0.5)), (70, -10))
        _label(ax, "transverse-ligament", "Transverse acetabular\nligament", _xy(t1), (70, -45))
    cap_sup = [A.unit(rim).scale(g.acetabular_radius + 12), A.unit(rim + 6).scale(R + 8),
               g.head_neck_junction + perp.scale(w + 6), g.neck_base + perp.scale(w + 4) + A.Point(-6, 0)]
    cap_inf = [A.unit(-58).scale(g.acetabular_radius + 15), A.unit(-75).scale(R + 10),
               g.head_neck_junction - perp.scale(w + 8), g.neck_base - perp.scale(w + 5) + A.Point(8, 0)]
    if "synovium" in chosen:
        for pts, rid, note in ((cap_sup, "superior-recess", "Superior\nrecess"), (cap_inf, "inferior-recess", "Inferior\nrecess")):
            ax.plot([p.x for p in pts], [p.y for p in pts], color=OKABE_ITO["purple"], lw=1.2, ls="--", gid="synovium")
        sup = g.head_neck_junction + perp.scale(w + 2)
        inf = g.head_neck_junction - perp.scale(w + 4) - nd.scale(6)
        ax.add_patch(patches.Ellipse(_xy(sup), 12, 6, angle=math.degrees(math.atan2(nd.y, nd.x)),
                                     fc=OKABE_ITO["yellow"], ec="black", lw=0.6, hatch="oo", gid="superior-recess"))
        ax.add_patch(patches.Ellipse(_xy(inf), 16, 8, angle=math.degrees(math.atan2(nd.y, nd.x)),
                                     fc=OKABE_ITO["yellow"], ec="black", lw=0.6, hatch="oo", gid="inferior-recess"))
        _label(ax, "synovium", "Synovium (dashed)", _xy(cap_sup[2]), (-35, -75))
        _label(ax, "superior-recess", "Superior recess", _xy(sup), (-100, -45))
        _label(ax, "inferior-recess", "Inferior recess (fluid)", _xy(inf), (40, -75))
    if "capsule" in chosen:
        for pts in (cap_sup, cap_inf):
            ax.plot([p.x for p in pts], [p.y for p in pts], color=OKABE_ITO["vermillion"], lw=3.0, ls="-", gid="capsule")
        zo_s = g.mid_neck + perp.scale(w + 5)
        zo_i = g.mid_neck - perp.scale(w + 6)
        ax.plot([zo_s.x, zo_i.x], [zo_s.y, zo_i.y], ls="none", marker="o", ms=6, mfc="white",
                mec=OKABE_ITO["vermillion"], mew=1.5, gid="zona-orbicularis")
        _label(ax, "capsule", "Fibrous capsule", _xy(cap_sup[1]), (-90, 60))
        _label(ax, "zona-orbicularis", "Zona orbicularis", _xy(zo_i), (-20, -95))
    if "needle" in chosen:
        tip = g.mid_neck
        ax.plot([tip.x], [tip.y], marker="X", ms=11, color="black", mec="white", ls="none", gid="needle")
        _label(ax, "needle", "Needle tip\n(from the front)", _xy(tip), (-110, -80))
    if highlight:
        for artist in ax.get_children():
            if artist.get_gid() == highlight and hasattr(artist, "set_linewidth"):
                artist.set_linewidth(4)
    ax.set_xlim(-130, 110)
    ax.set_ylim(-110, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Coronal section, right hip (schematic; lateral on the left)", fontsize=10)
    ax.text(-128, -108, "Schematic. Head diameter, neck-shaft and centre-edge angles from cited sources.",
            fontsize=6.5, color="0.3")
    fig.tight_layout()
    return fig


def coronal_alt_text(layers=None) -> str:
    chosen = [l for l in A.CORONAL_LAYERS if layers is None or l.id in layers]
    parts = "; ".join(f"{l.name.lower()}: {l.note}" for l in chosen) or "no layers are switched on"
    return ("Schematic coronal section of a right hip, lateral side on the left. The femoral head sits in the "
            f"acetabulum and the neck runs down and out to the shaft. Layers shown: {parts}")


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
    ax.add_patch(patches.Circle(_xy(g.head_centre), g.radius, fc="none", ec="0.35", lw=1.2, ls="--", gid="femoral-head"))
    nd, perp = g.neck_direction, A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    for s in (1, -1):
        a, b = g.head_neck_junction + perp.scale(s * w), g.neck_base + perp.scale(s * w)
        ax.plot([a.x, b.x], [a.y, b.y], color="0.35", lw=1.0, ls="--", gid="femoral-neck")
    # safe corridor: lateral to the femoral nerve, medial to the LFCN, onto the neck
    corridor = patches.Rectangle((-44, -40), 40, 42, fc=OKABE_ITO["green"], alpha=0.25, ec=OKABE_ITO["green"],
                                 lw=1.5, hatch="\\\\", gid="safe-corridor")
    ax.add_patch(corridor)
    ax.plot(*_xy(g.head_neck_junction), marker="X", ms=11, color="black", mec="white", ls="none", gid="target-hnj")
    # iliopsoas tendon over the front of the joint, bursa between tendon and capsule
    ax.add_patch(patches.FancyBboxPatch((-2, -80), 22, 150, boxstyle="round,pad=1", fc=OKABE_ITO["orange"],
                                        alpha=0.35, ec=OKABE_ITO["orange"], hatch="||", gid="iliopsoas"))
    ax.add_patch(patches.Ellipse((12, 0), 26, 40, fc=OKABE_ITO["yellow"], alpha=0.6, ec="black", lw=0.8, ls=":",
                                 gid="iliopsoas-bursa"))
    # ligament, sartorius, adductor longus
    ax.plot([asis.x, pt.x], [asis.y, pt.y], color="black", lw=2.5, gid="inguinal-ligament")
    ax.plot([asis.x, apex.x + 5], [asis.y, apex.y], color=OKABE_ITO["blue"], lw=6, alpha=0.6, gid="sartorius")
    ax.plot([pt.x, apex.x - 2], [pt.y, apex.y], color=OKABE_ITO["purple"], lw=6, alpha=0.6, gid="adductor-longus")
    ax.plot(*_xy(asis), marker="^", ms=10, color="black", ls="none", gid="asis")
    ax.plot(*_xy(pt), marker="s", ms=8, color="black", ls="none", gid="pubic-tubercle")
    # contents, lateral to medial: nerve, artery, vein
    styles = {"femoral-nerve": (ANTERIOR["nerve_x"], OKABE_ITO["yellow"], "-", 5.0),
              "femoral-artery": (ANTERIOR["artery_x"], OKABE_ITO["vermillion"], "-", 4.5),
              "femoral-vein": (ANTERIOR["vein_x"], OKABE_ITO["blue"], "--", 5.5)}
    for sid, (x, colour, ls, lw) in styles.items():
        top = on_ligament(x)
        path = ([x, x, (x + apex.x) / 2], [top + 20, -60, apex.y + 20])
        if sid == "femoral-nerve":  # black casing and dotted core: reads on the orange tendon and in greyscale
            ax.plot(*path, color="black", lw=lw + 3.0, solid_capstyle="round", zorder=3)
        ax.plot(*path, color=colour, ls=ls, lw=lw, gid=sid, solid_capstyle="round", zorder=3)
        if sid == "femoral-nerve":
            ax.plot(*path, color="black", lw=1.2, ls=":", zorder=4)
    # LFCN: medial to the ASIS, under the ligament, then down the lateral thigh
    ax.plot([asis.x + 12, asis.x + 8, asis.x - 2, asis.x - 8], [asis.y + 15, asis.y - 4, 0, -110],
            color="0.15", lw=1.8, ls="-.", gid="lfcn")

    _label(ax, "asis", "ASIS", _xy(asis), (-105, 80))
    _label(ax, "pubic-tubercle", "Pubic tubercle", _xy(pt), (105, 50))
    _label(ax, "inguinal-ligament", "Inguinal ligament", (0, on_ligament(0)), (-15, 85))
    _label(ax, "sartorius", "Sartorius", (-35, -20), (-110, -40))
    _label(ax, "adductor-longus", "Adductor longus", (60, -40), (100, -60))
    _label(ax, "femoral-nerve", "Femoral nerve\n(lateral member)", (ANTERIOR["nerve_x"], -50), (-20, -105))
    _label(ax, "femoral-artery", "Femoral artery\n(the pulse)", (ANTERIOR["artery_x"], 25), (70, 10))
    _label(ax, "femoral-vein", "Femoral vein\n(medial, nearest)", (ANTERIOR["vein_x"], -20), (100, -15))
    _label(ax, "lfcn", "Lateral femoral\ncutaneous nerve", (asis.x - 4, -40), (-108, -80))
    _label(ax, "iliopsoas", "Iliopsoas tendon", (9, 45), (50, 60))
    _label(ax, "iliopsoas-bursa", "Iliopsoas bursa", (12, -12), (75, -35))
    _label(ax, "femoral-head", "Femoral head (deep)", (-12, 20), (-95, 35))
    _label(ax, "safe-corridor", "Safe corridor:\nlateral to the whole\nbundle, nerve included;\nend on bone", (-30, -30), (-95, -10))
    ax.set_xlim(-135, 130)
    ax.set_ylim(-140, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Anterior view, right groin (schematic; lateral on the left)", fontsize=10)
    ax.text(-133, -138, "Order of contents (lateral to medial) from Mehta et al. 2018; spacing schematic.",
            fontsize=6.5, color="0.3")
    fig.tight_layout()
    return fig


def anterior_alt_text() -> str:
    n, a, v = (A.fact(k).text(1) for k in ("femoral_nerve_distance", "femoral_artery_distance", "femoral_vein_distance"))
    return ("Schematic anterior view of the right groin, lateral on the left. The inguinal ligament runs from the "
            "anterior superior iliac spine down to the pubic tubercle; sartorius and adductor longus run down from "
            "them to meet at the apex of the femoral triangle. Inside the triangle, from lateral to medial: femoral "
            f"nerve, artery, vein (mean shortest distances from the joint {n}, {a} and {v}). The iliopsoas tendon "
            "crosses the front of the joint with its bursa behind it; the lateral femoral cutaneous nerve runs down "
            "just medial to the spine and then laterally. The femoral nerve, drawn with a black outline, lies just lateral "
            "to the artery, so a shaded safe corridor lies lateral to the whole bundle, nerve included, and medial to "
            "that cutaneous nerve, over the femoral head-neck junction, which is marked with a cross.")


# --------------------------------------------------------------------------- AP radiograph


def ap_radiograph(variant: str = "normal", lettered: bool = False, show_targets: bool = True,
                  figsize=(7.0, 6.5)) -> Figure:
    """AP radiograph schematic of a right hip (a drawing, not a simulation).

    ``variant``: ``normal``, ``osteoarthritis`` (joint-space loss, osteophytes), ``cam`` (bump at
    the head-neck junction) or ``prosthesis``. ``lettered`` replaces names by letters A-F
    (``anatomy.AP_LETTERS``) for the label-the-structure exercise.
    """
    if variant not in A.AP_VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(A.AP_VARIANTS)}; got {variant!r}")
    g = A.HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    fig.patch.set_facecolor("white")
    ax.add_patch(patches.Rectangle((-135, -140), 265, 240, fc="#2B2B2B", ec="none", zorder=-5))
    js = {"osteoarthritis": 1.0}.get(variant)
    _pelvis(ax, g, joint_space=js)
    _femur(ax, g, head=variant != "prosthesis", cam=variant == "cam")
    roof_r = (g.acetabular_radius if js is None else g.radius + js)
    roof = [A.unit(a).scale(roof_r) for a in range(int(90 + g.lce_angle_deg), 40, -4)]
    ax.plot([p.x for p in roof], [p.y for p in roof], color="white", lw=3, gid="acetabular-roof")
    # teardrop: U-shaped line at the medial floor of the socket
    t = g.teardrop
    ax.add_patch(patches.Arc((t.x, t.y + 8), 9, 16, theta1=180, theta2=360, color="white", lw=2, gid="teardrop"))
    ax.plot([t.x - 4.5, t.x - 4.5], [t.y + 8, t.y + 22], color="white", lw=2)
    ax.plot([t.x + 4.5, t.x + 4.5], [t.y + 8, t.y + 22], color="white", lw=2)
    # pubic rami and obturator foramen
    of = A.Point(62, -62)
    ax.add_patch(patches.Ellipse((of.x, of.y), 40, 52, angle=20, fc=BONE, ec="0.2", lw=8, zorder=0))
    ax.add_patch(patches.Ellipse((of.x, of.y), 34, 46, angle=20, fc="#2B2B2B", ec="none", zorder=1,
                                 gid="obturator-foramen"))
    ax.add_patch(patches.Ellipse((of.x - 12, of.y - 34), 36, 18, angle=15, fc=BONE, ec="0.2", lw=1, gid="ischial-tuberosity"))
    # superior pubic ramus joining the socket to the foramen
    ax.add_patch(patches.Polygon([(g.acetabular_radius, -10), (95, -20), (95, -40), (g.acetabular_radius + 10, -38)],
                                 fc=BONE, ec="0.2", lw=1.0, zorder=0))
    # Shenton's line: inferomedial neck, continuing along the top of the obturator foramen
    perp = A.Point(-g.neck_direction.y, g.neck_direction.x)
    w = A.SCHEMATIC["neck_half_width_mm"]
    n1 = g.neck_base - perp.scale(w * 1.1) + A.Point(6, 0)
    n2 = g.head_neck_junction - perp.scale(w * 0.9)
    top = A.Point(of.x - 4, of.y + 25)
    xs = [n1.x, n2.x, (n2.x + top.x) / 2, top.x, top.x + 22]
    ys = [n1.y, n2.y, (n2.y + top.y) / 2 - 3, top.y, top.y - 4]
    ax.plot(xs, ys, color=OKABE_ITO["yellow"], lw=1.8, ls=(0, (5, 3)), gid="shentons-line", zorder=4)
    if variant == "osteoarthritis":
        edge = g.lateral_acetabular_edge
        ax.add_patch(patches.Polygon([(edge.x, edge.y), (edge.x - 10, edge.y - 4), (edge.x - 2, edge.y - 8)],
                                     fc=BONE, ec="0.2", gid="osteophyte"))
        inf = A.unit(-70).scale(g.radius)
        ax.add_patch(patches.Polygon([(inf.x, inf.y), (inf.x + 3, inf.y - 9), (inf.x + 9, inf.y - 1)],
                                     fc=BONE, ec="0.2", gid="osteophyte"))
    if variant == "prosthesis":
        ax.add_patch(patches.Wedge((0, 0), g.acetabular_radius + 3, -40, 90 + g.lce_angle_deg, width=5,
                                   fc="white", ec="0.5", gid="acetabular-cup"))
        ax.add_patch(patches.Circle((0, 0), g.radius - 4, fc="white", ec="0.5", gid="prosthetic-head"))
        b = g.neck_base
        ax.add_patch(patches.Polygon([(-6, -6), (b.x + 8, b.y + 8), (b.x + 6, b.y - 80), (b.x - 2, b.y - 80),
                                      (b.x - 6, b.y + 4)], fc="white", ec="0.5", gid="femoral-stem"))
    capsule = g.capsule_outline()
    ax.plot([p.x for p in capsule], [p.y for p in capsule], color=OKABE_ITO["sky"], lw=1.3, ls=":", gid="capsule")
    if show_targets and not lettered:
        hnj, mid = g.head_neck_junction, g.mid_neck
        ax.plot(hnj.x, hnj.y, marker="X", ms=12, color=OKABE_ITO["vermillion"], mec="white", ls="none", gid="target-hnj")
        ax.plot(mid.x, mid.y, marker="D", ms=9, color=OKABE_ITO["orange"], mec="black", ls="none", gid="target-midneck")
    if lettered:
        spots = {
            "femoral-head": g.head_centre + A.Point(-4, 6),
            "femoral-neck": g.mid_neck,
            "greater-trochanter": A.Point(g.neck_base.x - 22, -4),
            "lesser-trochanter": g.neck_base + A.Point(A.SCHEMATIC["shaft_half_width_mm"] + 4, -28),
            "teardrop": A.Point(t.x, t.y + 14),
            "obturator-foramen": of,
        }
        for letter, sid in A.AP_LETTERS.items():
            p = spots[sid]
            txt = ax.text(p.x, p.y, letter, fontsize=12, fontweight="bold", ha="center", va="center",
                          bbox=dict(boxstyle="circle,pad=0.25", fc="white", ec="black", lw=1.2), zorder=10)
            txt.set_gid(f"marker:{letter}")
    else:
        lw = dict(fontsize=8)
        _label(ax, "femoral-head", "Femoral head", (-6, 10), (-75, 75), **lw)
        _label(ax, "femoral-neck", "Femoral neck", _xy(g.mid_neck + A.Point(-4, -8)), (-110, -60), **lw)
        _label(ax, "greater-trochanter", "Greater trochanter", (g.neck_base.x - 22, -4), (-100, 20), **lw)
        _label(ax, "lesser-trochanter", "Lesser trochanter",
               _xy(g.neck_base + A.Point(A.SCHEMATIC["shaft_half_width_mm"] + 4, -28)), (20, -115), **lw)
        _label(ax, "acetabular-roof", "Acetabular roof", _xy(A.unit(95).scale(roof_r)), (10, 88), **lw)
        _label(ax, "teardrop", "Teardrop", (t.x, t.y + 12), (70, 40), **lw)
        _label(ax, "obturator-foramen", "Obturator foramen", _xy(of), (100, -110), **lw)
        _label(ax, "shentons-line", "Shenton's line", (top.x - 12, top.y - 1), (85, 5), **lw)
        _label(ax, "capsule", "Capsule (dotted)", _xy(capsule[5]), (-95, 85), **lw)
        if show_targets:
            _label(ax, "target-hnj", "Target: head-neck junction", _xy(g.head_neck_junction), (-85, -95), **lw)
            _label(ax, "target-midneck", "Target: mid neck", _xy(g.mid_neck), (-20, -128), **lw)
    titles = {"normal": "AP radiograph schematic, right hip",
              "osteoarthritis": "Osteoarthritis: joint-space loss and osteophytes",
              "cam": "Cam morphology: bump at the head-neck junction",
              "prosthesis": "Hip replacement: cup, head and stem"}
    ax.set_title(titles[variant] + (" (lettered)" if lettered else ""), fontsize=10)
    ax.set_xlim(-135, 130)
    ax.set_ylim(-140, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def ap_alt_text(variant: str = "normal", lettered: bool = False) -> str:
    g = A.HipGeometry()
    base = ("Schematic AP radiograph of a right hip, lateral on the left, bone light on a dark background. "
            f"The femoral head (about {A.fact('femoral_head_diameter').value:.0f} mm across) sits under the "
            f"acetabular roof; the neck leaves the shaft at {g.neck_shaft_angle_deg:.0f} degrees; the greater "
            "trochanter is lateral and the lesser trochanter medial and below the neck. Medially lie the teardrop "
            "and the obturator foramen; Shenton's line (dashed) runs smoothly from the underside of the neck to the "
            "top of the foramen. A dotted capsule outline encloses the head and the whole neck down to the "
            "intertrochanteric line.")
    extra = {
        "normal": " Two targets are marked on the neck: a cross at the head-neck junction and a diamond at mid neck, both inside the capsule.",
        "osteoarthritis": " The joint space is narrowed and small spurs (osteophytes) project from the acetabular edge and the inferior head.",
        "cam": " A bony bump fills the normal waist at the upper outer head-neck junction.",
        "prosthesis": " The head is replaced by a metal ball on a stem in the femoral canal, articulating with a cup.",
    }[variant]
    if lettered:
        return base.split(" Two targets")[0] + (" Letters A to F mark six structures for you to name; the names "
                                                "are hidden.")
    return base + extra


# --------------------------------------------------------------------------- stored lettered figure


def write_lettered_figure(root: Path | None = None) -> dict[str, tuple[float, float]]:
    """(Re)generate ``assets/figures/01_ap_lettered.png`` and its marker sidecar JSON."""
    base = (root or assets_dir())
    fig = ap_radiograph(lettered=True, figsize=(6.0, 5.6))
    png = base / LETTERED_PNG
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100, metadata={"Software": None})
    marks = markers(fig)
    plt.close(fig)
    payload = {"markers": {k: list(v) for k, v in sorted(marks.items())},
               "answer": dict(sorted(A.AP_LETTERS.items()))}
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
    styles = [("-", "o", OKABE_ITO["blue"]), ("--", "s", OKABE_ITO["orange"]), (":", "^", OKABE_ITO["green"]),
              ("-.", "D", OKABE_ITO["purple"])]
    for (ls, mk, colour), tilt in zip(styles, tilts_deg):
        paths = [A.needle_path_mm(d, tilt) for d in depths]
        ax.plot(depths, paths, ls=ls, marker=mk, markevery=4, color=colour, lw=1.8, gid=f"tilt-{tilt}")
        ax.annotate(f"tilt {tilt}°", (depths[-1], paths[-1]), textcoords="offset points", xytext=(4, 0),
                    fontsize=8, va="center", color=colour)
    label_x = {88.9: 96, 127.0: 142}
    for name, length in A.NEEDLE_LENGTHS_MM.items():
        ax.axhline(length, color="0.3", lw=1.0, ls=(0, (6, 3)))
        ax.text(label_x.get(length, 96), length - 2, name, fontsize=8, color="0.2", va="top")
    avg = A.skin_to_anterior_head_mm().value
    ax.axhline(avg, color=OKABE_ITO["vermillion"], lw=1.2, ls="-.")
    ax.text(118, avg - 2, f"average path along the anterior\nportal line ≈ {avg:.0f} mm (derived, see text)",
            fontsize=8, color=OKABE_ITO["vermillion"], va="top")
    ax.set_xlabel("Depth you measured, straight down from skin to target (mm)")
    ax.set_ylabel("Needle inside the body (mm)")
    ax.set_xlim(40, 185)
    ax.set_ylim(30, 225)
    ax.set_title("Depth, tilt and needle length (geometry: path = depth / cos tilt)", fontsize=10)
    fig.tight_layout()
    return fig


def depth_chart_alt_text(tilts_deg=(0, 20, 40)) -> str:
    avg = A.skin_to_anterior_head_mm().value
    return ("Line chart. The horizontal axis is a depth you measured straight down from skin to target, from 40 "
            "to 160 mm; the vertical axis is the length of needle inside the body. One line per tilt "
            f"({', '.join(f'{t} degrees' for t in tilts_deg)}): the steeper the tilt, the longer the path for the "
            "same depth. Dashed horizontal lines mark 3.5-inch (89 mm) and 5-inch (127 mm) spinal needles; a "
            f"dash-dot horizontal line marks the derived average path of about {avg:.0f} mm along the oblique "
            "anterior portal line, which is already a path length and is not tilted again.")