"""Chapter 06's figures and widgets: alt text, palette, notebook helpers, the Fagan widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from fluorohip.chapters.interpretation import figures as F
from fluorohip.chapters.interpretation import model as I
from fluorohip.chapters.interpretation import views as V
from fluorohip.ui.palette import OKABE_ITO_LIST


def test_notebook_helpers_and_plain_language_alt_text():
    html_list = V.next_steps_html()
    assert all(k in html_list for k in I.NEXT_STEPS)
    lrs = V.bayes_demo_lrs()
    assert lrs["response"] > 10 > 1 > lrs["no response, landmark"] > lrs["no response"]
    diary = I.load_synthetic_diaries()["clear-responder"]["diary"]
    alt = V.diary_alt_text(diary)
    assert "Pattern: anaesthetic-response" not in alt
    assert "relief inside the anaesthetic window" in alt


def test_figures_take_their_colours_from_the_course_palette():
    """Every coloured line, band and marker of the three figures is one of the palette's colours."""
    from matplotlib.colors import to_hex

    palette = {c.lower() for c in OKABE_ITO_LIST}
    diary = I.load_synthetic_diaries()["clear-responder"]["diary"]
    for fig in (F.plot_diary(diary), F.plot_fagan(0.5, V.bayes_demo_lrs()), F.plot_dilution()):
        colours = set()
        for ax in fig.axes:
            colours |= {to_hex(line.get_color()) for line in ax.get_lines()}
            colours |= {to_hex(t.get_color()) for t in ax.texts}
        assert colours <= palette, colours - palette
        plt.close(fig)


def test_fagan_widget_presets_and_custom_lr():
    w = V.FaganWidget(pre_test_percent=50)
    assert "post-test" in w.result.value
    fai = [k for k in V.LR_PRESETS if "FAIS" in k]
    assert fai == [
        "response → good FAIS surgery (LR+ 1.15)",
        "response → good FAIS surgery (LR+ 1.92)",
    ]
    w.preset.value = "custom"
    w.custom.value = "0"
    assert "not either end" in w.result.value
    w.custom.value = "5,0"  # a decimal comma is read by the course's one number parser
    assert "LR 5 " in w.result.value


@pytest.mark.parametrize("bad", ["abc", "-1", ""])
def test_fagan_widget_refuses_a_bad_custom_lr_with_a_message(bad):
    w = V.FaganWidget()
    w.preset.value = "custom"
    w.custom.value = bad
    assert "custom LR" in w.result.value and "Traceback" not in w.result.value
