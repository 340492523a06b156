"""Input checks whose errors say which parameter, what range, and what was received."""

from __future__ import annotations

import math
from numbers import Real


def check_number(name: str, x, lo: float, hi: float) -> float:
    """Return ``x`` as a float if it is a finite number in [lo, hi]; else ValueError.

    Strings are accepted only if they parse as a number (a widget text box sends "12.5").
    """
    received = x
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a number between {lo:g} and {hi:g}; got {received!r}")
    if isinstance(x, str):
        try:
            x = float(x.strip())
        except ValueError:
            raise ValueError(
                f"{name} must be a number between {lo:g} and {hi:g}; got {received!r}"
            ) from None
    if not isinstance(x, Real):
        try:
            x = float(x)  # numpy scalars
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a number between {lo:g} and {hi:g}; got {received!r}"
            ) from None
    x = float(x)
    if not math.isfinite(x) or x < lo or x > hi:
        raise ValueError(f"{name} must be between {lo:g} and {hi:g}; got {received!r}")
    return x


def check_choice(name: str, x, choices) -> str:
    if x not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}; got {x!r}")
    return x
