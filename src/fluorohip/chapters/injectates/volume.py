"""Total injected volume against the hip's capacity: how full the joint will be.

Why it matters: contrast, anaesthetic and steroid add up, the normal arthrographic capacity is
only about 14-20 mL [@HipCapacity1981] and capsular pressure stays low only up to about 10 mL
[@CapsulePressure2009]; past that the injection hurts more, leaks, and blurs the diagnostic
answer. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fluorohip.core.inputs import InputError, parse_number

from .facts import FACTS, fact_value

__all__ = ["COMPONENT_VOLUME_RANGE_ML", "VolumeCheck", "volume_check"]

#: What one component of the injectate may be, mL (0 = not given).
COMPONENT_VOLUME_RANGE_ML = (0.0, 100.0)


@dataclass(frozen=True)
class VolumeCheck:
    """The planned volumes by component, zoned against the normal hip's capacity."""

    components_ml: dict[str, float] = field(default_factory=dict)

    @property
    def total_ml(self) -> float:
        return sum(self.components_ml.values())

    @property
    def zone(self) -> str:
        low_pressure = fact_value("low_pressure_volume_ml")
        cap_lo, cap_hi = FACTS["capacity_ml"].range
        t = self.total_ml
        if t <= low_pressure:
            return "low pressure"
        if t < cap_lo:
            return "pressure rising"
        if t <= cap_hi:
            return "near capacity"
        return "over capacity"

    def fraction(self, name: str) -> float:
        """Share of the injected volume that is ``name`` (how much contrast dilutes the drug)."""
        if name not in self.components_ml:
            raise InputError(
                f"component must be one of {', '.join(self.components_ml)}; got {name!r}"
            )
        return self.components_ml[name] / self.total_ml if self.total_ml else 0.0

    def message(self) -> str:
        low_pressure = fact_value("low_pressure_volume_ml")
        cap = FACTS["capacity_ml"]
        t = self.total_ml
        texts = {
            "low pressure": f"{t:g} mL is within the low-pressure range (up to about {low_pressure:g} mL).",
            "pressure rising": (
                f"{t:g} mL is past the low-pressure range (about {low_pressure:g} mL) "
                f"but below the smallest normal capacity ({cap.range[0]:g} mL): expect more pain "
                "and more leak, and less room in a stiff or diseased joint."
            ),
            "near capacity": (
                f"{t:g} mL is within the normal capacity range ({cap.text(dash='-')}); a small or "
                "diseased joint may already be full: expect leak along the needle or into a bursa."
            ),
            "over capacity": (
                f"{t:g} mL exceeds the largest normal capacity ({cap.range[1]:g} mL): "
                "extravasation is likely and it will blur the diagnostic answer."
            ),
        }
        return texts[self.zone]


def volume_check(contrast_ml: object, anaesthetic_ml: object, steroid_ml: object) -> VolumeCheck:
    """Total volume of the planned injection, zoned against normal hip capacity."""
    rng = COMPONENT_VOLUME_RANGE_ML
    parts = {
        "contrast": parse_number(contrast_ml, "contrast_ml", *rng, "mL"),
        "local anaesthetic": parse_number(anaesthetic_ml, "anaesthetic_ml", *rng, "mL"),
        "corticosteroid": parse_number(steroid_ml, "steroid_ml", *rng, "mL"),
    }
    if sum(parts.values()) <= 0:
        raise InputError("total volume must be more than 0 mL; all three volumes are 0")
    return VolumeCheck(parts)
