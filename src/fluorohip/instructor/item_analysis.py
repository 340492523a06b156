"""Classical item analysis of a class's quiz attempts: pure functions, no I/O, no widgets.

Definitions (each one is what a hand calculation in ``tests/instructor`` reproduces):

- **Response** — a learner's *first* attempt at an item (earliest timestamp, ties by attempt
  id). Later attempts come after the feedback, so they measure the feedback, not the learner.
- **Item** — one gradable key: a question, or one stage of a case (``case-id/stage-id``).
- **Participation** — learners with at least one attempt; per learner the items answered and
  answered right first time; per bank the learners who answered at least one of its items.
- **Score per objective** — pooled: first responses correct / first responses, over every
  item of that objective in that bank and every learner who answered one.
- **Difficulty p** — the share of learners whose first response to the item was correct.
- **Discrimination r_pb** — the *corrected* point-biserial correlation: Pearson's r between
  the item (1 right, 0 wrong) and the learner's *rest score*, the share right of the other
  items of the same bank the learner answered (the item itself removed, so it does not
  correlate with itself). Learners who answered no other item of the bank are left out.
  Undefined (``None``) with fewer than 3 learners or when either variable does not vary.
  With population moments: ``r = (M1 - M0) / s * sqrt(p * q)``, M1/M0 the mean rest score of
  those right/wrong, s the SD of all rest scores, p the share right, q = 1 - p.
- **Distractors** — single: share choosing each option; multiple: share ticking each option;
  other types: the most common wrong responses.
- **Pre/post gain per objective** — see :class:`PrePost`: items in the pre-test bank(s) and the
  post-test bank(s) that share an ``objective`` id are matched. Only learners who answered
  both a pre and a post item of the objective count. ``gain = post - pre`` (pooled shares),
  normalised gain ``g = (post - pre) / (1 - pre)`` (Hake's class-average gain; undefined when
  pre = 1).
- **Debrief list** — criteria chosen for a class of 10-25, where a quarter is three to six
  people and one learner moves p by 4-10 points. An item with at least ``MIN_RESPONSES``
  responses meets a criterion when:

  1. *most missed it*: p < ``HARD_P`` (fewer than a third right first time);
  2. *a shared wrong answer*: one wrong answer (for a multiple-answer item: one wrong option
     ticked) was chosen by at least ``POPULAR_DISTRACTOR`` of the learners, by at least
     ``DISTRACTOR_MIN_LEARNERS`` of them, and by more learners than got the item right;
  3. *check the key*: r_pb <= ``NEGATIVE_R`` (stronger learners missed it more often).

  Pre-test items (answered before any teaching, so expected to be missed; see the pre/post
  gain) count only for criterion 3. Candidates are ranked by the number of criteria met,
  then lowest p, then the larger share on the wrong answer, then lowest r_pb; the debrief list
  is the top ``DEBRIEF_LIMIT`` (a debrief has time for about ten questions) and
  :attr:`ClassAnalysis.debrief_candidates` counts every item that met a criterion. Items meeting
  criterion 3 are also listed in full (:attr:`ClassAnalysis.key_checks`), whatever their rank.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .merge import Record

LOW_P = 0.5  # an objective with fewer than half right first time is a candidate for a re-teach
LOW_R = 0.20  # Ebel's classic cut-off for a poorly discriminating item (a guide line in the plot)
HARD_P = 1 / 3  # debrief: fewer than a third right first time
POPULAR_DISTRACTOR = 0.25  # debrief: one wrong answer drawing a quarter of the class...
DISTRACTOR_MIN_LEARNERS = 3  # ...and at least three learners, and more than got the item right
NEGATIVE_R = -0.20  # debrief: stronger learners missed it more often; check the key and the wording
MIN_RESPONSES = 3  # below this a share or a correlation says nothing
DEBRIEF_LIMIT = 10  # a debrief has time for about ten questions
CHECK_KEY = (
    "check the key and the wording"  # criterion 3's reason; such items are also listed in full
)


@dataclass(frozen=True)
class PrePost:
    """Which banks hold the pre-test and the post-test; items are matched by ``objective``.

    Convention (see ``src/fluorohip/instructor/README.md``): pre-test items live in bank
    ``00_pretest`` and post-test items in bank ``07_posttest``; a pre item and a post item
    testing the same objective carry the same ``objective`` id (e.g. ``"01.2"``).
    """

    pre_banks: tuple[str, ...] = ("00_pretest",)
    post_banks: tuple[str, ...] = ("07_posttest",)


DEFAULT_PREPOST = PrePost()


# -- results --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LearnerParticipation:
    learner: str
    banks: tuple[str, ...]
    items_answered: int
    items_correct: int  # right first time
    attempts: int


@dataclass(frozen=True)
class BankParticipation:
    bank: str
    title: str | None
    learners: int
    items_in_bank: int | None  # None when the bank file is not available
    items_answered: int  # distinct items anybody answered


@dataclass(frozen=True)
class Participation:
    learners: tuple[LearnerParticipation, ...]
    banks: tuple[BankParticipation, ...]

    @property
    def n_learners(self) -> int:
        return len(self.learners)


@dataclass(frozen=True)
class ObjectiveScore:
    bank: str
    objective: str
    text: str | None
    learners: int
    responses: int
    correct: int

    @property
    def p(self) -> float:
        return self.correct / self.responses if self.responses else float("nan")


@dataclass(frozen=True)
class OptionShare:
    option: str
    text: str
    correct: bool
    count: int
    share: float


@dataclass(frozen=True)
class ItemStats:
    bank: str
    question_id: str
    objective: str | None
    type: str | None  # None when the question is not in an available bank
    stem: str
    n: int
    n_correct: int
    r_pb: float | None
    r_n: int  # learners in the r_pb calculation
    options: tuple[OptionShare, ...] = ()
    wrong_answers: tuple[tuple[str, int], ...] = ()  # most common wrong responses, with counts

    @property
    def p(self) -> float:
        return self.n_correct / self.n if self.n else float("nan")

    @property
    def label(self) -> str:
        return f"{self.bank}:{self.question_id}"

    def top_distractor(self) -> tuple[str, int, float] | None:
        """The most chosen wrong answer: (label, count, share of learners)."""
        wrong = [
            (f"{o.option}: {o.text}", o.count) for o in self.options if not o.correct and o.count
        ]
        if not self.options:
            wrong = list(self.wrong_answers)
        if not wrong or not self.n:
            return None
        best = max(wrong, key=lambda w: (w[1], -wrong.index(w)))
        return best[0], best[1], best[1] / self.n


@dataclass(frozen=True)
class Gain:
    objective: str
    text: str | None
    matched: int  # learners with both a pre and a post response for this objective
    pre_responses: int
    pre_correct: int
    post_responses: int
    post_correct: int
    pre_only: int
    post_only: int

    @property
    def pre_p(self) -> float | None:
        return self.pre_correct / self.pre_responses if self.pre_responses else None

    @property
    def post_p(self) -> float | None:
        return self.post_correct / self.post_responses if self.post_responses else None

    @property
    def gain(self) -> float | None:
        if self.pre_p is None or self.post_p is None:
            return None
        return self.post_p - self.pre_p

    @property
    def normalised_gain(self) -> float | None:
        if self.gain is None or self.pre_p >= 1:
            return None
        return self.gain / (1 - self.pre_p)


@dataclass(frozen=True)
class DebriefItem:
    item: ItemStats
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ClassAnalysis:
    participation: Participation
    objectives: tuple[ObjectiveScore, ...]
    items: tuple[ItemStats, ...]
    gains: tuple[Gain, ...]
    debrief: tuple[DebriefItem, ...]  # the top DEBRIEF_LIMIT questions to revisit, ranked
    attempts: int
    pre_post: PrePost = field(default=DEFAULT_PREPOST)
    debrief_candidates: int = (
        0  # items that met at least one debrief criterion (debrief shows the top ones)
    )
    key_checks: tuple[
        DebriefItem, ...
    ] = ()  # every item with negative discrimination, never cut by the limit


def debrief_criteria(pre_post: PrePost = DEFAULT_PREPOST) -> str:
    """The debrief criteria in one paragraph of plain text (shown in the report)."""
    pre = ", ".join(pre_post.pre_banks) or "none"
    return (
        f"A question is a candidate when at least {MIN_RESPONSES} learners answered it and: (1) fewer than "
        f"a third were right first time (p < {HARD_P:.2f}); or (2) one wrong answer was chosen by at least "
        f"{POPULAR_DISTRACTOR:.0%} of the learners, by at least {DISTRACTOR_MIN_LEARNERS} of them, and by "
        f"more learners than got the question right; or (3) its discrimination r_pb is {NEGATIVE_R:.2f} or "
        f"lower (stronger learners missed it more often: check the key and the wording). Pre-test questions "
        f"({pre}) are answered before any teaching and count only for (3). Candidates are ranked by the "
        f"number of criteria met, then by the lowest share right; the top {DEBRIEF_LIMIT} are listed."
    )


# -- helpers ---------------------------------------------------------------------------------
def first_responses(records: Iterable[Record]) -> dict[tuple[str, str, str], Record]:
    """``(learner, bank, question_id)`` -> the learner's first attempt at that item."""
    out: dict[tuple[str, str, str], Record] = {}
    for r in sorted(records, key=lambda r: (r.timestamp, r.attempt_id)):
        out.setdefault((r.learner, r.bank, r.question_id), r)
    return out


