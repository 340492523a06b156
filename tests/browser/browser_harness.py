"""Helpers for the real-browser tests: servers, the notebook page, and what the page shows.

Kept apart from ``conftest.py`` so the negative control and the harness tests can call the
same checking code the real tests use. Every wait here has a timeout; nothing sleeps blindly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
ARTEFACTS = BUILD / "browser-artefacts"
SCREENSHOTS = ARTEFACTS / "screenshots"
TIMINGS_FILE = BUILD / "browser-timings.json"

TOKEN = "fluorohip-browser-test-token"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Flags that keep Debian's Chromium headless, rootable and off the network (notebook-testing §3).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]
VIEWPORT = {"width": 1280, "height": 900}

# Lab settings for the throw-away settings dir: no news toast, no update check, no autosave,
# and every cell kept in the DOM (windowing would detach off-screen cells and their widgets).
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # Never write a test run back into the course's notebooks.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}

# Timeouts (seconds unless *_MS). Generous for 2 shared cores, but every wait ends.
SERVER_START_S = 60
SERVER_STOP_S = 10
KERNEL_READY_MS = 60_000
RUN_ALL_MS = 240_000
WIDGET_RENDER_MS = 30_000
FEEDBACK_MS = 20_000
TEST_WATCHDOG_S = 300


def find_chromium() -> str | None:
    """The system Chromium (Debian's ``chromium``), or None. Never Playwright's own download."""
    env = os.environ.get("FLUOROHIP_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def notebook_paths() -> list[Path]:
    """Every course notebook, found afresh each run so new chapters are covered as they land."""
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value; TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


class ServerStartError(RuntimeError):
    pass


@dataclass
class ServerProcess:
    """A server in its own process group, with a log file, a readiness URL and a hard stop."""

    name: str
    argv: list[str]
    env: dict
    port: int
    ready_path: str
    log_path: Path
    runtime_dir: Path
    headers: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    started_s: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = SERVER_START_S) -> ServerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=str(ROOT),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = t0 + timeout
        while True:
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"{self.name} exited with {self.proc.returncode} before it "
                    f"was ready; log tail:\n{self.log_tail()}"
                )
            if self._ready():
                self.started_s = time.monotonic() - t0
                return self
            if time.monotonic() >= deadline:
                self.stop()
                raise ServerStartError(
                    f"{self.name} not ready after {timeout:.0f} s on port "
                    f"{self.port}; stopped it. Log tail:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def _ready(self) -> bool:
        try:
            return self.request("GET", self.ready_path, timeout=2)[0] == 200
        except (OSError, urllib.error.URLError):
            return False

    def request(self, method: str, path: str, timeout: float = 10, body: bytes | None = None):
        req = urllib.request.Request(
            self.base_url + path, method=method, data=body, headers=self.headers
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = SERVER_STOP_S) -> None:
        """SIGTERM the process group (the server shuts its kernels down), then SIGKILL; then kill
        any kernel still holding a connection file in this server's runtime dir."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        for pid in leftover_kernel_pids(self.runtime_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def leftover_kernel_pids(runtime_dir: Path) -> list[int]:
    """Processes whose command line names a connection file in ``runtime_dir``: kernels this
    test session started (each kernel is launched with ``-f <runtime_dir>/kernel-….json``)."""
    marker = str(runtime_dir)
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd and "kernel" in cmd:
            pids.append(int(entry.name))
    return pids


def jupyter_env(base: Path, fluorohip_home: Path) -> dict:
    """Environment for a server: every Jupyter/IPython/matplotlib dir in the throw-away ``base``,
    and the learner's progress store in ``fluorohip_home``."""
    env = dict(os.environ)
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "IPYTHONDIR": base / "ipython",
        "MPLCONFIGDIR": base / "mpl",
        "JUPYTERLAB_SETTINGS_DIR": base / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    fluorohip_home.mkdir(parents=True, exist_ok=True)
    env["FLUOROHIP_HOME"] = str(fluorohip_home)
    env.pop("FLUOROHIP_WORKSHOP_MODE", None)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def lab_server(base: Path, fluorohip_home: Path, log_dir: Path) -> ServerProcess:
    env = jupyter_env(base, fluorohip_home)
    app_settings = base / "app-settings"
    app_settings.mkdir(parents=True, exist_ok=True)
    (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES))
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.app_settings_dir={app_settings}",
        "--LabApp.news_url=",
        "--expose-app-in-browser",
        "--ServerApp.open_browser=False",
        "--MappingKernelManager.cull_idle_timeout=0",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    return ServerProcess(
        "JupyterLab",
        argv,
        env,
        port,
        "/api/status",
        log_dir / "lab.log",
        base / "runtime",
        headers={"Authorization": f"token {TOKEN}"},
    )


