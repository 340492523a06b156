"""Scripted runs of the exercise: the demonstration debrief, tests and benchmarks drive the same
:class:`~fluorohip.chapters.procedure.exercise.ProcedureExercise` a resident does.
"""

from __future__ import annotations

from .exercise import ProcedureExercise

__all__ = ["entry_for_target", "scripted_run"]


def scripted_run(
    ex: ProcedureExercise,
    *,
    approach: str = "vertical anterior",
    miss_mm: float = 0.0,
    volume_ml: float = 2.0,
    stop_at_mm: float | None = None,
    reading: str | None = None,
    drug_anyway: bool = False,
) -> ProcedureExercise:
    """A model run for demonstrations and tests: AP image, entry over the target (shifted by
    ``miss_mm`` medially), advance to bone, test dose, name it, inject."""
    t = ex.phantom.target_point()
    ex.set_approach(approach)
    if approach == "anterior oblique":
        ex.set_carm(tilt_deg=0.0)
    ex.fluoro()
    d = ex._direction()
    # the line through the target along the approach crosses y = 0 here
    s = -t[1] / d[1]
    x0, z0 = t[0] + s * d[0] + miss_mm, t[2] + s * d[2]
    ex.set_entry(x0, z0)
    if approach == "anterior oblique":
        ex.coaxial()
    for _ in range(40):
        if stop_at_mm is not None and ex.needle.depth_mm + 5.0 > stop_at_mm:
            break
        msg = ex.advance(5.0)
        if "Bone contact" in msg or "fully inserted" in msg:
            break
    ex.set_carm(rotation_deg=0.0, tilt_deg=0.0, isocentre_mm=(0.0, 0.0, 0.0))
    ex.fluoro()
    if ex.bone_contact:
        ex.withdraw(1.0)
    ex.test_contrast(volume_ml)
    ex.name_pattern(reading or ex.tests[-1].true_patterns[0])
    if ex.tests[-1].true_patterns[0] == "intra-articular" or drug_anyway:
        ex.inject_drug()
    return ex


def entry_for_target(ex: ProcedureExercise) -> tuple[float, float]:
    """(x, z) of the aiming line that passes through the target for the current approach."""
    t = ex.phantom.target_point()
    d = ex._direction()
    s = -t[1] / d[1]
    return float(t[0] + s * d[0]), float(t[2] + s * d[2])
