"""Tools for authors: execute notebooks reproducibly, regenerate reference lists, check shape.

Why here and not in a script folder: the same rules are used by ``fluorohip notebooks``,
by ``make notebooks`` and by the content tests, so there is one definition of "a
well-formed chapter" (see CONTRIBUTING.md).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .content.course_map import course_map
from .core.bibliography import (
    find_citations,
    load_bibliography,
    references_markdown,
    render_citation_links,
)
from .core.paths import notebooks_dir, project_root, quizzes_dir
from .core.problems import Problem, display_path

#: Headings every numbered chapter has, in this order (other headings may sit between them).
REQUIRED_HEADINGS = (
    "## Learning objectives",
    "## Check your understanding",
    "## Key points",
    "## References",
)
ESTIMATED_TIME = re.compile(r"\*\*Estimated time:\*\*\s*(\d+)\s*minutes", re.IGNORECASE)
OBJECTIVE_ID = re.compile(r"\*\*(\d\d\.\d+)\*\*")
REFERENCES_FOOTER = "Generated from `assets/references.yaml`"

#: Output MIME types we do not store: widget views need widget state that we strip (a view
#: without state shows "model not found" on GitHub and in Lab), so the text repr is shown.
STRIPPED_MIME = ("application/vnd.jupyter.widget-view+json",)
#: Cells tagged so are executed but stored without output (with ``nbval-ignore-output`` too).
LIVE_CHECK_TAG = "live-check"


@dataclass(frozen=True)
class Chapter:
    path: Path
    number: str  # "01"
    stem: str  # "01_hip_anatomy"
    bank: str | None = None  # the quiz bank id, which need not follow the notebook's number


def chapters(root: Path | None = None) -> list[Chapter]:
    """The learner's notebooks in course order, from the course map (instructor notebooks are not
    chapters); a notebook the map does not name is reported by ``fluorohip validate``."""
    folder = (root / "notebooks") if root else notebooks_dir()
    entries = course_map((root / "assets") if root else None)
    return [Chapter(folder / e.filename, e.number, e.stem, e.bank) for e in entries]


def all_notebooks(root: Path | None = None) -> list[Path]:
    folder = (root / "notebooks") if root else notebooks_dir()
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def markdown_text(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


SHOW_QUIZ_CALL = re.compile(r"show_quiz\(\s*[\"']([A-Za-z0-9_\-]+)[\"']")


def content_files_shown(nb) -> list[Path]:
    """Data files whose text a notebook shows: its own bank (named in the course map, or the one
    named like the notebook), every bank passed to ``show_quiz("...")`` in its code, and the case
    files when it shows the cases."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    stem = nb.metadata.get("fluorohip_stem", "")
    stems = [stem, _bank_of(stem)] + SHOW_QUIZ_CALL.findall(code)
    files = [quizzes_dir() / f"{stem}.yaml" for stem in dict.fromkeys(stems) if stem]
    if re.search(r"\bcases\.show_cases\(", code):
        files += sorted((quizzes_dir().parent / "cases").glob("*.yaml"))
    return [f for f in files if f.exists()]


def _bank_of(stem: str) -> str:
    """The bank the course map gives the notebook ``stem`` ('' if none, or no readable map)."""
    try:
        return next((e.bank or "" for e in course_map() if e.stem == stem), "")
    except (OSError, ValueError):
        return ""


def _keys_in_data_file(text: str) -> list[str]:
    keys = find_citations(text)
    keys += re.findall(
        r"^\s*-\s*([A-Za-z][A-Za-z0-9_\-]+)\s*$", _citation_list_blocks(text), flags=re.MULTILINE
    )
    keys += _inline_citation_lists(text)
    return keys


def cited_keys(nb_path: Path) -> list[str]:
    """Keys a notebook cites: its Markdown (minus its own References cell), its own bank,
    and every bank or case file it shows (see :func:`content_files_shown`)."""
    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata["fluorohip_stem"] = nb_path.stem
    text = "\n".join(
        c.source
        for c in nb.cells
        if c.cell_type == "markdown" and REFERENCES_FOOTER not in c.source
    )
    keys = find_citations(text)
    for data_file in content_files_shown(nb):
        keys += _keys_in_data_file(data_file.read_text(encoding="utf-8"))
    seen: dict[str, None] = {}
    for k in keys:
        seen.setdefault(k, None)
    return list(seen)


def _citation_list_blocks(text: str) -> str:
    """The block-style ``citations:`` lists of a bank, as text."""
    out, inside, indent = [], False, 0
    for line in text.splitlines():
        m = re.match(r"^(\s*)(?:-\s+)?citations:\s*$", line)
        if m:
            inside, indent = True, len(m.group(1))
            continue
        if inside:
            stripped = line.strip()
            if stripped.startswith("- ") and (len(line) - len(line.lstrip())) >= indent:
                out.append(line)
                continue
            inside = False
    return "\n".join(out)


def _inline_citation_lists(text: str) -> list[str]:
    keys = []
    for m in re.finditer(r"citations:\s*\[([^\]]*)\]", text):
        keys += [k.strip().strip("'\"") for k in m.group(1).split(",") if k.strip()]
    return keys


