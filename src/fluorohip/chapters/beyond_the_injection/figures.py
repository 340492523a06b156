"""Figures for chapter 07. Each ``*_figure`` returns a matplotlib Figure; each ``*_alt`` returns
its alt text. Colours from the course palette (:mod:`fluorohip.ui.palette`, Okabe-Ito), with labels on the figure and hatching or line
style so nothing is carried by colour alone. Numbers come from :mod:`.model`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches
from matplotlib.figure import Figure

from fluorohip.ui.palette import BONE, LABEL_BOX, OKABE_ITO

from . import model

#: Greys of the schematic ultrasound image (a greyscale picture by nature, not data colours):
#: near-black background, dark fluid, mid-grey muscle, light bone and its edge.
US_BACKGROUND, US_FLUID, US_MUSCLE, US_EDGE, US_BONE = "0.10", "0.13", "0.33", "0.47", "0.73"


# --- ultrasound long-axis view along the femoral neck -------------------------------------------
def ultrasound_figure(recess_mm: float = 8.0) -> Figure:
    """Schematic long-axis (oblique-sagittal) view along the femoral neck, needle in plane."""
    model.recess_reading(recess_mm)  # validates the number
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    ax.set_facecolor(US_BACKGROUND)
    # bone: femoral head (left) and neck sloping right; depth grows downward
    x = np.linspace(0, 60, 200)
    bone = 32 - 6 * np.exp(-(((x - 12) / 9) ** 2)) + 0.05 * x
    ax.fill_between(x, bone, 45, color=US_BONE, hatch="..", edgecolor=US_EDGE, lw=0)
    ax.plot(x, bone, color="white", lw=2.5)
    # capsule lifted off the neck by the recess (anterior recess at the neck, x 20-45)
    cap = bone.copy()
    neck = (x > 18) & (x < 48)
    s = 1.0 / (1 + np.exp(-(x - 20))) * (1 - 1.0 / (1 + np.exp(-(x - 46))))
    cap = bone - 1.2 - recess_mm * s * neck.astype(float) - 1.2 * (~neck)
    ax.plot(x, cap, color=OKABE_ITO["orange"], lw=3, ls="-")
    ax.fill_between(x, cap, bone, where=neck, color=US_FLUID, hatch="", lw=0)
    ax.text(33, bone[110] - recess_mm / 2 - 0.2, "fluid", color="white", ha="center", fontsize=9)
    # recess measurement
    xm = 36
    im = int(xm / 60 * 199)
    ax.annotate(
        "",
        xy=(xm, bone[im]),
        xytext=(xm, cap[im]),
        arrowprops=dict(arrowstyle="<->", color=OKABE_ITO["yellow"], lw=1.8),
    )
    ax.text(
        xm + 1,
        (bone[im] + cap[im]) / 2,
        f"anterior recess\n{recess_mm:g} mm",
        color=OKABE_ITO["yellow"],
        fontsize=9,
        va="center",
    )
    # iliopsoas muscle above the capsule
    ax.fill_between(x, 4, cap - 3, color=US_MUSCLE, hatch="//", edgecolor=US_EDGE, lw=0)
    ax.text(8, 10, "iliopsoas / soft tissue", color="white", fontsize=9)
    # needle in plane from the caudal (right) end of the probe toward the neck
    ax.plot([60, 38], [6, cap[int(38 / 60 * 199)] + 0.6], color=OKABE_ITO["sky"], lw=2.5)
    ax.text(40, 5, "needle in plane\n(whole shaft visible)", color=OKABE_ITO["sky"], fontsize=9)
    ax.text(10, bone[30] + 5, "femoral head", color="black", fontsize=9)
    ax.text(44, bone[160] + 5, "femoral neck", color="black", fontsize=9)
    ax.text(
        1,
        2.2,
        "cranial / medial  <- probe along the neck ->  caudal / lateral",
        color="white",
        fontsize=8,
    )
    ax.set_xlim(0, 60)
    ax.set_ylim(45, 0)
    ax.set_xlabel("position along the probe (mm)")
    ax.set_ylabel("depth (mm, schematic)")
    ax.set_title("Ultrasound long-axis view along the femoral neck (schematic)")
    fig.tight_layout()
    return fig


def ultrasound_alt(recess_mm: float = 8.0) -> str:
    return (
        "Schematic ultrasound image along the femoral neck: the bright bony outline of the femoral head on the "
        "left sloping into the neck on the right; an orange capsule line lifted off the neck by dark fluid; a "
        f"yellow double arrow measures the anterior recess at {recess_mm:g} mm; a blue needle enters in plane "
        "from the caudal end of the probe, its whole shaft visible, and ends on the neck under the capsule."
    )


# --- three fluoroscopic approaches ---------------------------------------------------------------
def approaches_figure() -> Figure:
    """Axial (left) and sagittal (right) schematics of three approaches to the same target."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4.2))
    for ax in (ax1, ax2):
        ax.set_aspect("equal")
        ax.axis("off")
    # axial: anterior up, lateral right
    ax1.add_patch(patches.Ellipse((0, 0), 150, 110, fill=False, lw=1.5))
    ax1.add_patch(patches.Circle((5, -5), 22, fc=BONE, ec="black", hatch=".."))
    ax1.text(5, -5, "head", ha="center", va="center", fontsize=9, bbox=dict(LABEL_BOX))
    ax1.plot([-25], [35], marker="o", color=OKABE_ITO["vermillion"], ms=9)
    ax1.text(-27, 43, "femoral\nartery", ha="center", fontsize=8)
    ax1.plot([5, 5], [55, 17], color=OKABE_ITO["blue"], lw=2.5, ls="-")
    ax1.text(6, 58, "A anterior vertical", color=OKABE_ITO["blue"], fontsize=8)
    ax1.plot([70, 27], [-2, -4], color=OKABE_ITO["green"], lw=2.5, ls="--")
    ax1.text(48, 6, "C lateral", color=OKABE_ITO["green"], fontsize=8)
    ax1.set_title("Axial (anterior up, lateral right)", fontsize=10)
    ax1.set_xlim(-80, 85)
    ax1.set_ylim(-60, 70)
    # sagittal: anterior left, cranial up
    ax2.add_patch(patches.Circle((0, 0), 22, fc=BONE, ec="black", hatch=".."))
    ax2.text(
        0,
        0,
        "head-neck\njunction",
        ha="center",
        va="center",
        fontsize=8,
        bbox=dict(LABEL_BOX),
    )
    ax2.plot([-60, -21], [0, 0], color=OKABE_ITO["blue"], lw=2.5)
    ax2.text(-75, 5, "A vertical", color=OKABE_ITO["blue"], fontsize=8)
    ang = np.radians(30)
    ax2.plot(
        [-21 - 50 * np.cos(ang), -21],
        [-50 * np.sin(ang), 0],
        color=OKABE_ITO["orange"],
        lw=2.5,
        ls="-.",
    )
    ax2.text(
        -80,
        -34,
        "B oblique coaxial\n(caudal tilt, entry\nbelow the crease)",
        color=OKABE_ITO["orange"],
        fontsize=8,
    )
    ax2.set_title("Sagittal (anterior left, cranial up)", fontsize=10)
    ax2.set_xlim(-95, 40)
    ax2.set_ylim(-55, 60)
    fig.tight_layout()
    return fig


