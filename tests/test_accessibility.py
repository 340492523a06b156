"""Accessibility of what the course puts on the page, checked without a browser (the axe-core scan
in tests/browser checks the rendered page): figures carry alt text and a tied description, the
fluoroscope frame has a text alternative that grades nothing, no stored output claims a check
passed before it ran, and the front-end extension loads as JupyterLab loads it."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from fluorohip.authoring import LIVE_CHECK_TAG, all_notebooks, strip_outputs_for_storage
from fluorohip.ui import figures as FD

ROOT = Path(__file__).resolve().parents[1]
LABEXT = ROOT / "src" / "fluorohip" / "labextension"


def _fig():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    return fig


def test_figure_html_has_alt_and_tied_caption():
    fig = FD.describe(_fig(), "A rising line. It goes from zero to one <quickly> & evenly.")
    out = FD.figure_html(fig)
    plt.close(fig)
    assert out.startswith('<figure class="fluorohip-figure"')
    img = re.search(r"<img [^>]*>", out).group(0)
    assert 'alt="A rising line."' in img
    src = re.search(r'src="data:image/png;base64,([^"]+)"', img).group(1)
    assert base64.b64decode(src).startswith(b"\x89PNG")
    caption = re.search(r"<figcaption[^>]*>(.*)</figcaption>\s*</figure>$", out).group(1)
    assert "Figure description:" in caption and "&lt;quickly&gt; &amp; evenly" in caption


def test_undescribed_figure_still_gets_alt_from_its_titles():
    fig = _fig()
    fig.axes[0].set_title("Pain over time")
    fig.axes[0].set_xlabel("hours")
    fig.axes[0].set_ylabel("score")
    out = FD.figure_html(fig)
    plt.close(fig)
    assert 'alt="Chart: Pain over time; axes: score vs hours"' in out
    assert "<figcaption" not in out
    bare = _fig()
    assert FD.alt_text(bare) == "Chart (no description given)"
    plt.close(bare)


def test_short_alt_is_first_sentence_and_bounded():
    assert FD.short_alt("One. Two.") == "One."
    long = "word " * 100
    alt = FD.short_alt(long)
    assert len(alt) <= FD.ALT_MAX + 1 and alt.endswith("…")
    assert FD.short_alt("*Italic* figure, no full stop") == "Italic figure, no full stop"


def test_register_makes_every_figure_display_as_html():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert FD.register(shell)
    fig = FD.describe(_fig(), "Described. More.")
    data, _ = shell.display_formatter.format(fig)
    plt.close(fig)
    assert 'alt="Described."' in data["text/html"]
    assert FD.register(ip=object()) is False


def test_chapter_figure_builders_attach_their_descriptions():
    from fluorohip import interpretation_views as iv
    from fluorohip import pharmacology_views as pv
    from fluorohip import selection_views as sv
    from fluorohip.chapters.image_guidance import figures as gv

    for build, describe_ in [
        (gv.dap_comparison_figure, gv.dap_comparison_alt_text),
        (pv.time_course_figure, pv.time_course_alt_text),
        (iv.plot_dilution, iv.dilution_alt_text),
        (sv.plot_risk_ladder, sv.risk_ladder_alt_text),
    ]:
        fig = build()
        assert getattr(fig, FD.DESCRIPTION_ATTR) == " ".join(describe_().split()), build.__name__
        plt.close(fig)


def test_storage_keeps_one_copy_of_a_figure_and_clears_live_checks():
    import nbformat

    nb = nbformat.v4.new_notebook()
    fig_out = nbformat.v4.new_output(
        "display_data",
        data={
            "image/png": "iVBORw0KGgo=",
            "text/plain": "<Figure>",
            "text/html": '<figure class="fluorohip-figure"><img alt="x" src="data:image/png;base64,AA=="></figure>',
        },
    )
    png_only = nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Image>"}
    )
    check = nbformat.v4.new_code_cell("print(preflight())", metadata={"tags": [LIVE_CHECK_TAG]})
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="All is well\n")]
    check.execution_count = 1
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [fig_out, png_only]
    nb.cells = [check, cell]
    strip_outputs_for_storage(nb)
    assert nb.cells[0].outputs == [] and nb.cells[0].execution_count == 1
    assert "image/png" not in nb.cells[1].outputs[0]["data"]
    assert "image/png" in nb.cells[1].outputs[1]["data"]  # not a course figure: left alone


@pytest.mark.parametrize("nb_path", all_notebooks(), ids=lambda p: p.name)
def test_stored_figures_carry_alt_text(nb_path):
    """Every figure stored in a notebook went through figure_display: an <img> with alt text."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            data = out.get("data", {})
            html = "".join(data.get("text/html", ""))
            assert "image/png" not in data or 'class="fluorohip-figure"' in html, (
                f"{nb_path.name} cell {i}: a PNG figure without alt text (show it through fluorohip)"
            )
            for img in re.findall(r"<img\b[^>]*>", html):
                assert re.search(r'\balt="[^"]+"', img), (
                    f"{nb_path.name} cell {i}: <img> without alt"
                )


