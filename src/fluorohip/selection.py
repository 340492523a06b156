"""Moved to :mod:`fluorohip.chapters.patient_selection` (split by job: facts, record, decision,
findings, rules, differential, risks, consent, triage, data); this old name re-exports their
public names for one release (0.2)."""

from fluorohip.chapters.patient_selection.consent import (
    ConsentPlan,
    consent_text,
    plan_conditions,
    risks_for,
)
from fluorohip.chapters.patient_selection.data import (
    SelectionDataError,
    load_differential,
    load_risks,
    load_triage_patients,
    read_entries,
    selection_dir,
)
from fluorohip.chapters.patient_selection.decision import Decision
from fluorohip.chapters.patient_selection.differential import (
    COMPARTMENTS,
    SORT_FIELDS,
    Condition,
    filter_sort_conditions,
)
from fluorohip.chapters.patient_selection.facts import FACTS
from fluorohip.chapters.patient_selection.findings import Assessment, Finding, Rule
from fluorohip.chapters.patient_selection.record import (
    ANTICOAGULANTS,
    BLEEDING_DISORDERS,
    DIABETES,
    PAIN_PATTERNS,
    PURPOSES,
    RANGES,
    PatientRecord,
    check_number,
    check_record,
    record_from_dict,
)
from fluorohip.chapters.patient_selection.risks import APPLIES, Risk, per_n, plain_frequency
from fluorohip.chapters.patient_selection.rules import RULES, assess, rule_keys
from fluorohip.chapters.patient_selection.triage import TriagePatient, grade_triage
from fluorohip.core.facts import Fact

__all__ = [
    "ANTICOAGULANTS",
    "APPLIES",
    "BLEEDING_DISORDERS",
    "COMPARTMENTS",
    "DIABETES",
    "FACTS",
    "PAIN_PATTERNS",
    "PURPOSES",
    "RANGES",
    "RULES",
    "SORT_FIELDS",
    "Assessment",
    "Condition",
    "ConsentPlan",
    "Decision",
    "Fact",
    "Finding",
    "PatientRecord",
    "Risk",
    "Rule",
    "SelectionDataError",
    "TriagePatient",
    "assess",
    "check_number",
    "check_record",
    "consent_text",
    "filter_sort_conditions",
    "grade_triage",
    "load_differential",
    "load_risks",
    "load_triage_patients",
    "per_n",
    "plain_frequency",
    "plan_conditions",
    "read_entries",
    "record_from_dict",
    "risks_for",
    "rule_keys",
    "selection_dir",
]
