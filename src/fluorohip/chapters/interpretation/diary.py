"""The pain diary of chapter 06: reading typed diaries (with a message for every problem),
naming the pattern a diary shows against the anaesthetic window and a chosen threshold, and the
synthetic diaries in ``assets/diaries/diaries.yaml``.

Pure Python: no widgets. Teaching only: this module does not diagnose anyone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fluorohip.core.inputs import InputError, parse_number
from fluorohip.core.paths import assets_dir
from fluorohip.core.yamlread import load_yaml_file

from .relief import Threshold, is_positive, percent_relief, threshold_for
from .windows import (
    DIARY_MAX_MIN,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    STEROID_PHASE_START_MIN,
    WINDOWS,
    AnaestheticWindow,
    format_minutes,
)

__all__ = [
    "NEXT_STEPS",
    "PARTIAL_RELIEF_PERCENT",
    "PATTERNS",
    "STEROID_RESPONSE_PERCENT",
    "DiaryError",
    "DiaryReading",
    "DiarySummary",
    "PainDiary",
    "load_synthetic_diaries",
    "parse_diary",
    "summarise_diary",
    "validate_diary",
]


class DiaryError(ValueError):
    """A pain diary that cannot be read, with every problem listed for the learner."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class DiaryReading:
    minutes: float  # minutes after the injection
    score: float  # pain 0-10 during the usual provocative activity


@dataclass(frozen=True)
class PainDiary:
    pre_score: float
    readings: tuple[DiaryReading, ...]
    anaesthetic: str = "bupivacaine"
    steroid: bool = True
    id: str = ""
    title: str = ""
    story: str = ""
    provoked: bool = True  # were scores taken during the provocative activity?


_UNIT_MIN = {
    "min": 1,
    "m": 1,
    "h": 60,
    "hr": 60,
    "d": MINUTES_PER_DAY,
    "day": MINUTES_PER_DAY,
    "days": MINUTES_PER_DAY,
    "w": MINUTES_PER_WEEK,
    "wk": MINUTES_PER_WEEK,
    "week": MINUTES_PER_WEEK,
    "weeks": MINUTES_PER_WEEK,
    "": 1,
}
_TIME = re.compile(r"^\s*(?P<num>[+-]?(\d+(\.\d*)?|\.\d+))\s*(?P<unit>[a-z]*)\s*$", re.IGNORECASE)


def _parse_time(text: str) -> float | None:
    m = _TIME.match(text)
    if not m or m.group("unit").lower() not in _UNIT_MIN:
        return None
    return float(m.group("num")) * _UNIT_MIN[m.group("unit").lower()]


def parse_diary(text: str) -> list[tuple[str, str]]:
    """Split diary text into (time, score) string pairs, one reading per line.

    A line is ``time, score`` (comma, semicolon, tab or spaces). Times are minutes after the
    injection, or carry a unit: ``30 min``, ``4 h``, ``2 d``, ``1 wk``. Blank lines and lines
    starting with # are ignored.
    """
    pairs = []
    for line in str(text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in re.split(r"[,;\t]", line)]
        if len(parts) == 1:
            bits = line.rsplit(None, 1)
            parts = bits if len(bits) == 2 else [line]
        if len(parts) == 1:
            parts = ["", parts[0]]
        pairs.append((parts[0], ",".join(parts[1:]).strip()))
    return pairs


def validate_diary(pre_score, rows: Iterable, anaesthetic: str = "bupivacaine") -> PainDiary:
    """Check a diary and return it, or raise :class:`DiaryError` listing every problem.

    ``rows`` holds (time, score) pairs: numbers, or strings as typed. Problems named: a
    missing time or score, letters where a number belongs, scores outside 0-10, negative or
    absurd times, times out of order or repeated, an empty diary, an unknown anaesthetic.
    """
    problems: list[str] = []
    pre = _score_or_problem("pre-injection score", pre_score, problems)
    if pre is not None and pre == 0:
        problems.append(
            "pre-injection score is 0: the provocative activity must hurt before the injection, or relief cannot be measured"
        )
    if anaesthetic not in WINDOWS:
        problems.append(
            f"anaesthetic must be one of {', '.join(sorted(WINDOWS))}; got {anaesthetic!r}"
        )
    readings: list[DiaryReading] = []
    rows = list(rows)
    if not rows:
        problems.append("the diary has no readings: add at least one 'time, score' line")
    last = None
    for i, row in enumerate(rows, start=1):
        try:
            t_raw, s_raw = row
        except (TypeError, ValueError):
            problems.append(f"reading {i}: expected a time and a score; got {row!r}")
            continue
        t = _time_or_problem(i, t_raw, problems)
        s = _score_or_problem(f"reading {i}: score", s_raw, problems)
        if t is not None:
            if last is not None and t <= last:
                word = "repeats" if t == last else "comes before"
                problems.append(
                    f"reading {i}: time {format_minutes(t)} {word} an earlier reading ({format_minutes(last)}); "
                    "list readings in time order, one per time"
                )
            last = t if last is None else max(last, t)
        if t is not None and s is not None:
            readings.append(DiaryReading(t, s))
    if problems or pre is None:  # pre is None only with a problem recorded
        raise DiaryError(problems)
    return PainDiary(pre_score=pre, readings=tuple(readings), anaesthetic=anaesthetic)


