"""Turn what a person typed into a number in a range, or say clearly what was wrong.

:func:`parse_number` is the one checker the chapter modules and widgets use for typed or
passed-in numbers (a weight, a volume, a distance). It is not the quiz's answer parser
(:mod:`fluorohip.quiz.numeric`), which grades answers with units and never raises.
"""

from __future__ import annotations

import math
import numbers
import re

__all__ = ["InputError", "parse_number"]

#: Units written straight after the number ("0 and 5%", "1 and 4×"); others get a space.
_UNITS_WITHOUT_SPACE = ("%", "°", "×")
#: "1,500": a thousands separator or a decimal comma? Too risky to guess for a dose.
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")


class InputError(ValueError):
    """Input a person typed that cannot be used; the message names the field and its range."""


def parse_number(
    value: object,
    field: str,
    low: float,
    high: float,
    unit: str = "",
    *,
    decimal_comma: bool = True,
) -> float:
    """``value`` as a float within ``[low, high]``, or :class:`InputError` naming ``field``.

    Accepts numbers and numeric text ("70", " 72.5 ", and with ``decimal_comma`` "1,5").
    Refuses booleans, ``None``, empty text, letters, NaN, infinities (including text such as
    "1e309", which overflows), values outside the range, and text such as "1,500" where the
    comma could be a thousands separator. Every message names ``field`` and the range.
    """
    unit = unit.strip()
    unit_txt = "" if not unit else unit if unit in _UNITS_WITHOUT_SPACE else f" {unit}"
    span = f"between {low:g} and {high:g}{unit_txt}"
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field} must be a number {span}; got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"{field} is empty: type a number {span}")
        if decimal_comma and "," in text:
            if _AMBIGUOUS_COMMA.match(text):
                whole, point = text.replace(",", ""), text.replace(",", ".")
                raise InputError(
                    f"{field}: {text!r} is ambiguous ({whole} or {float(point):g}?); "
                    f"type it without a thousands separator, a number {span}"
                )
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"{field} must be a number {span}; got {value.strip()!r}") from None
    elif isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            raise InputError(f"{field} must be {span}; got a number too large to use") from None
    else:
        raise InputError(f"{field} must be a number {span}; got {type(value).__name__}")
    if math.isnan(number):
        raise InputError(f"{field} must be a number {span}; got NaN (not a number)")
    if math.isinf(number):
        raise InputError(f"{field} must be {span}; got a number too large to use")
    if not (low <= number <= high):
        raise InputError(f"{field} must be {span}; got {number:g}")
    return number
