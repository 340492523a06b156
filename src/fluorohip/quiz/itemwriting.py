"""Item-writing checks: the technical flaws that let a test-wise learner score without knowing.

The rules and their thresholds come from the NBME item-writing manual (Case & Swanson,
*Constructing Written Test Questions for the Basic and Clinical Sciences*, 3rd ed., 2002;
Paniagua & Swygert eds., 4th ed., 2016), section on technical item flaws; CONTRIBUTING.md
("Item writing") states each threshold and why. Every finding is a
:class:`~fluorohip.core.problems.Problem` (``file:line: id: field: message``), reported by
``fluorohip validate`` beside the schema errors, and fails it like them.

Per bank (single-best-answer items, case stages included):

- the keyed option sits in one bank position in more than :data:`MAX_POSITION_SHARE`;
- the keyed option is the longest option in more than :data:`MAX_LONGEST_SHARE`;
- the first option (A) is keyed in every multiple-response item.

Per item: absolute words in a distractor, "all/none of the above", a negative lead-in
(NOT, EXCEPT, LEAST ...) without emphasis, two options with the same text.

Positions are *bank* positions (the order an author reads and the answer key prints); the
quiz shows each learner a shuffled order (:mod:`fluorohip.quiz.order`), so this check
guards authors' habits, the printed key and any export that keeps bank order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.problems import Problem
from ..core.yamlread import YamlDoc
from .order import LETTERS
from .types import QuestionType, type_named

#: Largest share of a bank's single-best-answer keys allowed in one bank position.
MAX_POSITION_SHARE = 0.40
#: Largest share of a bank's single-best-answer items whose key is the (strictly) longest option.
MAX_LONGEST_SHARE = 0.40
#: Banks with fewer single-best-answer items than this are too small for the two share checks.
MIN_ITEMS_FOR_SHARES = 5
#: Banks with at least this many multiple-response items fail if one position is keyed in all.
MIN_MULTIPLE_ITEMS = 3

ABSOLUTE_WORDS = ("always", "never", "all", "every", "only")
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)
_OF_THE_ABOVE = re.compile(
    r"\b(all|none|both|neither)\s+of\s+the\s+(above|options|answers)\b", re.IGNORECASE
)
_NEGATIVE = re.compile(
    r"(\*\*|__)?\b(not|except|least|false|incorrect|untrue)\b(\*\*|__)?(?![- ](positive|negative))",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_`]")


@dataclass
class KeyedPosition:
    """Where one single-best-answer item keeps its key, for the bank-level tallies."""

    path: tuple[Any, ...]
    qid: str
    position: int
    keyed_longest: bool


def _text(x: Any) -> str:
    return x if isinstance(x, str) else ""


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", _plain(text).casefold()).strip()


def _options(q: dict) -> list[dict]:
    opts = q.get("options")
    return [o for o in opts if isinstance(o, dict)] if isinstance(opts, list) else []


def _questions(doc: YamlDoc) -> list[Any]:
    data = doc.data if isinstance(doc.data, dict) else {}
    questions = data.get("questions")
    return questions if isinstance(questions, list) else []


def _keyed_is_longest(lengths: list[int], keyed: int) -> bool:
    """Whether the keyed option is strictly longer than every other option."""
    others = (length for j, length in enumerate(lengths) if j != keyed)
    return lengths[keyed] > max(others, default=-1)


def _lead_in(stem: str) -> str:
    """The question the stem asks: its last sentence with a question mark, else its last sentence."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!:])\s+", stem.strip()) if s.strip()]
    asked = [s for s in sentences if "?" in s]
    return (asked or sentences or [""])[-1]


def option_items(
    questions: list[Any], base: tuple[Any, ...] = ("questions",)
) -> Iterator[tuple[tuple[Any, ...], str, dict[str, Any], QuestionType[Any]]]:
    """Every item answered by picking options (path, id, data, type), case stages included."""
    for i, q in enumerate(questions):
        if not isinstance(q, dict):
            continue
        path = base + (i,)
        qid = _text(q.get("id")) or f"{base[-1]}[{i}]"
        qtype = type_named(q.get("type"))
        if qtype is None:
            continue
        if qtype.has_stages and isinstance(q.get("stages"), list):
            for j, stage in enumerate(q["stages"]):
                stage_type = type_named(stage.get("type")) if isinstance(stage, dict) else None
                if stage_type is not None and stage_type.keyed_option_ids(stage) is not None:
                    yield (
                        path + ("stages", j),
                        f"{qid}/{_text(stage.get('id')) or j}",
                        stage,
                        stage_type,
                    )
        elif qtype.keyed_option_ids(q) is not None:
            yield path, qid, q, qtype


