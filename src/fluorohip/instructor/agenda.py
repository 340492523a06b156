"""Workshop agendas computed from the course map, so a re-timed or inserted chapter re-times the day.

Each course-map entry says how each workshop format uses it (``workshop:`` in
``assets/course_map.yaml``): taught in the room (the default, so a new chapter appears in both
agendas), done alone before the day (pre-work), or only a part of it in the room; and whether a
break follows it. This module adds only what is not a chapter: the opening and closing
activities of each format. Pure: no widgets; the view is an object with an HTML table and a
plain-text ``repr`` that nbval compares.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..content.course_map import MapEntry, course_map, start_entry


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


@dataclass(frozen=True)
class Activity:
    """A block that is not a chapter: welcome, debrief. ``note`` may name ``{start}`` (the start
    notebook's number) or ``{prework}`` (the numbers of the pre-work notebooks, first-last)."""

    label: str
    minutes: int
    note: str = ""


@dataclass(frozen=True)
class WorkshopFormat:
    """One kind of workshop day: the course map supplies the chapters, this the frame around them."""

    key: str  # the name of the format in the course map's ``workshop:`` fields
    name: str
    start: str  # "08:30"
    opening: tuple[Activity, ...]
    closing: tuple[Activity, ...]


FULL_DAY = WorkshopFormat(
    "full_day",
    "Full-day workshop",
    "08:30",
    opening=(
        Activity(
            "Welcome, groups of two, workshop mode on",
            15,
            "pairs fixed for the day; check every laptop runs {start}",
        ),
    ),
    closing=(
        Activity(
            "Class report and debrief",
            30,
            "collect exports, run class-report, discuss the top questions",
        ),
    ),
)
HALF_DAY = WorkshopFormat(
    "half_day",
    "Half-day workshop",
    "13:00",
    opening=(
        Activity(
            "Welcome, pairs, workshop mode on", 10, "collect the pre-work exports as people arrive"
        ),
        Activity(
            "Debrief of the pre-work quizzes", 20, "class report on {prework}; top questions only"
        ),
    ),
    closing=(
        Activity(
            "Class report and debrief", 30, "release answers, discuss, collect the final exports"
        ),
    ),
)


def _span(entries: list[MapEntry]) -> str:
    return f"{entries[0].number}-{entries[-1].number}" if entries else "none"


def build_agenda(workshop: WorkshopFormat, entries: list[MapEntry] | None = None) -> Agenda:
    """The agenda of ``workshop`` for the course map's learner notebooks, in map order."""
    entries = entries if entries is not None else course_map()
    prework = [e for e in entries if e.workshop_use(workshop.key).mode == "prework"]
    fill = {"start": start_entry(entries).number, "prework": _span(prework)}
    blocks: list[Block] = []
    t = 0

    def add(minutes: int, label: str, kind: str, note: str = "") -> None:
        nonlocal t
        blocks.append(Block(t, minutes, label, kind, note))
        t += minutes

    for activity in workshop.opening:
        add(activity.minutes, activity.label, "activity", activity.note.format(**fill))
    for e in entries:
        use = e.workshop_use(workshop.key)
        if use.mode == "prework":
            continue
        if use.mode == "part" and use.minutes is not None:
            add(use.minutes, f"{e.number} {e.title}: {use.focus}", "activity", use.note)
        else:
            add(e.minutes, f"{e.number} {e.title}", "chapter", use.note)
        if use.break_minutes:
            add(use.break_minutes, use.break_label, "break")
    for activity in workshop.closing:
        add(activity.minutes, activity.label, "activity", activity.note.format(**fill))
    return Agenda(workshop.name, workshop.start, tuple(prework), tuple(blocks))


def full_day(entries: list[MapEntry] | None = None) -> Agenda:
    return build_agenda(FULL_DAY, entries)


def half_day(entries: list[MapEntry] | None = None) -> Agenda:
    return build_agenda(HALF_DAY, entries)
