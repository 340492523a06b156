"""The start notebook under Voila (code hidden, executed server-side), as a workshop might serve it.

Asserts: the page renders with no error or stderr output and no widget error; every widget the
stored notebook displays (its text/plain-only rich outputs: in this course those are widget
reprs) is a live widget view; the widget-check slider responds to the keyboard (its line
follows); and the quiz round trip works as in Lab, with both answers in Voila's own progress
store on disk.
"""

from __future__ import annotations

import re
import time

import browser_harness as H
import pytest
from test_browser_quiz import (
    QUIZ_NOTEBOOK,
    _bank_or_skip,
    answer_right_and_wrong,
    assert_feedback,
    assert_saved,
)

pytestmark = pytest.mark.browser

JS_VOILA_REPORT = r"""() => {
  const outs = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter(el => !el.parentElement.closest('.jp-OutputArea-output'));
  return {
    widgets: outs.filter(el => el.querySelector(':scope > .jupyter-widgets')).length,
    errors: outs.filter(el => /stderr|error/.test(el.getAttribute('data-mime-type') || '')
                || /There was an error when executing cell|Traceback \(most recent call last\)/.test(el.innerText || ''))
                .map(el => (el.innerText || '').slice(0, 300)),
    widgetErrors: outs.filter(el => /Error displaying widget|Error rendering widget|Loading widget/i
                .test(el.innerText || '')).map(el => (el.innerText || '').slice(0, 200)),
    plainFallbacks: outs.filter(el => el.getAttribute('data-mime-type') === 'text/plain')
                .map(el => (el.innerText || '').slice(0, 200)),
  };
}"""


def _stored_widget_reprs(stored_path) -> list[str]:
    """text/plain of the stored notebook's text-only rich outputs: in this course, widget reprs
    (the widget view itself is stripped before commit)."""
    import json

    nb = json.loads(stored_path.read_text())
    out = []
    for c in nb["cells"]:
        for o in c.get("outputs", []) if c["cell_type"] == "code" else []:
            data = o.get("data", {})
            if o["output_type"] in ("display_data", "execute_result") and set(data) == {
                "text/plain"
            }:
                t = data["text/plain"]
                out.append(t if isinstance(t, str) else "".join(t))
    return out


def test_start_notebook_and_quiz_in_voila(voila, page, timings):
    bank, singles = _bank_or_skip()
    t0 = time.monotonic()
    page.goto(
        f"{voila.base_url}/voila/render/{QUIZ_NOTEBOOK}",
        wait_until="domcontentloaded",
        timeout=120_000,
    )
    root = H.quiz_root(page, bank.title)
    root.wait_for(timeout=120_000)
    # Voila streams cells as they execute; wait until the kernel-side run has finished.
    page.wait_for_function(
        "() => !document.querySelector('#loading') || "
        "getComputedStyle(document.querySelector('#loading')).display === 'none'",
        timeout=120_000,
    )
    reprs = _stored_widget_reprs(H.ROOT / QUIZ_NOTEBOOK)
    expected = len(reprs)
    page.wait_for_function(
        f"() => ({JS_VOILA_REPORT})().widgets >= {expected}", timeout=H.WIDGET_RENDER_MS
    )
    timings.add("quiz", "voila_open_to_widgets_s", round(time.monotonic() - t0, 3))
    report = page.evaluate(JS_VOILA_REPORT)
    assert not report["errors"], report["errors"]
    assert not report["widgetErrors"], report["widgetErrors"]
    fallbacks = [
        t for t in report["plainFallbacks"] if any(t.strip()[:60] == r.strip()[:60] for r in reprs)
    ]
    assert not fallbacks, f"widgets shown as their text repr under Voila: {fallbacks}"
    assert report["widgets"] >= expected, report

    # The widget check responds: keyboard on the slider handle, and its line follows.
    check = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider)").first
    echo = check.locator(".widget-html-content")
    before = echo.inner_text()
    start = int(re.search(r"at (\d+)", before).group(1))
    check.locator(".noUi-handle").focus()
    t1 = time.monotonic()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, want]) => el.innerText.includes(want)",
        arg=[echo.element_handle(), f"at {start + 1}"],
        timeout=H.FEEDBACK_MS,
    )
    timings.add("quiz", "voila_slider_to_echo_s", round(time.monotonic() - t1, 3))

    home = voila.fluorohip_home
    before_n = len(H.progress_attempts(home))
    root, lat, texts, fbs = answer_right_and_wrong(page, bank.title, singles)
    assert_feedback(singles, texts, fbs)
    assert_saved(home, singles)
    assert len(H.progress_attempts(home)) == before_n + 2
    timings.add("quiz", "voila_check_to_feedback_s", [round(x, 3) for x in lat])
    H.question_view(root, singles[0].number).scroll_into_view_if_needed()
    H.screenshot(page, "voila-quiz-feedback")
    assert not page.external_requests or all(
        "jsdelivr" in u or "fonts" in u for u in page.external_requests
    ), page.external_requests
