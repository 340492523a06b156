"""The consent conversation: which risks this patient should hear, and a plain-language model.

Why generated: the paragraphs and the risk list follow what the patient is actually having
(steroid, contrast, an anticoagulant, a hip replacement soon), and every number comes from
:mod:`.facts` or ``assets/selection/risks.yaml``. A model to adapt, not a form to read out.
Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .data import load_risks
from .facts import FACTS, single_value
from .record import ANTICOAGULANTS, PURPOSES
from .risks import Risk, plain_frequency

__all__ = ["ConsentPlan", "consent_text", "plan_conditions", "risks_for"]


@dataclass(frozen=True)
class ConsentPlan:
    """What the patient is having: decides which risks and paragraphs the conversation needs."""

    purpose: str = "both"
    steroid: bool = True
    contrast: bool = True
    mr_arthrogram: bool = False
    diabetes: bool = False
    anticoagulant: str = "none"
    tha_within_3_months: bool = False

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}; got {self.purpose!r}")
        if self.anticoagulant not in ANTICOAGULANTS:
            raise ValueError(
                f"anticoagulant must be one of {', '.join(ANTICOAGULANTS)}; got {self.anticoagulant!r}"
            )
        if self.mr_arthrogram and not self.contrast:
            raise ValueError("mr_arthrogram needs contrast (an arthrogram is a contrast injection)")
        for name in ("steroid", "contrast", "mr_arthrogram", "diabetes", "tha_within_3_months"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false; got {getattr(self, name)!r}")


def plan_conditions(plan: ConsentPlan) -> set[str]:
    on = {"always"}
    if plan.steroid:
        on.add("steroid")
    if plan.contrast:
        on.add("contrast")
    if plan.mr_arthrogram:
        on.add("mr_arthrography")
    if plan.diabetes and plan.steroid:
        on.add("diabetes_and_steroid")
    if plan.anticoagulant == "warfarin":
        on.add("warfarin")
    if plan.anticoagulant == "doac":
        on.add("doac")
    if plan.tha_within_3_months:
        on.add("tha_soon")
    return on


def risks_for(plan: ConsentPlan, risks: Iterable[Risk] | None = None) -> list[Risk]:
    """The risks this patient should hear about, in file order."""
    risks = load_risks() if risks is None else risks
    on = plan_conditions(plan)
    return [r for r in risks if on.intersection(r.applies_when)]


PURPOSE_TEXT = {
    "diagnostic": (
        "The aim is to find out whether your pain comes from inside the hip joint. We put "
        "numbing medicine into the joint and you record your pain over the next hours. If the "
        "pain goes, the joint is the likely source."
    ),
    "therapeutic": (
        "The aim is to ease the pain from your hip joint for a while with a steroid (a strong "
        "anti-inflammatory) placed inside the joint."
    ),
    "both": (
        "There are two aims. The numbing medicine tells us within hours whether the pain comes "
        "from inside the joint, and the steroid may ease it for some weeks."
    ),
}


def consent_text(plan: ConsentPlan, risks: Iterable[Risk] | None = None) -> str:
    """A consent conversation in plain language, as Markdown with ``[@Key]`` citations.

    The numbers come from ``assets/selection/risks.yaml`` and :data:`FACTS`; the wording is
    the course's own. It is a model to adapt, not a form to read out.
    """
    chosen = risks_for(plan, risks)
    out = ["**Why we are doing it.** " + PURPOSE_TEXT[plan.purpose]]
    out.append(
        "**What you will feel.** You lie on your back on the x-ray table. The skin is cleaned "
        "and numbed, which stings briefly; then you may feel pressure as the thin needle reaches "
        "the joint. We take a few short x-ray pictures to guide the needle"
        + (
            " and inject a little x-ray dye to check it is inside the joint"
            if plan.contrast
            else ""
        )
        + f". The x-ray time is usually under a minute (about {FACTS['screening_s'].text()} on average "
        "in a large series), a dose of the order of one or two ordinary hip x-rays "
        "[@TrainingLevelDose2017][@Mayne2024]."
    )
    if plan.purpose in ("diagnostic", "both"):
        out.append(
            "**The pain diary.** Write down your pain score before the injection and at set times "
            "afterwards, doing things that usually hurt. Relief in the first hours comes from the "
            "numbing medicine. No relief does not completely rule out the hip: the test misses "
            "some hip problems [@Byrd2004]."
        )
    if plan.steroid:
        out.append(
            "**How much it helps.** Steroid usually starts to work over days, helps most at about "
            f"{FACTS['steroid_peak_weeks'].text()} and moderately up to about "
            f"{FACTS['steroid_moderate_to_weeks'].text()} [@McCabe2016]; in trials it beat placebo at "
            "3 months but not at 6 [@MultipleInjectionNMA2024]. Some people get little benefit; in "
            "one large trial steroid with numbing medicine was not clearly better than numbing "
            "medicine alone [@Paskins2022]. It does not repair the joint."
        )
    lines = ["**The risks, and how often they happen.**"]
    for r in chosen:
        cites = "".join(f"[@{k}]" for k in r.keys)
        lines.append(
            f"- *{r.name}*: {plain_frequency(r)}. {r.what}\n  - *For you, not to read out:* "
            f"{r.context} {cites}"
        )
    out.append("\n".join(lines))
    if plan.anticoagulant != "none":
        out.append(
            "**Your blood thinner.** Please keep taking it unless your own doctor tells you "
            "otherwise: joint injections are treated as a low bleeding-risk procedure "
            "[@Patel2019][@Uson2021]."
        )
    out.append(
        "**Other choices.** You can wait and see; exercise, weight loss if overweight and "
        "anti-inflammatory tablets are strongly recommended for hip osteoarthritis [@Kolasinski2020]; "
        "the injection can also be guided by ultrasound; further scans (such as MRI) answer some "
        "questions better [@Mintz2016]; and surgery is an option for some hips."
    )
    out.append(
        "**Afterwards.** The leg may feel numb or weak for a few hours; many departments advise "
        "not driving that day (local practice varies), so arrange a lift. Call us urgently for a "
        "hot swollen hip, fever or being unable to put weight on the leg, even weeks later "
        "(infections were diagnosed a median "
        f"{single_value(FACTS['septic_median_weeks']):g} weeks after injection) [@Mueller2026]. Ask the "
        "department about any costs and how much time to take off work."
    )
    return "\n\n".join(out)
