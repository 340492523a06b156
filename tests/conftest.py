"""Shared fixtures. Every test runs with a throw-away progress store (FLUOROHIP_HOME)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_progress_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("fluorohip-home")
    monkeypatch.setenv("FLUOROHIP_HOME", str(home))
    monkeypatch.delenv("FLUOROHIP_WORKSHOP_MODE", raising=False)
    yield home


@pytest.fixture
def root() -> Path:
    return ROOT
