"""Session fixtures for the real-browser tests: one JupyterLab, one Voila, one Chromium.

- Servers listen on free ports on 127.0.0.1, with throw-away Jupyter config/data/runtime/
  settings dirs, a fixed token (Lab), ``--allow-root`` when root, the news toast turned off via
  ``overrides.json`` in the throw-away app-settings dir, and ``FLUOROHIP_HOME`` pointing at a
  temporary progress folder that the tests then read.
- Every test gets a fresh browser context; after each Lab test every kernel is shut down.
- Without Chromium the tests skip with the reason, unless ``FLUOROHIP_REQUIRE_BROWSER=1``
  (set by ``.ci/run``): then they fail with it.
- Each browser test has a watchdog (``TEST_WATCHDOG_S``) on top of the per-step timeouts.
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
from pathlib import Path

import a11y
import browser_harness as H
import pytest

_SKIP_REASONS: list[str] = []


def _requirement_problem() -> str | None:
    if H.find_chromium() is None:
        return (
            "no Chromium found (looked for `chromium`, `chromium-browser`, `google-chrome` and "
            "$FLUOROHIP_CHROMIUM); install Debian's package: apt-get install chromium"
        )
    for mod in ("playwright.sync_api", "jupyterlab", "voila"):
        try:
            __import__(mod)
        except ImportError as exc:
            return f"{mod} is not importable ({exc}); run: pip install -e '.[test]'"
    return None


def _require_browser() -> None:
    problem = _requirement_problem()
    if problem is None:
        return
    if os.environ.get("FLUOROHIP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"FLUOROHIP_REQUIRE_BROWSER=1 but {problem}", pytrace=False)
    if problem not in _SKIP_REASONS:
        _SKIP_REASONS.append(problem)
    pytest.skip(f"browser tests skipped: {problem}")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _SKIP_REASONS:
        terminalreporter.write_sep("=", "REAL-BROWSER TESTS SKIPPED", yellow=True, bold=True)
        for reason in _SKIP_REASONS:
            terminalreporter.write_line(f"tests/browser: {reason}")
        terminalreporter.write_line(
            "(set FLUOROHIP_REQUIRE_BROWSER=1 to make this a failure, as .ci/run does)"
        )
    if H.TIMINGS_FILE.exists() and getattr(config, "_fluorohip_wrote_timings", False):
        terminalreporter.write_line(
            f"browser timings: {H.TIMINGS_FILE.relative_to(H.ROOT)}; "
            f"screenshots: {H.SCREENSHOTS.relative_to(H.ROOT)}/"
        )


class BrowserTestTimeout(Exception):
    pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A watchdog for each browser test: a hang becomes a failure, never a stuck CI job."""
    use = item.get_closest_marker("browser") is not None and hasattr(signal, "SIGALRM")
    limit = H.TEST_WATCHDOG_S
    marker = item.get_closest_marker("watchdog")
    if marker:
        limit = marker.args[0]

    def _fire(signum, frame):
        raise BrowserTestTimeout(f"{item.nodeid} exceeded the {limit} s watchdog")

    if use:
        previous = signal.signal(signal.SIGALRM, _fire)
        signal.alarm(limit)
    try:
        yield
    finally:
        if use:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "watchdog(seconds): per-test hard time limit for browser tests"
    )


# ------------------------------------------------------------------------------------------
# Session resources
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_ok():
    _require_browser()
    return H.find_chromium()


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fluorohip-browser")


@pytest.fixture(scope="session")
def scratch_dir(browser_ok) -> Path:
    """A folder inside the repo (under the git-ignored build/) that Lab's root can reach, for
    temporary notebook copies. Removed at the end of the session."""
    path = H.BUILD / "browser-scratch" / f"run-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


@pytest.fixture(scope="session")
def timings(pytestconfig, browser_ok):
    t = H.Timings()
    yield t
    meta = {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": H.find_chromium(),
    }
    try:
        import importlib.metadata as md

        for pkg in ("playwright", "jupyterlab", "voila", "ipywidgets"):
            meta[pkg] = md.version(pkg)
    except Exception:
        pass
    t.write(meta=meta)
    pytestconfig._fluorohip_wrote_timings = True


@pytest.fixture(scope="session")
def a11y_results(browser_ok):
    """axe-core results of this session (Lab pass in test_browser_notebooks.py, Voila pass in
    test_browser_a11y.py), written to build/a11y/ at the end: summary, nodes, chrome-only."""
    collector = a11y.Collector()
    yield collector
    collector.write()


@pytest.fixture(scope="session")
def lab(browser_ok, session_dir, timings):
    server = H.lab_server(session_dir / "lab", session_dir / "home-lab", H.ARTEFACTS / "logs")
    server.fluorohip_home = session_dir / "home-lab"
    try:
        server.start()
    except H.ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    timings.add("servers", "jupyterlab_ready_s", round(server.started_s, 3))
    yield server
    try:
        H.delete_all_kernels(server)
    except Exception:
        pass
    server.stop()


@pytest.fixture(scope="session")
def voila(browser_ok, session_dir, timings):
    server = H.voila_server(session_dir / "voila", session_dir / "home-voila", H.ARTEFACTS / "logs")
    server.fluorohip_home = session_dir / "home-voila"
    try:
        server.start()
    except H.ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    timings.add("servers", "voila_ready_s", round(server.started_s, 3))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(browser_ok):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=browser_ok, headless=True, args=H.CHROMIUM_ARGS, timeout=60_000
    )
    yield browser
    try:
        browser.close()
    finally:
        pw.stop()


@pytest.fixture
def page(chromium):
    """A fresh context and page; records console errors and any request that tried to leave
    the machine (the course must work offline)."""
    context = chromium.new_context(viewport=H.VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.console_errors = []
    pg.external_requests = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)

    def _request(req):
        if not req.url.startswith(
            ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        ):
            pg.external_requests.append(req.url)

    pg.on("request", _request)
    yield pg
    context.close()


@pytest.fixture
def lab_page(page, lab):
    """A page for JupyterLab; every kernel is shut down afterwards so the next test starts clean."""
    yield page
    try:
        page.close()
    except Exception:
        pass
    H.delete_all_kernels(lab)
