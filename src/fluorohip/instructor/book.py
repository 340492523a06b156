"""``make site``: the course as a website, built offline with Sphinx + MyST-NB (the book tool).

    python -m fluorohip.instructor.book --out build/site [--mathjax site/node_modules/mathjax/es5]

Why Sphinx and not mystmd / Jupyter Book 2: both download their HTML theme from the network at
build time, which CI cannot reach; Sphinx with MyST-NB, sphinx-book-theme, sphinx-design and
sphinxcontrib-bibtex (all from PyPI, declared in the ``site`` extra) build entirely offline, with
Sphinx's own full-text search. MathJax comes from npm (``site/package.json``) and is copied into
the site, so maths renders without a network.

From the stored, executed notebooks (nothing is re-executed) this writes a Sphinx source tree
(``<out>.src/``) and builds it into ``<out>/``:

- one page per chapter and instructor notebook; code hidden, stored figures kept, each image
  with alt text (the cell's ``alt`` metadata or the description printed beside it);
- citations ``[@Key]`` become ``{cite:p}`` roles resolved against ``references.bib``, which is
  generated from ``assets/references.yaml`` at build time (that YAML file stays the source);
- each quiz is written out from its bank with every option, and the answers, feedback and
  explanations in a closed ``<details>`` section; all bank text is HTML-escaped;
- a simulator gallery: frames of the virtual fluoroscope rendered at build time, with alt text;
- a launch button (Binder, JupyterHub) on every notebook page, configured in ``site/site.yaml``.

Exit codes: 0 built; 1 a notebook, bank or the build failed (named); 2 bad usage.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat
import yaml
from nbformat import NotebookNode

from ..core.bibliography import load_bibliography
from ..core.paths import project_root
from ..quiz.render import bibliography
from .book_bibliography import bibtex, cite_roles, csl_json
from .book_pages import (
    GALLERY,
    REFERENCES_PAGE,
    conf_py,
    gallery_frames,
    gallery_page,
    index_page,
)
from .notebook_export import CourseNotebook, course_notebooks, prepare_notebook, run_builder

#: Site settings an instructor may edit (repository and hub addresses for the launch button).
DEFAULT_SETTINGS = {
    "title": "fluorohip: fluoroscopy-guided hip joint injection",
    "repository_url": "https://github.com/example/fluorohip",
    "repository_branch": "main",
    "binderhub_url": "https://mybinder.org",
    "jupyterhub_url": "",
}
#: The parts of MathJax's es5 folder the site loads: the TeX-to-HTML component, the TeX extensions
#: it autoloads, its fonts, and the menu/accessibility modules (not the 4 MB speech engine).
MATHJAX_PARTS = ("tex-chtml.js", "input", "output/chtml/fonts/woff-v2", "ui", "a11y")


def settings(path: Path | None = None) -> dict[str, str]:
    """``site/site.yaml`` over the defaults (a missing file keeps the defaults)."""
    path = path or project_root() / "site" / "site.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    unknown = set(data or {}) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(
            f"{path.name}: unknown setting(s) {sorted(unknown)}; known: {sorted(DEFAULT_SETTINGS)}"
        )
    return {**DEFAULT_SETTINGS, **(data or {})}


def prepare(nb: NotebookNode, bib: dict[str, dict]) -> NotebookNode:
    """A copy of ``nb`` for the book: citations as roles, quizzes written out, alt text on
    images (also in MyST-NB's own image metadata, which is what the theme writes out)."""
    nb = prepare_notebook(nb, bib, cite_roles)
    for cell in nb.cells:
        alts = [
            o["metadata"]["image/png"]["alt"]
            for o in cell.get("outputs", [])
            if "image/png" in (o.get("data") or {})
        ]
        if alts:
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alts[0]}
    return nb


def copy_mathjax(es5: Path, target: Path) -> None:
    if not (es5 / "tex-chtml.js").is_file():
        raise FileNotFoundError(f"{es5}: not MathJax's es5 folder (no tex-chtml.js)")
    for part in MATHJAX_PARTS:
        source, dest = es5 / part, target / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest)
        elif source.is_file():
            shutil.copy2(source, dest)


def write_sources(
    src: Path,
    notebooks: Path | None = None,
    mathjax: Path | None = None,
    site_yaml: Path | None = None,
) -> list[CourseNotebook]:
    """The Sphinx source tree for the course in ``src`` (emptied first)."""
    conf = settings(site_yaml)
    bib = bibliography() or load_bibliography()
    found = course_notebooks(notebooks)
    if src.exists():
        shutil.rmtree(src)
    (src / "_static").mkdir(parents=True)
    (src / "_extra").mkdir()
    (src / GALLERY).mkdir()
    for chapter in found:
        target = src / f"{chapter.docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            nb = prepare(nbformat.read(chapter.source, as_version=4), bib)
        except Exception as exc:
            raise RuntimeError(f"{chapter.source.name}: {exc}") from exc
        nbformat.write(nb, target)
    (src / "references.bib").write_text(bibtex(bib), encoding="utf-8")
    shutil.copy2(src / "references.bib", src / "_extra" / "references.bib")
    (src / "_extra" / "references.json").write_text(csl_json(bib), encoding="utf-8")
    (src / "references.md").write_text(REFERENCES_PAGE, encoding="utf-8")
    (src / f"{GALLERY}.md").write_text(
        gallery_page(gallery_frames(src / GALLERY)), encoding="utf-8"
    )
    (src / "index.md").write_text(index_page(found, conf), encoding="utf-8")
    if mathjax is not None:
        copy_mathjax(mathjax, src / "_static" / "mathjax")
    (src / "conf.py").write_text(conf_py(conf, mathjax is not None), encoding="utf-8")
    return found


def build(
    out: Path, notebooks: Path | None = None, mathjax: Path | None = None, quiet: bool = True
) -> Path:
    """Write the sources beside ``out`` and build the HTML site into ``out``."""
    from sphinx.cmd.build import build_main

    src = out.parent / f"{out.name}.src"
    write_sources(src, notebooks, mathjax)
    if out.exists():
        shutil.rmtree(out)
    args = [
        "-b",
        "html",
        "-j",
        "1",
        "-d",
        str(out.parent / f"{out.name}.doctrees"),
        str(src),
        str(out),
    ]
    if quiet:
        args.insert(0, "-q")
    if build_main(args) != 0:
        raise RuntimeError("sphinx-build failed (messages above)")
    return out


def default_mathjax() -> Path | None:
    path = project_root() / "site" / "node_modules" / "mathjax" / "es5"
    return path if (path / "tex-chtml.js").is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fluorohip.instructor.book",
        description="Build the course website (offline) with Sphinx + MyST-NB.",
    )
    parser.add_argument("--out", default="build/site", help="folder to write (default: build/site)")
    parser.add_argument(
        "--mathjax", help="MathJax es5 folder (default: site/node_modules/mathjax/es5)"
    )

    def build_book(args: argparse.Namespace) -> str:
        mathjax = Path(args.mathjax) if args.mathjax else default_mathjax()
        if mathjax is None:
            print(
                "site: MathJax not found (run `npm ci --prefix site`); maths will show as TeX",
                file=sys.stderr,
            )
        out = build(Path(args.out), mathjax=mathjax)
        return f"Built the course website in {out}/ (open {out}/index.html)"

    return run_builder(parser, argv, build_book)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
