"""Notebook 04: the content files (triage patients, risks, differential), consent text, views.

Mirrors :mod:`fluorohip.chapters.patient_selection` (data, triage, differential, risks, consent,
figures, views)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")  # before the views import pyplot

from fluorohip.chapters.patient_selection import figures, views
from fluorohip.chapters.patient_selection.consent import ConsentPlan, consent_text
from fluorohip.chapters.patient_selection.data import (
    SelectionDataError,
    load_differential,
    load_risks,
    load_triage_patients,
)
from fluorohip.chapters.patient_selection.decision import Decision
from fluorohip.chapters.patient_selection.differential import filter_sort_conditions
from fluorohip.chapters.patient_selection.risks import per_n, plain_frequency
from fluorohip.chapters.patient_selection.rules import assess
from fluorohip.chapters.patient_selection.triage import grade_triage
from fluorohip.core.bibliography import CITATION_PATTERN, load_bibliography

D = Decision


# --- content files ----------------------------------------------------------------------------------


def test_triage_patients_match_rules_and_cover_every_decision():
    pts = load_triage_patients()
    assert len(pts) >= 8
    assert {p.expected for p in pts} == set(D)
    for p in pts:
        assert assess(p.record).decision is p.expected


def test_grade_triage():
    p = next(x for x in load_triage_patients() if x.id == "hot-hip")
    ok, md = grade_triage(p, "do-not-inject")
    assert ok and "Correct" in md
    ok, md = grade_triage(p, "proceed")
    assert not ok and "Do not inject" in md
    with pytest.raises(ValueError, match="decision must be one of"):
        grade_triage(p, "maybe")


def _write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def test_bad_patient_file_errors_name_file_item_and_field(tmp_path):
    good = {
        "id": "x",
        "name": "X",
        "vignette": "v",
        "record": {},
        "expected": "proceed",
        "teaching": "t",
        "keys": ["Patel2019"],
    }
    p = _write(tmp_path, "patients.yaml", {"patients": [dict(good, expected="defer")]})
    with pytest.raises(
        SelectionDataError, match=r"patients.yaml: patients\[0\] \(id 'x'\): field 'expected'"
    ):
        load_triage_patients(p)
    p = _write(tmp_path, "patients.yaml", {"patients": [dict(good, record={"inr": "high"})]})
    with pytest.raises(SelectionDataError, match="field 'record'.*inr"):
        load_triage_patients(p)
    p = _write(tmp_path, "patients.yaml", {"patients": [dict(good, keys=["Nobody2099"])]})
    with pytest.raises(SelectionDataError, match="unknown citation key.*Nobody2099"):
        load_triage_patients(p)
    # two copies: one shared object would be dumped as an alias, which course files refuse
    p = _write(
        tmp_path, "patients.yaml", {"patients": [good, yaml.safe_load(yaml.safe_dump(good))]}
    )
    with pytest.raises(SelectionDataError, match="duplicate id"):
        load_triage_patients(p)
    with pytest.raises(SelectionDataError, match="file not found"):
        load_triage_patients(tmp_path / "none.yaml")


def test_bad_risk_file_errors(tmp_path):
    good = {
        "id": "r",
        "name": "R",
        "what": "w",
        "frequency": {"percent": 1},
        "context": "c",
        "applies_when": ["always"],
        "keys": ["Hugo1998"],
    }
    for bad, msg in [
        (dict(good, frequency={"percent": 140}), "cannot exceed 100"),
        (dict(good, frequency={"low_percent": 5, "high_percent": 1}), "low_percent is above"),
        (dict(good, frequency={"events": 5, "denominator": 2}), "events <= denominator"),
        (dict(good, frequency={"often": 1}), "field 'frequency'"),
        (dict(good, frequency={"percent": "a lot"}), "frequency.percent"),
        (dict(good, applies_when=["sometimes"]), "applies_when"),
        (dict(good, name=""), "field 'name'"),
    ]:
        p = _write(tmp_path, "risks.yaml", {"risks": [bad]})
        with pytest.raises(SelectionDataError, match=msg):
            load_risks(p)
    p = _write(tmp_path, "risks.yaml", {"risks": []})
    with pytest.raises(SelectionDataError, match="top-level 'risks:'"):
        load_risks(p)


def test_bad_differential_compartment(tmp_path):
    item = {
        "id": "c",
        "name": "C",
        "compartment": "inside",
        "where": "w",
        "clues": "c",
        "first_test": "f",
        "injection": "i",
        "keys": [],
    }
    p = _write(tmp_path, "differential.yaml", {"conditions": [item]})
    with pytest.raises(SelectionDataError, match="field 'compartment'"):
        load_differential(p)


def test_filter_sort_conditions():
    conds = load_differential()
    extra = filter_sort_conditions(conds, "extra-articular", "name")
    assert extra and all(c.compartment == "extra-articular" for c in extra)
    assert [c.name for c in extra] == sorted(c.name for c in extra)
    assert any(c.id == "hip-oa" for c in filter_sort_conditions(conds, text="BUTTOCK"))
    assert filter_sort_conditions(conds, text="zzzz") == []
    with pytest.raises(ValueError, match="sort_by"):
        filter_sort_conditions(conds, sort_by="colour")
    with pytest.raises(ValueError, match="compartment"):
        filter_sort_conditions(conds, compartment="inside")


# --- consent ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "percent, expected",
    [
        (0.04, ("4", 10_000)),
        (0.093, ("9", 10_000)),
        (1.5, ("15", 1_000)),
        (35, ("35", 100)),
        (1.2, ("12", 1_000)),
        (100 * 8 / 262000, ("3", 100_000)),
    ],
)
def test_per_n(percent, expected):
    assert per_n(percent) == expected


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=1e-4, max_value=100))
def test_per_n_within_ten_percent(percent):
    k, n = per_n(percent)
    if k != "fewer than 1":
        value = float(k.replace(",", ""))
        assert math.isclose(value * 100 / n, percent, rel_tol=0.11)


def test_plain_frequencies_of_shipped_risks():
    by_id = {r.id: r for r in load_risks()}
    assert plain_frequency(by_id["joint-infection"]) == "about 4 to 9 in 10,000 (0.04-0.09%)"
    assert plain_frequency(by_id["bleeding-doac"]) == "none in 1,050 procedures"
    assert "1.68" in plain_frequency(by_id["prosthesis-infection"])
    assert plain_frequency(by_id["glucose-rise"]) == "almost everyone"


def test_consent_text_selects_risks_by_plan():
    base = consent_text(ConsentPlan(steroid=False, contrast=False, purpose="diagnostic"))
    assert "septic arthritis" in base and "x-ray dye" not in base and "blood sugar" not in base
    full = consent_text(
        ConsentPlan(diabetes=True, anticoagulant="warfarin", tha_within_3_months=True)
    )
    for phrase in ("blood sugar", "warfarin", "hip replacement", "x-ray dye", "keep taking it"):
        assert phrase in full
    assert "pain diary" in base.lower()
    bib = load_bibliography()
    assert set(CITATION_PATTERN.findall(full)) <= set(bib)
    assert "6 weeks is safe" not in full
    assert "not proof" in full  # the arthroplasty link is stated as an association


def test_consent_plan_refuses_bad_input():
    with pytest.raises(ValueError, match="purpose"):
        ConsentPlan(purpose="fun")
    with pytest.raises(ValueError, match="anticoagulant"):
        ConsentPlan(anticoagulant="heparin?")
    with pytest.raises(ValueError, match="steroid"):
        ConsentPlan(steroid="yes")


# --- views (smoke: they build, refuse bad input without raising, and have stable reprs) ------------


def test_views_build_and_refuse_nonsense():
    import matplotlib

    matplotlib.use("Agg")

    box = views.checklist()
    assert repr(box).startswith("Checklist:")
    box.controls["inr"].value = "abc"
    assert "inr must be a number" in box.result.value
    box.controls["inr"].value = "3.6"
    assert "Defer" in box.result.value
    c = views.consent_builder()
    c.controls["contrast"].value = False
    c.controls["mr_arthrogram"].value = True
    assert "needs contrast" in c.output.value
    t = views.triage_exercise()
    t.parts["check"].click()
    assert "Choose a decision" in t.parts["feedback"].value
    assert repr(views.differential_explorer()).startswith("DifferentialExplorer:")
    fig = figures.plot_risk_ladder()
    assert fig.get_size_inches().tolist() == [8.5, 5.2]
    assert "logarithmic" in figures.risk_ladder_alt_text()


def test_risk_ladder_reads_as_percent_and_stays_on_this_procedure():
    """Resident review: '1e+02%' label, an axis beyond 100%, and an MR-arthrogram row on the ladder."""
    import matplotlib

    matplotlib.use("Agg")

    fig = figures.plot_risk_ladder()
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert not [t for t in texts if "e+" in t or "e-" in t], texts
    assert any("100%" in t for t in texts)
    assert ax.get_xlim()[1] <= 1.5e5  # 100,000 per 100,000 is 100%
    assert not [t.get_text() for t in ax.get_yticklabels() if "..." in t.get_text()]
    names = [r.id for r in figures.ladder_risks()]
    assert "arthrogram-pain" not in names and "joint-infection" in names
    assert (
        figures.percent_label(100) == "100"
        and figures.percent_label(1.2) == "1.2"
        and figures.percent_label(8 / 262000 * 100) == "0.0031"
    )
