"""Local anaesthetics: which facts belong to which agent, and milligrams from percent and mL.

Why the arithmetic is spelled out: a solution of ``c`` % holds ``c`` g per 100 mL, so
``mg/mL = 10 * c`` (1% = 10 mg/mL) and ``mg = 10 * c * volume_mL``; residents get this wrong
under pressure, and the chapter shows every step. Teaching, not dosing advice. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.core.inputs import InputError, parse_number

__all__ = [
    "CONCENTRATION_RANGE_PERCENT",
    "LOCAL_ANAESTHETICS",
    "VOLUME_RANGE_ML",
    "WEIGHT_RANGE_KG",
    "LocalAnaesthetic",
    "agent_named",
    "mg_from_percent",
    "mg_per_ml",
    "ml_for_mg",
]

#: Plausibility ranges for the teaching calculator (not clinical limits): adults only.
WEIGHT_RANGE_KG = (30.0, 300.0)
CONCENTRATION_RANGE_PERCENT = (0.05, 5.0)
VOLUME_RANGE_ML = (0.1, 100.0)
#: The largest dose the unit conversions accept, mg (far above any label maximum).
DOSE_RANGE_MG = (0.0, 10_000.0)


@dataclass(frozen=True)
class LocalAnaesthetic:
    """One agent, as keys into :data:`~.facts.FACTS` (the numbers stay typed once there)."""

    name: str
    max_plain: str  # mg/kg without adrenaline
    max_adrenaline: str | None  # mg/kg with adrenaline (None: no extra allowance)
    cap_plain: str | None  # single-dose ceiling, mg
    cap_adrenaline: str | None
    onset: str  # minutes
    duration: str  # hours
    daily_cap: str | None = None  # mg per 24 h (a separate, cumulative ceiling)


LOCAL_ANAESTHETICS: dict[str, LocalAnaesthetic] = {
    "lidocaine": LocalAnaesthetic(
        "lidocaine",
        "lidocaine_max_plain_mg_per_kg",
        "lidocaine_max_adrenaline_mg_per_kg",
        "lidocaine_cap_plain_mg",
        "lidocaine_cap_adrenaline_mg",
        "lidocaine_onset_min",
        "lidocaine_duration_h",
    ),
    "bupivacaine": LocalAnaesthetic(
        "bupivacaine",
        "bupivacaine_max_plain_mg_per_kg",
        "bupivacaine_max_adrenaline_mg_per_kg",
        "bupivacaine_single_plain_mg",
        "bupivacaine_single_adrenaline_mg",
        "bupivacaine_onset_min",
        "bupivacaine_duration_h",
        daily_cap="bupivacaine_daily_cap_mg",
    ),
    "ropivacaine": LocalAnaesthetic(
        "ropivacaine",
        "ropivacaine_max_mg_per_kg",
        None,
        "ropivacaine_single_mg",
        "ropivacaine_single_mg",
        "ropivacaine_onset_min",
        "ropivacaine_duration_h",
    ),
}


def agent_named(agent: object) -> LocalAnaesthetic:
    """The agent a learner named (any case, spaces trimmed), or :class:`InputError`."""
    name = agent.strip().lower() if isinstance(agent, str) else None
    if name is None or name not in LOCAL_ANAESTHETICS:
        known = ", ".join(LOCAL_ANAESTHETICS)
        raise InputError(f"agent must be one of {known}; got {agent!r}")
    return LOCAL_ANAESTHETICS[name]


def mg_per_ml(concentration_percent: object) -> float:
    """mg/mL of a ``c`` % solution: ``10 * c`` (1% = 1 g/100 mL = 10 mg/mL)."""
    c = parse_number(
        concentration_percent, "concentration_percent", *CONCENTRATION_RANGE_PERCENT, "%"
    )
    return 10.0 * c


def mg_from_percent(concentration_percent: object, volume_ml: object) -> float:
    """Milligrams in ``volume_ml`` of a ``concentration_percent`` % solution: ``10 * c * V``."""
    v = parse_number(volume_ml, "volume_ml", *VOLUME_RANGE_ML, "mL")
    return mg_per_ml(concentration_percent) * v


def ml_for_mg(dose_mg: object, concentration_percent: object) -> float:
    """Volume in mL that holds ``dose_mg`` of a ``concentration_percent`` % solution."""
    d = parse_number(dose_mg, "dose_mg", *DOSE_RANGE_MG, "mg")
    return d / mg_per_ml(concentration_percent)
