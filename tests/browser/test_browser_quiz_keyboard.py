"""Quiz integrity in the real page (issue 22): keyboard-only answers, focus after Check, and no
score above chance for a learner who clicks the first option everywhere.

Keyboard test (start notebook, JupyterLab): from the top of the page, Tab reaches the "Skip to the
quiz" link in the first cell; Enter puts focus on the first question's first option. A single
best answer (arrow keys select, Enter checks), a multiple response (arrow keys move, Space ticks,
Enter checks) and a numeric answer (type, Enter) are answered without the mouse. After each
Check, focus is on that question's feedback, an ``aria-live`` region with a visible outline, and
the notebook's active cell has not moved (JupyterLab did not take the arrow keys). The three
answers reach the progress store by option id.

Always-first test (every chapter 00-06): click the first option shown in every single and
multiple question of the chapter quiz and press Check. The number marked correct equals what the
learner's option order predicts (so the page shows that order) and is not above chance.
"""

from __future__ import annotations

import math
import re

import browser_harness as H
import pytest

pytestmark = pytest.mark.browser

START = "notebooks/00_start_here.ipynb"
CHAPTERS = sorted(
    p.relative_to(H.ROOT).as_posix() for p in (H.ROOT / "notebooks").glob("0[0-6]_*.ipynb")
)

JS_ACTIVE = """() => {
  const a = document.activeElement;
  const q = a && a.closest('.fluorohip-question');
  const fb = a && a.closest('.fluorohip-feedback');
  const st = a ? getComputedStyle(a) : null;
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return {tag: a ? a.tagName : null, type: a ? (a.type || null) : null, text: a ? (a.textContent || '').trim().slice(0, 200) : '',
          label: a && a.closest('label') ? a.closest('label').textContent.trim() : null,
          checked: a ? !!a.checked : false, inQuestion: !!q,
          heading: q ? (q.querySelector('b') || {}).textContent || '' : '',
          feedback: !!fb, live: fb ? fb.getAttribute('aria-live') : null,
          outline: st ? st.outlineStyle + ' ' + st.outlineWidth : '',
          cell: nb && nb.content ? nb.content.activeCellIndex : null,
          isLink: a ? a.tagName === 'A' : false};
}"""


JS_LABEL_GEOMETRY = """(labels) => labels.map((l) => {
  const box = l.getBoundingClientRect(), input = l.querySelector('input').getBoundingClientRect();
  return {text: l.textContent.trim().slice(0, 60), whole: l.scrollWidth <= l.clientWidth + 1 && l.scrollHeight <= l.clientHeight + 1,
          controlFirst: input.left - box.left < 12 && input.width > 0};
})"""


def active(page) -> dict:
    return page.evaluate(JS_ACTIVE)


def tab_until(page, predicate, limit: int, what: str) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if predicate(active(page)):
            return n
    raise AssertionError(f"{what} not reached after {limit} Tab presses; focus on {active(page)}")


def _outline_visible(state: dict) -> bool:
    style, width = (state["outline"].split() + ["", ""])[:2]
    return style not in ("none", "") and float(re.sub(r"[^0-9.]", "", width) or 0) >= 2


def _wait_feedback_focus(page, number: int) -> dict:
    H.wait_until(
        lambda: active(page)["feedback"],
        H.FEEDBACK_MS / 1000,
        what=f"focus on the feedback of question {number}",
    )
    return active(page)


def _question(bank, qtype):
    for n, q in enumerate(bank.select(None), start=1):
        if q.type == qtype:
            return n, q
    pytest.skip(f"bank {bank.bank} has no {qtype} question")


