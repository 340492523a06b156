"""Test-wiseness cues in the pre-test, the post-test and the staged cases.

A resident who knows nothing about hips should not be able to pass these sets by reading the
options: the right answer must not be the longest or most qualified one, must not sit at the same
letter, must not be the only option free of absolute words, must not simply echo the stem, and
every option's feedback must teach (a reason plus its source). The numbers these tests print
on failure are the ones reported in the item-writing review.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = ROOT / "assets" / "quizzes"
CASES = ROOT / "assets" / "cases"

ABSOLUTE = re.compile(
    r"\b(always|never|only|all|none|every|any|cannot|can't|impossible|proves?|proven|certain(ly)?|"
    r"guarantees?|completely|entirely|no\s+risk|harmless|zero|rules?\s+out|excludes?)\b",
    re.IGNORECASE,
)
BANNED_OPTIONS = re.compile(
    r"\b(all|none|both|neither) of the (above|options|answers)\b|\bboth [a-d] and [a-d]\b",
    re.IGNORECASE,
)
STOP = set(
    """about after also and are because been before being between both but can could did does
doing done down during each from further have having here into its itself just more most much must
need needs not now off once only other over same should some such than that the their them then there
these they this those through under until very was were what when where which while who whom why will
with would your you his her him she he patient patients hip joint""".split()
)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _sba_items() -> dict[str, list[tuple[str, str, list[dict], str]]]:
    """set name -> [(item id, stem, options, answer id)] for every single-best-answer item."""
    sets: dict[str, list] = {"00_pretest": [], "07_posttest": [], "cases": []}
    for bank in ("00_pretest", "07_posttest"):
        for q in _load(QUIZZES / f"{bank}.yaml")["questions"]:
            if q["type"] == "single":
                sets[bank].append((q["id"], q["stem"], q["options"], q["answer"]))
    for path in sorted(CASES.glob("*.yaml")):
        case = _load(path)
        for stage in case["stages"]:
            q = stage["question"]
            if q["type"] == "single":
                sets["cases"].append(
                    (f"{case['case']}/{stage['id']}", q["stem"], q["options"], q["answer"])
                )
    return sets


def _all_choice_items():
    """Every single and multiple item (pre, post, case stages): (id, options)."""
    for bank in ("00_pretest", "07_posttest"):
        for q in _load(QUIZZES / f"{bank}.yaml")["questions"]:
            if q["type"] in ("single", "multiple"):
                yield q["id"], q["options"]
    for path in sorted(CASES.glob("*.yaml")):
        case = _load(path)
        for stage in case["stages"]:
            q = stage["question"]
            if q["type"] in ("single", "multiple"):
                yield f"{case['case']}/{stage['id']}", q["options"]


SETS = _sba_items()


def _split(options, answer):
    right = next(o for o in options if o["id"] == answer)
    return right, [o for o in options if o["id"] != answer]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOP}


# -- metrics (also used to report before/after numbers) ----------------------------------------------
def longest_share(items) -> float:
    """Share of items whose correct option is strictly the longest (characters)."""
    hits = 0
    for _, _, options, answer in items:
        right, wrong = _split(options, answer)
        hits += all(len(str(right["text"])) > len(str(o["text"])) for o in wrong)
    return hits / len(items)


def length_ratio(items) -> float:
    """Mean of len(correct) / mean len(distractors)."""
    ratios = []
    for _, _, options, answer in items:
        right, wrong = _split(options, answer)
        ratios.append(
            len(str(right["text"])) / (sum(len(str(o["text"])) for o in wrong) / len(wrong))
        )
    return sum(ratios) / len(ratios)


def stub_share(items) -> float:
    """Share of items with a distractor less than half as long as the correct option."""
    hits = 0
    for _, _, options, answer in items:
        right, wrong = _split(options, answer)
        hits += any(len(str(o["text"])) < 0.5 * len(str(right["text"])) for o in wrong)
    return hits / len(items)


def position_shares(items) -> dict[int, float]:
    """Share of items whose correct option is at each position (0 = first)."""
    counts = Counter(
        next(i for i, o in enumerate(options) if o["id"] == answer)
        for _, _, options, answer in items
    )
    return {k: counts[k] / len(items) for k in range(max(len(o) for _, _, o, _ in items))}


def absolute_cue_share(items) -> float:
    """Share of items where an absolute word appears in some distractor but not in the correct option."""
    hits = 0
    for _, _, options, answer in items:
        right, wrong = _split(options, answer)
        hits += any(ABSOLUTE.search(str(o["text"])) for o in wrong) and not ABSOLUTE.search(
            str(right["text"])
        )
    return hits / len(items)


def stem_echo_share(items) -> float:
    """Share of items whose correct option shares strictly more content words with the stem than any distractor."""
    hits = 0
    for _, stem, options, answer in items:
        right, wrong = _split(options, answer)
        s = _words(stem)
        hits += all(
            len(_words(str(right["text"])) & s) > len(_words(str(o["text"])) & s) for o in wrong
        )
    return hits / len(items)


def report() -> str:
    lines = []
    for name, items in SETS.items():
        pos = position_shares(items)
        lines.append(
            f"{name}: n={len(items)} longest={longest_share(items):.0%} ratio={length_ratio(items):.2f} "
            f"stub={stub_share(items):.0%} absolute-cue={absolute_cue_share(items):.0%} "
            f"stem-echo={stem_echo_share(items):.0%} positions="
            + "/".join(f"{pos[k]:.0%}" for k in sorted(pos))
        )
    return "\n".join(lines)


# -- the tests --------------------------------------------------------------------------------------
ALL = [it for items in SETS.values() for it in items]


@pytest.mark.parametrize("name", list(SETS))
def test_correct_option_is_rarely_the_longest(name):
    assert longest_share(SETS[name]) <= 0.35, report()


def test_correct_option_is_not_longer_on_average():
    assert length_ratio(ALL) <= 1.15, report()
    assert longest_share(ALL) <= 0.35, report()


@pytest.mark.parametrize("name", list(SETS))
def test_no_stub_distractors(name):
    """A one-word distractor next to a full sentence is both implausible and a length cue."""
    assert stub_share(SETS[name]) <= 0.10, report()


@pytest.mark.parametrize("name", list(SETS))
def test_answer_letters_are_spread(name):
    shares = position_shares(SETS[name])
    assert max(shares.values()) <= 0.50, report()
    assert min(shares.values()) >= 0.20, report()


@pytest.mark.parametrize("name", list(SETS))
def test_absolute_words_do_not_mark_the_distractors(name):
    assert absolute_cue_share(SETS[name]) <= 0.25, report()


@pytest.mark.parametrize("name", list(SETS))
def test_correct_option_does_not_echo_the_stem(name):
    assert stem_echo_share(SETS[name]) <= 0.35, report()


def test_no_all_or_none_of_the_above():
    bad = [
        qid
        for qid, options in _all_choice_items()
        for o in options
        if BANNED_OPTIONS.search(str(o["text"]))
    ]
    assert bad == []


def test_stems_end_in_a_question():
    """A lead-in question (not a sentence to complete) avoids grammatical cues between stem and options."""
    bad = [qid for qid, stem, _, _ in ALL if not stem.strip().endswith("?")]
    assert bad == []


def test_every_option_feedback_gives_a_reason_and_a_source():
    bad = []
    for qid, options in _all_choice_items():
        for o in options:
            fb = str(o["feedback"])
            if len(fb) < 80 or "[@" not in fb:
                bad.append(f"{qid}:{o['id']}")
    assert bad == [], f"{len(bad)} thin feedbacks: {bad[:20]}"


def test_pre_post_items_are_vignettes():
    """Most pre/post single-best-answer stems set a clinical scene before the lead-in question."""
    for name in ("00_pretest", "07_posttest"):
        items = SETS[name]
        vignettes = sum(len(stem.split()) >= 25 for _, stem, _, _ in items)
        assert vignettes / len(items) >= 0.75, f"{name}: {vignettes}/{len(items)} vignettes"


def test_pre_and_post_items_are_parallel():
    """Same objective -> same item type and difficulty in the pre- and the post-test."""
    pre = {q["objective"]: q for q in _load(QUIZZES / "00_pretest.yaml")["questions"]}
    post = {q["objective"]: q for q in _load(QUIZZES / "07_posttest.yaml")["questions"]}
    assert set(pre) == set(post)
    mismatched = [
        o
        for o in pre
        if (pre[o]["type"], pre[o]["difficulty"]) != (post[o]["type"], post[o]["difficulty"])
    ]
    assert mismatched == []


def test_pre_test_diluted_sensitivity_matches_the_model():
    """The pre-test twin of post-diluted-sensitivity uses the 67% arthrogram-checked landmark accuracy."""
    from fluorohip import interpretation as interp

    q = next(
        q for q in _load(QUIZZES / "00_pretest.yaml")["questions"] if q["id"] == "pre-miss-effect"
    )
    assert (
        abs(q["answer"]["value"] - 100 * interp.diluted_sensitivity(0.97, 0.91, 0.67))
        <= q["answer"]["tolerance"]
    )


if __name__ == "__main__":  # python tests/cases/test_item_cueing.py prints the numbers
    print(report())
