"""Notebook 04: checklist rules (a table of synthetic patients), content files, consent text.

Mirrors :mod:`fluorohip.chapters.patient_selection`."""

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
from fluorohip.chapters.patient_selection.facts import FACTS
from fluorohip.chapters.patient_selection.record import (
    PatientRecord,
    check_number,
    record_from_dict,
)
from fluorohip.chapters.patient_selection.risks import per_n, plain_frequency
from fluorohip.chapters.patient_selection.rules import assess, rule_keys
from fluorohip.chapters.patient_selection.triage import grade_triage
from fluorohip.core.bibliography import CITATION_PATTERN, load_bibliography

D = Decision

# (description, record fields, expected decision, rules that must fire)
PATIENTS = [
    ("uncomplicated OA", {}, D.PROCEED, set()),
    ("warfarin, INR not tested", {"anticoagulant": "warfarin"}, D.PROCEED, {"anticoagulant"}),
    ("warfarin, INR 1.8", {"anticoagulant": "warfarin", "inr": 1.8}, D.PROCEED, {"inr"}),
    ("warfarin, INR exactly 2.0", {"anticoagulant": "warfarin", "inr": 2.0}, D.PROCEED, {"inr"}),
    ("warfarin, INR 2.6", {"anticoagulant": "warfarin", "inr": 2.6}, D.CAUTION, {"inr"}),
    ("warfarin, INR exactly 3.0", {"anticoagulant": "warfarin", "inr": 3.0}, D.CAUTION, {"inr"}),
    ("warfarin, INR 3.4", {"anticoagulant": "warfarin", "inr": 3.4}, D.DEFER, {"inr"}),
    ("DOAC", {"anticoagulant": "doac"}, D.PROCEED, {"anticoagulant"}),
    ("antiplatelet", {"anticoagulant": "antiplatelet"}, D.PROCEED, {"anticoagulant"}),
    ("platelets 15", {"platelets_e9_per_l": 15}, D.DEFER, {"platelets"}),
    ("platelets 20 (not above)", {"platelets_e9_per_l": 20}, D.DEFER, {"platelets"}),
    ("platelets 21", {"platelets_e9_per_l": 21}, D.PROCEED, set()),
    (
        "mild bleeding disorder",
        {"bleeding_disorder": "mild"},
        D.CAUTION,
        {"bleeding-disorder-mild"},
    ),
    (
        "high-risk bleeding disorder",
        {"bleeding_disorder": "high-risk"},
        D.DEFER,
        {"bleeding-disorder-high"},
    ),
    (
        "suspected septic joint",
        {"suspected_joint_infection": True},
        D.DO_NOT_INJECT,
        {"joint-infection"},
    ),
    ("entry-site cellulitis", {"skin_infection_at_site": True}, D.DEFER, {"skin-infection"}),
    ("systemic infection", {"systemic_infection": True}, D.DEFER, {"systemic-infection"}),
    (
        "anaphylaxis to steroid",
        {"anaphylaxis_to_injectate": True},
        D.DO_NOT_INJECT,
        {"anaphylaxis-injectate"},
    ),
    (
        "anaphylaxis to contrast",
        {"anaphylaxis_to_contrast": True},
        D.OTHER_ROUTE,
        {"anaphylaxis-contrast"},
    ),
    (
        "contrast anaphylaxis but no contrast planned",
        {"anaphylaxis_to_contrast": True, "contrast_planned": False},
        D.PROCEED,
        set(),
    ),
    (
        "mild contrast reaction",
        {"prior_mild_contrast_reaction": True},
        D.CAUTION,
        {"mild-contrast-reaction"},
    ),
    (
        "iodine/seafood label only",
        {"iodine_or_seafood_allergy_label": True},
        D.PROCEED,
        {"iodine-label"},
    ),
    ("pregnant", {"pregnant": True}, D.OTHER_ROUTE, {"pregnancy"}),
    ("controlled diabetes, steroid", {"diabetes": "controlled"}, D.CAUTION, {"diabetes"}),
    (
        "poorly controlled diabetes, steroid",
        {"diabetes": "poorly-controlled"},
        D.CAUTION,
        {"diabetes"},
    ),
    (
        "diabetes, anaesthetic only",
        {"diabetes": "controlled", "steroid_planned": False, "purpose": "diagnostic"},
        D.PROCEED,
        set(),
    ),
    ("THA in 1 month", {"tha_planned_in_months": 1}, D.DEFER, {"tha-soon"}),
    ("THA in 2.9 months", {"tha_planned_in_months": 2.9}, D.DEFER, {"tha-soon"}),
    ("THA in 3 months", {"tha_planned_in_months": 3}, D.PROCEED, set()),
    ("THA in 6 months", {"tha_planned_in_months": 6}, D.PROCEED, set()),
    ("prosthetic hip", {"prosthetic_hip_same_side": True}, D.OTHER_ROUTE, {"prosthetic-hip"}),
    ("no radiographs", {"radiographs_done": False}, D.OTHER_ROUTE, {"no-radiographs"}),
    (
        "extra-articular picture",
        {"pain_pattern": "extra-articular"},
        D.OTHER_ROUTE,
        {"extra-articular"},
    ),
    (
        "uncertain source, treatment only",
        {"pain_pattern": "uncertain", "purpose": "therapeutic"},
        D.CAUTION,
        {"uncertain-therapeutic"},
    ),
    (
        "uncertain source, diagnostic",
        {"pain_pattern": "uncertain", "purpose": "diagnostic"},
        D.PROCEED,
        set(),
    ),
    ("steroid 2 months ago", {"months_since_last_steroid": 2}, D.CAUTION, {"repeat-steroid"}),
    ("steroid 4 months ago", {"months_since_last_steroid": 4}, D.PROCEED, set()),
    (
        "two steroid injections this year",
        {"steroid_injections_past_year": 2},
        D.CAUTION,
        {"repeat-steroid"},
    ),
    ("cannot keep still", {"cannot_keep_still": True}, D.CAUTION, {"cannot-keep-still"}),
    ("AVN", {"avn_or_crps": True}, D.CAUTION, {"avn-crps"}),
    (
        "pregnant AND entry-site infection: most restrictive wins",
        {"pregnant": True, "skin_infection_at_site": True},
        D.DEFER,
        {"pregnancy", "skin-infection"},
    ),
    (
        "septic joint AND warfarin",
        {"suspected_joint_infection": True, "anticoagulant": "warfarin"},
        D.DO_NOT_INJECT,
        {"joint-infection", "anticoagulant"},
    ),
]


