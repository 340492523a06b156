"""Images for case stages: virtual-fluoroscope frames and pain-diary plots, as PNG bytes plus alt text.

Frames come from :mod:`fluorohip.fluoro` (256 px, fixed seed, so the same case always shows
the same image); diaries from :mod:`fluorohip.interpretation` and its plot.
"""

from __future__ import annotations

import io
from functools import lru_cache

from .model import IMAGE_PIXELS, DiaryImage, FluoroImage


@lru_cache(maxsize=8)
def _gallery(seed: int):
    from ..fluoro import contrast_gallery

    return contrast_gallery(pixels=IMAGE_PIXELS, seed=seed)


def fluoro_frame(spec: FluoroImage):
    """The frame for ``spec``: a contrast pattern from the simulator's gallery, or the needle at the target."""
    from ..fluoro import CArm, HipPhantom, Needle, Scene, render

    if spec.contrast != "none":
        return _gallery(spec.seed)[spec.contrast]
    phantom = HipPhantom(bmi=spec.bmi)
    scene = Scene(phantom)
    if spec.needle:
        target = phantom.target_point()
        reach_mm = 200.0  # long enough for any habitus; the needle stops at bone contact
        scene.set_needle(
            Needle.anterior(
                phantom,
                x_mm=float(target[0]),
                z_mm=float(target[2]),
                depth_mm=reach_mm,
                length_mm=reach_mm,
            )
        )
    return render(scene, CArm(pixels=IMAGE_PIXELS), seed=spec.seed)


def _png(image) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def pain_diary(spec: DiaryImage):
    from ..interpretation import validate_diary

    diary = validate_diary(spec.pre_score, spec.readings, spec.anaesthetic)
    return type(diary)(
        pre_score=diary.pre_score,
        readings=diary.readings,
        anaesthetic=diary.anaesthetic,
        steroid=spec.steroid,
        title=spec.title,
    )


def image_png(spec: FluoroImage | DiaryImage) -> tuple[bytes, str]:
    """PNG bytes and alt text for a stage image."""
    if isinstance(spec, FluoroImage):
        frame = fluoro_frame(spec)
        return _png(frame.image), frame.description()
    import matplotlib.pyplot as plt

    from ..interpretation_views import diary_alt_text, plot_diary

    diary = pain_diary(spec)
    fig = plot_diary(diary, figsize=(7, 3.5))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return buf.getvalue(), diary_alt_text(diary)