def point_biserial(item: list[int], rest: list[float]) -> float | None:
    """Pearson r of a 0/1 item with a score (population moments); None if undefined."""
    n = len(item)
    if n < 3 or n != len(rest):
        return None
    p = sum(item) / n
    mean = sum(rest) / n
    var = sum((x - mean) ** 2 for x in rest) / n
    if p in (0.0, 1.0) or var <= 1e-15:
        return None
    m1 = sum(x for x, i in zip(rest, item) if i) / sum(item)
    m0 = sum(x for x, i in zip(rest, item) if not i) / (n - sum(item))
    return (m1 - m0) / math.sqrt(var) * math.sqrt(p * (1 - p))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _response_label(answer: Any) -> str:
    if isinstance(answer, str):
        return answer.strip()
    if isinstance(answer, list):
        return " > ".join(map(str, answer))
    if isinstance(answer, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(answer.items()))
    return json.dumps(answer, sort_keys=True)


class _Catalog:
    """Question metadata from the banks that are available (any may be missing)."""

    def __init__(self, banks: Mapping[str, Any] | None):
        self.banks = dict(banks or {})
        self._gradable = {stem: bank.gradable() for stem, bank in self.banks.items()}

    def question(self, bank: str, qid: str):
        return self._gradable.get(bank, {}).get(qid)

    def objective(self, bank: str, qid: str, fallback: str | None) -> str | None:
        b = self.banks.get(bank)
        if b is not None and self.question(bank, qid) is not None:
            return b.objective_of(qid) or fallback
        return fallback

    def objective_text(self, bank: str, objective: str | None) -> str | None:
        b = self.banks.get(bank)
        if b is None or objective is None:
            return None
        return next((o.text for o in b.objectives if o.id == objective), None)


