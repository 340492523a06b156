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
import copy
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from ..core.bibliography import _MARKER_RUN, CITATION_PATTERN, load_bibliography
from ..core.paths import notebooks_dir, project_root
from ..quiz.render import bibliography
from .site import QUIZ_CALL, _alt_text, _quiz_output, _title

#: Site settings an instructor may edit (repository and hub addresses for the launch button).
DEFAULT_SETTINGS = {
    "title": "fluorohip: fluoroscopy-guided hip joint injection",
    "repository_url": "https://github.com/example/fluorohip",
    "repository_branch": "main",
    "binderhub_url": "https://mybinder.org",
    "jupyterhub_url": "",
}
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
GALLERY = "simulator_gallery"


@dataclass(frozen=True)
class Chapter:
    source: Path
    docname: str  # path inside the source tree, without suffix: "01_hip_anatomy", "instructor/class_results"
    title: str


def settings(path: Path | None = None) -> dict:
    """``site/site.yaml`` over the defaults (a missing file keeps the defaults)."""
    path = path or project_root() / "site" / "site.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    unknown = set(data or {}) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(
            f"{path.name}: unknown setting(s) {sorted(unknown)}; known: {sorted(DEFAULT_SETTINGS)}"
        )
    return {**DEFAULT_SETTINGS, **(data or {})}


def chapters(folder: Path | None = None) -> list[Chapter]:
    folder = folder or notebooks_dir()
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")) + sorted(
        (folder / "instructor").glob("*.ipynb")
    ):
        nb = nbformat.read(path, as_version=4)
        found.append(
            Chapter(
                path, path.relative_to(folder).with_suffix("").as_posix(), _title(nb, path.stem)
            )
        )
    return found


# -- bibliography ---------------------------------------------------------------------------------


def _bib_value(text) -> str:
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
        item = {
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


KEY = r"[A-Za-z0-9_\-:.]+"
#: A notebook's rendered citation run: "([Label](#ref-Key); [Label](#ref-Author2020))" (bibliography.render_citation_links).
RENDERED_RUN = re.compile(
    r"\((\[[^\]\n]*\]\(#ref-" + KEY + r"\)(?:\s*;\s*\[[^\]\n]*\]\(#ref-" + KEY + r"\))*)\)"
)


def _role(keys: list[str]) -> str:
    return "{cite:p}`" + ",".join(keys) + "`"


def cite_roles(markdown: str) -> str:
    """Citations become ``{cite:p}`` roles: ``[@Key]`` marker runs and the notebooks' rendered runs
    ``([Label](#ref-Key); [Label](#ref-Author2020))``. Code spans and fenced blocks are left alone."""

    def convert(part: str) -> str:
        part = _MARKER_RUN.sub(lambda m: _role(CITATION_PATTERN.findall(m.group(0))), part)
        return RENDERED_RUN.sub(
            lambda m: _role(re.findall(r"\(#ref-(" + KEY + r")\)", m.group(1))), part
        )

    parts = re.split(r"(```.*?```|`[^`\n]*`)", markdown, flags=re.DOTALL)
    return "".join(p if i % 2 else convert(p) for i, p in enumerate(parts))


# -- pages ----------------------------------------------------------------------------------------


def prepare(nb, bib: dict) -> object:
    """A copy of ``nb`` for the book: citations as roles, quizzes written out, alt text on images."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cite_roles(cell.source)
        elif cell.cell_type == "code":
            m = QUIZ_CALL.search(cell.source)
            if m:
                cell.outputs = [_quiz_output(m.group(1), bib)]
                continue
            for out in cell.get("outputs", []):
                (out.get("data") or {}).pop("application/vnd.jupyter.widget-view+json", None)
            _alt_text(cell)
            alts = [
                o["metadata"]["image/png"]["alt"]
                for o in cell.get("outputs", [])
                if "image/png" in (o.get("data") or {})
            ]
            if alts:
                cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alts[0]}
    nb.metadata.pop("widgets", None)
    return nb


def _gallery_frames(folder: Path) -> list[tuple[str, str, str]]:
    """(file, title, alt text) for each simulator frame, rendered now (seeded: same bytes each build)."""
    from PIL import Image

    from ..fluoro import CArm, Needle, Scene, render

    steps = []
    scene = Scene()
    target = scene.phantom.target_point()
    carm = CArm(pixels=256)
    steps.append(("Step 1: AP view before the needle", scene, carm, {}))
    shallow = Scene()
    shallow.set_needle(
        Needle.anterior(shallow.phantom, x_mm=target[0], z_mm=target[2], depth_mm=45)
    )
    steps.append(("Step 2: Needle part-way: tip still in muscle", shallow, carm, {}))
    placed = Scene()
    placed.set_needle(Needle.anterior(placed.phantom, x_mm=target[0], z_mm=target[2], depth_mm=89))
    steps.append(("Step 3: Needle at the head-neck junction, bone contact", placed, carm, {}))
    injected = Scene()
    injected.set_needle(
        Needle.anterior(injected.phantom, x_mm=target[0], z_mm=target[2], depth_mm=89)
    )
    injected.inject(volume_ml=2.0)
    steps.append(("Step 4: 2 ml contrast: intra-articular spread", injected, carm, {}))
    steps.append(
        (
            "Step 5: Same, C-arm rotated 20 degrees",
            injected,
            CArm(pixels=256, rotation_deg=20.0),
            {},
        )
    )
    steps.append(("Step 6: Same, display inverted (bone light)", injected, carm, {"invert": True}))
    out = []
    for i, (title, sc, arm, kw) in enumerate(steps, start=1):
        frame = render(sc, arm, pps=6, seed=i, **kw)
        name = f"frame_{i}.png"
        Image.fromarray(frame.image).save(folder / name)
        out.append((name, title, frame.description()))
    return out


def _md_text(text: str) -> str:
    """Content text placed in MyST Markdown: HTML-escaped, and every Markdown, role and directive
    character backslash-escaped, so no content string can become markup or raw HTML."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~:$^=-])", r"\\\1", text)