def _score_or_problem(name: str, raw, problems: list[str]) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(f"{name} is missing: give a number between 0 and 10")
        return None
    try:
        # No decimal comma: in a diary line the comma separates the time from the score.
        return parse_number(raw, name, 0, 10, decimal_comma=False)
    except InputError as exc:
        problems.append(str(exc))
        return None


def _time_or_problem(i: int, raw, problems: list[str]) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(
            f"reading {i}: time is missing: give minutes after the injection, e.g. '30' or '4 h'"
        )
        return None
    if isinstance(raw, str):
        t = _parse_time(raw)
        if t is None:
            problems.append(
                f"reading {i}: time must be a number of minutes or carry a unit (min, h, d, wk); got {raw.strip()!r}"
            )
            return None
    elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or math.isnan(raw):
        problems.append(f"reading {i}: time must be a number of minutes; got {raw!r}")
        return None
    else:
        t = float(raw)
    if t < 0:
        problems.append(
            f"reading {i}: time must be 0 or more minutes after the injection; got {t:g}"
        )
        return None
    if t > DIARY_MAX_MIN:
        problems.append(
            f"reading {i}: time {format_minutes(t)} is beyond {format_minutes(DIARY_MAX_MIN)}, "
            "after the latest expected end of the steroid effect"
        )
        return None
    return t


#: Diary patterns the summary can name, with a one-line meaning.
PATTERNS: dict[str, str] = {
    "anaesthetic-response": "relief inside the anaesthetic window: supports an intra-articular pain source",
    "no-response": "no relief inside the anaesthetic window despite provoked readings",
    "late-steroid-only": "no anaesthetic relief, then relief days later (steroid phase)",
    "partial-response": "some relief in the window, below the chosen threshold",
    "not-assessable": "no provoked reading inside the anaesthetic window: the test was not read",
}

#: What to consider next for each pattern (teaching summary, decided with the team).
NEXT_STEPS: dict[str, str] = {
    "anaesthetic-response": (
        "Pain source is likely inside the joint (not which structure). Match it to imaging and "
        "symptoms: arthroplasty or hip-preservation work-up, physiotherapy, or watchful waiting; "
        "a response only modestly predicts surgical success [@FAIResponseMeta2023]."
    ),
    "no-response": (
        "Check the contrast image first: was the injectate intra-articular? Then look elsewhere "
        "(lumbar spine, trochanteric pain, tendons) [@YoungAdultHip2015], but a negative block does not "
        "exclude the hip: false negatives occur [@Byrd2004]. Consider repeating with confirmed placement."
    ),
    "late-steroid-only": (
        "A steroid response agreed less often than the anaesthetic response with the result "
        "of arthroplasty (36% vs 78% concordance) [@PreopInjectionTHA2022]; contextual effects "
        "[@EULARCongress2020] and a possible systemic steroid effect [@Dorleijn2018] may also play "
        "a part. Reassess and consider other sources."
    ),
    "partial-response": (
        "Think of mixed pain generators (hip plus spine or trochanter) [@Maldonado2020] or partial "
        "extra-articular spread; discuss rather than label the test positive or negative."
    ),
    "not-assessable": (
        "The test was not read: ask for provoked scores inside the anaesthetic window next time, or "
        "repeat the block with a clear diary [@PreopInjectionTHA2022]."
    ),
}


#: Course conventions for naming diary patterns (not thresholds from a study): relief of at least
#: 20% inside the window but below the chosen threshold is called partial; a mean steroid-phase
#: relief above 50% mirrors the >50% definition of [@Martin2008].
PARTIAL_RELIEF_PERCENT = 20.0
STEROID_RESPONSE_PERCENT = 50.0


