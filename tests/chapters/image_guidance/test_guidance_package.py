"""Chapter 02 as a package: old module names still resolve (one release), the pure models stay
pure, colours come from the one palette, no module outgrows 500 lines, and the cited numbers
the figures and views quote are the models' own."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fluorohip.chapters.image_guidance import accuracy, figures, intervals, radiation, views

PACKAGE = Path(accuracy.__file__).parent
PURE = ("accuracy", "intervals", "radiation")


@pytest.mark.parametrize(
    "old_name, new_module",
    [("fluorohip.accuracy", accuracy), ("fluorohip.radiation", radiation)],
)
def test_old_model_names_are_the_new_modules(old_name, new_module):
    assert importlib.import_module(old_name) is new_module


def test_old_accuracy_name_still_offers_the_intervals():
    old = importlib.import_module("fluorohip.accuracy")
    assert old.wilson_interval is intervals.wilson_interval
    assert old.exact_interval is intervals.exact_interval


def test_old_guidance_views_name_re_exports_figures_and_views():
    old = importlib.import_module("fluorohip.guidance_views")
    for name in old.__all__:
        owner = next(m for m in (figures, views, accuracy) if hasattr(m, name))
        assert getattr(old, name) is getattr(owner, name), name
    assert old.dose_explorer is views.dose_explorer
    assert old.accuracy_forest_figure is figures.accuracy_forest_figure
    assert old.scenario_accuracies is accuracy.scenario_accuracies


def test_pure_models_import_no_widgets_plotting_or_ipython():
    names = ", ".join(f"fluorohip.chapters.image_guidance.{m}" for m in PURE)
    code = (
        f"import sys, importlib\n"
        f"for n in {names!r}.split(', '): importlib.import_module(n)\n"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_colours_come_from_the_palette_not_hex_codes():
    hex_colour = re.compile(r"#[0-9A-Fa-f]{6}\b")
    offenders = [p.name for p in _sources() if hex_colour.search(p.read_text())]
    assert not offenders, f"hex colours outside fluorohip.ui.palette: {offenders}"


def test_no_module_over_500_lines():
    long = {p.name: n for p in _sources() if (n := len(p.read_text().splitlines())) > 500}
    assert not long, long


def test_reference_block_is_the_cited_fact():
    se, sp = accuracy.reference_block()
    assert (se, sp) == (0.97, 0.91)
    assert accuracy.BLOCK_REFERENCE["sensitivity"].range == (0.87, 0.99)
    assert accuracy.BLOCK_REFERENCE["specificity"].range == (0.83, 0.95)
    assert all(f.keys == ("AnaestheticMeta2014",) for f in accuracy.BLOCK_REFERENCE.values())
    assert accuracy.SINGH_SUBGROUPS["consultants"].value == 0.771


def test_text_read_outs_use_the_model():
    lines = views.study_intervals_text().splitlines()
    assert len(lines) == len(accuracy.STUDIES)
    assert "67/100" in lines[1] and "Wilson 57%-75%" in lines[1]
    scen = views.scenario_sensitivity_text()
    # landmark pooled 72%: 0.72 × 0.97 + 0.28 × 0.09 = 0.7236
    assert "landmark     accuracy 72%: observed Se 72.4%, Sp 91%" in scen
    assert "image-guided accuracy 97%" in scen


def test_dose_report_quotes_the_cited_mean_and_its_key():
    html = views.dose_report_html(radiation.REFERENCE_SETTINGS)
    mean = radiation.FACTS["dap_mean_ugym2"]
    assert f"{mean.value:g} µGy·m² ({mean.key})" in html
    assert radiation.FACTS["hip_radiograph_dap_mgycm2"].key in html


def test_dose_explorer_reports_a_typed_letter_instead_of_failing():
    w = views.dose_explorer()
    w.time.value = "abc"
    assert "Check input" in w.out.value and "Screening time" in w.out.value
    w.time.value = "13"
    assert "Check input" not in w.out.value and "× 0.50" in w.out.value
    w.time.value = "13,0"  # a decimal comma, as typed in much of Europe
    assert "× 0.50" in w.out.value


def test_range_only_radiation_fact_refuses_a_single_value():
    with pytest.raises(ValueError, match="range"):
        radiation.fact_value("hip_radiograph_dap_mgycm2")
    assert radiation.fact_value("dap_mean_ugym2") == 20.4


def test_reference_technique_takes_its_screening_time_from_the_cited_mean():
    assert (
        radiation.REFERENCE_SETTINGS.screening_time_s
        == radiation.FACTS["screening_time_mean_s"].value
    )
