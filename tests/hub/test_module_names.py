"""Renamed modules keep their old names for one release (0.2), as the same module objects."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import fluorohip


@pytest.mark.parametrize(
    "old, new",
    [
        ("fluorohip.hub.workshop", "fluorohip.hub.classroom"),
        ("fluorohip.hub.report", "fluorohip.hub.live_report"),
        ("fluorohip.progress.dashboard", "fluorohip.progress.views"),
        ("fluorohip.progress.cli", "fluorohip.cli.progress"),
        ("fluorohip.instructor.cli", "fluorohip.cli.class_report"),
        ("fluorohip.instructor.answer_key_cli", "fluorohip.cli.answer_key"),
        ("fluorohip.cli_support", "fluorohip.cli.base"),
    ],
)
def test_old_module_name_is_the_new_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


def test_the_load_tester_is_not_in_the_learners_package():
    package = Path(fluorohip.__file__).parent
    assert not (package / "hub" / "loadtest.py").exists()
    assert not list(package.rglob("*loadtest*"))
