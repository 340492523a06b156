"""When each injectate may start to act, is expected to act, and may wear off: ranges, not curves.

Why ranges: the anaesthetic figures are nerve-block values (intra-articular duration has not
been measured) and the steroid figures come from cohorts and trials of hip osteoarthritis; a
smooth curve would claim a precision no source gives. The windows also tell a resident when to
read the pain diary, which chapter 06 builds on. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.inputs import InputError, parse_number

from .facts import FACTS
from .local_anaesthetics import LOCAL_ANAESTHETICS

__all__ = ["HOURS_PER_DAY", "TIME_COURSE_AGENTS", "TimeCourse", "time_course"]

HOURS_PER_DAY = 24.0
TIME_COURSE_AGENTS = ("lidocaine", "bupivacaine", "ropivacaine", "corticosteroid")
#: The latest time after injection a state is asked about, h (far beyond any effect).
LATEST_TIME_H = 1e6


@dataclass(frozen=True)
class TimeCourse:
    """When an effect may start, is expected, and may end; all in hours after injection.

    ``onset_h`` and ``end_h`` are (earliest, latest) ranges. Between the latest onset and
    the earliest end the effect is *expected*; between the earliest onset and the latest
    end it is *possible*. Nothing more precise is claimed.
    """

    agent: str
    onset_h: tuple[float, float]
    end_h: tuple[float, float]
    assess_h: tuple[float, float]
    keys: tuple[str, ...]
    weak: bool

    def state(self, t_h: object) -> str:
        t = parse_number(t_h, "t_h", 0.0, LATEST_TIME_H, "h")
        (on_lo, on_hi), (end_lo, end_hi) = self.onset_h, self.end_h
        if t < on_lo:
            return "not yet"
        if t < on_hi:
            return "may have started"
        if t <= end_lo:
            return "expected"
        if t <= end_hi:
            return "may have worn off"
        return "over"

    def band(self, t_h: object) -> tuple[int, int]:
        """(lower, upper) effect indicator at ``t_h``: 1 = expected / possible, 0 = not."""
        s = self.state(t_h)
        lower = 1 if s == "expected" else 0
        upper = 1 if s in ("may have started", "expected", "may have worn off") else 0
        return lower, upper


def anaesthetic_course(name: str) -> TimeCourse:
    """A local anaesthetic's course: onset in minutes and duration in hours, from the facts."""
    la = LOCAL_ANAESTHETICS[name]
    onset, duration = FACTS[la.onset], FACTS[la.duration]
    on = (onset.range[0] / 60.0, onset.range[1] / 60.0)
    end = duration.range
    # Assess once onset is complete in most, before the earliest expected end.
    assess = (on[1], end[0])
    keys = tuple(dict.fromkeys((*onset.keys, *duration.keys, FACTS["early_assessment_min"].key)))
    return TimeCourse(name, on, end, assess, keys, onset.weak or duration.weak)


def steroid_course() -> TimeCourse:
    """The corticosteroid's course in hip osteoarthritis, from days in the facts."""
    onset, duration, assess = (
        FACTS["steroid_onset_days"],
        FACTS["steroid_duration_days"],
        FACTS["steroid_assessment_days"],
    )
    d = HOURS_PER_DAY
    keys = tuple(dict.fromkeys((*onset.keys, *duration.keys, *assess.keys)))
    return TimeCourse(
        "corticosteroid",
        (onset.range[0] * d, onset.range[1] * d),
        (duration.range[0] * d, duration.range[1] * d),
        (assess.range[0] * d, assess.range[1] * d),
        keys,
        onset.weak or duration.weak,
    )


def time_course(agent: object) -> TimeCourse:
    """The :class:`TimeCourse` of a local anaesthetic or of ``"corticosteroid"``."""
    name = agent.strip().lower() if isinstance(agent, str) else None
    if name == "corticosteroid":
        return steroid_course()
    if name is not None and name in LOCAL_ANAESTHETICS:
        return anaesthetic_course(name)
    known = ", ".join([*LOCAL_ANAESTHETICS, "corticosteroid"])
    raise InputError(f"agent must be one of {known}; got {agent!r}")
