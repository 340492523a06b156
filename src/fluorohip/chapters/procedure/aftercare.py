"""Aftercare and red flags of chapter 05: what to tell the patient, and when to come back.

Complication timings are taken from :mod:`.facts` (typed once). Advice without a published
trial is marked ``weak`` and the views say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import BORROWED, FACTS

#: Time from a steroid injection to the diagnosis of septic arthritis (median, range).
_SEPSIS = FACTS["septic_arthritis_weeks"]

__all__ = ["AFTERCARE", "RED_FLAGS", "Advice"]


@dataclass(frozen=True)
class Advice:
    topic: str
    advice: str
    cite: str
    weak: bool = False


AFTERCARE: tuple[Advice, ...] = (
    Advice(
        "Observation",
        "Observe briefly after the injection, with resuscitation equipment nearby.",
        "[@Uson2021]",
    ),
    Advice(
        "Leg weakness and falls",
        "Anaesthetic reaching the femoral nerve may cause temporary quadriceps weakness: walk with help until "
        "strength returns.",
        "",
        weak=True,
    ),
    Advice(
        "Driving", "Many services advise no driving that day (no published trial).", "", weak=True
    ),
    Advice(
        "Pain diary",
        "Record pain at rest and on the provoking activity at fixed times: the anaesthetic answer "
        "comes in the first hours; the steroid effect builds over days (chapter 06).",
        "[@PreopInjectionTHA2022][@McCabe2016]",
    ),
    Advice(
        "Steroid flare",
        "Pain can rise for a few days after a steroid injection "
        f"({BORROWED['flare_shoulder_percent'].value:.0f}% of shoulder injections on "
        "a broad definition, mean 3.9 days); infection usually declares itself later.",
        "[@Fawi2017]",
    ),
    Advice("Diabetes", "Check blood glucose, especially on days 1-3.", "[@Uson2021][@Habib2011]"),
    Advice("Follow-up", "Review the diary and decide the next step (chapter 06).", "[@Uson2021]"),
)

RED_FLAGS: tuple[Advice, ...] = (
    Advice(
        "Septic arthritis",
        "Worsening pain, swelling, fever or inability to bear weight: urgent review. It may "
        f"appear weeks later (median {_SEPSIS.value:g} weeks, up to {_SEPSIS.high:g}).",
        "[@Mueller2026]",
    ),
    Advice(
        "Escalating pain weeks to months later",
        "Image for insufficiency fracture or rapidly progressive joint destruction.",
        "[@Kompel2019]",
    ),
    Advice(
        "Contrast or drug reaction",
        "Rash, wheeze or collapse: stop, treat, record the agent for next time.",
        "[@Hugo1998][@Macy2018]",
    ),
    Advice(
        "Local anaesthetic toxicity",
        "Perioral numbness, metallic taste, tinnitus or agitation after an "
        "inadvertent intravascular injection: stop and follow the ASRA checklist.",
        "[@El-Boghdadly2018]",
    ),
)
