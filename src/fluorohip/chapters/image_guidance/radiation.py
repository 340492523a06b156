"""Radiation for the fluoroscopy-guided hip injection: cited figures and a teaching dose model.

Pure Python, no widgets (the figures are in :mod:`.figures`, the widgets in :mod:`.views`).

Units used throughout
---------------------
* **Air kerma** (mGy): energy released per kilogram of air at a reference point; the
  machine's proxy for skin dose.
* **Kerma–area product, KAP** (also called dose–area product, DAP): air kerma × beam
  area. Unchanged along the beam (kerma falls with distance², area grows with distance²),
  so it tracks the total radiation delivered. 1 µGy·m² = 10 mGy·cm².
* **Effective dose** (mSv): a population-risk quantity weighted by organ sensitivity. It is
  not measured for this procedure in our sources, so the course quotes none for it.

The dose model is relative and deliberately simple; every factor is a multiplier on a
reference technique:

* screening time — linear; last-image hold roughly halves screening time [FluoroDoseReview];
* pulse rate — linear in pulses per second *if* the dose per pulse is unchanged (real
  machines often raise the dose per pulse at low rates, so real savings are smaller);
* collimation — KAP proportional to field area (circle: diameter²); a 20 → 16 cm circle
  is "about 40%" less radiation [FluoroDoseReview] (area ratio 0.64, i.e. 36% less);
* electronic magnification — entrance air kerma × (magnification factor)² [FluoroDoseReview];
* geometry — with automatic exposure control holding the detector dose constant, entrance
  air kerma scales as (source-to-detector / source-to-skin distance)²: inverse square twice.
  Keeping the detector close to the patient and the tube far from the patient lowers it.

Patient size also matters (a thicker patient makes automatic exposure control raise the
output) but we have no cited factor for it, so the model leaves it out and the notebook
treats it in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fluorohip.core.facts import Fact
from fluorohip.core.facts import citation_keys as facts_citation_keys
from fluorohip.core.inputs import InputError, parse_number

from ...core.shared_facts import SHARED

__all__ = [
    "EFFECTIVE_DOSE_COMPARATORS",
    "FACTS",
    "ICRP_OCCUPATIONAL_LIMITS",
    "PREGNANCY_THRESHOLDS",
    "REFERENCE_SETTINGS",
    "DoseEstimate",
    "DoseSettings",
    "citation_keys",
    "collimation_factor",
    "estimate_dose",
    "fact_value",
    "geometry_factor",
    "hip_radiograph_equivalents",
    "inverse_square_factor",
    "last_image_hold_factor",
    "magnification_factor",
    "mgycm2_to_ugym2",
    "pulse_rate_factor",
    "relative_staff_exposure",
    "ugym2_to_mgycm2",
]


#: Procedure-level figures (hip injection unless stated).
FACTS: dict[str, Fact] = {
    "screening_time_mean_s": SHARED["screening_time_mean_s"],
    "dap_mean_ugym2": SHARED["dap_mean_ugym2"],
    "bundle_screening_before_min": Fact(
        0.7, "min", ("Chang2018",), note="before a dose-reduction bundle, 1,094 injections"
    ),
    "bundle_screening_after_min": Fact(0.2, "min", ("Chang2018",), note="after the bundle"),
    "bundle_dap_before_ugym2": Fact(56.9, "µGy·m²", ("Chang2018",), note="before the bundle"),
    "bundle_dap_after_ugym2": Fact(19.1, "µGy·m²", ("Chang2018",), note="after the bundle"),
    "phantom_dap_before_ugym2": Fact(191.7, "µGy·m²", ("Chang2018",), note="hip phantom, before"),
    "phantom_dap_after_ugym2": Fact(18.7, "µGy·m²", ("Chang2018",), note="hip phantom, after"),
    "hip_radiograph_dap_mgycm2": Fact(
        None,
        "mGy·cm²",
        ("Mayne2024",),
        low=127,
        high=156,
        note="mean DAP of a single hip radiograph, one centre",
    ),
    "hip_radiograph_effective_msv": Fact(
        None,
        "mSv",
        ("Mayne2024",),
        low=0.03,
        high=0.83,
        note="effective dose of a hip radiograph, one centre",
    ),
    "last_image_hold_time_factor": Fact(
        0.5,
        "× screening time",
        ("FluoroDoseReview",),
        note="last-image hold can about halve screening time",
    ),
    "collimation_20_to_16cm_reduction": Fact(
        0.40,
        "fraction",
        ("FluoroDoseReview",),
        note="circular field 20 → 16 cm: about 40% less radiation",
    ),
    "magnification_exponent": Fact(
        2,
        "power",
        ("FluoroDoseReview",),
        note="exposure rises by roughly the square of the magnification factor",
    ),
}

#: Everyday effective-dose comparators (mSv); not a dose for the hip injection.
EFFECTIVE_DOSE_COMPARATORS: dict[str, Fact] = {
    "chest radiograph": Fact(0.02, "mSv", ("Mettler2008",)),
    "lumbar spine radiograph": Fact(1.5, "mSv", ("Mettler2008",)),
    "natural background, one year": Fact(3.0, "mSv", ("Mettler2008",)),
    "US per-capita total, one year (2006)": Fact(
        6.2, "mSv", ("NCRP2009",), note="about half from medical imaging"
    ),
    "abdominal CT": Fact(8.0, "mSv", ("Mettler2008",)),
}

#: ICRP occupational dose limits.
ICRP_OCCUPATIONAL_LIMITS: dict[str, Fact] = {
    "effective dose": Fact(20, "mSv/year", ("EyeLensDose",)),
    "eye lens": Fact(
        20, "mSv/year", ("EyeLensDose",), note="averaged over 5 years, no single year above 50 mSv"
    ),
    "extremities (hands, feet) and skin": Fact(500, "mSv/year", ("EyeLensDose",)),
}

#: Conceptus dose thresholds (mGy).
PREGNANCY_THRESHOLDS: dict[str, Fact] = {
    "negligible risk below": SHARED["conceptus_negligible_mgy"],
    "pregnancy loss the main concern (first 2 weeks)": Fact(
        None, "mGy", ("CMAJPregnancy2015",), low=100, high=200
    ),
    "malformation threshold (later)": Fact(None, "mGy", ("CMAJPregnancy2015",), low=350, high=500),
    "chest radiograph, conceptus dose below": Fact(0.01, "mGy", ("CMAJPregnancy2015",)),
}


def fact_value(name: str) -> float:
    """The single figure of :data:`FACTS` entry ``name``, for arithmetic (a fact the sources
    give only as a range has none, and raises: use its ``range``)."""
    value = FACTS[name].value
    if value is None:
        raise ValueError(f"radiation fact {name!r} is a range with no single value; use its range")
    return float(value)


# ---------------------------------------------------------------------------
# Units and comparisons
# ---------------------------------------------------------------------------


def ugym2_to_mgycm2(value_ugym2: float) -> float:
    """µGy·m² → mGy·cm² (× 10: 1 m² = 10⁴ cm², 1 µGy = 10⁻³ mGy)."""
    return parse_number(value_ugym2, "value_ugym2", 0, 1e9) * 10.0


def mgycm2_to_ugym2(value_mgycm2: float) -> float:
    """mGy·cm² → µGy·m² (÷ 10)."""
    return parse_number(value_mgycm2, "value_mgycm2", 0, 1e10) / 10.0


def hip_radiograph_equivalents(dap_ugym2: float) -> tuple[float, float]:
    """How many hip radiographs' worth of DAP, as a (low, high) pair.

    Uses the one-centre range of hip-radiograph mean DAP, 127–156 mGy·cm² [Mayne2024]:
    low = DAP / 156, high = DAP / 127. DAP only: not an effective-dose comparison.
    """
    dap = ugym2_to_mgycm2(dap_ugym2)
    low, high = FACTS["hip_radiograph_dap_mgycm2"].range
    return dap / high, dap / low


# ---------------------------------------------------------------------------
# Dose levers (each a multiplier relative to a reference)
# ---------------------------------------------------------------------------


def inverse_square_factor(distance_m: float, reference_distance_m: float = 1.0) -> float:
    """(reference / distance)²: intensity from a point source relative to the reference distance."""
    d = parse_number(distance_m, "distance_m", 0.05, 100, "m")
    r = parse_number(reference_distance_m, "reference_distance_m", 0.05, 100, "m")
    return (r / d) ** 2


def relative_staff_exposure(distance_m: float, reference_distance_m: float = 1.0) -> float:
    """Scatter exposure at ``distance_m`` from the patient, relative to ``reference_distance_m``.

    The patient is the scatter source; treating it as a point source gives the inverse-square
    law (double the distance → a quarter of the exposure). Close to the patient the source is
    extended, so the law is only approximate there. No shielding is modelled.
    """
    return inverse_square_factor(distance_m, reference_distance_m)


def pulse_rate_factor(pulse_rate_pps: float, reference_pps: float) -> float:
    """pulse_rate / reference rate, assuming the same dose per pulse (an upper bound on the saving)."""
    p = parse_number(pulse_rate_pps, "pulse_rate_pps", 0.5, 30, "pulses/s")
    r = parse_number(reference_pps, "reference_pps", 0.5, 30, "pulses/s")
    return p / r


def collimation_factor(field_diameter_cm: float, reference_diameter_cm: float) -> float:
    """KAP relative to the reference field: (diameter / reference diameter)² for a circular field."""
    d = parse_number(field_diameter_cm, "field_diameter_cm", 2, 48, "cm")
    r = parse_number(reference_diameter_cm, "reference_diameter_cm", 2, 48, "cm")
    return (d / r) ** 2


def magnification_factor(magnification: float) -> float:
    """Entrance air kerma relative to no electronic magnification: magnification² [FluoroDoseReview]."""
    m = parse_number(magnification, "magnification", 1, 4, "×")
    return m ** fact_value("magnification_exponent")


def last_image_hold_factor(used: bool) -> float:
    """Screening-time multiplier: 0.5 with last-image hold, 1 without [FluoroDoseReview]."""
    if not isinstance(used, bool):
        raise InputError(f"last_image_hold must be True or False; got {used!r}")
    return fact_value("last_image_hold_time_factor") if used else 1.0


def geometry_factor(source_to_skin_cm: float, source_to_detector_cm: float) -> float:
    """Entrance air kerma ∝ (SID / SSD)² under automatic exposure control (derived from inverse square).

    The detector needs a fixed dose; it sits SID from the focal spot, so the tube output must
    scale as SID²; the skin, SSD from the focal spot, then receives output / SSD².
    """
    ssd = parse_number(source_to_skin_cm, "source_to_skin_cm", 20, 150, "cm")
    sid = parse_number(source_to_detector_cm, "source_to_detector_cm", 40, 150, "cm")
    if sid <= ssd:
        raise InputError(
            f"source_to_detector_cm ({sid:g}) must be larger than source_to_skin_cm ({ssd:g}):"
            " the detector is on the far side of the patient"
        )
    return (sid / ssd) ** 2


@dataclass(frozen=True)
class DoseSettings:
    """One way of running the fluoroscope for a hip injection."""

    screening_time_s: float = fact_value("screening_time_mean_s")
    pulse_rate_pps: float = 7.5
    field_diameter_cm: float = 20.0
    magnification: float = 1.0
    last_image_hold: bool = False
    source_to_skin_cm: float = 60.0
    source_to_detector_cm: float = 100.0

    def __post_init__(self) -> None:
        parse_number(self.screening_time_s, "screening_time_s", 0, 600, "s")
        pulse_rate_factor(self.pulse_rate_pps, 1)
        collimation_factor(self.field_diameter_cm, 20)
        magnification_factor(self.magnification)
        last_image_hold_factor(self.last_image_hold)
        geometry_factor(self.source_to_skin_cm, self.source_to_detector_cm)


#: The reference technique the learner compares against. Its screening time is the
#: published mean [TrainingLevelDose2017]; the other settings are illustrative, not from
#: that study (it did not report them).
REFERENCE_SETTINGS = DoseSettings()


@dataclass(frozen=True)
class DoseEstimate:
    """Relative dose of ``settings`` against a reference, factor by factor."""

    time_factor: float
    pulse_factor: float
    magnification_factor: float
    geometry_factor: float
    area_factor: float
    factors: dict = field(default_factory=dict)

    @property
    def relative_air_kerma(self) -> float:
        """Entrance air kerma (skin) relative to the reference."""
        return (
            self.time_factor * self.pulse_factor * self.magnification_factor * self.geometry_factor
        )

    @property
    def relative_kap(self) -> float:
        """Kerma–area product relative to the reference (air kerma × field area)."""
        return self.relative_air_kerma * self.area_factor

    def illustrative_dap_ugym2(self, reference_dap_ugym2: float | None = None) -> float:
        """KAP in µGy·m² *if* the reference technique gave the published mean DAP (an assumption)."""
        ref = FACTS["dap_mean_ugym2"].value if reference_dap_ugym2 is None else reference_dap_ugym2
        return self.relative_kap * parse_number(ref, "reference_dap_ugym2", 0, 1e6, "µGy·m²")


def estimate_dose(
    settings: DoseSettings, reference: DoseSettings = REFERENCE_SETTINGS
) -> DoseEstimate:
    """Multiply the levers: time (with last-image hold), pulse rate, magnification², geometry, field area.

    Each factor is ``settings`` relative to ``reference``; the reference itself gives 1.0.
    """

    def time(s: DoseSettings) -> float:
        return s.screening_time_s * last_image_hold_factor(s.last_image_hold)

    ref_time = time(reference)
    t = time(settings) / ref_time if ref_time > 0 else (0.0 if time(settings) == 0 else math.inf)
    p = pulse_rate_factor(settings.pulse_rate_pps, reference.pulse_rate_pps)
    m = magnification_factor(settings.magnification) / magnification_factor(reference.magnification)
    g = geometry_factor(
        settings.source_to_skin_cm, settings.source_to_detector_cm
    ) / geometry_factor(reference.source_to_skin_cm, reference.source_to_detector_cm)
    a = collimation_factor(settings.field_diameter_cm, reference.field_diameter_cm)
    return DoseEstimate(
        time_factor=t,
        pulse_factor=p,
        magnification_factor=m,
        geometry_factor=g,
        area_factor=a,
        factors={
            "screening time (incl. last-image hold)": t,
            "pulse rate": p,
            "magnification": m,
            "geometry (SID/SSD)²": g,
            "field area": a,
        },
    )


def citation_keys() -> set[str]:
    """Every citation key used by this module's constants (tested to resolve)."""
    tables = (FACTS, EFFECTIVE_DOSE_COMPARATORS, ICRP_OCCUPATIONAL_LIMITS, PREGNANCY_THRESHOLDS)
    return set().union(*(facts_citation_keys(t) for t in tables))
