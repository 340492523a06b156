"""Answer key contents, the handout version, and the workshop-mode release round trip."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from fluorohip.cases.bank import CASES_BANK, cases_bank
from fluorohip.cli import answer_key as answer_key_cli
from fluorohip.instructor.answer_key import (
    answer_key_html,
    question_html,
    question_keys,
    sources_block,
)
from fluorohip.instructor.item_analysis import ItemStats
from fluorohip.quiz import release as workshop
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
            assert f"<code>{html.escape(bank.bank)}:{html.escape(q.key)}</code>" in key_html, q.id
            assert markdown_html(q.explanation, bib) in key_html, f"{q.key}: explanation"
            if isinstance(q, (SingleQuestion, MultipleQuestion)):
                for o in q.options:
                    assert markdown_html(o.feedback, bib, inline=True) in key_html, (
                        f"{q.key}: feedback {o.id}"
                    )
                right = {q.answer} if isinstance(q, SingleQuestion) else set(q.answer)
                for o in q.options:
                    mark = "right" if o.id in right else "wrong"
                    assert (
                        f"{markdown_html(o.text, bib, inline=True)} <em>({mark})</em>" in key_html
                    ), q.key
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
    assert (
        "Show answer" in hidden
        and "(right)" in hidden
        and "right" not in before.split("</p>", 2)[-1]
    )
    assert "Alpha" in before  # the options are visible, only the key is hidden


def test_bank_text_cannot_inject_script():
    data = {
        **T1,
        "questions": [
            {
                **T1["questions"][0],
                "stem": "<script>alert(1)</script> Q?",
                "explanation": "<img src=x onerror=alert(1)>",
            }
        ],
    }
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
    workshop.forget_kernel_releases()
    assert not workshop.answers_released("01_hip_anatomy")
    assert answer_key_cli.main(["--release", "01_hip_anatomy"]) == 0
    assert (tmp_path / "released" / "01_hip_anatomy").exists()
    workshop.forget_kernel_releases()  # as another learner's kernel sees it: only the flag file
    assert workshop.answers_released("01_hip_anatomy")
    assert not workshop.answers_released("03_injectates")
    assert answer_key_cli.main(["--release-all"]) == 0
    workshop.forget_kernel_releases()
    assert workshop.answers_released("03_injectates")
    assert answer_key_cli.main(["--status"]) == 0
    assert "Released: 01_hip_anatomy, ALL" in capsys.readouterr().out
    assert answer_key_cli.main(["--release", "../etc"]) == 1
    workshop.forget_kernel_releases()


def test_sources_show_clean_references_not_the_notebook_anchor(key_html):
    # format_reference starts with '<a id="ref-Key"></a>' for notebooks; rendered with HTML off it
    # showed as text before every source
    assert "&lt;a id=" not in key_html and "<a id=" not in key_html
    bib = {
        "Lesher2008": {
            "citation": "Lesher JM et al. Hip joint pain referral patterns. <i>Pain Med</i> 2008.",
            "short": "Pain Med 2008",
            "doi": "10.1111/j.1526-4637.2007.00342.x",
        }
    }
    text = sources_block(["Lesher2008"], bib)
    assert text.startswith(
        "<div class='sources'><b>Sources</b><ul><li><strong>Lesher2008</strong> (Pain Med 2008): "
    )
    assert "&lt;a" not in text and "ref-Lesher2008" not in text
    assert '<a href="https://doi.org/10.1111/j.1526-4637.2007.00342.x">link</a>' in text
    assert (
        "<i>" not in text and "&lt;i&gt;" in text
    )  # the citation itself still cannot inject markup


def test_question_labels_are_unique_and_match_the_class_report(banks):
    every = [*banks, cases_bank()]
    names = {b.bank for b in every}
    assert {
        "00_pretest",
        "00_start_here",
        "07_posttest",
        CASES_BANK,
    } <= names  # the banks that clashed
    text = answer_key_html(every)
    heads = re.findall(r"<h[3-6] id='([^']*)'>([^<]*) · <code>([^<]*)</code>", text)
    assert len(heads) == sum(1 for b in every for _ in _flat(b))
    for column in range(3):  # anchor, visible number, report label: no repeats
        repeats = [k for k, n in Counter(h[column] for h in heads).items() if n > 1]
        assert not repeats, repeats
    assert "07_posttest Q3" in {h[1] for h in heads} and "07_cases Q3" in {h[1] for h in heads}
    labels = {h[2] for h in heads}
    for b in every:
        for q in _flat(b):
            stats = ItemStats(
                bank=b.bank,
                question_id=q.key,
                objective=None,
                type=None,
                stem="",
                n=0,
                n_correct=0,
                r_pb=None,
                r_n=0,
            )
            assert html.escape(stats.label) in labels, (
                stats.label
            )  # as the class report names the item
    case = cases_bank().questions[1]
    assert f"07_cases Q2.1 · <code>07_cases:{case.id}/{case.stages[0].id}</code>" in text


def test_cli_unknown_bank_is_one_line_listing_the_known_ones(tmp_path, capsys):
    out = tmp_path / "key.html"
    assert answer_key_cli.main(["--out", str(out), "--bank", "nope", "00_start_here"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "'nope'" in err and "known:" in err and "00_start_here" in err and CASES_BANK in err
    assert "file not found" not in err and not out.exists()


def test_cli_bank_repeats(tmp_path, capsys):
    out = tmp_path / "key.html"
    assert (
        answer_key_cli.main(["--out", str(out), "--bank", "00_start_here", "--bank", "00_pretest"])
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "id='00_start_here'" in text and "id='00_pretest'" in text


@pytest.fixture
def release_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_WORKSHOP_MODE", "1")
    monkeypatch.setenv("FLUOROHIP_RELEASE_DIR", str(tmp_path / "released"))
    workshop.forget_kernel_releases()
    yield tmp_path / "released"
    workshop.forget_kernel_releases()


def test_release_repeated_releases_every_bank(release_folder, capsys):
    assert answer_key_cli.main(["--release", "01_hip_anatomy", "--release", "03_injectates"]) == 0
    assert answer_key_cli.main(["--release", "05_procedure", CASES_BANK]) == 0
    out = capsys.readouterr().out
    for stem in ("01_hip_anatomy", "03_injectates", "05_procedure", CASES_BANK):
        assert (release_folder / stem).exists(), stem
        assert f"Released {stem}: " in out
    workshop.forget_kernel_releases()
    assert workshop.answers_released("01_hip_anatomy") and workshop.answers_released(
        "03_injectates"
    )
    assert not workshop.answers_released("02_image_guidance")


def test_hide_undoes_a_release_for_the_next_cohort(release_folder, capsys):
    assert answer_key_cli.main(["--release", "01_hip_anatomy", "03_injectates", "07_posttest"]) == 0
    assert answer_key_cli.main(["--hide", "03_injectates", "--hide", "02_image_guidance"]) == 0
    workshop.forget_kernel_releases()  # a learner's kernel: only the flags on disk
    assert not workshop.answers_released("03_injectates")
    assert workshop.answers_released("01_hip_anatomy")
    capsys.readouterr()
    assert answer_key_cli.main(["--status"]) == 0
    out = capsys.readouterr().out
    assert "Released: 01_hip_anatomy, 07_posttest\n" in out
    hidden = next(line for line in out.splitlines() if line.startswith("Hidden: "))
    assert "03_injectates" in hidden and "01_hip_anatomy" not in hidden

    # an unknown name changes nothing
    assert answer_key_cli.main(["--hide", "01_hip_anatomy", "nope"]) == 1
    err = capsys.readouterr().err
    assert "'nope'" in err and "known:" in err and "Traceback" not in err
    assert (release_folder / "01_hip_anatomy").exists()

    # a bank released through ALL cannot be hidden alone: refused, nothing changed
    assert answer_key_cli.main(["--release-all"]) == 0
    assert answer_key_cli.main(["--hide", "07_posttest"]) == 1
    assert "--hide-all" in capsys.readouterr().err
    assert (release_folder / "ALL").exists() and (release_folder / "07_posttest").exists()

    # the next cohort: everything hidden again
    assert answer_key_cli.main(["--hide-all"]) == 0
    workshop.forget_kernel_releases()
    for stem in ("01_hip_anatomy", "07_posttest", "03_injectates"):
        assert not workshop.answers_released(stem), stem
    assert not list(release_folder.iterdir())
    capsys.readouterr()
    assert answer_key_cli.main(["--status"]) == 0
    out = capsys.readouterr().out
    assert "Released: nothing" in out and "Hidden: 00_pretest" in out
    assert answer_key_cli.main(["--hide-all"]) == 0  # nothing to hide is fine
    assert answer_key_cli.main(["--hide-all", "--release-all"]) == 2


def test_key_and_class_report_catalog_include_every_course_map_chapter(key_html):
    """A chapter added to the course map (07 Beyond the injection) reaches the key and the class report."""
    from fluorohip.content.catalog import load_catalog
    from fluorohip.content.course_map import chapter_stems

    catalog = load_catalog()
    for stem in chapter_stems():
        assert stem in catalog, f"class report catalog lacks {stem}"
        assert f"{stem} Q1" in key_html, f"answer key lacks {stem}"


def test_options_are_listed_in_bank_order_with_their_ids():
    """Learners see a shuffled order; the key and report use the bank's order and option ids (issue 22)."""
    import re as _re

    from fluorohip.instructor.answer_key import question_html
    from fluorohip.quiz import load_bank
    from fluorohip.quiz.model import SingleQuestion

    bank = load_bank("01_hip_anatomy")
    checked = 0
    for q in bank.questions:
        if not isinstance(q, SingleQuestion):
            continue
        shown = _re.findall(r"<li[^>]*><b>([^<]+)\.</b>", question_html(q, "1", {}))
        assert shown == [o.id for o in q.options], (q.id, shown)
        checked += q.options[0].id != q.answer  # some keys are no longer first in the bank
    assert checked >= 3
