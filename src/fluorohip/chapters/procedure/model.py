"""Chapter 05, the procedure step by step, as one pure model: the public names of
:mod:`.facts`, :mod:`.equipment`, :mod:`.technique`, :mod:`.record`, :mod:`.aftercare` and
:mod:`.guided_run` in one namespace, plus :func:`all_citation_keys` over all of them.

Pure Python (no widgets, no matplotlib): :mod:`.views` and :mod:`.figures` draw and wire it.
Anatomy numbers come from :mod:`fluorohip.anatomy` and drug numbers from
:mod:`fluorohip.pharmacology`, never retyped.
"""

from __future__ import annotations

from fluorohip.core.bibliography import find_citations

from .aftercare import AFTERCARE, RED_FLAGS, Advice
from .equipment import (
    PATIENTS,
    REFERENCE_BMI,
    Item,
    SimPatient,
    equipment_list,
    extra_fat_mm,
    needle_for,
    needle_margin_mm,
    patient,
    skin_to_target_mm,
)
from .facts import BORROWED, FACTS, fact
from .guided_run import (
    IMAGE_SECONDS,
    READ_OPTIONS,
    SCORING,
    GuidedRun,
    RunEvent,
    direction_words,
    scripted_hit,
)
from .record import (
    ANAESTHETICS,
    CONTRAST_AGENTS,
    RANGES,
    SIDES,
    STEROIDS,
    ProcedureRecord,
    RecordError,
    build_record,
)
from .technique import (
    APPROACHES,
    PATTERN_ACTIONS,
    STEPS,
    TARGETS,
    Approach,
    PatternAction,
    Step,
    action_for,
    check_order,
    step_ids,
)

__all__ = [
    "AFTERCARE",
    "ANAESTHETICS",
    "APPROACHES",
    "BORROWED",
    "CONTRAST_AGENTS",
    "FACTS",
    "IMAGE_SECONDS",
    "PATIENTS",
    "PATTERN_ACTIONS",
    "RANGES",
    "READ_OPTIONS",
    "RED_FLAGS",
    "REFERENCE_BMI",
    "SCORING",
    "SIDES",
    "STEPS",
    "STEROIDS",
    "TARGETS",
    "Advice",
    "Approach",
    "GuidedRun",
    "Item",
    "PatternAction",
    "ProcedureRecord",
    "RecordError",
    "RunEvent",
    "SimPatient",
    "Step",
    "action_for",
    "all_citation_keys",
    "build_record",
    "check_order",
    "direction_words",
    "equipment_list",
    "extra_fat_mm",
    "fact",
    "needle_for",
    "needle_margin_mm",
    "patient",
    "scripted_hit",
    "skin_to_target_mm",
    "step_ids",
]


def all_citation_keys() -> set[str]:
    """Every citation key the chapter's facts and tables use (the test checks each resolves)."""
    keys = {k for f in (FACTS | BORROWED).values() for k in f.keys}
    texts = [i.cite for p in PATIENTS for i in equipment_list(p)] + [
        p.note for p in PATIENTS.values()
    ]
    texts += [a.cite for a in APPROACHES] + list(TARGETS.values()) + [s.cite for s in STEPS]
    texts += [p.meaning + p.action + p.cite for p in PATTERN_ACTIONS.values()]
    texts += [a.advice + a.cite for a in AFTERCARE + RED_FLAGS]
    for t in texts:
        keys |= set(find_citations(t))
    return keys
