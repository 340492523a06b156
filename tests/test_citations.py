"""Every citation used anywhere in the course (not in tests, which break keys on purpose) resolves, and clinical numbers carry a citation.

The second check is a heuristic that catches the common slip: a paragraph (or list item,
or table row) of a notebook that states a number with a clinical unit but cites nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from fluorohip.authoring import REFERENCES_FOOTER, all_notebooks
from fluorohip.core.bibliography import (
    ANY_CITATION_PATTERN,
    CITATION_PATTERN,
    find_citations,
    load_bibliography,
)

ROOT = Path(__file__).resolve().parents[1]
BIB = load_bibliography(ROOT / "assets" / "references.yaml")

#: A number followed by a unit a clinician would act on.
CLINICAL_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:-|–|to)?\s*\d*(?:[.,]\d+)?\s*"
    r"(?:%|mL|ml|mg/kg|mg|mm|cm|mGy|mSv|µGy|uGy|μGy|Gy|kg/m²|mmol/L|hours?|h\b|days?|weeks?|months?)(?![\w])"
)
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".py", ".ipynb", ".cff"}
SKIP_DIRS = {
    ".venv",
    ".git",
    "__pycache__",
    "build",
    "dist",
    ".hypothesis",
    "tests",
    "node_modules",
}
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def repo_text_files():
    for path in ROOT.rglob("*"):
        if (
            path.is_file()
            and path.suffix in TEXT_SUFFIXES
            and not (set(path.relative_to(ROOT).parts) & SKIP_DIRS)
        ):
            if path.name == "test_citations.py" or path.name.startswith("READ_ME_FIRST"):
                continue
            yield path


def test_every_citation_marker_resolves():
    missing = []
    for path in repo_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".md":  # examples of mistakes inside code fences are documentation
            text = re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))
        for key in set(find_citations(text)):
            if key not in BIB and key not in {"Key", "Author2020"}:  # placeholders in docs
                missing.append(f"{path.relative_to(ROOT)}: [@{key}]")
    assert not missing, "citation keys not in assets/references.yaml:\n" + "\n".join(
        sorted(missing)
    )


def _citation_lists(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "citations" and isinstance(v, list):
                yield from v
            else:
                yield from _citation_lists(v)
    elif isinstance(node, list):
        for item in node:
            yield from _citation_lists(item)


def test_every_citations_list_in_assets_resolves():
    missing = []
    for path in sorted((ROOT / "assets").rglob("*.yaml")):
        if path.name == "references.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in _citation_lists(data):
            if key not in BIB:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, "citations not in the bibliography:\n" + "\n".join(missing)


def uncited_clinical_numbers(markdown: str) -> list[str]:
    """Blocks (paragraph, list item, table row, blockquote line) with a clinical number but no citation."""
    bad = []
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)|\n(?=\|)", markdown)
    for block in blocks:
        if block.lstrip().startswith(("#", "**Estimated time", "```")):
            continue
        if CLINICAL_NUMBER.search(block) and not ANY_CITATION_PATTERN.search(block):
            bad.append(" ".join(block.split())[:160])
    return bad


def test_the_number_check_can_fail():
    assert uncited_clinical_numbers("Capacity is about 14 mL in small women.")
    assert not uncited_clinical_numbers(
        "Capacity is about 14 mL in small women [@HipCapacity1981]."
    )
    assert not uncited_clinical_numbers("**Estimated time:** 45 minutes")
    assert not uncited_clinical_numbers(
        "about 14 mL ([Skeletal Radiol 1981](#ref-HipCapacity1981))."
    )


@pytest.mark.parametrize("nb_path", all_notebooks(ROOT), ids=lambda p: p.name)
def test_clinical_numbers_in_notebooks_are_cited(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and REFERENCES_FOOTER not in cell.source:
            bad += [f"cell {i}: {b}" for b in uncited_clinical_numbers(cell.source)]
    assert not bad, f"{nb_path.name}: clinical numbers without a [@Key] citation:\n" + "\n".join(
        bad
    )


def _questions(node):
    if isinstance(node, dict):
        if "id" in node and ("stem" in node or "stages" in node):
            yield node
        for v in node.values():
            yield from _questions(v)
    elif isinstance(node, list):
        for item in node:
            yield from _questions(item)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


@pytest.mark.parametrize(
    "bank", sorted((ROOT / "assets" / "quizzes").glob("*.yaml")), ids=lambda p: p.name
)
def test_questions_with_clinical_numbers_cite_a_source(bank):
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    bad = []
    for q in _questions(data):
        text = "\n".join(_strings(q))
        if CLINICAL_NUMBER.search(text) and not (
            q.get("citations") or CITATION_PATTERN.search(text)
        ):
            bad.append(q["id"])
    assert not bad, f"{bank.name}: questions state clinical numbers but cite nothing: {bad}"
