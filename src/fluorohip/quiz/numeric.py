"""Read a number a learner typed into a quiz box, or say kindly why it is not one.

A thin adapter over the course's one number parser, :func:`fluorohip.core.inputs.read_number`
(its docstring states the policy: "7,5" is 7.5, "1,500" is refused as ambiguous, NaN,
infinities and letters are refused). What the quiz adds: a unit may follow the number, and a
refusal becomes a hint shown beside the box instead of an exception. ``parse_number`` never
raises, whatever it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.inputs import MAX_INPUT_CHARS, NumberText, Refusal, read_number

__all__ = ["MAX_INPUT_CHARS", "NumberReading", "format_number", "parse_number", "within_tolerance"]


@dataclass(frozen=True)
class NumberReading:
    """A finite ``value`` (and the unit typed, if any), or a ``hint`` to show beside the box."""

    value: float | None = None
    unit: str | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.hint is None


def normalised_unit(unit: str) -> str:
    """``"m L"`` and ``"ML"`` are ``"ml"``: units compare without spaces or case."""
    return re.sub(r"\s+", "", unit).casefold()


def example_answer(unit: str) -> str:
    """What a well-typed answer looks like, for hints: ``7.5 mL``, ``75%`` or ``7.5``."""
    if unit == "%":
        return "75%"
    return f"7.5 {unit}".strip() if unit else "7.5"


def refusal_hint(reading: NumberText, example: str) -> str:
    """The hint for a text the core parser refused, in the quiz's words."""
    raw = reading.text
    if reading.refusal is Refusal.EMPTY:
        return f"Type a number first, e.g. {example}."
    if reading.refusal is Refusal.TOO_LONG:
        return f"That is too long for a number; type just the number, e.g. {example}."
    if reading.refusal is Refusal.NAN or (
        reading.refusal is Refusal.INFINITE and not reading.number_text
    ):
        return f"Type an ordinary number, not {raw!r}, e.g. {example}."
    if reading.refusal is Refusal.INFINITE:
        return (
            f"{reading.number_text} is too large to be an answer here; "
            f"type an ordinary number, e.g. {example}."
        )
    if reading.refusal is Refusal.AMBIGUOUS_COMMA:
        whole, point = reading.readings
        return (
            f"{reading.number_text} could be {whole:g} or {point:g}: type it without a "
            f"thousands separator, with a point or comma for decimals, e.g. {example}."
        )
    return f"{raw[:30]!r} is not a number. Type digits, e.g. {example}."


def parse_number(text: object, unit: str = "", accept_units: Iterable[str] = ()) -> NumberReading:
    """Parse ``text`` as a finite number, optionally followed by ``unit`` or one of ``accept_units``."""
    if not isinstance(text, str):
        return NumberReading(hint="Type a number in the box.")
    example = example_answer(unit)
    reading = read_number(text, allow_rest=True)
    if reading.value is None:
        return NumberReading(hint=refusal_hint(reading, example))
    rest = reading.rest
    if not rest:
        return NumberReading(value=reading.value, unit=None)
    allowed = [u for u in (unit, *accept_units) if u]
    if not allowed:
        return NumberReading(hint=f"Type just the number, without {rest[:20]!r}.")
    if normalised_unit(rest) not in {normalised_unit(u) for u in allowed}:
        return NumberReading(
            hint=f"The answer is in {unit}; type a number, optionally followed by "
            f"{' or '.join(repr(u) for u in allowed)}, not {rest[:20]!r}."
        )
    return NumberReading(value=reading.value, unit=unit)


def within_tolerance(value: float, target: float, tolerance: float) -> bool:
    """``|value - target| <= tolerance``, forgiving binary rounding (0.1 + 0.2 is 0.3 here)."""
    slack = 1e-9 * max(1.0, abs(target), abs(tolerance))
    return abs(value - target) <= tolerance + slack


def format_number(value: float) -> str:
    """Shortest text that reads back as ``value``: 8 not 8.0, 0.1 not 0.1000000000000000055."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
