"""Chapter 01 as a package: old module names still resolve (one release), the pure modules stay
pure, colours come from the one palette, and no module outgrows 500 lines."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fluorohip.chapters.hip_anatomy import figures, geometry, model, structures, views

PACKAGE = Path(model.__file__).parent
PURE = ("model", "geometry", "structures")


def test_old_anatomy_name_re_exports_the_same_objects():
    old = importlib.import_module("fluorohip.anatomy")
    new_names = set(model.__all__) | set(geometry.__all__) | set(structures.__all__)
    assert set(old.__all__) == new_names
    for name in old.__all__:
        owner = next(m for m in (model, geometry, structures) if name in m.__all__)
        assert getattr(old, name) is getattr(owner, name), name
    assert old.FACTS is model.FACTS and old.HipGeometry is geometry.HipGeometry


@pytest.mark.parametrize(
    "old_name, new_module",
    [("fluorohip.anatomy_figures", figures), ("fluorohip.anatomy_views", views)],
)
def test_old_figure_and_view_names_are_the_new_modules(old_name, new_module):
    old = importlib.import_module(old_name)
    assert old is new_module
    assert old.__name__ == new_module.__name__


def test_old_names_reach_the_public_functions_notebooks_used():
    old_figures = importlib.import_module("fluorohip.anatomy_figures")
    old_views = importlib.import_module("fluorohip.anatomy_views")
    assert old_figures.coronal_section is figures.coronal.coronal_section
    assert old_figures.write_lettered_figure is figures.radiograph.write_lettered_figure
    assert old_views.show_layers is views.show_layers
    assert old_views.facts_table_html is views.facts_table_html


def test_pure_modules_import_no_widgets_plotting_or_ipython():
    names = ", ".join(f"fluorohip.chapters.hip_anatomy.{m}" for m in PURE)
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
    offenders = [
        str(p.relative_to(PACKAGE)) for p in _sources() if hex_colour.search(p.read_text())
    ]
    assert not offenders, f"hex colours outside fluorohip.ui.palette: {offenders}"


def test_no_module_over_500_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _sources()
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert not long, long


def test_each_figure_builder_carries_its_description():
    from fluorohip.ui.figures import DESCRIPTION_ATTR, alt_text

    cases = [
        (
            figures.coronal_section(["bone", "capsule"]),
            figures.coronal_alt_text(["bone", "capsule"]),
        ),
        (figures.anterior_view(), figures.anterior_alt_text()),
        (figures.ap_radiograph("cam"), figures.ap_alt_text("cam")),
        (figures.ap_radiograph(lettered=True), figures.ap_alt_text(lettered=True)),
        (figures.depth_chart((0, 30)), figures.depth_chart_alt_text((0, 30))),
    ]
    import matplotlib.pyplot as plt

    for fig, description in cases:
        assert getattr(fig, DESCRIPTION_ATTR) == " ".join(description.split())
        assert alt_text(fig) and not alt_text(fig).startswith("Chart")
        plt.close(fig)
