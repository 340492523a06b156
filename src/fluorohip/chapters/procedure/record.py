"""The procedure record of chapter 05: the choices a form offers, the plausible range of each
number, and the checks that refuse an incomplete or contradictory record.

Numbers typed into the form go through :func:`fluorohip.core.inputs.parse_number` (the course's
one number checker); every problem is collected, so the learner sees them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fluorohip.chapters.injectates.volume import volume_check
from fluorohip.core.inputs import InputError, parse_number

from .facts import FACTS, fact_value
from .technique import APPROACHES, PATTERN_ACTIONS

__all__ = [
    "ANAESTHETICS",
    "CONTRAST_AGENTS",
    "RANGES",
    "SIDES",
    "STEROIDS",
    "ProcedureRecord",
    "RecordError",
    "build_record",
]


CONTRAST_AGENTS = ("iohexol 300", "iopamidol 300", "none (contrast reaction history)")
ANAESTHETICS = (
    "lidocaine 1%",
    "lidocaine 2%",
    "bupivacaine 0.25%",
    "bupivacaine 0.5%",
    "ropivacaine 0.2%",
    "none",
)
STEROIDS = (
    "triamcinolone acetonide",
    "triamcinolone hexacetonide",
    "methylprednisolone acetate",
    "none",
)
SIDES = ("left", "right")
RANGES = {  # field: (low, high, unit); plausibility limits for a teaching form, not clinical limits
    "fluoro_time_s": (0.1, 600.0, "s"),
    "dap_ugy_m2": (0.1, 2000.0, "µGy·m²"),
    "images_saved": (1, 20, "images"),
    "contrast_ml": (0.0, 20.0, "mL"),
    "anaesthetic_ml": (0.0, 20.0, "mL"),
    "steroid_mg": (0.0, 120.0, "mg"),
    "steroid_ml": (0.0, 5.0, "mL"),
    "pain_before": (0, 10, "(0-10 scale)"),
    "pain_after": (0, 10, "(0-10 scale)"),
}


class RecordError(ValueError):
    """Every problem with a documentation record, one message per field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ProcedureRecord:
    side: str
    approach: str
    pattern: str
    images_saved: int
    fluoro_time_s: float
    dap_ugy_m2: float
    contrast_agent: str
    contrast_ml: float
    anaesthetic: str
    anaesthetic_ml: float
    steroid: str
    steroid_mg: float
    steroid_ml: float
    pain_before: int
    pain_after: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total_volume_ml(self) -> float:
        return self.contrast_ml + self.anaesthetic_ml + self.steroid_ml

    def summary(self) -> str:
        t, d = FACTS["fluoro_time_mean"], FACTS["dap_mean"]
        lines = [
            f"{self.side.capitalize()} hip injection, {self.approach} approach; confirmation: {self.pattern} contrast.",
            f"Images saved: {self.images_saved}. Fluoroscopy time {self.fluoro_time_s:g} s; DAP {self.dap_ugy_m2:g} µGy·m² "
            f"({self.dap_ugy_m2 / 100:.3f} Gy·cm²) (series mean {t.value:g} s and {d.value:g} µGy·m²).",
            f"Contrast: {self.contrast_agent}, {self.contrast_ml:g} mL. Local anaesthetic: {self.anaesthetic}, "
            f"{self.anaesthetic_ml:g} mL. Steroid: {self.steroid}"
            + (
                f", {self.steroid_mg:g} mg in {self.steroid_ml:g} mL."
                if self.steroid != "none"
                else "."
            ),
            f"Total volume {self.total_volume_ml:g} mL. Pain {self.pain_before}/10 before, {self.pain_after}/10 after.",
        ]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])


def _choice(problems: list[str], name: str, value, options) -> str:
    """``value`` as one of ``options``, or a message in ``problems`` listing them."""
    text = str(value).strip() if value is not None else ""
    if text not in options:
        problems.append(f"{name} must be one of: {', '.join(options)}; got {value!r}")
    return text


