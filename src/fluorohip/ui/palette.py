"""The course's one colour palette: Okabe & Ito's eight colours, safe for the common colour-vision
deficiencies and distinct in greyscale print when paired with markers or line styles.

Every figure and widget takes its colours from here (never a hex code of its own), so a colour
means the same thing in every chapter. Text never relies on colour alone: figures label lines and
regions directly.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["BONE", "LABEL_BOX", "OKABE_ITO", "OKABE_ITO_LIST", "SOFT_GREY"]

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
#: The box drawn behind a label placed on a figure, so it reads over any background.
LABEL_BOX = MappingProxyType(
    {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.3", "lw": 0.6, "alpha": 0.95}
)
