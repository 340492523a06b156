"""The virtual fluoroscope: an analytic hip phantom seen through a simulated C-arm.

Physics: exact line integrals through convex quadric primitives, cone-beam geometry,
Beer-Lambert at 50 keV with Poisson quantum noise set by the dose per frame, a dose chain
per pedal press calibrated so the default 26 s procedure gives the published mean DAP
(20.4 µGy·m²) [@TrainingLevelDose2017], a needle with tip classification and contrast
patterns that follow the tip's compartment. Every number lives in :mod:`.constants` with
its citation key or an ``assumption`` flag; shared anatomy comes from
:mod:`fluorohip.anatomy`.

Usage (a notebook cell or two)::

    from fluorohip.fluoro import Scene, CArm, Needle, render, classify_tip, FluoroscopeWidget
    scene = Scene()                                   # adult male hip, BMI 25
    target = scene.phantom.target_point()             # lateral head-neck junction, in the joint
    needle = Needle.anterior(scene.phantom, x_mm=target[0], z_mm=target[2], depth_mm=89)
    tip = scene.set_needle(needle)                    # stops at bone contact
    print(tip.label, "-", tip.feedback)               # intra-articular - ...
    scene.inject(volume_ml=2.0)                       # pattern follows the tip
    frame = render(scene, CArm(pixels=512), pps=6, seed=1)
    frame.image, frame.description()                  # uint8 image (bone dark), alt text
    FluoroscopeWidget()                               # interactive: angles, pedal, inject, dose

``contrast_gallery()`` renders the five contrast patterns side by side.
"""

import lazy_loader as lazy

from .constants import CONSTANTS, citation_keys
from .contrast import PATTERNS
from .dose import DoseLedger, exposure, pulse_factor
from .geometry import CArm
from .needle import LABELS, Needle, TipResult, classify_point, place
from .phantom import HipPhantom
from .scene import Frame, Scene, render
from .session import FluoroSession


def classify_tip(scene: Scene) -> TipResult | None:
    """Label of the needle tip in ``scene`` (intra-articular, capsular, bursal, ...)."""
    return scene.tip()


def contrast_gallery(pixels: int = 256, volume_ml: float = 2.0, seed: int = 0) -> dict[str, Frame]:
    """One frame per contrast pattern, each injected at a tip placed in that compartment."""
    import numpy as np

    from . import contrast as _c

    out = {}
    carm = CArm(pixels=pixels)
    ph = HipPhantom()
    tips = {
        "intra-articular": ph.target_point(),
        "capsular": ph.target_point() * (ph.capsule_radius_mm / np.linalg.norm(ph.target_point())),
        "bursal": ph.bursa.quadrics[0].c,
        "intramuscular": np.array([-30.0, -60.0, 10.0]),
        "intravascular": ph.artery.quadrics[0].c * np.array([1, 1, 0]),
    }
    for pattern, tip in tips.items():
        scene = Scene(ph)
        scene.deposits.extend(_c.inject(ph, tip, pattern, volume_ml, seed=seed))
        out[pattern] = render(scene, carm, seed=seed)
    return out


# The widget (ipywidgets) loads on first use, keeping it out of the pure models' import path.
__getattr__, __dir__, _ = lazy.attach(__name__, submod_attrs={"widget": ["FluoroscopeWidget"]})


__all__ = [
    "CONSTANTS",
    "LABELS",
    "PATTERNS",
    "CArm",
    "DoseLedger",
    "FluoroSession",
    "FluoroscopeWidget",
    "Frame",
    "HipPhantom",
    "Needle",
    "Scene",
    "TipResult",
    "citation_keys",
    "classify_point",
    "classify_tip",
    "contrast_gallery",
    "exposure",
    "place",
    "pulse_factor",
    "render",
]