def test_no_stored_output_claims_a_check_passed():
    """The start notebook's check cell is tagged live-check and stored empty: a stored
    'All is well' would claim a check that has not run on the learner's machine."""
    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    checks = [
        c for c in nb["cells"] if c["cell_type"] == "code" and "preflight" in "".join(c["source"])
    ]
    assert checks, "the start notebook has no preflight check cell"
    for c in checks:
        assert LIVE_CHECK_TAG in c["metadata"].get("tags", [])
        assert "nbval-ignore-output" in c["metadata"].get("tags", [])
    for nb_path in all_notebooks():
        for c in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
            if LIVE_CHECK_TAG in c.get("metadata", {}).get("tags", []):
                assert c.get("outputs") == [], f"{nb_path.name}: live-check cell stored with output"
            for out in c.get("outputs", []):
                assert "All is well" not in json.dumps(out), f"{nb_path.name}: stored 'All is well'"


def test_fluoroscope_frame_alt_text_grades_nothing():
    from fluorohip.chapters.procedure.views import BLANK_MONITOR_ALT, GuidedExercise
    from fluorohip.fluoro.widget import frame_alt_text

    ex = GuidedExercise(pixels=64)
    assert (
        ex.image.value and ex.image.tooltip == BLANK_MONITOR_ALT
    )  # no broken image before frame 1
    run = ex.run
    run.set_entry(ex.x.value, ex.z.value, ex.medial.value, ex.cranial.value)
    for _ in range(30):
        run.advance(2)
    frame = run.inject_contrast(2.0)
    assert frame.deposits, "test set-up: contrast should be in the frame"
    alt = frame_alt_text(frame)
    assert "Contrast is in view" in alt
    for secret in list(frame.deposits) + ([frame.tip.label] if frame.tip is not None else []):
        assert secret.lower() not in alt.lower(), f"alt text gives away {secret!r}"
    ex._show(frame, "")
    assert ex.image.tooltip == alt
    ex._reset()
    assert ex.image.value and ex.image.tooltip == BLANK_MONITOR_ALT


def test_free_fluoroscope_frame_has_text_alternative():
    from fluorohip.fluoro import FluoroscopeWidget

    w = FluoroscopeWidget(pixels=64)
    assert w.image.tooltip.startswith("Simulated fluoroscopy frame")


def test_every_widget_control_has_a_name():
    """Sliders, dropdowns, text boxes and buttons in the course's interactive views carry a
    description (their label; the front-end extension gives slider handles the same name)."""
    import ipywidgets as W

    from fluorohip import (
        interpretation_views,
        pharmacology_views,
        procedure_views,
    )
    from fluorohip.chapters.hip_anatomy import views as anatomy_views
    from fluorohip.chapters.image_guidance import views as guidance_views
    from fluorohip.chapters.start_here import views as course_views
    from fluorohip.fluoro import FluoroscopeWidget
    from fluorohip.ui.images import DescribedImage

    views = [
        anatomy_views.show_layers(),
        course_views.widget_check(),
        anatomy_views.show_depth_explorer(),
        anatomy_views.show_label_exercise(),
        guidance_views.staff_distance_explorer(),
        interpretation_views.FaganWidget(),
        interpretation_views.PainDiaryWidget(),
        procedure_views.GuidedExercise(pixels=64).widget,
        FluoroscopeWidget(pixels=64).view,
        pharmacology_views.VolumePlanner(),
    ]
    controls = (
        W.IntSlider,
        W.FloatSlider,
        W.Dropdown,
        W.Text,
        W.Textarea,
        W.Button,
        W.ToggleButtons,
    )
    seen = 0

    def walk(w):
        nonlocal seen
        if w is None:
            return
        if isinstance(w, controls):
            seen += 1
            name = (w.description or "").strip() or (getattr(w, "tooltip", "") or "").strip()
            assert name, f"unnamed control {type(w).__name__} in {type(view).__name__}"
        if isinstance(w, W.Image):
            # a plain Image cannot show its tooltip (ipywidgets reads description.length)
            assert isinstance(w, DescribedImage) and (w.tooltip or "").strip(), (
                f"image without text alternative in {type(view).__name__}"
            )
        for child in getattr(w, "children", ()) or ():
            walk(child)

    for view in views:
        walk(getattr(view, "box", None) or view)
    assert seen >= 20


def test_labextension_loads_as_jupyterlab_loads_it():
    meta = json.loads((LABEXT / "package.json").read_text())
    load = LABEXT / meta["jupyterlab"]["_build"]["load"]
    assert load.exists()
    if shutil.which("node") is None:
        pytest.skip("node not installed: cannot evaluate the extension's container")
    script = f"""
      global.window = {{}}; global.document = {{}};
      require({json.dumps(str(load))});
      const c = window._JUPYTERLAB[{json.dumps(meta["name"])}];
      c.init({{}}).then(() => c.get({json.dumps(meta["jupyterlab"]["_build"]["extension"])}))
       .then(f => {{ const m = f(); const p = m.default[0];
                     console.log(JSON.stringify({{esm: m.__esModule, id: p.id, auto: p.autoStart,
                                                  act: typeof p.activate}})); }});
    """
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip())
    assert got == {"esm": True, "id": "fluorohip-a11y:plugin", "auto": True, "act": "function"}


def test_pyproject_installs_the_labextension_for_wheel_installs():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"share/jupyter/labextensions/fluorohip-a11y/static"' in text
    assert "src/fluorohip/labextension/static/remoteEntry.fluorohip-a11y.js" in text


def test_blank_monitor_is_a_real_jpeg():
    from fluorohip.chapters.procedure.views import blank_monitor

    data = blank_monitor(32)
    assert data[:2] == b"\xff\xd8" and len(data) > 100
    assert np.isfinite(len(data))
