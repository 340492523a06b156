"""`make site`: build the static course and open the pages (HTML parser; Chromium when present)."""

from __future__ import annotations

import concurrent.futures
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from fluorohip.instructor.site import build_site, main
from fluorohip.quiz.loader import load_bank
from fluorohip.quiz.model import CaseQuestion

ROOT = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.imgs, self.scripts, self.external_src = [], [], 0, []
        self.details_depth = 0
        self.right_outside_details = 0
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "details":
            self.details_depth += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "link" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.imgs.append(a)
            if not a.get("src", "").startswith("data:"):
                self.links.append(a.get("src", ""))
        if tag == "script":
            self.scripts += 1
        for key in ("src",):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external_src.append(a[key])

    def handle_endtag(self, tag):
        if tag == "details":
            self.details_depth -= 1

    def handle_data(self, data):
        if "(right)" in data and self.details_depth == 0:
            self.right_outside_details += 1


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    written = build_site(out)
    return out, written


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_index_links_every_notebook(site):
    out, written = site
    notebooks = sorted(
        p.relative_to(ROOT / "notebooks").with_suffix(".html").as_posix()
        for p in (ROOT / "notebooks").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )
    assert sorted(w for w in written if w != "index.html") == notebooks
    links = _parse(out / "index.html").links
    for target in notebooks:
        assert target in links, target


def test_pages_are_offline_and_links_resolve(site):
    out, written = site
    for name in written:
        path = out / name
        page = _parse(path)
        assert page.scripts == 0, f"{name}: has a script"
        assert page.external_src == [], f"{name}: loads {page.external_src}"
        for img in page.imgs:
            assert img.get("alt", "").strip(), f"{name}: an image without alt text"
        for href in page.links:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("#", "mailto:")) or not href:
                continue
            target = (path.parent / unquote(parsed.path)).resolve()
            assert target.is_file(), f"{name}: broken link {href}"


def test_quizzes_are_written_out_with_answers_hidden(site):
    out, _ = site
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        bank_file = ROOT / "assets" / "quizzes" / f"{nb.stem}.yaml"
        if not bank_file.exists() or 'show_quiz("' not in nb.read_text(encoding="utf-8"):
            continue
        bank = load_bank(nb.stem)
        page = _parse(out / f"{nb.stem}.html")
        for q in bank.questions:
            assert q.key in page.ids, f"{nb.stem}: question {q.id} missing"
            for stage in q.stages if isinstance(q, CaseQuestion) else ():
                assert stage.key in page.ids
        assert page.right_outside_details == 0, f"{nb.stem}: an answer is visible without a click"
        text = (out / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert text.count("<summary>Show answer</summary>") >= len(bank.questions) - sum(
            isinstance(q, CaseQuestion) for q in bank.questions
        )
        assert "[@" not in text, f"{nb.stem}: an unresolved citation marker"


def test_cli(tmp_path, capsys):
    assert main(["--out", str(tmp_path / "s")]) == 0
    assert (tmp_path / "s" / "index.html").exists()
    assert "Wrote" in capsys.readouterr().out


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")
def test_pages_open_in_chromium(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    out, _ = site
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

    def visit() -> list[str]:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True, args=args
            )
            page = browser.new_page()
            failed = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto((out / "index.html").as_uri())
            page.get_by_role("link", name="Start here").first.click()
            page.wait_for_load_state()
            assert page.url.endswith("00_start_here.html")
            first = page.locator("details").first
            answer = first.locator(".answer")
            assert not answer.is_visible()  # hidden until the click
            first.locator("summary").click()
            assert answer.is_visible()
            browser.close()
        return failed

    # Playwright's sync API refuses to start inside a running asyncio loop, which the
    # real-browser suite's session keeps open in the main thread: use a thread of our own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        failed = pool.submit(visit).result(timeout=180)
    assert failed == []