def voila_server(base: Path, fluorohip_home: Path, log_dir: Path) -> ServerProcess:
    env = jupyter_env(base, fluorohip_home)
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--Voila.root_dir={ROOT}",
        "--Voila.port_retries=0",
        "--show_tracebacks=True",
        f"--Voila.connection_dir_root={base / 'runtime'}",
    ]
    return ServerProcess("Voila", argv, env, port, "/", log_dir / "voila.log", base / "runtime")


def delete_all_kernels(server: ServerProcess, timeout: float = 15) -> int:
    """Shut every kernel of a Lab server down (sessions first). Returns how many there were."""
    status, body = server.request("GET", "/api/kernels")
    kernels = json.loads(body) if status == 200 else []
    status, body = server.request("GET", "/api/sessions")
    for s in json.loads(body) if status == 200 else []:
        server.request("DELETE", f"/api/sessions/{s['id']}", timeout=timeout)
    for k in kernels:
        server.request("DELETE", f"/api/kernels/{k['id']}", timeout=timeout)
    wait_until(
        lambda: json.loads(server.request("GET", "/api/kernels")[1]) == [],
        timeout,
        what="the Lab server to report no kernels",
    )
    return len(kernels)


# --------------------------------------------------------------------------------------------
# The stored notebook: what a run must reproduce
# --------------------------------------------------------------------------------------------


@dataclass
class StoredExpectations:
    path: Path
    code_cells: int
    rich_outputs: list[int]  # per cell index: display_data + execute_result in the stored file
    images: int  # stored image/png outputs
    source: list[str]  # per cell index

    @classmethod
    def read(cls, path: Path) -> StoredExpectations:
        nb = json.loads(path.read_text(encoding="utf-8"))
        rich, images, sources, code = [], 0, [], 0
        for cell in nb["cells"]:
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            sources.append(src)
            outs = cell.get("outputs", []) if cell["cell_type"] == "code" else []
            code += cell["cell_type"] == "code"
            rich.append(sum(o["output_type"] in ("display_data", "execute_result") for o in outs))
            images += sum(
                "image/png" in o.get("data", {}) or _is_figure_html(o.get("data", {})) for o in outs
            )
        return cls(path, code, rich, images, sources)


def _is_figure_html(data: dict) -> bool:
    """A figure shown through fluorohip.ui.figures (stored as HTML with alt text)."""
    html = data.get("text/html", "")
    return 'class="fluorohip-figure"' in ("".join(html) if isinstance(html, list) else html)


# --------------------------------------------------------------------------------------------
# JupyterLab page
# --------------------------------------------------------------------------------------------