@pytest.mark.parametrize("desc, fields, expected, rules", PATIENTS, ids=[p[0] for p in PATIENTS])
def test_checklist_decisions(desc, fields, expected, rules):
    a = assess(PatientRecord(**fields))
    assert a.decision is expected, desc
    assert rules <= set(a.rules), f"{desc}: expected rules {rules}, got {a.rules}"
    if not rules:
        assert all(f.decision is D.PROCEED for f in a.findings)


def test_findings_sorted_most_restrictive_first_and_cited():
    a = assess(PatientRecord(pregnant=True, diabetes="controlled", suspected_joint_infection=True))
    sev = [f.decision.severity for f in a.findings]
    assert sev == sorted(sev, reverse=True)
    for f in a.findings:
        assert f.keys, f.rule
        assert f.reason and f.action


def test_must_not_state_phrasing():
    """The traps of the course's must-not-state list stay out of the rule texts."""
    texts = []
    worst = PatientRecord(
        anticoagulant="warfarin",
        inr=3.5,
        pregnant=True,
        tha_planned_in_months=1,
        iodine_or_seafood_allergy_label=True,
        anaphylaxis_to_contrast=True,
    )
    for f in assess(worst).findings:
        texts.append((f.reason + " " + f.action).lower())
    joined = " ".join(texts)
    assert "below 1.5" not in joined and "< 1.5" not in joined
    assert "stop the anticoagulant" not in joined.replace("do not stop the anticoagulant", "")
    assert "absolute contraindication" not in next(t for t in texts if "pregnan" in t).replace(
        "not an absolute contraindication", ""
    )
    assert "causes" not in next(t for t in texts if "hip replacement" in t)
    tha = next(f for f in assess(worst).findings if f.rule == "tha-soon")
    assert "association" in tha.reason
    preg = next(f for f in assess(worst).findings if f.rule == "pregnancy")
    assert preg.decision is D.OTHER_ROUTE
    label = next(f for f in assess(worst).findings if f.rule == "iodine-label")
    assert label.decision is D.PROCEED


