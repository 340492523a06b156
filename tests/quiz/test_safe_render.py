"""Bank Markdown must never run script in the learner's browser."""

from __future__ import annotations

from fluorohip.quiz.render import cite_labels, markdown_html, sources_html

BIB = {
    "Hoeber2016": {"short": "Hoeber et al. 2016", "citation": "Hoeber S, et al. 2016. <Journal>."}
}


def test_raw_html_is_shown_as_text():
    out = markdown_html('<script>alert(1)</script> <img src=x onerror="alert(2)">', BIB)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


def test_javascript_links_are_refused():
    for url in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:x",
        "data:text/html,<b>x</b>",
    ):
        out = markdown_html(f"[click]({url})", BIB)
        assert "href" not in out, out
    assert 'href="https://doi.org/x"' in markdown_html("[ok](https://doi.org/x)", BIB)


def test_markdown_still_works():
    out = markdown_html("**bold** and *it*\n\n- a\n- b", BIB)
    assert "<strong>bold</strong>" in out and "<li>a</li>" in out


def test_citations_become_short_labels():
    assert cite_labels("See [@Hoeber2016].", BIB) == "See (Hoeber et al. 2016)."
    assert cite_labels("See [@Nope].", BIB) == "See (source Nope)."
    assert "(Hoeber et al. 2016)" in markdown_html("See [@Hoeber2016].", BIB)


def test_sources_are_escaped():
    out = sources_html(["Hoeber2016"], BIB)
    assert "Hoeber et al. 2016" in out and "&lt;Journal&gt;" in out and "<Journal>" not in out
    assert sources_html([], BIB) == ""
