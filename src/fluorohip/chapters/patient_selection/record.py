"""A synthetic patient's pre-procedure findings, checked as they are typed or read from a file.

Why checking here and not in the widget: the checklist form, the triage file and the tests all
build a :class:`PatientRecord`, and each must refuse nonsense (an INR of "abc", 200 years) with
a message naming the field and its range. Numbers go through the course's one parser,
:func:`fluorohip.core.inputs.parse_number`. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from fluorohip.core.inputs import InputError, parse_number

__all__ = [
    "ANTICOAGULANTS",
    "BLEEDING_DISORDERS",
    "CHOICES",
    "DIABETES",
    "OPTIONAL_NUMBERS",
    "PAIN_PATTERNS",
    "PURPOSES",
    "RANGES",
    "PatientRecord",
    "check_number",
    "check_record",
    "record_from_dict",
]

PURPOSES = ("diagnostic", "therapeutic", "both")
PAIN_PATTERNS = ("intra-articular", "uncertain", "extra-articular")
ANTICOAGULANTS = ("none", "antiplatelet", "warfarin", "doac")
BLEEDING_DISORDERS = ("none", "mild", "high-risk")
DIABETES = ("none", "controlled", "poorly-controlled")

#: Plausible ranges for numeric inputs; outside them the record is refused with a message.
RANGES: dict[str, tuple[float, float]] = {
    "age_years": (18, 110),
    "inr": (0.5, 15.0),
    "platelets_e9_per_l": (0, 2000),
    "tha_planned_in_months": (0, 120),
    "months_since_last_steroid": (0, 600),
    "steroid_injections_past_year": (0, 24),
}


@dataclass(frozen=True)
class PatientRecord:
    """A synthetic patient's pre-procedure findings. Defaults describe an uncomplicated case.

    ``inr`` and ``platelets_e9_per_l`` are ``None`` when not tested (testing is not routine
    for joint injections [Patel2019]). ``tha_planned_in_months`` is ``None`` when no hip
    replacement is booked on the injected side.
    """

    age_years: float = 60
    purpose: str = "both"
    steroid_planned: bool = True
    contrast_planned: bool = True
    mr_arthrogram: bool = False
    radiographs_done: bool = True
    pain_pattern: str = "intra-articular"
    suspected_joint_infection: bool = False
    skin_infection_at_site: bool = False
    systemic_infection: bool = False
    anaphylaxis_to_contrast: bool = False
    anaphylaxis_to_injectate: bool = False
    prior_mild_contrast_reaction: bool = False
    iodine_or_seafood_allergy_label: bool = False
    anticoagulant: str = "none"
    inr: float | None = None
    platelets_e9_per_l: float | None = None
    bleeding_disorder: str = "none"
    pregnant: bool = False
    diabetes: str = "none"
    prosthetic_hip_same_side: bool = False
    tha_planned_in_months: float | None = None
    months_since_last_steroid: float | None = None
    steroid_injections_past_year: int = 0
    cannot_keep_still: bool = False
    avn_or_crps: bool = False

    def __post_init__(self) -> None:
        # Numbers may arrive as typed text ("2,5", " 3 ", "" for not tested): store them parsed.
        for name in RANGES:
            number = check_number(name, getattr(self, name), optional=name in OPTIONAL_NUMBERS)
            if name == "steroid_injections_past_year" and number is not None:
                if number != int(number):
                    raise ValueError("steroid_injections_past_year must be a whole number")
                number = int(number)
            object.__setattr__(self, name, number)
        check_record(self)


CHOICES = {
    "purpose": PURPOSES,
    "pain_pattern": PAIN_PATTERNS,
    "anticoagulant": ANTICOAGULANTS,
    "bleeding_disorder": BLEEDING_DISORDERS,
    "diabetes": DIABETES,
}
OPTIONAL_NUMBERS = {
    "inr",
    "platelets_e9_per_l",
    "tha_planned_in_months",
    "months_since_last_steroid",
}


def check_number(name: str, value: object, optional: bool = False) -> float | None:
    """Return ``value`` as a float inside :data:`RANGES`, or raise an InputError (a ValueError)
    naming the field and its range.

    Accepts numbers and numeric strings (what a learner types, with a decimal point or
    comma); refuses letters, NaN, infinity, booleans and values outside the plausible range.
    A blank optional field (not tested, not booked) gives ``None``.
    """
    lo, hi = RANGES[name]
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise InputError(f"{name} is required: type a number between {lo:g} and {hi:g}")
    return parse_number(value, name, lo, hi)


def check_record(rec: PatientRecord) -> None:
    """Raise ValueError, naming the field and the allowed values, if ``rec`` is not plausible."""
    for f in fields(rec):
        v = getattr(rec, f.name)
        if f.name in CHOICES:
            if v not in CHOICES[f.name]:
                raise ValueError(f"{f.name} must be one of {', '.join(CHOICES[f.name])}; got {v!r}")
        elif f.name in RANGES:
            check_number(f.name, v, optional=f.name in OPTIONAL_NUMBERS)
        elif not isinstance(v, bool):
            raise ValueError(f"{f.name} must be true or false; got {v!r}")
    if rec.steroid_injections_past_year != int(rec.steroid_injections_past_year):
        raise ValueError("steroid_injections_past_year must be a whole number")
    if rec.mr_arthrogram and not rec.contrast_planned:
        raise ValueError(
            "mr_arthrogram needs contrast_planned (an arthrogram is a contrast injection)"
        )


def record_from_dict(data: Mapping[str, Any], where: str = "patient") -> PatientRecord:
    """Build a record from YAML-like data; unknown or bad fields raise ValueError naming them."""
    known = {f.name for f in fields(PatientRecord)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(
            f"{where}: unknown field(s) {', '.join(unknown)}; known fields: {', '.join(sorted(known))}"
        )
    try:
        return PatientRecord(**dict(data))
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
