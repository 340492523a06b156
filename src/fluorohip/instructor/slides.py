"""Slide metadata for presenting notebooks with JupyterLab's RISE extension (``jupyterlab-rise``).

    python -m fluorohip.instructor.slides --write   # add/refresh the metadata
    python -m fluorohip.instructor.slides --check   # exit 1 if a notebook's metadata is missing or stale

Rules (one manifest, so the metadata is reproducible and testable rather than hand-set):
a Markdown cell starting ``# `` or ``## `` opens a slide, ``### `` a sub-slide (down in RISE),
an instructor note (``> **Instructor note:**``) becomes speaker notes, everything else
continues the current slide. Only ``cell.metadata.slideshow`` is touched: the notebook is
re-read from disk immediately before writing, and sources and outputs are left exactly as
they are (nothing is re-executed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..core.paths import notebooks_dir

#: The notebooks an instructor presents: the start notebook and at most two chapters.
SLIDE_NOTEBOOKS = ("00_start_here", "01_hip_anatomy", "02_image_guidance")
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


def slide_type(cell: NotebookNode) -> str:
    if cell.cell_type != "markdown":
        return "-"
    text = cell.source.lstrip()
    if text.startswith(("# ", "## ")):
        return "slide"
    if text.startswith("### "):
        return "subslide"
    if text.startswith("> **Instructor note:**"):
        return "notes"
    return "-"


def problems(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    out = []
    for i, cell in enumerate(nb.cells):
        want = slide_type(cell)
        got = cell.metadata.get("slideshow", {}).get("slide_type")
        if got != want:
            out.append(f"{path.name}: cell {i}: slideshow.slide_type is {got!r}, expected {want!r}")
    return out


def apply(nb: NotebookNode) -> bool:
    """Set every cell's slide metadata in an in-memory notebook; True when anything changed.

    Called by :func:`fluorohip.authoring.execute_notebook` too, so re-executing a slide
    notebook after adding a cell cannot leave the new cell without metadata.
    """
    changed = False
    for cell in nb.cells:
        want = slide_type(cell)
        if cell.metadata.get("slideshow", {}).get("slide_type") != want:
            cell.metadata["slideshow"] = {"slide_type": want}
            changed = True
    return changed


def write(path: Path) -> bool:
    """Set the metadata; returns True when the file changed. Re-reads the file first."""
    nb = nbformat.read(path, as_version=4)  # fresh from disk: others may have just saved it
    changed = apply(nb)
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fluorohip.instructor.slides", description=__doc__.splitlines()[0]
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    paths = [notebooks_dir() / f"{stem}.ipynb" for stem in SLIDE_NOTEBOOKS]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        print(f"slides: notebook(s) not found: {', '.join(missing)}", file=sys.stderr)
        return 1
    if args.write:
        for p in paths:
            print(f"{p.name}: {'updated' if write(p) else 'already up to date'}")
        return 0
    found = [msg for p in paths for msg in problems(p)]
    for msg in found:
        print(msg)
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
