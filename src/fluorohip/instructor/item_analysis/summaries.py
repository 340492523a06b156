"""The class's tables from its first responses: participation, score per objective, item
statistics with distractors, and pre/post gain; :func:`analyse` puts them together.

Pure: merged records and (optionally) the loaded banks in, frozen records out; no I/O, no widgets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ...quiz.model import Bank, Question
from ...quiz.types import type_of
from ..merge import Record
from .debrief import CHECK_KEY, DEBRIEF_LIMIT, ranked_candidates
from .measures import first_responses, point_biserial, response_label, shorten
from .results import (
    DEFAULT_PREPOST,
    BankParticipation,
    ClassAnalysis,
    Gain,
    ItemStats,
    LearnerParticipation,
    ObjectiveScore,
    OptionShare,
    Participation,
    PrePost,
)

#: ``(learner, bank, question_id)`` -> that learner's first attempt.
FirstResponses = dict[tuple[str, str, str], Record]
#: ``(bank, question_id)`` -> the objective the item counts towards.
ObjectiveOf = dict[tuple[str, str], "str | None"]


class QuestionCatalog:
    """Question metadata from the banks that are available (any may be missing: a report on
    hand-ins still works without the bank files, with fewer details)."""

    def __init__(self, banks: Mapping[str, Bank] | None):
        self.banks = dict(banks or {})
        self.gradable = {stem: bank.gradable() for stem, bank in self.banks.items()}

    def question(self, bank: str, qid: str) -> Question | None:
        return self.gradable.get(bank, {}).get(qid)

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


def analyse(
    records: Iterable[Record],
    banks: Mapping[str, Bank] | None = None,
    pre_post: PrePost = DEFAULT_PREPOST,
) -> ClassAnalysis:
    """Everything the class report shows, from merged records and (optionally) the banks."""
    records = list(records)
    catalog = QuestionCatalog(banks)
    first = first_responses(records)
    objective_of: ObjectiveOf = {}
    for (_learner, bank, qid), r in first.items():
        objective_of.setdefault((bank, qid), catalog.objective(bank, qid, r.objective))

    items = item_statistics(first, objective_of, catalog)
    candidates = ranked_candidates(items, pre_post)
    # A possibly wrong key matters more than its rank: in a course for doctors every one is listed.
    key_checks = tuple(d for d in candidates if any(r.startswith(CHECK_KEY) for r in d.reasons))
    return ClassAnalysis(
        participation=participation(records, first, catalog),
        objectives=objective_scores(first, objective_of, catalog),
        items=items,
        gains=gains(first, objective_of, catalog, pre_post),
        debrief=candidates[:DEBRIEF_LIMIT],
        attempts=len(records),
        pre_post=pre_post,
        debrief_candidates=len(candidates),
        key_checks=key_checks,
    )


def participation(
    records: list[Record], first: FirstResponses, catalog: QuestionCatalog
) -> Participation:
    """Per learner: quizzes, items answered and right first time; per bank: learners."""
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
    per_bank: dict[str, set[str]] = defaultdict(set)
    items_bank: dict[str, set[str]] = defaultdict(set)
    for learner, bank, qid in first:
        per_bank[bank].add(learner)
        items_bank[bank].add(qid)
    banks = tuple(
        BankParticipation(
            stem,
            catalog.banks[stem].title if stem in catalog.banks else None,
            len(per_bank[stem]),
            len(catalog.gradable[stem]) if stem in catalog.gradable else None,
            len(items_bank[stem]),
        )
        for stem in sorted(per_bank)
    )
    return Participation(learners, banks)


def objective_scores(
    first: FirstResponses, objective_of: ObjectiveOf, catalog: QuestionCatalog
) -> tuple[ObjectiveScore, ...]:
    """Pooled share right per (bank, objective): first responses correct / first responses."""
    learners: dict[tuple[str, str], set[str]] = defaultdict(set)
    responses: Counter[tuple[str, str]] = Counter()
    correct: Counter[tuple[str, str]] = Counter()
    for (learner, bank, qid), r in first.items():
        slot = (bank, objective_of[(bank, qid)] or "?")
        learners[slot].add(learner)
        responses[slot] += 1
        correct[slot] += r.correct
    return tuple(
        ObjectiveScore(
            bank,
            obj,
            catalog.objective_text(bank, obj),
            len(learners[(bank, obj)]),
            responses[(bank, obj)],
            correct[(bank, obj)],
        )
        for bank, obj in sorted(learners)
    )


def item_statistics(
    first: FirstResponses, objective_of: ObjectiveOf, catalog: QuestionCatalog
) -> tuple[ItemStats, ...]:
    """Difficulty, corrected point-biserial (against the rest score in the same bank) and the
    answers chosen, per item."""
    by_item: dict[tuple[str, str], list[Record]] = defaultdict(list)
    by_learner_bank: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
    for (learner, bank, qid), r in first.items():
        by_item[(bank, qid)].append(r)
        by_learner_bank[(learner, bank)][qid] = r.correct
    out = []
    for (bank, qid), unsorted in sorted(by_item.items()):
        rs = sorted(unsorted, key=lambda r: r.learner)
        right: list[int] = []
        rest: list[float] = []
        for r in rs:
            others = [
                ok for other, ok in by_learner_bank[(r.learner, bank)].items() if other != qid
            ]
            if others:
                right.append(int(r.correct))
                rest.append(sum(others) / len(others))
        q = catalog.question(bank, qid)
        options, wrong = answers_chosen(q, rs)
        out.append(
            ItemStats(
                bank=bank,
                question_id=qid,
                objective=objective_of[(bank, qid)],
                type=q.type if q is not None else None,
                stem=shorten(q.stem if q is not None else ""),
                n=len(rs),
                n_correct=sum(r.correct for r in rs),
                r_pb=point_biserial(right, rest),
                r_n=len(right),
                options=options,
                wrong_answers=wrong,
            )
        )
    return tuple(out)


def answers_chosen(
    q: Question | None, rs: list[Record]
) -> tuple[tuple[OptionShare, ...], tuple[tuple[str, int], ...]]:
    """Single: share choosing each option; multiple: share ticking each option; any other type
    (or a question whose bank is missing): the three most common wrong responses."""
    n = len(rs)
    chosen = type_of(q).options_chosen(q, [r.answer for r in rs]) if q is not None else None
    if chosen is not None:
        return tuple(
            OptionShare(oid, shorten(text, 60), keyed, count, count / n)
            for oid, text, keyed, count in chosen
        ), ()
    wrong = Counter(response_label(r.answer) for r in rs if not r.correct)
    return (), tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def gains(
    first: FirstResponses, objective_of: ObjectiveOf, catalog: QuestionCatalog, pp: PrePost
) -> tuple[Gain, ...]:
    """Pre/post gain per objective over the learners who answered both a pre and a post item."""
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
        texts.setdefault(obj, catalog.objective_text(bank, obj))
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
