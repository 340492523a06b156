"""Injectates for the hip: every drug number the course uses, with unit, range and source.

Teaching only. Nothing here is dosing advice: it helps a resident reason about safety
margins and timing, and it does not replace the product label, local protocol or the
supervising clinician.

How to read the data
--------------------
Each number is a :class:`Fact`: a value with its unit, an optional ``low``-``high`` range
where sources differ, the citation key(s) that resolve in ``assets/references.yaml`` and a
note. ``weak=True`` marks figures the course's vetted fact list files under *common
practice, weakly sourced*: they circulate in teaching material but were not confirmed on a
label or in a trial. Code and notebook text read numbers from :data:`FACTS` only.

Formulas
--------
* Concentration: a solution of ``c`` % holds ``c`` g per 100 mL, so ``mg/mL = 10 * c``
  (1% = 10 mg/mL). Dose ``mg = 10 * c * volume_mL``.
* Weight-based maximum: ``min(per_kg * dosing_weight_kg, single-dose ceiling)``. The label
  ceilings are single-dose figures (lidocaine 300/500 mg [@FDALidocaine], bupivacaine 175/225 mg
  [@FDABupivacaineLabel], ropivacaine 250 mg [@NaropinLabel]); bupivacaine's 400 mg is per 24 h.
* Dosing weight: actual weight, but lean body weight in obesity (BMI >= 30), because local
  anaesthetics are dosed to lean, not total, body weight [@Nightingale2015]; lean body weight by
  the Janmahasatian equation [@Janmahasatian2005]. Without height, at most 100 kg is used.
  Label maxima are not evidence-based thresholds [@Rosenberg2004]; intravascular injection
  can cause toxicity far below them [@Gitman2019].
* Steroid equivalence: ``dose_to = dose_from * eq_to / eq_from`` with the classic
  anti-inflammatory equivalents of [@Meikle1977] (systemic potency, not joint effect).
* Volume: total injected volume against the normal arthrographic capacity of about
  14-20 mL [@HipCapacity1981] and the low-pressure zone up to about 10 mL
  [@CapsulePressure2009].
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .core.facts import Fact, citation_keys
from .core.inputs import InputError, parse_number

# --------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------


#: Glucose: mg/dL per mmol/L (molar mass 180.16 g/mol), to give Habib's US figures in SI units.
GLUCOSE_MG_DL_PER_MMOL_L = 18.016

F = Fact
FACTS: dict[str, Fact] = {
    # --- local anaesthetic maxima (healthy adults; labels and teaching values) ---
    "lidocaine_max_plain_mg_per_kg": F(
        4.5, "mg/kg", "FDALidocaine", note="US label, without adrenaline"
    ),
    "lidocaine_cap_plain_mg": F(
        300, "mg", "FDALidocaine", note="US label: generally not above 300 mg"
    ),
    "lidocaine_max_adrenaline_mg_per_kg": F(
        7, "mg/kg", "FDALidocaine", note="US label, with adrenaline (epinephrine)"
    ),
    "lidocaine_cap_adrenaline_mg": F(
        500, "mg", "FDALidocaine", note="US label: not above 500 mg with adrenaline"
    ),
    "bupivacaine_daily_cap_mg": F(
        400,
        "mg/day",
        ("FDABupivacaineLabel", "MarcaineLabel"),
        note="label: not above 400 mg in 24 h",
    ),
    "bupivacaine_single_plain_mg": F(
        175,
        "mg",
        ("FDABupivacaineLabel", "DrugsComBupivacaine"),
        note="US label: most experience is with single doses up to 175 mg without adrenaline; the label "
        "asks for individual dosing, so this is a ceiling, not a safe dose",
    ),
    "bupivacaine_single_adrenaline_mg": F(
        225,
        "mg",
        ("FDABupivacaineLabel", "DrugsComBupivacaine"),
        note="US label: most experience is with single doses up to 225 mg with adrenaline 1:200,000",
    ),
    "ropivacaine_single_mg": F(
        250,
        "mg",
        ("NaropinLabel", "NaropinSmPC"),
        low=250,
        high=300,
        note="label dose tables go up to 250 mg in one block (some list 225-300 mg for a brachial plexus "
        "block); the checker uses the lower end",
    ),
    "bupivacaine_max_plain_mg_per_kg": F(
        2.0,
        "mg/kg",
        "Rosenberg2004",
        low=2.0,
        high=2.5,
        weak=True,
        note="teaching value, 2-2.5 mg/kg in different texts; not confirmed on the label; the checker "
        "uses the lower end. Maxima vary between countries and are not evidence-based",
    ),
    "bupivacaine_max_adrenaline_mg_per_kg": F(
        3.0,
        "mg/kg",
        "Rosenberg2004",
        weak=True,
        note="teaching value with adrenaline; not confirmed on the label",
    ),
    "ropivacaine_max_mg_per_kg": F(
        3.0,
        "mg/kg",
        "Rosenberg2004",
        weak=True,
        note="teaching value; no separate with-adrenaline figure is used",
    ),
    # --- body size: dose on lean body weight in obesity ---
    "lean_weight_upper_kg": F(
        100,
        "kg",
        "Janmahasatian2005",
        note="predicted lean body weight rarely exceeds about 100 kg in men (about 70 kg "
        "in women) however heavy the patient; the checker doses on at most this "
        "weight when height is not given",
    ),
    "adult_lean_weight_lower_kg": F(
        40,
        "kg",
        "Janmahasatian2005",
        note="lightest adult in the lean-body-weight model's data (40.7 kg); below "
        "this the teaching checker flags the weight",
    ),
    "obesity_bmi": F(30, "kg/m²", "Nightingale2015", note="BMI from which obesity rules apply"),
    # --- what hip trials actually injected ---
    "lambert_bupivacaine_mg": F(
        10, "mg", "Lambert2007", note="bupivacaine with the steroid in Lambert"
    ),
    "hit_lidocaine_with_steroid_mg": F(40, "mg", "Paskins2022", note="lidocaine with steroid, HIT"),
    "hit_lidocaine_alone_mg": F(50, "mg", "Paskins2022", note="lidocaine alone arm, HIT"),
    # --- systemic toxicity ---
    "last_incidence_percent": F(0.03, "%", "El-Boghdadly2018", note="per peripheral nerve block"),
    "last_cardiovascular_only_fraction": F(
        0.2,
        "fraction",
        "El-Boghdadly2018",
        note="about one fifth present with cardiovascular signs only",
    ),
    # --- chondrotoxicity (mostly in vitro) ---
    "chondro_bupivacaine_toxic_studies": F(13, "of 14 studies", "Jayaram2019"),
    "chondro_lidocaine_toxic_studies": F(5, "of 7 studies", "Jayaram2019"),
    "chondro_ropivacaine_threshold_percent": F(
        0.75, "%", "Jayaram2019", note="dose-dependent toxicity from 0.75%"
    ),
    "piper_viability_ropivacaine_percent": F(
        94.4, "%", "Piper2008", note="0.5% ropivacaine, 30 min, chondrocytes"
    ),
    "piper_viability_bupivacaine_percent": F(
        78, "%", "Piper2008", note="0.5% bupivacaine, 30 min, chondrocytes"
    ),
    # --- local anaesthetic time course (peripheral nerve block values; weak for the joint) ---
    "lidocaine_onset_min": F(
        15,
        "min",
        "RegionNordjyllandLA",
        low=10,
        high=20,
        weak=True,
        note="nerve-block value; hip studies measured relief by 15 min [PreopInjectionTHA2022]",
    ),
    "lidocaine_duration_h": F(
        1.5,
        "h",
        ("RCEMLocalAnaestheticTypes", "RegionNordjyllandLA"),
        low=1,
        high=2,
        weak=True,
        note="plain lidocaine: about 1-2 h in most sources (about 2 h after plain "
        "infiltration; longer with adrenaline, and nerve-block tables give up to 2-3 h); "
        "read the diagnostic score by about 60-90 min; intra-articular duration not measured",
    ),
    "bupivacaine_onset_min": F(
        25, "min", "RegionNordjyllandLA", low=20, high=30, weak=True, note="nerve-block value"
    ),
    "bupivacaine_duration_h": F(
        7,
        "h",
        "RegionNordjyllandLA",
        low=4,
        high=10,
        weak=True,
        note="nerve-block value; intra-articular duration not measured",
    ),
    "ropivacaine_onset_min": F(
        25, "min", "RegionNordjyllandLA", low=20, high=30, weak=True, note="nerve-block value"
    ),
    "ropivacaine_duration_h": F(
        9,
        "h",
        "RegionNordjyllandLA",
        low=6,
        high=12,
        weak=True,
        note="nerve-block value; intra-articular duration not measured",
    ),
    "early_assessment_min": F(
        15,
        "min",
        "PreopInjectionTHA2022",
        note="pain fell from a median 68 to 18 by 15 min after intra-articular anaesthetic",
    ),
    # --- corticosteroid time course (hip OA) ---
    "steroid_onset_days": F(
        3,
        "days",
        "McCabe2016",
        low=1,
        high=5,
        weak=True,
        note="onset quoted as 24-48 h to 3-5 days in teaching; trials show benefit by 1 week",
    ),
    "steroid_peak_days": F(7, "days", "McCabe2016", note="largest effect at about 1 week"),
    "steroid_duration_days": F(
        56,
        "days",
        ("McCabe2016", "Karuppiah2014", "MultipleInjectionNMA2024"),
        low=42,
        high=91,
        note="mean about 6 weeks in cohorts, moderate effect to 8 weeks, beats placebo at 3 but not 6 months",
    ),
    "steroid_assessment_days": F(
        14,
        "days",
        "FluoroResponse2011",
        low=7,
        high=14,
        note="2-week response; steroid effect builds over about 1 week [McCabe2016]",
    ),
    # --- corticosteroid doses ---
    "lambert_triamcinolone_hexacetonide_mg": F(40, "mg", "Lambert2007"),
    "trial_triamcinolone_acetonide_mg": F(40, "mg", ("Zhong2020", "Paskins2022"), low=40, high=80),
    "trial_methylprednisolone_mg": F(40, "mg", "Zhong2020", low=40, high=120),
    "label_methylprednisolone_large_joint_mg": F(40, "mg", "DepoMedroneSPC", low=20, high=80),
    "label_triamcinolone_large_joint_start_mg": F(
        10, "mg", "TrilacMIMS", low=5, high=15, note="label starting dose, below trial doses"
    ),
    "label_repeat_interval_months": F(
        3,
        "months",
        "DepoMedroneSPC",
        note="label advice, not outcome-derived: no more often than 3-monthly",
    ),
    "label_max_per_year": F(
        3,
        "per joint per year",
        "DepoMedroneSPC",
        low=2,
        high=3,
        note="label advice, not outcome-derived",
    ),
    "karuppiah_40mg_weeks": F(
        6.2, "weeks", "Karuppiah2014", note="mean relief after 40 mg triamcinolone"
    ),
    "karuppiah_80mg_weeks": F(
        6.1, "weeks", "Karuppiah2014", note="mean relief after 80 mg triamcinolone"
    ),
    # --- particle size (µm) ---
    "particle_methylprednisolone_um": F(
        6.9, "µm", "MacMahon2011", low=0.4, high=26, note="mean 6.9"
    ),
    "particle_triamcinolone_acetonide_um": F(
        17.4, "µm", "MacMahon2011", low=0.5, high=110, note="mean 17.4"
    ),
    # --- systemic effects ---
    "glucose_peak_acetonide_mg_dl": F(
        288, "mg/dL", "Habib2011", note="median peak after 40 mg knee acetonide, about 24 h"
    ),
    "glucose_peak_hexacetonide_mg_dl": F(
        240, "mg/dL", "Habib2011", note="median peak after 20 mg knee hexacetonide, about 33 h"
    ),
    "glucose_peak_acetonide_mmol_l": F(16.0, "mmol/L", "Habib2011", note="288 mg/dL / 18"),
    "glucose_peak_hexacetonide_mmol_l": F(13.3, "mmol/L", "Habib2011", note="240 mg/dL / 18"),
    "glucose_back_to_baseline_days": F(3, "days", "Habib2011", low=2.5, high=4),
    "flare_shoulder_percent": F(
        35.3, "%", "Fawi2017", note="≥ 2-point pain rise, broad definition, shoulder"
    ),
    # --- joint events and surgery ---
    "rpoa_hip_percent": F(2.8, "%", "Sanguino2023", low=1.9, high=4.1),
    "rpoa_pooled_percent": F(6, "%", "Sabatini2023", low=3, high=9),
    "pji_or_within_3_months": F(1.68, "odds ratio", "PJIMeta2022", low=1.48, high=1.90),
    "wait_before_tha_months": F(
        3, "months", "Uson2021", note="EULAR: at least 3 months before joint replacement"
    ),
    # --- contrast ---
    "test_contrast_ml": F(
        2,
        "mL",
        "UWMSKHipArthrography",
        low=1,
        high=3,
        weak=True,
        note="common practice, not from a trial; this chapter's examples use 2 mL",
    ),
    "arthrograms_surveyed": F(262_000, "arthrograms", "Hugo1998", note="about 262,000"),
    "arthrogram_anaphylaxis": F(8, "cases", "Hugo1998"),
    "gadolinium_dilution_mmol_l": F(
        2.25, "mmol/L", "RadiopaediaMRArthroSolution", low=2, high=2.5, note="about 1:200 of stock"
    ),
    "mr_arthro_delayed_pain_percent": F(
        66, "%", "Giaconi2011", note="89 of 135; onset about 17 h, lasting about 44 h"
    ),
    # --- joint volume ---
    "capacity_ml": F(
        17,
        "mL",
        "HipCapacity1981",
        low=14,
        high=20,
        note="normal adults, small women to large men; lower with capsulitis, loose bodies",
    ),
    "low_pressure_volume_ml": F(
        10,
        "mL",
        "CapsulePressure2009",
        note="cadaveric pressure low up to about 10 mL, then steep rise",
    ),
}
del F

#: Classic anti-inflammatory equivalent doses, mg [@Meikle1977].
STEROID_EQUIVALENT_MG: dict[str, Fact] = {
    "hydrocortisone": Fact(20, "mg", "Meikle1977"),
    "prednisone": Fact(5, "mg", "Meikle1977"),
    "methylprednisolone": Fact(4, "mg", "Meikle1977"),
    "triamcinolone": Fact(4, "mg", "Meikle1977"),
    "dexamethasone": Fact(0.75, "mg", "Meikle1977"),
    "betamethasone": Fact(0.75, "mg", "Meikle1977"),
}

# --------------------------------------------------------------------------------------
# Input checking: parse_number and InputError live in fluorohip.core.inputs (importable from here)
# --------------------------------------------------------------------------------------

#: Plausibility ranges for the teaching calculator (not clinical limits): adults only.
WEIGHT_RANGE_KG = (30.0, 300.0)
CONCENTRATION_RANGE_PERCENT = (0.05, 5.0)
VOLUME_RANGE_ML = (0.1, 100.0)
COMPONENT_VOLUME_RANGE_ML = (0.0, 100.0)


# --------------------------------------------------------------------------------------
# Local anaesthetics: mg from % and mL, and the weight-based maximum
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalAnaesthetic:
    name: str
    max_plain: str  # FACTS key, mg/kg without adrenaline
    max_adrenaline: str | None  # FACTS key, mg/kg with adrenaline (None: no extra allowance)
    cap_plain: str | None  # FACTS key, single-dose ceiling mg
    cap_adrenaline: str | None
    onset: str  # FACTS key, minutes
    duration: str  # FACTS key, hours
    daily_cap: str | None = None  # FACTS key, mg per 24 h (a separate, cumulative ceiling)


LOCAL_ANAESTHETICS: dict[str, LocalAnaesthetic] = {
    "lidocaine": LocalAnaesthetic(
        "lidocaine",
        "lidocaine_max_plain_mg_per_kg",
        "lidocaine_max_adrenaline_mg_per_kg",
        "lidocaine_cap_plain_mg",
        "lidocaine_cap_adrenaline_mg",
        "lidocaine_onset_min",
        "lidocaine_duration_h",
    ),
    "bupivacaine": LocalAnaesthetic(
        "bupivacaine",
        "bupivacaine_max_plain_mg_per_kg",
        "bupivacaine_max_adrenaline_mg_per_kg",
        "bupivacaine_single_plain_mg",
        "bupivacaine_single_adrenaline_mg",
        "bupivacaine_onset_min",
        "bupivacaine_duration_h",
        daily_cap="bupivacaine_daily_cap_mg",
    ),
    "ropivacaine": LocalAnaesthetic(
        "ropivacaine",
        "ropivacaine_max_mg_per_kg",
        None,
        "ropivacaine_single_mg",
        "ropivacaine_single_mg",
        "ropivacaine_onset_min",
        "ropivacaine_duration_h",
    ),
}


def _agent(agent: object) -> LocalAnaesthetic:
    name = str(agent).strip().lower() if isinstance(agent, str) else agent
    if not isinstance(name, str) or name not in LOCAL_ANAESTHETICS:
        known = ", ".join(LOCAL_ANAESTHETICS)
        raise InputError(f"agent must be one of {known}; got {agent!r}")
    return LOCAL_ANAESTHETICS[name]


def mg_per_ml(concentration_percent: float) -> float:
    """mg/mL of a ``c`` % solution: ``10 * c`` (1% = 1 g/100 mL = 10 mg/mL)."""
    c = parse_number(
        concentration_percent, "concentration_percent", *CONCENTRATION_RANGE_PERCENT, "%"
    )
    return 10.0 * c


def mg_from_percent(concentration_percent: float, volume_ml: float) -> float:
    """Milligrams in ``volume_ml`` of a ``concentration_percent`` % solution: ``10 * c * V``."""
    v = parse_number(volume_ml, "volume_ml", *VOLUME_RANGE_ML, "mL")
    return mg_per_ml(concentration_percent) * v


def ml_for_mg(dose_mg: float, concentration_percent: float) -> float:
    """Volume in mL that holds ``dose_mg`` of a ``concentration_percent`` % solution."""
    d = parse_number(dose_mg, "dose_mg", 0.0, 10_000.0, "mg")
    return d / mg_per_ml(concentration_percent)


# --------------------------------------------------------------------------------------
# Dosing weight: lean, not total, body weight in obesity
# --------------------------------------------------------------------------------------

#: Heights the lean-body-weight estimate accepts (adults), cm.
HEIGHT_RANGE_CM = (130.0, 220.0)
SEXES = ("female", "male")


def lean_body_weight_kg(weight_kg: float, height_cm: float, sex: str) -> float:
    """Lean body weight by the Janmahasatian equation [@Janmahasatian2005].

    ``9270 * W / (6680 + 216 * BMI)`` for men, ``9270 * W / (8780 + 244 * BMI)`` for women.
    It rises with weight but levels off, so a heavy patient's lean weight stays near that of a
    lean adult of the same height.
    """
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    h = parse_number(height_cm, "height_cm", *HEIGHT_RANGE_CM, "cm")
    s = _sex(sex)
    bmi = w / (h / 100.0) ** 2
    if s == "male":
        return 9270.0 * w / (6680.0 + 216.0 * bmi)
    return 9270.0 * w / (8780.0 + 244.0 * bmi)


def _sex(sex: object) -> str:
    text = sex.strip().lower() if isinstance(sex, str) else sex
    if text not in SEXES:
        raise InputError(
            f"sex must be one of {', '.join(SEXES)} (for the lean-body-weight estimate); got {sex!r}"
        )
    return text


@dataclass(frozen=True)
class DosingWeight:
    """The weight the per-kg maximum is multiplied by, and why.

    ``basis`` is ``"actual"``, ``"lean"`` (obese, height and sex given) or ``"lean range cap"``
    (heavier than the adult lean range and no height given). ``flags`` are sentences the
    checker shows the learner.
    """

    actual_kg: float
    kg: float
    basis: str
    bmi: float | None = None
    flags: tuple[str, ...] = ()


def dosing_weight(
    weight_kg: float, height_cm: float | None = None, sex: str | None = None
) -> DosingWeight:
    """Actual weight, or lean body weight in obesity [@Nightingale2015].

    With height and sex: BMI >= 30 doses on lean body weight [@Janmahasatian2005]. Without
    them: weights above the adult lean range (about 100 kg) dose on 100 kg and say so; below
    about 40 kg the weight is flagged as outside the adult range the checker is built for.
    """
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    lower = FACTS["adult_lean_weight_lower_kg"].value
    upper = FACTS["lean_weight_upper_kg"].value
    obese_bmi = FACTS["obesity_bmi"].value
    flags: list[str] = []
    if w < lower:
        flags.append(
            f"{w:g} kg is below the adult lean range ({lower:g}-{upper:g} kg) this teaching checker "
            "is built for: small, frail or young patients need individual dosing by a senior; "
            "the arithmetic below uses the actual weight."
        )
    given = (
        height_cm is not None and str(height_cm).strip() != "",
        sex is not None and str(sex).strip() != "",
    )
    if any(given) and not all(given):
        missing = "sex" if given[0] else "height_cm"
        raise InputError(
            f"{missing} is needed too: the lean-body-weight estimate uses both height and sex"
        )
    if all(given):
        h = parse_number(height_cm, "height_cm", *HEIGHT_RANGE_CM, "cm")
        s = _sex(sex)
        bmi = w / (h / 100.0) ** 2
        if bmi >= obese_bmi:
            lbw = lean_body_weight_kg(w, h, s)
            flags.append(
                f"BMI {bmi:.0f} kg/m²: in obesity the maximum is worked out on lean body weight, "
                f"{lbw:.0f} kg here, not on the total {w:g} kg."
            )
            return DosingWeight(w, lbw, "lean", bmi, tuple(flags))
        return DosingWeight(w, w, "actual", bmi, tuple(flags))
    if w > upper:
        flags.append(
            f"{w:g} kg is above the adult lean range (up to about {upper:g} kg): the checker works "
            f"the maximum out on {upper:g} kg, not the total weight. Enter height and sex to use "
            "the patient's lean body weight (it is often lower)."
        )
        return DosingWeight(w, upper, "lean range cap", None, tuple(flags))
    return DosingWeight(w, w, "actual", None, tuple(flags))


@dataclass(frozen=True)
class MaxDose:
    agent: str
    adrenaline: bool
    mg: float
    per_kg: Fact
    cap: Fact | None  # single-dose ceiling
    limited_by: str  # "weight" or "cap"
    weak: bool
    note: str = ""
    dosing: DosingWeight | None = None
    daily_cap: Fact | None = None

    @property
    def kind(self) -> str:
        """``"label maximum"`` when the figure that binds is on the label, else ``"teaching maximum"``."""
        if self.limited_by == "cap" and self.cap is not None and not self.cap.weak:
            return "label maximum"
        return "teaching maximum" if self.per_kg.weak else "label maximum"

    @property
    def cap_is_daily(self) -> bool:
        """True when a separate per-24-h ceiling applies (bupivacaine's 400 mg/day)."""
        return self.daily_cap is not None

    @property
    def keys(self) -> tuple[str, ...]:
        keys = list(self.per_kg.keys)
        for extra in (self.cap, self.daily_cap):
            if extra is not None:
                keys += [k for k in extra.keys if k not in keys]
        if self.dosing is not None and self.dosing.basis != "actual":
            keys += [k for k in ("Nightingale2015", "Janmahasatian2005") if k not in keys]
        keys += [k for k in ("Rosenberg2004", "Gitman2019") if k not in keys]
        return tuple(keys)


def max_dose_mg(
    agent: str,
    weight_kg: float,
    adrenaline: bool = False,
    height_cm: float | None = None,
    sex: str | None = None,
) -> MaxDose:
    """Label or teaching maximum in mg: ``min(per_kg * dosing weight, single-dose ceiling)``.

    Lidocaine uses the US label (4.5 mg/kg up to 300 mg; 7 mg/kg up to 500 mg with
    adrenaline) [@FDALidocaine]. Bupivacaine and ropivacaine per-kg figures are weakly
    sourced teaching values (``weak=True``), capped by the label's single-dose figures
    (bupivacaine 175 mg plain, 225 mg with adrenaline [@FDABupivacaineLabel]; ropivacaine
    250 mg [@NaropinLabel]); bupivacaine's 400 mg is a separate ceiling per 24 h. The dosing
    weight is lean body weight in obesity (:func:`dosing_weight`).
    """
    la = _agent(agent)
    dw = dosing_weight(weight_kg, height_cm, sex)
    if not isinstance(adrenaline, bool):
        raise InputError(f"adrenaline must be True or False; got {adrenaline!r}")
    note = ""
    if adrenaline and la.max_adrenaline is not None:
        per_kg, cap = (
            FACTS[la.max_adrenaline],
            (FACTS[la.cap_adrenaline] if la.cap_adrenaline else None),
        )
    else:
        per_kg, cap = FACTS[la.max_plain], (FACTS[la.cap_plain] if la.cap_plain else None)
        if adrenaline:
            note = f"No separate with-adrenaline maximum is used for {la.name}; the plain figure applies."
    by_weight = per_kg.value * dw.kg
    if cap is not None and cap.value < by_weight:
        mg, limited_by = float(cap.value), "cap"
    else:
        mg, limited_by = by_weight, "weight"
    weak = per_kg.weak if limited_by == "weight" else cap.weak
    daily = FACTS[la.daily_cap] if la.daily_cap else None
    return MaxDose(la.name, adrenaline, mg, per_kg, cap, limited_by, weak, note, dw, daily)


@dataclass(frozen=True)
class DoseCheck:
    agent: str
    weight_kg: float
    concentration_percent: float
    volume_ml: float
    adrenaline: bool
    dose_mg: float
    maximum: MaxDose

    @property
    def percent_of_max(self) -> float:
        return 100.0 * self.dose_mg / self.maximum.mg

    @property
    def over_max(self) -> bool:
        return self.dose_mg > self.maximum.mg

    @property
    def flags(self) -> tuple[str, ...]:
        """Warnings about the weight (outside the adult lean range, obesity) the learner must see."""
        return self.maximum.dosing.flags if self.maximum.dosing is not None else ()

    def lines(self) -> list[str]:
        """Plain-text explanation, one sentence per line."""
        m = self.maximum
        dw = m.dosing
        adr = "with adrenaline" if self.adrenaline else "without adrenaline"
        weight_txt = (
            f"{self.weight_kg:g} kg"
            if dw is None or dw.basis == "actual"
            else f"a dosing weight of {dw.kg:.0f} kg ({self.weight_kg:g} kg actual)"
        )
        out = [
            f"{self.volume_ml:g} mL of {self.concentration_percent:g}% {self.agent} = "
            f"{self.concentration_percent:g} x 10 mg/mL x {self.volume_ml:g} mL = {self.dose_mg:.1f} mg.",
            *self.flags,
            f"{m.kind.capitalize()} for {weight_txt} {adr}: {m.mg:.0f} mg "
            f"({m.per_kg.value:g} {m.per_kg.unit}"
            + (f", single-dose ceiling {m.cap.value:g} {m.cap.unit}" if m.cap is not None else "")
            + f"; limited by {'the single-dose ceiling' if m.limited_by == 'cap' else 'weight'}).",
            f"This dose is {self.percent_of_max:.0f}% of that maximum"
            + (f" - ABOVE the {m.kind}." if self.over_max else "."),
        ]
        if m.daily_cap is not None:
            out.append(
                f"The label also caps {self.agent} at {m.daily_cap.value:g} mg per 24 hours, counting "
                "every dose that day; that is a daily total, not a single-dose figure."
            )
        if m.limited_by == "weight" and m.per_kg.weak:
            out.append(
                "The per-kg figure for this agent is weakly sourced (a teaching value, not confirmed on the label)."
            )
        if m.note:
            out.append(m.note)
        out.append(
            "Below the maximum is not 'safe': an intravascular injection can cause toxicity at a fraction of it."
        )
        return out


def check_dose(
    agent: str,
    weight_kg: float,
    concentration_percent: float,
    volume_ml: float,
    adrenaline: bool = False,
    height_cm: float | None = None,
    sex: str | None = None,
) -> DoseCheck:
    """Dose in mg and its share of the label or teaching maximum. Teaching, not dosing advice.

    The maximum uses lean body weight in obesity and the label's single-dose ceiling, so a
    heavy patient never raises it past the ceiling.
    """
    la = _agent(agent)
    w = parse_number(weight_kg, "weight_kg", *WEIGHT_RANGE_KG, "kg")
    c = parse_number(
        concentration_percent, "concentration_percent", *CONCENTRATION_RANGE_PERCENT, "%"
    )
    v = parse_number(volume_ml, "volume_ml", *VOLUME_RANGE_ML, "mL")
    maximum = max_dose_mg(la.name, w, adrenaline, height_cm, sex)
    return DoseCheck(la.name, w, c, v, adrenaline, mg_from_percent(c, v), maximum)


# --------------------------------------------------------------------------------------
# Time course: ranges, not curves
# --------------------------------------------------------------------------------------

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class TimeCourse:
    """When an effect may start, is expected, and may end; all in hours after injection.

    ``onset_h`` and ``end_h`` are (earliest, latest) ranges. Between the latest onset and
    the earliest end the effect is *expected*; between the earliest onset and the latest
    end it is *possible*. Nothing more precise is claimed.
    """

    agent: str
    onset_h: tuple[float, float]
    end_h: tuple[float, float]
    assess_h: tuple[float, float]
    keys: tuple[str, ...]
    weak: bool

    def state(self, t_h: float) -> str:
        t = parse_number(t_h, "t_h", 0.0, 1e6, "h")
        (on_lo, on_hi), (end_lo, end_hi) = self.onset_h, self.end_h
        if t < on_lo:
            return "not yet"
        if t < on_hi:
            return "may have started"
        if t <= end_lo:
            return "expected"
        if t <= end_hi:
            return "may have worn off"
        return "over"

    def band(self, t_h: float) -> tuple[int, int]:
        """(lower, upper) effect indicator at ``t_h``: 1 = expected / possible, 0 = not."""
        s = self.state(t_h)
        lower = 1 if s == "expected" else 0
        upper = 1 if s in ("may have started", "expected", "may have worn off") else 0
        return lower, upper


def _la_course(name: str) -> TimeCourse:
    la = LOCAL_ANAESTHETICS[name]
    onset, duration = FACTS[la.onset], FACTS[la.duration]
    on = (onset.range[0] / 60.0, onset.range[1] / 60.0)
    end = duration.range
    # Assess once onset is complete in most, before the earliest expected end.
    assess = (on[1], end[0])
    keys = tuple(dict.fromkeys((*onset.keys, *duration.keys, FACTS["early_assessment_min"].key)))
    return TimeCourse(name, on, end, assess, keys, onset.weak or duration.weak)


def _steroid_course() -> TimeCourse:
    onset, duration, assess = (
        FACTS["steroid_onset_days"],
        FACTS["steroid_duration_days"],
        FACTS["steroid_assessment_days"],
    )
    d = HOURS_PER_DAY
    keys = tuple(dict.fromkeys((*onset.keys, *duration.keys, *assess.keys)))
    return TimeCourse(
        "corticosteroid",
        (onset.range[0] * d, onset.range[1] * d),
        (duration.range[0] * d, duration.range[1] * d),
        (assess.range[0] * d, assess.range[1] * d),
        keys,
        onset.weak or duration.weak,
    )


def time_course(agent: str) -> TimeCourse:
    """The :class:`TimeCourse` of a local anaesthetic or of ``"corticosteroid"``."""
    name = str(agent).strip().lower() if isinstance(agent, str) else agent
    if name == "corticosteroid":
        return _steroid_course()
    if name in LOCAL_ANAESTHETICS:
        return _la_course(name)
    known = ", ".join([*LOCAL_ANAESTHETICS, "corticosteroid"])
    raise InputError(f"agent must be one of {known}; got {agent!r}")


TIME_COURSE_AGENTS = ("lidocaine", "bupivacaine", "ropivacaine", "corticosteroid")

# --------------------------------------------------------------------------------------
# Corticosteroid equivalence
# --------------------------------------------------------------------------------------


def equivalent_dose_mg(dose_mg: float, from_steroid: str, to_steroid: str) -> float:
    """Systemic anti-inflammatory equivalent: ``dose * eq[to] / eq[from]`` [@Meikle1977].

    Equal systemic potency does not mean equal effect in the joint: depot preparations
    differ in solubility and particle size [@MacMahon2011].
    """
    names = ", ".join(STEROID_EQUIVALENT_MG)
    for field_name, s in (("from_steroid", from_steroid), ("to_steroid", to_steroid)):
        if not isinstance(s, str) or s.strip().lower() not in STEROID_EQUIVALENT_MG:
            raise InputError(f"{field_name} must be one of {names}; got {s!r}")
    d = parse_number(dose_mg, "dose_mg", 0.0, 10_000.0, "mg")
    eq_from = STEROID_EQUIVALENT_MG[from_steroid.strip().lower()].value
    eq_to = STEROID_EQUIVALENT_MG[to_steroid.strip().lower()].value
    return d * eq_to / eq_from


# --------------------------------------------------------------------------------------
# Total volume vs joint capacity
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeCheck:
    components_ml: dict[str, float] = field(default_factory=dict)

    @property
    def total_ml(self) -> float:
        return sum(self.components_ml.values())

    @property
    def zone(self) -> str:
        low_pressure = FACTS["low_pressure_volume_ml"].value
        cap_lo, cap_hi = FACTS["capacity_ml"].range
        t = self.total_ml
        if t <= low_pressure:
            return "low pressure"
        if t < cap_lo:
            return "pressure rising"
        if t <= cap_hi:
            return "near capacity"
        return "over capacity"

    def fraction(self, name: str) -> float:
        """Share of the injected volume that is ``name`` (how much contrast dilutes the drug)."""
        if name not in self.components_ml:
            raise InputError(
                f"component must be one of {', '.join(self.components_ml)}; got {name!r}"
            )
        return self.components_ml[name] / self.total_ml if self.total_ml else 0.0

    def message(self) -> str:
        low_pressure = FACTS["low_pressure_volume_ml"]
        cap = FACTS["capacity_ml"]
        t = self.total_ml
        texts = {
            "low pressure": f"{t:g} mL is within the low-pressure range (up to about {low_pressure.value:g} mL).",
            "pressure rising": (
                f"{t:g} mL is past the low-pressure range (about {low_pressure.value:g} mL) "
                f"but below the smallest normal capacity ({cap.range[0]:g} mL): expect more pain "
                "and more leak, and less room in a stiff or diseased joint."
            ),
            "near capacity": (
                f"{t:g} mL is within the normal capacity range ({cap.text(dash='-')}); a small or "
                "diseased joint may already be full: expect leak along the needle or into a bursa."
            ),
            "over capacity": (
                f"{t:g} mL exceeds the largest normal capacity ({cap.range[1]:g} mL): "
                "extravasation is likely and it will blur the diagnostic answer."
            ),
        }
        return texts[self.zone]


def volume_check(contrast_ml: float, anaesthetic_ml: float, steroid_ml: float) -> VolumeCheck:
    """Total volume of the planned injection, zoned against normal hip capacity."""
    rng = COMPONENT_VOLUME_RANGE_ML
    parts = {
        "contrast": parse_number(contrast_ml, "contrast_ml", *rng, "mL"),
        "local anaesthetic": parse_number(anaesthetic_ml, "anaesthetic_ml", *rng, "mL"),
        "corticosteroid": parse_number(steroid_ml, "steroid_ml", *rng, "mL"),
    }
    if sum(parts.values()) <= 0:
        raise InputError("total volume must be more than 0 mL; all three volumes are 0")
    return VolumeCheck(parts)


def all_citation_keys() -> set[str]:
    """Every key this module's data cites (for the resolution test)."""
    keys = citation_keys(FACTS) | citation_keys(STEROID_EQUIVALENT_MG)
    keys |= {
        "Rosenberg2004",
        "Gitman2019",
        "PreopInjectionTHA2022",
        "MacMahon2011",
        "Nightingale2015",
        "Janmahasatian2005",
        "FDABupivacaineLabel",
        "NaropinLabel",
    }
    return keys
