"""Chapter 08's package only gathers the engine's pieces (no logic copied from fluorohip.cases)."""

from __future__ import annotations

from fluorohip.cases import views as case_views
from fluorohip.chapters.cases_and_assessment import views
from fluorohip.content import completion


def test_the_case_menu_and_completion_are_the_engines():
    assert views.show_cases is case_views.show_cases
    assert views.write_completion is completion.write_completion
    assert views.POSTTEST == "07_posttest"  # learners' saved progress is keyed on this bank id


def test_show_completion_wraps_the_engines_summary_of_the_store():
    shown = views.show_completion()
    assert shown.data == completion.completion_html(completion.completion_for_store())
    assert "fluorohip-completion" in shown.data
