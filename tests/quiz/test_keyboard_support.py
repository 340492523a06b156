"""The keyboard/focus support ships with every quiz and case view, and its hooks exist (issue 22).

The behaviour itself (arrow keys, Enter, focus on the feedback) is tested in a real browser in
tests/browser/test_browser_quiz_keyboard.py; these tests keep the hooks it relies on in place.
"""

from __future__ import annotations

import html
import re

from fluorohip.cases.loader import load_cases
from fluorohip.cases.views import show_case
from fluorohip.quiz import show_quiz
from fluorohip.quiz.keyboard import JS, support_html


def _support(widget):
    return [w for w in widget.children if "fluorohip-keyboard" in w._dom_classes]


def test_quiz_and_case_player_carry_the_support_once():
    quiz = show_quiz("00_start_here")
    assert len(_support(quiz)) == 1
    player = show_case(load_cases()[0].id)
    assert len(_support(player)) == 1


def test_support_is_inline_html_without_a_script_tag():
    value = support_html()
    assert "<script" not in value.lower()
    handler = re.search(r'onerror="([^"]*)"', value).group(1)
    assert html.unescape(handler) == " ".join(line.strip() for line in JS.strip().splitlines())
    assert "//" not in JS.replace("://", "")  # one line in an attribute: no line comments
    assert "__fluorohipQuizKeys" in JS  # installed once per page


def test_views_expose_the_classes_the_script_uses():
    quiz = show_quiz("00_start_here")
    view = quiz.views[0]
    for button, cls in [
        (view.check_button, "fluorohip-check"),
        (view.retry_button, "fluorohip-retry"),
        (view.show_button, "fluorohip-show"),
        (view.feedback_button, "fluorohip-see-feedback"),
    ]:
        assert cls in button._dom_classes and f"'{cls}'" in JS
    assert (
        "fluorohip-feedback" in view.feedback._dom_classes
        and "fluorohip-question" in view._dom_classes
    )


def test_invalid_input_is_marked_so_focus_stays_in_the_box():
    quiz = show_quiz("00_start_here", ["start-notebook-count"])
    view = quiz.views[0]
    view.controls.text.value = "eight"
    view.check()
    assert 'class="fluorohip-invalid"' in view.feedback.value and "fluorohip-invalid" in JS
