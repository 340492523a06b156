"""Every course notebook, opened in JupyterLab in a real Chromium and run from top to bottom.

For each ``notebooks/**/*.ipynb`` (found afresh each run, so new chapters are covered the day
they land) the test opens the notebook, waits for a ready kernel, clears the outputs, runs all
cells, waits for the kernel to go idle, and then asserts what a resident would see:

- every non-empty code cell ran; no error output and no stderr in any output area;
- every widget the kernel displayed is rendered as a live widget view on the page (not the
  text fallback, not "Error displaying widget", not "Loading widget…");
- every cell shows at least as many displayed outputs as the stored notebook does;
- every figure is drawn: ``.jp-RenderedImage img`` count >= stored ``image/png`` outputs, and
  every such image has loaded;
- nothing tried to reach the network;
- where the page shows the virtual fluoroscope: a slider moved with the keyboard plus the pedal
  draws a new frame (and so does advancing the needle, where the widget can), with no new errors.

A screenshot of each notebook goes to build/browser-artefacts/screenshots/; open->idle times
go to build/browser-timings.json.
"""

from __future__ import annotations

import a11y
import browser_harness as H
import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = H.notebook_paths()
FLUORO_NOTEBOOKS = H.notebooks_with_fluoroscope()


@pytest.mark.parametrize(
    "nb_path", NOTEBOOKS, ids=[p.relative_to(H.NOTEBOOKS).as_posix() for p in NOTEBOOKS]
)
def test_notebook_runs_clean_in_lab(nb_path, lab, lab_page, timings, a11y_results):
    rel = nb_path.relative_to(H.ROOT).as_posix()
    stored = H.StoredExpectations.read(nb_path)
    run = H.check_notebook(lab_page, lab, rel, stored)

    timings.add(
        "notebooks",
        nb_path.relative_to(H.NOTEBOOKS).as_posix(),
        {
            "open_to_kernel_ready_s": run.open_to_kernel_ready_s,
            "run_all_to_idle_s": run.run_all_to_idle_s,
            "open_to_idle_s": run.open_to_idle_s,
            "code_cells": stored.code_cells,
            "widgets_rendered": run.report["widgets_rendered"],
            "figures": run.report["images"],
        },
    )
    H.scroll_to_top(lab_page)
    H.screenshot(lab_page, f"lab-{nb_path.stem}")
    # A second shot at the first widget, where most of the interaction is.
    first_widget = lab_page.locator(
        ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:has(.jupyter-widgets)"
    )
    if first_widget.count():
        first_widget.first.scroll_into_view_if_needed(timeout=5_000)
        H.screenshot(lab_page, f"lab-{nb_path.stem}-widget")

    problems = list(run.problems)
    # Accessibility on the same Run-All pass (no second run): axe-core over the page as a
    # resident first sees it, before any fluoroscope control is touched; course output and
    # Markdown must have no critical or serious violation (chrome goes to build/a11y/).
    a11y_problems = [p for p in [a11y.require_axe()] if p]
    bad = []
    if not a11y.axe_problem():
        t0 = H.time.monotonic()
        axe = a11y.scan(lab_page)
        a11y_results.add("lab", nb_path.relative_to(H.NOTEBOOKS).as_posix(), axe)
        timings.add(
            "a11y_scan_s",
            f"lab/{nb_path.relative_to(H.NOTEBOOKS).as_posix()}",
            round(H.time.monotonic() - t0, 3),
        )
        bad = a11y.blocking(axe)
    if bad:
        a11y_problems.append(
            f"axe-core: {len(bad)} critical/serious violation(s) in the course's "
            f"output or Markdown:\n  {a11y.describe(bad)}"
        )
    # The virtual fluoroscope, wherever a notebook shows it: move a control, see a new frame.
    boxes = H.fluoroscope_count(lab_page)
    if nb_path in FLUORO_NOTEBOOKS and not boxes:
        problems.append(
            "the notebook names the virtual fluoroscope, but no fluoroscope (an image "
            "with a pedal button) rendered"
        )
    if boxes and not problems:
        result = H.exercise_fluoroscope(lab_page)
        timings.add("fluoroscope", nb_path.relative_to(H.NOTEBOOKS).as_posix(), result)
        H.fluoroscope_root(lab_page).scroll_into_view_if_needed(timeout=5_000)
        H.screenshot(lab_page, f"lab-{nb_path.stem}-fluoroscope")
        problems += H.problems_in(H.inspect_page(lab_page), stored)
    problems += a11y_problems
    if lab_page.external_requests:
        problems.append(f"requests left the machine: {lab_page.external_requests[:5]}")
    assert not problems, f"{rel} in JupyterLab:\n- " + "\n- ".join(problems)
    # The check must have looked at something: a notebook with code displays output.
    if stored.code_cells:
        assert any(c["outputs"] for c in run.report["cells"] if c["type"] == "code"), (
            f"{rel}: Run All produced no output at all"
        )


def test_course_has_notebooks():
    assert NOTEBOOKS, "no notebooks found under notebooks/"
