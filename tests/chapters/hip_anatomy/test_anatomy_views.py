"""Notebook 01 (hip anatomy), the widgets: layer explorer, label exercise, depth explorer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from fluorohip.chapters.hip_anatomy import model, structures


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- widgets


def test_layer_explorer_toggles_and_repr():
    from fluorohip.chapters.hip_anatomy.views import LayerExplorer

    w = LayerExplorer()
    assert repr(w) == "LayerExplorer: 6 layers, 6 shown"
    before = w.image.value
    w.boxes["capsule"].value = False
    assert repr(w) == "LayerExplorer: 6 layers, 5 shown"
    assert w.image.value != before
    assert "Fibrous capsule" not in w.notes.value


def test_label_exercise_grades_each_letter():
    from fluorohip.chapters.hip_anatomy.views import LabelExercise

    w = LabelExercise()
    for letter, sid in structures.AP_LETTERS.items():
        w.dropdowns[letter].value = sid
    w.dropdowns["E"].value = "acetabular-roof"
    w.check.click()
    assert "5 of 6 correct" in w.feedback.value
    assert "E: you chose Acetabular roof" in w.feedback.value and "U-shaped" in w.feedback.value
    assert repr(w).endswith("checked 1 times")


def test_depth_explorer_refuses_letters_and_updates():
    from fluorohip.chapters.hip_anatomy.views import DepthExplorer

    w = DepthExplorer()
    w.depth.value = "abc"
    assert "Cannot compute" in w.result.value and "Depth (mm)" in w.result.value
    w.depth.value = "80"
    w.tilt.value = 30
    assert "92 mm" in w.result.value
    w.patient.value = "Mrs C, obese (invented: 60 mm more fat)"
    assert w.depth.value == f"{model.skin_to_anterior_head_mm().value + 60:.0f}"
    assert "Teaching, not dosing advice" in w.children[0].value


def test_depth_explorer_flags_a_needle_that_only_just_reaches():
    from fluorohip.chapters.hip_anatomy.views import DepthExplorer

    w = DepthExplorer()
    w.tilt.value = 0
    w.depth.value = "86"
    assert "only 3 mm spare" in w.result.value and "Choose: <b>5-inch" in w.result.value
    assert "rule of thumb" in w.result.value
    w.depth.value = "70"
    assert "Choose: <b>3.5-inch" in w.result.value


def test_facts_table_shows_every_fact_with_its_source():
    """Whole numbers print whole, others with one decimal, ranges as ranges; one row per fact."""
    from fluorohip.chapters.hip_anatomy.views import facts_table_html

    table = facts_table_html().data
    assert table.count("<tr>") == len(model.FACTS) + 1
    assert "<td>6 mm</td>" in table  # capsule thickness, an int
    assert "<td>17.5 mm</td>" in table  # femoral vein distance
    assert "<td>14–20 mL</td>" in table  # joint capacity, a range
    assert "Mehta" in table
    with pytest.raises(KeyError, match="no anatomy fact called"):
        facts_table_html(["capacity"])


def test_depth_explorer_reads_a_decimal_comma():
    """What a learner types goes through core.inputs.parse_number: "92,4" is 92.4 mm."""
    from fluorohip.chapters.hip_anatomy.views import DepthExplorer

    w = DepthExplorer()
    w.tilt.value = 0
    w.depth.value = "92,4"
    assert "Cannot compute" not in w.result.value
    assert "<b>92 mm</b>" in w.result.value
