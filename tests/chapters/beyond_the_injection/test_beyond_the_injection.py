"""Chapter 07 (beyond the injection): the pure model, the simulator-filled report, figures' alt text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluorohip.chapters.beyond_the_injection import figures, model, views
from fluorohip.core.bibliography import load_bibliography

BIB = load_bibliography()


# -- arthrography ---------------------------------------------------------------------------------
def test_dilution_of_the_textbook_recipe():
    d = model.gadolinium_dilution(0.1, 20)
    assert d.concentration_mmol_per_l == pytest.approx(2.5)
    assert d.dilution_factor == pytest.approx(200)
    assert d.gadolinium_mmol == pytest.approx(0.05)
    assert d.in_target and "2.50 mmol/L" in d.sentence() and "not a protocol" in d.sentence()


def test_undiluted_or_tenfold_errors_fall_outside_the_window():
    assert not model.gadolinium_dilution(1.0, 20).in_target  # 25 mmol/L
    assert not model.gadolinium_dilution(0.01, 20).in_target  # 0.25 mmol/L


@given(g=st.floats(0.02, 4.9), t=st.floats(5.0, 60.0))
def test_dilution_is_linear_in_agent_and_inverse_in_volume(g, t):
    d = model.gadolinium_dilution(g, t)
    assert d.concentration_mmol_per_l == pytest.approx(500 * g / t)
    assert model.gadolinium_dilution(g / 2, t).concentration_mmol_per_l == pytest.approx(
        d.concentration_mmol_per_l / 2
    )


@pytest.mark.parametrize(
    "gbca, total, field",
    [
        ("x", 20, "gbca_ml"),
        (0.1, -3, "total_ml"),
        (0, 20, "gbca_ml"),
        (float("nan"), 20, "gbca_ml"),
        (5, 4, "gbca_ml"),
        (True, 20, "gbca_ml"),
    ],
)
def test_dilution_refuses_nonsense_and_names_the_argument(gbca, total, field):
    with pytest.raises(ValueError, match=field):
        model.gadolinium_dilution(gbca, total)


def test_accuracy_table_matches_the_meta_analyses():
    rows = {(k, m): (se, sp) for k, m, se, sp in model.LABRAL_ACCURACY}
    assert rows[("Smith2011MRA", "MR arthrography")] == (0.87, 0.64)
    assert rows[("Zhang2022", "MR arthrography")] == (0.89, 0.69)
    # the arthrogram is more sensitive and less specific than MRI in both sources
    for key in ("Smith2011MRA", "Zhang2022"):
        assert rows[(key, "MR arthrography")][0] > rows[(key, "MRI")][0]
        assert rows[(key, "MR arthrography")][1] < rows[(key, "MRI")][1]


# -- aspiration -----------------------------------------------------------------------------------
def test_2018_score_bands():
    assert model.icm2018_preop_score().category == "not infected"
    assert model.icm2018_preop_score(serum_esr=True).score == 1
    r = model.icm2018_preop_score(serum_crp_or_ddimer=True, serum_esr=True, synovial_pmn=True)
    assert (r.score, r.category) == (5, "possibly infected")
    r = model.icm2018_preop_score(
        serum_crp_or_ddimer=True, synovial_wbc_or_le=True, synovial_pmn=True
    )
    assert (r.score, r.category) == (7, "infected")


def test_weights_are_those_of_the_2018_definition():
    assert {c.key: c.weight for c in model.ICM2018_PREOP} == {
        "serum_crp_or_ddimer": 2,
        "serum_esr": 1,
        "synovial_wbc_or_le": 3,
        "alpha_defensin": 3,
        "synovial_pmn": 2,
        "synovial_crp": 1,
    }


def test_major_criterion_overrides_the_score():
    r = model.icm2018_preop_score(sinus_tract=True)
    assert r.major and r.category.startswith("infected")


def test_score_refuses_unknown_criteria_and_non_booleans():
    with pytest.raises(ValueError, match="unknown criterion procalcitonin"):
        model.icm2018_preop_score(procalcitonin=True)
    with pytest.raises(ValueError, match="serum_esr must be True or False"):
        model.icm2018_preop_score(serum_esr="yes")


def test_culture_likelihood_ratios_move_probability_both_ways():
    assert model.post_test_probability(0.30, 9.8) == pytest.approx(0.808, abs=0.001)
    assert model.post_test_probability(0.30, 0.33) == pytest.approx(0.124, abs=0.001)
    assert model.post_test_probability(0.20, 9.8) == pytest.approx(
        0.71, abs=0.005
    )  # the bank's numeric item
    with pytest.raises(ValueError, match="pre_test"):
        model.post_test_probability(1.5, 9.8)


@given(p=st.floats(0.01, 0.99), lr=st.floats(0.05, 20))
def test_post_test_probability_is_monotonic_in_lr(p, lr):
    assert model.post_test_probability(p, lr * 1.1) >= model.post_test_probability(p, lr)
    if lr > 1.001:
        assert model.post_test_probability(p, lr) > p
    elif lr < 0.999:
        assert model.post_test_probability(p, lr) < p


def test_pji_checker_widget_scores_what_is_ticked():
    w = views.PjiScoreChecker(serum_crp_or_ddimer=True, synovial_wbc_or_le=True, synovial_pmn=True)
    assert "score 7" in repr(w) and "infected" in repr(w)
    w.boxes["synovial_pmn"].value = False
    assert "score 5" in repr(w) and "possibly infected" in w.result.value


# -- ultrasound -----------------------------------------------------------------------------------
def test_recess_reading_uses_the_7_mm_cut_off():
    assert "at or above" in model.recess_reading(7)
    assert "below" in model.recess_reading(6.5)
    assert "+3 mm" in model.recess_reading(8, 5)
    with pytest.raises(ValueError, match="recess_mm"):
        model.recess_reading("seven")


# -- the room -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "age, mg", [(40, 0.5), (12.5, 0.5), (12, 0.3), (6, 0.3), (5.9, 0.15), (1, 0.15)]
)
def test_adrenaline_bands_follow_resuscitation_council_uk(age, mg):
    assert model.adrenaline_im_mg(age) == mg


@pytest.mark.parametrize("age", [-1, 0, 200, "adult", float("inf")])
def test_adrenaline_refuses_nonsense(age):
    with pytest.raises(ValueError, match="age_years"):
        model.adrenaline_im_mg(age)


def test_every_emergency_cites_resolvable_sources_and_starts_by_stopping_or_confirming():
    for e in model.ROOM_EMERGENCIES:
        assert e.keys and all(k in BIB for k in e.keys), e.name
        assert e.first_steps[0].split()[0].strip(";,") in {"Stop", "Confirm"}, e.name
    assert model.LIPID_OVER_70_KG["bolus_ml"] == 100


# -- the report -----------------------------------------------------------------------------------
DEBRIEF = {
    "confirmed": True,
    "points": 90,
    "shots": 3,
    "fluoro_time_s": 26.0,
    "kap_gy_cm2": 0.2,
    "dap_ugy_m2": 20.4,
    "extra_articular": ["capsular"],
    "feedback": "x",
}


def test_report_takes_dose_and_confirmation_from_the_debrief():
    r = model.ProcedureReport.from_simulator(DEBRIEF, indication="pain")
    assert (r.fluoroscopy_time_s, r.dap_ugy_m2) == (26.0, 20.4)
    assert "intra-articular" in r.confirmation and "capsular" in r.confirmation
    missing = r.missing()
    assert (
        "Indication and question asked" not in missing
        and "Consent" in missing
        and "Drugs and doses" in missing
    )
    assert "**missing**" in r.markdown()


def test_unconfirmed_session_says_so():
    r = model.ProcedureReport.from_simulator({**DEBRIEF, "confirmed": False, "extra_articular": []})
    assert "NOT confirmed" in r.confirmation


def test_report_refuses_a_bad_debrief_or_field():
    with pytest.raises(ValueError, match="dap_ugy_m2"):
        model.ProcedureReport.from_simulator(
            {k: v for k, v in DEBRIEF.items() if k != "dap_ugy_m2"}
        )
    with pytest.raises(ValueError, match="unknown report field"):
        model.ProcedureReport.from_simulator(DEBRIEF, surgeon_mood="fine")
    with pytest.raises(ValueError, match="fluoroscopy_time_s"):
        model.ProcedureReport(fluoroscopy_time_s=-1)


def test_report_from_a_real_simulator_session_is_complete():
    view = views.report_from_simulator()
    assert view.report.missing() == []
    assert view.report.fluoroscopy_time_s > 0 and view.report.dap_ugy_m2 > 0
    assert view.debrief["confirmed"] is True
    assert repr(view) == repr(views.report_from_simulator())  # deterministic for nbval


# -- cost -----------------------------------------------------------------------------------------
def test_cost_is_rvu_times_conversion_factor():
    assert model.medicare_amount_usd("20610") == pytest.approx(2.06 * 33.40, abs=0.01)
    with pytest.raises(ValueError, match="cpt"):
        model.medicare_amount_usd("99999")


# -- figures --------------------------------------------------------------------------------------
def test_depth_frames_show_the_same_ap_projection_at_two_depths():
    frames = figures.depth_frames(pixels=96)
    labels = [(d, v, t.label, t.bone_contact) for d, v, _, t in frames]
    assert labels[0][2] != "intra-articular" and labels[2][2] == "intra-articular" and labels[2][3]
    assert "hides depth" not in figures.depth_alt(96) and "AP" in figures.depth_alt(96)


def test_every_figure_has_alt_text_that_names_its_content():
    assert "anterior recess" in figures.ultrasound_alt(8) and "8 mm" in figures.ultrasound_alt(8)
    assert "lateral" in figures.approaches_alt() and "caudally" in figures.approaches_alt()
    assert "7" in figures.pji_score_alt(
        serum_crp_or_ddimer=True, synovial_wbc_or_le=True, synovial_pmn=True
    )


def test_weak_sources_are_flagged_in_the_reference_list():
    from fluorohip.core.bibliography import format_reference

    assert "_(weak source" in format_reference("Saupe2009", BIB["Saupe2009"])
    assert "weak" not in format_reference("Smith2011MRA", BIB["Smith2011MRA"])