# -- analysis --------------------------------------------------------------------------------
def analyse(
    records: Iterable[Record],
    banks: Mapping[str, Any] | None = None,
    pre_post: PrePost = DEFAULT_PREPOST,
) -> ClassAnalysis:
    """Everything the class report shows, from merged records and (optionally) the banks."""
    records = list(records)
    cat = _Catalog(banks)
    first = first_responses(records)
    objective_of = {}
    for (_learner, bank, qid), r in first.items():
        objective_of.setdefault((bank, qid), cat.objective(bank, qid, r.objective))

    participation = _participation(records, first, cat)
    objectives = _objective_scores(first, objective_of, cat)
    items = _items(first, objective_of, cat)
    gains = _gains(first, objective_of, cat, pre_post)
    candidates = _debrief(items, pre_post)
    # A possibly wrong key matters more than its rank: in a course for doctors every one is listed.
    key_checks = tuple(d for d in candidates if any(r.startswith(CHECK_KEY) for r in d.reasons))
    return ClassAnalysis(
        participation,
        objectives,
        items,
        gains,
        candidates[:DEBRIEF_LIMIT],
        len(records),
        pre_post,
        len(candidates),
        key_checks,
    )


def _participation(records, first, cat) -> Participation:
    attempts = Counter(r.learner for r in records)
    per_learner: dict[str, list[Record]] = defaultdict(list)
    for (learner, _, _), r in first.items():
        per_learner[learner].append(r)
    learners = tuple(
        LearnerParticipation(
            name,
            tuple(sorted({r.bank for r in rs})),
            len(rs),
            sum(r.correct for r in rs),
            attempts[name],
        )
        for name, rs in sorted(per_learner.items())
    )
    per_bank: dict[str, set] = defaultdict(set)
    items_bank: dict[str, set] = defaultdict(set)
    for learner, bank, qid in first:
        per_bank[bank].add(learner)
        items_bank[bank].add(qid)
    banks = tuple(
        BankParticipation(
            stem,
            getattr(cat.banks.get(stem), "title", None),
            len(per_bank[stem]),
            len(cat._gradable[stem]) if stem in cat._gradable else None,
            len(items_bank[stem]),
        )
        for stem in sorted(per_bank)
    )
    return Participation(learners, banks)


