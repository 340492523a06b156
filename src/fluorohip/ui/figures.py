"""How every matplotlib figure reaches the page: an ``<img>`` with alt text inside a ``<figure>``
whose ``<figcaption>`` holds the long description.

Why: JupyterLab's and Voila's image renderer writes an ``<img>`` with no ``alt`` for a figure's
``image/png`` output, and a description shown in a separate output below is not tied to the image
for a screen reader. So the course adds a ``text/html`` representation for matplotlib figures
(JupyterLab and Voila prefer HTML over PNG): the same PNG as a data URI, with

- ``alt``: a short text alternative (the first sentence of the description, or what the caller
  gives, or, for a figure nobody described, its titles and axis labels -- never nothing);
- ``<figcaption>``: "Figure description: ..." with the full description, visible to everyone.

``show_figure(fig, description)`` is the one call chapters use: it attaches the description,
displays the figure once and closes it. ``describe(fig, ...)`` only attaches (for functions that
build a figure and return it to a notebook's ``plt.show()``). ``register()`` installs the HTML
formatter in the running IPython kernel; importing :mod:`fluorohip` does it, so every chapter
gets it, also for figures shown with ``plt.show()`` or inside an ``Output`` widget.

The ``image/png`` representation stays in the live output (tools that only read PNG still work);
nbval compares the ``text/html`` with the data URI sanitised (``tests/nbval_sanitize.cfg``).
"""

from __future__ import annotations

import base64
import html
import re

ALT_ATTR = "_fluorohip_alt"
DESCRIPTION_ATTR = "_fluorohip_description"
FIGURE_CLASS = "fluorohip-figure"
#: alt text longer than this is cut at a word; the full text is in the figcaption.
ALT_MAX = 250


def short_alt(description: str, limit: int = ALT_MAX) -> str:
    """The first sentence of ``description`` (cut at a word boundary if still too long)."""
    text = " ".join(str(description).split())
    text = re.sub(r"[*_`]", "", text)  # Markdown emphasis means nothing in an alt attribute
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    first = m.group(1) if m else text
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first


def describe(fig, description: str | None = None, alt: str | None = None):
    """Attach a description (figcaption) and alt text to ``fig``; returns ``fig``."""
    if description:
        setattr(fig, DESCRIPTION_ATTR, " ".join(str(description).split()))
    if alt or description:
        setattr(fig, ALT_ATTR, " ".join(str(alt).split()) if alt else short_alt(description))
    register()  # the inline backend may have just removed the formatter (see register)
    return fig


def fallback_alt(fig) -> str:
    """For a figure nobody described: its titles and axis labels, so the image is never unnamed."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        parts.append(sup.get_text().strip())
    for ax in fig.get_axes():
        bits = [
            t for t in (ax.get_title(), ax.get_title("left"), ax.get_title("right")) if t.strip()
        ]
        labels = [lab for lab in (ax.get_xlabel(), ax.get_ylabel()) if lab.strip()]
        if labels:
            bits.append("axes: " + " vs ".join(reversed(labels)))
        if bits:
            parts.append("; ".join(bits))
    text = ". ".join(parts)
    return ("Chart: " + text) if text else "Chart (no description given)"


def alt_text(fig) -> str:
    return getattr(fig, ALT_ATTR, None) or fallback_alt(fig)


def _png_bytes(fig) -> bytes:
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, "png", bbox_inches="tight")


def figure_html(fig, png: bytes | None = None) -> str | None:
    """``<figure><img alt src=data:...><figcaption>`` for ``fig``."""
    png = png if png is not None else _png_bytes(fig)
    if not png:  # an empty figure: nothing to show, as the PNG formatter does
        return None
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    alt = html.escape(alt_text(fig), quote=True)
    desc = getattr(fig, DESCRIPTION_ATTR, None)
    caption = (
        (
            f'<figcaption class="fluorohip-figcaption"><em>Figure description:</em> '
            f"{html.escape(desc)}</figcaption>"
        )
        if desc
        else ""
    )
    return (
        f'<figure class="{FIGURE_CLASS}" style="margin:0.5em 0">'
        f'<img src="{src}" alt="{alt}" style="max-width:100%;height:auto">{caption}</figure>'
    )


def show_figure(fig, description: str | None = None, alt: str | None = None) -> None:
    """Display ``fig`` once with its alt text and description, then close it (no second copy
    from the inline backend at the end of the cell). Returns nothing, so nothing is echoed."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    describe(fig, description, alt)
    display(fig)
    plt.close(fig)


def _shell(ip=None):
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        ip = get_ipython()
    return ip if ip is not None and hasattr(ip, "display_formatter") else None


def _install(ip) -> None:
    from matplotlib.figure import Figure

    html_formatter = ip.display_formatter.formatters["text/html"]
    if html_formatter.type_printers.get(Figure) is not figure_html:
        html_formatter.for_type(Figure, figure_html)


def register(ip=None) -> bool:
    """Install the HTML figure formatter in the running IPython shell (idempotent).
    Returns False outside IPython.

    matplotlib's inline backend, when it switches on (the first figure of a kernel, or
    ``%matplotlib inline``), removes every formatter registered for ``Figure``. So the formatter
    is also put back before each cell runs and after each cell (our ``post_execute`` hook is
    registered before the backend's own, so it runs before the backend shows the cell's figures),
    and whenever a figure is described or shown through this module."""
    ip = _shell(ip)
    if ip is None:
        return False
    if not getattr(ip, "_fluorohip_figure_hooks", False):
        # Let the backend switch on now (it clears Figure formatters when it does), so the
        # formatter installed below also serves a figure shown in the very same cell.
        try:
            import matplotlib.pyplot as plt

            plt._get_backend_mod()
        except Exception:
            pass
    _install(ip)
    if not getattr(ip, "_fluorohip_figure_hooks", False):
        ip.events.register("pre_run_cell", lambda *args: _install(ip))
        ip.events.register("post_execute", lambda: _install(ip))
        ip._fluorohip_figure_hooks = True
    return True
