"""Needle-placement accuracy of hip injections, and what a miss does to a diagnostic block.

Two jobs, both pure Python (no widgets):

1. **Published accuracy** of landmark-, ultrasound- and fluoroscopy-guided hip injection,
   each study stored once as counts (successes / injections) with its reference standard
   and citation key. Confidence intervals are computed from the counts (Wilson score and
   Clopper–Pearson exact, :mod:`.intervals`); pooled meta-analytic estimates keep the interval the
   authors published, because it cannot be rebuilt from a single 2×2 count.

2. **The placement-accuracy model** used by notebooks 02 and 06. A diagnostic block only
   tests the joint if the anaesthetic reaches the joint. With placement accuracy ``a``::

       observed sensitivity = a × Se + (1 − a) × r_miss_pain
       observed specificity = 1 − [a × (1 − Sp) + (1 − a) × r_miss_no_pain]

   where ``Se``/``Sp`` are the block's sensitivity/specificity when the injectate is in the
   joint, ``r_miss_pain`` is the chance that a patient whose pain *is* intra-articular still
   reports relief after a missed injection, and ``r_miss_no_pain`` the same for a patient
   whose pain is not intra-articular. By default both "response despite a miss" terms equal
   ``1 − Sp``: a missed needle anaesthetises no joint, so relief comes only from the
   non-specific routes (placebo/contextual response, spread to a neighbouring source) that
   also explain false positives. With that default the observed specificity equals ``Sp``
   and only the sensitivity falls.

Assumptions: misses are independent of whether the pain is intra-articular; a "miss"
means no clinically useful anaesthetic in the joint (partial extra-articular spread is
lumped with misses); relief is a yes/no response at a fixed threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from fluorohip.core.facts import Fact
from fluorohip.core.inputs import parse_number

from ...core.shared_facts import SHARED
from .intervals import exact_interval, wilson_interval

__all__ = [
    "BLOCK_REFERENCE",
    "POOLED",
    "SINGH_SUBGROUPS",
    "STUDIES",
    "AccuracyStudy",
    "ObservedPerformance",
    "PooledEstimate",
    "SimulatedStudy",
    "citation_keys",
    "exact_interval",
    "observed_block_performance",
    "observed_sensitivity",
    "reference_block",
    "scenario_accuracies",
    "simulate_block_study",
    "study_rows",
    "wilson_interval",
]


# ---------------------------------------------------------------------------
# Published accuracy of needle placement (hip)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccuracyStudy:
    """One published series: ``successes`` intra-articular placements out of ``n`` injections."""

    label: str
    guidance: str  # "landmark" | "ultrasound" | "fluoroscopy"
    successes: int
    n: int
    reference_standard: str  # what "accurate" was measured against
    population: str
    key: str  # citation key in assets/references.yaml

    @property
    def proportion(self) -> float:
        return self.successes / self.n

    def wilson(self, confidence: float = 0.95) -> tuple[float, float]:
        return wilson_interval(self.successes, self.n, confidence)

    def exact(self, confidence: float = 0.95) -> tuple[float, float]:
        return exact_interval(self.successes, self.n, confidence)


@dataclass(frozen=True)
class PooledEstimate:
    """A meta-analytic pooled proportion with the interval its authors published."""

    label: str
    guidance: str
    proportion: float
    low: float
    high: float
    n: int  # injections pooled
    reference_standard: str
    key: str


#: Individual series, as counts. Order = order on the forest chart.
STUDIES: tuple[AccuracyStudy, ...] = (
    AccuracyStudy(
        "Kurup & Ward 2010: blind antero-lateral",
        "landmark",
        28,
        43,
        "contrast injected, checked on image intensifier",
        "40 consecutive clinic patients (43 hips); misses mostly obese, grade 4 OA, flexion deformity",
        "Kurup2010",
    ),
    AccuracyStudy(
        "Singh et al. 2014: landmark",
        "landmark",
        67,
        100,
        "arthrogram under image intensifier",
        "87 patients (100 hips) listed for diagnostic/therapeutic injection; consultants and registrars",
        "Singh2014",
    ),
    AccuracyStudy(
        "Arthroscopy 2013: direct anterior landmark",
        "landmark",
        51,
        55,
        "air arthrogram and arthroscopic view",
        "55 patients anaesthetised before hip arthroscopy (specialist operator)",
        "AnteriorLandmark2013",
    ),
    AccuracyStudy(
        "Smith et al. 2009: US, curvilinear probe",
        "ultrasound",
        29,
        30,
        "contrast fluoroscopy",
        "28 pain-clinic patients (30 native hips)",
        "Smith2009",
    ),
    AccuracyStudy(
        "Levi 2013: US, linear probe",
        "ultrasound",
        11,
        11,
        "contrast fluoroscopy",
        "11 injections by one experienced operator (retrospective)",
        "Levi2013",
    ),
    AccuracyStudy(
        "Moser et al. 2019: fluoroscopy, anterior-oblique",
        "fluoroscopy",
        29,
        30,
        "the procedure's own contrast image",
        "case series, anterior-oblique approach",
        "Moser2019",
    ),
    AccuracyStudy(
        "Moser et al. 2019: fluoroscopy, lateral",
        "fluoroscopy",
        30,
        30,
        "the procedure's own contrast image",
        "case series, lateral approach",
        "Moser2019",
    ),
)

#: Pooled estimates from the Hoeber 2016 meta-analysis (literature to July 2014).
POOLED: tuple[PooledEstimate, ...] = (
    PooledEstimate(
        "Hoeber et al. 2016: pooled landmark",
        "landmark",
        0.72,
        0.56,
        0.85,
        295,
        "as defined by each included study (methods varied)",
        "Hoeber2016",
    ),
    PooledEstimate(
        "Hoeber et al. 2016: pooled ultrasound",
        "ultrasound",
        1.00,
        0.98,
        1.00,
        136,
        "as defined by each included study (methods varied)",
        "Hoeber2016",
    ),
)

#: Landmark accuracy by operator grade (Singh 2014): percentages as published.
SINGH_SUBGROUPS: dict[str, Fact] = {
    "consultants": Fact(0.771, "proportion", ("Singh2014",), "landmark injections by consultants"),
    "registrars": Fact(0.577, "proportion", ("Singh2014",), "landmark injections by registrars"),
    "consultant, BMI < 30": Fact(
        0.88, "proportion", ("Singh2014",), "consultants, patients with BMI under 30"
    ),
}

#: Block performance when the anaesthetic *is* in the joint, used as the illustrative
#: "true" block: pooled from 9 small case series at high risk of bias [AnaestheticMeta2014].
BLOCK_REFERENCE: dict[str, Fact] = {
    "sensitivity": SHARED["block_sensitivity_meta"],
    "specificity": SHARED["block_specificity_meta"],
}


def reference_block() -> tuple[float, float]:
    """``(sensitivity, specificity)`` of the illustrative block placed in the joint
    [AnaestheticMeta2014], for the model's defaults and the notebook's worked example."""
    se, sp = (BLOCK_REFERENCE[k].value for k in ("sensitivity", "specificity"))
    assert se is not None and sp is not None  # typed above with a value, not only a range
    return float(se), float(sp)


def study_rows(confidence: float = 0.95) -> list[dict[str, Any]]:
    """Every study and pooled estimate as a row for tables and the forest chart.

    Individual series carry both Wilson and exact intervals computed from their counts;
    pooled rows carry the authors' published interval (``method = "published"``).
    """
    rows = []
    for s in STUDIES:
        wl, wh = s.wilson(confidence)
        el, eh = s.exact(confidence)
        rows.append(
            dict(
                label=s.label,
                guidance=s.guidance,
                k=s.successes,
                n=s.n,
                p=s.proportion,
                low=wl,
                high=wh,
                exact_low=el,
                exact_high=eh,
                method="Wilson",
                reference=s.reference_standard,
                key=s.key,
                pooled=False,
            )
        )
    for p in POOLED:
        rows.append(
            dict(
                label=p.label,
                guidance=p.guidance,
                k=None,
                n=p.n,
                p=p.proportion,
                low=p.low,
                high=p.high,
                exact_low=None,
                exact_high=None,
                method="published",
                reference=p.reference_standard,
                key=p.key,
                pooled=True,
            )
        )
    return rows


def scenario_accuracies() -> dict[str, float]:
    """Placement accuracies used for the markers, each from a cited source.

    Ultrasound and fluoroscopy share ONE value: the small series of both reach 97-100% with
    overlapping intervals and cannot rank them [@Smith2009] [@Moser2019]. The shared value is the
    lowest series result of either modality (29 of 30, about 97%, in both Smith2009 and Moser2019),
    a conservative choice; giving each its own figure would imply a ranking the data do not support.
    """
    guided = [s.proportion for s in STUDIES if s.guidance in ("ultrasound", "fluoroscopy")]
    return {
        "landmark": next(p.proportion for p in POOLED if p.guidance == "landmark"),
        "image-guided": min(guided),
    }


# ---------------------------------------------------------------------------
# Placement accuracy → observed block performance
# ---------------------------------------------------------------------------


def _check_probability(name: str, value: object) -> float:
    return parse_number(value, name, 0.0, 1.0)


@dataclass(frozen=True)
class ObservedPerformance:
    """Sensitivity and specificity a study would *observe*, with the likelihood ratios."""

    sensitivity: float
    specificity: float

    @property
    def lr_positive(self) -> float:
        """LR+ = sensitivity / (1 − specificity); ``inf`` when specificity is 1."""
        fp = 1 - self.specificity
        return math.inf if fp == 0 else self.sensitivity / fp

    @property
    def lr_negative(self) -> float:
        """LR− = (1 − sensitivity) / specificity; ``inf`` when specificity is 0."""
        return math.inf if self.specificity == 0 else (1 - self.sensitivity) / self.specificity


def observed_block_performance(
    placement_accuracy: float,
    sensitivity: float,
    specificity: float,
    response_if_missed_with_hip_pain: float | None = None,
    response_if_missed_without_hip_pain: float | None = None,
) -> ObservedPerformance:
    """Observed sensitivity/specificity of a diagnostic block given placement accuracy.

    Closed form (see the module docstring)::

        Se_obs = a·Se + (1 − a)·r_miss_pain
        Sp_obs = 1 − [a·(1 − Sp) + (1 − a)·r_miss_no_pain]

    ``response_if_missed_*`` default to ``1 − specificity``: a missed injection behaves
    like an injection into a patient whose pain is not intra-articular. With the defaults,
    Se_obs = a·Se + (1 − a)(1 − Sp) and Sp_obs = Sp.

    >>> round(observed_block_performance(0.72, 0.97, 0.91).sensitivity, 4)
    0.7236
    """
    a = _check_probability("placement_accuracy", placement_accuracy)
    se = _check_probability("sensitivity", sensitivity)
    sp = _check_probability("specificity", specificity)
    r_pain = (
        1 - sp
        if response_if_missed_with_hip_pain is None
        else _check_probability(
            "response_if_missed_with_hip_pain", response_if_missed_with_hip_pain
        )
    )
    r_none = (
        1 - sp
        if response_if_missed_without_hip_pain is None
        else _check_probability(
            "response_if_missed_without_hip_pain", response_if_missed_without_hip_pain
        )
    )
    se_obs = a * se + (1 - a) * r_pain
    sp_obs = 1 - (a * (1 - sp) + (1 - a) * r_none)
    return ObservedPerformance(sensitivity=se_obs, specificity=sp_obs)


def observed_sensitivity(
    placement_accuracy: float, sensitivity: float, response_if_missed: float
) -> float:
    """Se_obs = accuracy × Se + (1 − accuracy) × response-despite-miss (the headline formula)."""
    a = _check_probability("placement_accuracy", placement_accuracy)
    se = _check_probability("sensitivity", sensitivity)
    r = _check_probability("response_if_missed", response_if_missed)
    return a * se + (1 - a) * r


@dataclass(frozen=True)
class SimulatedStudy:
    """Counts from one simulated diagnostic-block study, and what it would report."""

    n_hip_pain: int
    n_other_pain: int
    relieved_hip_pain: int
    relieved_other_pain: int
    missed_hip_pain: int
    missed_other_pain: int

    @property
    def sensitivity(self) -> float:
        return self.relieved_hip_pain / self.n_hip_pain

    @property
    def specificity(self) -> float:
        return 1 - self.relieved_other_pain / self.n_other_pain


def simulate_block_study(
    placement_accuracy: float,
    sensitivity: float,
    specificity: float,
    n_hip_pain: int = 200,
    n_other_pain: int = 200,
    seed: int = 2,
    response_if_missed_with_hip_pain: float | None = None,
    response_if_missed_without_hip_pain: float | None = None,
) -> SimulatedStudy:
    """Simulate one study patient by patient (seeded), following the same model as the closed form.

    Each patient: the needle lands in the joint with probability ``placement_accuracy``;
    if it does, relief follows with probability Se (hip pain) or 1 − Sp (other pain);
    if it misses, with the ``response_if_missed_*`` probabilities (default 1 − Sp).
    The expected observed sensitivity is :func:`observed_block_performance`'s; a finite
    study scatters around it.
    """
    a = _check_probability("placement_accuracy", placement_accuracy)
    se = _check_probability("sensitivity", sensitivity)
    sp = _check_probability("specificity", specificity)
    for name, n in (("n_hip_pain", n_hip_pain), ("n_other_pain", n_other_pain)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 10_000_000:
            raise ValueError(f"{name} must be a whole number between 1 and 10,000,000; got {n!r}")
    r_pain = (
        1 - sp
        if response_if_missed_with_hip_pain is None
        else _check_probability(
            "response_if_missed_with_hip_pain", response_if_missed_with_hip_pain
        )
    )
    r_none = (
        1 - sp
        if response_if_missed_without_hip_pain is None
        else _check_probability(
            "response_if_missed_without_hip_pain", response_if_missed_without_hip_pain
        )
    )
    rng = np.random.default_rng(seed)

    hit_pain = rng.random(n_hip_pain) < a
    relief_pain = np.where(hit_pain, rng.random(n_hip_pain) < se, rng.random(n_hip_pain) < r_pain)
    hit_other = rng.random(n_other_pain) < a
    relief_other = np.where(
        hit_other, rng.random(n_other_pain) < 1 - sp, rng.random(n_other_pain) < r_none
    )
    return SimulatedStudy(
        n_hip_pain=int(n_hip_pain),
        n_other_pain=int(n_other_pain),
        relieved_hip_pain=int(relief_pain.sum()),
        relieved_other_pain=int(relief_other.sum()),
        missed_hip_pain=int((~hit_pain).sum()),
        missed_other_pain=int((~hit_other).sum()),
    )


def citation_keys() -> set[str]:
    """Every citation key this module's constants use (tested to resolve)."""
    keys = {s.key for s in STUDIES} | {p.key for p in POOLED}
    for table in (SINGH_SUBGROUPS, BLOCK_REFERENCE):
        keys |= {k for fact in table.values() for k in fact.keys}
    return keys
