"""The pages the Sphinx website adds around the notebooks: the index, the references page, the
simulator gallery (frames rendered at build time) and the generated ``conf.py``.

Every content string placed in MyST Markdown goes through :func:`myst_text`, so no title or
caption can become markup or raw HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .notebook_export import CourseNotebook, chapter_minutes

if TYPE_CHECKING:  # pragma: no cover
    from ..fluoro import CArm, Scene

GALLERY = "simulator_gallery"

REFERENCES_PAGE = """# References

Every source the course cites. The bibliography is kept in `assets/references.yaml`; this page is
generated from it when the site is built (also as [BibTeX](references.bib) and
[CSL-JSON](references.json) for reference managers).

```{bibliography}
:all:
```
"""


def myst_text(text: str) -> str:
    """Content text placed in MyST Markdown: HTML-escaped, and every Markdown, role and directive
    character backslash-escaped, so no content string can become markup or raw HTML."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~:$^=-])", r"\\\1", text)


def directive_option(text: str) -> str:
    """A directive option value (one line; docutils escapes it when writing HTML)."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class GalleryFrame:
    """One still of the simulator: its file in the gallery folder, caption and alt text."""

    file: str
    title: str
    alt: str


@dataclass(frozen=True)
class _Step:
    title: str
    scene: Scene
    carm: CArm
    invert: bool = False


def gallery_frames(folder: Path) -> list[GalleryFrame]:
    """Render each simulator step into ``folder`` (seeded: the same bytes each build)."""
    from PIL import Image

    from ..fluoro import CArm, Needle, Scene, render

    def needle_at(depth_mm: float) -> Scene:
        scene = Scene()
        target = scene.phantom.target_point()
        scene.set_needle(
            Needle.anterior(scene.phantom, x_mm=target[0], z_mm=target[2], depth_mm=depth_mm)
        )
        return scene

    carm = CArm(pixels=256)
    injected = needle_at(89)
    injected.inject(volume_ml=2.0)
    steps = [
        _Step("Step 1: AP view before the needle", Scene(), carm),
        _Step("Step 2: Needle part-way: tip still in muscle", needle_at(45), carm),
        _Step("Step 3: Needle at the head-neck junction, bone contact", needle_at(89), carm),
        _Step("Step 4: 2 ml contrast: intra-articular spread", injected, carm),
        _Step(
            "Step 5: Same, C-arm rotated 20 degrees",
            injected,
            CArm(pixels=256, rotation_deg=20.0),
        ),
        _Step("Step 6: Same, display inverted (bone light)", injected, carm, invert=True),
    ]
    out = []
    for i, step in enumerate(steps, start=1):
        frame = render(step.scene, step.carm, pps=6, seed=i, invert=step.invert)
        name = f"frame_{i}.png"
        Image.fromarray(frame.image).save(folder / name)
        out.append(GalleryFrame(name, step.title, frame.description()))
    return out


def gallery_page(frames: list[GalleryFrame]) -> str:
    lines = [
        "# Simulator gallery",
        "",
        "Frames from the course's virtual fluoroscope (chapter 05), rendered when the site was built. "
        "In the notebook you move the needle, angle the C-arm, press the pedal and inject; here each step "
        "is one still frame. All images are synthetic.",
        "",
    ]
    for frame in frames:
        lines += [
            f":::{{figure}} {GALLERY}/{frame.file}",
            f":alt: {directive_option(frame.alt)}",
            ":width: 320px",
            "",
            myst_text(frame.title),
            ":::",
            "",
        ]
    return "\n".join(lines)


def index_page(found: list[CourseNotebook], conf: dict[str, str]) -> str:
    minutes = chapter_minutes()
    chapter_docs = [c for c in found if c.is_chapter]
    instructor = [c for c in found if not c.is_chapter]
    rows = "\n".join(
        f"- [{myst_text(c.title)}]({c.docname}.ipynb)"
        + (f" ({minutes[c.docname]} minutes)" if c.docname in minutes else "")
        for c in chapter_docs
    )
    toc = "\n".join(c.docname for c in chapter_docs)
    itoc = "\n".join(c.docname for c in instructor)
    return f"""# {myst_text(conf["title"])}

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


def conf_py(conf: dict[str, str], mathjax: bool) -> str:
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