def _objective_scores(first, objective_of, cat) -> tuple[ObjectiveScore, ...]:
    acc: dict[tuple[str, str], list] = {}
    for (learner, bank, qid), r in first.items():
        obj = objective_of[(bank, qid)] or "?"
        slot = acc.setdefault((bank, obj), [set(), 0, 0])
        slot[0].add(learner)
        slot[1] += 1
        slot[2] += r.correct
    return tuple(
        ObjectiveScore(bank, obj, cat.objective_text(bank, obj), len(ls), n, c)
        for (bank, obj), (ls, n, c) in sorted(acc.items())
    )


def _items(first, objective_of, cat) -> tuple[ItemStats, ...]:
    by_item: dict[tuple[str, str], list[Record]] = defaultdict(list)
    by_learner_bank: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
    for (learner, bank, qid), r in first.items():
        by_item[(bank, qid)].append(r)
        by_learner_bank[(learner, bank)][qid] = r.correct
    out = []
    for (bank, qid), rs in sorted(by_item.items()):
        rs = sorted(rs, key=lambda r: r.learner)
        x, rest = [], []
        for r in rs:
            others = [
                ok for other, ok in by_learner_bank[(r.learner, bank)].items() if other != qid
            ]
            if others:
                x.append(int(r.correct))
                rest.append(sum(others) / len(others))
        q = cat.question(bank, qid)
        options, wrong = _distractors(q, rs)
        out.append(
            ItemStats(
                bank=bank,
                question_id=qid,
                objective=objective_of[(bank, qid)],
                type=getattr(q, "type", None),
                stem=_short(getattr(q, "stem", "") or ""),
                n=len(rs),
                n_correct=sum(r.correct for r in rs),
                r_pb=point_biserial(x, rest),
                r_n=len(x),
                options=options,
                wrong_answers=wrong,
            )
        )
    return tuple(out)