def _number_or_problem(problems: list[str], name: str, value, integer: bool = False):
    """``value`` checked by :func:`parse_number` against :data:`RANGES`; on failure the message
    goes to ``problems`` (so every bad field is reported at once) and the answer is None."""
    low, high, unit = RANGES[name]
    try:
        x = parse_number(value, name, low, high, unit)
    except InputError as e:
        problems.append(str(e))
        return None
    if integer:
        if x != int(x):
            problems.append(
                f"{name} must be a whole number between {low:g} and {high:g}; got {value!r}"
            )
            return None
        return int(x)
    return x


def build_record(
    *,
    side,
    approach,
    pattern,
    images_saved,
    fluoro_time_s,
    dap_ugy_m2,
    contrast_agent,
    contrast_ml,
    anaesthetic,
    anaesthetic_ml,
    steroid,
    steroid_mg,
    steroid_ml,
    pain_before,
    pain_after,
) -> ProcedureRecord:
    """Validate every field and build the record, or raise :class:`RecordError` listing each problem."""
    p: list[str] = []
    rec = dict(
        side=_choice(p, "side", side, SIDES),
        approach=_choice(p, "approach", approach, tuple(a.name for a in APPROACHES)),
        pattern=_choice(p, "pattern", pattern, tuple(PATTERN_ACTIONS)),
        images_saved=_number_or_problem(p, "images_saved", images_saved, integer=True),
        fluoro_time_s=_number_or_problem(p, "fluoro_time_s", fluoro_time_s),
        dap_ugy_m2=_number_or_problem(p, "dap_ugy_m2", dap_ugy_m2),
        contrast_agent=_choice(p, "contrast_agent", contrast_agent, CONTRAST_AGENTS),
        contrast_ml=_number_or_problem(p, "contrast_ml", contrast_ml),
        anaesthetic=_choice(p, "anaesthetic", anaesthetic, ANAESTHETICS),
        anaesthetic_ml=_number_or_problem(p, "anaesthetic_ml", anaesthetic_ml),
        steroid=_choice(p, "steroid", steroid, STEROIDS),
        steroid_mg=_number_or_problem(p, "steroid_mg", steroid_mg),
        steroid_ml=_number_or_problem(p, "steroid_ml", steroid_ml),
        pain_before=_number_or_problem(p, "pain_before", pain_before, integer=True),
        pain_after=_number_or_problem(p, "pain_after", pain_after, integer=True),
    )
    if not p:  # cross-field rules, only once every field parsed
        if rec["contrast_agent"].startswith("none") and rec["contrast_ml"] > 0:
            p.append("contrast_ml must be 0 when contrast_agent is 'none'")
        if not rec["contrast_agent"].startswith("none") and rec["contrast_ml"] == 0:
            p.append(
                "contrast_ml is 0: record the volume of the contrast agent given, or choose 'none'"
            )
        if rec["anaesthetic"] == "none" and rec["anaesthetic_ml"] > 0:
            p.append("anaesthetic_ml must be 0 when anaesthetic is 'none'")
        if rec["steroid"] == "none" and (rec["steroid_mg"] > 0 or rec["steroid_ml"] > 0):
            p.append("steroid_mg and steroid_ml must be 0 when steroid is 'none'")
        if rec["steroid"] != "none" and (rec["steroid_mg"] == 0 or rec["steroid_ml"] == 0):
            p.append(
                f"steroid is {rec['steroid']}: record its dose (steroid_mg) and volume (steroid_ml)"
            )
        drug_given = rec["anaesthetic_ml"] > 0 or rec["steroid_mg"] > 0
        if drug_given and rec["pattern"] != "intra-articular":
            p.append(
                f"pattern is {rec['pattern']}: the drug belongs in the joint; reposition and confirm an "
                "intra-articular pattern before injecting (or record 0 mL)"
            )
    if p:
        raise RecordError(p)
    notes = []
    vc = volume_check(rec["contrast_ml"], rec["anaesthetic_ml"], rec["steroid_ml"])
    if vc.zone != "low pressure":
        notes.append(vc.message())
    if rec["fluoro_time_s"] > 3 * fact_value("fluoro_time_mean"):
        notes.append(
            f"fluoroscopy time is more than three times the series mean of {FACTS['fluoro_time_mean'].value:g} s: "
            "review technique (pulse rate, last-image-hold, fewer presses)"
        )
    return ProcedureRecord(**rec, notes=tuple(notes))
