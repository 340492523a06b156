"""What notebook 07 shows: tables, figures with alt text, two small widgets and the report.

Nothing clinical is computed here; numbers and rules live in :mod:`.model`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from fluorohip.ui.figures import show_figure
from fluorohip.ui.text import FullTextRepr

from . import figures, model

TEACHING_NOTE = (
    "Teaching, not dosing advice or a diagnosis: follow the current guideline and local protocol."
)


class Text(str):
    """A string that displays as itself (no quotes) so stored outputs read as sentences."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


# --- tables ----------------------------------------------------------------------------------------
def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class HtmlTable:
    """An HTML table with a plain-text twin (what nbval compares and a screen reader can read)."""

    def __init__(self, header: tuple[str, ...], rows: list[tuple], caption: str):
        self.header, self.rows, self.caption = header, rows, caption

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(self.caption)}</b></p>" + _table(self.header, self.rows)

    def __repr__(self) -> str:
        lines = [self.caption, " | ".join(self.header)]
        lines += [" | ".join(str(c) for c in r) for r in self.rows]
        return "\n".join(lines)


def labral_accuracy_table() -> HtmlTable:
    rows = [(m, f"{se:.0%}", f"{sp:.0%}", k) for k, m, se, sp in model.LABRAL_ACCURACY]
    return HtmlTable(
        ("modality", "sensitivity", "specificity", "source key"),
        rows,
        "Labral tear: pooled accuracy against arthroscopy or surgery",
    )


def pji_criteria_table() -> HtmlTable:
    rows = [(c.label, c.weight, c.chronic_threshold) for c in model.ICM2018_PREOP]
    return HtmlTable(
        ("minor criterion (pre-operative)", "weight", "chronic threshold"),
        rows,
        "2018 definition: weights (Parvizi 2018) and ICM 2018 chronic thresholds (Guan 2019)",
    )


def emergencies_table() -> HtmlTable:
    rows = [
        (
            e.name,
            e.recognise,
            " → ".join(f"{i}. {s}" for i, s in enumerate(e.first_steps, 1)),
            ", ".join(e.keys),
        )
        for e in model.ROOM_EMERGENCIES
    ]
    return HtmlTable(
        ("event", "recognise it", "first steps, in order", "source keys"),
        rows,
        "The room when it goes wrong: what to do first",
    )


def dilution(gbca_ml: float, total_ml: float) -> Text:
    return Text(model.gadolinium_dilution(gbca_ml, total_ml).sentence())


def culture_post_test(pre_test: float) -> Text:
    lr = model.ASPIRATION_CULTURE_LR
    pos = model.post_test_probability(pre_test, lr["positive"])
    neg = model.post_test_probability(pre_test, lr["negative"])
    return Text(
        f"Pre-test {pre_test:.0%}: a positive aspiration culture (LR+ {lr['positive']:g}) gives "
        f"{pos:.0%}; a negative one (LR- {lr['negative']:g}) gives {neg:.0%}. "
        "Good at ruling in, modest at ruling out."
    )


def recess(recess_mm: float, other_side_mm: float | None = None) -> Text:
    return Text(model.recess_reading(recess_mm, other_side_mm))


def adrenaline(age_years: float) -> Text:
    mg = model.adrenaline_im_mg(age_years)
    return Text(
        f"Age {age_years:g} years: adrenaline {mg:g} mg IM ({mg:g} mL of 1 mg/mL) into the anterolateral "
        f"thigh; repeat after 5 minutes if no better. {TEACHING_NOTE}"
    )


def cost_example() -> HtmlTable:
    rows = [
        (cpt, model.RVU_2026[cpt], f"${model.medicare_amount_usd(cpt):.2f}")
        for cpt in model.RVU_2026
    ]
    return HtmlTable(
        ("CPT code", "total RVU (aggregator)", f"x ${model.CF_2026_USD:.2f} = national amount"),
        rows,
        "Worked example: United States, Medicare physician fee schedule, calendar year 2026 "
        "(unadjusted; local and other-payer figures differ)",
    )


