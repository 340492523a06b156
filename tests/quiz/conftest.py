"""Fixtures for quiz tests: a small valid bank with one question of every type."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluorohip.quiz import release

KEYS = {"Hoeber2016", "Weidner2012"}

# Every line matters: tests find expected line numbers by searching this text.
VALID_BANK = """\
bank: 01_demo
title: Demo bank
version: 2
objectives:
  - id: "01.1"
    text: First objective.
  - id: "01.2"
    text: Second objective.
questions:
  - id: demo-single
    type: single
    objective: "01.1"
    difficulty: easy
    citations: [Hoeber2016]
    stem: Which one? [@Hoeber2016]
    options:
      - id: a
        text: Alpha
        feedback: Alpha is right because it is first.
      - id: b
        text: Beta
        feedback: Beta is wrong because it is second.
    answer: a
    explanation: Alpha, as the source says [@Weidner2012].
  - id: demo-multiple
    type: multiple
    objective: "01.1"
    difficulty: medium
    citations: []
    stem: Tick all.
    options:
      - {id: a, text: One, feedback: One is right.}
      - {id: b, text: Two, feedback: Two is wrong.}
      - {id: c, text: Three, feedback: Three is right.}
    answer: [a, c]
    explanation: One and three.
  - id: demo-numeric
    type: numeric
    objective: "01.2"
    difficulty: hard
    citations: []
    stem: How many mL?
    answer: {value: 7.5, tolerance: 0.5, unit: mL}
    accept_units: [ml, cc]
    feedback_correct: Yes.
    feedback_incorrect: No, about 7.5 mL.
    explanation: About 7.5 mL.
  - id: demo-ordering
    type: ordering
    objective: "01.2"
    difficulty: medium
    citations: []
    stem: Order these.
    items:
      - {id: first, text: First step, feedback: It comes first.}
      - {id: second, text: Second step, feedback: It comes second.}
      - {id: third, text: Third step, feedback: It comes last.}
    answer: [first, second, third]
    explanation: First, second, third.
  - id: demo-label
    type: label
    objective: "01.2"
    difficulty: easy
    citations: []
    stem: Label the figure.
    figure: figures/demo.png
    alt: A picture with letters A and B.
    markers:
      - {id: A, feedback: A is the head.}
      - {id: B, feedback: B is the neck.}
    structures:
      - {id: head, text: Head}
      - {id: neck, text: Neck}
      - {id: shaft, text: Shaft}
    answer: {A: head, B: neck}
    explanation: Head and neck.
  - id: demo-case
    type: case
    objective: "01.1"
    difficulty: hard
    citations: []
    stem: A case opens.
    stages:
      - id: one
        type: single
        stem: First decision?
        options:
          - {id: a, text: Go, feedback: Going is right.}
          - {id: b, text: Stop, feedback: Stopping is wrong.}
        answer: a
        explanation: Go.
        reveal: Then something happens.
      - id: two
        type: numeric
        stem: How much?
        answer: {value: 3, unit: ""}
        feedback_correct: Yes, 3.
        feedback_incorrect: No, 3.
        explanation: Three.
    explanation: The case teaches this.
"""

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def assets(tmp_path) -> Path:
    root = tmp_path / "assets"
    (root / "figures").mkdir(parents=True)
    (root / "figures" / "demo.png").write_bytes(PNG)
    (root / "quizzes").mkdir()
    return root


@pytest.fixture
def write_bank(assets):
    def write(text: str = VALID_BANK, name: str = "01_demo.yaml") -> Path:
        path = assets / "quizzes" / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def demo_bank(write_bank, assets):
    from fluorohip.quiz import load_bank

    return load_bank(write_bank(), known_citation_keys=KEYS, assets_root=assets)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("FLUOROHIP_RELEASE_DIR", raising=False)
    monkeypatch.delenv("FLUOROHIP_LEARNER", raising=False)
    release.forget_kernel_releases()
    yield
    release.forget_kernel_releases()


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")
