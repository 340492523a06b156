"""The virtual fluoroscope in a real page: move a control, the displayed frame changes.

- In course notebooks: ``test_browser_notebooks.py`` exercises every fluoroscope box it finds
  after Run All (``H.exercise_fluoroscope``: overlay toggle, slider + pedal, advance + pedal, each
  must draw a new frame), and fails a notebook that names the fluoroscope but shows none.
  ``test_a_course_notebook_shows_the_fluoroscope`` skips, saying why, while no notebook has it.
- ``test_fluoroscope_widget_direct``: the same on a scratch notebook (build/browser-scratch/)
  that only displays ``fluorohip.fluoro.FluoroscopeWidget()``; skips if the widget is missing.
Latencies (control -> new frame on screen) go to build/browser-timings.json.
"""

from __future__ import annotations

import importlib
import json
import warnings

import browser_harness as H
import pytest

pytestmark = pytest.mark.browser

FLUORO_NOTEBOOKS = H.notebooks_with_fluoroscope()


def _widget_available() -> str | None:
    try:
        mod = importlib.import_module("fluorohip.fluoro")
    except ImportError as exc:
        return f"fluorohip.fluoro is not importable ({exc})"
    if not hasattr(mod, "FluoroscopeWidget"):
        return "fluorohip.fluoro has no FluoroscopeWidget yet"
    return None


def test_a_course_notebook_shows_the_fluoroscope():
    """The in-notebook check itself runs inside test_notebook_runs_clean_in_lab (no second Run
    All): every notebook whose page shows a fluoroscope box is exercised there, and a notebook
    whose code or stored output names the fluoroscope must show one. This test says so plainly
    while no notebook has it yet."""
    if not FLUORO_NOTEBOOKS:
        pytest.skip(
            "no notebook under notebooks/ displays the fluoroscope widget yet (looked for "
            f"{H.FLUORO_SOURCE.pattern}); test_fluoroscope_widget_direct covers the widget"
        )
    assert all(p.exists() for p in FLUORO_NOTEBOOKS)


def test_fluoroscope_widget_direct(lab, lab_page, scratch_dir, timings):
    missing = _widget_available()
    if missing:
        pytest.skip(missing)
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "fluoro",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": "from fluorohip.fluoro import FluoroscopeWidget\nFluoroscopeWidget()",
            }
        ],
    }
    path = scratch_dir / "fluoroscope_direct.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    rel = path.relative_to(H.ROOT).as_posix()
    t0 = H.time.monotonic()
    H.open_notebook(lab_page, lab, rel)
    _, result_run = H.run_all(lab_page)
    first_frame = H.time.monotonic() - t0
    report = H.inspect_page(lab_page)
    problems = H.problems_in(report, H.StoredExpectations.read(path), result_run)
    assert not problems, problems
    assert report["widgets_rendered"] >= 1, report
    result = H.exercise_fluoroscope(lab_page)
    result["open_to_first_frame_s"] = round(first_frame, 3)
    timings.add("fluoroscope", "direct_scratch_notebook", result)
    H.screenshot(lab_page, "lab-fluoroscope-direct")
    assert result["slider_from_to"][0] != result["slider_from_to"][1]
    assert "toggle_to_frame_s" in result, "the free C-arm has a Target overlay tick box and a frame"
    # Finding, reported rather than failed: does "Invert (bone white)" redraw at once, or only
    # at the next pedal press? A resident expects the picture to flip when they tick it.
    result["invert_to_frame_s"] = H.toggle_redraws(lab_page, "Invert")
    if result["invert_to_frame_s"] is None:
        warnings.warn(
            "fluoroscope: ticking 'Invert (bone white)' does not redraw the frame "
            "until the next pedal press",
            UserWarning,
            stacklevel=2,
        )


# --------------------------------------------------------------------------------------------
# The hip injection exercise (fluoroscope 2): control -> new frame latency, screenshots
# --------------------------------------------------------------------------------------------
# Artefacts only: a test never rewrites the README pictures (docs/screenshots); record them with
# tests/browser/record_screenshots.py, which also updates their manifest.
DOCS_SHOTS = H.ROOT / "build" / "browser-artefacts" / "screenshots"
LATENCY_FILE = H.ROOT / "benchmarks" / "browser_exercise_latency.json"


def _click_and_time(page, root, img, button_text: str, timeout_ms: int = 30_000) -> float:
    src = img.get_attribute("src")
    t0 = H.time.monotonic()
    root.locator("button.jupyter-button", has_text=button_text).first.click(timeout=10_000)
    H._new_frame(page, img, src, timeout_ms)
    return H.time.monotonic() - t0


def _pct(xs, q):
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(q / 100 * (len(xs) - 1)))))
    return xs[k]


