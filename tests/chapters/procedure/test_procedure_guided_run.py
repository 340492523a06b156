"""Chapter 05's headless guided run in the virtual fluoroscope (chapters/procedure/guided_run.py)."""

from __future__ import annotations

import pytest

from fluorohip.chapters.procedure import model as P

# --------------------------------------------------------------------------- guided run, headless


@pytest.mark.parametrize("pid", list(P.PATIENTS))
def test_scripted_hit_reaches_target_for_every_patient(pid):
    run = P.GuidedRun(pid, pixels=64)
    s = P.scripted_hit(run)
    assert s["success"] and s["extra_articular"] == []
    assert s["readings_correct"] == 1
    assert "ready to inject" in s["feedback"]
    assert s["images"] == 2 and s["fluoro_time_s"] > 0 and s["dap_ugy_m2"] > 0


def _advance_until(run, label, step=2.0, limit=60):
    for _ in range(limit):
        run.advance(step)
        if run.session.scene.tip().label == label:
            return True
    return False


def test_miss_medial_into_vessel_gets_vascular_feedback_and_blocks_drug():
    run = P.GuidedRun("average", pixels=64)
    _, tz = run.target_xz()
    run.set_entry(12, tz)
    assert _advance_until(run, "intravascular")
    assert "in a vessel" in run.tip_feedback() and "medial of the target" in run.tip_feedback()
    run.inject_contrast(1.0)
    ok, msg = run.read_pattern("intra-articular")
    assert not ok and "intravascular" in msg and "Do not inject" in msg
    assert run.inject_drug().startswith("Not yet")
    s = run.score()
    assert not s["success"] and s["points"] == 0 and s["extra_articular"] == ["intravascular"]


def test_miss_shallow_gives_depth_feedback_and_correct_reading_credit():
    run = P.GuidedRun("average", pixels=64)
    tx, tz = run.target_xz()
    run.set_entry(tx, tz)
    run.advance(20)
    fb = run.tip_feedback()
    assert "shallow" in fb and "short of the target depth" in fb
    run.inject_contrast(1.0)
    ok, msg = run.read_pattern("capsular")
    assert ok and msg.startswith("Correct")


def test_bursal_miss_then_correction_scores_less_than_clean_run():
    run = P.GuidedRun("average", pixels=64)
    run.set_entry(4, -5)
    assert _advance_until(run, "bursal", step=1.0)
    run.inject_contrast(1.0)
    assert run.read_pattern("bursal")[0]
    tx, tz = run.target_xz()
    run.set_entry(tx, tz)
    for _ in range(30):
        if "bone" in run.advance(5):
            break
    run.image()
    run.inject_contrast(2.0)
    run.read_pattern("intra-articular")
    assert run.inject_drug().startswith("Drug injected")
    s = run.score()
    clean = P.scripted_hit(P.GuidedRun("average", pixels=64))
    assert s["success"] and s["points"] < clean["points"]


def test_short_needle_in_high_bmi_patient_is_flagged():
    run = P.GuidedRun("high_bmi", needle_length_mm=88.9, pixels=64)
    tx, tz = run.target_xz()
    run.set_entry(tx, tz)
    msgs = [run.advance(10) for _ in range(12)]
    assert any("too short" in m for m in msgs)
    assert run.session.scene.tip().label != "intra-articular"


def test_actions_refused_in_wrong_order_and_bad_input():
    run = P.GuidedRun("thin", pixels=64)
    assert "entry point first" in run.advance(5)
    assert run.inject_contrast() is None
    assert run.read_pattern("bursal") == (False, "Inject contrast first, then read the image.")
    with pytest.raises(ValueError, match="x_mm"):
        run.set_entry("left", 0)
    run.set_entry(*run.target_xz())
    assert not run.read_pattern("bursal")[0]


def test_moving_after_contrast_blocks_drug():
    run = P.GuidedRun("average", pixels=64)
    P.scripted_hit(run)
    run.withdraw(3)
    assert run.inject_drug().startswith("Not yet")


def test_each_image_costs_dose():
    run = P.GuidedRun("average", pixels=64)
    run.set_entry(*run.target_xz())
    run.image()
    d1 = run.session.ledger.kap_gy_cm2
    run.image()
    assert run.session.ledger.kap_gy_cm2 > d1 > 0
    assert run.session.ledger.presses == 2


def test_direction_words():
    assert P.direction_words(0, 0) == "over the target"
    assert P.direction_words(10, -5) == "10 mm medial and 5 mm caudal of the target"
    assert P.direction_words(-4, 7) == "4 mm lateral and 7 mm cranial of the target"
