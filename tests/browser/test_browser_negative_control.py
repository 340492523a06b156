"""Negative controls: break things on purpose in temporary copies and show the suite notices.

A copy of the start notebook gets one extra first cell with two breaks:

1. A broken widget: the widget check's front-end view points at a module that does not exist
   (what a bad ipywidgets pin or a missing labextension looks like to a resident). The same
   ``check_notebook`` the real test uses must report that widget, and only that widget.
2. A dead quiz button: Check does nothing; the quiz helper must time out waiting for feedback
   instead of passing, and nothing may reach the progress store.

The copy lives in build/browser-scratch/ (git-ignored) and are removed after the session.
"""

from __future__ import annotations

import json

import browser_harness as H
import pytest
from test_browser_quiz import QUIZ_NOTEBOOK, _bank_or_skip

pytestmark = pytest.mark.browser

BREAK_WIDGET = """\
# NEGATIVE CONTROL (test copy only): the widget check's view points at a missing JS module.
import fluorohip.chapters.start_here.views as _cv
_orig_init = _cv.WidgetCheck.__init__
def _broken_init(self, *args, **kwargs):
    _orig_init(self, *args, **kwargs)
    self._view_module = "@fluorohip/deliberately-missing"
_cv.WidgetCheck.__init__ = _broken_init
"""

BREAK_CHECK = """\
# NEGATIVE CONTROL (test copy only): the quiz's Check button does nothing.
from fluorohip.quiz import views as _qw
_qw.QuestionView.check = lambda self: None
"""


def _copy_with_first_cell(scratch, name: str, source: str):
    src = H.ROOT / QUIZ_NOTEBOOK
    if not src.exists():
        pytest.skip(f"{QUIZ_NOTEBOOK} does not exist yet")
    nb = json.loads(src.read_text(encoding="utf-8"))
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "negative-control",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    nb["cells"].insert(0, cell)
    path = scratch / name
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def test_broken_widget_and_dead_button_are_detected(lab, lab_page, scratch_dir):
    """One temporary copy carries both breaks (one Run All instead of two)."""
    bank, singles = _bank_or_skip()
    path = _copy_with_first_cell(
        scratch_dir, "negative_control.ipynb", BREAK_WIDGET + "\n" + BREAK_CHECK
    )
    rel = path.relative_to(H.ROOT).as_posix()
    run = H.check_notebook(lab_page, lab, rel, H.StoredExpectations.read(path))
    H.screenshot(
        lab_page, "negative-control-broken-widget", lab_page.get_by_text("widget_check()").first
    )
    print("negative control problems:", *run.problems, sep="\n  ")

    # 1. The broken widget: reported, and it is the only thing reported.
    assert run.problems, "the suite passed a notebook whose widget check cannot render"
    widget_problems = [p for p in run.problems if "widget_check()" in p and "did not render" in p]
    assert widget_problems, run.problems
    assert all("widget_check()" in p for p in run.problems), run.problems
    assert run.report["widgets_rendered"] == run.report["widgets_expected"] - 1

    # 2. The dead Check button: the quiz helper times out instead of passing, nothing is saved.
    root = H.quiz_root(lab_page, bank.title)
    view = H.question_view(root, singles[0].number)
    saved_before = len(H.progress_attempts(lab.fluorohip_home))
    with pytest.raises(Exception) as info:
        H.answer_single(lab_page, view, singles[0].right, feedback_timeout_ms=2_000)
    assert "Timeout" in type(info.value).__name__ or "Timeout" in str(info.value), info.value
    assert len(H.progress_attempts(lab.fluorohip_home)) == saved_before
