"""The bones shared by the coronal section and the AP radiograph: a smooth proximal femur
(optionally with a cam bump), the acetabulum with its joint space, and Shenton's line.

Contours are Bezier curves joined tangent-continuously, because a corner where the head meets
the neck would teach a shape no hip has (tests measure the turn at every join).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from matplotlib import patches
from matplotlib.axes import Axes

from fluorohip.ui.palette import BONE, OKABE_ITO

from ..geometry import SCHEMATIC, HipGeometry, Point, unit
from .labels import as_xy

#: Bone outlines: a dark grey line that prints in greyscale and reads on the light bone fill.
BONE_EDGE = "0.2"


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 24) -> list[Point]:
    """Points on a cubic Bezier curve (used for smooth bone contours)."""
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append(
            Point(
                a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y
            )
        )
    return out


def femur_outline(g: HipGeometry, cam: bool = False) -> dict[str, list[Point]]:
    """Smooth contours of the proximal femur: the head joins the neck with no line across it.

    Returns ``head_arc`` (the free head surface, superolateral to inferomedial over the top),
    ``superior_neck`` (head surface to the trochanteric fossa, concave waist = head-neck offset;
    with ``cam`` the waist is filled: a convexity continuous with the head), ``inferior_neck``
    (head surface down into the medial shaft / calcar), ``normal_superior_neck`` (for drawing the
    cam as the area between the two), and the neck/trochanter/shaft landmarks.
    """
    c, R = g.head_centre, g.radius
    nd = g.neck_direction
    perp = Point(-nd.y, nd.x)  # superolateral side of the neck
    w = SCHEMATIC["neck_half_width_mm"]
    theta = math.asin(min(0.95, w / R))
    down = nd.scale(-1)
    r_sup = down.scale(math.cos(theta)) + perp.scale(math.sin(theta))
    r_inf = down.scale(math.cos(theta)) - perp.scale(math.sin(theta))
    p_sup, p_inf = c + r_sup.scale(R), c + r_inf.scale(R)
    a_sup = math.degrees(math.atan2(r_sup.y, r_sup.x))
    a_inf = math.degrees(math.atan2(r_inf.y, r_inf.x))
    if a_inf > a_sup:
        a_inf -= 360
    head_arc = [c + unit(a_sup - (a_sup - a_inf) * i / 60).scale(R) for i in range(61)]
    # tangents continuing the circle past the junction points (G1-continuous joins)
    # the head arc runs clockwise from p_sup to p_inf; the neck contours continue it beyond both ends
    t_sup = Point(-r_sup.y, r_sup.x)  # counter-clockwise continuation at p_sup (down the neck)
    t_inf = Point(r_inf.y, -r_inf.x)  # clockwise continuation at p_inf (down the neck)
    base = g.neck_base
    sw = SCHEMATIC["shaft_half_width_mm"]
    fossa = base + perp.scale(w * 1.05) + Point(-3, 0)
    calcar = Point(base.x + sw, base.y - 24)
    superior = bezier(p_sup, p_sup + t_sup.scale(9), fossa + nd.scale(12), fossa)
    # cam: the contour leaves the head higher on its lateral side and runs down the neck with no
    # concave waist, rejoining the normal neck contour lower down: the head-neck offset is lost
    k = 7
    p_cam = head_arc[k]
    r_cam = (p_cam - c).scale(1 / R)
    t_cam = Point(-r_cam.y, r_cam.x)  # continuing the head outline (tangent-continuous)
    j = 14
    tj = superior[j + 1] - superior[j - 1]
    tj = tj.scale(1 / tj.norm())
    cam_curve = (
        bezier(p_cam, p_cam + t_cam.scale(13), superior[j] - tj.scale(9), superior[j], n=16)
        + superior[j + 1 :]
    )
    inferior = bezier(p_inf, p_inf + t_inf.scale(8), calcar + Point(0, 14), calcar)
    return {
        "head_arc": head_arc[k:] if cam else head_arc,
        "superior_neck": cam_curve if cam else superior,
        "normal_head_arc": head_arc,
        "normal_superior_neck": superior,
        "inferior_neck": inferior,
        "fossa": [fossa],
        "calcar": [calcar],
    }


def draw_femur(
    ax: Axes, g: HipGeometry, head: bool = True, cam: bool = False
) -> dict[str, list[Point]]:
    """Proximal femur as one smooth contour; region fills carry the structure gids."""
    o = femur_outline(g, cam=cam)
    base = g.neck_base
    sw = SCHEMATIC["shaft_half_width_mm"]
    fossa, calcar = o["fossa"][0], o["calcar"][0]
    bottom = base.y - 95
    lat = base.x - sw
    # greater trochanter: a broad, rounded block lateral to the neck whose summit lies a little below
    # the level of the head centre (not a spike); the trochanteric fossa is the notch medial to it
    summit_y = g.head_centre.y - 6
    top = bezier(
        fossa + Point(-1, 5),
        Point(fossa.x - 2, summit_y + 3),
        Point(lat - 19, summit_y + 4),
        Point(lat - 17, summit_y - 16),
        n=16,
    )
    gt = (
        [fossa]
        + top
        + [Point(lat - 13, base.y - 4), Point(lat - 5, base.y - 16), Point(lat, base.y - 24)]
    )
    # lesser trochanter: a knob on the posteromedial shaft below the neck, drawn under the shaft
    lt = Point(base.x + sw + 4, base.y - 30)
    ax.add_patch(
        patches.Ellipse(
            as_xy(lt),
            12,
            16,
            angle=-35,
            fc=BONE,
            ec=BONE_EDGE,
            lw=1.0,
            zorder=1,
            gid="lesser-trochanter",
        )
    )
    neck_pts = o["superior_neck"] + list(reversed(o["inferior_neck"]))
    shaft = [
        Point(lat, base.y - 24),
        Point(lat, bottom),
        Point(calcar.x, bottom),
        calcar,
        base + Point(0, -4),
        fossa,
    ]
    for pts, gid in (
        (shaft, "femoral-shaft"),
        (gt, "greater-trochanter"),
        (neck_pts, "femoral-neck"),
    ):
        # an edge in the fill colour hides the anti-aliasing seam between adjacent fills
        ax.add_patch(
            patches.Polygon(
                [as_xy(p) for p in pts], closed=True, fc=BONE, ec=BONE, lw=0.8, zorder=2, gid=gid
            )
        )
    if head:
        ax.add_patch(
            patches.Circle(
                as_xy(g.head_centre),
                g.radius,
                fc=BONE,
                ec=BONE,
                lw=0.8,
                zorder=2,
                gid="femoral-head",
            )
        )
        contour = o["head_arc"]
    else:
        contour = []
    # one continuous outline: shaft lateral cortex, trochanter, superior neck, head, inferior neck, medial cortex
    line = (
        [Point(lat, bottom), Point(lat, base.y - 24)]
        + list(reversed(gt[1:]))
        + [fossa]
        + list(reversed(o["superior_neck"]))[1:]
        + contour
        + o["inferior_neck"]
        + [Point(calcar.x, bottom)]
    )
    if not head:
        line = (
            [Point(lat, bottom), Point(lat, base.y - 24)]
            + list(reversed(gt[1:]))
            + [fossa]
            + list(reversed(o["superior_neck"]))
        )
        ax.plot([p.x for p in line], [p.y for p in line], color=BONE_EDGE, lw=1.1, zorder=3)
        line = o["inferior_neck"] + [Point(calcar.x, bottom)]
    ax.plot(
        [p.x for p in line],
        [p.y for p in line],
        color=BONE_EDGE,
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
                [as_xy(p) for p in region],
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


def joint_space_profile(g: HipGeometry, oa: bool) -> Callable[[float], float]:
    """Joint-space width (mm) as a function of the polar angle; OA narrows it superolaterally."""
    normal = g.joint_space_mm

    def js(a_deg: float) -> float:
        if not oa:
            return normal
        # full narrowing over the weight-bearing dome (superolateral), easing back to normal medially
        t = min(1.0, max(0.0, (a_deg - 35.0) / 40.0))
        return normal - (normal - 0.8) * t

    return js


def draw_pelvis(ax: Axes, g: HipGeometry, oa: bool = False) -> list[Point]:
    """Acetabulum (inner surface follows the joint-space profile) and ilium; returns the inner surface."""
    start = 90 + g.lce_angle_deg
    prof = joint_space_profile(g, oa)
    angles = [start - (start + 55) * i / 60 for i in range(61)]
    inner = [unit(a).scale(g.radius + prof(a)) for a in angles]
    outer = [unit(a).scale(g.acetabular_radius + 14) for a in reversed(angles)]
    ax.add_patch(
        patches.Polygon(
            [as_xy(p) for p in inner + outer],
            closed=True,
            fc=BONE,
            ec=BONE_EDGE,
            lw=1.0,
            zorder=1,
            gid="acetabulum",
        )
    )
    edge_pt = unit(start).scale(g.acetabular_radius + 14)
    r_in = g.acetabular_radius
    ilium = [
        (edge_pt.x, edge_pt.y),
        (edge_pt.x - 25, 95),
        (95, 95),
        (60, r_in + 5),
        (r_in * 0.3, r_in + 14),
    ]
    ax.add_patch(
        patches.Polygon(ilium, closed=True, fc=BONE, ec=BONE_EDGE, lw=1.0, zorder=1, gid="ilium")
    )
    return inner


def shentons_arc(g: HipGeometry, n: int = 40) -> list[Point]:
    """Shenton's line as one smooth (tangent-continuous) curve: up the medial border of the femoral
    neck, then on along the inferior border of the superior pubic ramus. The drawn ramus and
    obturator foramen are shaped to it, so the line lies on bone edges."""
    neck = femur_outline(g)["inferior_neck"]  # from the head down to the calcar
    k = 11
    start = neck[k]
    tangent = neck[k - 1] - neck[k + 1]
    tangent = tangent.scale(1 / tangent.norm())
    end = Point(88.0, -42.0)
    medial = bezier(start, start + tangent.scale(13), end + Point(-38, 4), end, n=n)
    return list(reversed(neck[k + 1 : k + 9])) + medial
