"""Assessment mode never names the answer: the words the exercise may not print while the resident
works (tissue, offsets, pattern names), and the check every message passes through.
"""

from __future__ import annotations

import re

__all__ = ["FORBIDDEN", "assert_neutral", "leaks"]

# Words that give away tissue, target, offset or pattern. Bone contact is felt, so 'bone' is allowed.
FORBIDDEN = (
    "intra-articular",
    "intraarticular",
    "articular",
    "capsul",
    "bursa",
    "bursal",
    "muscle",
    "muscul",
    "subcutaneous",
    "fat",
    "vascular",
    "vessel",
    "artery",
    "vein",
    "target",
    "offset",
    "mm from",
    "medial of",
    "lateral of",
    "cranial of",
    "caudal of",
    "in the joint",
    "outside the joint",
    "tip is in",
    "tip in ",
    "pattern:",
    "correct",
    "wrong",
)
_FORBIDDEN_RE = re.compile("|".join(re.escape(w) for w in FORBIDDEN), re.IGNORECASE)


def leaks(text: str) -> list[str]:
    """Forbidden words found in ``text`` (empty list if the text gives nothing away)."""
    return sorted({m.group(0).lower() for m in _FORBIDDEN_RE.finditer(text or "")})


def assert_neutral(text: str) -> str:
    found = leaks(text)
    if found:
        raise AssertionError(f"assessment-mode text gives away {found}: {text!r}")
    return text
