"""When a diagnostic injection can be read: the anaesthetic windows and the steroid phase, in
minutes after the injection, built from chapter 03's drug time courses (one source of truth for
drug timing), and the one way the chapter writes a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.chapters.injectates.facts import FACTS as DRUG_FACTS
from fluorohip.chapters.injectates.time_course import time_course

__all__ = [
    "DIARY_MAX_MIN",
    "MINUTES_PER_DAY",
    "MINUTES_PER_WEEK",
    "STEROID_PHASE_START_MIN",
    "STEROID_WINDOW_MIN",
    "WINDOWS",
    "AnaestheticWindow",
    "format_minutes",
]


@dataclass(frozen=True)
class AnaestheticWindow:
    """When an anaesthetic response may be read, in minutes after injection.

    Built from :func:`fluorohip.time_course` (one source of truth for drug
    timing): the response is *possible* from the earliest onset to the latest end and
    *expected* from the latest onset to the earliest end. The figures are peripheral
    nerve-block values; intra-articular duration has not been measured, so the window is
    a rough guide, not a law.
    """

    drug: str
    onset_min: float  # earliest onset
    expected_from_min: float  # latest onset
    expected_until_min: float  # earliest end
    end_min: float  # latest end
    keys: tuple[str, ...]
    weak: bool = True

    def contains(self, minutes: float) -> bool:
        return self.onset_min <= minutes <= self.end_min


def _window(drug: str) -> AnaestheticWindow:
    tc = time_course(drug)
    return AnaestheticWindow(
        drug,
        60.0 * tc.onset_h[0],
        60.0 * tc.onset_h[1],
        60.0 * tc.end_h[0],
        60.0 * tc.end_h[1],
        tc.keys,
        tc.weak,
    )


#: Anaesthetic windows from notebook 03's pharmacology model [@RegionNordjyllandLA]; relief is
#: already measurable 15 min after an intra-articular anaesthetic [@PreopInjectionTHA2022].
WINDOWS: dict[str, AnaestheticWindow] = {
    d: _window(d) for d in ("lidocaine", "bupivacaine", "ropivacaine")
}

_STEROID = time_course("corticosteroid")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
#: Steroid effect: onset over days, largest at about 1 week, lasting weeks [@McCabe2016].
STEROID_WINDOW_MIN = (60.0 * _STEROID.onset_h[0], 60.0 * _STEROID.end_h[1])
#: Diary readings from the typical steroid onset (3 days, a weakly sourced teaching value) are
#: read as the steroid phase [@McCabe2016]; a 2-week diary was used by [@Ayeni2014].
_STEROID_ONSET_DAYS = DRUG_FACTS["steroid_onset_days"].value
if (
    _STEROID_ONSET_DAYS is None
):  # chapter 03 gives a single teaching value; a range would be ambiguous
    raise ValueError("pharmacology fact steroid_onset_days needs a single value")
STEROID_PHASE_START_MIN = _STEROID_ONSET_DAYS * MINUTES_PER_DAY
DIARY_MAX_MIN = STEROID_WINDOW_MIN[1]  # the latest end of the steroid effect


def format_minutes(m: float) -> str:
    """A time after the injection as a reader says it: "30 min", "4 h", "3 d", "2 wk"."""
    if m < 120:
        return f"{m:g} min"
    if m < 2 * MINUTES_PER_DAY:
        return f"{m / 60:g} h"
    if m < 2 * MINUTES_PER_WEEK:
        return f"{m / MINUTES_PER_DAY:g} d"
    return f"{m / MINUTES_PER_WEEK:g} wk"
