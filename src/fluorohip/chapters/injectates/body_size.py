"""The weight a per-kg maximum is multiplied by: actual weight, or lean body weight in obesity.

Why: local anaesthetics are dosed to lean, not total, body weight [@Nightingale2015], so a
maximum worked out on 150 kg of total weight would be far too high. Lean body weight comes from
the Janmahasatian equation [@Janmahasatian2005]; without a height the checker uses at most the
adult lean range's upper end. Teaching, not dosing advice. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.inputs import InputError, parse_number

from .facts import fact_value
from .local_anaesthetics import WEIGHT_RANGE_KG

__all__ = [
    "HEIGHT_RANGE_CM",
    "SEXES",
    "DosingWeight",
    "dosing_weight",
    "lean_body_weight_kg",
    "sex_named",
]

#: Heights the lean-body-weight estimate accepts (adults), cm.
HEIGHT_RANGE_CM = (130.0, 220.0)
SEXES = ("female", "male")


def sex_named(sex: object) -> str:
    """``"female"`` or ``"male"`` (the equation's two forms), or :class:`InputError`."""
    text = sex.strip().lower() if isinstance(sex, str) else None
    if text is None or text not in SEXES:
        raise InputError(
            f"sex must be one of {', '.join(SEXES)} (for the lean-body-weight estimate); got {sex!r}"
        )
    return text


def lean_body_weight_kg(weight_kg: object, height_cm: object, sex: object) -> float:
    """Lean body weight by the Janmahasatian equation [@Janmahasatian2005].

    ``9270 * W / (6680 + 216 * BMI)`` for men, ``9270 * W / (8780 + 244 * BMI)`` for women.
    It rises with weight but levels off, so a heavy patient's lean weight stays near that of a
    lean adult of the same height.
    """
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    h = parse_number(height_cm, "height_cm", *HEIGHT_RANGE_CM, "cm")
    s = sex_named(sex)
    bmi = w / (h / 100.0) ** 2
    if s == "male":
        return 9270.0 * w / (6680.0 + 216.0 * bmi)
    return 9270.0 * w / (8780.0 + 244.0 * bmi)


@dataclass(frozen=True)
class DosingWeight:
    """The weight the per-kg maximum is multiplied by, and why.

    ``basis`` is ``"actual"``, ``"lean"`` (obese, height and sex given) or ``"lean range cap"``
    (heavier than the adult lean range and no height given). ``flags`` are sentences the
    checker shows the learner.
    """

    actual_kg: float
    kg: float
    basis: str
    bmi: float | None = None
    flags: tuple[str, ...] = ()


def dosing_weight(
    weight_kg: object, height_cm: object | None = None, sex: object | None = None
) -> DosingWeight:
    """Actual weight, or lean body weight in obesity [@Nightingale2015].

    With height and sex: BMI >= 30 doses on lean body weight [@Janmahasatian2005]. Without
    them: weights above the adult lean range (about 100 kg) dose on 100 kg and say so; below
    about 40 kg the weight is flagged as outside the adult range the checker is built for.
    """
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    lower = fact_value("adult_lean_weight_lower_kg")
    upper = fact_value("lean_weight_upper_kg")
    obese_bmi = fact_value("obesity_bmi")
    flags: list[str] = []
    if w < lower:
        flags.append(
            f"{w:g} kg is below the adult lean range ({lower:g}-{upper:g} kg) this teaching checker "
            "is built for: small, frail or young patients need individual dosing by a senior; "
            "the arithmetic below uses the actual weight."
        )
    given = (
        height_cm is not None and str(height_cm).strip() != "",
        sex is not None and str(sex).strip() != "",
    )
    if any(given) and not all(given):
        missing = "sex" if given[0] else "height_cm"
        raise InputError(
            f"{missing} is needed too: the lean-body-weight estimate uses both height and sex"
        )
    if all(given):
        h = parse_number(height_cm, "height_cm", *HEIGHT_RANGE_CM, "cm")
        s = sex_named(sex)
        bmi = w / (h / 100.0) ** 2
        if bmi >= obese_bmi:
            lbw = lean_body_weight_kg(w, h, s)
            flags.append(
                f"BMI {bmi:.0f} kg/m²: in obesity the maximum is worked out on lean body weight, "
                f"{lbw:.0f} kg here, not on the total {w:g} kg."
            )
            return DosingWeight(w, lbw, "lean", bmi, tuple(flags))
        return DosingWeight(w, w, "actual", bmi, tuple(flags))
    if w > upper:
        flags.append(
            f"{w:g} kg is above the adult lean range (up to about {upper:g} kg): the checker works "
            f"the maximum out on {upper:g} kg, not the total weight. Enter height and sex to use "
            "the patient's lean body weight (it is often lower)."
        )
        return DosingWeight(w, upper, "lean range cap", None, tuple(flags))
    return DosingWeight(w, w, "actual", None, tuple(flags))