def approaches_alt() -> str:
    return (
        "Two schematics. Left, an axial slice with anterior up: approach A, a blue solid line, goes straight "
        "down from the front onto the femoral head, lateral to a red dot marking the femoral artery; approach "
        "C, a green dashed line, comes in from the lateral side. Right, a sagittal view with anterior to the "
        "left: approach A runs horizontally into the head-neck junction; approach B, an orange dash-dot line, "
        "comes up from below at about 30 degrees, its skin entry below the inguinal crease, along the beam of a "
        "caudally tilted C-arm."
    )


# --- ICM 2018 score bar ----------------------------------------------------------------------------
SHORT_LABELS = {
    "serum_crp_or_ddimer": "CRP/D-dimer",
    "serum_esr": "ESR",
    "synovial_wbc_or_le": "WBC/LE",
    "alpha_defensin": "alpha-defensin",
    "synovial_pmn": "PMN%",
    "synovial_crp": "syn. CRP",
}


def pji_score_figure(**findings: bool) -> Figure:
    """Stacked bar of the pre-operative 2018 score against its bands."""
    result = model.icm2018_preop_score(**findings)
    fig, ax = plt.subplots(figsize=(7.5, 2.3))
    bands = (
        (0, 2, "0-1 not", OKABE_ITO["sky"], ""),
        (2, 6, "2-5 possibly infected", OKABE_ITO["yellow"], "//"),
        (6, 14, "6 or more: infected", OKABE_ITO["vermillion"], "xx"),
    )
    for lo, hi, label, colour, hatch in bands:
        ax.barh(1, hi - lo, left=lo, color=colour, hatch=hatch, edgecolor="black", height=0.6)
        ax.text(
            (lo + hi) / 2,
            1,
            label,
            ha="center",
            va="center",
            fontsize=8,
            bbox=dict(LABEL_BOX),
        )
    left = 0
    crit = {c.key: c for c in model.ICM2018_PREOP}
    for key, on in findings.items():
        if on:
            w = crit[key].weight
            ax.barh(0, w, left=left, color=BONE, edgecolor="black", height=0.6)
            ax.text(
                left + w / 2,
                0,
                f"{SHORT_LABELS.get(key, key)} {w}",
                ha="center",
                va="center",
                fontsize=7,
            )
            left += w
    ax.axvline(result.score, color="black", lw=2)
    ax.text(result.score + 0.1, -0.55, f"score {result.score}: {result.category}", fontsize=9)
    ax.set_yticks([0, 1], ["this patient", "bands"])
    ax.set_xlim(0, 14)
    ax.set_ylim(-0.8, 1.5)
    ax.set_xlabel("2018 definition, pre-operative minor-criteria score")
    fig.tight_layout()
    return fig


