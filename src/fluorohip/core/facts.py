"""One cited clinical number: :class:`Fact`, shared by every chapter module.

A chapter keeps its numbers in a ``FACTS`` dict of :class:`Fact` (value, unit, range and the
citation keys that resolve in ``assets/references.yaml``); code and notebook text take the
numbers from there, so a number is typed once. Pure Python, no widgets.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING

__all__ = ["Fact", "citation_keys"]

#: Units written straight after the number ("23°", "15%", "2×"); every other unit gets a space.
_UNITS_WITHOUT_SPACE = ("%", "°", "×")


@dataclass(frozen=True)
class Fact:
    """A cited number.

    ``value`` is the figure used in code and text, or ``None`` when the source gives only a
    range; ``low``-``high`` is the range the sources give (both or neither, ``low <= value <=
    high``). ``keys`` are the citation keys: pass one key as a string or several as a tuple;
    the field always holds a tuple. ``population`` says who was measured, ``note`` anything
    else a reader needs, ``sd`` a reported standard deviation. ``derived`` marks arithmetic on
    cited numbers; ``weak`` a figure the course files under *common practice, weakly sourced*.

    Only ``value, unit, keys, population`` may be given by position; the rest by name, so a
    range cannot be mistaken for a population.
    """

    value: float | None
    unit: str
    keys: tuple[str, ...]
    population: str = ""
    _: KW_ONLY
    low: float | None = None
    high: float | None = None
    sd: float | None = None
    note: str = ""
    derived: bool = False
    weak: bool = False

    if TYPE_CHECKING:  # what callers may pass: one key as a string, or several as a tuple

        def __init__(
            self,
            value: float | None,
            unit: str,
            keys: str | tuple[str, ...],
            population: str = "",
            *,
            low: float | None = None,
            high: float | None = None,
            sd: float | None = None,
            note: str = "",
            derived: bool = False,
            weak: bool = False,
        ) -> None: ...

    def __post_init__(self) -> None:
        keys = (self.keys,) if isinstance(self.keys, str) else tuple(self.keys)
        if not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            raise ValueError(
                f"a Fact needs at least one citation key (non-empty strings); got {self.keys!r}"
            )
        object.__setattr__(self, "keys", keys)
        where = f"Fact({self.value!r} {self.unit!r} [{', '.join(keys)}])"
        for name in ("value", "low", "high", "sd"):
            x = getattr(self, name)
            if x is not None and (
                isinstance(x, bool) or not isinstance(x, numbers.Real) or math.isnan(x)
            ):
                raise ValueError(f"{where}: {name} must be a number or None; got {x!r}")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{where}: give both low and high, or neither")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"{where}: low ({self.low:g}) is above high ({self.high:g})")
            if self.value is not None and not self.low <= self.value <= self.high:
                raise ValueError(
                    f"{where}: value {self.value:g} is outside its range {self.low:g}-{self.high:g}"
                )
        elif self.value is None:
            raise ValueError(f"{where}: give a value, a low-high range, or both")

    @property
    def key(self) -> str:
        """The first (main) citation key."""
        return self.keys[0]

    @property
    def cite(self) -> str:
        """Markdown citation of every key, e.g. ``[@Mehta2018]`` or ``[@Mehta2018][@FemoralNerveOA2021]``."""
        return "".join(f"[@{k}]" for k in self.keys)

    @property
    def range(self) -> tuple[float, float]:
        """``(low, high)``, or ``(value, value)`` when the source gives a single figure."""
        if self.low is None or self.high is None:
            assert self.value is not None  # __post_init__: a value, a range, or both
            return (self.value, self.value)
        return (self.low, self.high)

    def text(self, digits: int | None = None, *, dash: str = "\u2013") -> str:
        """The number as a learner reads it: ``"14–20 mL"``, ``"23–33°"`` or ``"6 mm"``.

        Shows the range when the source gives one, else the value. ``digits`` fixes the
        decimals; by default whole numbers print whole ("1,050") and others with one decimal.
        """
        low, high = self.range
        if self.low is not None and low != high:
            core = f"{_fmt(low, digits)}{dash}{_fmt(high, digits)}"
        else:
            core = _fmt(self.value if self.value is not None else low, digits)
        if not self.unit:
            return core
        return f"{core}{self.unit}" if self.unit in _UNITS_WITHOUT_SPACE else f"{core} {self.unit}"


def _fmt(x: float, digits: int | None) -> str:
    if digits is not None:
        return f"{x:.{digits}f}"
    return f"{x:,.1f}" if x != int(x) else f"{int(x):,}"


def citation_keys(facts: Mapping[str, Fact]) -> set[str]:
    """Every citation key the facts in ``facts`` use (for the test that keys resolve)."""
    return {k for f in facts.values() for k in f.keys}