@pytest.mark.watchdog(600)
def test_exercise_widget_latency_and_screenshots(lab, lab_page, scratch_dir, timings):
    """Assessment exercise in a real page: pedal, advance+pedal, cine scrubbing each draw a new frame;
    control -> new frame latency over many presses (targets: median <= 150 ms, p95 <= 300 ms,
    recorded, asserted loosely at 3x so a loaded CI machine does not fail); no hint text on the page."""
    try:
        importlib.import_module("fluorohip.chapters.procedure.exercise_views")
    except ImportError as exc:
        pytest.skip(f"exercise widget missing ({exc})")
    src = (
        "from fluorohip.chapters.procedure.exercise_views import ExerciseWidget\n"
        "w = ExerciseWidget(mode='assessment', pixels=256, playback_s=0.0)\n"
        "from fluorohip.chapters.procedure.exercise_script import entry_for_target\n"
        "x, z = entry_for_target(w.ex)\n"
        "w.entry_x.value, w.entry_z.value = round(x), round(z)\n"
        "w"
    )
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "exercise",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": src,
            }
        ],
    }
    path = scratch_dir / "exercise_latency.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    H.open_notebook(lab_page, lab, path.relative_to(H.ROOT).as_posix())
    _, result_run = H.run_all(lab_page)
    report = H.inspect_page(lab_page)
    problems = H.problems_in(report, H.StoredExpectations.read(path), result_run)
    assert not problems, problems
    root = H.fluoroscope_root(lab_page)
    root.wait_for(timeout=H.WIDGET_RENDER_MS)
    img = root.locator("img.widget-image").first
    lab_page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=30_000
    )
    pedal = [_click_and_time(lab_page, root, img, "pedal") for _ in range(12)]
    root.locator("button.jupyter-button", has_text="Set entry").first.click(timeout=10_000)
    advance = []
    for _ in range(14):
        root.locator("button.jupyter-button", has_text="Advance 5 mm").first.click(timeout=10_000)
        advance.append(_click_and_time(lab_page, root, img, "pedal"))
    H.screenshot(lab_page, "exercise-needle", root)
    root.locator(".widget-image").first.screenshot(path=str(DOCS_SHOTS / "exercise-needle-ap.png"))
    # contrast under live fluoroscopy, then scrub the cine with the keyboard
    t0 = H.time.monotonic()
    _click_and_time(lab_page, root, img, "Test contrast", timeout_ms=60_000)
    first_cine = H.time.monotonic() - t0
    lab_page.wait_for_function(
        "(el) => !el.querySelector('.noUi-target[disabled]') ",
        arg=root.locator(".widget-slider", has_text="Cine").first.element_handle(),
        timeout=60_000,
    )
    root.locator(".widget-image").first.screenshot(path=str(DOCS_SHOTS / "exercise-contrast.png"))
    cine_handle = root.locator(".widget-slider", has_text="Cine").locator(".noUi-handle").first
    cine = []
    for _ in range(8):
        src_before = img.get_attribute("src")
        cine_handle.focus()
        t0 = H.time.monotonic()
        lab_page.keyboard.press("ArrowLeft")
        H._new_frame(lab_page, img, src_before, 30_000)
        cine.append(H.time.monotonic() - t0)
    # the page shows no hint words inside the widget while working
    from fluorohip.chapters.procedure.exercise_text import leaks

    text = root.locator(".widget-html").all_inner_texts()
    shown = "\n".join(t for t in text if "Assessment mode" not in t)
    assert leaks(shown) == [], (leaks(shown), shown)
    # finish: the debrief appears in the widget's output area
    root.locator("button.jupyter-button", has_text="Finish").first.click(timeout=10_000)
    debrief = root.locator(".jp-OutputArea-output img").first
    debrief.wait_for(timeout=120_000)
    H.screenshot(lab_page, "exercise-debrief", root)
    root.locator(".widget-output").first.screenshot(path=str(DOCS_SHOTS / "exercise-debrief.png"))
    samples = pedal + advance + cine
    result = {
        "pedal_to_frame_s": pedal,
        "advance_pedal_to_frame_s": advance,
        "cine_step_to_frame_s": cine,
        "test_contrast_to_first_new_frame_s": round(first_cine, 3),
        "control_to_frame_median_s": round(_pct(samples, 50), 3),
        "control_to_frame_p95_s": round(_pct(samples, 95), 3),
        "n": len(samples),
    }
    timings.add(
        "fluoroscope",
        "exercise_scratch_notebook",
        {k: v for k, v in result.items() if not isinstance(v, list)},
    )
    LATENCY_FILE.write_text(
        json.dumps(
            {
                "about": "Control -> new frame on screen in headless Debian Chromium + JupyterLab, ExerciseWidget at 256^2 "
                "(tests/browser/test_browser_fluoroscope.py::test_exercise_widget_latency_and_screenshots). "
                "Targets (issue 21): median <= 0.150 s, p95 <= 0.300 s.",
                **{
                    k: ([round(x, 3) for x in v] if isinstance(v, list) else v)
                    for k, v in result.items()
                },
            },
            indent=1,
        )
        + "\n"
    )
    assert result["control_to_frame_median_s"] < 0.45 and result["control_to_frame_p95_s"] < 0.9, (
        result
    )
