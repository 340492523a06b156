"""``make site``: a static, offline HTML copy of the whole course, for reading without running.

    python -m fluorohip.instructor.site --out build/site

What it does, per notebook (chapters, then ``instructor/``), from the stored executed copy
(nothing is re-executed, so building takes seconds and never changes a notebook):

- Markdown citations ``[@Key]`` become "(Author Year)" labels, as learners see them in Lab;
- each quiz cell (``quiz.show_quiz("stem")``) is replaced by the quiz written out from its bank,
  every answer, feedback and explanation behind a "Show answer" click (``<details>``: no script);
- figures stored in the notebook are kept (PNG outputs) and local images are embedded, so the
  folder can be copied anywhere; links to other notebooks point at their pages;
- code cells are hidden; interactive widgets show their one-line text summary, with a note
  at the top of each page that the widgets need a running notebook.

Pages use nbconvert's ``basic`` template (no JavaScript at all) and one small stylesheet;
nothing is loaded from the network. Maths in Markdown stays as TeX source.
Exit codes: 0 built; 1 a notebook or bank could not be read (named); 2 bad usage.
"""

from __future__ import annotations

import argparse
import base64
import html
import mimetypes
import posixpath
import re
import shutil
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import nbformat
from nbformat import NotebookNode

if TYPE_CHECKING:  # pragma: no cover
    from nbconvert import HTMLExporter

from ..core.bibliography import load_bibliography, replace_citations
from ..quiz.render import bibliography
from .notebook_export import (
    CourseNotebook,
    chapter_minutes,
    course_notebooks,
    prepare_notebook,
    run_builder,
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:54rem;margin:0 auto;padding:1rem;
line-height:1.5;color:#111}nav.top{border-bottom:1px solid #999;padding:.5rem 0;margin-bottom:1rem}
img{max-width:100%;height:auto}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.2rem .5rem}
pre{background:#f4f4f4;padding:.5rem;overflow-x:auto;white-space:pre-wrap}.note{background:#fff8e1;
border-left:4px solid #E69F00;padding:.4rem .8rem}details{margin:.5rem 0 1rem;background:#f4f4f4;padding:.3rem .8rem}
summary{cursor:pointer;font-weight:600}blockquote{border-left:4px solid #0072B2;margin-left:0;padding-left:1rem}
.input_prompt,.output_prompt,.prompt{display:none}section.question{border-top:1px solid #ccc;padding-top:.3rem}
"""


def prepare(nb: NotebookNode, bib: dict[str, dict]) -> NotebookNode:
    """A copy of ``nb`` ready for export: citations as "(Author Year)", quizzes written out."""
    return prepare_notebook(nb, bib, lambda text: replace_citations(text, bib))


def _embed_local_images(body: str, base: Path) -> str:
    def repl(m: re.Match[str]) -> str:
        src = m.group(2)
        if src.startswith(("data:", "http:", "https:", "//", "#")):
            return m.group(0)
        path = (base / src).resolve()
        if not path.is_file():
            return m.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'{m.group(1)}"data:{mime};base64,{data}"'

    return re.sub(r'(<img[^>]*?\ssrc=)"([^"]+)"', repl, body)


def _relink(body: str, page: CourseNotebook, targets: set[str]) -> str:
    """Links between notebooks point at their pages; a link to a chapter not written yet
    becomes plain text marked "(coming soon)" instead of a broken link."""
    here = PurePosixPath(page.html_path).parent

    def repl(m: re.Match[str]) -> str:
        target = posixpath.normpath((here / f"{m.group(1)}.html").as_posix())
        if target in targets:
            return f'<a href="{m.group(1)}.html{m.group(2) or ""}"{m.group(3)}>{m.group(4)}</a>'
        return f"<span>{m.group(4)} (coming soon)</span>"

    return re.sub(
        r'<a href="([^"#:]+?)\.ipynb(#[^"]*)?"([^>]*)>(.*?)</a>', repl, body, flags=re.DOTALL
    )


def render_page(
    page: CourseNotebook,
    all_pages: list[CourseNotebook],
    bib: dict[str, dict],
    exporter: HTMLExporter,
) -> str:
    nb = prepare(nbformat.read(page.source, as_version=4), bib)
    body, _ = exporter.from_notebook_node(nb)
    body = _relink(
        _embed_local_images(body, page.source.parent), page, {p.html_path for p in all_pages}
    )
    up = "../" * page.html_path.count("/")
    nav = f"<nav class='top'><a href='{up}index.html'>Course contents</a></nav>"
    note = (
        "<p class='note'>A static copy for reading. Interactive widgets appear as a one-line summary; quizzes are "
        "written out with the answers behind <em>Show answer</em>. To use the widgets, open the notebook in "
        "JupyterLab.</p>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{html.escape(page.title)}</title>"
        f"<link rel='stylesheet' href='{up}style.css'></head><body>{nav}<main>{note}\n{body}\n</main></body></html>\n"
    )


def index_html(all_pages: list[CourseNotebook]) -> str:
    minutes = chapter_minutes()
    chapters = [p for p in all_pages if p.is_chapter]
    instructor = [p for p in all_pages if not p.is_chapter]

    def item(p: CourseNotebook) -> str:
        m = minutes.get(p.source.stem)
        return (
            f"<li><a href='{html.escape(p.html_path)}'>{html.escape(p.title)}</a>"
            f"{f' ({m} minutes)' if m else ''}</li>"
        )

    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>fluorohip: the course to read"
        "</title><link rel='stylesheet' href='style.css'></head><body><main><h1>fluorohip: fluoroscopy-guided hip "
        "joint injection</h1><p>A static copy of the course for reading without running anything. "
        "<strong>Educational use only</strong>: it does not replace supervised training, local protocols or "
        "product labels. All patients and cases are synthetic.</p><h2>Chapters</h2><ol start='0'>"
        + "".join(item(p) for p in chapters)
        + "</ol>"
        + (
            "<h2>For instructors</h2><ul>" + "".join(item(p) for p in instructor) + "</ul>"
            if instructor
            else ""
        )
        + "</main></body></html>\n"
    )


def build_site(out: Path, notebooks: Path | None = None) -> list[str]:
    """Build into ``out`` (emptied first if it holds an earlier site); returns the pages written."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    bib = bibliography() or load_bibliography()
    found = course_notebooks(notebooks)
    if out.exists() and (out / "index.html").exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "style.css").write_text(CSS, encoding="utf-8")
    written = []
    for page in found:
        target = out / page.html_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page, found, bib, exporter), encoding="utf-8")
        written.append(page.html_path)
    (out / "index.html").write_text(index_html(found), encoding="utf-8")
    return ["index.html"] + written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fluorohip.instructor.site",
        description="Build a static, offline HTML copy of the course.",
    )
    parser.add_argument("--out", default="build/site", help="folder to write (default: build/site)")

    def build(args: argparse.Namespace) -> str:
        written = build_site(Path(args.out))
        return f"Wrote {len(written)} pages to {args.out}/ (open {args.out}/index.html)"

    return run_builder(parser, argv, build)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
