"""The course bibliography for the Sphinx website: ``assets/references.yaml`` (which stays the
one source) as BibTeX for sphinxcontrib-bibtex and as CSL-JSON for reference managers, and the
notebooks' citations as ``{cite:p}`` roles."""

from __future__ import annotations

import json
import re

from ..core.bibliography import CITATION_PATTERN

#: Characters pybtex would read as LaTeX (a group, a command, a comment), made harmless.
BIB_FIELD_CHARS = str.maketrans(
    {
        "{": "(",
        "}": ")",
        "\\": "/",
        "%": " percent",
        "#": "No.",
        "~": "-",
        "&": "and",
        "$": " ",
        "^": " ",
        "_": "-",
    }
)
KEY = r"[A-Za-z0-9_\-:.]+"
#: A run of citation markers (e.g. two keys separated by "; ") that becomes one role.
CITATION_RUN = re.compile(r"\[@" + KEY + r"\](?:[ \t]*[;,]?[ \t]*\[@" + KEY + r"\])*")
#: A notebook's rendered citation run: "([Label](#ref-Key); [Label](#ref-Author2020))"
#: (bibliography.render_citation_links).
RENDERED_RUN = re.compile(
    r"\((\[[^\]\n]*\]\(#ref-" + KEY + r"\)(?:\s*;\s*\[[^\]\n]*\]\(#ref-" + KEY + r"\))*)\)"
)


def _bib_value(text: object) -> str:
    """A BibTeX field value that cannot open a group or a command (pybtex reads LaTeX)."""
    return " ".join(str(text).translate(BIB_FIELD_CHARS).split())


def bibtex(bib: dict[str, dict]) -> str:
    """``references.yaml`` as BibTeX ``@misc`` entries: the full citation as the title, the
    author-year label as the sort key, and the identifiers as fields."""
    entries = []
    for key, entry in bib.items():
        if not CITATION_PATTERN.fullmatch(f"[@{key}]"):
            raise ValueError(f"references.yaml: key {key!r} is not a citation key")
        # howpublished, not title: the style would sentence-case a title ("Abdulai a-r, banyeh m")
        fields = {
            "howpublished": _bib_value(entry.get("citation", "")),
            "key": _bib_value(entry.get("short", key)),
        }
        if entry.get("year"):
            fields["year"] = _bib_value(entry["year"])
        if entry.get("doi"):
            fields["doi"] = _bib_value(entry["doi"])
        if entry.get("url"):
            fields["url"] = _bib_value(entry["url"])
        if entry.get("pmid"):
            fields["note"] = f"PMID {_bib_value(entry['pmid'])}"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        entries.append(f"@misc{{{key},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def csl_json(bib: dict[str, dict]) -> str:
    """The same bibliography as CSL-JSON, for reference managers (offered as a download)."""
    items = []
    for key, entry in bib.items():
        item: dict[str, object] = {
            "id": key,
            "type": "article",
            "title": str(entry.get("citation", "")),
            "citation-label": str(entry.get("short", key)),
        }
        if entry.get("year"):
            item["issued"] = {"date-parts": [[int(entry["year"])]]}
        for field in ("doi", "url", "pmid"):
            if entry.get(field):
                item[field.upper() if field != "url" else "URL"] = str(entry[field])
        items.append(item)
    return json.dumps(items, indent=1, ensure_ascii=False) + "\n"


def _role(keys: list[str]) -> str:
    return "{cite:p}`" + ",".join(keys) + "`"


def cite_roles(markdown: str) -> str:
    """Citations become ``{cite:p}`` roles: ``[@Key]`` marker runs and the notebooks' rendered runs
    ``([Label](#ref-Key); [Label](#ref-Author2020))``. Code spans and fenced blocks are left alone."""

    def convert(part: str) -> str:
        part = CITATION_RUN.sub(lambda m: _role(CITATION_PATTERN.findall(m.group(0))), part)
        return RENDERED_RUN.sub(
            lambda m: _role(re.findall(r"\(#ref-(" + KEY + r")\)", m.group(1))), part
        )

    parts = re.split(r"(```.*?```|`[^`\n]*`)", markdown, flags=re.DOTALL)
    return "".join(p if i % 2 else convert(p) for i, p in enumerate(parts))
