"""An ipywidgets ``Image`` with a text alternative.

ipywidgets 8 puts a widget's ``tooltip`` on the page as its ``title``, but only for widgets that
have a ``description`` (its code reads ``description.length``; on a plain ``Image``, which has
none, setting ``tooltip`` throws in the browser and no title appears). ``DescribedImage`` adds an
empty synced ``description``, so ``tooltip`` becomes the ``<img>``'s title, and the course's
front-end extension (``src/fluorohip/labextension``) copies it to ``alt``: the text a screen
reader reads for the picture.
"""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Unicode


class DescribedImage(widgets.Image):
    """``Image`` whose ``tooltip`` is its text alternative (title, and alt via the extension)."""

    description = Unicode("", help="Kept empty: lets ipywidgets show the tooltip as title.").tag(
        sync=True
    )