# --- figures: each shown once with its alt text and a visible description (fluorohip.ui.figures)
def ultrasound_figure(recess_mm: float = 8.0) -> None:
    show_figure(figures.ultrasound_figure(recess_mm), figures.ultrasound_alt(recess_mm))


def approaches_figure() -> None:
    show_figure(figures.approaches_figure(), figures.approaches_alt())


def pji_score_figure(**findings: bool) -> None:
    show_figure(figures.pji_score_figure(**findings), figures.pji_score_alt(**findings))


def depth_figure() -> None:
    show_figure(figures.depth_figure(), figures.depth_alt())


# --- widgets ---------------------------------------------------------------------------------------
class PjiScoreChecker(FullTextRepr, widgets.VBox):
    """Tick the positive pre-operative findings; the 2018 score and band update."""

    def __init__(self, **ticked: bool):
        self.sinus = widgets.Checkbox(
            value=bool(ticked.pop("sinus_tract", False)),
            description="sinus tract to the prosthesis (major)",
        )
        self.boxes = {
            c.key: widgets.Checkbox(
                value=bool(ticked.get(c.key, False)),
                description=f"{c.label} ({c.weight})",
                layout=widgets.Layout(width="auto"),
            )
            for c in model.ICM2018_PREOP
        }
        self.result = widgets.HTML()
        super().__init__(
            [
                widgets.HTML("<b>2018 definition: pre-operative score</b>"),
                self.sinus,
                *self.boxes.values(),
                self.result,
            ]
        )
        for w in (self.sinus, *self.boxes.values()):
            w.observe(self._update, names="value")
        self._update()

    def score(self) -> model.PjiScore:
        return model.icm2018_preop_score(
            sinus_tract=bool(self.sinus.value), **{k: bool(b.value) for k, b in self.boxes.items()}
        )

    def _update(self, change=None) -> None:
        self.result.value = f"<p role='status'>{html.escape(self.score().sentence())}</p>"

    def __repr__(self) -> str:
        return "PjiScoreChecker: " + self.score().sentence()


def report_from_simulator(seed: int = 3):
    """Run a short scripted simulator session (needle, pedal, contrast) and fill the report from its debrief."""
    from fluorohip.fluoro import FluoroSession, Needle

    session = FluoroSession(seed=seed)
    t = session.phantom.target_point()
    session.pedal(1.0)
    session.set_needle(Needle.anterior(session.phantom, x_mm=t[0], z_mm=t[2], depth_mm=89))
    session.pedal(1.0)
    session.inject(2.0)
    debrief = session.score()
    report = model.ProcedureReport.from_simulator(
        debrief,
        indication="Right hip pain; diagnostic and therapeutic injection requested (is the joint the source?)",
        consent="Written; risks (infection, bleeding, flare, glucose rise, no benefit) discussed",
        approach="Anterior, fluoroscopic, supine; femoral artery pulse marked",
        needle="22 G spinal needle, bone contact at the lateral head-neck junction",
        drugs=[
            "iohexol 300 mg I/mL 2 mL (confirmation)",
            "lidocaine 1% 4 mL",
            "triamcinolone acetonide 40 mg",
        ],
        complications="None",
        immediate_response="Pre 6/10, 15 min after 1/10 on the provoking movement",
        aftercare="Pain diary 2 weeks; infection warning signs; diabetic glucose advice",
    )
    return ReportView(report, debrief)


class ReportView:
    def __init__(self, report: model.ProcedureReport, debrief: dict | None = None):
        self.report, self.debrief = report, debrief

    def _repr_markdown_(self) -> str:
        gaps = self.report.missing()
        tail = f"\n\nStill missing: {', '.join(gaps)}." if gaps else "\n\nNo field is empty."
        return self.report.markdown() + tail

    def __repr__(self) -> str:
        r = self.report
        gaps = r.missing()
        return (
            f"ProcedureReport: {len(model.REPORT_FIELDS) - len(gaps)} of {len(model.REPORT_FIELDS)} fields filled; "
            f"fluoroscopy {r.fluoroscopy_time_s:.1f} s, DAP {r.dap_ugy_m2:.1f} µGy·m²; confirmation: {r.confirmation}."
        )
