"""What both course websites do to the stored notebooks: find them, title them, write each quiz
out from its bank, drop live widget views and give every figure alt text.

Two builders read the same executed notebooks: :mod:`.site` (a one-folder static copy through
nbconvert, no theme) and :mod:`.book` (the Sphinx + MyST-NB website of ``make site``). They
differ in how a page is written and how citations are shown; everything else lives here once,
so the two cannot drift apart (they had: one put alt text in MyST metadata, the other did not
know about it).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..core.paths import notebooks_dir

#: A quiz cell: ``quiz.show_quiz("01_hip_anatomy")`` (the bank stem is the first argument).
QUIZ_CALL = re.compile(r"show_quiz\(\s*[\"']([A-Za-z0-9_\-]+)[\"']")
#: Stored widget views need a live kernel; a page shows the widget's text summary instead.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Said when neither the cell nor the text beside a figure describes it.
FALLBACK_ALT = "Figure; it is described in the text around it."


@dataclass(frozen=True)
class CourseNotebook:
    """A notebook of the course and where its page goes."""

    source: Path
    #: Path inside the site without suffix: "01_hip_anatomy", "instructor/class_results".
    docname: str
    title: str

    @property
    def html_path(self) -> str:
        return f"{self.docname}.html"

    @property
    def is_chapter(self) -> bool:
        return "/" not in self.docname


def notebook_title(nb: NotebookNode, fallback: str) -> str:
    """The first ``# `` heading of the notebook's Markdown, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return str(line[2:].strip())
    return fallback


def course_notebooks(folder: Path | None = None) -> list[CourseNotebook]:
    """The chapters (``NN_name.ipynb``) in order, then the instructor notebooks."""
    folder = folder or notebooks_dir()
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")) + sorted(
        (folder / "instructor").glob("*.ipynb")
    ):
        nb = nbformat.read(path, as_version=4)
        docname = path.relative_to(folder).with_suffix("").as_posix()
        found.append(CourseNotebook(path, docname, notebook_title(nb, path.stem)))
    return found


def chapter_minutes() -> dict[str, int]:
    """Minutes per chapter stem, from the course map (shown beside each link in an index)."""
    from ..content.course_map import course_map

    return {e.stem: e.minutes for e in course_map()}


def quiz_output(stem: str, bib: dict[str, dict]) -> NotebookNode:
    """The bank ``stem`` written out as one HTML output: every option, answers behind a click."""
    from ..quiz.loader import load_bank
    from .answer_key import bank_html

    body = bank_html(load_bank(stem), bib, with_answers=False, level=3)
    return nbformat.v4.new_output(
        "display_data", data={"text/html": body, "text/plain": f"Quiz {stem}"}
    )


def _plain(text: str) -> str:
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.split())[:800]


def add_alt_text(cell: NotebookNode) -> None:
    """Give every stored PNG an alt text: the cell's ``alt`` metadata, or the description the
    course prints beside the figure (a Markdown/text output of the same cell)."""
    outputs = cell.get("outputs", [])
    candidates = []
    for o in outputs:
        data = o.get("data") or {}
        if "image/png" in data:
            continue
        text = data.get("text/markdown") or data.get("text/plain") or o.get("text") or ""
        if text and not text.startswith("<"):
            candidates.append(_plain(text))
    for o in outputs:
        data = o.get("data") or {}
        if "image/png" not in data:
            continue
        meta = o.setdefault("metadata", {}).setdefault("image/png", {})
        if meta.get("alt"):
            continue
        own = data.get("text/plain", "")
        meta["alt"] = (
            cell.metadata.get("alt")
            or (_plain(own) if own and not own.startswith("<") else "")
            or (candidates[0] if candidates else "")
            or FALLBACK_ALT
        )


def prepare_notebook(
    nb: NotebookNode, bib: dict[str, dict], citations: Callable[[str], str]
) -> NotebookNode:
    """A copy of ``nb`` for a page: ``citations`` applied to every Markdown cell, quizzes
    written out, widget views dropped, alt text on every figure."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = citations(cell.source)
        elif cell.cell_type == "code":
            quiz = QUIZ_CALL.search(cell.source)
            if quiz:
                cell.outputs = [quiz_output(quiz.group(1), bib)]
                continue
            for out in cell.get("outputs", []):
                (out.get("data") or {}).pop(WIDGET_VIEW, None)
            add_alt_text(cell)
    nb.metadata.pop("widgets", None)
    return nb


def run_builder(
    parser: argparse.ArgumentParser,
    argv: list[str] | None,
    build: Callable[[argparse.Namespace], str],
) -> int:
    """A builder's command line: exit 0 and ``build``'s message; 1 when a page cannot be
    built (named, never a traceback); 2 on bad usage."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    try:
        message = build(args)
    except Exception as exc:
        print(f"site: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0
