"""Chapter 07 uses the course's shared pieces: one number parser, one palette, chapter 06's Bayes,
and the figure-with-alt helper."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from fluorohip.chapters.beyond_the_injection import figures, model, views
from fluorohip.chapters.interpretation import diagnostic
from fluorohip.core.inputs import InputError
from fluorohip.ui import figures as ui_figures
from fluorohip.ui.palette import BONE, OKABE_ITO_LIST


def test_typed_numbers_go_through_the_course_parser():
    assert model.recess_reading("7,5").startswith("7.5 mm is at or above")  # decimal comma
    with pytest.raises(InputError, match="age_years must be a number between 0.5 and 120 years"):
        model.adrenaline_im_mg("forty")
    with pytest.raises(InputError, match=r"gbca_ml must be between 0.01 and 5 mL; got 9"):
        model.gadolinium_dilution(9, 20)
    with pytest.raises(InputError, match="recess_mm"):
        model.recess_reading(True)


def test_bayes_is_chapter_06s_arithmetic():
    for pre, lr in ((0.3, 9.8), (0.3, 0.33), (0.05, 1.0)):
        assert model.post_test_probability(pre, lr) == diagnostic.post_test_probability(pre, lr)
    with pytest.raises(InputError, match="pre_test"):
        model.post_test_probability(0, 2)


def test_culture_sentence_quotes_the_likelihood_ratios_of_the_model():
    text = views.culture_post_test(0.30)
    lr = model.ASPIRATION_CULTURE_LR
    assert f"LR+ {lr['positive']:g}" in text and f"LR- {lr['negative']:g}" in text


@pytest.mark.parametrize(
    "build", [figures.approaches_figure, lambda: figures.pji_score_figure(serum_esr=True)]
)
def test_figure_colours_come_from_the_palette(build):
    from matplotlib.colors import to_hex

    fig = build()
    palette = {c.lower() for c in OKABE_ITO_LIST}
    marks = [line.get_color() for ax in fig.axes for line in ax.get_lines()]
    marks += [p.get_facecolor() for ax in fig.axes for p in ax.patches if p.get_fill()]
    neutral = {"#000000", "#ffffff", BONE.lower()}
    coloured = {to_hex(c) for c in marks} - neutral
    assert coloured and coloured <= palette, coloured - palette
    plt.close(fig)


def test_views_show_each_figure_once_with_its_description(monkeypatch):
    shown = []
    monkeypatch.setattr(
        views, "show_figure", lambda fig, description: shown.append((fig, description))
    )
    views.approaches_figure()
    views.ultrasound_figure(recess_mm=8)
    assert [d for _, d in shown] == [figures.approaches_alt(), figures.ultrasound_alt(8)]
    for fig, _ in shown:
        plt.close(fig)
    assert ui_figures.short_alt(figures.approaches_alt()).startswith("Two schematics.")
