"""No retired teaching survives anywhere learners or instructors read (issue 19, major 2).

The course's entry rule is "stay lateral to the marked femoral artery and aim for bone"; the
retired rule ("lateral to the whole femoral bundle, whose nerve lies just lateral to the pulse")
lingered in the facilitator guide after the chapters were fixed, because the earlier checks
scanned only the anatomy and procedure modules. This scan covers every notebook (instructor
notebooks included, code, Markdown and stored outputs), every bank, case and other asset, and
every string in ``src/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Retired phrasings and why. Each pattern is matched case-insensitively across line breaks.
RETIRED = {
    r"whole\s+(?:femoral\s+)?(?:neurovascular\s+)?bundle": "retired entry rule: 'lateral to the whole bundle'",
    r"nerve\s+included": "retired entry rule: 'lateral to the bundle, nerve included'",
    r"nerve\s+lies\s+just\s+lateral\s+to\s+the\s+pulse": "retired entry rule: the nerve is not reliably just lateral to the pulse",
    r"lateral\s+to\s+the\s+(?:femoral\s+)?(?:neurovascular\s+)?bundle": "retired entry rule: use 'lateral to the marked femoral artery'",
}
PATTERNS = {re.compile(p, re.IGNORECASE): why for p, why in RETIRED.items()}


def scanned_files() -> list[Path]:
    files = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    files += sorted(
        p
        for p in (ROOT / "assets").rglob("*")
        if p.suffix in {".yaml", ".yml", ".md", ".json", ".csv"}
    )
    files += sorted((ROOT / "src").rglob("*.py"))
    files += sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
    return [p for p in files if p.is_file() and ".ipynb_checkpoints" not in p.parts]


def retired_hits(text: str) -> list[str]:
    flat = text.replace("\\n", " ")  # notebook JSON keeps line breaks as \n inside strings
    return [why for pattern, why in PATTERNS.items() if pattern.search(flat)]


def test_the_scan_covers_every_notebook_including_instructor_ones_and_every_bank_and_case():
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    assert "notebooks/instructor/facilitator_guide.ipynb" in names
    assert "notebooks/instructor/class_results.ipynb" in names
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert nb.relative_to(ROOT).as_posix() in names
    assert {p.name for p in (ROOT / "assets" / "quizzes").glob("*.yaml")} <= {
        Path(n).name for n in names
    }
    assert {p.name for p in (ROOT / "assets" / "cases").glob("*.yaml")} <= {
        Path(n).name for n in names
    }
    assert "src/fluorohip/anatomy.py" in names and "src/fluorohip/pharmacology.py" in names


@pytest.mark.parametrize(
    "text",
    [
        "skin entry lateral to the whole femoral bundle,\\nwhose nerve lies just lateral to the pulse",
        "Stay lateral to the whole bundle, nerve included.",
        "enter lateral to the neurovascular bundle",
    ],
)
def test_the_scan_finds_the_retired_facilitator_guide_wording(text):
    assert retired_hits(text)


def test_the_course_rule_passes_the_scan():
    assert not retired_hits("Stay lateral to the marked femoral artery and aim for bone.")


def test_no_retired_entry_rule_anywhere():
    found = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for why in retired_hits(text):
            found.append(f"{path.relative_to(ROOT)}: {why}")
    assert not found, "retired teaching found:\n" + "\n".join(found)
