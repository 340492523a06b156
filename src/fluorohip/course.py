"""The course map and the pre-flight check the start notebook runs.

The map lives in ``assets/course_map.yaml`` so an instructor can retitle or re-time a
chapter without touching code; the start notebook, README and facilitator guide read it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .core.paths import assets_dir
from .core.yamlread import load_yaml_file


@dataclass(frozen=True)
class MapEntry:
    stem: str
    title: str
    goal: str
    minutes: int

    @property
    def number(self) -> str:
        return self.stem[:2]

    @property
    def filename(self) -> str:
        return f"{self.stem}.ipynb"


def course_map() -> list[MapEntry]:
    """Chapters in course order."""
    path = assets_dir() / "course_map.yaml"
    data = load_yaml_file(
        path, "assets/course_map.yaml"
    )  # bounded; ContentFileError names file:line
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping with a notebooks: list")
    entries = []
    for i, item in enumerate(data.get("notebooks", []), start=1):
        try:
            entries.append(
                MapEntry(
                    str(item["stem"]), str(item["title"]), str(item["goal"]), int(item["minutes"])
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"{path.name}: notebook entry {i}: needs stem, title, goal and whole minutes ({exc})"
            ) from exc
    return entries


def chapter_stems(entries: list[MapEntry] | None = None) -> list[str]:
    """The teaching chapters: every map entry between the first (start here) and the last (cases
    and assessment). Taken from the map's order, not from file numbers, so inserting a chapter
    (and renumbering the notebooks after it) needs no code change and leaves bank ids alone."""
    entries = entries if entries is not None else course_map()
    return [e.stem for e in entries[1:-1]]


def final_entry(entries: list[MapEntry] | None = None) -> MapEntry:
    """The last notebook of the course (cases, post-test and review), whatever its number."""
    entries = entries if entries is not None else course_map()
    return entries[-1]


def total_minutes(entries: list[MapEntry] | None = None) -> int:
    return sum(e.minutes for e in (entries if entries is not None else course_map()))


def course_map_markdown(entries: list[MapEntry] | None = None) -> str:
    """A Markdown table, used in README.md and checked against it by a test."""
    entries = entries if entries is not None else course_map()
    rows = ["| # | Notebook | What you will be able to do | Minutes |", "|---|---|---|---|"]
    for e in entries:
        rows.append(
            f"| {e.number} | [{e.title}](notebooks/{e.filename}) | {e.goal} | {e.minutes} |"
        )
    rows.append(f"| | **Total** | | **{total_minutes(entries)}** |")
    return "\n".join(rows)


class CourseMapView:
    """An HTML table of the chapters with links; ``repr`` is the plain-text map for nbval."""

    def __init__(self, entries: list[MapEntry] | None = None):
        self.entries = entries if entries is not None else course_map()

    def _repr_html_(self) -> str:
        rows = []
        for e in self.entries:
            link = f'<a href="{html.escape(e.filename)}">{html.escape(e.title)}</a>'
            rows.append(
                f"<tr><td>{e.number}</td><td>{link}</td><td>{html.escape(e.goal)}</td>"
                f"<td style='text-align:right'>{e.minutes}</td></tr>"
            )
        return (
            "<table aria-label='Course map'><thead><tr><th>#</th><th>Notebook</th>"
            "<th>What you will be able to do</th><th>Minutes</th></tr></thead><tbody>"
            + "".join(rows)
            + f"<tr><td></td><td><strong>Total</strong></td><td></td><td style='text-align:right'>"
            f"<strong>{total_minutes(self.entries)}</strong></td></tr></tbody></table>"
        )

    def __repr__(self) -> str:
        lines = [f"{e.number}  {e.title:<42} {e.minutes:>3} min" for e in self.entries]
        lines.append(f"{'':4}{'Total':<42} {total_minutes(self.entries):>3} min")
        return "\n".join(lines)


def show_course_map() -> CourseMapView:
    return CourseMapView()


def preflight() -> str:
    """Check that what the course needs imports and draws; one line a learner can read."""
    problems = []
    try:
        import matplotlib

        matplotlib.use(matplotlib.get_backend())
        import matplotlib.pyplot as plt

        fig, _ax = plt.subplots(figsize=(1, 1))
        plt.close(fig)
    except Exception as exc:  # a learner needs the reason, not a traceback
        problems.append(f"matplotlib cannot draw ({exc})")
    try:
        import ipywidgets  # noqa: F401
    except ImportError as exc:
        problems.append(f"ipywidgets is missing ({exc})")
    try:
        course_map()
    except (OSError, ValueError) as exc:
        problems.append(str(exc))
    if problems:
        return (
            "Something is not set up: "
            + "; ".join(problems)
            + ". Run `make lab` again from the course folder."
        )
    return "All is well: the course package, figures and widgets are ready."
