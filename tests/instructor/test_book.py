"""`make site`: the course website (Sphinx + MyST-NB, offline). Built once per module; the pages are
read with an HTML parser and one is opened in Debian's Chromium."""

from __future__ import annotations

import concurrent.futures
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from fluorohip.core.bibliography import load_bibliography
from fluorohip.instructor import book, book_bibliography, book_pages
from fluorohip.instructor.notebook_export import course_notebooks
from fluorohip.quiz.loader import load_bank
from fluorohip.quiz.model import CaseQuestion

pytest.importorskip("sphinx", reason="the `site` extra is not installed")
pytest.importorskip("myst_nb", reason="the `site` extra is not installed")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script> {raw}`html` [x](javascript:alert(1)) & $x$ \\textbf{b} }{"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.external, self.links, self.details = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        if tag == "details":
            self.details += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("src", "href"):
            if tag in ("script", "link", "img") and str(a.get(key, "")).startswith(
                ("http:", "https:", "//")
            ):
                self.external.append(a[key])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / "site"
    return book.build(out, mathjax=book.default_mathjax())


def test_bibtex_is_generated_from_references_yaml():
    bib = load_bibliography()
    text = book_bibliography.bibtex(bib)
    assert set(re.findall(r"^@misc\{([^,]+),", text, flags=re.MULTILINE)) == set(bib)
    hostile = book_bibliography.bibtex(
        {"Evil2020": {"short": HOSTILE, "citation": HOSTILE, "year": 2020}}
    )
    body = hostile.split("\n", 1)[1]
    # no brace or backslash from content can open a group or a command for pybtex
    assert (
        "\\" not in body and body.count("{") == 3 and body.count("}") == 4
    )  # three fields and the entry
    assert '"citation-label": "<script>' in book_bibliography.csl_json(
        {"Evil2020": {"short": "<script>", "citation": "x"}}
    )


def test_citations_become_roles():
    md = "Text ([A et al. 2020](#ref-A2020); [B 2019](#ref-B2019)) and [@C2018][@D-1] but `[@E]`."
    assert (
        book_bibliography.cite_roles(md)
        == "Text {cite:p}`A2020,B2019` and {cite:p}`C2018,D-1` but `[@E]`."
    )


def test_content_text_cannot_become_markup():
    rendered = MarkdownIt("commonmark").render(book_pages.myst_text(HOSTILE))
    assert "<script" not in rendered and "<a " not in rendered and "&lt;script&gt;" in rendered
    assert book_pages.directive_option("a\nb  c") == "a b c"


def test_every_chapter_has_a_page_and_the_index_lists_them(site):
    chapters = course_notebooks()
    for chapter in chapters:
        assert (site / f"{chapter.docname}.html").is_file(), chapter.docname
    index = (site / "index.html").read_text(encoding="utf-8")
    for chapter in chapters:
        if "/" not in chapter.docname:
            assert f'href="{chapter.docname}.html"' in index
    assert (site / "search.html").is_file() and (site / "searchindex.js").is_file()
    assert (site / "references.bib").is_file() and (site / "references.json").is_file()


def test_pages_are_offline_with_launch_button_alt_text_and_citations(site):
    for chapter in course_notebooks():
        page = _parse(site / f"{chapter.docname}.html")
        assert not page.external, f"{chapter.docname}: loads {page.external[:2]} from the network"
        for img in page.imgs:
            assert (img.get("alt") or "").strip(), f"{chapter.docname}: an image without alt text"
        assert any(
            "mybinder.org/v2/" in link
            and f"urlpath=lab/tree/notebooks/{chapter.docname}.ipynb" in link
            for link in page.links
        ), f"{chapter.docname}: no Binder launch button"
        text = (site / f"{chapter.docname}.html").read_text(encoding="utf-8")
        assert "[@" not in text and "](#ref-" not in text, chapter.docname
    anatomy = (site / "01_hip_anatomy.html").read_text(encoding="utf-8")
    assert anatomy.count('class="bibtex-citation"') >= 5
    assert "references.html#" in anatomy


def test_quizzes_show_options_with_answers_closed(site):
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if (
            f'show_quiz(\\"{nb.stem}\\")' not in nb.read_text()
            and "show_quiz(" not in nb.read_text()
        ):
            continue
        bank = (
            load_bank(nb.stem)
            if (ROOT / "assets" / "quizzes" / f"{nb.stem}.yaml").exists()
            else None
        )
        if bank is None:
            continue
        text = (site / f"{nb.stem}.html").read_text(encoding="utf-8")
        shown = len(bank.questions) - sum(isinstance(q, CaseQuestion) for q in bank.questions)
        assert text.count("<summary>Show answer</summary>") >= shown, nb.stem
        assert "<details open" not in text, nb.stem


def test_simulator_gallery_and_maths(site):
    gallery = _parse(site / f"{book_pages.GALLERY}.html")
    frames = [img for img in gallery.imgs if "frame_" in img.get("src", "")]
    assert len(frames) == 6 and all("Simulated fluoroscopy frame" in f["alt"] for f in frames)
    maths = (site / "03_injectates.html").read_text(encoding="utf-8")
    if book.default_mathjax() is not None:
        assert (
            "_static/mathjax/tex-chtml.js" in maths
            and (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
        )


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")
def test_a_page_opens_in_chromium_with_quiz_figure_and_search(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

    def visit() -> dict:
        seen = {}
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True, args=args
            )
            page = browser.new_page()
            external = []
            page.on(
                "request", lambda r: external.append(r.url) if r.url.startswith("http") else None
            )
            page.goto((site / "05_procedure.html").as_uri())
            quiz = page.locator("article details").first
            answer = quiz.locator(".answer").first
            seen["hidden_before"] = not answer.is_visible()
            quiz.locator("summary").first.click()
            seen["shown_after"] = answer.is_visible()
            figure = page.locator("article img[alt]").first
            seen["alt"] = figure.get_attribute("alt")
            seen["figure_loaded"] = page.evaluate(
                "(img) => img.complete && img.naturalWidth > 0", figure.element_handle()
            )
            page.goto((site / "03_injectates.html").as_uri())
            if book.default_mathjax() is not None:
                page.wait_for_selector("mjx-container", timeout=30000)
                seen["maths"] = page.locator("mjx-container").count()
            page.goto((site / "search.html").as_uri() + "?q=fluoroscopy")
            page.wait_for_selector("#search-results li", timeout=60000)
            seen["search_hits"] = page.locator("#search-results li").count()
            seen["external"] = external
            browser.close()
        return seen

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(visit).result(timeout=240)
    assert seen["hidden_before"] and seen["shown_after"]
    assert seen["alt"] and seen["figure_loaded"]
    assert seen["search_hits"] > 0
    assert seen.get("maths", 1) > 0
    assert seen["external"] == []