def _option_text(text: str) -> str:
    """A directive option value (one line; docutils escapes it when writing HTML)."""
    return " ".join(str(text).split())


def gallery_page(frames: list[tuple[str, str, str]]) -> str:
    lines = [
        "# Simulator gallery",
        "",
        "Frames from the course's virtual fluoroscope (chapter 05), rendered when the site was built. "
        "In the notebook you move the needle, angle the C-arm, press the pedal and inject; here each step "
        "is one still frame. All images are synthetic.",
        "",
    ]
    for name, title, alt in frames:
        lines += [
            f":::{{figure}} {GALLERY}/{name}",
            f":alt: {_option_text(alt)}",
            ":width: 320px",
            "",
            _md_text(title),
            ":::",
            "",
        ]
    return "\n".join(lines)


def index_page(found: list[Chapter], conf: dict) -> str:
    from ..course import course_map

    minutes = {e.stem: e.minutes for e in course_map()}
    chapter_docs = [c for c in found if "/" not in c.docname]
    instructor = [c for c in found if c.docname.startswith("instructor/")]
    rows = "\n".join(
        f"- [{_md_text(c.title)}]({c.docname}.ipynb)"
        + (f" ({minutes[c.docname]} minutes)" if c.docname in minutes else "")
        for c in chapter_docs
    )
    toc = "\n".join(c.docname for c in chapter_docs)
    itoc = "\n".join(c.docname for c in instructor)
    return f"""# {_md_text(conf["title"])}

An open course for residents: plan, perform and interpret a fluoroscopy-guided hip joint injection.
This website is for reading; every page has a launch button (the rocket at the top) that opens the
notebook in Binder or on your hub, where the widgets, the fluoroscope and the quizzes run.

**Educational use only**: it does not replace supervised training, local protocols or product
labels. All patients, cases and images are synthetic.

## Chapters

{rows}

```{{toctree}}
:maxdepth: 1
:caption: Chapters
:hidden:

{toc}
```

```{{toctree}}
:maxdepth: 1
:caption: More
:hidden:

{GALLERY}
references
{itoc}
```
"""


REFERENCES_PAGE = """# References

Every source the course cites. The bibliography is kept in `assets/references.yaml`; this page is
generated from it when the site is built (also as [BibTeX](references.bib) and
[CSL-JSON](references.json) for reference managers).

```{bibliography}
:all:
```
"""


def conf_py(conf: dict, mathjax: bool) -> str:
    theme = {
        "repository_url": conf["repository_url"],
        "repository_branch": conf["repository_branch"],
        "path_to_docs": "notebooks",
        "use_repository_button": False,
        "use_download_button": True,
        "launch_buttons": {
            "binderhub_url": conf["binderhub_url"],
            "jupyterhub_url": conf["jupyterhub_url"],
            "notebook_interface": "jupyterlab",
        },
    }
    return "\n".join(
        [
            "# Generated by fluorohip.instructor.book; edit site/site.yaml or the generator instead.",
            f"project = {conf['title']!r}",
            "author = 'The fluorohip authors'",
            "extensions = ['myst_nb', 'sphinx_design', 'sphinxcontrib.bibtex']",
            "bibtex_bibfiles = ['references.bib']",
            "bibtex_default_style = 'unsrt'",
            "bibtex_reference_style = 'label'",
            "myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence']",
            "nb_execution_mode = 'off'",
            "nb_remove_code_source = True",
            "nb_output_stderr = 'remove'",
            "html_theme = 'sphinx_book_theme'",
            f"html_title = {conf['title']!r}",
            f"html_theme_options = {theme!r}",
            "html_static_path = ['_static']",
            "html_extra_path = ['_extra']",
            "html_show_sourcelink = False",
            "html_copy_source = False",
            *(["mathjax_path = 'mathjax/tex-chtml.js'"] if mathjax else []),
            "suppress_warnings = ['mystnb.unknown_mime_type', 'misc.highlighting_failure', 'myst.header', 'toc.not_included', 'myst.xref_missing']",
            "exclude_patterns = ['_build', '**.ipynb_checkpoints']",
            "",
        ]
    )


#: The parts of MathJax's es5 folder the site loads: the TeX-to-HTML component, the TeX extensions
#: it autoloads, its fonts, and the menu/accessibility modules (not the 4 MB speech engine).
MATHJAX_PARTS = ("tex-chtml.js", "input", "output/chtml/fonts/woff-v2", "ui", "a11y")


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
) -> list[Chapter]:
    """The Sphinx source tree for the course in ``src`` (emptied first)."""
    conf = settings(site_yaml)
    bib = bibliography() or load_bibliography()
    found = chapters(notebooks)
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
        gallery_page(_gallery_frames(src / GALLERY)), encoding="utf-8"
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
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    mathjax = Path(args.mathjax) if args.mathjax else default_mathjax()
    if mathjax is None:
        print(
            "site: MathJax not found (run `npm ci --prefix site`); maths will show as TeX",
            file=sys.stderr,
        )
    try:
        out = build(Path(args.out), mathjax=mathjax)
    except Exception as exc:  # a page that cannot be built is named; never a traceback
        print(f"site: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"Built the course website in {out}/ (open {out}/index.html)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
