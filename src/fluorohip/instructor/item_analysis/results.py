"""What an item analysis returns: frozen records the report, the notebook and the tests read.

Kept apart from the calculations so a reader of the report code sees every field in one place,
and so the records can be built by hand in tests without running an analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        """Hake's g = (post - pre) / (1 - pre); undefined when nobody could gain (pre = 1)."""
        pre, gain = self.pre_p, self.gain
        if pre is None or gain is None or pre >= 1:
            return None
        return gain / (1 - pre)


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
    # Items that met at least one debrief criterion (``debrief`` shows the top ones).
    debrief_candidates: int = 0
    # Every item with negative discrimination, never cut by the limit.
    key_checks: tuple[DebriefItem, ...] = ()
