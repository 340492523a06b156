"""The order a learner sees the options of a single or multiple question in.

Banks list options with the key wherever the author put it; showing them in bank order
lets a learner score by position ("it is always A"). Each learner gets an order fixed by
a hash of (learner, bank, item key): the same order every time that learner opens the
item, so a re-run does not reshuffle under them, and a different order for another
learner or item. Everything downstream (grading, the progress store, review, the answer
key, the class report) works on option *ids*, never on positions, so the order shown is
free to change.

The learner is ``FLUOROHIP_LEARNER`` (set per user on the workshop hub); without it the
order is still fixed per bank and item, which keeps executed notebooks deterministic.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence


def learner_seed() -> str:
    """Who is answering, for seeding: ``FLUOROHIP_LEARNER`` or '' when unset."""
    return (os.environ.get("FLUOROHIP_LEARNER") or "").strip()


def option_order(
    option_ids: Sequence[str], bank: str, item_key: str, learner: str | None = None
) -> list[str]:
    """``option_ids`` in this learner's fixed order for ``bank``/``item_key``.

    A sort by SHA-256 of the seed and the option id: deterministic across Python
    versions and platforms (no ``random`` state), independent of the bank order.
    """
    who = learner_seed() if learner is None else learner
    seed = f"{who}\x1f{bank}\x1f{item_key}"
    return sorted(option_ids, key=lambda i: hashlib.sha256(f"{seed}\x1f{i}".encode()).hexdigest())


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(i: int) -> str:
    """Position ``i`` as a letter: A, B, C ... for the first 26, then numbers."""
    return LETTERS[i] if i < len(LETTERS) else str(i + 1)


def shuffled(ids: Sequence[str], seed: str) -> list[str]:
    """A fixed, not-the-answer order for ``ids`` (an ordering question's steps): sorted by a
    hash of ``seed``, rotated by one if that happens to be the given order."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    if list(ranked) == list(ids) and len(ids) > 1:
        ranked = ranked[1:] + ranked[:1]
    return ranked


_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")
_CITATION = re.compile(r"\s*\[@([A-Za-z0-9_\-:.]+)\]")


def plain_label(text: str) -> str:
    """An option text as a control label: one line of plain text, Markdown marks removed.

    Control labels are text, not HTML, so ``**Check**`` would show its asterisks;
    citations become ``(Key)`` as in the rest of the course's short texts.
    """
    out = _EMPHASIS.sub(r"\2", " ".join(text.split()))
    return _CITATION.sub(lambda m: f" ({m.group(1)})", out)
