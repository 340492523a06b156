"""Read a number a learner typed, or say kindly why it is not one.

``parse_number`` never raises, whatever the text: it returns a :class:`NumberReading`
with either a finite ``value`` (and the unit typed, if any) or a ``hint`` to show beside
the box. Decimal commas ("7,5") are not guessed at: "7,5" could be 7.5 or 75 written with
a thousands separator, so we ask for a point instead of grading a guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER = re.compile(
    r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(.*)$", re.DOTALL
)
MAX_INPUT_CHARS = 100


@dataclass(frozen=True)
class NumberReading:
    value: float | None = None
    unit: str | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.hint is None


def _norm_unit(unit: str) -> str:
    return re.sub(r"\s+", "", unit).casefold()


def _example(unit: str) -> str:
    return f"7.5 {unit}".strip() if unit and unit != "%" else ("75%" if unit == "%" else "7.5")


def parse_number(text: object, unit: str = "", accept_units: Iterable[str] = ()) -> NumberReading:
    """Parse ``text`` as a finite number, optionally followed by ``unit`` or one of ``accept_units``."""
    if not isinstance(text, str):
        return NumberReading(hint="Type a number in the box.")
    raw = unicodedata.normalize("NFKC", text).strip()
    # A typed minus sign is often the Unicode one, e.g. pasted from a document.
    raw = raw.replace("\u2212", "-")
    example = _example(unit)
    if not raw:
        return NumberReading(hint=f"Type a number first, e.g. {example}.")
    if len(raw) > MAX_INPUT_CHARS:
        return NumberReading(
            hint=f"That is too long for a number; type just the number, e.g. {example}."
        )
    lowered = raw.casefold()
    if lowered.lstrip("+-") in {"nan", "inf", "infinity", "∞"}:
        return NumberReading(hint=f"Type an ordinary number, not {raw!r}, e.g. {example}.")
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+(\s*\S.*)?", raw):
        fixed = raw.replace(",", ".", 1)
        return NumberReading(
            hint=f"Use a point for decimals: type {fixed.split()[0]} rather than "
            f"{raw.split()[0]} (and no thousands separators)."
        )
    match = _NUMBER.match(raw)
    if not match:
        return NumberReading(hint=f"{raw[:30]!r} is not a number. Type digits, e.g. {example}.")
    number_text, rest = match.group(1), match.group(2).strip()
    try:
        value = float(number_text)
    except (ValueError, OverflowError):  # pragma: no cover - the regex admits only floats
        return NumberReading(hint=f"{number_text!r} is not a number. Type digits, e.g. {example}.")
    if not math.isfinite(value):
        return NumberReading(
            hint=f"{number_text} is too large to be an answer here; type an ordinary number, e.g. {example}."
        )
    if rest:
        allowed = [u for u in (unit, *accept_units) if u]
        if not allowed:
            return NumberReading(hint=f"Type just the number, without {rest[:20]!r}.")
        if _norm_unit(rest) not in {_norm_unit(u) for u in allowed}:
            return NumberReading(
                hint=f"The answer is in {unit}; type a number, optionally followed by "
                f"{' or '.join(repr(u) for u in allowed)}, not {rest[:20]!r}."
            )
        return NumberReading(value=value, unit=unit)
    return NumberReading(value=value, unit=None)


def within_tolerance(value: float, target: float, tolerance: float) -> bool:
    """``|value - target| <= tolerance``, forgiving binary rounding (0.1 + 0.2 is 0.3 here)."""
    slack = 1e-9 * max(1.0, abs(target), abs(tolerance))
    return abs(value - target) <= tolerance + slack


def format_number(value: float) -> str:
    """Shortest text that reads back as ``value``: 8 not 8.0, 0.1 not 0.1000000000000000055."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
