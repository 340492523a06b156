"""Notebook 04: the checklist rules (a table of synthetic patients), the record, the facts, the
old module names.

Mirrors :mod:`fluorohip.chapters.patient_selection` (facts, record, decision, rules)."""

from __future__ import annotations

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")  # before the views import pyplot

from fluorohip.chapters.patient_selection import figures, views
from fluorohip.chapters.patient_selection.data import (
    SelectionDataError,
    load_differential,
    load_risks,
)
from fluorohip.chapters.patient_selection.decision import Decision
from fluorohip.chapters.patient_selection.facts import FACTS
from fluorohip.chapters.patient_selection.record import (
    PatientRecord,
    check_number,
    record_from_dict,
)
from fluorohip.chapters.patient_selection.rules import assess, rule_keys
from fluorohip.core.bibliography import load_bibliography

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
