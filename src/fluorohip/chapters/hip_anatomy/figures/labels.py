"""Labels on the hip drawings, and the ``gid`` convention the tests read them back by.

Every drawn structure carries a ``gid`` equal to its structure id (see :mod:`..structures`), its
on-figure label the gid ``label:<id>`` and a letter marker ``marker:<letter>``, so tests can
check that what a figure promises is on it. Labels sit in a white box (``LABEL_BOX``) so they
read over bone, film and greyscale print alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from fluorohip.ui.palette import LABEL_BOX

from ..geometry import Point

#: A label for :func:`side_labels`: structure id, text, the point it names, and the side of the
#: image its text goes ("L" or "R").
LabelItem = tuple[str, str, tuple[float, float], str]


def label_structure(
    ax: Axes, sid: str, text: str, xy: tuple[float, float], xytext: tuple[float, float], **kw: Any
) -> None:
    """A boxed label with a leader to ``xy``, tagged ``label:<sid>`` for the tests."""
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


def as_xy(p: Point) -> tuple[float, float]:
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
    """Structure ids labelled on ``fig`` (annotations whose gid is ``label:<id>``)."""
    gids = (a.get_gid() or "" for ax in fig.axes for a in ax.get_children())
    return {gid.removeprefix("label:") for gid in gids if gid.startswith("label:")}


def markers(fig: Figure) -> dict[str, tuple[float, float]]:
    """Letter markers on a lettered figure: ``{letter: (x, y)}`` in millimetres."""
    out = {}
    for ax in fig.axes:
        for a in ax.get_children():
            gid = a.get_gid() or ""
            if gid.startswith("marker:") and isinstance(a, Text):
                x, y = a.get_position()
                out[gid[7:]] = (round(float(x), 2), round(float(y), 2))
    return out


def side_labels(
    ax: Axes,
    items: Sequence[LabelItem],
    x_left: float,
    x_right: float,
    gap: float = 9.0,
    fontsize: float = 8,
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
