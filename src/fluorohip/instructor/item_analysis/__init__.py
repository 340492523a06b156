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

The package: :mod:`.results` (the frozen records), :mod:`.measures` (first responses,
point-biserial), :mod:`.summaries` (the tables and :func:`analyse`), :mod:`.debrief` (criteria
and ranking). Pure throughout: no I/O, no widgets.
"""

from __future__ import annotations

from .debrief import (
    CHECK_KEY,
    DEBRIEF_LIMIT,
    DISTRACTOR_MIN_LEARNERS,
    HARD_P,
    LOW_P,
    MIN_RESPONSES,
    NEGATIVE_R,
    POPULAR_DISTRACTOR,
    debrief_criteria,
    debrief_reasons,
    ranked_candidates,
)
from .measures import first_responses, point_biserial
from .results import (
    DEFAULT_PREPOST,
    BankParticipation,
    ClassAnalysis,
    DebriefItem,
    Gain,
    ItemStats,
    LearnerParticipation,
    ObjectiveScore,
    OptionShare,
    Participation,
    PrePost,
)
from .summaries import analyse

__all__ = [
    "CHECK_KEY",
    "DEBRIEF_LIMIT",
    "DEFAULT_PREPOST",
    "DISTRACTOR_MIN_LEARNERS",
    "HARD_P",
    "LOW_P",
    "MIN_RESPONSES",
    "NEGATIVE_R",
    "POPULAR_DISTRACTOR",
    "BankParticipation",
    "ClassAnalysis",
    "DebriefItem",
    "Gain",
    "ItemStats",
    "LearnerParticipation",
    "ObjectiveScore",
    "OptionShare",
    "Participation",
    "PrePost",
    "analyse",
    "debrief_criteria",
    "debrief_reasons",
    "first_responses",
    "point_biserial",
    "ranked_candidates",
]
