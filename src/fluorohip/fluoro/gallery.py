"""Labelled figures made by the fluoroscope itself: the AP hip and the contrast-pattern gallery.

Why: the anatomy chapter, the pattern gallery and the exercise should show one consistent
picture of the hip, so all three come from the same renderer (:func:`.scene.render`), the
same needle (:class:`.spinal_needle.SpinalNeedle`) and the same contrast model
(:mod:`.contrast3d`). Labels are placed by projecting 3-D landmark points found through the
phantom's public API, so they follow the anatomy if the phantom changes.

Displayed images put the patient's right on the viewer's left, as on a radiograph; an "R"
marker says so. Labels are text with leader lines (never colour alone).
"""

from __future__ import annotations

import numpy as np

from fluorohip.ui.palette import OKABE_ITO

from . import contrast3d as c3
from .geometry import CArm
from .needle import classify_point
from .phantom import HipPhantom
from .scene import Scene, render
from .spinal_needle import SpinalNeedle

PATTERN_CAPTIONS = {
    "intra-articular": "Intra-articular: flows away from the tip, outlines head and neck, fills the recesses "
    "(waist at the zona orbicularis)",
    "capsular": "Capsular / periarticular: a blob that stays at the tip, no outline of head or neck",
    "intramuscular": "Intramuscular: feathery streaks along the fibres",
    "bursal": "Iliopsoas bursa: an elongated sac extending superiorly, anterior to the joint",
    "intravascular": "Intravascular: a thin serpiginous column that washes out within seconds "
    "(live imaging only)",
}


def display_xy(carm: CArm, point) -> tuple[float, float]:
    """(column, row) of a 3-D point on the displayed (left-right flipped) image."""
    col, row = carm.to_pixel(carm.project(np.asarray(point, dtype=float)))
    return carm.pixels - 1 - float(col), float(row)


def landmarks(phantom: HipPhantom) -> dict[str, np.ndarray]:
    """3-D points for labels, from the public API (phantom-provided landmarks win if present)."""
    own = getattr(phantom, "landmarks", None)
    if isinstance(own, dict) and own:
        return {k: np.asarray(v, dtype=float) for k, v in own.items()}
    # cheap estimates from the API (no joint sampling): the target lies along the neck from the
    # head centre (the frame's origin), and the head's radius is where bone ends straight up
    tgt = np.asarray(phantom.target_point(), dtype=float)
    a = tgt / np.linalg.norm(tgt)
    up = np.array([0.0, 0.0, 1.0])
    s = np.arange(0.0, 60.0, 0.5)
    bone_up = phantom.in_region("bone", s[:, None] * up[None, :])
    r = float(s[np.flatnonzero(~bone_up)[0]]) if (~bone_up).any() else 24.0
    lateral = np.array([-1.0, 0.0, 0.0])
    roof = 0.85 * up + 0.25 * lateral
    js = 0.7 * up + 0.7 * lateral
    return {
        "femoral head": np.zeros(3),
        "head-neck junction (target)": tgt,
        "femoral neck": tgt + 12.0 * a,
        "acetabular roof": (r + 6.0) * roof / np.linalg.norm(roof),
        "joint space": (r + 2.0) * js / np.linalg.norm(js),
        "greater trochanter region": tgt + 38.0 * a + 14.0 * up,
    }


def _label(ax, carm, point, text, xytext) -> None:
    x, y = display_xy(carm, point)
    ax.plot([x], [y], "o", ms=4, mfc="none", mec=OKABE_ITO["orange"], mew=1.5)
    ax.annotate(
        text,
        (x, y),
        xytext=xytext,
        textcoords="data",
        fontsize=8,
        color="white",
        bbox=dict(boxstyle="round,pad=0.2", fc="black", ec=OKABE_ITO["orange"], alpha=0.75),
        arrowprops=dict(arrowstyle="-", color=OKABE_ITO["orange"], lw=1.2),
    )


