"""Chapter 05's pure model: facts, needle by habitus, steps, contrast patterns, the record."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.chapters.procedure import model as P
from fluorohip.core.bibliography import load_bibliography

BIB = load_bibliography()


# --------------------------------------------------------------------------- citations and facts


def test_every_citation_key_resolves():
    missing = P.all_citation_keys() - set(BIB)
    assert not missing, f"unresolved keys: {missing}"


def test_facts_have_units_and_ranges_in_order():
    for name, f in P.FACTS.items():
        assert f.unit, name
        if f.low is not None:
            assert f.low <= f.value <= f.high, name


def test_borrowed_facts_are_the_home_modules_objects():
    assert P.fact("vein_distance") is anatomy.fact("femoral_vein_distance")
    with pytest.raises(KeyError, match="no procedure fact"):
        P.fact("nonsense")


def test_shortt_survey_numbers():
    assert P.FACTS["needle_22g_share"].value == 78
    assert P.FACTS["anterior_approach_share"].value == 75
    assert P.FACTS["lateral_fluoro"].value == 100


# --------------------------------------------------------------------------- needle by habitus


def test_needle_by_habitus_uses_anatomy_depth_model():
    assert P.skin_to_target_mm(P.REFERENCE_BMI) == anatomy.skin_to_anterior_head_mm().value
    assert P.needle_for(25)[1] == pytest.approx(88.9)
    assert P.needle_for(38)[1] == pytest.approx(127.0)
    assert P.needle_for(19)[1] == pytest.approx(88.9)


@settings(max_examples=20, deadline=None)
@given(st.floats(15, 60), st.floats(15, 60))
def test_depth_monotone_in_bmi(a, b):
    lo, hi = sorted((a, b))
    assert P.skin_to_target_mm(lo) <= P.skin_to_target_mm(hi)


@settings(max_examples=20, deadline=None)
@given(st.floats(15, 60), st.floats(0, 30))
def test_chosen_needle_reaches(bmi, tilt):
    path = anatomy.needle_path_mm(P.skin_to_target_mm(bmi), tilt)
    try:
        _, length = P.needle_for(bmi, tilt)
    except ValueError:
        assert path > max(anatomy.NEEDLE_LENGTHS_MM.values()) - anatomy.NEEDLE_MARGIN_MM
        return
    assert length - path >= anatomy.NEEDLE_MARGIN_MM


def test_needle_choice_keeps_a_margin_not_just_reach():
    """Mr D (BMI 29): an 86 mm path. A 3.5-inch (89 mm) needle reaches but leaves only about 3 mm,
    under the ~1 cm teaching margin, so the 5-inch (127 mm) is chosen. The old rule (shortest
    needle that merely reaches) picked the 3.5-inch here."""
    depth = P.skin_to_target_mm(P.PATIENTS["oa"].bmi)
    assert depth == pytest.approx(86, abs=0.5)
    short = "3.5-inch spinal (89 mm)"
    assert anatomy.shortest_needle_that_reaches(depth) == short  # reaches on paper ...
    assert P.needle_margin_mm(29, short) == pytest.approx(3, abs=0.5)  # ... with ~3 mm spare
    assert P.needle_for(29) == ("5-inch spinal (127 mm)", 127.0)
    assert "5-inch" in P.equipment_list("oa")[0].detail
    assert "about 3 mm spare" in P.PATIENTS["oa"].note and "5-inch" in P.PATIENTS["oa"].note
    # the average adult (74 mm) keeps ~15 mm on a 3.5-inch needle: no change there
    assert P.needle_for(25)[1] == pytest.approx(88.9)
    assert anatomy.NEEDLE_MARGIN_MM == 10.0


def test_equipment_table_shows_the_spare_shaft_and_the_choice():
    from fluorohip.chapters.procedure import views as V

    row = next(r for r in V.equipment_markdown().splitlines() if r.startswith("| Mr D"))
    assert "| 86 mm | 3 mm | 5-inch spinal (127 mm) |" in row
    assert "rule of thumb" in V.equipment_markdown()


@pytest.mark.parametrize("bad", ["abc", -3, float("nan"), 500, None])
def test_bmi_refused(bad):
    with pytest.raises(ValueError, match="bmi"):
        P.extra_fat_mm(bad)


def test_equipment_list_names_needle_and_time_out_tools():
    items = {i.item: i for i in P.equipment_list("high_bmi")}
    assert "5-inch" in items["Spinal needle"].detail
    assert "Resuscitation equipment" in items
    with pytest.raises(ValueError, match="patient must be one of"):
        P.equipment_list("nobody")


# --------------------------------------------------------------------------- steps and patterns


def test_time_out_before_first_needle_and_contrast_before_drug():
    ids = P.step_ids()
    assert ids.index("prep") < ids.index("timeout") < ids.index("local") < ids.index("advance")
    assert (
        ids.index("aspirate") < ids.index("contrast") < ids.index("inject") < ids.index("document")
    )


def test_check_order():
    assert P.check_order(P.step_ids()) == []
    wrong = ["timeout", "check"]
    assert P.check_order(wrong) == [
        "position 1: expected 'check', got 'timeout'",
        "position 2: expected 'timeout', got 'check'",
    ]
    with pytest.raises(ValueError, match="unknown step"):
        P.check_order(["dance"])


def test_pattern_actions_cover_simulator_patterns():
    from fluorohip.fluoro import PATTERNS

    assert set(PATTERNS) == set(P.PATTERN_ACTIONS)
    vascular = P.action_for("intravascular")
    assert "Do not inject" in vascular.action and "Reposition" in vascular.action
    assert "serpiginous" in vascular.appearance and "venous" in vascular.meaning
    assert "no hip-specific data" in vascular.meaning
    # a medial femoral-vessel puncture is one cause, not the cause; no "redirect laterally" rule
    assert "too medial" not in (vascular.meaning + vascular.action).lower()
    assert "redirect laterally" not in vascular.action.lower()
    assert (
        "Mehta2018" not in vascular.cite
    )  # Mehta supports the distances in the meaning, not the action
    assert (
        "15%" in P.action_for("bursal").meaning
    )  # must not teach "bursa = always extra-articular"
    with pytest.raises(ValueError):
        P.action_for("pink")


def test_no_must_not_state_phrases():
    text = " ".join(
        [a.advice for a in P.AFTERCARE + P.RED_FLAGS]
        + [s.why for s in P.STEPS]
        + [p.action + p.meaning for p in P.PATTERN_ACTIONS.values()]
    ).lower()
    for phrase in (
        "gonad",
        "premedicat",
        "works immediately",
        "always extra-articular",
        "iodine allergy",
        "whole bundle",
        "nerve included",
    ):
        assert phrase not in text


def test_leg_weakness_advice_is_practice_advice_without_the_distance_paper():
    weak = next(a for a in P.AFTERCARE if a.topic.startswith("Leg weakness"))
    assert weak.weak and "Mehta2018" not in weak.cite + weak.advice
    from fluorohip.chapters.procedure import views as V

    line = next(x for x in V.aftercare_markdown().splitlines() if "Leg weakness" in x)
    assert "local practice, weakly sourced" in line and "Mehta" not in line


# --------------------------------------------------------------------------- documentation record

GOOD = dict(
    side="right",
    approach=P.APPROACHES[0].name,
    pattern="intra-articular",
    images_saved=2,
    fluoro_time_s=18,
    dap_ugy_m2=15,
    contrast_agent="iohexol 300",
    contrast_ml=2,
    anaesthetic="lidocaine 1%",
    anaesthetic_ml=4,
    steroid="triamcinolone acetonide",
    steroid_mg=40,
    steroid_ml=1,
    pain_before=7,
    pain_after=2,
)


def test_good_record():
    r = P.build_record(**GOOD)
    assert r.total_volume_ml == 7
    assert "Fluoroscopy time 18 s" in r.summary()
    assert r.notes == ()


@pytest.mark.parametrize(
    "field,value,msg",
    [
        ("fluoro_time_s", "abc", "fluoro_time_s must be a number"),
        ("fluoro_time_s", -4, "fluoro_time_s must be between"),
        ("dap_ugy_m2", float("nan"), "dap_ugy_m2"),
        ("pain_after", 11, "pain_after must be between 0 and 10"),
        ("images_saved", 1.5, "whole number"),
        ("side", "middle", "side must be one of"),
        ("contrast_ml", "1e309", "contrast_ml"),
    ],
)
def test_bad_record_fields_are_named(field, value, msg):
    with pytest.raises(P.RecordError) as e:
        P.build_record(**(GOOD | {field: value}))
    assert any(msg in p for p in e.value.problems)


def test_record_collects_every_problem():
    with pytest.raises(P.RecordError) as e:
        P.build_record(**(GOOD | {"side": "x", "pain_before": "y"}))
    assert len(e.value.problems) == 2


def test_record_refuses_drug_without_intra_articular_pattern():
    with pytest.raises(P.RecordError, match="drug belongs in the joint"):
        P.build_record(**(GOOD | {"pattern": "bursal"}))
    ok = P.build_record(
        **(
            GOOD
            | {
                "pattern": "bursal",
                "anaesthetic_ml": 0,
                "anaesthetic": "none",
                "steroid": "none",
                "steroid_mg": 0,
                "steroid_ml": 0,
            }
        )
    )
    assert ok.pattern == "bursal"


def test_record_steroid_consistency_and_notes():
    with pytest.raises(P.RecordError, match="record its dose"):
        P.build_record(**(GOOD | {"steroid_mg": 0}))
    r = P.build_record(**(GOOD | {"fluoro_time_s": 120, "anaesthetic_ml": 12}))
    assert any("three times" in n for n in r.notes)
    assert any("mL" in n for n in r.notes)  # volume past the low-pressure range


def test_no_fact_of_this_chapter_retypes_a_borrowed_one():
    from fluorohip import pharmacology

    assert P.fact("test_contrast_ml") is pharmacology.FACTS["test_contrast_ml"]
    own = {(f.value, f.unit, f.keys) for f in P.FACTS.values()}
    borrowed = {(f.value, f.unit, f.keys) for f in P.BORROWED.values()}
    assert not own & borrowed, own & borrowed


def test_prose_quotes_the_facts():
    """Numbers in the steps, approaches, patterns and aftercare come from the facts."""
    rotation = P.fact("internal_rotation").text(dash="-")
    assert f"about {rotation}" in P.APPROACHES[0].setup and rotation in P.STEPS[1].text
    assert f"({P.fact('aseptic_agreement').text()} agreement)" in P.STEPS[4].why
    document = next(s for s in P.STEPS if s.id == "document")
    assert P.fact("fluoro_time_mean").text() in document.why
    assert P.fact("bursa_communication").text() in P.action_for("bursal").meaning
    sepsis = P.fact("septic_arthritis_weeks")
    assert f"median {sepsis.value:g} weeks, up to {sepsis.high:g}" in P.RED_FLAGS[0].advice
