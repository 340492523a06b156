"""axe-core in the real page: run it, split what it finds into course output and Jupyter chrome.

axe-core comes from npm into ``tests/browser/axe/node_modules`` (``npm ci`` from the Makefile,
pinned by ``tests/browser/axe/package-lock.json``); Playwright injects its ``axe.min.js``.

Every failing node is classified by where it sits on the page:

- ``output``   inside an output area (``.jp-OutputArea-output``): figures, widgets, HTML the
  course's code displays. Ours to fix.
- ``markdown`` inside rendered Markdown (``.jp-MarkdownOutput``): the chapters' own text. Ours.
- ``chrome``   everything else: JupyterLab's or Voila's own interface (toolbar, code editors,
  prompts, the page template). Not ours to fix; reported for information only.

The test asserts 0 critical and 0 serious in the course part (output + markdown); the chrome
part goes to ``build/a11y/`` so a reader can see it, without failing anything.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
REPORT_DIR = ROOT / "build" / "a11y"

# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (empty table headers, landmarks...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("critical", "serious")

# Windowed notebooks leave off-screen cells unrendered (content-visibility); axe would not see
# them. The Lab test settings already turn windowing off; this style is a second guard.
FORCE_VISIBLE_CSS = (
    ".jp-Cell, .jp-WindowedPanel-window > * { content-visibility: visible !important; }"
)

JS_AXE_RUN = """async (tags) => {
  const res = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations']});
  const where = (el) => {
    if (!el) return 'chrome';
    if (el.closest('.jp-OutputArea-output')) return 'output';
    if (el.closest('.jp-MarkdownOutput')) return 'markdown';
    return 'chrome';
  };
  const out = [];
  for (const v of res.violations) {
    for (const n of v.nodes) {
      let el = null;
      try { el = typeof n.target[0] === 'string' ? document.querySelector(n.target[0]) : null; }
      catch (e) { el = null; }
      out.push({rule: v.id, impact: n.impact || v.impact, help: v.help, where: where(el),
                target: n.target.map(String).join(' '), html: (n.html || '').slice(0, 200),
                summary: (n.failureSummary || '').slice(0, 300)});
    }
  }
  return {version: axe.version, nodes: out};
}"""


class AxeMissing(RuntimeError):
    pass


def axe_problem() -> str | None:
    if not AXE_JS.exists():
        return (
            f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} missing); run "
            "`npm ci --prefix tests/browser/axe` (make test does this when npm exists)"
        )
    return None


def require_axe() -> str | None:
    """None when axe is there. Without it: with FLUOROHIP_REQUIRE_BROWSER=1 (.ci/run) the reason,
    as a problem for the test to fail on; otherwise a warning and None (the scan is skipped)."""
    problem = axe_problem()
    if problem is None:
        return None
    if os.environ.get("FLUOROHIP_REQUIRE_BROWSER") == "1":
        return problem
    warnings.warn(f"accessibility scan skipped: {problem}", UserWarning, stacklevel=2)
    return None


def scan(page, timeout_ms: int = 120_000) -> dict:
    """Inject axe (once per page) and run it over the whole document; every violating node,
    with its rule, impact and where it sits (output / markdown / chrome)."""
    problem = axe_problem()
    if problem:
        raise AxeMissing(problem)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_style_tag(content=FORCE_VISIBLE_CSS)
        page.add_script_tag(path=str(AXE_JS))
    page.set_default_timeout(timeout_ms)
    return page.evaluate(JS_AXE_RUN, AXE_TAGS)


def course_nodes(result: dict) -> list[dict]:
    return [n for n in result["nodes"] if n["where"] != "chrome"]


def blocking(result: dict) -> list[dict]:
    return [n for n in course_nodes(result) if n["impact"] in BLOCKING]


def describe(nodes: list[dict], limit: int = 12) -> str:
    lines = [
        f"{n['impact']} {n['rule']} ({n['where']}): {n['help']} -- {n['html'][:120]}"
        for n in nodes[:limit]
    ]
    if len(nodes) > limit:
        lines.append(f"... and {len(nodes) - limit} more")
    return "\n  ".join(lines)


def counts(nodes: list[dict]) -> dict[str, int]:
    """``{"critical image-alt": 3, ...}``: nodes per impact and rule."""
    return dict(sorted(Counter(f"{n['impact']} {n['rule']}" for n in nodes).items()))


class Collector:
    """Results of one test session, per (app, notebook); written to build/a11y/ at the end."""

    def __init__(self):
        self.results: dict[str, dict[str, dict]] = defaultdict(dict)

    def add(self, app: str, notebook: str, result: dict) -> None:
        self.results[app][notebook] = result

    def write(self, out_dir: Path = REPORT_DIR) -> Path | None:
        if not self.results:
            return None
        out_dir.mkdir(parents=True, exist_ok=True)
        summary = {}
        for app, per_nb in sorted(self.results.items()):
            for nb, res in sorted(per_nb.items()):
                course = course_nodes(res)
                chrome = [n for n in res["nodes"] if n["where"] == "chrome"]
                summary.setdefault(app, {})[nb] = {
                    "course": counts(course),
                    "chrome": counts(chrome),
                    "axe": res.get("version"),
                }
        (out_dir / "axe-summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        (out_dir / "axe-nodes.json").write_text(json.dumps(self.results, indent=1) + "\n")
        (out_dir / "chrome-only.md").write_text(chrome_report(summary))
        return out_dir


def chrome_report(summary: dict) -> str:
    lines = [
        "# Violations in JupyterLab's / Voila's own interface (not the course's to fix)",
        "",
        "Written by tests/browser (axe-core); for information, never a failure.",
        "",
        "| app | notebook | impact rule: nodes |",
        "|---|---|---|",
    ]
    for app, per_nb in summary.items():
        for nb, c in per_nb.items():
            cell = ", ".join(f"{k}: {v}" for k, v in c["chrome"].items()) or "none"
            lines.append(f"| {app} | {nb} | {cell} |")
    return "\n".join(lines) + "\n"


def _cell(counts_: dict[str, int], impacts=("critical", "serious", "moderate", "minor")) -> str:
    parts = [f"{k}: {v}" for k, v in counts_.items() if k.split(" ")[0] in impacts]
    return "<br>".join(parts) or "0"


def before_after_table(before: dict, after: dict) -> str:
    """Markdown table: per notebook and app, course-output nodes by impact and rule, before and
    after (summaries as written to build/a11y/axe-summary.json)."""
    lines = [
        "| notebook | app | before: course nodes (impact rule: n) | after | chrome before / after (nodes) |",
        "|---|---|---|---|---|",
    ]
    notebooks = sorted({nb for s in (before, after) for app in s.values() for nb in app})
    for nb in notebooks:
        for app in ("lab", "voila"):
            b = before.get(app, {}).get(nb)
            a = after.get(app, {}).get(nb)
            if b is None and a is None:
                continue
            chrome = (
                f"{sum((b or {}).get('chrome', {}).values()) if b else '-'} / "
                f"{sum((a or {}).get('chrome', {}).values()) if a else '-'}"
            )
            lines.append(
                f"| {nb} | {app} | {_cell(b['course']) if b else '-'} | "
                f"{_cell(a['course']) if a else '-'} | {chrome} |"
            )
    return "\n".join(lines) + "\n"


def totals(summary: dict) -> dict[str, dict[str, int]]:
    """Course-output nodes per app and impact, summed over notebooks."""
    out: dict[str, dict[str, int]] = {}
    for app, per_nb in summary.items():
        c = Counter()
        for res in per_nb.values():
            for key, n in res["course"].items():
                c[key.split(" ")[0]] += n
        out[app] = dict(c)
    return out


if __name__ == "__main__":  # python tests/browser/a11y.py BEFORE.json AFTER.json
    import sys

    b, a = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    print(before_after_table(b, a))
    print("before:", totals(b))
    print("after:", totals(a))