JS_KERNEL_IDLE = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.path === path && w.sessionContext
            && w.sessionContext.isReady
            && w.sessionContext.session?.kernel?.status === 'idle');
}"""

JS_RUN_ALL = """() => {
  window.__fhRunAll = null;
  const app = window.jupyterapp;
  app.commands.execute('notebook:clear-all-cell-outputs')
    .then(() => app.commands.execute('notebook:run-all-cells'))
    .then(ok => { window.__fhRunAll = {ok: ok !== false}; },
          err => { window.__fhRunAll = {ok: false, error: String(err)}; });
  return true;
}"""

JS_RUN_ALL_DONE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!window.__fhRunAll) return false;
  if (w.sessionContext.session?.kernel?.status !== 'idle') return false;
  const cells = w.content.widgets;
  for (const c of cells) {
    const p = c.node.querySelector('.jp-InputPrompt');
    if (p && p.textContent.includes('*')) return false;
  }
  return true;
}"""

# One record per cell: what the kernel sent (the live model) and what the page shows (DOM).
JS_INSPECT = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const WIDGET = 'application/vnd.jupyter.widget-view+json';
  const cells = [];
  w.content.widgets.forEach((cell, i) => {
    const m = cell.model;
    const rec = {index: i, type: m.type, exec: null, outputs: [], dom: []};
    if (m.type === 'code') {
      rec.exec = m.executionCount;
      rec.source = m.sharedModel.getSource();
      for (let j = 0; j < m.outputs.length; j++) {
        const o = m.outputs.get(j).toJSON();
        const r = {type: o.output_type};
        if (o.output_type === 'stream') { r.name = o.name; r.text = String(o.text).slice(0, 2000); }
        if (o.output_type === 'error') { r.ename = o.ename; r.evalue = String(o.evalue).slice(0, 500); }
        if (o.data) { r.mimes = Object.keys(o.data);
                      r.plain = String(o.data['text/plain'] || '').slice(0, 300); }
        rec.outputs.push(r);
      }
      const area = cell.node.querySelector('.jp-OutputArea');
      const kids = area ? area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output') : [];
      kids.forEach(el => {
        const mime = el.getAttribute('data-mime-type');
        const text = el.innerText || '';
        rec.dom.push({
          mime: mime,
          widgetView: !!el.querySelector('.jupyter-widgets, .widget-container, .widget-inline-hbox'),
          widgetError: !!el.querySelector('.jupyter-widgets-error-widget')
                       || /Error displaying widget|Error rendering widget|Could not render|Click to show javascript error/i.test(text),
          loading: /Loading widget/i.test(text) && !el.querySelector('.jupyter-widgets'),
          text: text.slice(0, 300),
        });
      });
      // ipywidgets' error view (a failed child inside a working container, too).
      rec.errorText = Array.from(cell.node.querySelectorAll('.jupyter-widgets-error-widget'))
        .map(e => 'widget error view: ' + (e.innerText || '').trim().slice(0, 200))
        .concat(Array.from(cell.node.querySelectorAll('.jp-OutputArea-output'))
          .map(e => e.innerText || '').filter(t => /Error displaying widget|Error rendering widget/i.test(t))
          .map(t => t.slice(0, 300)));
    }
    cells.push(rec);
  });
  const imgs = Array.from(w.content.node.querySelectorAll('.jp-RenderedImage img, .jp-OutputArea-output figure.fluorohip-figure > img'));
  return {
    cells,
    images: imgs.length,
    imagesDrawn: imgs.filter(im => im.complete && im.naturalWidth > 0).length,
  };
}"""

# A widget view has finished rendering when no widget output still says "Loading widget".
JS_WIDGETS_SETTLED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const outs = w.content.node.querySelectorAll('.jp-OutputArea-output');
  for (const el of outs) {
    const t = el.innerText || '';
    if (/Loading widget/i.test(t) && !el.querySelector('.jupyter-widgets')) return false;
  }
  const imgs = w.content.node.querySelectorAll('.jp-RenderedImage img, .jp-OutputArea-output figure.fluorohip-figure > img');
  for (const im of imgs) { if (!im.complete) return false; }
  return true;
}"""


@dataclass
class NotebookRun:
    rel_path: str
    open_to_kernel_ready_s: float
    run_all_to_idle_s: float
    open_to_idle_s: float
    report: dict
    problems: list[str]
    run_all_result: dict | None = None