def write_references(nb_path: Path) -> bool:
    """Render ``[@Key]`` markers as readable links and regenerate the last ``## References``
    cell. Returns True when the file changed."""
    nb = nbformat.read(nb_path, as_version=4)
    bib = load_bibliography()
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and REFERENCES_FOOTER not in cell.source:
            rendered = render_citation_links(cell.source, bib)
            if rendered != cell.source:
                cell.source, changed = rendered, True
    if changed:
        nbformat.write(nb, nb_path)
    new = references_markdown(cited_keys(nb_path), bib)
    idx = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.startswith("## References")
    ]
    if idx:
        if nb.cells[idx[-1]].source == new:
            return changed
        nb.cells[idx[-1]].source = new
    else:
        nb.cells.append(nbformat.v4.new_markdown_cell(new))
    nbformat.write(nb, nb_path)
    return True


def references_up_to_date(nb_path: Path) -> bool:
    """True when the References cell is current and no raw ``[@Key]`` marker is left."""
    nb = nbformat.read(nb_path, as_version=4)
    bib = load_bibliography()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and REFERENCES_FOOTER not in cell.source:
            if render_citation_links(cell.source, bib) != cell.source:
                return False
    last = [
        c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## References")
    ]
    return bool(last) and last[-1].source == references_markdown(
        cited_keys(nb_path), load_bibliography()
    )


def strip_outputs_for_storage(nb) -> None:
    """Drop widget views and widget state, and a figure's PNG when its HTML (alt text, caption)
    holds the same image; keep text and figures so the notebook reads on GitHub."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if LIVE_CHECK_TAG in cell.metadata.get("tags", []):
            # A check whose result only means something on the learner's machine ("All is well")
            # is stored empty: a stored "passed" line would claim a check that has not run yet.
            cell.outputs = []
            continue
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data:
                for mime in STRIPPED_MIME:
                    data.pop(mime, None)
                # A figure shown by figure_display carries the same PNG inside its text/html
                # (with alt text and caption): store it once.
                html_ = data.get("text/html")
                html_ = "".join(html_) if isinstance(html_, list) else (html_ or "")
                if "image/png" in data and 'class="fluorohip-figure"' in html_:
                    data.pop("image/png")


def execute_notebook(nb_path: Path, timeout: int = 300) -> None:
    """Execute in place on a fresh kernel, with a throw-away progress store, then strip."""
    from nbclient import NotebookClient

    nb = nbformat.read(nb_path, as_version=4)
    with tempfile.TemporaryDirectory() as home:
        env_before = {k: os.environ.get(k) for k in ("FLUOROHIP_HOME", "FLUOROHIP_WORKSHOP_MODE")}
        os.environ["FLUOROHIP_HOME"] = home
        os.environ.pop("FLUOROHIP_WORKSHOP_MODE", None)
        try:
            NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(nb_path.parent)}},
            ).execute()
        finally:
            for k, v in env_before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    strip_outputs_for_storage(nb)
    from .instructor import slides  # local import: the instructor package imports this module

    if nb_path.stem in slides.SLIDE_NOTEBOOKS:
        slides.apply(nb)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nbformat.write(nb, nb_path)


def structure_problems(nb_path: Path) -> list[Problem]:
    """Problems with a chapter's section structure (see CONTRIBUTING.md)."""
    name = display_path(nb_path, project_root())
    nb = nbformat.read(nb_path, as_version=4)
    problems: list[Problem] = []
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    if (
        not nb.cells
        or nb.cells[0].cell_type != "markdown"
        or not nb.cells[0].source.startswith("# ")
    ):
        problems.append(
            Problem(
                name,
                None,
                "cell 1",
                "title",
                "the first cell must be Markdown starting with '# Title'",
            )
        )
    head = "\n".join(md[:3])
    if not ESTIMATED_TIME.search(head):
        problems.append(
            Problem(
                name,
                None,
                "cell 1-3",
                "estimated time",
                "state '**Estimated time:** N minutes' near the top",
            )
        )
    positions = []
    for heading in REQUIRED_HEADINGS:
        where = [
            i for i, s in enumerate(md) if any(line.strip() == heading for line in s.splitlines())
        ]
        if not where:
            problems.append(Problem(name, None, None, "sections", f"missing heading '{heading}'"))
        else:
            positions.append(where[0])
    if len(positions) == len(REQUIRED_HEADINGS) and positions != sorted(positions):
        problems.append(
            Problem(
                name,
                None,
                None,
                "sections",
                "sections out of order; expected: " + ", ".join(REQUIRED_HEADINGS),
            )
        )
    if not md or not md[-1].startswith("## References"):
        problems.append(
            Problem(
                name,
                None,
                "last cell",
                "references",
                "the notebook must end with the References cell",
            )
        )
    elif not references_up_to_date(nb_path):
        problems.append(
            Problem(
                name,
                None,
                "last cell",
                "references",
                "References cell is out of date; run `fluorohip refs --write`",
            )
        )
    return problems
