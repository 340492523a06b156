"""Workshop agendas computed from the course map, so a re-timed chapter re-times the day.

A plan is a list of blocks: a chapter (its minutes come from ``assets/course_map.yaml``), or
an activity with fixed minutes (welcome, break, debrief). Chapters listed as pre-work are
done alone before the session. Pure: no widgets; the view is an object with an HTML table
and a plain-text ``repr`` that nbval compares.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..course import MapEntry, course_map


@dataclass(frozen=True)
class Block:
    start_min: int  # minutes from the start of the session
    minutes: int
    label: str
    kind: str  # "chapter" | "activity" | "break"
    note: str = ""


@dataclass(frozen=True)
class Agenda:
    name: str
    start: str  # "08:30"
    prework: tuple[MapEntry, ...]
    blocks: tuple[Block, ...]

    @property
    def session_minutes(self) -> int:
        return sum(b.minutes for b in self.blocks)

    @property
    def prework_minutes(self) -> int:
        return sum(e.minutes for e in self.prework)

    def clock(self, offset_min: int) -> str:
        h, m = map(int, self.start.split(":"))
        total = h * 60 + m + offset_min
        return f"{total // 60:02d}:{total % 60:02d}"

    def __repr__(self) -> str:
        lines = [
            f"{self.name}: {self.clock(0)}-{self.clock(self.session_minutes)}, "
            f"{self.session_minutes} min in the room"
        ]
        if self.prework:
            lines.append(
                f"  before the day ({self.prework_minutes} min alone): "
                + ", ".join(f"{e.number} {e.title} ({e.minutes})" for e in self.prework)
            )
        for b in self.blocks:
            lines.append(f"  {self.clock(b.start_min)}  {b.minutes:>3} min  {b.label}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{self.clock(b.start_min)}–{self.clock(b.start_min + b.minutes)}</td>"
            f"<td style='text-align:right'>{b.minutes}</td><td>{'<b>' if b.kind == 'chapter' else ''}"
            f"{html.escape(b.label)}{'</b>' if b.kind == 'chapter' else ''}</td><td>{html.escape(b.note)}</td></tr>"
            for b in self.blocks
        )
        pre = ""
        if self.prework:
            pre = (
                f"<p>Before the day, alone ({self.prework_minutes} min): "
                + "; ".join(
                    html.escape(f"{e.number} {e.title} ({e.minutes} min)") for e in self.prework
                )
                + "</p>"
            )
        return (
            f"<p><b>{html.escape(self.name)}</b>: {self.clock(0)}–{self.clock(self.session_minutes)}, "
            f"{self.session_minutes} min in the room.</p>{pre}"
            f"<table aria-label='{html.escape(self.name)}'><thead><tr><th>time</th><th>min</th><th>block</th>"
            f"<th>how</th></tr></thead><tbody>{rows}</tbody></table>"
        )


def build_agenda(
    name: str,
    start: str,
    plan: list[tuple],
    prework: list[str] = (),
    entries: list[MapEntry] | None = None,
) -> Agenda:
    """``plan`` items: ``("chapter", stem, note)`` or ``("activity"|"break", label, minutes, note)``."""
    entries = entries if entries is not None else course_map()
    by_stem = {e.stem: e for e in entries}
    missing = [
        s for s in list(prework) + [p[1] for p in plan if p[0] == "chapter"] if s not in by_stem
    ]
    if missing:
        raise ValueError(f"course_map.yaml has no chapter {', '.join(missing)}")
    blocks, t = [], 0
    for item in plan:
        if item[0] == "chapter":
            e = by_stem[item[1]]
            blocks.append(
                Block(
                    t,
                    e.minutes,
                    f"{e.number} {e.title}",
                    "chapter",
                    item[2] if len(item) > 2 else "",
                )
            )
            t += e.minutes
        else:
            kind, label, minutes = item[:3]
            blocks.append(Block(t, int(minutes), label, kind, item[3] if len(item) > 3 else ""))
            t += int(minutes)
    return Agenda(name, start, tuple(by_stem[s] for s in prework), tuple(blocks))


FULL_DAY = [
    (
        "activity",
        "Welcome, groups of two, workshop mode on",
        15,
        "pairs fixed for the day; check every laptop runs 00",
    ),
    (
        "chapter",
        "01_hip_anatomy",
        "pairs; instructor draws the capsule on the board after the quiz",
    ),
    (
        "chapter",
        "02_image_guidance",
        "dose levers demonstrated live; release answers after the quiz",
    ),
    ("break", "Break", 15),
    ("chapter", "03_injectates", "arithmetic in pairs, one calculates, one checks"),
    ("chapter", "04_patient_selection", "consent role-play in threes"),
    ("break", "Lunch", 45),
    ("chapter", "05_procedure", "virtual fluoroscope: swap driver and navigator at every stage"),
    ("break", "Break", 15),
    ("chapter", "06_interpretation", "diary exercise in pairs, then compare conclusions"),
    (
        "activity",
        "07 Beyond the injection: aspiration and the room",
        45,
        "section 2 (aspiration) in pairs, section 5 as a room simulation in threes; the rest of 07 alone after the day",
    ),
    ("chapter", "08_cases_and_assessment", "cases in pairs; post-test alone"),
    (
        "activity",
        "Class report and debrief",
        30,
        "collect exports, run class-report, discuss the top questions",
    ),
]
FULL_DAY_PREWORK = ["00_start_here"]

HALF_DAY = [
    (
        "activity",
        "Welcome, pairs, workshop mode on",
        10,
        "collect the pre-work exports as people arrive",
    ),
    (
        "activity",
        "Debrief of the pre-work quizzes",
        20,
        "class report on 00-04; top questions only",
    ),
    ("chapter", "05_procedure", "virtual fluoroscope in pairs: driver and navigator"),
    ("break", "Break", 15),
    ("chapter", "06_interpretation", "diary exercise in pairs"),
    (
        "activity",
        "07 Beyond the injection: the room when it goes wrong",
        20,
        "section 5 as a simulation in threes; the rest of 07 alone after the day",
    ),
    ("chapter", "08_cases_and_assessment", "cases in pairs; post-test alone"),
    (
        "activity",
        "Class report and debrief",
        30,
        "release answers, discuss, collect the final exports",
    ),
]
HALF_DAY_PREWORK = [
    "00_start_here",
    "01_hip_anatomy",
    "02_image_guidance",
    "03_injectates",
    "04_patient_selection",
]


def full_day(entries: list[MapEntry] | None = None) -> Agenda:
    return build_agenda("Full-day workshop", "08:30", FULL_DAY, FULL_DAY_PREWORK, entries)


def half_day(entries: list[MapEntry] | None = None) -> Agenda:
    return build_agenda("Half-day workshop", "13:00", HALF_DAY, HALF_DAY_PREWORK, entries)