def labelled_ap_figure(phantom: HipPhantom | None = None, pixels: int = 384, seed: int = 0):
    """The AP view of the right hip from the simulator, labelled (matplotlib Figure)."""
    import matplotlib.pyplot as plt

    ph = phantom or HipPhantom()
    carm = CArm(pixels=pixels)
    frame = render(Scene(ph), carm, seed=seed, noise="poisson")
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    ax.imshow(frame.image, cmap="gray", vmin=0, vmax=255)
    ax.set_axis_off()
    n = pixels
    marks = landmarks(ph)
    hx, hy = display_xy(carm, marks.get("femoral head", np.zeros(3)))
    used = []
    for name, p in marks.items():
        x, y = display_xy(carm, p)
        v = np.array([x - hx, y - hy])
        v = v / np.linalg.norm(v) if np.linalg.norm(v) > 1 else np.array([-0.6, -0.8])
        tx, ty = x + 0.22 * n * v[0], y + 0.22 * n * v[1]
        for ux, uy in used:  # keep labels apart
            if abs(ty - uy) < 0.06 * n and abs(tx - ux) < 0.3 * n:
                ty = uy + 0.07 * n
        tx, ty = min(max(tx, 0.02 * n), 0.7 * n), min(max(ty, 0.06 * n), 0.95 * n)
        used.append((tx, ty))
        _label(ax, carm, p, name, (tx, ty))
    ax.text(
        0.02 * n,
        0.05 * n,
        "R",
        color="white",
        fontsize=13,
        fontweight="bold",
        bbox=dict(boxstyle="square,pad=0.2", fc="black", ec="none"),
    )
    ax.set_title(
        "Simulated AP fluoroscopy of the right hip (patient's right on the viewer's left)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def pattern_scenes(
    phantom: HipPhantom | None = None,
    volume_ml: float = 2.0,
    seed: int = 0,
    only: tuple[str, ...] | None = None,
) -> dict:
    """(scene, time to image) for each pattern, with a needle whose tip lies in that compartment."""
    ph = phantom or HipPhantom()
    tgt = np.asarray(ph.target_point(), dtype=float)
    joint = SpinalNeedle.aimed(ph, tgt, 0, 0, depth_mm=89).place(ph).needle
    tips = {
        "intra-articular": joint.path_point(joint.depth_mm - 1.0),
        "capsular": tgt
        * (getattr(ph, "capsule_radius_mm", np.linalg.norm(tgt) + 6) / np.linalg.norm(tgt)),
        "intramuscular": np.array([-30.0, -60.0, 10.0]),
    }
    bursa = getattr(ph, "bursa", None)
    if bursa is not None:
        tips["bursal"] = bursa.quadrics[0].c
    artery = getattr(ph, "artery", None)
    if artery is not None:
        tips["intravascular"] = artery.quadrics[0].c * np.array([1, 1, 0])
    out = {}
    for pattern, tip in tips.items():
        if only is not None and pattern not in only:
            continue
        sc = Scene(ph)
        label = classify_point(ph, tip)
        if c3.pattern_for_label(label) != pattern:  # keep the gallery honest about the compartment
            label = pattern
        depth = (
            float(np.linalg.norm(np.asarray(tip) - SpinalNeedle.aimed(ph, tip, 0, 0).entry_mm))
            - 0.2
        )
        sc.set_needle(SpinalNeedle.aimed(ph, tip, 0, 0, depth_mm=max(0.0, min(depth, 88.0))))
        sc.deposits.extend(c3.inject(ph, tip, label, volume_ml, seed=seed))
        t_img = volume_ml * 0.75 if pattern == "intravascular" else volume_ml + 1.0
        out[pattern] = (sc, t_img)
    return out


def contrast_pattern_figure(phantom: HipPhantom | None = None, pixels: int = 256, seed: int = 0):
    """The five patterns after 2 mL, plus 8 mL in the joint and the vessel on last-image-hold."""
    import matplotlib.pyplot as plt

    ph = phantom or HipPhantom()
    carm = CArm(pixels=pixels, field_mode="mag")
    panels = []
    scenes = pattern_scenes(ph, 2.0, seed)
    for pattern, (sc, t) in scenes.items():
        sc.time_s = t
        panels.append(
            (render(sc, carm, seed=seed).image, f"{pattern}, 2 mL", PATTERN_CAPTIONS[pattern])
        )
    sc8, t8 = pattern_scenes(ph, 8.0, seed, only=("intra-articular",))["intra-articular"]
    sc8.time_s = t8
    panels.append(
        (
            render(sc8, carm, seed=seed).image,
            "intra-articular, 8 mL",
            "More volume: denser, distended superior and inferior recesses",
        )
    )
    if "intravascular" in scenes:
        sv, _ = scenes["intravascular"]
        sv.time_s = 6.0
        panels.append(
            (
                render(sv, carm, seed=seed, live=False).image,
                "intravascular, held image 4 s later",
                "Washed out: a held image after the injection shows nothing",
            )
        )
    cols = 4
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.1 * cols, 4.0 * rows), squeeze=False, gridspec_kw={"hspace": 0.45}
    )
    for ax in axes.ravel():
        ax.set_axis_off()
    import textwrap

    for ax, (img, title, cap) in zip(axes.ravel(), panels):
        ax.imshow(img, cmap="gray", vmin=0, vmax=255)
        ax.set_title(title, fontsize=9, fontweight="bold")
        ax.text(
            0.5,
            -0.02,
            "\n".join(textwrap.wrap(cap, 38)),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=7,
        )
        ax.text(
            0.03, 0.06, "R", transform=ax.transAxes, color="white", fontsize=10, fontweight="bold"
        )
    fig.suptitle(
        "Contrast patterns in the simulator (magnified field, right hip; teaching renderings)",
        fontsize=10,
    )
    fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.06)
    return fig


AP_ALT = (
    "Simulated AP fluoroscopy image of the right hip, patient's right on the viewer's left (R marker), bone "
    "dark. Labels with leader lines mark the femoral head, the head-neck junction (the usual target), the "
    "femoral neck, the acetabular roof, the superolateral joint space and the greater trochanter region."
)
GALLERY_ALT = (
    "Seven simulated fluoroscopy frames of the right hip after a test dose. Intra-articular 2 mL: a thin "
    "rim round the head and bands along the neck recesses with a narrow waist mid-neck. Capsular: a dense "
    "oval blob at the needle tip. Intramuscular: thin feathery streaks running cranio-caudally. Bursal: a "
    "dense sac medial and superior to the head. Intravascular: a thin wavy column with branches. "
    "Intra-articular 8 mL: a denser rim and distended recesses. Intravascular on a held image 4 s later: "
    "nothing left."
)


def _show(fig, alt: str) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    display(fig)
    plt.close(fig)
    display(Markdown(f"*Figure description: {alt}*"))


def show_labelled_ap(pixels: int = 384) -> None:
    """Display :func:`labelled_ap_figure` with its alt text."""
    _show(labelled_ap_figure(pixels=pixels), AP_ALT)


def show_pattern_gallery(pixels: int = 256) -> None:
    """Display :func:`contrast_pattern_figure` with its alt text."""
    _show(contrast_pattern_figure(pixels=pixels), GALLERY_ALT)
