"""What a learner's attempts add up to, per bank and objective (pure; no files, no widgets).

Why apart from the store: the dashboard, ``fluorohip progress show`` and the completion page
summarise attempts that may come from anywhere (a store, an export, a test), and the rules
below (a case counts once all its stages are answered; the latest attempt decides) are the
same for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .formats import Attempt


@dataclass
class ObjectiveProgress:
    id: str
    text: str | None
    answered: int
    correct: int
    total: int | None  # None when the bank file is not available

    @property
    def met(self) -> bool:
        """Met when every question testing it has been answered correctly (last attempt)."""
        if self.total is not None:
            return self.total > 0 and self.correct == self.total
        return self.answered > 0 and self.correct == self.answered


@dataclass
class BankProgress:
    bank: str
    title: str | None
    answered: int
    correct: int
    total: int | None
    objectives: list[ObjectiveProgress]
    attempts: int

    @property
    def objectives_met(self) -> int:
        return sum(o.met for o in self.objectives)


def summarise(
    attempts: list[Attempt], banks: Mapping[str, Any] | None = None
) -> list[BankProgress]:
    """Progress per bank from ``attempts`` (oldest first).

    A question counts as answered once every gradable part (a case has one per stage) has
    an attempt, and as correct when the latest attempt of every part was correct. With
    ``banks`` (stem -> :class:`~fluorohip.quiz.model.Bank`) totals are known and attempts
    for questions no longer in the bank are ignored; banks without attempts are listed too.
    """
    banks = dict(banks or {})
    latest: dict[str, dict[str, Attempt]] = {}
    counts: dict[str, int] = {}
    for a in attempts:
        latest.setdefault(a.bank, {})[a.question_id] = a
        counts[a.bank] = counts.get(a.bank, 0) + 1
    out = []
    for stem in sorted(set(latest) | set(banks)):
        got = latest.get(stem, {})
        bank = banks.get(stem)
        if bank is not None:
            out.append(_summarise_known(bank, got, counts.get(stem, 0)))
        else:
            out.append(_summarise_unknown(stem, got, counts.get(stem, 0)))
    return out


def _summarise_known(bank: Any, got: dict[str, Attempt], n_attempts: int) -> BankProgress:
    per_obj: dict[str, list[int]] = {
        o.id: [0, 0, 0] for o in bank.objectives
    }  # answered, correct, total
    answered = correct = 0
    for q in bank.questions:
        keys = [s.key for s in q.stages] if q.type == "case" else [q.key]
        done = all(k in got for k in keys)
        right = done and all(got[k].correct for k in keys)
        answered += done
        correct += right
        if q.type == "case" and any(s.objective for s in q.stages):
            # Stages that name their own objective (the integrated cases) count there, one each.
            for s in q.stages:
                slot = per_obj.setdefault(s.objective or q.objective, [0, 0, 0])
                slot[0] += s.key in got
                slot[1] += s.key in got and got[s.key].correct
                slot[2] += 1
            continue
        slot = per_obj.setdefault(q.objective, [0, 0, 0])
        slot[0] += done
        slot[1] += right
        slot[2] += 1
    texts = {o.id: o.text for o in bank.objectives}
    objectives = [
        ObjectiveProgress(oid, texts.get(oid), a, c, t) for oid, (a, c, t) in per_obj.items()
    ]
    return BankProgress(
        bank.bank, bank.title, answered, correct, len(bank.questions), objectives, n_attempts
    )


def _summarise_unknown(stem: str, got: dict[str, Attempt], n_attempts: int) -> BankProgress:
    by_question: dict[str, list[Attempt]] = {}
    for key, attempt in got.items():
        by_question.setdefault(key.split("/", 1)[0], []).append(attempt)
    per_obj: dict[str, list[int]] = {}
    correct = 0
    for parts in by_question.values():
        right = all(p.correct for p in parts)
        correct += right
        slot = per_obj.setdefault(parts[-1].objective or "?", [0, 0])
        slot[0] += 1
        slot[1] += right
    objectives = [
        ObjectiveProgress(oid, None, a, c, None) for oid, (a, c) in sorted(per_obj.items())
    ]
    return BankProgress(stem, None, len(by_question), correct, None, objectives, n_attempts)


def course_banks() -> dict[str, Any]:
    """The course's banks (stem -> bank), for totals in a summary: what ``fluorohip progress
    show`` and the dashboard pass to :func:`summarise`."""
    from ..content.catalog import load_catalog  # content imports progress: load on use, no cycle

    return dict(load_catalog())
