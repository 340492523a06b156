"""Figures of chapter 05: the five test-contrast patterns rendered by the virtual fluoroscope,
and the lettered version the quiz's label question shows (written to ``assets/figures``).

Same renderer, needle and 3-D contrast model as the chapter's gallery and exercise
(:mod:`fluorohip.fluoro.gallery`), so the learner sees in the quiz what the simulator showed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from fluorohip.core.paths import project_root

__all__ = [
    "LABEL_FIGURE",
    "LABEL_ORDER",
    "pattern_gallery_alt_text",
    "plot_pattern_gallery",
    "save_label_figure",
]

#: Letter order on the label figure (A-E); the bank's answer key follows it.
LABEL_ORDER = ["bursal", "intra-articular", "intravascular", "capsular", "intramuscular"]
LABEL_FIGURE = Path("assets/figures/05_contrast_patterns_label.png")


def plot_pattern_gallery(pixels: int = 256, letters: bool = False) -> Figure:
    """The five contrast patterns rendered by the simulator, side by side (same seed, same image).

    Same renderer, needle and 3-D contrast model as the chapter's gallery and exercise
    (:mod:`fluorohip.fluoro.gallery`), imaged during the injection so the vessel still shows.
    """
    from fluorohip.fluoro import CArm, render
    from fluorohip.fluoro.gallery import pattern_scenes

    carm = CArm(pixels=pixels, field_mode="mag")
    frames = {}
    for name, (sc, t) in pattern_scenes(volume_ml=2.0, seed=0).items():
        sc.time_s = t
        frames[name] = render(sc, carm, seed=0)
    order = LABEL_ORDER if letters else list(frames)
    fig, axes = plt.subplots(1, 5, figsize=(12.5, 3.2))
    for k, (ax, name) in enumerate(zip(axes, order)):
        ax.imshow(frames[name].image, cmap="gray", vmin=0, vmax=255)
        ax.set_xticks([])
        ax.set_yticks([])
        if letters:
            ax.text(
                0.06,
                0.94,
                "ABCDE"[k],
                transform=ax.transAxes,
                fontsize=16,
                fontweight="bold",
                color="white",
                va="top",
                ha="left",
                bbox=dict(boxstyle="circle", facecolor="black", edgecolor="white"),
            )
        else:
            ax.set_title(name, fontsize=11)
    fig.tight_layout()
    return fig


def pattern_gallery_alt_text() -> str:
    return (
        "Five simulated fluoroscopy frames of the same right hip (magnified field, bone dark, a spinal needle seen "
        "end-on as a small ring), each during 2 mL of contrast with the tip in a different place. Intra-articular: "
        "a thin rim round the femoral head and bands along the neck recesses with a narrow waist mid-neck. "
        "Capsular: a dense oval blob at the tip over the lateral neck, no outline of the joint. Bursal: a dense sac "
        "over the medial head, in front of the joint. Intramuscular: thin feathery streaks running cranio-caudally "
        "at the tip. Intravascular: a thin wavy column with branches running down over the medial head; on a real "
        "screen such contrast vanishes within seconds."
    )


def save_label_figure(path: Path | str | None = None, pixels: int = 192) -> Path:
    """Write the lettered gallery used by the bank's label question (deterministic PNG)."""
    out = Path(path) if path is not None else project_root() / LABEL_FIGURE
    fig = plot_pattern_gallery(pixels, letters=True)
    fig.savefig(out, dpi=80, metadata={"Software": None})
    plt.close(fig)
    return out
