"""A metal hip prosthesis for the phantom's ``prosthesis`` variant (resurfacing type).

Why this shape: a resident meets metal on fluoroscopy as a patient with a hip replacement
(and aspiration or injection of a replaced hip is a real request). The bone surfaces of the
phantom are one adult's intact femur, so the prosthesis that fits them without cutting the
mesh is a *resurfacing* arthroplasty: a metal cap over the femoral head whose short stem
runs down the centre of the neck, against a thin metal acetabular cup. A stemmed total hip
replacement (head resected, long stem in the femoral canal) is not modelled; the simulator
says so in :attr:`.phantom.HipPhantom.bone_note`.

Materials and sizes: cobalt-chromium components are drawn as stainless steel (the phantom's
one metal, ``mu_steel_per_cm``; CoCr is denser still, so the metal is if anything too faint).
The cap takes the place of the head's cortex (``cortex_mm`` thick), the stem sits in
cancellous bone, and the cup fills the modelled joint space apart from a thin bearing gap, its
opening facing inferolaterally and anteriorly (``cup_inclination_deg``,
``cup_anteversion_deg``); these are modelling choices flagged in :mod:`.constants`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .constants import value
from .primitives import Convex, cylinder_between, sphere


def cup_axis() -> np.ndarray:
    """Unit normal of the cup's opening (pointing out of the socket), patient frame."""
    inc = math.radians(value("cup_inclination_deg"))
    av = math.radians(value("cup_anteversion_deg"))
    # x to the patient's left (medial for the right hip), y posterior, z cranial
    return np.array([-math.sin(inc) * math.cos(av), -math.sin(av), -math.cos(inc) * math.cos(av)])


def add_prosthesis(
    add: Callable[..., None], head_radius_mm: float, neck_axis: np.ndarray, h0_mm: float
) -> dict[str, Convex]:
    """Add the cap, stem and cup as weighted terms through ``add(prim, **weights)``.

    Weights say what the metal replaces (one material per point): the cap replaces cortical
    bone, the stem cancellous bone, the cup the soft tissue of the joint space. Returns the
    outer primitives by name (for tests and labels).
    """
    r = float(head_radius_mm)
    a = np.asarray(neck_axis, dtype=np.float64)
    cap_t = value("cortex_mm")
    cap_out = sphere((0, 0, 0), r, "prosthesis cap").clip(a, h0_mm)
    cap_in = sphere((0, 0, 0), r - cap_t).clip(a, h0_mm)
    add(cap_out, steel=1.0, cortical=-1.0)
    add(cap_in, steel=-1.0, cortical=1.0)
    rad = value("prosthesis_stem_diameter_mm") / 2.0
    # from the centre of the head down the neck: the part inside the cap's core is cancellous
    stem = cylinder_between(
        np.zeros(3),
        (h0_mm + value("prosthesis_stem_length_mm")) * a,
        (rad, rad),
        name="prosthesis stem",
    )
    add(stem, steel=1.0, cancellous=-1.0)
    gap = value("joint_space_mm")
    n = cup_axis()
    cup_out = sphere((0, 0, 0), r + gap - 0.2, "prosthesis cup").clip(n, 0.0)
    cup_in = sphere((0, 0, 0), r + 0.2).clip(n, 0.0)
    add(cup_out, steel=1.0, muscle=-1.0)
    add(cup_in, steel=-1.0, muscle=1.0)
    return {"cap": cap_out, "stem": stem, "cup": cup_out}
