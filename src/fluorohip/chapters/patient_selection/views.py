"""What notebook 04 shows: the differential explorer, the checklist, the triage exercise, the
consent builder and the risk ladder.

Each builder returns a composite widget with a stable ``__repr__`` (nbval compares it) and
initial content set through ``widgets.HTML(value=...)``, never printed at run time. Nothing
clinical is decided here: decisions come from :mod:`.rules`, consent text from :mod:`.consent`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from fluorohip.core.bibliography import load_bibliography, replace_citations
from fluorohip.ui.figures import show_figure
from fluorohip.ui.palette import OKABE_ITO
from fluorohip.ui.text import FullTextRepr

from .consent import ConsentPlan, consent_text
from .data import load_differential, load_triage_patients
from .decision import Decision
from .differential import COMPARTMENTS, SORT_FIELDS, Condition, filter_sort_conditions
from .figures import plot_risk_ladder
from .findings import Assessment
from .record import (
    ANTICOAGULANTS,
    BLEEDING_DISORDERS,
    DIABETES,
    PAIN_PATTERNS,
    PURPOSES,
    PatientRecord,
)
from .rules import RULES, assess
from .triage import grade_triage

__all__ = [
    "assessment_html",
    "checklist",
    "consent_builder",
    "decision_badge",
    "differential_explorer",
    "differential_html",
    "show_risk_ladder",
    "triage_exercise",
]

TEACHING = "<p><b>Teaching, not clinical advice:</b> synthetic patients; follow local protocols and your supervisor.</p>"
DECISION_COLOURS = {
    Decision.PROCEED: OKABE_ITO["green"],
    Decision.CAUTION: OKABE_ITO["orange"],
    Decision.OTHER_ROUTE: OKABE_ITO["blue"],
    Decision.DEFER: OKABE_ITO["vermillion"],
    Decision.DO_NOT_INJECT: OKABE_ITO["black"],
}


class LabelledBox(FullTextRepr, widgets.VBox):
    """A VBox whose text repr does not depend on trait values (stable for nbval); its parts are
    kept by name so tests and notebooks can drive it like a learner."""

    _label = "Widget"
    controls: dict[str, Any]
    parts: dict[str, Any]
    result: widgets.HTML
    output: widgets.HTML

    def __repr__(self) -> str:
        return self._label


def _md(text: str) -> str:
    """Markdown (bold, italic, nested bullets) to HTML with markdown-it-py, citations as readable
    labels. A library, not a hand-written converter: nested lists come out as valid HTML
    (a sub-list inside its ``<li>``), which screen readers announce as lists."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.render(replace_citations(text, load_bibliography())).strip()


def decision_badge(decision: Decision) -> str:
    c = DECISION_COLOURS[decision]
    fg = (
        "white"
        if decision in (Decision.DO_NOT_INJECT, Decision.OTHER_ROUTE, Decision.DEFER)
        else "black"
    )
    return (
        f"<span style='background:{c};color:{fg};padding:2px 8px;border-radius:4px;"
        f"font-weight:bold'>{html.escape(decision.label)}</span>"
    )


def assessment_html(a: Assessment) -> str:
    parts = [f"<p>Checklist decision: {decision_badge(a.decision)}</p>"]
    if not a.findings:
        parts.append(
            "<p>No item on this checklist blocks the injection. Complete consent and your "
            "local safety checklist.</p>"
        )
    else:
        rows = "".join(
            f"<tr><td>{decision_badge(f.decision)}</td><td><b>{html.escape(f.title)}</b><br>"
            f"{_md(f.reason)}<i>Action:</i> {_md(f.action)}</td></tr>"
            for f in a.findings
        )
        parts.append(f"<table style='border-collapse:collapse'>{rows}</table>")
    return "".join(parts)


# --- differential table ------------------------------------------------------------------------


