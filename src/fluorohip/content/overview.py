"""What the course map looks like to people: the README table, the start notebook's map, preflight.

Generated from the registry (:mod:`fluorohip.content.course_map`), never typed twice: the README
test compares its table with :func:`course_map_markdown`.
"""

from __future__ import annotations

import html

from .course_map import CourseMapError, MapEntry, course_map, total_minutes


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
    except (OSError, CourseMapError, ValueError) as exc:
        problems.append(str(exc))
    if problems:
        return (
            "Something is not set up: "
            + "; ".join(problems)
            + ". Run `make lab` again from the course folder."
        )
    return "All is well: the course package, figures and widgets are ready."
