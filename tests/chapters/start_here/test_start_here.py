"""Chapter 00 as a package: the widget check, and its old module name for one release."""

from __future__ import annotations

import importlib

from fluorohip.chapters.start_here import views


def test_widget_check_follows_its_slider():
    w = views.widget_check()
    assert "<strong>5</strong>" in w.echo.value
    w.slider.value = 8
    assert "<strong>8</strong>" in w.echo.value
    assert repr(w).startswith("Widget check: a slider (0-10)")


def test_old_course_views_name_is_the_new_module():
    old = importlib.import_module("fluorohip.course_views")
    assert old is views
    assert old.widget_check is views.widget_check and old.WidgetCheck is views.WidgetCheck