def open_notebook(page, lab: ServerProcess, rel_path: str):
    """Open ``rel_path`` (relative to the repo root) in Lab; wait until its kernel is idle."""
    t0 = time.monotonic()
    page.goto(
        f"{lab.base_url}/lab/tree/{rel_path}?reset&token={TOKEN}",
        wait_until="domcontentloaded",
        timeout=60_000,
    )
    # An unknown kernelspec would open "Select Kernel"; accept the default so tests never hang.
    deadline = time.monotonic() + KERNEL_READY_MS / 1000
    while True:
        try:
            page.wait_for_function(JS_KERNEL_IDLE, arg=rel_path, timeout=2_000, polling=100)
            break
        except Exception:
            dialog = page.locator(".jp-Dialog .jp-mod-accept")
            if dialog.count():
                dialog.first.click(timeout=5_000)
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"kernel for {rel_path} not idle after {KERNEL_READY_MS / 1000:.0f} s"
                ) from None
    # More room for the notebook (and the screenshots): fold the file browser away.
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    return time.monotonic() - t0


def run_all(page, timeout_ms: int = RUN_ALL_MS) -> tuple[float, dict]:
    t0 = time.monotonic()
    page.evaluate(JS_RUN_ALL)
    page.wait_for_function(JS_RUN_ALL_DONE, timeout=timeout_ms, polling=100)
    return time.monotonic() - t0, page.evaluate("() => window.__fhRunAll")


def inspect_page(page) -> dict:
    try:
        page.wait_for_function(JS_WIDGETS_SETTLED, timeout=WIDGET_RENDER_MS, polling=100)
    except Exception:
        pass  # report what is there; the problems list says what never rendered
    return page.evaluate(JS_INSPECT)


def problems_in(
    report: dict, stored: StoredExpectations, run_all_result: dict | None = None
) -> list[str]:
    """Everything a resident would see go wrong, as readable lines (empty list = all good)."""
    problems = []
    if run_all_result is not None and not run_all_result.get("ok", False):
        problems.append(f"Run All did not complete: {run_all_result}")
    widgets_expected = widgets_rendered = 0
    for cell in report["cells"]:
        if cell["type"] != "code":
            continue
        i = cell["index"]
        where = f"cell {i} ({_first_line(cell.get('source', ''))!r})"
        if cell.get("source", "").strip() and cell["exec"] is None:
            problems.append(f"{where}: never executed")
        for o in cell["outputs"]:
            if o["type"] == "error":
                problems.append(f"{where}: error output {o.get('ename')}: {o.get('evalue')}")
            elif o["type"] == "stream" and o.get("name") == "stderr":
                problems.append(f"{where}: stderr output: {o.get('text', '').strip()[:300]}")
        live_rich = sum(o["type"] in ("display_data", "execute_result") for o in cell["outputs"])
        if i < len(stored.rich_outputs) and live_rich < stored.rich_outputs[i]:
            problems.append(
                f"{where}: the stored notebook shows {stored.rich_outputs[i]} displayed "
                f"output(s) here, this run produced {live_rich}"
            )
        # The page has one output element per model output, in order: pair them up.
        for j, o in enumerate(cell["outputs"]):
            if WIDGET_MIME not in (o.get("mimes") or []):
                continue
            widgets_expected += 1
            d = cell["dom"][j] if j < len(cell["dom"]) else None
            if d is None:
                problems.append(
                    f"{where}: widget output {j} ({o.get('plain', '')[:80]!r}) is not on the page"
                )
            elif d["mime"] and not d["widgetView"]:
                problems.append(
                    f"{where}: widget output {j} fell back to {d['mime']}: {d['text'][:120]!r}"
                )
            elif d["widgetError"] or not d["widgetView"]:
                problems.append(
                    f"{where}: widget output {j} ({o.get('plain', '')[:80]!r}) did not "
                    f"render; the page shows {d['text'][:160]!r}"
                )
            else:
                widgets_rendered += 1
        for t in cell.get("errorText", []):
            problems.append(f"{where}: widget error on the page: {t[:200]!r}")
    if report["images"] < stored.images:
        problems.append(
            f"{report['images']} figure(s) on the page, the stored notebook has "
            f"{stored.images} image/png output(s)"
        )
    if report["imagesDrawn"] < report["images"]:
        problems.append(
            f"{report['images'] - report['imagesDrawn']} figure(s) on the page never "
            "finished drawing (img not loaded)"
        )
    report["widgets_expected"] = widgets_expected
    report["widgets_rendered"] = widgets_rendered
    return _dedupe(problems)


