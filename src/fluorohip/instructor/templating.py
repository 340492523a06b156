"""Jinja2 for the instructor's HTML (class report, answer key): autoescape on, so every value
from a hand-in or a bank is text, never markup.

Why Jinja2: the report used to be f-strings with ``html.escape`` at each of ~60 call sites; one
forgotten call would have let a learner's hand-in put live script in the instructor's browser.
With autoescape the safe default is the only default; the few pieces that *are* HTML (a
rendered sub-template, Markdown from the quiz engine's safe renderer with raw HTML off) are
marked with :class:`markupsafe.Markup` where they are made. Jinja2 ships with JupyterLab.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

__all__ = ["Markup", "environment", "render"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("fluorohip.instructor", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "j2"), default=True, default_for_string=True
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(template: str, **context: object) -> Markup:
    """Render ``templates/<template>``; the result is HTML (Markup), safe to embed in another template."""
    return Markup(environment().get_template(template).render(**context))
