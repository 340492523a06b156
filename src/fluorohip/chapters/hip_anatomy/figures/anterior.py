"""The anterior view of the right groin: femoral triangle and its contents, the lateral femoral
cutaneous nerve, iliopsoas and its bursa, and the entry corridor onto the head-neck junction."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib import patches
from matplotlib.figure import Figure

from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO

from ..geometry import SCHEMATIC, HipGeometry, Point
from ..model import fact
from .labels import as_xy, label_structure

#: Bony landmarks of the anterior view (mm, in the frame of :mod:`..geometry`); "apex" is the
#: apex of the femoral triangle.
ANTERIOR_LANDMARKS: dict[str, Point] = {
    "asis": Point(-70, 62),
    "pubic-tubercle": Point(88, 28),
    "apex": Point(22, -125),
}
#: Where the femoral triangle's contents run (x, mm): nerve, artery, vein from lateral (-x) to
#: medial [@Mehta2018]; the spacing is schematic.
ANTERIOR_CONTENTS_X: dict[str, float] = {
    "femoral-nerve": 10.0,
    "femoral-artery": 24.0,
    "femoral-vein": 35.0,
}


def anterior_view(figsize: tuple[float, float] = (7.0, 6.5)) -> Figure:
    """Anterior view of the right groin: femoral triangle, contents, LFCN, iliopsoas, safe corridor."""
    g = HipGeometry()
    fig, ax = plt.subplots(figsize=figsize)
    asis, pt, apex = (ANTERIOR_LANDMARKS[k] for k in ("asis", "pubic-tubercle", "apex"))

    def on_ligament(x: float) -> float:
        t = (x - asis.x) / (pt.x - asis.x)
        return asis.y + t * (pt.y - asis.y)

    # deep outline of the joint (dashed: it lies under the muscles)
    ax.add_patch(
        patches.Circle(
            as_xy(g.head_centre),
            g.radius,
            fc="none",
            ec="0.35",
            lw=1.2,
            ls="--",
            gid="femoral-head",
        )
    )
    _nd, perp = g.neck_direction, Point(-g.neck_direction.y, g.neck_direction.x)
    w = SCHEMATIC["neck_half_width_mm"]
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
        *as_xy(g.head_neck_junction),
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
    ax.plot(*as_xy(asis), marker="^", ms=10, color="black", ls="none", gid="asis")
    ax.plot(*as_xy(pt), marker="s", ms=8, color="black", ls="none", gid="pubic-tubercle")
    # contents, lateral to medial: nerve, artery, vein
    styles = {
        "femoral-nerve": (ANTERIOR_CONTENTS_X["femoral-nerve"], OKABE_ITO["yellow"], "-", 5.0),
        "femoral-artery": (
            ANTERIOR_CONTENTS_X["femoral-artery"],
            OKABE_ITO["vermillion"],
            "-",
            4.5,
        ),
        "femoral-vein": (ANTERIOR_CONTENTS_X["femoral-vein"], OKABE_ITO["blue"], "--", 5.5),
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

    label_structure(ax, "asis", "ASIS", as_xy(asis), (-105, 80))
    label_structure(ax, "pubic-tubercle", "Pubic tubercle", as_xy(pt), (105, 50))
    label_structure(ax, "inguinal-ligament", "Inguinal ligament", (0, on_ligament(0)), (-15, 85))
    label_structure(
        ax, "sartorius", "Sartorius", (-6.7, -60), (-110, -40)
    )  # below the corridor: leaders never cross
    label_structure(ax, "adductor-longus", "Adductor longus", (60, -40), (100, -60))
    label_structure(
        ax,
        "femoral-nerve",
        "Femoral nerve\n(lateral member)",
        (ANTERIOR_CONTENTS_X["femoral-nerve"], -50),
        (-20, -105),
    )
    label_structure(
        ax,
        "femoral-artery",
        "Femoral artery\n(the pulse)",
        (ANTERIOR_CONTENTS_X["femoral-artery"], 25),
        (70, 10),
    )
    label_structure(
        ax,
        "femoral-vein",
        "Femoral vein\n(medial, nearest)",
        (ANTERIOR_CONTENTS_X["femoral-vein"], -20),
        (100, -15),
    )
    label_structure(
        ax, "lfcn", "Lateral femoral\ncutaneous nerve", (asis.x - 6.9, -90), (-108, -95)
    )
    label_structure(ax, "iliopsoas", "Iliopsoas tendon", (9, 45), (50, 60))
    label_structure(ax, "iliopsoas-bursa", "Iliopsoas bursa", (12, -12), (75, -35))
    label_structure(ax, "femoral-head", "Femoral head (deep)", (-12, 20), (-95, 35))
    label_structure(
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
    return describe(fig, anterior_alt_text())


def anterior_alt_text() -> str:
    n, a, v = (
        fact(k).text(1)
        for k in ("femoral_nerve_distance", "femoral_artery_distance", "femoral_vein_distance")
    )
    lateral = fact("nerve_lateral_to_joint").text(0, dash="-")
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
