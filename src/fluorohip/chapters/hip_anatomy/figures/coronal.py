"""The coronal section through a right hip, with layers a learner switches on and off."""

from __future__ import annotations

import math
from collections.abc import Iterable

import matplotlib.pyplot as plt
from matplotlib import patches
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO

from ..geometry import SCHEMATIC, HipGeometry, Point, unit
from ..structures import CORONAL_LAYERS, coronal_structures
from .bones import draw_femur, draw_pelvis
from .labels import LabelItem, as_xy, side_labels


def coronal_section(
    layers: Iterable[str] | None = None,
    figsize: tuple[float, float] = (8.4, 5.6),
    highlight: str | None = None,
) -> Figure:
    """Coronal section through a right hip with toggleable layers (see ``anatomy.CORONAL_LAYERS``)."""
    chosen = {l.id for l in CORONAL_LAYERS} if layers is None else set(layers)
    coronal_structures(list(chosen))  # validates layer names
    g = HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    R, c = g.radius, g.head_centre
    items: list[LabelItem] = []

    def _label(
        _ax: Axes, sid: str, text: str, xy: tuple[float, float], xytext: tuple[float, float]
    ) -> None:
        """Collect a label; :func:`side_labels` places them all in two sorted columns."""
        items.append(
            (
                sid,
                text.replace("\n", " ") if len(text) < 26 else text,
                xy,
                "L" if xytext[0] < 0 else "R",
            )
        )

    rim = 90 + g.lce_angle_deg
    nd, perp = g.neck_direction, Point(-g.neck_direction.y, g.neck_direction.x)
    w = SCHEMATIC["neck_half_width_mm"]
    if "bone" in chosen:
        draw_pelvis(ax, g)
        draw_femur(ax, g)
        _label(ax, "femoral-head", "Femoral head", as_xy(c + Point(-6, 4)), (-62, 36))
        _label(ax, "femoral-neck", "Femoral neck", as_xy(g.mid_neck), (-80, -20))
        _label(ax, "acetabulum", "Acetabulum", as_xy(unit(60).scale(R + 20)), (50, 70))
        _label(
            ax, "greater-trochanter", "Greater\ntrochanter", (g.neck_base.x - 22, -22), (-95, 10)
        )
    if "cartilage" in chosen:
        ax.add_patch(
            patches.Wedge(
                as_xy(c),
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
                as_xy(c),
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
        _label(ax, "head-cartilage", "Head cartilage", as_xy(unit(20).scale(R - 1)), (62, 30))
        _label(
            ax,
            "acetabular-cartilage",
            "Acetabular cartilage",
            as_xy(unit(75).scale(g.acetabular_radius - 1)),
            (20, 85),
        )
    if "labrum" in chosen:
        e = unit(rim).scale(g.acetabular_radius + 7)
        tip = unit(rim + 14).scale(g.radius + 2)
        ax.add_patch(
            patches.Polygon(
                [as_xy(e), as_xy(unit(rim - 6).scale(g.acetabular_radius + 14)), as_xy(tip)],
                fc=OKABE_ITO["green"],
                ec="black",
                lw=0.8,
                hatch="///",
                gid="labrum",
                zorder=4,
            )
        )
        fovea = unit(-25).scale(R - 1)
        notch = unit(-48).scale(g.acetabular_radius + 4)
        ax.plot(
            [fovea.x, notch.x],
            [fovea.y, notch.y],
            color=OKABE_ITO["orange"],
            lw=3,
            ls="-",
            gid="ligamentum-teres",
        )
        t1, t2 = (
            unit(-60).scale(g.acetabular_radius + 6),
            unit(-40).scale(g.acetabular_radius + 12),
        )
        ax.plot(
            [t1.x, t2.x],
            [t1.y, t2.y],
            color="black",
            lw=3.5,
            ls=(0, (1, 1)),
            gid="transverse-ligament",
        )
        _label(ax, "labrum", "Labrum", as_xy(tip), (-55, 62))
        _label(
            ax, "ligamentum-teres", "Ligamentum teres", as_xy((fovea + notch).scale(0.5)), (70, -10)
        )
        _label(ax, "transverse-ligament", "Transverse acetabular\nligament", as_xy(t1), (70, -45))
    cap_sup = [
        unit(rim).scale(g.acetabular_radius + 12),
        unit(rim + 6).scale(R + 8),
        g.head_neck_junction + perp.scale(w + 6),
        g.neck_base + perp.scale(w + 4) + Point(-6, 0),
    ]
    cap_inf = [
        unit(-58).scale(g.acetabular_radius + 15),
        unit(-75).scale(R + 10),
        g.head_neck_junction - perp.scale(w + 8),
        g.neck_base - perp.scale(w + 5) + Point(8, 0),
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
                as_xy(sup),
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
                as_xy(inf),
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
        _label(ax, "synovium", "Synovium (dashed)", as_xy(cap_sup[2]), (-35, -75))
        _label(ax, "superior-recess", "Superior recess", as_xy(sup), (-100, -45))
        _label(ax, "inferior-recess", "Inferior recess (fluid)", as_xy(inf), (40, -75))
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
        _label(ax, "capsule", "Fibrous capsule", as_xy(cap_sup[1]), (-90, 60))
        _label(ax, "zona-orbicularis", "Zona orbicularis", as_xy(zo_i), (-20, -95))
    if "needle" in chosen:
        tip = g.mid_neck
        ax.plot(
            [tip.x], [tip.y], marker="X", ms=11, color="black", mec="white", ls="none", gid="needle"
        )
        _label(ax, "needle", "Needle tip\n(from the front)", as_xy(tip), (-110, -80))
    if highlight:
        for artist in ax.get_children():
            if artist.get_gid() == highlight and hasattr(artist, "set_linewidth"):
                artist.set_linewidth(4)
    side_labels(ax, items, -82, 100)
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
    return describe(fig, coronal_alt_text(layers))


def coronal_alt_text(layers: Iterable[str] | None = None) -> str:
    chosen = [l for l in CORONAL_LAYERS if layers is None or l.id in layers]
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