def item_writing_problems(doc: YamlDoc, shown_as: str) -> list[Problem]:
    """Every item-writing flaw in one bank, as problems located by line."""
    questions = _questions(doc)
    data = doc.data if isinstance(doc.data, dict) else {}
    bank_id = _text(data.get("bank")) or None
    out: list[Problem] = []

    def add(path: tuple, item: str | None, field: str | None, message: str) -> None:
        out.append(Problem(shown_as, doc.line(path), item, field, message))

    singles: list[KeyedPosition] = []
    multiples: list[tuple[tuple, str, set[int]]] = []
    for path, qid, q, qtype in option_items(questions):
        opts = _options(q)
        ids = [_text(o.get("id")) for o in opts]
        answer = q.get("answer")
        keyed = qtype.keyed_option_ids(q) or set()
        # duplicate options
        seen: dict[str, int] = {}
        for j, o in enumerate(opts):
            norm = _norm(_text(o.get("text")))
            if norm and norm in seen:
                add(
                    path + ("options", j, "text"),
                    qid,
                    f"options[{j}].text",
                    f"same text as option {ids[seen[norm]]!r}; every option must be a different answer",
                )
            seen.setdefault(norm, j)
        # all / none of the above
        for j, o in enumerate(opts):
            m = _OF_THE_ABOVE.search(_text(o.get("text")))
            if m:
                add(
                    path + ("options", j, "text"),
                    qid,
                    f"options[{j}].text",
                    f"'{m.group(0)}' option: write a specific answer instead (NBME: rewards partial knowledge)",
                )
        # absolute words in distractors
        for j, o in enumerate(opts):
            if ids[j] in keyed or _OF_THE_ABOVE.search(_text(o.get("text"))):
                continue
            words = sorted({w.lower() for w in _ABSOLUTE.findall(_text(o.get("text")))})
            if words:
                add(
                    path + ("options", j, "text"),
                    qid,
                    f"options[{j}].text",
                    f"distractor uses the absolute word{'s' if len(words) > 1 else ''} {', '.join(map(repr, words))}, "
                    "which a test-wise learner rules out without knowing the content; state the wrong claim specifically",
                )
        # negative lead-in without emphasis
        lead = _lead_in(_text(q.get("stem")))
        for m in _NEGATIVE.finditer(lead):
            word = m.group(2)
            emphasised = bool(m.group(1) and m.group(3)) or (word.isupper() and len(word) > 1)
            if not emphasised:
                add(
                    path + ("stem",),
                    qid,
                    "stem",
                    f"negative lead-in {word!r} without emphasis: rephrase positively, or write **{word.upper()}**",
                )
                break
        # bank-level tallies
        lengths = [len(_plain(_text(o.get("text")))) for o in opts]
        if qtype.one_key and answer in ids:
            k = ids.index(str(answer))
            singles.append(KeyedPosition(path, qid, k, _keyed_is_longest(lengths, k)))
        elif not qtype.one_key and keyed:
            multiples.append((path, qid, {ids.index(a) for a in keyed if a in ids}))

    where = ("questions",)
    n = len(singles)
    if n >= MIN_ITEMS_FOR_SHARES:
        counts = Counter(s.position for s in singles)
        pos, top = counts.most_common(1)[0]
        if top / n > MAX_POSITION_SHARE:
            spread = ", ".join(f"{LETTERS[p]} {counts[p]}" for p in sorted(counts))
            add(
                where,
                bank_id,
                "answer",
                f"keyed option is in bank position {LETTERS[pos]} in {top} of {n} single-best-answer items "
                f"({top / n:.0%}; {spread}); at most {MAX_POSITION_SHARE:.0%} may share a position "
                "(CONTRIBUTING.md, Item writing)",
            )
        keyed_longest = [s for s in singles if s.keyed_longest]
        if len(keyed_longest) / n > MAX_LONGEST_SHARE:
            add(
                where,
                bank_id,
                "options",
                f"keyed option is the longest in {len(keyed_longest)} of {n} single-best-answer items "
                f"({len(keyed_longest) / n:.0%}); at most {MAX_LONGEST_SHARE:.0%} (CONTRIBUTING.md, Item writing). "
                f"Items: {', '.join(s.qid for s in keyed_longest)}",
            )
    if len(multiples) >= MIN_MULTIPLE_ITEMS and all(0 in m[2] for m in multiples):
        add(
            where,
            bank_id,
            "answer",
            f"option A is keyed in every one of the {len(multiples)} multiple-response items; "
            "put a wrong option first in some of them",
        )
    return out


def bank_stats(doc: YamlDoc) -> dict[str, Any]:
    """Keyed-position counts and keyed-longest share of one bank (for authors' reports)."""
    questions = _questions(doc)
    positions: Counter[str] = Counter()
    longest = singles = 0
    for _path, _qid, q, qtype in option_items(questions):
        if not qtype.one_key:
            continue
        opts = _options(q)
        ids = [_text(o.get("id")) for o in opts]
        if q.get("answer") not in ids:
            continue
        k = ids.index(q["answer"])
        lengths = [len(_plain(_text(o.get("text")))) for o in opts]
        singles += 1
        positions[LETTERS[k]] += 1
        longest += _keyed_is_longest(lengths, k)
    return {
        "single": singles,
        "positions": dict(sorted(positions.items())),
        "keyed_longest": longest,
    }
