"""The depth chart: needle path against measured depth for a few tilts, beside needle lengths."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from fluorohip.ui.figures import describe
from fluorohip.ui.palette import OKABE_ITO

from ..model import NEEDLE_LENGTHS_MM, average_path_mm, needle_path_mm


def depth_chart(
    tilts_deg: Sequence[float] = (0, 20, 40), figsize: tuple[float, float] = (7.0, 4.2)
) -> Figure:
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
        paths = [needle_path_mm(d, tilt) for d in depths]
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
    for name, length in NEEDLE_LENGTHS_MM.items():
        ax.axhline(length, color="0.3", lw=1.0, ls=(0, (6, 3)))
        ax.text(label_x.get(length, 96), length - 2, name, fontsize=8, color="0.2", va="top")
    avg = average_path_mm()
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
    return describe(fig, depth_chart_alt_text(tilts_deg))


def depth_chart_alt_text(tilts_deg: Sequence[float] = (0, 20, 40)) -> str:
    avg = average_path_mm()
    return (
        "Line chart. The horizontal axis is a depth you measured straight down from skin to target, from 40 "
        "to 160 mm; the vertical axis is the length of needle inside the body. One line per tilt "
        f"({', '.join(f'{t} degrees' for t in tilts_deg)}): the steeper the tilt, the longer the path for the "
        "same depth. Dashed horizontal lines mark 3.5-inch (89 mm) and 5-inch (127 mm) spinal needles; a "
        f"dash-dot horizontal line marks the derived average path of about {avg:.0f} mm along the oblique "
        "anterior portal line, which is already a path length and is not tilted again."
    )
