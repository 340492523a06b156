"""Linear attenuation coefficients of the phantom's materials at 50 keV.

Values come from :mod:`fluorohip.fluoro.constants` (NIST mu/rho x density with ICRU-44
compositions [@Hubbell2004]); this module only converts them to 1/mm and names the
materials the phantom and the plastimatch export share.
"""

from __future__ import annotations

from .constants import value

MATERIALS = ("fat", "muscle", "blood", "water", "cortical", "cancellous", "steel", "iodine")


def mu_per_mm(material: str) -> float:
    """Linear attenuation coefficient (1/mm) at 50 keV.

    ``iodine`` is per mg/mL of iodine *added to water*: mu = c * (mu/rho)_I, so a contrast
    medium of concentration c has mu_water + c * mu_per_mm("iodine").
    """
    if material == "iodine":
        # (cm2/g) * (g/mL per mg/mL = 1e-3) -> 1/cm, then /10 -> 1/mm
        return value("iodine_mass_atten_cm2_per_g") * 1e-3 / 10.0
    key = f"mu_{material}_per_cm"
    try:
        return value(key) / 10.0
    except KeyError:
        raise ValueError(
            f"material must be one of {', '.join(MATERIALS)}; got {material!r}"
        ) from None
