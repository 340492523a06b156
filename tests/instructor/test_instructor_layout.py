"""How the instructor layer is put together (issue 20): the item analysis stays pure, the old
``instructor.report`` name still reaches the class report for one release, and the two course
websites prepare a notebook through one shared module, so they agree on what a page holds."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.paths import notebooks_dir
from fluorohip.instructor import book, site
from fluorohip.instructor.notebook_export import FALLBACK_ALT, WIDGET_VIEW, course_notebooks


def test_item_analysis_imports_no_widgets_or_plots():
    code = (
        "import sys, fluorohip.instructor.item_analysis; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_old_report_name_is_the_class_report():
    from fluorohip.instructor import class_report, report

    assert report is class_report
    assert report.show is class_report.views.show


def _code_outputs(nb):
    return [
        [
            (sorted(o.get("data", {})), o.get("metadata", {}).get("image/png", {}).get("alt"))
            for o in cell.get("outputs", [])
        ]
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


def _figure_cell() -> nbformat.NotebookNode:
    """A code cell as an older notebook stored it: a PNG, its printed description, a widget view."""
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [
        nbformat.v4.new_output("stream", text="AP view: the needle tip at the head-neck junction."),
        nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
        ),
        nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: {"model_id": "x"}, "text/plain": "Slider(5)"}
        ),
    ]
    return cell


def test_both_websites_prepare_a_chapter_alike():
    bib = load_bibliography()
    source = nbformat.read(notebooks_dir() / "01_hip_anatomy.ipynb", as_version=4)
    source.cells.append(_figure_cell())
    for_site, for_book = site.prepare(source, bib), book.prepare(source, bib)
    # Same quizzes written out, same widget views dropped, same alt text on every figure.
    assert _code_outputs(for_site) == _code_outputs(for_book)
    outputs = [o for cell in _code_outputs(for_site) for o in cell]
    assert not [kinds for kinds, _ in outputs if WIDGET_VIEW in kinds]
    assert [alt for kinds, alt in outputs if "image/png" in kinds] == [
        "AP view: the needle tip at the head-neck junction."
    ]
    assert for_book.cells[-1].metadata["mystnb"]["image"]["alt"].startswith("AP view")
    quizzes = [c for c in for_site.cells if c.cell_type == "code" and "show_quiz(" in c.source]
    assert quizzes and all("<details" in c.outputs[0]["data"]["text/html"] for c in quizzes)
    # They differ only in how a citation is written: "(Author Year)" or a Sphinx role.
    site_md = "".join(c.source for c in for_site.cells if c.cell_type == "markdown")
    book_md = "".join(c.source for c in for_book.cells if c.cell_type == "markdown")
    assert "{cite:p}`" in book_md and "{cite:p}`" not in site_md
    # The notebook read from disk is never changed.
    assert WIDGET_VIEW in source.cells[-1].outputs[2]["data"]


def test_a_figure_nobody_described_still_gets_alt_text():
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    nb = nbformat.v4.new_notebook(cells=[cell])
    prepared = site.prepare(nb, {})
    assert prepared.cells[0].outputs[0]["metadata"]["image/png"]["alt"] == FALLBACK_ALT


def test_chapters_come_first_then_the_instructor_notebooks():
    found = course_notebooks()
    kinds = [c.is_chapter for c in found]
    assert kinds == sorted(kinds, reverse=True) and kinds.count(False) >= 2
    assert [c.docname for c in found if c.is_chapter] == sorted(
        p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb")
    )
    assert all(c.html_path == f"{c.docname}.html" and c.title for c in found)