def check_notebook(
    page, lab: ServerProcess, rel_path: str, stored: StoredExpectations
) -> NotebookRun:
    t_open = time.monotonic()
    ready_s = open_notebook(page, lab, rel_path)
    run_s, result = run_all(page)
    report = inspect_page(page)
    problems = problems_in(report, stored, result)
    return NotebookRun(
        rel_path,
        round(ready_s, 3),
        round(run_s, 3),
        round(time.monotonic() - t_open, 3),
        report,
        problems,
        result,
    )


def _first_line(src: str) -> str:
    lines = [ln for ln in src.splitlines() if ln.strip()]
    return (lines[0] if lines else "")[:60]


def _dedupe(items: list[str]) -> list[str]:
    seen, out = set(), []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
    return out


def scroll_to_top(page) -> None:
    page.evaluate("""() => { const w = window.jupyterapp.shell.currentWidget;
        const s = w && w.content && (w.content.outerNode || w.content.node);
        if (s) s.scrollTop = 0; }""")


def screenshot(page, name: str, locator=None) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    if locator is not None:
        locator.scroll_into_view_if_needed(timeout=5_000)
    page.screenshot(path=str(path), timeout=15_000)
    return path


# --------------------------------------------------------------------------------------------
# Progress store (read directly from disk, the way an instructor's export would)
# --------------------------------------------------------------------------------------------


def progress_attempts(home: Path) -> list[dict]:
    """Attempts in ``home``: the old ``progress.json`` (if any), then the log ``attempts.jsonl``
    (header line first; a line still being written has no newline yet and is left out)."""
    out: list[dict] = []
    legacy = home / "progress.json"
    if legacy.exists():
        out += json.loads(legacy.read_text(encoding="utf-8")).get("attempts", [])
    log = home / "attempts.jsonl"
    if log.exists():
        complete = log.read_bytes().rpartition(b"\n")[0].decode("utf-8").split("\n")
        out += [json.loads(line) for line in complete[1:] if line]
    return out


# --------------------------------------------------------------------------------------------
# Timings for the benchmarks engineer
# --------------------------------------------------------------------------------------------


class Timings:
    def __init__(self):
        self.data: dict = {"notebooks": {}, "quiz": {}, "fluoroscope": {}, "servers": {}}

    def add(self, section: str, key: str, value) -> None:
        self.data.setdefault(section, {})[key] = value

    def write(self, path: Path = TIMINGS_FILE, meta: dict | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "about": "Wall-clock timings from tests/browser (seconds); real Chromium, headless.",
            "machine": meta or {},
            **self.data,
        }
        path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        return path


# --------------------------------------------------------------------------------------------
# Quiz: find a question inside the rendered quiz widget and answer it by clicking
# --------------------------------------------------------------------------------------------
# The same selectors work in JupyterLab and Voila. Everything is scoped to the quiz's own output
# area: the page also contains the code (`show_quiz(...)`), and text matched anywhere on the page
# would pass with a broken quiz (notebook-testing §3, scoping pitfall).

QUIZ_HOOK = ".fluorohip-quiz"  # used when the quiz engine adds this class; structure otherwise


@dataclass
class SingleChoice:
    key: str  # the id the progress store uses
    number: int  # 1-based position in the quiz
    right: str  # option labels as shown (the order on the page is shuffled)
    wrong: str
    right_id: str
    wrong_id: str
    right_feedback: str
    wrong_feedback: str


