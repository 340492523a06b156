"""Cited numbers that more than one chapter teaches, each typed once.

A chapter whose ``FACTS`` needs one of these takes the same :class:`~fluorohip.core.facts.Fact`
object from :data:`SHARED` (``FACTS["capacity_ml"] = SHARED["joint_capacity"]``) instead of
typing the number again: a number typed in two chapters drifts. ``tests/test_facts_registry.py``
fails when two chapter modules hold equal facts that are not the same object.
"""

from __future__ import annotations

from types import MappingProxyType

from .facts import Fact

__all__ = ["SHARED"]

SHARED = MappingProxyType(
    {
        "joint_capacity": Fact(
            17,
            "mL",
            "HipCapacity1981",
            "normal adults at arthrography: small women to large men",
            low=14,
            high=20,
        ),
        "pressure_rises_above_volume": Fact(
            10, "mL", "CapsulePressure2009", "52 cadaveric hips, pressure-volume curve"
        ),
        "screening_time_mean_s": Fact(
            26,
            "s",
            "TrainingLevelDose2017",
            "1,362 fluoroscopic hip injections; residents and consultants alike",
            sd=17,
        ),
        "dap_mean_ugym2": Fact(
            20.4,
            "µGy·m²",
            "TrainingLevelDose2017",
            "same 1,362 injections; mean dose-area product (0.204 Gy·cm²)",
            sd=22.3,
        ),
        "conceptus_negligible_mgy": Fact(
            50,
            "mGy",
            "CMAJPregnancy2015",
            note="conceptus doses below this carry negligible risk",
        ),
        "steroid_repeat_interval_months": Fact(
            3,
            "months",
            "DepoMedroneSPC",
            note="label advice, not outcome-derived: no more often than 3-monthly",
        ),
        "pji_or_within_3_months": Fact(
            1.68,
            "odds ratio",
            "PJIMeta2022",
            "meta-analysis, 11 studies, 278,782 hip replacements: injection within 3 months before",
            low=1.48,
            high=1.90,
        ),
        "test_contrast_ml": Fact(
            2,
            "mL",
            "UWMSKHipArthrography",
            "small test dose of iodinated contrast before the drug (local practice varies)",
            low=1,
            high=3,
        ),
        "septic_median_weeks": Fact(
            3.5,
            "weeks",
            "Mueller2026",
            "15,021 large-joint steroid injections: median time to diagnosis (range 1-16)",
            low=1,
            high=16,
        ),
        "block_sensitivity_meta": Fact(
            0.97,
            "proportion",
            "AnaestheticMeta2014",
            "hip OA, 9 case series at high risk of bias",
            low=0.87,
            high=0.99,
        ),
        "block_specificity_meta": Fact(
            0.91, "proportion", "AnaestheticMeta2014", "hip OA, same 9 series", low=0.83, high=0.95
        ),
        "immediate_relief_percent": Fact(
            68.2,
            "%",
            "FluoroResponse2011",
            "217 OA patients, immediate relief after fluoroscopic injection",
        ),
    }
)
