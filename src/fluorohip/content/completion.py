"""A printable completion summary: per chapter, per integrated case, per objective, and pre/post gain.

Built from the learner's progress store and the question banks; no clock and no machine paths
in what it shows, so a fresh store always gives the same page. The learner id comes from
``FLUOROHIP_LEARNER`` (or the attempts), as in the progress export. Chapters, the pre-test and the
post-test come from the course map, so an inserted chapter is summarised without a code change.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cases.bank import CASES_BANK
from ..cases.loader import CaseError, available_cases, load_case
from ..progress.store import Attempt, ProgressStore, summarise
from .catalog import load_catalog
from .course_map import (
    CourseMapError,
    MapEntry,
    chapter_entries,
    course_map,
    posttest_bank,
    pretest_bank,
)

FILE_NAME = "completion_summary.html"


@dataclass(frozen=True)
class ObjectiveResult:
    id: str
    text: str
    notebook: str | None  # stem of the chapter that teaches it
    answered: int
    correct: int
    total: int
    pre: float | None  # fraction right in the pre-test (latest attempts), None if not taken
    post: float | None

    @property
    def gain_points(self) -> float | None:
        """Post minus pre, in percentage points (None unless both were taken)."""
        if self.pre is None or self.post is None:
            return None
        return 100.0 * (self.post - self.pre)


@dataclass(frozen=True)
class ChapterResult:
    stem: str
    title: str
    answered: int
    correct: int
    total: int
    objectives_met: int
    objectives: int


@dataclass(frozen=True)
class CaseResult:
    """One integrated case: how many of its stages have an answer, and how many latest answers are right."""

    id: str
    title: str
    stages: int
    answered: int
    correct: int


@dataclass(frozen=True)
class Completion:
    learner: str | None
    chapters: tuple[ChapterResult, ...]
    objectives: tuple[ObjectiveResult, ...]
    cases: tuple[CaseResult, ...] = ()


def _map_or_empty() -> list[MapEntry]:
    """The course map, or no entries if it cannot be read (``fluorohip validate`` says why)."""
    try:
        return course_map()
    except (OSError, ValueError):
        return []


def _fraction(bank_progress, objective_id: str) -> float | None:
    if bank_progress is None:
        return None
    for o in bank_progress.objectives:
        if o.id == objective_id and o.answered:
            return o.correct / o.total if o.total else None
    return None


def _case_results(
    attempts: list[Attempt], bank, titles: Mapping[str, str]
) -> tuple[CaseResult, ...]:
    latest = {a.question_id: a for a in attempts if a.bank == CASES_BANK}
    out = []
    for q in bank.questions:
        keys = [s.key for s in getattr(q, "stages", ())]
        got = [latest[k] for k in keys if k in latest]
        out.append(
            CaseResult(
                q.id, titles.get(q.id, q.id), len(keys), len(got), sum(1 for a in got if a.correct)
            )
        )
    return tuple(out)


def build_completion(
    attempts: list[Attempt],
    banks: Mapping[str, object],
    learner: str | None = None,
    entries: list[MapEntry] | None = None,
    case_titles: Mapping[str, str] | None = None,
) -> Completion:
    """Results from ``attempts`` against ``banks`` (bank id -> Bank). Chapters are the course map's
    ``chapter`` entries (whatever their numbers), each objective is taught in the chapter whose bank
    declares it, and the integrated cases (bank ``07_cases``) get a table of their own, titled from
    ``case_titles``."""
    entries = entries if entries is not None else _map_or_empty()
    try:
        pretest, posttest = pretest_bank(entries), posttest_bank(entries)
    except CourseMapError:
        pretest = posttest = ""
    summary = {b.bank: b for b in summarise(attempts, banks)}
    chapters = []
    objectives = []
    for chapter in chapter_entries(entries):
        if chapter.bank is None or chapter.bank not in banks:
            continue
        b = summary[chapter.bank]
        chapters.append(
            ChapterResult(
                chapter.stem,
                chapter.title,
                b.answered,
                b.correct,
                b.total or 0,
                b.objectives_met,
                len(b.objectives),
            )
        )
        for o in b.objectives:
            objectives.append(
                ObjectiveResult(
                    o.id,
                    o.text or "",
                    chapter.stem,
                    o.answered,
                    o.correct,
                    o.total or 0,
                    _fraction(summary.get(pretest), o.id),
                    _fraction(summary.get(posttest), o.id),
                )
            )
    if learner is None:
        learner = os.environ.get("FLUOROHIP_LEARNER") or next(
            (a.learner for a in reversed(attempts) if a.learner), None
        )
    cases = (
        _case_results(attempts, banks[CASES_BANK], case_titles or {}) if CASES_BANK in banks else ()
    )
    return Completion(
        learner, tuple(chapters), tuple(sorted(objectives, key=lambda o: o.id)), cases
    )


def _pct(x: float | None) -> str:
    return "not taken" if x is None else f"{100 * x:.0f}%"


def completion_html(c: Completion) -> str:
    """A self-contained page (inline CSS only) a resident can print or hand in."""
    who = (
        html.escape(c.learner) if c.learner else "not set (set FLUOROHIP_LEARNER before you start)"
    )
    style = "border-collapse:collapse;width:100%;font-size:14px"
    rows_ch = "".join(
        f"<tr><td>{html.escape(ch.stem)}<br><small>{html.escape(ch.title)}</small></td>"
        f"<td>{ch.answered} of {ch.total}</td><td>{ch.correct} of {ch.total}</td>"
        f"<td>{ch.objectives_met} of {ch.objectives}</td></tr>"
        for ch in c.chapters
    )
    rows_case = "".join(
        f"<tr><td>{html.escape(k.title)}</td><td>{k.answered} of {k.stages}</td><td>{k.correct} of {k.stages}</td></tr>"
        for k in c.cases
    )
    cases_table = (
        (
            "<h3>Integrated cases</h3>"
            f'<table border="1" cellpadding="5" style="{style}"><thead><tr><th scope="col">Case</th>'
            '<th scope="col">Stages answered</th><th scope="col">Stages right (latest answer)</th></tr></thead>'
            f"<tbody>{rows_case}</tbody></table>"
        )
        if c.cases
        else ""
    )
    rows_ob = []
    for o in c.objectives:
        gain = o.gain_points
        link = (
            f'<a href="{html.escape(o.notebook)}.ipynb">{html.escape(o.notebook)}</a>'
            if o.notebook
            else ""
        )
        rows_ob.append(
            f"<tr><td><b>{html.escape(o.id)}</b> {html.escape(o.text)}<br><small>taught in {link}</small></td>"
            f"<td>{o.correct} of {o.total}</td><td>{_pct(o.pre)}</td><td>{_pct(o.post)}</td>"
            f"<td>{'-' if gain is None else f'{gain:+.0f} points'}</td></tr>"
        )
    return (
        '<div class="fluorohip-completion" style="font-family:sans-serif;max-width:900px">'
        "<h2>fluorohip: fluoroscopy-guided hip injection course, completion summary</h2>"
        f"<p><b>Learner:</b> {who}</p>"
        "<p>Results are the latest answer to each question in this learner's progress store. "
        "All patients in the course are synthetic; this is a record of self-study, not a certificate of competence.</p>"
        "<h3>Per chapter</h3>"
        f'<table border="1" cellpadding="5" style="{style}"><thead><tr><th scope="col">Chapter</th>'
        '<th scope="col">Answered</th><th scope="col">Correct</th><th scope="col">Objectives met</th></tr></thead>'
        f"<tbody>{rows_ch or '<tr><td colspan=4>No chapter banks found.</td></tr>'}</tbody></table>"
        f"{cases_table}"
        "<h3>Per objective, with pre-test and post-test</h3>"
        f'<table border="1" cellpadding="5" style="{style}"><thead><tr><th scope="col">Objective</th>'
        '<th scope="col">Chapter quiz correct</th><th scope="col">Pre-test</th><th scope="col">Post-test</th>'
        '<th scope="col">Change</th></tr></thead>'
        f"<tbody>{''.join(rows_ob)}</tbody></table>"
        "<p><small>Change = post-test minus pre-test, in percentage points, for objectives answered in both.</small></p>"
        "</div>"
    )


def completion_for_store(store: ProgressStore | None = None) -> Completion:
    """The completion of the learner whose progress ``store`` holds, against this course's catalog."""
    store = store if store is not None else ProgressStore()
    titles = {}
    for case_id in available_cases():
        try:
            titles[case_id] = load_case(case_id).title
        except (CaseError, OSError, ValueError):
            continue  # left out of the catalog too
    return build_completion(store.attempts(), load_catalog(), case_titles=titles)


def write_completion(path: Path | str | None = None, store: ProgressStore | None = None) -> str:
    """Write the summary page; return a message that names the file but no machine path."""
    store = store if store is not None else ProgressStore()
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>fluorohip completion summary</title>'
        f"</head><body>{completion_html(completion_for_store(store))}</body></html>\n"
    )
    target = Path(path) if path is not None else store.home / FILE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    where = "your progress folder" if path is None else "the folder you chose"
    return (
        f"Saved {target.name} in {where}. To save a copy next to this notebook instead, run "
        f'write_completion("{FILE_NAME}"); open it in a browser to print it or hand it in.'
    )