def single_choices(stem: str) -> list[SingleChoice]:
    """The bank's single-best-answer questions, with a right and a wrong option for each."""
    from fluorohip.quiz import load_bank
    from fluorohip.quiz.model import SingleQuestion
    from fluorohip.quiz.order import plain_label

    bank = load_bank(stem)
    out = []
    for n, q in enumerate(bank.select(None), start=1):
        if not isinstance(q, SingleQuestion):
            continue
        ids = [o.id for o in q.options]
        right = ids.index(q.answer)
        wrong = next(i for i in range(len(ids)) if i != right)
        out.append(
            SingleChoice(
                q.key or q.id,
                n,
                plain_label(q.options[right].text),
                plain_label(q.options[wrong].text),
                q.answer,
                ids[wrong],
                feedback_snippet(q.options[right].feedback),
                feedback_snippet(q.options[wrong].feedback),
            )
        )
    return out


def feedback_snippet(markdown: str, words: int = 6) -> str:
    """A few plain words from the start of a Markdown feedback text, as the page renders them."""
    plain = re.sub(r"\[@[^\]]+\]|[*_`#>]", "", markdown)
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain)
    return " ".join(plain.split()[:words])


def quiz_root(page, title: str):
    """The quiz widget's top box, found inside an output area by the bank's title."""
    hooked = page.locator(QUIZ_HOOK)
    if hooked.count():
        return hooked.filter(has_text=title).first
    area = page.locator(".jp-OutputArea-output:has(.jupyter-widgets)").filter(has_text=title).last
    return area.locator(":scope > .widget-vbox").first


def question_view(root, number: int):
    view = root.locator(":scope > .widget-vbox").nth(number - 1)
    view.get_by_text(re.compile(rf"^Question {number} of \d+")).first.wait_for(
        timeout=WIDGET_RENDER_MS
    )
    return view


def option_label(view, text: str):
    """The radio or checkbox label in ``view`` whose whole text is ``text`` (order is shuffled)."""
    exact = re.compile(r"^\s*" + re.escape(text) + r"\s*$")
    return (
        view.locator(".widget-radio-box label, .widget-checkbox label.widget-label-basic")
        .filter(has_text=exact)
        .first
    )


def answer_single(page, view, option: str, feedback_timeout_ms: int = FEEDBACK_MS) -> float:
    """Click the option labelled ``option`` and Check inside ``view``; return seconds from the
    Check click until feedback appears in the view's own status area."""
    option_label(view, option).click(timeout=10_000)
    status = view.locator("[role=status]")
    if status.count():
        raise AssertionError(f"feedback already shown before Check: {status.first.inner_text()!r}")
    t0 = time.monotonic()
    view.locator("button.jupyter-button", has_text="Check").click(timeout=10_000)
    status.first.wait_for(state="visible", timeout=feedback_timeout_ms)
    return time.monotonic() - t0


# --------------------------------------------------------------------------------------------
# Virtual fluoroscope: move a control, see a new frame, time it
# --------------------------------------------------------------------------------------------

FLUORO_HOOK = ".fluorohip-fluoroscope"  # used when the widget adds this class
# Code or stored reprs that mean "this notebook shows the virtual fluoroscope".
FLUORO_SOURCE = re.compile(
    r"FluoroscopeWidget|VirtualFluoroscope|guided_exercise|GuidedExercise|show_fluoroscope|ExerciseWidget"
)
# On the page: the outermost box holding a frame (an ipywidgets Image) and a pedal button.
FLUORO_BOX = (
    ".jp-OutputArea-output .widget-vbox:has(img.widget-image):has(button:has-text('pedal'))"
)

JS_NEW_FRAME = (
    """([img, old]) => !!img.src && img.src !== old && img.complete && img.naturalWidth > 0"""
)


