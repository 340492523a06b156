"""Answer key contents, the handout version, and the workshop-mode release round trip."""

from __future__ import annotations

import html

import pytest

from fluorohip.instructor import answer_key_cli
from fluorohip.instructor.answer_key import answer_key_html, question_html, question_keys
from fluorohip.quiz import workshop
from fluorohip.quiz.loader import available_banks, bank_from_data, load_bank
from fluorohip.quiz.model import CaseQuestion, MultipleQuestion, NumericQuestion, SingleQuestion
from fluorohip.quiz.render import bibliography, markdown_html

from .conftest import T1


@pytest.fixture(scope="module")
def banks():
    return [load_bank(s) for s in available_banks()]


@pytest.fixture(scope="module")
def key_html(banks):
    return answer_key_html(banks)


def _flat(bank):
    for q in bank.questions:
        yield q
        if isinstance(q, CaseQuestion):
            yield from q.stages


def test_every_question_answer_feedback_explanation_and_source(banks, key_html):
    bib = bibliography()
    assert banks, "no banks found"
    for bank in banks:
        for q in _flat(bank):
            assert f"<code>{html.escape(q.id)}</code>" in key_html, q.id
            assert markdown_html(q.explanation, bib) in key_html, f"{q.key}: explanation"
            if isinstance(q, (SingleQuestion, MultipleQuestion)):
                for o in q.options:
                    assert markdown_html(o.feedback, bib, inline=True) in key_html, f"{q.key}: feedback {o.id}"
                right = {q.answer} if isinstance(q, SingleQuestion) else set(q.answer)
                for o in q.options:
                    mark = "right" if o.id in right else "wrong"
                    assert f"{markdown_html(o.text, bib, inline=True)} <em>({mark})</em>" in key_html, q.key
            if isinstance(q, NumericQuestion):
                assert markdown_html(q.feedback_correct, bib, inline=True) in key_html
            for k in question_keys(q):
                assert html.escape(bib[k]["short"]) in key_html, f"{q.key}: source {k}"


def test_the_answer_is_stated(banks, key_html):
    q = next(q for b in banks for q in b.questions if isinstance(q, SingleQuestion))
    right = next(o for o in q.options if o.id == q.answer)
    assert markdown_html(f"**Answer:** {right.text}", bibliography()) in key_html


def test_handout_hides_answers_behind_a_click():
    bank = bank_from_data(T1)
    text = question_html(bank.questions[0], "Q1", {}, with_answers=False)
    before, _, hidden = text.partition("<details>")
    assert "Show answer" in hidden and "(right)" in hidden and "right" not in before.split("</p>", 2)[-1]
    assert "Alpha" in before  # the options are visible, only the key is hidden


def test_bank_text_cannot_inject_script():
    data = {**T1, "questions": [{**T1["questions"][0], "stem": "<script>alert(1)</script> Q?",
                                 "explanation": "<img src=x onerror=alert(1)>"}]}
    text = question_html(bank_from_data(data).questions[0], "Q1", {})
    assert "<script>" not in text and "<img src=x" not in text


def test_cli_writes_the_key(tmp_path, capsys):
    out = tmp_path / "key.html"
    assert answer_key_cli.main(["--out", str(out), "--bank", "00_start_here"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "start-educational-use" in text and "<script" not in text
    assert answer_key_cli.main(["--out", str(out), "--bank", "99_nope"]) == 1
    assert answer_key_cli.main([]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_workshop_release_round_trip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    workshop._reset_for_tests()
    assert not workshop.answers_released("01_hip_anatomy")
    assert answer_key_cli.main(["--release", "01_hip_anatomy"]) == 0
    assert (tmp_path / "released" / "01_hip_anatomy").exists()
    workshop._reset_for_tests()  # as another learner's kernel sees it: only the flag file
    assert workshop.answers_released("01_hip_anatomy")
    assert not workshop.answers_released("03_injectates")
    assert answer_key_cli.main(["--release-all"]) == 0
    workshop._reset_for_tests()
    assert workshop.answers_released("03_injectates")
    assert answer_key_cli.main(["--status"]) == 0
    assert "Released: 01_hip_anatomy, ALL" in capsys.readouterr().out
    assert answer_key_cli.main(["--release", "../etc"]) == 1
    workshop._reset_for_tests()