@pytest.mark.parametrize(
    "field, value",
    [
        ("age_years", -4),
        ("age_years", 5),
        ("age_years", 200),
        ("age_years", float("nan")),
        ("age_years", "sixty"),
        ("inr", "abc"),
        ("inr", -1),
        ("inr", float("inf")),
        ("inr", 40),
        ("platelets_e9_per_l", -5),
        ("tha_planned_in_months", -1),
        ("steroid_injections_past_year", 1.5),
        ("purpose", "cosmetic"),
        ("anticoagulant", "aspirin??"),
        ("diabetes", "yes"),
        ("pregnant", "no"),
        ("age_years", True),
    ],
)
def test_bad_input_refused_with_field_named(field, value):
    with pytest.raises(ValueError) as exc:
        PatientRecord(**{field: value})
    assert field in str(exc.value)


def test_check_number_accepts_typed_text_and_blank_optional():
    assert check_number("inr", " 2.5 ") == 2.5
    assert check_number("inr", "", optional=True) is None
    with pytest.raises(ValueError, match="inr is required"):
        check_number("inr", "")


def test_record_from_dict_names_unknown_field():
    with pytest.raises(ValueError, match="unknown field.*inr_value"):
        record_from_dict({"inr_value": 2}, where="x")


def test_mr_arthrogram_needs_contrast():
    with pytest.raises(ValueError, match="mr_arthrogram"):
        PatientRecord(mr_arthrogram=True, contrast_planned=False)


@settings(max_examples=60, deadline=None)
@given(inr=st.floats(min_value=0.5, max_value=15), extra=st.booleans())
def test_inr_monotonic_and_never_less_restrictive_with_more_findings(inr, extra):
    """A higher INR never gives a less restrictive decision; adding a finding never relaxes it."""
    a = assess(PatientRecord(inr=inr)).decision.severity
    b = assess(PatientRecord(inr=min(15.0, inr + 0.5))).decision.severity
    assert b >= a
    c = assess(PatientRecord(inr=inr, skin_infection_at_site=extra)).decision.severity
    assert c >= a


def test_every_citation_key_resolves():
    bib = load_bibliography()
    missing = sorted(k for k in rule_keys() if k not in bib)
    assert not missing
    for c in load_differential():
        assert set(c.keys) <= set(bib)
    for r in load_risks():
        assert set(r.keys) <= set(bib)


def test_fact_ranges_are_ordered_and_cited():
    bib = load_bibliography()
    for name, f in FACTS.items():
        assert f.keys and set(f.keys) <= set(bib), name
        if f.low is not None:
            assert f.low <= f.high, name
        assert f.value is not None or f.low is not None, name
    assert FACTS["inr_threshold"].text() == "2\u20133 INR" or FACTS["inr_threshold"].low == 2.0


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


# --- one number, typed once; old module names; pure models (issue 20) -----------------------------


def test_numbers_chapter_03_already_types_are_the_same_objects_here():
    from fluorohip.chapters.injectates.facts import FACTS as DRUG_FACTS

    for here, there in [
        ("pji_or_within_3_months", "pji_or_within_3_months"),
        ("repeat_interval_months", "label_repeat_interval_months"),
        ("max_per_year", "label_max_per_year"),
        ("glucose_baseline_days", "glucose_back_to_baseline_days"),
        ("tha_interval_months", "wait_before_tha_months"),
    ]:
        assert FACTS[here] is DRUG_FACTS[there], here
    peak = FACTS["steroid_peak_weeks"]
    assert peak.derived and peak.value * 7 == DRUG_FACTS["steroid_peak_days"].value


def test_old_module_names_still_resolve_to_the_new_objects():
    from fluorohip import selection, selection_views
    from fluorohip.chapters.patient_selection import data, record

    assert selection.assess is assess and selection.PatientRecord is PatientRecord
    assert selection.SelectionDataError is SelectionDataError and selection.FACTS is FACTS
    assert selection.read_entries is data.read_entries and selection.RANGES is record.RANGES
    assert selection_views.checklist is views.checklist
    assert selection_views.plot_risk_ladder is figures.plot_risk_ladder
    for module in (selection, selection_views):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_the_models_import_no_widget_or_plotting_library():
    """A model never imports a widget: checked in a fresh interpreter, so it can fail."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fluorohip.chapters.patient_selection import consent, data, rules, triage\n"
        "data.check_selection_files(); data.check_diary_files()\n"
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