def notebooks_with_fluoroscope() -> list[Path]:
    out = []
    for path in notebook_paths():
        if FLUORO_SOURCE.search(path.read_text(encoding="utf-8")):
            out.append(path)
    return out


def fluoroscope_root(page):
    hooked = page.locator(FLUORO_HOOK)
    if hooked.count():
        return hooked.first
    return page.locator(FLUORO_BOX).first


def fluoroscope_count(page) -> int:
    return page.locator(FLUORO_HOOK).count() or page.locator(FLUORO_BOX).count()


def _new_frame(page, img, old_src, timeout_ms) -> None:
    page.wait_for_function(
        JS_NEW_FRAME, arg=[img.element_handle(), old_src], timeout=timeout_ms, polling="raf"
    )


def exercise_fluoroscope(page, timeout_ms: int = 30_000) -> dict:
    """Move controls inside a fluoroscope widget and time control -> new frame on screen.

    Works for the free C-arm (``FluoroscopeWidget``) and the procedure's guided exercise:
    1. if there is a "Target overlay" tick box and a frame: toggle it (a redraw);
    2. move the first slider 5 steps with the keyboard (C-arm rotation, or needle entry), press
       "Set entry" if the widget has one, then the pedal: a new frame must appear;
    3. if there is an "Advance" button: advance, pedal again: a new frame must appear.
    Returns latencies in seconds; raises (timeout) if a frame never changes.
    """
    root = fluoroscope_root(page)
    root.wait_for(timeout=WIDGET_RENDER_MS)
    img = root.locator("img.widget-image").first
    pedal = root.locator("button.jupyter-button", has_text="pedal").first
    out = {}

    overlay = root.locator(".widget-checkbox", has_text="overlay").locator("input")
    if overlay.count() and img.get_attribute("src"):
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0",
            arg=img.element_handle(),
            timeout=timeout_ms,
        )
        src = img.get_attribute("src")
        t0 = time.monotonic()
        overlay.first.click(timeout=10_000)
        _new_frame(page, img, src, timeout_ms)
        out["toggle_to_frame_s"] = round(time.monotonic() - t0, 3)

    slider = root.locator(".widget-slider").first
    readout = slider.locator(".widget-readout")
    before = readout.inner_text().strip()
    slider.locator(".noUi-handle").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText.trim() !== old",
        arg=[readout.element_handle(), before],
        timeout=timeout_ms,
    )
    out["slider_from_to"] = [before, readout.inner_text().strip()]
    set_entry = root.locator("button.jupyter-button", has_text="Set entry")
    src = img.get_attribute("src")
    t0 = time.monotonic()
    if set_entry.count():
        set_entry.first.click(timeout=10_000)
    pedal.click(timeout=10_000)
    _new_frame(page, img, src, timeout_ms)
    out["control_pedal_to_frame_s"] = round(time.monotonic() - t0, 3)

    advance = root.locator("button.jupyter-button", has_text="Advance")
    if advance.count():
        src = img.get_attribute("src")
        t0 = time.monotonic()
        advance.first.click(timeout=10_000)
        pedal.click(timeout=10_000)
        _new_frame(page, img, src, timeout_ms)
        out["advance_pedal_to_frame_s"] = round(time.monotonic() - t0, 3)
    return out


def toggle_redraws(page, label: str, timeout_ms: int = 5_000) -> float | None:
    """Click the checkbox ``label`` in the fluoroscope; seconds to a new frame, or None."""
    root = fluoroscope_root(page)
    img = root.locator("img.widget-image").first
    src = img.get_attribute("src")
    t0 = time.monotonic()
    root.locator(".widget-checkbox", has_text=label).locator("input").first.click(timeout=10_000)
    try:
        page.wait_for_function(
            JS_NEW_FRAME, arg=[img.element_handle(), src], timeout=timeout_ms, polling="raf"
        )
    except Exception:
        return None
    return round(time.monotonic() - t0, 3)
