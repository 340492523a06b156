"""The old module names of chapter 05 still resolve for one release (0.2), to the same objects."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "old, new",
    [
        ("fluorohip.procedure", "fluorohip.chapters.procedure.model"),
        ("fluorohip.procedure_views", "fluorohip.chapters.procedure.views"),
    ],
)
def test_old_name_is_the_new_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


def test_names_the_old_modules_offered_are_still_there():
    from fluorohip import procedure, procedure_views
    from fluorohip.chapters.procedure import guided_run, record, technique

    assert procedure.GuidedRun is guided_run.GuidedRun  # the hub load test imports these two
    assert procedure.scripted_hit is guided_run.scripted_hit
    assert procedure.build_record is record.build_record
    assert procedure.PATTERN_ACTIONS is technique.PATTERN_ACTIONS
    for name in (
        "guided_exercise",
        "GuidedExercise",
        "documentation_form",
        "save_label_figure",
        "LABEL_FIGURE",
        "LABEL_ORDER",
        "blank_monitor",
        "BLANK_MONITOR_ALT",
        "equipment_markdown",
        "aftercare_markdown",
    ):
        assert hasattr(procedure_views, name), name


def test_the_pure_model_imports_no_widgets_or_plotting():
    """The model modules must load without ipywidgets, matplotlib or IPython (run in a child)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import fluorohip.chapters.procedure.model\n"
        "bad = [m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout
