"""One malformed case per validation rule: each gives exactly the expected file:line: id: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip.cases import CaseError, check_case_file, load_case, validate_case_files
from fluorohip.core.bibliography import load_bibliography

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
KEYS = set(load_bibliography(ASSETS / "references.yaml"))

GOOD = """\
case: tiny
title: A tiny case
version: 1
patient: A 50-year-old teacher with groin pain
presentation: Groin pain on walking.
objectives: ["04.1", "06.2"]
difficulty: easy
citations: [Mintz2016]
stages:
  - id: imaging
    kind: imaging
    findings: No imaging yet.
    question:
      type: single
      objective: "04.1"
      stem: First test?
      options:
        - id: a
          text: Radiographs
          feedback: "Right: rated 9 [@Mintz2016]."
        - id: b
          text: Injection
          feedback: "No: rated 1 [@Mintz2016]."
      answer: a
      explanation: Radiographs first [@Mintz2016].
      reveal: Moderate OA.
  - id: diary
    kind: diary
    findings: Her diary.
    image:
      diary:
        pre_score: 8
        readings: [["30 min", 2], ["2 h", 3]]
    question:
      type: numeric
      objective: "06.2"
      stem: Percent relief?
      answer: {value: 75, tolerance: 1, unit: "%"}
      feedback_correct: Yes.
      feedback_incorrect: (8 - 2) / 8.
      explanation: Percent relief.
  - id: scan
    kind: contrast
    findings: The image.
    image:
      fluoro: {contrast: capsular, seed: 2}
    question:
      type: ordering
      stem: Order.
      items:
        - {id: x, text: First, feedback: first}
        - {id: y, text: Second, feedback: second}
      answer: [x, y]
      explanation: Order.
explanation: Radiographs first [@Mintz2016].
"""


def _write(tmp_path: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path, text, name="tiny.yaml"):
    return check_case_file(_write(tmp_path, text, name), KEYS, ASSETS).problems


def test_the_good_case_is_clean_and_loads(tmp_path):
    path = _write(tmp_path, GOOD)
    assert check_case_file(path, KEYS, ASSETS).problems == []
    case = load_case(path, known_citation_keys=KEYS, assets_root=ASSETS)
    assert case.kinds == ("imaging", "diary", "contrast")
    assert (
        case.stages[2].question.objective == "04.1"
    )  # a stage without one takes the case's first objective


CASES = [  # (replace old, with new) -> (line, item, field, message fragment)
    (
        "presentation: Groin pain on walking.",
        "presentation: Groin pain: walking.",
        (5, None, None, "not valid YAML"),
    ),
    (
        "difficulty: easy",
        "difficulty: easy\ndificulty: easy",
        (8, "tiny", "dificulty", "unknown field 'dificulty'"),
    ),
    (
        "    findings: No imaging yet.\n",
        "",
        (10, "tiny/imaging", "findings", "required field is missing"),
    ),
    ("case: tiny", "case: other", (1, "other", "case", "must equal the file name")),
    ("  - id: scan", "  - id: diary", (42, "tiny/diary", "id", "duplicate stage id 'diary'")),
    (
        "      answer: a\n",
        "      answer: z\n",
        (24, "tiny/imaging", "question.answer", "answer 'z' names no option"),
    ),
    (
        '          feedback: "No: rated 1 [@Mintz2016]."\n',
        "",
        (21, "tiny/imaging", "question.options[1].feedback", "required field is missing"),
    ),
    (
        "      explanation: Radiographs first [@Mintz2016].",
        "      explanation: Radiographs first [@Smith2099].",
        (
            25,
            "tiny/imaging",
            "question.explanation",
            "citation [@Smith2099] is not in assets/references.yaml",
        ),
    ),
    (
        'objectives: ["04.1", "06.2"]',
        'objectives: ["04.1", "06.2", "09.9"]',
        (6, "tiny", "objectives", "objective '09.9' is not declared in any chapter bank"),
    ),
    (
        '      objective: "06.2"',
        '      objective: "03.1"',
        (
            36,
            "tiny/diary",
            "question.objective",
            "objective '03.1' is not declared in this case's objectives",
        ),
    ),
    (
        "pre_score: 8",
        "pre_score: 11",
        (31, "tiny/diary", "image.diary", "diary: pre-injection score must be between 0 and 10"),
    ),
    (
        "    kind: imaging",
        "    kind: xray",
        (11, "tiny/imaging", "kind", "must be one of: history"),
    ),
    (
        "{contrast: capsular, seed: 2}",
        "{contrast: arterial, seed: 2}",
        (46, "tiny/scan", "image.fluoro.contrast", "must be one of: none, intra-articular"),
    ),
    (
        "      type: single",
        "      type: case",
        (14, "tiny/imaging", "question.type", "must be one of"),
    ),
    ("citations: [Mintz2016]", "citations: []", (8, "tiny", "citations", "needs at least 1")),
]


@pytest.mark.parametrize("old,new,expected", CASES, ids=[c[2][3][:30] or c[1][:30] for c in CASES])
def test_each_rule_reports_file_line_id_field(tmp_path, old, new, expected):
    assert old in GOOD
    problems = _problems(tmp_path, GOOD.replace(old, new, 1))
    line, item, field, fragment = expected
    matches = [
        p
        for p in problems
        if p.line == line and p.item_id == item and p.field == field and fragment in p.message
    ]
    assert matches, "\n".join(map(str, problems))
    assert all(p.file.endswith("tiny.yaml") for p in problems)


def test_not_a_mapping_and_missing_file_never_raise(tmp_path):
    assert "must be a mapping" in _problems(tmp_path, "- just\n- a list\n")[0].message
    assert (
        check_case_file(tmp_path / "nope.yaml", KEYS, ASSETS).problems[0].message
        == "file not found"
    )
    bad = tmp_path / "bin.yaml"
    bad.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in check_case_file(bad, KEYS, ASSETS).problems[0].message


def test_case_id_used_twice_across_files(tmp_path):
    a = _write(tmp_path, GOOD)
    sub = tmp_path / "other"
    sub.mkdir()
    b = _write(sub, GOOD)
    problems = validate_case_files([a, b], KEYS, ASSETS)
    assert any("case id also used in" in p.message for p in problems)


def test_load_case_refuses_a_broken_case_listing_every_problem(tmp_path):
    path = _write(
        tmp_path, GOOD.replace("answer: a", "answer: z").replace("pre_score: 8", "pre_score: -1")
    )
    with pytest.raises(CaseError) as info:
        load_case(path, known_citation_keys=KEYS, assets_root=ASSETS)
    assert len(info.value.problems) == 2


def test_fluorohip_validate_reports_case_problems(tmp_path):
    from fluorohip.content.validate import case_problems

    assert case_problems(ROOT, KEYS) == []
