"""Whole-text fallbacks for our composite widgets.

ipywidgets cuts a widget's ``text/plain`` fallback at 110 characters ("…"). That text is
what a stored notebook shows where widgets cannot render (GitHub, an untrusted notebook)
and what nbval compares, so a course widget's one-line summary must arrive whole.
"""

from __future__ import annotations


class FullTextRepr:
    """Mixin for an ipywidgets class whose ``__repr__`` is a stable, readable summary."""

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]  # ipywidgets.Widget, by MRO
        if data is not None:
            data["text/plain"] = repr(self)
        return data
