"""The AP radiograph schematic of a right hip (normal, osteoarthritis, cam, prosthesis), its
lettered version for the label exercise, and the stored copy of that version the quiz bank uses.

A drawing, not a simulation (the simulator is :mod:`fluorohip.fluoro`): bone light on dark film.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import patches
from matplotlib.figure import Figure

from fluorohip.core.paths import assets_dir
from fluorohip.ui.figures import describe
from fluorohip.ui.palette import BONE, OKABE_ITO

from ..geometry import SCHEMATIC, HipGeometry, Point, unit
from ..model import fact
from ..structures import AP_LETTERS, AP_VARIANTS
from .bones import draw_femur, draw_pelvis, shentons_arc
from .labels import as_xy, markers, side_labels

#: The stored lettered figure and its marker sidecar, under ``assets/`` (the quiz bank's label
#: question shows the PNG; the JSON holds the markers and the answer key).
LETTERED_PNG = "figures/01_ap_lettered.png"
LETTERED_JSON = "figures/01_ap_lettered.json"
#: The dark film behind the bones: a grey level, not a palette colour (bone reads light on it).
FILM = "0.17"
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
    variant: str = "normal",
    lettered: bool = False,
    show_targets: bool = True,
    figsize: tuple[float, float] = (8.4, 5.8),
) -> Figure:
    """AP radiograph schematic of a right hip (a drawing, not a simulation).

    ``variant``: ``normal``, ``osteoarthritis`` (superolateral joint-space narrowing, subchondral
    sclerosis, marginal osteophytes), ``cam`` (loss of head-neck offset at the superolateral
    junction) or ``prosthesis``. ``lettered`` replaces names by letters A-F (``anatomy.AP_LETTERS``)
    for the label-the-structure exercise.
    """
    if variant not in AP_VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(AP_VARIANTS)}; got {variant!r}")
    g = HipGeometry()
    oa = variant == "osteoarthritis"
    fig, ax = plt.subplots(figsize=figsize)
    fig.patch.set_facecolor("white")
    film = (-100, -135, 210, 235)
    ax.add_patch(patches.Rectangle(film[:2], film[2], film[3], fc=FILM, ec="none", zorder=-5))
    inner = draw_pelvis(ax, g, oa=oa)
    o = draw_femur(ax, g, head=variant != "prosthesis", cam=variant == "cam")
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
    ramus = ramus_low + [Point(95, ramus_low[-1].y + 2), Point(95, -12), Point(20, -12)]
    ax.add_patch(
        patches.Polygon([as_xy(p) for p in ramus], closed=True, fc=BONE, ec="none", zorder=1)
    )
    top_y = min(p.y for p in ramus_low if 45 <= p.x <= 75)
    of = Point(60, top_y - 26)
    ax.add_patch(patches.Ellipse((of.x, of.y), 48, 62, angle=15, fc=BONE, ec="0.2", lw=1, zorder=0))
    ax.add_patch(
        patches.Ellipse(
            (of.x, of.y),
            34,
            46,
            angle=15,
            fc=FILM,
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
        band = [unit(a).scale(g.radius + 1.0 + 1.5) for a in angs] + [
            unit(a).scale(g.radius + 9.0) for a in reversed(angs)
        ]
        ax.add_patch(
            patches.Polygon(
                [as_xy(p) for p in band],
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
            unit(start - 14).scale(g.acetabular_radius + 6),
            unit(start + 6).scale(g.acetabular_radius + 12),
            edge + Point(-13, -9),
            unit(start - 4).scale(g.radius + 2),
        ]
        ring = o["head_arc"]
        spur_inf = [ring[-12], ring[-3] + Point(14, -6), o["inferior_neck"][3], ring[-1]]
        spur_sup = [ring[6], ring[0] + Point(-11, 3), o["superior_neck"][4]]
        # bone is radiopaque: the lips are filled and edged like the rest of the bone (light on the dark
        # film), drawn above the film and the bone fills so no dark notch reads as a lucent triangle
        for spur in (spur_lat, spur_inf, spur_sup):
            ax.add_patch(
                patches.Polygon(
                    [as_xy(p) for p in spur],
                    closed=True,
                    fc=BONE,
                    ec="0.2",
                    lw=0.8,
                    zorder=2.5,
                    joinstyle="round",
                    gid="osteophyte",
                )
            )
        pi = ring[-3] + Point(10, -5)
        js_mid = unit(105).scale(g.radius + 0.4)
        extra_labels += [
            ("joint-space", "Narrowed joint space\n(superolateral)", as_xy(js_mid), "L"),
            (
                "subchondral-sclerosis",
                "Subchondral sclerosis",
                as_xy(unit(80).scale(g.radius + 6)),
                "R",
            ),
            (
                "osteophyte",
                "Marginal osteophyte\n(acetabular edge)",
                as_xy(edge + Point(-10, -6)),
                "L",
            ),
            ("osteophyte", "Marginal osteophyte\n(inferomedial head)", as_xy(pi), "R"),
        ]
    if variant == "cam":
        mid = o["superior_neck"][7] + Point(4, 0)
        extra_labels.append(
            ("cam-bump", "Cam: bump fills the\nhead-neck waist\n(lost offset)", as_xy(mid), "L")
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
                as_xy(unit(60).scale(g.acetabular_radius + 1)),
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
    lt = g.neck_base + Point(SCHEMATIC["shaft_half_width_mm"] + 8, -31)
    spots = {
        "femoral-head": g.head_centre + Point(6, 8),
        "femoral-neck": g.mid_neck + Point(-3, -5),
        "greater-trochanter": Point(g.neck_base.x - 22, -26),
        "lesser-trochanter": lt,
        "teardrop": Point(t.x + 4.5, t.y + 14),
        "obturator-foramen": of + Point(8, -6),
    }
    if lettered:
        for letter, sid in AP_LETTERS.items():
            p = spots[sid]
            dx, dy = LETTER_OFFSETS[sid]
            q = Point(round(p.x + dx, 2), round(p.y + dy, 2))
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
            ("femoral-head", "Femoral head", as_xy(spots["femoral-head"]), "R"),
            (
                "femoral-neck",
                "Prosthetic neck" if pros else "Femoral neck",
                as_xy(o["inferior_neck"][12] + Point(-5, 3)),
                "L",
            ),
            ("greater-trochanter", "Greater trochanter", as_xy(spots["greater-trochanter"]), "L"),
            ("lesser-trochanter", "Lesser trochanter", as_xy(lt), "R"),
            ("acetabular-roof", "Acetabular roof", as_xy(roof[4]), "L"),
            ("teardrop", "Teardrop", as_xy(Point(t.x + 4.5, t.y + 18)), "R"),
            ("obturator-foramen", "Obturator foramen", as_xy(of + Point(8, -10)), "R"),
            (
                "shentons-line",
                "Shenton's line\n(smooth arc)",
                as_xy(arc[int(len(arc) * 0.75)]),
                "R",
            ),
            (
                "capsule",
                "Pseudocapsule (dotted)" if pros else "Capsule (dotted)",
                as_xy((capsule[-2] + capsule[-1]).scale(0.5)),
                "L",
            ),
        ] + extra_labels
        if pros:
            items = [it for it in items if it[0] != "femoral-head"]
        if show_targets:
            items += [
                ("target-hnj", "Target: head-neck\njunction (X)", as_xy(g.head_neck_junction), "L"),
                ("target-midneck", "Target: mid neck (◆)", as_xy(g.mid_neck), "L"),
            ]
        side_labels(ax, items, film[0] - 4, film[0] + film[2] + 4)
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
    return describe(fig, ap_alt_text(variant, lettered))


def ap_alt_text(variant: str = "normal", lettered: bool = False) -> str:
    g = HipGeometry()
    base = (
        "Schematic AP radiograph of a right hip, lateral on the left, bone light on a dark background. "
        f"The femoral head (about {fact('femoral_head_diameter').value:.0f} mm across) sits under the "
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
        "answer": dict(sorted(AP_LETTERS.items())),
    }
    (base / LETTERED_JSON).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return marks
