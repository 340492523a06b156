"""The old module names of chapter 06 still resolve for one release (0.2), to the same objects."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "old, new",
    [
        ("fluorohip.interpretation", "fluorohip.chapters.interpretation.model"),
        ("fluorohip.interpretation_views", "fluorohip.chapters.interpretation.views"),
    ],
)
def test_old_name_offers_every_public_name_of_the_new_module(old, new):
    """The old names are re-exports (the module was split), each name the same object."""
    old_module, new_module = importlib.import_module(old), importlib.import_module(new)
    assert old_module.__all__ == new_module.__all__
    for name in new_module.__all__:
        assert getattr(old_module, name) is getattr(new_module, name), name


def test_names_the_old_modules_offered_are_still_there():
    from fluorohip import interpretation, interpretation_views
    from fluorohip.chapters.interpretation import diagnostic, diary

    assert interpretation.load_synthetic_diaries is diary.load_synthetic_diaries
    assert interpretation.post_test_probability is diagnostic.post_test_probability
    for name in ("FACTS", "THRESHOLDS", "WINDOWS", "PATTERNS", "NEXT_STEPS", "DIARY_MAX_MIN"):
        assert hasattr(interpretation, name), name
    # the case player (fluorohip.cases.images) draws diaries through the old views name
    for name in ("plot_diary", "diary_alt_text", "plot_dilution", "dilution_alt_text"):
        assert hasattr(interpretation_views, name), name
    for name in ("FaganWidget", "PainDiaryWidget", "DiaryExercise", "bayes_demo_lrs"):
        assert hasattr(interpretation_views, name), name


def test_the_pure_model_imports_no_widgets_or_plotting():
    """The model modules must load without ipywidgets, matplotlib or IPython (run in a child)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import fluorohip.chapters.interpretation.model\n"
        "bad = [m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout
