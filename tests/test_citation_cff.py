"""CITATION.cff must not offer the course as "MIT or CC BY": code is MIT and content is CC BY."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_citation_licence_is_not_a_choice():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["license"] == "MIT", "a list of licences in CFF means either one may be chosen"
    message = " ".join(cff["message"].split())
    assert "CC BY 4.0" in message and "MIT" in message and "LICENSE-CONTENT.md" in message
