"""Which questions to revisit in the debrief: the criteria, the reasons shown to the instructor
and the ranking (the thresholds are explained in the package docstring)."""

from __future__ import annotations

from .results import DEFAULT_PREPOST, DebriefItem, ItemStats, PrePost

LOW_P = 0.5  # an objective with fewer than half right first time is a candidate for a re-teach
HARD_P = 1 / 3  # debrief: fewer than a third right first time
POPULAR_DISTRACTOR = 0.25  # debrief: one wrong answer drawing a quarter of the class...
DISTRACTOR_MIN_LEARNERS = 3  # ...and at least three learners, and more than got the item right
NEGATIVE_R = -0.20  # debrief: stronger learners missed it more often; check the key and the wording
MIN_RESPONSES = 3  # below this a share or a correlation says nothing
DEBRIEF_LIMIT = 10  # a debrief has time for about ten questions
# Criterion 3's reason; items meeting it are also listed in full.
CHECK_KEY = "check the key and the wording"


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


def _rank(d: DebriefItem) -> tuple[int, float, float, float, str, str]:
    """Most criteria met, then lowest p, larger share on the wrong answer, lowest r_pb."""
    top = d.item.top_distractor()
    return (
        -len(d.reasons),
        d.item.p,
        -(top[2] if top else 0.0),
        d.item.r_pb if d.item.r_pb is not None else 1.0,
        d.item.bank,
        d.item.question_id,
    )


def ranked_candidates(
    items: tuple[ItemStats, ...], pre_post: PrePost = DEFAULT_PREPOST
) -> tuple[DebriefItem, ...]:
    """Every item that meets a debrief criterion, ranked (see the package docstring)."""
    flagged = []
    for it in items:
        reasons = debrief_reasons(it, pre_test=it.bank in pre_post.pre_banks)
        if reasons:
            flagged.append(DebriefItem(it, reasons))
    return tuple(sorted(flagged, key=_rank))
