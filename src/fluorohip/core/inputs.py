"""Turn what a person typed into a number, or say clearly what was wrong: the one number parser.

Every typed number in the course goes through :func:`read_number`: the chapters' boxes and
arguments through :func:`parse_number` (a number in a range, or :class:`InputError` naming the
field and the range), and the quiz's numeric answers through
:func:`fluorohip.quiz.numeric.parse_number` (a reading with a hint beside the box, never an
exception). Both therefore agree on what is a number.

The policy, chosen for a resident typing on whatever keyboard is at hand:

- digits with an optional decimal point and exponent: ``7.5``, ``.5``, ``5.``, ``1e3``, ``-2``;
  full-width digits and the Unicode minus sign (pasted from a document) read as ASCII ones;
- an unambiguous decimal comma reads as a point: ``7,5`` is 7.5 and ``0,500`` is 0.5;
- ``1,500`` (one to three digits, a comma, exactly three digits) is refused as ambiguous: it
  is 1500 with a thousands separator or 1.5 with a decimal comma, and a tenfold or thousandfold
  slip in a volume or dose is exactly the mistake a course must not make silently;
- thousands separators are never read (``1.000,5``, ``1,2,3``, ``1_000`` are refused), nor are
  NaN, infinities, numbers too large for a float, letters, or more than 100 characters.
"""

from __future__ import annotations

import enum
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MAX_INPUT_CHARS",
    "InputError",
    "NumberText",
    "Refusal",
    "parse_number",
    "read_number",
]

#: Longer text is not a number anybody typed on purpose.
MAX_INPUT_CHARS = 100
#: Units written straight after the number ("0 and 5%", "1 and 4×"); others get a space.
_UNITS_WITHOUT_SPACE = ("%", "°", "×")
#: "1,500": a thousands separator or a decimal comma? Too risky to guess for a dose.
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")
#: A number at the start of the text, and what follows it (a unit, for the quiz).
_NUMBER = re.compile(
    r"^([+-]?(?:[0-9]+,[0-9]+|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(.*)$",
    re.DOTALL,
)
_NOT_FINITE_WORDS = {"nan": "nan", "inf": "inf", "infinity": "inf", "∞": "inf"}


class InputError(ValueError):
    """Input a person typed that cannot be used; the message names the field and its range."""


class Refusal(enum.Enum):
    """Why a text is not a number; each adapter words it for its own reader."""

    EMPTY = "empty"
    TOO_LONG = "too long"
    NAN = "not a number (NaN)"
    INFINITE = "infinite or too large"
    AMBIGUOUS_COMMA = "ambiguous comma"
    NOT_A_NUMBER = "not a number"


@dataclass(frozen=True)
class NumberText:
    """What :func:`read_number` made of a text: a finite ``value`` or a ``refusal``.

    ``text`` is the normalised input (what messages quote); ``number_text`` the part read as
    the number; ``rest`` whatever followed it (a unit, only when the caller allows one).
    """

    text: str
    value: float | None = None
    refusal: Refusal | None = None
    number_text: str = ""
    rest: str = ""

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def readings(self) -> tuple[float, float]:
        """For an ambiguous comma: (read as thousands, read as a decimal comma)."""
        whole = self.number_text.replace(",", "")
        return float(whole), float(self.number_text.replace(",", "."))


def read_number(text: str, *, decimal_comma: bool = True, allow_rest: bool = False) -> NumberText:
    """Read ``text`` under the course's one policy (module docstring). Never raises.

    ``allow_rest`` lets text follow the number (the quiz checks it is the unit); without it any
    trailing text makes the whole text not a number. ``decimal_comma=False`` refuses "7,5".
    """
    raw = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    if not raw:
        return NumberText(raw, refusal=Refusal.EMPTY)
    if len(raw) > MAX_INPUT_CHARS:
        return NumberText(raw, refusal=Refusal.TOO_LONG)
    word = _NOT_FINITE_WORDS.get(raw.casefold().lstrip("+-"))
    if word:
        return NumberText(raw, refusal=Refusal.NAN if word == "nan" else Refusal.INFINITE)
    match = _NUMBER.match(raw)
    if not match:
        return NumberText(raw, refusal=Refusal.NOT_A_NUMBER)
    number_text, rest = match.group(1), match.group(2).strip()
    if rest and (not allow_rest or rest[0] in ".,_0123456789"):  # "7..5", "1_000": no unit
        return NumberText(raw, refusal=Refusal.NOT_A_NUMBER, number_text=number_text, rest=rest)
    if "," in number_text:
        if not decimal_comma:
            return NumberText(raw, refusal=Refusal.NOT_A_NUMBER, number_text=number_text)
        if _AMBIGUOUS_COMMA.match(number_text):
            return NumberText(raw, refusal=Refusal.AMBIGUOUS_COMMA, number_text=number_text)
    value = float(number_text.replace(",", "."))  # the regex admits only float syntax
    if not math.isfinite(value):
        return NumberText(raw, refusal=Refusal.INFINITE, number_text=number_text)
    return NumberText(raw, value=value, number_text=number_text, rest=rest)


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

    Accepts numbers and numeric text under the policy of :func:`read_number` ("70",
    " 72.5 ", and with ``decimal_comma`` "1,5"). Refuses booleans, ``None``, empty text,
    letters, NaN, infinities (including text such as "1e309", which overflows), values
    outside the range, and "1,500", where the comma could be a thousands separator. Every
    message names ``field`` and the range.
    """
    unit = unit.strip()
    unit_txt = "" if not unit else unit if unit in _UNITS_WITHOUT_SPACE else f" {unit}"
    span = f"between {low:g} and {high:g}{unit_txt}"
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field} must be a number {span}; got {value!r}")
    if isinstance(value, str):
        number = _number_from_text(value, field, span, decimal_comma)
    elif isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            raise InputError(f"{field} must be {span}; got a number too large to use") from None
        if math.isnan(number):
            raise InputError(f"{field} must be a number {span}; got NaN (not a number)")
        if math.isinf(number):
            raise InputError(f"{field} must be {span}; got a number too large to use")
    else:
        raise InputError(f"{field} must be a number {span}; got {type(value).__name__}")
    if not (low <= number <= high):
        raise InputError(f"{field} must be {span}; got {number:g}")
    return number


def _number_from_text(value: str, field: str, span: str, decimal_comma: bool) -> float:
    reading = read_number(value, decimal_comma=decimal_comma)
    if reading.value is not None:
        return reading.value
    shown = reading.text if len(reading.text) <= 40 else reading.text[:40] + "…"
    if reading.refusal is Refusal.EMPTY:
        raise InputError(f"{field} is empty: type a number {span}")
    if reading.refusal is Refusal.NAN:
        raise InputError(f"{field} must be a number {span}; got NaN (not a number)")
    if reading.refusal is Refusal.INFINITE:
        raise InputError(f"{field} must be {span}; got a number too large to use")
    if reading.refusal is Refusal.AMBIGUOUS_COMMA:
        whole, point = reading.readings
        raise InputError(
            f"{field}: {reading.number_text!r} is ambiguous ({whole:g} or {point:g}?); "
            f"type it without a thousands separator, a number {span}"
        )
    raise InputError(f"{field} must be a number {span}; got {shown!r}")