def _distractors(
    q, rs: list[Record]
) -> tuple[tuple[OptionShare, ...], tuple[tuple[str, int], ...]]:
    n = len(rs)
    qtype = getattr(q, "type", None)
    if qtype == "single":
        counts = Counter(r.answer for r in rs if isinstance(r.answer, str))
        return tuple(
            OptionShare(o.id, _short(o.text, 60), o.id == q.answer, counts[o.id], counts[o.id] / n)
            for o in q.options
        ), ()
    if qtype == "multiple":
        counts = Counter(a for r in rs if isinstance(r.answer, list) for a in set(r.answer))
        return tuple(
            OptionShare(o.id, _short(o.text, 60), o.id in q.answer, counts[o.id], counts[o.id] / n)
            for o in q.options
        ), ()
    wrong = Counter(_response_label(r.answer) for r in rs if not r.correct)
    return (), tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def _gains(first, objective_of, cat, pp: PrePost) -> tuple[Gain, ...]:
    # side -> objective -> learner -> [responses, correct]
    sides: dict[str, dict[str, dict[str, list[int]]]] = {
        "pre": defaultdict(dict),
        "post": defaultdict(dict),
    }
    texts: dict[str, str | None] = {}
    for (learner, bank, qid), r in first.items():
        side = "pre" if bank in pp.pre_banks else "post" if bank in pp.post_banks else None
        obj = objective_of[(bank, qid)]
        if side is None or obj is None:
            continue
        texts.setdefault(obj, cat.objective_text(bank, obj))
        slot = sides[side][obj].setdefault(learner, [0, 0])
        slot[0] += 1
        slot[1] += r.correct
    out = []
    for obj in sorted(set(sides["pre"]) | set(sides["post"])):
        pre, post = sides["pre"].get(obj, {}), sides["post"].get(obj, {})
        both = set(pre) & set(post)
        out.append(
            Gain(
                objective=obj,
                text=texts.get(obj),
                matched=len(both),
                pre_responses=sum(pre[l][0] for l in both),
                pre_correct=sum(pre[l][1] for l in both),
                post_responses=sum(post[l][0] for l in both),
                post_correct=sum(post[l][1] for l in both),
                pre_only=len(set(pre) - both),
                post_only=len(set(post) - both),
            )
        )
    return tuple(out)


def debrief_reasons(it: ItemStats, pre_test: bool = False) -> tuple[str, ...]:
    """The debrief criteria ``it`` meets, each as a reason for the instructor (empty: none)."""
    if it.n < MIN_RESPONSES:
        return ()
    reasons = []
    if not pre_test and it.p < HARD_P:
        reasons.append(
            f"most missed it: only {it.n_correct} of {it.n} right first time (p = {it.p:.2f})"
        )
    top = it.top_distractor()
    if (
        not pre_test
        and top
        and top[1] >= DISTRACTOR_MIN_LEARNERS
        and top[2] >= POPULAR_DISTRACTOR
        and top[1] > it.n_correct
    ):
        verb = "ticked the wrong option" if it.type == "multiple" else "chose the wrong answer"
        right = (
            f"more than the {it.n_correct} who got it right"
            if it.n_correct
            else "and nobody got it right"
        )
        reasons.append(f"a shared wrong answer: {top[1]} of {it.n} {verb} “{top[0]}”, {right}")
    if it.r_pb is not None and round(it.r_pb, 2) <= NEGATIVE_R:  # compared as printed
        reasons.append(
            f"{CHECK_KEY}: negative discrimination (r_pb = {it.r_pb:.2f}), "
            "stronger learners missed it more often"
        )
    return tuple(reasons)


def _debrief(
    items: tuple[ItemStats, ...], pre_post: PrePost = DEFAULT_PREPOST
) -> tuple[DebriefItem, ...]:
    """Every item that meets a debrief criterion, ranked (see the module docstring)."""
    flagged = []
    for it in items:
        reasons = debrief_reasons(it, pre_test=it.bank in pre_post.pre_banks)
        if reasons:
            flagged.append(DebriefItem(it, reasons))

    def rank(d: DebriefItem):
        top = d.item.top_distractor()
        return (
            -len(d.reasons),
            d.item.p,
            -(top[2] if top else 0.0),
            d.item.r_pb if d.item.r_pb is not None else 1.0,
            d.item.bank,
            d.item.question_id,
        )

    return tuple(sorted(flagged, key=rank))
