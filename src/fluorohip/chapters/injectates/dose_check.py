"""The dose checker: milligrams drawn up against the label or teaching maximum for this patient.

Why a maximum is ``min(per_kg * dosing weight, single-dose ceiling)``: the label ceilings are
single-dose figures (lidocaine 300/500 mg [@FDALidocaine], bupivacaine 175/225 mg
[@FDABupivacaineLabel], ropivacaine 250 mg [@NaropinLabel]), so no weight may lift the maximum
past them; bupivacaine's 400 mg is a separate total per 24 h. Label maxima are not
evidence-based thresholds [@Rosenberg2004], and intravascular injection can cause toxicity far
below them [@Gitman2019]: the checker says so every time. Teaching, not dosing advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.facts import Fact
from fluorohip.core.inputs import InputError, parse_number

from .body_size import DosingWeight, dosing_weight
from .facts import FACTS, single_value
from .local_anaesthetics import (
    CONCENTRATION_RANGE_PERCENT,
    VOLUME_RANGE_ML,
    WEIGHT_RANGE_KG,
    agent_named,
    mg_from_percent,
)

__all__ = ["DoseCheck", "MaxDose", "check_dose", "max_dose_mg"]


@dataclass(frozen=True)
class MaxDose:
    """A maximum in mg and everything it was worked out from (for the explanation and sources)."""

    agent: str
    adrenaline: bool
    mg: float
    per_kg: Fact
    cap: Fact | None  # single-dose ceiling
    limited_by: str  # "weight" or "cap"
    weak: bool
    note: str = ""
    dosing: DosingWeight | None = None
    daily_cap: Fact | None = None

    @property
    def kind(self) -> str:
        """``"label maximum"`` when the figure that binds is on the label, else ``"teaching maximum"``."""
        if self.limited_by == "cap" and self.cap is not None and not self.cap.weak:
            return "label maximum"
        return "teaching maximum" if self.per_kg.weak else "label maximum"

    @property
    def cap_is_daily(self) -> bool:
        """True when a separate per-24-h ceiling applies (bupivacaine's 400 mg/day)."""
        return self.daily_cap is not None

    @property
    def keys(self) -> tuple[str, ...]:
        keys = list(self.per_kg.keys)
        for extra in (self.cap, self.daily_cap):
            if extra is not None:
                keys += [k for k in extra.keys if k not in keys]
        if self.dosing is not None and self.dosing.basis != "actual":
            keys += [k for k in ("Nightingale2015", "Janmahasatian2005") if k not in keys]
        keys += [k for k in ("Rosenberg2004", "Gitman2019") if k not in keys]
        return tuple(keys)


def max_dose_mg(
    agent: object,
    weight_kg: object,
    adrenaline: bool = False,
    height_cm: object | None = None,
    sex: object | None = None,
) -> MaxDose:
    """Label or teaching maximum in mg: ``min(per_kg * dosing weight, single-dose ceiling)``.

    Lidocaine uses the US label (4.5 mg/kg up to 300 mg; 7 mg/kg up to 500 mg with
    adrenaline) [@FDALidocaine]. Bupivacaine and ropivacaine per-kg figures are weakly
    sourced teaching values (``weak=True``), capped by the label's single-dose figures
    (bupivacaine 175 mg plain, 225 mg with adrenaline [@FDABupivacaineLabel]; ropivacaine
    250 mg [@NaropinLabel]); bupivacaine's 400 mg is a separate ceiling per 24 h. The dosing
    weight is lean body weight in obesity (:func:`~.body_size.dosing_weight`).
    """
    la = agent_named(agent)
    dw = dosing_weight(weight_kg, height_cm, sex)
    if not isinstance(adrenaline, bool):
        raise InputError(f"adrenaline must be True or False; got {adrenaline!r}")
    note = ""
    if adrenaline and la.max_adrenaline is not None:
        per_kg_key, cap_key = la.max_adrenaline, la.cap_adrenaline
    else:
        per_kg_key, cap_key = la.max_plain, la.cap_plain
        if adrenaline:
            note = f"No separate with-adrenaline maximum is used for {la.name}; the plain figure applies."
    per_kg = FACTS[per_kg_key]
    cap = FACTS[cap_key] if cap_key else None
    by_weight = single_value(per_kg) * dw.kg
    if cap is not None and single_value(cap) < by_weight:
        mg, limited_by, weak = single_value(cap), "cap", cap.weak
    else:
        mg, limited_by, weak = by_weight, "weight", per_kg.weak
    daily = FACTS[la.daily_cap] if la.daily_cap else None
    return MaxDose(la.name, adrenaline, mg, per_kg, cap, limited_by, weak, note, dw, daily)


@dataclass(frozen=True)
class DoseCheck:
    """A planned dose and its share of the maximum, with the sentences that explain it."""

    agent: str
    weight_kg: float
    concentration_percent: float
    volume_ml: float
    adrenaline: bool
    dose_mg: float
    maximum: MaxDose

    @property
    def percent_of_max(self) -> float:
        return 100.0 * self.dose_mg / self.maximum.mg

    @property
    def over_max(self) -> bool:
        return self.dose_mg > self.maximum.mg

    @property
    def flags(self) -> tuple[str, ...]:
        """Warnings about the weight (outside the adult lean range, obesity) the learner must see."""
        return self.maximum.dosing.flags if self.maximum.dosing is not None else ()

    def lines(self) -> list[str]:
        """Plain-text explanation, one sentence per line."""
        m = self.maximum
        dw = m.dosing
        adr = "with adrenaline" if self.adrenaline else "without adrenaline"
        weight_txt = (
            f"{self.weight_kg:g} kg"
            if dw is None or dw.basis == "actual"
            else f"a dosing weight of {dw.kg:.0f} kg ({self.weight_kg:g} kg actual)"
        )
        ceiling = (
            f", single-dose ceiling {single_value(m.cap):g} {m.cap.unit}"
            if m.cap is not None
            else ""
        )
        limit = "the single-dose ceiling" if m.limited_by == "cap" else "weight"
        out = [
            f"{self.volume_ml:g} mL of {self.concentration_percent:g}% {self.agent} = "
            f"{self.concentration_percent:g} x 10 mg/mL x {self.volume_ml:g} mL = {self.dose_mg:.1f} mg.",
            *self.flags,
            f"{m.kind.capitalize()} for {weight_txt} {adr}: {m.mg:.0f} mg "
            f"({single_value(m.per_kg):g} {m.per_kg.unit}{ceiling}; limited by {limit}).",
            f"This dose is {self.percent_of_max:.0f}% of that maximum"
            + (f" - ABOVE the {m.kind}." if self.over_max else "."),
        ]
        if m.daily_cap is not None:
            out.append(
                f"The label also caps {self.agent} at {single_value(m.daily_cap):g} mg per 24 hours, "
                "counting every dose that day; that is a daily total, not a single-dose figure."
            )
        if m.limited_by == "weight" and m.per_kg.weak:
            out.append(
                "The per-kg figure for this agent is weakly sourced (a teaching value, not confirmed on the label)."
            )
        if m.note:
            out.append(m.note)
        out.append(
            "Below the maximum is not 'safe': an intravascular injection can cause toxicity at a fraction of it."
        )
        return out


def check_dose(
    agent: object,
    weight_kg: object,
    concentration_percent: object,
    volume_ml: object,
    adrenaline: bool = False,
    height_cm: object | None = None,
    sex: object | None = None,
) -> DoseCheck:
    """Dose in mg and its share of the label or teaching maximum. Teaching, not dosing advice.

    The maximum uses lean body weight in obesity and the label's single-dose ceiling, so a
    heavy patient never raises it past the ceiling.
    """
    la = agent_named(agent)
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    c = parse_number(
        concentration_percent, "concentration_percent", *CONCENTRATION_RANGE_PERCENT, "%"
    )
    v = parse_number(volume_ml, "volume_ml", *VOLUME_RANGE_ML, "mL")
    maximum = max_dose_mg(la.name, w, adrenaline, height_cm, sex)
    return DoseCheck(la.name, w, c, v, adrenaline, mg_from_percent(c, v), maximum)
