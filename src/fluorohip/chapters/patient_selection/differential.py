"""The differential diagnosis of hip pain: conditions by compartment, filtered and sorted.

Why it sits in this chapter: a hip joint injection answers a question about the joint only, so
a resident first places the pain inside the joint, outside it, referred, or a red flag. The
conditions are data an instructor edits (``assets/selection/differential.yaml``, read by
:mod:`.data`). Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["COMPARTMENTS", "SORT_FIELDS", "Condition", "filter_sort_conditions"]

COMPARTMENTS = ("intra-articular", "extra-articular", "referred", "red-flag")


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    compartment: str
    where: str
    clues: str
    first_test: str
    injection: str
    keys: tuple[str, ...]


SORT_FIELDS = ("name", "compartment", "where", "first_test")


def filter_sort_conditions(
    conditions: Iterable[Condition],
    compartment: str = "all",
    sort_by: str = "compartment",
    text: str = "",
) -> list[Condition]:
    """Filter by compartment and free text (any field), then sort by a field (then name)."""
    if compartment != "all" and compartment not in COMPARTMENTS:
        raise ValueError(
            f"compartment must be 'all' or one of {', '.join(COMPARTMENTS)}; got {compartment!r}"
        )
    if sort_by not in SORT_FIELDS:
        raise ValueError(f"sort_by must be one of {', '.join(SORT_FIELDS)}; got {sort_by!r}")
    needle = text.strip().lower()
    rows = [
        c
        for c in conditions
        if (compartment == "all" or c.compartment == compartment)
        and (
            not needle
            or needle in " ".join((c.name, c.where, c.clues, c.first_test, c.injection)).lower()
        )
    ]
    order = {c: i for i, c in enumerate(COMPARTMENTS)}
    if sort_by == "compartment":
        return sorted(rows, key=lambda c: (order[c.compartment], c.name.lower()))
    return sorted(rows, key=lambda c: (getattr(c, sort_by).lower(), c.name.lower()))