@dataclass(frozen=True)
class DiarySummary:
    pattern: str
    window: AnaestheticWindow
    threshold: Threshold
    best_window_relief: float | None  # percent, best (largest) inside the anaesthetic window
    best_window_minutes: float | None
    steroid_phase_relief: float | None  # percent, mean of readings from day 3 on
    readings_in_window: int
    positive: bool | None
    messages: tuple[str, ...] = field(default_factory=tuple)

    def text(self) -> str:
        lines = [
            f"Pattern: {self.pattern} ({PATTERNS[self.pattern]})",
            f"Anaesthetic window ({self.window.drug}): {format_minutes(self.window.onset_min)} to "
            f"{format_minutes(self.window.end_min)}; readings inside: {self.readings_in_window}",
        ]
        if self.best_window_relief is not None and self.best_window_minutes is not None:
            lines.append(
                f"Best relief in the window: {self.best_window_relief:.0f}% at {format_minutes(self.best_window_minutes)}"
            )
        if self.steroid_phase_relief is not None:
            lines.append(f"Mean relief from day 3: {self.steroid_phase_relief:.0f}%")
        if self.positive is not None:
            lines.append(
                f"Against '{self.threshold.label}': {'positive' if self.positive else 'negative'}"
            )
        lines.extend(self.messages)
        return "\n".join(lines)


def summarise_diary(diary: PainDiary, threshold: Threshold | str = "gt50") -> DiarySummary:
    """Read a diary against its anaesthetic window and a chosen threshold; name the pattern."""
    t = threshold_for(threshold)
    w = WINDOWS[diary.anaesthetic]
    inside = [r for r in diary.readings if w.contains(r.minutes)]
    late = [r for r in diary.readings if r.minutes >= STEROID_PHASE_START_MIN]
    messages = []
    best_relief = best_min = None
    positive = None
    if inside:
        best = min(inside, key=lambda r: (r.score, r.minutes))
        best_relief, best_min = percent_relief(diary.pre_score, best.score), best.minutes
        positive = is_positive(diary.pre_score, best.score, t)
    late_relief = (
        (sum(percent_relief(diary.pre_score, r.score) for r in late) / len(late)) if late else None
    )
    if not diary.provoked:
        messages.append(
            "Scores were not taken during the provocative activity: a low score at rest says little."
        )
    if not inside or not diary.provoked:
        pattern = "not-assessable"
        positive = None
        if not inside:
            messages.append("No reading falls inside the anaesthetic window.")
    elif positive:
        pattern = "anaesthetic-response"
    elif best_relief is not None and best_relief >= PARTIAL_RELIEF_PERCENT:
        pattern = "partial-response"
    elif late_relief is not None and late_relief > STEROID_RESPONSE_PERCENT:
        pattern = "late-steroid-only"
    else:
        pattern = "no-response"
    return DiarySummary(
        pattern, w, t, best_relief, best_min, late_relief, len(inside), positive, tuple(messages)
    )


# --------------------------------------------------------------------------- synthetic diaries
def load_synthetic_diaries(path: Path | str | None = None) -> dict[str, dict]:
    """Synthetic diaries (invented patients) from assets/diaries/diaries.yaml, validated.

    Each value holds 'diary' (a :class:`PainDiary`), 'expected' (the pattern id) and
    'feedback' (Markdown explaining the reading).
    """
    path = Path(path) if path else assets_dir() / "diaries" / "diaries.yaml"
    data = load_yaml_file(path)  # bounded: no aliases/tags, size and depth caps
    out = {}
    for item in data["diaries"]:
        d = validate_diary(
            item["pre_score"], [(r[0], r[1]) for r in item["readings"]], item["anaesthetic"]
        )
        d = PainDiary(
            d.pre_score,
            d.readings,
            d.anaesthetic,
            bool(item.get("steroid", True)),
            item["id"],
            item["title"],
            item["story"],
            bool(item.get("provoked", True)),
        )
        if item["expected"] not in PATTERNS:
            raise ValueError(
                f"{path.name}: {item['id']}: expected must be one of {sorted(PATTERNS)}"
            )
        out[item["id"]] = {
            "diary": d,
            "expected": item["expected"],
            "feedback": item["feedback"],
            "threshold": item.get("threshold", "gt50"),
        }
    return out
