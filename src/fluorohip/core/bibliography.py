"""The course bibliography: one YAML file of sources, cited as ``[@Key]`` everywhere.

Why one file: a clinical number must point at a source a resident can look up, and a key
typed in a notebook, a question bank or a case must resolve to exactly one entry. Tests and
``fluorohip validate`` use :func:`find_citations` and :func:`validate_bibliography` to
enforce that; notebooks end with :func:`references_markdown`, generated from this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .paths import bibliography_file
from .problems import Problem
from .yamlread import ContentFileError, load_yaml_file

#: ``[@Key]`` in Markdown and in question banks. Keys are author-year style (``Hoeber2016``).
CITATION_PATTERN = re.compile(r"\[@([A-Za-z0-9_\-:.]+)\]")
#: Either form; what checks of notebooks use.
ANY_CITATION_PATTERN = re.compile(r"\[@([A-Za-z0-9_\-:.]+)\]|\]\(#ref-([A-Za-z0-9_\-:.]+)\)")
#: A run of adjacent ``[@Key]`` markers, rendered together as one parenthesis.
_MARKER_RUN = re.compile(r"\[@[A-Za-z0-9_\-:.]+\](?:[ \t]*[;,]?[ \t]*\[@[A-Za-z0-9_\-:.]+\])*")

#: What ``url`` and ``doi`` may hold: a web address (http/https only: never ``javascript:``,
#: ``data:`` or a bare path) and a DOI ``10.<registrant>/<suffix>`` (optionally as a doi.org address).
URL_PATTERN = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[^\s<>\"'`\\]+$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-:.]+$")
#: A reference's text must not carry markup: it reaches notebook Markdown cells and the site.
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]|javascript\s*:|&#|&[A-Za-z]+;", re.IGNORECASE)

REQUIRED_FIELDS = ("short", "citation")
ALLOWED_FIELDS = {
    "short",
    "citation",
    "year",
    "doi",
    "pmid",
    "pmc",
    "url",
    "isbn",
    "facts_id",
    "authors_pending",
    "note",
}


class BibliographyError(ValueError):
    """The bibliography file cannot be read at all (missing or not YAML)."""


def load_bibliography(path: Path | str | None = None) -> dict[str, dict]:
    """Return ``{key: fields}``. Raises :class:`BibliographyError` with the file named."""
    path = Path(path) if path is not None else bibliography_file()
    if not path.exists():
        raise BibliographyError(f"{path.name}: bibliography file not found")
    try:
        data = load_yaml_file(path, path.name)  # bounded: no aliases/tags, size and depth caps
    except ContentFileError as exc:
        raise BibliographyError(str(exc)) from None
    if not isinstance(data, dict):
        raise BibliographyError(f"{path.name}: expected a mapping of citation keys to entries")
    return data


def find_citations(text: str) -> list[str]:
    """Citation keys in ``text`` (``[@Key]`` or rendered), in order of first use, without repeats."""
    seen: dict[str, None] = {}
    for marker, rendered in ANY_CITATION_PATTERN.findall(text or ""):
        seen.setdefault(marker or rendered, None)
    return list(seen)


def render_citation_links(markdown: str, bib: dict[str, dict] | None = None) -> str:
    """Turn adjacent ``[@Key]`` markers into one parenthesis of readable links for a notebook,
    e.g. ``(Hoeber et al. 2016; Singh et al. 2014)``, each linking to ``#ref-<Key>``.

    Why: Jupyter renders Markdown as written, so a resident would otherwise read raw keys.
    The key stays in the link target, so checks still find it and the link jumps to the
    References cell. Code spans and fenced blocks are left alone.
    """
    bib = bib if bib is not None else load_bibliography()

    def render_run(match: re.Match) -> str:
        keys = CITATION_PATTERN.findall(match.group(0))
        return (
            "(" + "; ".join(f"[{markdown_text(short_label(k, bib))}](#ref-{k})" for k in keys) + ")"
        )

    parts = re.split(r"(```.*?```|`[^`\n]*`)", markdown, flags=re.DOTALL)
    return "".join(p if i % 2 else _MARKER_RUN.sub(render_run, p) for i, p in enumerate(parts))


def short_label(key: str, bib: dict[str, dict] | None = None) -> str:
    """The author-year label a learner reads, e.g. ``Hoeber et al. 2016``."""
    bib = bib if bib is not None else load_bibliography()
    entry = bib.get(key)
    return entry["short"] if entry else f"unknown source {key}"


def replace_citations(text: str, bib: dict[str, dict] | None = None) -> str:
    """Turn ``[@Key]`` markers into readable ``(Author et al. Year)`` labels."""
    bib = bib if bib is not None else load_bibliography()
    return CITATION_PATTERN.sub(
        lambda m: f"({markdown_text(short_label(m.group(1), bib))})", text or ""
    )


def markdown_text(value: object) -> str:
    """``value`` as inert Markdown text, whatever renders it (Jupyter, nbconvert, mystmd).

    ``<`` and ``>`` become entities (no tag, no autolink), an ``&`` that would start an entity
    becomes ``&amp;`` (no ``&lt;script&gt;`` trick), and a ``]`` that would close a link text or
    label before ``(``, ``[`` or ``:`` is backslash-escaped (no link, so no ``javascript:``
    target). Plain citations come out unchanged, so existing References cells do not change.
    """
    text = (
        " ".join(str(value).split()) if "\n" in str(value) else str(value)
    )  # a newline could start a block
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)  # a backslash cannot escape our escapes
    return re.sub(
        r"\](?=\s*[(\[:])", r"\\]", text
    )  # no "](", "][" or "]:": no link, no link target


def safe_link(entry: dict) -> str:
    """The https link for an entry (doi, pmid, pmc, then url), or "" when none is safe.

    Only http(s) addresses and DOIs pass (``fluorohip validate`` refuses anything else); the
    patterns admit no whitespace, quotes, angle brackets or backslashes, so the address cannot close
    an HTML attribute or start markup (balanced parentheses, as in many DOIs, are valid Markdown).
    """
    link = ""
    doi, pmid, pmc, url = (str(entry.get(f) or "").strip() for f in ("doi", "pmid", "pmc", "url"))
    if doi:
        bare = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.IGNORECASE)
        if DOI_PATTERN.match(bare):
            link = f"https://doi.org/{bare}"
    if not link and pmid.isdigit():
        link = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if not link and re.fullmatch(r"PMC\d+", pmc):
        link = f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc}/"
    if not link and URL_PATTERN.match(url):
        link = url
    return link  # the patterns admit no space, quote, angle bracket or backslash: nothing can break out


def format_reference(key: str, entry: dict) -> str:
    """One Markdown list item: the full citation, with a link where there is an identifier.

    Every field is escaped (:func:`markdown_text`) and the link is http(s) only
    (:func:`safe_link`): a ``<script>`` or ``javascript:`` in references.yaml stays inert text.
    """
    raw = str(entry.get("citation", key)).strip()
    link = safe_link(entry)
    tail = f" [link]({link})" if link and link not in raw else ""
    short = markdown_text(entry.get("short", key))
    anchor = f'<a id="ref-{key}"></a>' if KEY_PATTERN.match(str(key)) else ""
    note = str(entry.get("note", "")).strip()
    # A source marked weak says so where a learner reads it, not only in the YAML.
    flag = f" _({markdown_text(note)})_" if note.lower().startswith("weak") else ""
    return f"- {anchor}**{markdown_text(key)}** ({short}): {markdown_text(raw)}{tail}{flag}"


def references_markdown(keys: Iterable[str], bib: dict[str, dict] | None = None) -> str:
    """The ``## References`` cell for a notebook, sorted by key so it is stable."""
    bib = bib if bib is not None else load_bibliography()
    keys = sorted(set(keys), key=str.lower)
    lines = ["## References", ""]
    if not keys:
        lines.append("This notebook cites no sources.")
    for key in keys:
        if key in bib:
            lines.append(format_reference(key, bib[key]))
        else:
            lines.append(f"- **{key}**: MISSING from assets/references.yaml")
    lines += [
        "",
        "_Generated from `assets/references.yaml` by `fluorohip refs --write`; do not edit by hand._",
    ]
    return "\n".join(lines)


def _key_lines(path: Path) -> dict[str, int]:
    """Line number of each top-level key, for problem reports."""
    lines: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.match(r"^([^\s#][^:]*):\s*$", line)
        if m:
            key = m.group(1).strip().strip("'\"")
            if key in lines:
                lines[f"{key}#dup{number}"] = number
            else:
                lines[key] = number
    return lines


def validate_bibliography(
    path: Path | str | None = None, shown_as: str | None = None
) -> list[Problem]:
    """Structural problems in the bibliography file itself."""
    path = Path(path) if path is not None else bibliography_file()
    name = shown_as or path.name
    try:
        bib = load_bibliography(path)
    except BibliographyError as exc:
        return [Problem(name, None, None, None, str(exc))]
    problems: list[Problem] = []
    where = _key_lines(path)
    for dup, dup_line in where.items():
        if "#dup" in dup:
            problems.append(
                Problem(name, dup_line, dup.split("#")[0], None, "duplicate citation key")
            )
    for key, entry in bib.items():
        line = where.get(str(key))
        if not KEY_PATTERN.match(str(key)):
            problems.append(
                Problem(
                    name,
                    line,
                    str(key),
                    None,
                    "citation key may hold only letters, digits and _ - : . (e.g. Hoeber2016)",
                )
            )
        if not isinstance(entry, dict):
            problems.append(
                Problem(name, line, str(key), None, "entry must be a mapping of fields")
            )
            continue
        problems += _link_problems(name, line, str(key), entry)
        for field in REQUIRED_FIELDS:
            if not str(entry.get(field) or "").strip():
                problems.append(
                    Problem(name, line, str(key), field, "required field is missing or empty")
                )
        for field in sorted(set(entry) - ALLOWED_FIELDS):
            problems.append(
                Problem(
                    name,
                    line,
                    str(key),
                    field,
                    f"unknown field; allowed: {', '.join(sorted(ALLOWED_FIELDS))}",
                )
            )
        if "year" in entry and not isinstance(entry["year"], int):
            problems.append(
                Problem(name, line, str(key), "year", "must be a whole number, e.g. 2016")
            )
        if not any(entry.get(f) for f in ("doi", "pmid", "pmc", "url", "isbn")):
            problems.append(
                Problem(
                    name,
                    line,
                    str(key),
                    "doi",
                    "give at least one identifier (doi, pmid, pmc, url, or isbn for a book)",
                )
            )
    return problems


def _link_problems(name: str, line: int | None, key: str, entry: dict) -> list[Problem]:
    """url must be http(s); doi a DOI; pmid digits; pmc PMC+digits; text fields no markup."""
    out = []
    url = entry.get("url")
    if url is not None and not (isinstance(url, str) and URL_PATTERN.match(url.strip())):
        out.append(
            Problem(
                name,
                line,
                key,
                "url",
                f"must be an http:// or https:// address; got {str(url)[:60]!r}",
            )
        )
    doi = entry.get("doi")
    if doi is not None:
        bare = re.sub(
            r"^(https?://(dx\.)?doi\.org/|doi:)", "", str(doi).strip(), flags=re.IGNORECASE
        )
        if not DOI_PATTERN.match(bare):
            out.append(
                Problem(
                    name,
                    line,
                    key,
                    "doi",
                    f"must be a DOI such as 10.1016/j.jpain.2016.01.001; got {str(doi)[:60]!r}",
                )
            )
    if entry.get("pmid") is not None and not str(entry["pmid"]).strip().isdigit():
        out.append(Problem(name, line, key, "pmid", "must be the PubMed number (digits only)"))
    if entry.get("pmc") is not None and not re.fullmatch(r"PMC\d+", str(entry["pmc"]).strip()):
        out.append(Problem(name, line, key, "pmc", "must look like PMC1234567"))
    for field in ("short", "citation", "note"):
        value = entry.get(field)
        if isinstance(value, str) and _MARKUP.search(value):
            out.append(
                Problem(
                    name,
                    line,
                    key,
                    field,
                    "must be plain text: no HTML tags, entities or javascript:",
                )
            )
    return out
