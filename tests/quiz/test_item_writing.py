"""Item-writing checks in ``fluorohip validate``: each flaw found with file:line: id, and a
real bank whose keys are all moved to position A fails (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import KEYS, line_of
from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.paths import assets_dir, quizzes_dir
from fluorohip.core.yamlread import read_yaml
from fluorohip.quiz import validate_banks
from fluorohip.quiz.itemwriting import MAX_LONGEST_SHARE, MAX_POSITION_SHARE, bank_stats

CHAPTER_BANKS = sorted(p for p in quizzes_dir().glob("0[0-6]_*.yaml") if p.stem != "00_pretest")
ALL_BANKS = sorted(quizzes_dir().glob("*.yaml"))


def _single(
    qid: str, texts: list[str], answer: str = "b", stem: str = "Which one fits this patient?"
) -> str:
    opts = "".join(
        f'      - id: {chr(97 + i)}\n        text: "{t}"\n        feedback: Because of reason {i}.\n'
        for i, t in enumerate(texts)
    )
    return (
        f'  - id: {qid}\n    type: single\n    objective: "01.1"\n    difficulty: easy\n    citations: []\n'
        f'    stem: "{stem}"\n    options:\n{opts}    answer: {answer}\n    explanation: Why.\n'
    )


HEAD = 'bank: 01_demo\ntitle: Demo\nversion: 1\nobjectives:\n  - id: "01.1"\n    text: One.\nquestions:\n'


def _check(assets: Path, text: str):
    path = assets / "quizzes" / "01_demo.yaml"
    path.write_text(text, encoding="utf-8")
    return text, validate_banks([path], KEYS, assets)


def test_clean_small_bank_passes(assets):
    text = (
        HEAD
        + _single("q-one", ["Lateral", "Medial oblique", "Superior"])
        + _single(
            "q-two", ["Ten mL", "Four mL", "Twenty mL"], stem="Which volume is **NOT** safe here?"
        )
    )
    assert _check(assets, text)[1] == []


@pytest.mark.parametrize(
    "texts, needle, message",
    [
        (["Lateral", "It always bleeds", "Superior"], "It always bleeds", "absolute word 'always'"),
        (["Lateral", "Medial", "Only the capsule"], "Only the capsule", "absolute word 'only'"),
        (
            ["Lateral", "Medial", "All of the above"],
            "All of the above",
            "'All of the above' option",
        ),
        (
            ["Lateral", "Medial", "None of the above"],
            "None of the above",
            "'None of the above' option",
        ),
        (["Lateral", "Medial", "lateral."], "lateral.", "same text as option 'a'"),
    ],
)
def test_option_flaws_are_located(assets, texts, needle, message):
    text, problems = _check(assets, HEAD + _single("q-flaw", texts, answer="a"))
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.line, p.item_id) == (line_of(text, needle), "q-flaw")
    assert p.file.endswith("01_demo.yaml") and message in p.message
    assert str(p).startswith(f"{p.file}:{line_of(text, needle)}: q-flaw: options[")


def test_absolute_word_in_the_key_is_allowed(assets):
    assert (
        _check(
            assets, HEAD + _single("q-key", ["Lateral", "Every time it fits", "Up"], answer="b")
        )[1]
        == []
    )


@pytest.mark.parametrize(
    "stem, flagged",
    [
        ("Which finding does not suggest infection?", True),
        ("Which drug is least likely to cause a flare?", True),
        ("All of these are risks EXCEPT which?", False),
        ("Which finding does **not** suggest infection?", False),
        ("Which result is a false positive?", False),
        ("She does not smoke. Which approach do you choose?", False),
    ],
)
def test_negative_lead_in_needs_emphasis(assets, stem, flagged):
    text, problems = _check(assets, HEAD + _single("q-neg", ["Lateral", "Medial", "Up"], stem=stem))
    assert bool(problems) == flagged, problems
    if flagged:
        assert (
            problems[0].line == line_of(text, "stem:") and "negative lead-in" in problems[0].message
        )


def _all_a(path: Path, tmp: Path) -> Path:
    """A copy of ``path`` with every single-best-answer key (case stages too) moved to the first option."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def move(q):
        if q.get("type") == "single":
            q["options"].sort(key=lambda o: o["id"] != q["answer"])
        for stage in q.get("stages", []):
            move(stage)

    for q in data["questions"]:
        move(q)
    out = tmp / "quizzes" / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


@pytest.mark.parametrize("path", ALL_BANKS, ids=lambda p: p.stem)
def test_a_bank_mutated_to_all_a_fails(path, tmp_path):
    keys = set(load_bibliography())
    assert not [
        p for p in validate_banks([path], keys, assets_dir()) if "bank position" in p.message
    ]
    mutated = _all_a(path, tmp_path)
    problems = validate_banks([mutated], keys, assets_dir())
    hits = [p for p in problems if "keyed option is in bank position A" in p.message]
    assert len(hits) == 1, "\n".join(map(str, problems))
    assert hits[0].item_id == path.stem and hits[0].line == read_yaml(mutated.read_text()).line(
        ("questions",)
    )


@pytest.mark.parametrize("path", ALL_BANKS, ids=lambda p: p.stem)
def test_every_bank_is_balanced(path):
    stats = bank_stats(read_yaml(path.read_text(encoding="utf-8")))
    n = stats["single"]
    assert n and max(stats["positions"].values()) / n <= MAX_POSITION_SHARE
    assert stats["keyed_longest"] / n <= MAX_LONGEST_SHARE
