"""Notebook 05's worked example of the exercise: the scoring checklist, and a scripted run with
typical errors followed by its full debrief. Kept apart from the simulator (``fluoro``), which
never imports a chapter.
"""

from __future__ import annotations

__all__ = ["show_demo_debrief", "show_rubric"]


def show_rubric() -> None:
    """The exercise's scoring checklist, with its sources (Markdown table)."""
    from IPython.display import Markdown, display

    from fluorohip.core.bibliography import replace_citations

    from .debrief import load_rubric

    title, pass_mark, items = load_rubric()
    rows = [
        f"| {i + 1} | {it.text} | {it.points} | {replace_citations(it.cite)} |"
        for i, it in enumerate(items)
    ]
    total = sum(it.points for it in items)
    display(
        Markdown(
            f"**{title}** (pass mark {pass_mark}% of {total} points)\n\n| # | Item | Points | Source |\n"
            "|---|---|---|---|\n" + "\n".join(rows)
        )
    )


def show_demo_debrief(stop_at_mm: float = 50.0, seed: int = 0) -> None:
    """A scripted assessment run with typical errors -- the needle stopped short of bone, the
    contrast misread and the drug given anyway -- then its full debrief."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    from .debrief import images_figure, trajectory_figure
    from .exercise import ProcedureExercise
    from .exercise_script import scripted_run

    ex = scripted_run(
        ProcedureExercise("assessment", pixels=128, seed=seed),
        approach="anterior oblique",
        stop_at_mm=stop_at_mm,
        reading="intra-articular",
        drug_anyway=True,
    )
    d = ex.finish()
    display(Markdown(d.to_markdown()))
    for make, alt in (
        (
            trajectory_figure,
            "Left: the needle's tip positions in 3-D with the joint space as grey "
            "dots and the target as an orange star. Right: the same in frontal projection.",
        ),
        (images_figure, "Every frame taken, in order, with its view and time."),
    ):
        fig = make(d)
        display(fig)
        plt.close(fig)
        display(Markdown(f"*Figure description: {alt}*"))
