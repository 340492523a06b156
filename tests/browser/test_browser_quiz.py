"""Quiz round trip through the real page, in JupyterLab.

Opens the start notebook, runs it, and in its quiz widget answers one single-best-answer question
right and another wrong by clicking the radio option and Check *inside the widget*. Asserts:

- before Check, the question shows no feedback (negative control for the scoping);
- after Check, the question's own status area says "Correct" with the right option's feedback,
  or "Not quite" with the wrong option's feedback (texts from the question bank);
- both answers reach the progress store on disk, ``$FLUOROHIP_HOME/attempts.jsonl``, with the
  bank, question id, chosen option and correctness.
Records Check -> feedback latency.
"""

from __future__ import annotations

import browser_harness as H
import pytest

pytestmark = pytest.mark.browser

QUIZ_NOTEBOOK = "notebooks/00_start_here.ipynb"
BANK = "00_start_here"


def _bank_or_skip():
    if not (H.ROOT / QUIZ_NOTEBOOK).exists():
        pytest.skip(f"{QUIZ_NOTEBOOK} does not exist yet")
    from fluorohip.quiz import load_bank

    bank = load_bank(BANK)
    singles = H.single_choices(BANK)
    if len(singles) < 2:
        pytest.skip(f"bank {BANK} has fewer than two single-best-answer questions")
    return bank, singles


def answer_right_and_wrong(page, title, singles):
    """Answer singles[0] right and singles[1] wrong; return (latencies, feedback texts)."""
    root = H.quiz_root(page, title)
    root.wait_for(timeout=H.WIDGET_RENDER_MS)
    first, second = singles[0], singles[1]
    v1 = H.question_view(root, first.number)
    v2 = H.question_view(root, second.number)
    lat1 = H.answer_single(page, v1, first.right)
    text1 = v1.locator("[role=status]").first.inner_text()
    lat2 = H.answer_single(page, v2, second.wrong)
    text2 = v2.locator("[role=status]").first.inner_text()
    # Feedback texts are in the *feedback* widget of each view (its last HTML), not just the mark.
    fb1 = v1.locator(".widget-html").last.inner_text()
    fb2 = v2.locator(".widget-html").last.inner_text()
    return root, (lat1, lat2), (text1, text2), (fb1, fb2)


def assert_feedback(singles, texts, fbs):
    first, second = singles[0], singles[1]
    assert "Correct" in texts[0] and "Not quite" not in texts[0], texts[0]
    assert "Not quite" in texts[1] and "Correct" not in texts[1], texts[1]
    assert first.right_feedback in " ".join(fbs[0].split()), (first.right_feedback, fbs[0])
    assert second.wrong_feedback in " ".join(fbs[1].split()), (second.wrong_feedback, fbs[1])


def assert_saved(home, singles):
    first, second = singles[0], singles[1]

    def both_saved():
        got = {(a["bank"], a["question_id"]): a for a in H.progress_attempts(home)}
        return got if (BANK, first.key) in got and (BANK, second.key) in got else None

    got = H.wait_until(both_saved, 10, what=f"two attempts in {home}/attempts.jsonl")
    a1, a2 = got[(BANK, first.key)], got[(BANK, second.key)]
    assert (a1["answer"], a1["correct"]) == (first.right_id, True), a1
    assert (a2["answer"], a2["correct"]) == (second.wrong_id, False), a2


def test_quiz_round_trip_in_lab(lab, lab_page, timings):
    bank, singles = _bank_or_skip()
    home = lab.fluorohip_home
    before = len(H.progress_attempts(home))
    H.open_notebook(lab_page, lab, QUIZ_NOTEBOOK)
    H.run_all(lab_page)
    root, lat, texts, fbs = answer_right_and_wrong(lab_page, bank.title, singles)
    assert_feedback(singles, texts, fbs)
    assert_saved(home, singles)
    assert len(H.progress_attempts(home)) == before + 2
    timings.add("quiz", "lab_check_to_feedback_s", [round(x, 3) for x in lat])
    H.question_view(root, singles[1].number).scroll_into_view_if_needed()
    H.screenshot(lab_page, "lab-quiz-feedback")