def pji_score_alt(**findings: bool) -> str:
    r = model.icm2018_preop_score(**findings)
    return (
        f"Horizontal bars: the upper bar shows the bands of the 2018 pre-operative score, 0-1 not infected, "
        f"2-5 possibly infected, 6 or more infected; the lower bar stacks this patient's criteria "
        f"({'; '.join(r.counted) or 'none'}) to a total of {r.score}, marked by a vertical line in the "
        f"'{r.category}' band."
    )


# --- the simulator: one projection cannot show depth -----------------------------------------------
def depth_frames(pixels: int = 192, seed: int = 3):
    """Four simulator frames: needle short of the joint vs at bone contact, each AP and 25 degrees oblique.

    Uses only the public simulator API (Scene, CArm, Needle, render).
    """
    from fluorohip.fluoro import CArm, Needle, Scene, render

    out = []
    for depth_label, shorten in (("short of the capsule", 25.0), ("at bone contact", 0.0)):
        scene = Scene()
        t = scene.phantom.target_point()
        needle = Needle.anterior(scene.phantom, x_mm=t[0], z_mm=t[2], depth_mm=89)
        full = scene.set_needle(needle)  # stops at bone contact
        if full is None:  # set_needle answers None only when given no needle
            raise RuntimeError("the simulator placed no needle")
        tip = (
            scene.set_needle(full.needle.with_depth(full.needle.depth_mm - shorten))
            if shorten
            else full
        )
        for view, rot in (("AP", 0.0), ("25° oblique", 25.0)):
            frame = render(
                scene, CArm(pixels=pixels, rotation_deg=rot), pps=6, noise="none", seed=seed
            )
            out.append((depth_label, view, frame, tip))
    return out


def depth_figure(pixels: int = 192) -> Figure:
    frames = depth_frames(pixels)
    fig, axes = plt.subplots(2, 2, figsize=(6.4, 6.6))
    for ax, (depth_label, view, frame, tip) in zip(axes.flat, frames):
        ax.imshow(frame.image, cmap="gray", vmin=0, vmax=255)
        ax.set_title(
            f"{view}: tip {depth_label}\n(classified: {tip.label if tip else 'none'})", fontsize=9
        )
        ax.axis("off")
    fig.suptitle("Virtual fluoroscope: the AP view hides depth", fontsize=11)
    fig.tight_layout()
    return fig


def depth_alt(pixels: int = 192) -> str:
    parts = []
    for depth_label, view, _frame, tip in depth_frames(pixels):
        parts.append(f"{view}, needle {depth_label} (tip {tip.label if tip else 'not placed'})")
    return (
        "Four simulated fluoroscopy frames of a right hip with an anterior needle: "
        + "; ".join(parts)
        + ". In the two AP frames the needle projects as a dot over the head-neck junction whether or not it "
        "has reached bone; in the oblique frames the shaft is seen along its length and the gap between the "
        "short tip and the bone becomes visible."
    )
