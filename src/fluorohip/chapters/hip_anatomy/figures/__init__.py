"""Matplotlib drawings for notebook 01, one module per drawing, built from the chapter's geometry.

Every drawn structure carries a ``gid`` equal to its structure id (its on-figure label the gid
``label:<id>``; see :mod:`.labels`), so tests can check that what a figure promises is on it.
Colours come from :mod:`fluorohip.ui.palette`; every structure also differs by line style,
hatch or marker so the figures read in greyscale. Each figure has an ``*_alt_text`` function
and attaches it as its description (:func:`fluorohip.ui.figures.describe`), so
``show_figure(figures.coronal_section())`` shows it with alt text. The drawings are schematics
with cited proportions, not images of a patient.
"""

from __future__ import annotations

from .anterior import ANTERIOR_CONTENTS_X, ANTERIOR_LANDMARKS, anterior_alt_text, anterior_view
from .bones import femur_outline, joint_space_profile, shentons_arc
from .coronal import coronal_alt_text, coronal_section
from .labels import drawn_structures, labelled_structures, markers
from .needle_depth import depth_chart, depth_chart_alt_text
from .radiograph import (
    LETTER_OFFSETS,
    LETTERED_JSON,
    LETTERED_PNG,
    ap_alt_text,
    ap_radiograph,
    write_lettered_figure,
)

__all__ = [
    "ANTERIOR_CONTENTS_X",
    "ANTERIOR_LANDMARKS",
    "LETTERED_JSON",
    "LETTERED_PNG",
    "LETTER_OFFSETS",
    "anterior_alt_text",
    "anterior_view",
    "ap_alt_text",
    "ap_radiograph",
    "coronal_alt_text",
    "coronal_section",
    "depth_chart",
    "depth_chart_alt_text",
    "drawn_structures",
    "femur_outline",
    "joint_space_profile",
    "labelled_structures",
    "markers",
    "shentons_arc",
    "write_lettered_figure",
]
