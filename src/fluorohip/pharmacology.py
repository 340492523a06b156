"""Moved to :mod:`fluorohip.chapters.injectates` (split by job: facts, local_anaesthetics,
body_size, dose_check, time_course, steroids, volume); this old name re-exports their public
names for one release (0.2)."""

from fluorohip.chapters.injectates.body_size import (
    HEIGHT_RANGE_CM,
    SEXES,
    DosingWeight,
    dosing_weight,
    lean_body_weight_kg,
)
from fluorohip.chapters.injectates.dose_check import DoseCheck, MaxDose, check_dose, max_dose_mg
from fluorohip.chapters.injectates.facts import (
    FACTS,
    GLUCOSE_MG_DL_PER_MMOL_L,
    STEROID_EQUIVALENT_MG,
    all_citation_keys,
)
from fluorohip.chapters.injectates.local_anaesthetics import (
    CONCENTRATION_RANGE_PERCENT,
    LOCAL_ANAESTHETICS,
    VOLUME_RANGE_ML,
    WEIGHT_RANGE_KG,
    LocalAnaesthetic,
    mg_from_percent,
    mg_per_ml,
    ml_for_mg,
)
from fluorohip.chapters.injectates.steroids import equivalent_dose_mg
from fluorohip.chapters.injectates.time_course import (
    HOURS_PER_DAY,
    TIME_COURSE_AGENTS,
    TimeCourse,
    time_course,
)
from fluorohip.chapters.injectates.volume import (
    COMPONENT_VOLUME_RANGE_ML,
    VolumeCheck,
    volume_check,
)
from fluorohip.core.facts import Fact, citation_keys
from fluorohip.core.inputs import InputError, parse_number

__all__ = [
    "COMPONENT_VOLUME_RANGE_ML",
    "CONCENTRATION_RANGE_PERCENT",
    "FACTS",
    "GLUCOSE_MG_DL_PER_MMOL_L",
    "HEIGHT_RANGE_CM",
    "HOURS_PER_DAY",
    "LOCAL_ANAESTHETICS",
    "SEXES",
    "STEROID_EQUIVALENT_MG",
    "TIME_COURSE_AGENTS",
    "VOLUME_RANGE_ML",
    "WEIGHT_RANGE_KG",
    "DoseCheck",
    "DosingWeight",
    "Fact",
    "InputError",
    "LocalAnaesthetic",
    "MaxDose",
    "TimeCourse",
    "VolumeCheck",
    "all_citation_keys",
    "check_dose",
    "citation_keys",
    "dosing_weight",
    "equivalent_dose_mg",
    "lean_body_weight_kg",
    "max_dose_mg",
    "mg_from_percent",
    "mg_per_ml",
    "ml_for_mg",
    "parse_number",
    "time_course",
    "volume_check",
]