def differential_html(rows: list[Condition]) -> str:
    bib = load_bibliography()
    if not rows:
        return "<p>No condition matches this filter.</p>"
    head = "".join(
        f"<th style='text-align:left;padding:4px'>{h}</th>"
        for h in (
            "Condition",
            "Compartment",
            "Where it hurts",
            "Clues",
            "First test",
            "Role of a hip joint injection",
            "Sources",
        )
    )
    body = []
    for c in rows:
        srcs = "; ".join(html.escape(bib[k]["short"]) for k in c.keys if k in bib) or "-"
        cells = (c.name, c.compartment, c.where, c.clues, c.first_test, c.injection)
        body.append(
            "<tr>"
            + "".join(
                f"<td style='vertical-align:top;padding:4px'>{html.escape(x)}</td>" for x in cells
            )
            + f"<td style='vertical-align:top;padding:4px'>{srcs}</td></tr>"
        )
    return (
        f"<table style='border-collapse:collapse;font-size:90%'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def differential_explorer() -> LabelledBox:
    """Filter by compartment or free text and sort the differential table."""
    conditions = load_differential()
    compartment = widgets.Dropdown(options=["all", *COMPARTMENTS], value="all", description="Show")
    sort_by = widgets.Dropdown(
        options=list(SORT_FIELDS), value="compartment", description="Sort by"
    )
    text = widgets.Text(value="", placeholder="e.g. buttock", description="Search")
    table = widgets.HTML(value=differential_html(filter_sort_conditions(conditions)))

    def update(_change: object = None) -> None:
        table.value = differential_html(
            filter_sort_conditions(conditions, compartment.value, sort_by.value, text.value)
        )

    for w in (compartment, sort_by, text):
        w.observe(update, names="value")
    box = LabelledBox([widgets.HBox([compartment, sort_by, text]), table])
    box._label = f"DifferentialExplorer: {len(conditions)} conditions"
    return box


# --- checklist --------------------------------------------------------------------------------

_BOOLS = [
    ("radiographs_done", "Radiographs reviewed"),
    ("steroid_planned", "Steroid planned"),
    ("contrast_planned", "Contrast planned"),
    ("suspected_joint_infection", "Possible joint infection (fever, hot joint)"),
    ("skin_infection_at_site", "Skin infection at entry site"),
    ("systemic_infection", "Active systemic infection"),
    ("anaphylaxis_to_injectate", "Anaphylaxis to planned drug"),
    ("anaphylaxis_to_contrast", "Anaphylaxis to contrast"),
    ("prior_mild_contrast_reaction", "Earlier mild contrast reaction"),
    ("iodine_or_seafood_allergy_label", "'Iodine'/seafood allergy label"),
    ("pregnant", "Pregnant"),
    ("prosthetic_hip_same_side", "Hip replacement on this side"),
    ("cannot_keep_still", "Cannot keep still"),
    ("avn_or_crps", "Osteonecrosis or CRPS"),
]
_CHOICE_WIDGETS = [
    ("purpose", "Purpose", PURPOSES),
    ("pain_pattern", "Pain pattern", PAIN_PATTERNS),
    ("anticoagulant", "Anticoagulant", ANTICOAGULANTS),
    ("bleeding_disorder", "Bleeding disorder", BLEEDING_DISORDERS),
    ("diabetes", "Diabetes", DIABETES),
]
_TEXT_WIDGETS = [
    ("age_years", "Age (years)", "60"),
    ("inr", "INR (blank = not done)", ""),
    ("platelets_e9_per_l", "Platelets x10^9/L (blank)", ""),
    ("tha_planned_in_months", "THA booked in (months, blank)", ""),
    ("months_since_last_steroid", "Months since last steroid (blank)", ""),
    ("steroid_injections_past_year", "Steroid injections past year", "0"),
]


def checklist() -> LabelledBox:
    """The pre-procedure checklist: tick findings, read the decision and what to resolve."""
    defaults = PatientRecord()
    style = {"description_width": "initial"}
    bools = {
        n: widgets.Checkbox(
            value=getattr(defaults, n),
            description=d,
            indent=False,
            layout=widgets.Layout(width="300px"),
        )
        for n, d in _BOOLS
    }
    choices = {
        n: widgets.Dropdown(
            options=list(opts), value=getattr(defaults, n), description=d, style=style
        )
        for n, d, opts in _CHOICE_WIDGETS
    }
    texts = {
        n: widgets.Text(value=v, description=d, style=style, layout=widgets.Layout(width="320px"))
        for n, d, v in _TEXT_WIDGETS
    }
    result = widgets.HTML(value=TEACHING + assessment_html(assess(defaults)))

    def update(_change: object = None) -> None:
        try:  # typed numbers are parsed (and refused with the field named) by the record itself
            rec = PatientRecord(
                **{n: w.value for n, w in bools.items()},
                **{n: w.value for n, w in choices.items()},
                **{n: w.value for n, w in texts.items()},
            )
        except ValueError as exc:
            result.value = (
                TEACHING
                + f"<p style='color:{OKABE_ITO['vermillion']}'><b>Check the input:</b> {html.escape(str(exc))}</p>"
            )
            return
        result.value = TEACHING + assessment_html(assess(rec))

    for w in (*bools.values(), *choices.values(), *texts.values()):
        w.observe(update, names="value")
    grid = widgets.GridBox(
        list(bools.values()), layout=widgets.Layout(grid_template_columns="repeat(3, 310px)")
    )
    box = LabelledBox(
        [
            widgets.HBox(
                [widgets.VBox(list(choices.values())), widgets.VBox(list(texts.values()))]
            ),
            grid,
            result,
        ]
    )
    box._label = f"Checklist: {len(RULES)} rules; decision {assess(defaults).decision.label}"
    box.controls = {**bools, **choices, **texts}
    box.result = result
    return box


# --- triage exercise ----------------------------------------------------------------------------


def triage_exercise() -> LabelledBox:
    """Pick a synthetic patient, choose a decision, check it against the checklist."""
    patients = load_triage_patients()
    picker = widgets.Dropdown(
        options=[(p.name, p.id) for p in patients],
        value=patients[0].id,
        description="Patient",
        layout=widgets.Layout(width="520px"),
    )
    vignette = widgets.HTML(value=f"<p>{html.escape(patients[0].vignette)}</p>")
    choice = widgets.RadioButtons(
        options=[(d.label, d.slug) for d in Decision], value=None, description="Decision"
    )
    check = widgets.Button(description="Check")
    feedback = widgets.HTML(value="")
    by_id = {p.id: p for p in patients}

    def on_pick(change: dict[str, Any]) -> None:
        vignette.value = f"<p>{html.escape(by_id[change['new']].vignette)}</p>"
        choice.value = None
        feedback.value = ""

    def on_check(_button: object) -> None:
        if choice.value is None:
            feedback.value = "<p>Choose a decision first.</p>"
            return
        _ok, md = grade_triage(by_id[picker.value], choice.value)
        feedback.value = _md(md)

    picker.observe(on_pick, names="value")
    check.on_click(on_check)
    box = LabelledBox([widgets.HTML(value=TEACHING), picker, vignette, choice, check, feedback])
    box._label = f"TriageExercise: {len(patients)} synthetic patients"
    box.parts = {"picker": picker, "choice": choice, "check": check, "feedback": feedback}
    return box


# --- consent builder ----------------------------------------------------------------------------


def consent_builder() -> LabelledBox:
    """Choose what the patient is having; read a plain-language consent model with numbers."""
    style = {"description_width": "initial"}
    purpose = widgets.Dropdown(
        options=list(PURPOSES), value="both", description="Purpose", style=style
    )
    steroid = widgets.Checkbox(value=True, description="Steroid", indent=False)
    contrast = widgets.Checkbox(value=True, description="Contrast", indent=False)
    mra = widgets.Checkbox(value=False, description="MR arthrogram", indent=False)
    diabetes = widgets.Checkbox(value=False, description="Diabetes", indent=False)
    anticoag = widgets.Dropdown(
        options=list(ANTICOAGULANTS), value="none", description="Anticoagulant", style=style
    )
    tha = widgets.Checkbox(value=False, description="Hip replacement within 3 months", indent=False)
    out = widgets.HTML(value=TEACHING + _md(consent_text(ConsentPlan())))

    def update(_change: object = None) -> None:
        try:
            plan = ConsentPlan(
                purpose=purpose.value,
                steroid=steroid.value,
                contrast=contrast.value,
                mr_arthrogram=mra.value,
                diabetes=diabetes.value,
                anticoagulant=anticoag.value,
                tha_within_3_months=tha.value,
            )
        except ValueError as exc:
            out.value = (
                TEACHING
                + f"<p style='color:{OKABE_ITO['vermillion']}'><b>Check the choices:</b> {html.escape(str(exc))}</p>"
            )
            return
        out.value = TEACHING + _md(consent_text(plan))

    controls = (purpose, steroid, contrast, mra, diabetes, anticoag, tha)
    for w in controls:
        w.observe(update, names="value")
    box = LabelledBox(
        [
            widgets.HBox([purpose, anticoag]),
            widgets.HBox([steroid, contrast, mra, diabetes, tha]),
            out,
        ]
    )
    box._label = "ConsentBuilder: plain-language consent model"
    box.controls = dict(
        zip(
            (
                "purpose",
                "steroid",
                "contrast",
                "mr_arthrogram",
                "diabetes",
                "anticoagulant",
                "tha_within_3_months",
            ),
            controls,
        )
    )
    box.output = out
    return box


def show_risk_ladder() -> None:
    """Display the risk ladder with its description as caption and alt text, once."""
    show_figure(plot_risk_ladder())
