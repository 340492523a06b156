"""Widgets and figures for notebook 04. All clinical logic lives in :mod:`fluorohip.selection`.

Each builder returns a composite widget with a stable ``__repr__`` (nbval compares it) and
initial content set through ``widgets.HTML(value=...)``, never printed at run time.
"""

from __future__ import annotations

import html
import textwrap

import ipywidgets as widgets
import matplotlib.pyplot as plt

from . import selection as sel
from .core.bibliography import load_bibliography, replace_citations
from .ui.figures import describe, show_figure
from .ui.text import FullTextRepr

TEACHING = "<p><b>Teaching, not clinical advice:</b> synthetic patients; follow local protocols and your supervisor.</p>"
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
_DECISION_COLOUR = {
    sel.Decision.PROCEED: "#009E73",
    sel.Decision.CAUTION: "#E69F00",
    sel.Decision.OTHER_ROUTE: "#0072B2",
    sel.Decision.DEFER: "#D55E00",
    sel.Decision.DO_NOT_INJECT: "#000000",
}


class _Box(FullTextRepr, widgets.VBox):
    """A VBox whose text repr does not depend on trait values (stable for nbval)."""

    _label = "Widget"

    def __repr__(self) -> str:
        return self._label


def _md(text: str) -> str:
    """Markdown (bold, italic, nested bullets) to HTML with markdown-it-py, citations as readable
    labels. A library, not a hand-written converter: nested lists come out as valid HTML
    (a sub-list inside its ``<li>``), which screen readers announce as lists."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.render(replace_citations(text, load_bibliography())).strip()


def decision_badge(decision: sel.Decision) -> str:
    c = _DECISION_COLOUR[decision]
    fg = (
        "white"
        if decision in (sel.Decision.DO_NOT_INJECT, sel.Decision.OTHER_ROUTE, sel.Decision.DEFER)
        else "black"
    )
    return (
        f"<span style='background:{c};color:{fg};padding:2px 8px;border-radius:4px;"
        f"font-weight:bold'>{html.escape(decision.label)}</span>"
    )


def assessment_html(a: sel.Assessment) -> str:
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


def differential_html(rows: list[sel.Condition]) -> str:
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


def differential_explorer() -> widgets.VBox:
    """Filter by compartment or free text and sort the differential table."""
    conditions = sel.load_differential()
    compartment = widgets.Dropdown(
        options=["all", *sel.COMPARTMENTS], value="all", description="Show"
    )
    sort_by = widgets.Dropdown(
        options=list(sel.SORT_FIELDS), value="compartment", description="Sort by"
    )
    text = widgets.Text(value="", placeholder="e.g. buttock", description="Search")
    table = widgets.HTML(value=differential_html(sel.filter_sort_conditions(conditions)))

    def update(_change=None):
        table.value = differential_html(
            sel.filter_sort_conditions(conditions, compartment.value, sort_by.value, text.value)
        )

    for w in (compartment, sort_by, text):
        w.observe(update, names="value")
    box = _Box([widgets.HBox([compartment, sort_by, text]), table])
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
    ("purpose", "Purpose", sel.PURPOSES),
    ("pain_pattern", "Pain pattern", sel.PAIN_PATTERNS),
    ("anticoagulant", "Anticoagulant", sel.ANTICOAGULANTS),
    ("bleeding_disorder", "Bleeding disorder", sel.BLEEDING_DISORDERS),
    ("diabetes", "Diabetes", sel.DIABETES),
]
_TEXT_WIDGETS = [
    ("age_years", "Age (years)", "60"),
    ("inr", "INR (blank = not done)", ""),
    ("platelets_e9_per_l", "Platelets x10^9/L (blank)", ""),
    ("tha_planned_in_months", "THA booked in (months, blank)", ""),
    ("months_since_last_steroid", "Months since last steroid (blank)", ""),
    ("steroid_injections_past_year", "Steroid injections past year", "0"),
]


def checklist() -> widgets.VBox:
    """The pre-procedure checklist: tick findings, read the decision and what to resolve."""
    defaults = sel.PatientRecord()
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
    result = widgets.HTML(value=TEACHING + assessment_html(sel.assess(defaults)))

    def update(_change=None):
        try:
            values = {
                n: sel.check_number(n, w.value, optional=n in sel._OPTIONAL_NUMBERS)
                for n, w in texts.items()
            }
            if values["steroid_injections_past_year"] != int(
                values["steroid_injections_past_year"]
            ):
                raise ValueError("steroid_injections_past_year must be a whole number")
            values["steroid_injections_past_year"] = int(values["steroid_injections_past_year"])
            rec = sel.PatientRecord(
                **{n: w.value for n, w in bools.items()},
                **{n: w.value for n, w in choices.items()},
                **values,
            )
        except ValueError as exc:
            result.value = (
                TEACHING
                + f"<p style='color:#D55E00'><b>Check the input:</b> {html.escape(str(exc))}</p>"
            )
            return
        result.value = TEACHING + assessment_html(sel.assess(rec))

    for w in (*bools.values(), *choices.values(), *texts.values()):
        w.observe(update, names="value")
    grid = widgets.GridBox(
        list(bools.values()), layout=widgets.Layout(grid_template_columns="repeat(3, 310px)")
    )
    box = _Box(
        [
            widgets.HBox(
                [widgets.VBox(list(choices.values())), widgets.VBox(list(texts.values()))]
            ),
            grid,
            result,
        ]
    )
    box._label = (
        f"Checklist: {len(sel.RULES)} rules; decision {sel.assess(defaults).decision.label}"
    )
    box.controls = {**bools, **choices, **texts}
    box.result = result
    return box


# --- triage exercise ----------------------------------------------------------------------------


def triage_exercise() -> widgets.VBox:
    """Pick a synthetic patient, choose a decision, check it against the checklist."""
    patients = sel.load_triage_patients()
    picker = widgets.Dropdown(
        options=[(p.name, p.id) for p in patients],
        value=patients[0].id,
        description="Patient",
        layout=widgets.Layout(width="520px"),
    )
    vignette = widgets.HTML(value=f"<p>{html.escape(patients[0].vignette)}</p>")
    choice = widgets.RadioButtons(
        options=[(d.label, d.slug) for d in sel.Decision], value=None, description="Decision"
    )
    check = widgets.Button(description="Check")
    feedback = widgets.HTML(value="")
    by_id = {p.id: p for p in patients}

    def on_pick(change):
        vignette.value = f"<p>{html.escape(by_id[change['new']].vignette)}</p>"
        choice.value = None
        feedback.value = ""

    def on_check(_b):
        if choice.value is None:
            feedback.value = "<p>Choose a decision first.</p>"
            return
        _ok, md = sel.grade_triage(by_id[picker.value], choice.value)
        feedback.value = _md(md)

    picker.observe(on_pick, names="value")
    check.on_click(on_check)
    box = _Box([widgets.HTML(value=TEACHING), picker, vignette, choice, check, feedback])
    box._label = f"TriageExercise: {len(patients)} synthetic patients"
    box.parts = {"picker": picker, "choice": choice, "check": check, "feedback": feedback}
    return box


# --- consent builder ----------------------------------------------------------------------------


def consent_builder() -> widgets.VBox:
    """Choose what the patient is having; read a plain-language consent model with numbers."""
    style = {"description_width": "initial"}
    purpose = widgets.Dropdown(
        options=list(sel.PURPOSES), value="both", description="Purpose", style=style
    )
    steroid = widgets.Checkbox(value=True, description="Steroid", indent=False)
    contrast = widgets.Checkbox(value=True, description="Contrast", indent=False)
    mra = widgets.Checkbox(value=False, description="MR arthrogram", indent=False)
    diabetes = widgets.Checkbox(value=False, description="Diabetes", indent=False)
    anticoag = widgets.Dropdown(
        options=list(sel.ANTICOAGULANTS), value="none", description="Anticoagulant", style=style
    )
    tha = widgets.Checkbox(value=False, description="Hip replacement within 3 months", indent=False)
    out = widgets.HTML(value=TEACHING + _md(sel.consent_text(sel.ConsentPlan())))

    def update(_change=None):
        try:
            plan = sel.ConsentPlan(
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
                + f"<p style='color:#D55E00'><b>Check the choices:</b> {html.escape(str(exc))}</p>"
            )
            return
        out.value = TEACHING + _md(sel.consent_text(plan))

    controls = (purpose, steroid, contrast, mra, diabetes, anticoag, tha)
    for w in controls:
        w.observe(update, names="value")
    box = _Box(
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


# --- figure -------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    """A percentage as a learner reads it: never scientific notation ('100', '35', '1.2', '0.0031')."""
    if x >= 10:
        return f"{x:.0f}"
    if x >= 1:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2g}"


#: Risks that belong to a different procedure and stay off the injection's consent ladder.
OFF_LADDER = {"mr_arthrography"}


#: Risks that count something else and would contradict the ladder if plotted on it: the 1.2% of
#: complications recorded by radiology teams sat below single risks of 3-7% it does not include.
NOT_ON_LADDER = frozenset({"any-complication"})


def ladder_risks(risks=None) -> list:
    """Risks plotted on the ladder: a non-zero frequency, not specific to another procedure, and
    not a differently defined total (:data:`NOT_ON_LADDER`)."""
    risks = sel.load_risks() if risks is None else risks
    return [
        r
        for r in risks
        if r.percent_range[1]
        and not set(r.applies_when) <= OFF_LADDER
        and r.id not in NOT_ON_LADDER
    ]


def plot_risk_ladder(risks=None):
    """Consent risks that have a frequency, as ranges on a log 'per 100,000' scale (capped at 100%)."""
    # zero-event series cannot sit on a log scale; the alt text and consent text still give them
    rows = [(r, *r.percent_range) for r in ladder_risks(risks)]
    rows.sort(key=lambda t: t[2])
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    markers = ["o", "s", "^", "D", "v", "P", "X", "h", "*", "<"]
    for i, (_r, lo, hi) in enumerate(rows):
        colour = [c for c in OKABE_ITO[1:] if c != "#F0E442"][i % 6]  # yellow is too pale on white
        hi_n = hi * 1000  # percent -> per 100,000
        if lo is None:
            ax.plot([1, hi_n], [i, i], linestyle=":", color=colour, linewidth=2)
            ax.plot([hi_n], [i], marker=markers[i % len(markers)], color=colour, markersize=8)
            label = f"up to {_pct(hi)}%"
        elif lo == hi:
            ax.plot(
                [hi_n],
                [i],
                marker=markers[i % len(markers)],
                color=colour,
                markersize=9,
                linestyle="none",
            )
            label = "about 100% (every patient studied)" if hi >= 99.5 else f"{_pct(hi)}%"
        else:
            ax.plot([lo * 1000, hi_n], [i, i], linestyle="-", color=colour, linewidth=4)
            ax.plot(
                [lo * 1000, hi_n],
                [i, i],
                marker=markers[i % len(markers)],
                color=colour,
                linestyle="none",
            )
            label = f"{_pct(lo)}-{_pct(hi)}%"
        if (
            hi_n > 15000
        ):  # no room to the right inside 100%: write it above the row, ending at the marker
            ax.text(hi_n / 1.3, i + 0.22, label, ha="right", va="bottom", fontsize=8)
        else:
            ax.text(hi_n * 1.4, i, label, va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([textwrap.fill(r.name, 34) for r, _, _ in rows], fontsize=7.5)
    ax.set_xscale("log")
    ax.set_xlim(1, 1.3e5)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xticks([1, 10, 100, 1000, 10000, 100000])
    ax.set_xticklabels(["1", "10", "100", "1,000", "10,000", "100,000\n(= 100%)"])
    ax.set_xlabel("Events per 100,000 injections (log scale)")
    ax.set_title(
        "How often? Consent risks on one scale\n(each number comes from its own population)",
        fontsize=10,
    )
    ax.grid(axis="x", linestyle="--", alpha=0.4)
    fig.tight_layout()
    return describe(fig, risk_ladder_alt_text(risks))


def risk_ladder_alt_text(risks=None) -> str:
    parts = [f"{r.name.lower()}: {sel.plain_frequency(r)}" for r in ladder_risks(risks)]
    return (
        "Horizontal chart on a logarithmic scale from 1 to 100,000 events per 100,000 injections, "
        "one row per consent risk, rarest at the bottom. " + "; ".join(parts) + ". "
        "Not plotted: risks given only as an odds ratio (prosthetic infection) or with zero events "
        "(bleeding on direct oral anticoagulants, none in 1,050 procedures), delayed aching after an MR "
        "arthrogram, which belongs to a different, larger-volume procedure, and the 1.2% of problems "
        "recorded by radiology teams, a differently defined count that leaves out flares, sugar rises "
        "and later joint wear."
    )


__all__ = [
    "assessment_html",
    "checklist",
    "consent_builder",
    "decision_badge",
    "differential_explorer",
    "differential_html",
    "plot_risk_ladder",
    "risk_ladder_alt_text",
    "show_alt_text",
    "show_risk_ladder",
    "triage_exercise",
]


def show_alt_text(text: str):
    """The figure's description, shown to every learner in italics under the figure."""
    from IPython.display import Markdown

    return Markdown(f"*Figure description:* _{text}_")


def show_risk_ladder() -> None:
    """Display the risk ladder with its description as caption and alt text, once."""
    show_figure(plot_risk_ladder())
