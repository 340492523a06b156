"""Authoring tools: generated References cells, output stripping, citation discovery."""

from __future__ import annotations

import nbformat
import pytest

from fluorohip import authoring
from fluorohip.core.bibliography import (
    find_citations,
    format_reference,
    load_bibliography,
    references_markdown,
    replace_citations,
)


@pytest.fixture
def course(tmp_path, monkeypatch, root):
    """A minimal course folder: the real bibliography, one notebook, one bank."""
    (tmp_path / "assets" / "quizzes").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "assets" / "references.yaml").write_text(
        (root / "assets" / "references.yaml").read_text()
    )
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv("FLUOROHIP_ROOT", str(tmp_path))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · T\n\nAccuracy was 72% [@Hoeber2016]."),
        nbformat.v4.new_code_cell("1 + 1"),
    ]
    path = tmp_path / "notebooks" / "99_demo.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "assets" / "quizzes" / "99_demo.yaml").write_text(
        "questions:\n  - id: q1\n    stem: See [@Singh2014]\n    citations:\n      - Kurup2010\n"
        "  - id: q2\n    citations: [Byrd2004, 'Lambert2007']\n"
    )
    return path


def test_cited_keys_collects_markdown_and_bank(course):
    assert authoring.cited_keys(course) == [
        "Hoeber2016",
        "Singh2014",
        "Kurup2010",
        "Byrd2004",
        "Lambert2007",
    ]


def test_write_references_then_up_to_date(course):
    assert not authoring.references_up_to_date(course)
    assert authoring.write_references(course) is True
    assert authoring.references_up_to_date(course)
    assert authoring.write_references(course) is False  # idempotent
    last = nbformat.read(course, as_version=4).cells[-1].source
    assert (
        last.startswith("## References") and "**Hoeber2016**" in last and "**Lambert2007**" in last
    )


def test_references_go_stale_when_text_changes(course):
    authoring.write_references(course)
    nb = nbformat.read(course, as_version=4)
    nb.cells[0].source += " Also [@Levi2013]."
    nbformat.write(nb, course)
    assert not authoring.references_up_to_date(course)


def test_strip_keeps_text_and_png_drops_widget_views():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/plain": "Quiz",
                "image/png": "iVBOR",
                "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
            },
        )
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"state": {}}
    authoring.strip_outputs_for_storage(nb)
    data = nb.cells[0].outputs[0]["data"]
    assert set(data) == {"text/plain", "image/png"} and "widgets" not in nb.metadata


def test_bibliography_helpers(root):
    bib = load_bibliography(root / "assets" / "references.yaml")
    assert find_citations("a [@B1] b [@A2] c [@B1]") == ["B1", "A2"]
    assert replace_citations("72% [@Hoeber2016]", bib) == "72% (Hoeber et al. 2016)"
    assert "unknown source Nope" in replace_citations("[@Nope]", bib)
    assert "doi.org/10.1177/0363546504266480" in format_reference("Byrd2004", bib["Byrd2004"])
    assert "MISSING" in references_markdown(["Nope"], bib)
    assert "cites no sources" in references_markdown([], bib)


def test_cited_keys_include_banks_and_cases_the_notebook_shows(course, tmp_path):
    (tmp_path / "assets" / "quizzes" / "98_post.yaml").write_text(
        "questions:\n  - id: p\n    citations: [Mehta2018]\n"
    )
    (tmp_path / "assets" / "cases").mkdir()
    (tmp_path / "assets" / "cases" / "c1.yaml").write_text(
        "stages:\n  - id: s\n    stem: see [@Tarar2023]\n"
    )
    nb = nbformat.read(course, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('quiz.show_quiz("98_post")'))
    nbformat.write(nb, course)
    keys = authoring.cited_keys(course)
    assert "Mehta2018" in keys and "Tarar2023" not in keys
    nb.cells.append(nbformat.v4.new_code_cell("cases.show_cases()"))
    nbformat.write(nb, course)
    assert "Tarar2023" in authoring.cited_keys(course)


def test_markers_render_as_readable_links(root):
    from fluorohip.core.bibliography import find_citations, render_citation_links

    bib = load_bibliography(root / "assets" / "references.yaml")
    text = "Accuracy 72% [@Hoeber2016] [@Singh2014]; see `[@Hoeber2016]` in code."
    out = render_citation_links(text, bib)
    assert out.startswith(
        "Accuracy 72% ([Hoeber et al. 2016](#ref-Hoeber2016); [Singh et al. 2014](#ref-Singh2014))"
    )
    assert "`[@Hoeber2016]`" in out  # code spans untouched
    assert find_citations(out) == ["Hoeber2016", "Singh2014"]
    assert render_citation_links(out, bib) == out  # idempotent


def test_write_references_renders_markers_and_anchors(course):
    authoring.write_references(course)
    nb = nbformat.read(course, as_version=4)
    assert "[@" not in nb.cells[0].source and "(#ref-Hoeber2016)" in nb.cells[0].source
    assert '<a id="ref-Hoeber2016"></a>' in nb.cells[-1].source
    assert authoring.references_up_to_date(course)


def test_chapters_are_the_course_map_entries_not_the_numbered_files(tmp_path, root):
    """A numbered notebook the map does not name is not a chapter (validate reports it), and the
    order is the map's."""
    import shutil

    shutil.copytree(root / "assets", tmp_path / "assets")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "99_stray.ipynb").write_text("{}")
    stems = [c.stem for c in authoring.chapters(tmp_path)]
    assert "99_stray" not in stems and stems[0] == "00_start_here"
    assert stems[-1] == "08_cases_and_assessment"
    final = authoring.chapters(tmp_path)[-1]
    assert (
        final.bank == "07_posttest" and final.path == tmp_path / "notebooks" / f"{final.stem}.ipynb"
    )
