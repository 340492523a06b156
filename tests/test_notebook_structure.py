"""Every chapter follows the house shape (CONTRIBUTING.md) and is stored executed and clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from fluorohip.authoring import OBJECTIVE_ID, all_notebooks, chapters, structure_problems

ROOT = Path(__file__).resolve().parents[1]
COURSE_MAP = yaml.safe_load((ROOT / "assets" / "course_map.yaml").read_text())["notebooks"]
CHAPTERS = chapters(ROOT)
NOTEBOOKS = all_notebooks(ROOT)
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:root|home|tmp|work|Users|private|var/folders)/")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_sections_in_order(chapter):
    problems = structure_problems(chapter.path)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_objectives_match_its_bank(chapter):
    bank = ROOT / "assets" / "quizzes" / f"{chapter.stem}.yaml"
    if not bank.exists():
        pytest.skip(f"{chapter.stem} has no question bank")
    nb = nbformat.read(chapter.path, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    objectives_cell = next(s for s in cells if "## Learning objectives" in s)
    in_notebook = set(OBJECTIVE_ID.findall(objectives_cell))
    in_bank = {str(o["id"]) for o in yaml.safe_load(bank.read_text())["objectives"]}
    assert in_notebook == in_bank, f"notebook {sorted(in_notebook)} vs bank {sorted(in_bank)}"


def test_course_map_lists_every_chapter_in_order():
    planned = [e["stem"] for e in COURSE_MAP]
    present = [c.stem for c in CHAPTERS]
    assert set(present) <= set(planned), (
        f"chapters missing from assets/course_map.yaml: {set(present) - set(planned)}"
    )
    assert present == [s for s in planned if s in present]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_estimated_time_matches_course_map(chapter):
    nb = nbformat.read(chapter.path, as_version=4)
    m = re.search(r"\*\*Estimated time:\*\*\s*(\d+)", nb.cells[0].source + nb.cells[1].source)
    entry = next(e for e in COURSE_MAP if e["stem"] == chapter.stem)
    assert m and int(m.group(1)) == entry["minutes"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_stored_executed_and_clean(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", (
        "kernelspec must be python3"
    )
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, "a notebook with no code cells teaches nothing interactive"
    counts = [c["execution_count"] for c in code]
    assert None not in counts, "stored without outputs: run `make notebooks`"
    assert counts == list(range(1, len(counts) + 1)), "executed out of order; re-run top to bottom"
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"code cell {i} stored with an error"
            if out["output_type"] == "stream":
                assert out.get("name") != "stderr", (
                    f"code cell {i} wrote to stderr: {''.join(out['text'])[:200]}"
                )
            text = json.dumps(out.get("text", "")) + json.dumps(
                out.get("data", {}).get("text/plain", "")
            )
            assert not MACHINE_PATH.search(text), f"code cell {i} shows a machine path"
            assert not re.search(r" at 0x[0-9a-fA-F]+", text), (
                f"code cell {i} shows an object address"
            )
    assert "widgets" not in nb["metadata"], "widget state must be stripped (make notebooks)"


def test_structure_check_can_fail(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Intro without a title"),
        nbformat.v4.new_markdown_cell("## Key points\n\n- x"),
        nbformat.v4.new_markdown_cell("## Learning objectives"),
    ]
    path = tmp_path / "99_bad.ipynb"
    nbformat.write(nb, path)
    messages = " ".join(p.message for p in structure_problems(path))
    assert "first cell" in messages and "Estimated time" in messages
    assert "missing heading '## Check your understanding'" in messages
    assert "must end with the References cell" in messages
