"""Markdown from banks to HTML that cannot run script in the learner's browser.

markdown-it-py with raw HTML disabled: ``<script>`` or ``<img onerror=...>`` in a bank is shown
as text. Its default link check refuses ``javascript:``, ``vbscript:``, ``file:`` and
non-image ``data:`` URLs. Citations ``[@Key]`` become the entry's short label, e.g.
"(Hoeber et al. 2016)".
"""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..core.bibliography import CITATION_PATTERN, load_bibliography

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@lru_cache(maxsize=1)
def bibliography() -> dict[str, dict]:
    """The course bibliography, or {} if it cannot be read (validate reports that)."""
    try:
        return dict(load_bibliography())
    except Exception:
        return {}


def cite_labels(text: str, bib: dict[str, dict] | None = None) -> str:
    bib = bibliography() if bib is None else bib

    def label(match) -> str:
        entry = bib.get(match.group(1))
        return (
            f"({entry['short']})" if entry and entry.get("short") else f"(source {match.group(1)})"
        )

    return CITATION_PATTERN.sub(label, text or "")


def markdown_html(text: str, bib: dict[str, dict] | None = None, inline: bool = False) -> str:
    """Safe HTML for one Markdown text; ``inline`` drops the surrounding paragraph."""
    source = cite_labels(text, bib)
    return _MD.renderInline(source) if inline else _MD.render(source)


def citation_keys(texts: Iterable[str], listed: Iterable[str] = ()) -> list[str]:
    """Keys from a ``citations:`` list and from ``[@Key]`` markers, in order, no repeats."""
    seen: dict[str, None] = dict.fromkeys(listed)
    for text in texts:
        for key in CITATION_PATTERN.findall(text or ""):
            seen.setdefault(key, None)
    return list(seen)


def sources_html(keys: Iterable[str], bib: dict[str, dict] | None = None) -> str:
    bib = bibliography() if bib is None else bib
    items = []
    for key in keys:
        entry = bib.get(key) or {}
        short = html.escape(str(entry.get("short", key)))
        full = html.escape(str(entry.get("citation", "")).strip())
        items.append(f"<li><b>{short}</b>{': ' + full if full else ''}</li>")
    if not items:
        return ""
    return f"<div><b>Sources</b><ul>{''.join(items)}</ul></div>"


def figure_html(assets_root: Path, figure: str, alt: str) -> str:
    """An <img> with real alt text, embedded so it shows without a file server."""
    path = Path(assets_root) / figure
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return f"<p><i>[Figure missing: {html.escape(figure)}] {html.escape(alt)}</i></p>"
    return (
        f'<img src="data:{mime};base64,{data}" alt="{html.escape(alt.strip(), quote=True)}" '
        'style="max-width:100%;height:auto;border:1px solid #767676"/>'
    )