def test_keyboard_only_single_multiple_numeric(lab, lab_page, timings):
    from fluorohip.quiz import load_bank
    from fluorohip.quiz.order import plain_label

    page = lab_page
    bank = load_bank("00_start_here")
    home = lab.fluorohip_home
    before = len(H.progress_attempts(home))
    H.open_notebook(page, lab, START)
    H.run_all(page)
    root = H.quiz_root(page, bank.title)
    root.wait_for(timeout=H.WIDGET_RENDER_MS)

    # The skip link. From the top of the page (JupyterLab's menus, side bars and toolbar first):
    is_skip = lambda s: s["isLink"] and s["text"].lower().startswith("skip to the quiz")  # noqa: E731
    page.evaluate(
        "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCellIndex = 0; nb.scrollToItem(0); document.activeElement.blur(); }"
    )
    timings.add(
        "quiz_keyboard",
        "tab_presses_from_page_top_to_skip_link",
        tab_until(page, is_skip, 150, "the 'Skip to the quiz' link"),
    )
    # From the notebook itself, as JupyterLab leaves focus when a notebook opens: a few presses.
    page.evaluate(
        "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCellIndex = 0; nb.scrollToItem(0); nb.node.focus(); }"
    )
    presses = tab_until(page, is_skip, 10, "the 'Skip to the quiz' link from the notebook")
    timings.add("quiz_keyboard", "tab_presses_from_notebook_to_skip_link", presses)
    page.keyboard.press("Enter")
    H.wait_until(
        lambda: active(page)["inQuestion"],
        10,
        what="focus inside the first question after the skip link",
    )
    state = active(page)
    assert state["heading"].startswith("Question 1 of"), state
    assert _outline_visible(state), state

    # Single best answer: arrow keys select within the group, Enter checks.
    n1, single = _question(bank, "single")
    assert n1 == 1, "the start bank is expected to open with a single-best-answer question"
    view = H.question_view(root, n1)
    shown = [" ".join(t.split()) for t in view.locator(".widget-radio-box label").all_inner_texts()]
    right = plain_label(next(o.text for o in single.options if o.id == single.answer))
    assert sorted(shown) == sorted(plain_label(o.text) for o in single.options), shown
    cell = state["cell"]
    if not state["checked"]:
        page.keyboard.press("ArrowDown")  # focus on an unselected first radio: select by moving
    for _ in range(len(shown) + 1):
        state = active(page)
        assert state["type"] == "radio" and state["checked"] and state["cell"] == cell, state
        if " ".join((state["label"] or "").split()) == right:
            break
        page.keyboard.press("ArrowDown")
    else:
        raise AssertionError(f"arrow keys never reached {right!r}; shown {shown}")
    # Whole labels, control first: nothing cut off, the radio at the left edge of its label.
    geometry = view.locator(".widget-radio-box label").evaluate_all(JS_LABEL_GEOMETRY)
    assert geometry and all(g["whole"] and g["controlFirst"] for g in geometry), geometry
    H.screenshot(page, "lab-quiz-single-options", view)
    page.keyboard.press("Enter")
    state = _wait_feedback_focus(page, n1)
    assert state["live"] == "polite" and _outline_visible(state), state
    assert "Correct" in view.locator(".fluorohip-feedback").inner_text()

    # Multiple response: Tab to its first box; arrows move, Space ticks, Enter checks.
    n2, multiple = _question(bank, "multiple")
    mview = H.question_view(root, n2)
    tab_until(
        page,
        lambda s: s["type"] == "checkbox" and s["heading"].startswith(f"Question {n2} of"),
        80,
        f"the first checkbox of question {n2}",
    )
    keyed = {plain_label(o.text) for o in multiple.options if o.id in multiple.answer}
    for _ in range(len(multiple.options)):
        state = active(page)
        assert state["type"] == "checkbox" and state["cell"] is not None, state
        if " ".join((state["label"] or "").split()) in keyed:
            page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    state = _wait_feedback_focus(page, n2)
    assert (
        state["live"] == "polite" and "Correct" in mview.locator(".fluorohip-feedback").inner_text()
    ), state

    # Numeric: Tab to the box, type, Enter.
    n3, numeric = _question(bank, "numeric")
    nview = H.question_view(root, n3)
    tab_until(
        page,
        lambda s: s["type"] == "text" and s["heading"].startswith(f"Question {n3} of"),
        80,
        f"the number box of question {n3}",
    )
    page.keyboard.type(f"{numeric.answer.value:g}")
    page.keyboard.press("Enter")
    state = _wait_feedback_focus(page, n3)
    assert (
        state["live"] == "polite" and "Correct" in nview.locator(".fluorohip-feedback").inner_text()
    ), state

    def saved():
        got = {
            a["question_id"]: a
            for a in H.progress_attempts(home)[before:]
            if a["bank"] == bank.bank
        }
        return got if {single.key, multiple.key, numeric.key} <= set(got) else None

    got = H.wait_until(saved, 10, what="three keyboard answers in the progress store")
    assert (got[single.key]["answer"], got[single.key]["correct"]) == (single.answer, True)
    assert (
        sorted(got[multiple.key]["answer"]) == sorted(multiple.answer)
        and got[multiple.key]["correct"]
    )
    assert got[numeric.key]["correct"] is True
    H.screenshot(page, "lab-quiz-keyboard", nview)


def _predicted_first_choice(bank):
    """(number, is-first-shown-option-correct, chance) for each top-level single/multiple item."""
    from fluorohip.quiz.model import MultipleQuestion, SingleQuestion
    from fluorohip.quiz.views import answer_controls as AnswerControls

    out = []
    for n, q in enumerate(bank.select(None), start=1):
        if isinstance(q, SingleQuestion):
            order = AnswerControls(q, bank.bank).order
            out.append((n, q, order[0] == q.answer, 1 / len(order)))
        elif isinstance(q, MultipleQuestion):
            order = AnswerControls(q, bank.bank).order
            out.append((n, q, set(q.answer) == {order[0]}, 2.0 ** -len(order)))
    return out


@pytest.mark.watchdog(600)
@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.split("/")[-1].split("_")[0])
def test_clicking_the_first_option_everywhere_is_not_above_chance(lab, lab_page, timings, notebook):
    from fluorohip.quiz import load_bank

    page = lab_page
    bank = load_bank(notebook.split("/")[-1].removesuffix(".ipynb"))
    items = _predicted_first_choice(bank)
    H.open_notebook(page, lab, notebook)
    H.run_all(page)
    root = H.quiz_root(page, bank.title)
    root.wait_for(timeout=H.WIDGET_RENDER_MS)
    correct = 0
    for n, _q, _predicted, _chance in items:
        view = H.question_view(root, n)
        first = view.locator(
            ".widget-radio-box label, .widget-checkbox label.widget-label-basic"
        ).first
        first.click(timeout=10_000)
        view.locator("button.fluorohip-check").click(timeout=10_000)
        status = view.locator(".fluorohip-feedback [role=status]")
        status.first.wait_for(state="visible", timeout=H.FEEDBACK_MS)
        correct += "Correct" in status.first.inner_text()
    predicted = sum(p for _, _, p, _ in items)
    chance = sum(c for *_, c in items)
    timings.add(
        "quiz_first_option",
        bank.bank,
        {"items": len(items), "correct": correct, "chance": round(chance, 2)},
    )
    assert correct == predicted, (correct, predicted)  # the page shows the learner's fixed order
    # Not above chance: within two standard deviations of the chance score (binomial).
    sd = math.sqrt(sum(c * (1 - c) for *_, c in items))
    assert correct <= chance + 2 * sd + 0.5, (bank.bank, correct, len(items), chance)
    assert correct < len(items)
