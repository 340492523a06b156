"""Slide metadata on the presented notebooks: present, matching the rules, and loadable as slides."""

from __future__ import annotations

import re

import nbformat
import pytest

from fluorohip.core.paths import notebooks_dir
from fluorohip.instructor import slides

PATHS = [notebooks_dir() / f"{stem}.ipynb" for stem in slides.SLIDE_NOTEBOOKS]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert None not in types, f"{path.name}: run `python -m fluorohip.instructor.slides --write`"
    assert set(types) <= slides.SLIDE_TYPES
    assert types[0] == "slide" and types.count("slide") >= 3
    assert slides.problems(path) == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_renders_as_one_section_per_slide(path):
    from nbconvert import SlidesExporter

    nb = nbformat.read(path, as_version=4)
    body, _ = SlidesExporter().from_notebook_node(nb)
    n_slides = sum(c.metadata["slideshow"]["slide_type"] == "slide" for c in nb.cells)
    # reveal.js: one outer <section> per slide, each holding one inner <section> per sub-slide.
    outer = re.findall(r"<section>\s*<section>", body)
    assert len(outer) == n_slides


def test_rules_and_write_touch_only_metadata(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_markdown_cell("### sub"),
        nbformat.v4.new_code_cell("1 + 1"),
        nbformat.v4.new_markdown_cell("> **Instructor note:** ask"),
    ]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert len(slides.problems(path)) == 5
    assert slides.write(path) is True and slides.write(path) is False
    after = nbformat.read(path, as_version=4)
    assert [c.metadata["slideshow"]["slide_type"] for c in after.cells] == [
        "slide",
        "-",
        "subslide",
        "-",
        "notes",
    ]
    assert [c.source for c in after.cells] == [c.source for c in nb.cells]


def test_executing_a_slide_notebook_keeps_its_slide_metadata(tmp_path):
    """Re-executing after adding a cell (the authoring path) sets the new cell's metadata."""
    from fluorohip.authoring import execute_notebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("1 + 1"),
        nbformat.v4.new_markdown_cell("## Next"),
    ]
    path = tmp_path / f"{slides.SLIDE_NOTEBOOKS[0]}.ipynb"
    nbformat.write(nb, path)
    execute_notebook(path, timeout=60)
    done = nbformat.read(path, as_version=4)
    assert [c.metadata["slideshow"]["slide_type"] for c in done.cells] == ["slide", "-", "slide"]
    assert done.cells[1].outputs[0]["data"]["text/plain"] == "2"
