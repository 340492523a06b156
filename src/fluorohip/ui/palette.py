"""The course's one colour palette: Okabe & Ito's eight colours, safe for the common colour-vision
deficiencies and distinct in greyscale print when paired with markers or line styles.

Every figure and widget takes its colours from here (never a hex code of its own), so a colour
means the same thing in every chapter. Text never relies on colour alone: figures label lines and
regions directly.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "BONE",
    "FEEDBACK_TEXT",
    "FOCUS_RING",
    "LABEL_BOX",
    "LIGHT_GREY",
    "OKABE_ITO",
    "OKABE_ITO_LIST",
    "SOFT_GREY",
]

#: Okabe & Ito (2008) colour-universal-design palette, by name.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky": "#56B4E9",
        "green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "purple": "#CC79A7",
    }
)
#: The same eight colours in Okabe & Ito's order, for cycling through series.
OKABE_ITO_LIST: tuple[str, ...] = tuple(OKABE_ITO.values())
#: Bone in line drawings: a light grey that prints and leaves labels readable.
BONE = "#D9D9D9"
#: A neutral grey for reference lines and de-emphasised marks.
SOFT_GREY = "#999999"
#: A lighter grey for background point clouds behind data (the joint in a debrief plot).
LIGHT_GREY = "#bbbbbb"
#: Quiz feedback text on white, each at least 4.5:1 contrast (WCAG AA); the verdict is also
#: written out in words, so colour is never the only cue.
FEEDBACK_TEXT = MappingProxyType(
    {"correct": "#1a7f37", "incorrect": "#b35900", "invalid": "#444444", "info": "#444444"}
)
#: Keyboard focus ring: 7.0:1 on white; a ring, not a colour-only cue.
FOCUS_RING = "#1f5fbf"
#: The box drawn behind a label placed on a figure, so it reads over any background.
LABEL_BOX = MappingProxyType(
    {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.3", "lw": 0.6, "alpha": 0.95}
)
