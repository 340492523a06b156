"""Corticosteroid equivalence: the same systemic anti-inflammatory effect in another steroid.

Why only systemic: ``dose_to = dose_from * eq_to / eq_from`` uses the classic equivalents of
[@Meikle1977], which describe potency in the body, not the effect inside a joint, where depot
preparations differ in solubility and particle size [@MacMahon2011]. Pure Python.
"""

from __future__ import annotations

from fluorohip.core.inputs import InputError, parse_number

from .facts import STEROID_EQUIVALENT_MG, single_value

__all__ = ["equivalent_dose_mg"]

#: The largest steroid dose the conversion accepts, mg (far above any joint dose).
STEROID_DOSE_RANGE_MG = (0.0, 10_000.0)


def steroid_named(field: str, steroid: object) -> str:
    """A steroid from :data:`~.facts.STEROID_EQUIVALENT_MG` (any case), or :class:`InputError`."""
    name = steroid.strip().lower() if isinstance(steroid, str) else None
    if name is None or name not in STEROID_EQUIVALENT_MG:
        names = ", ".join(STEROID_EQUIVALENT_MG)
        raise InputError(f"{field} must be one of {names}; got {steroid!r}")
    return name


def equivalent_dose_mg(dose_mg: object, from_steroid: object, to_steroid: object) -> float:
    """Systemic anti-inflammatory equivalent: ``dose * eq[to] / eq[from]`` [@Meikle1977].

    Equal systemic potency does not mean equal effect in the joint: depot preparations
    differ in solubility and particle size [@MacMahon2011].
    """
    source = steroid_named("from_steroid", from_steroid)
    target = steroid_named("to_steroid", to_steroid)
    d = parse_number(dose_mg, "dose_mg", *STEROID_DOSE_RANGE_MG, "mg")
    eq_from = single_value(STEROID_EQUIVALENT_MG[source])
    eq_to = single_value(STEROID_EQUIVALENT_MG[target])
    return d * eq_to / eq_from
