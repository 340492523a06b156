"""Pure helpers for the benchmarks: summaries, target verdicts, machine description, README.

Everything here is deterministic given its inputs (except ``machine_info``, which reads the
machine), so ``tests/test_benchmarks.py`` can check it without timing anything.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

# -- numbers --------------------------------------------------------------------------------


def summarise(samples: Iterable[float]) -> dict:
    """n, median, min, max (and p95 when n >= 20) of the finite samples; None values if empty."""
    xs = sorted(float(x) for x in samples if x is not None and math.isfinite(float(x)))
    if not xs:
        return {"n": 0, "median": None, "min": None, "max": None}
    out = {"n": len(xs), "median": statistics.median(xs), "min": xs[0], "max": xs[-1]}
    if len(xs) >= 20:
        out["p95"] = percentile(xs, 95)
    return out


def percentile(samples: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of ``samples`` (numpy's default method)."""
    xs = sorted(float(x) for x in samples)
    if not xs:
        raise ValueError("percentile of no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q must be in 0..100; got {q}")
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


OPS = {
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
    ">": lambda v, t: v > t,
    ">=": lambda v, t: v >= t,
}


def meets(value: float, target: dict) -> bool:
    """Whether ``value`` satisfies ``target`` ({"op": "<", "value": 10} or {"op": "within", "lo", "hi"})."""
    op = target["op"]
    if op == "within":
        return target["lo"] <= value <= target["hi"]
    if op not in OPS:
        raise ValueError(f"unknown target operator {op!r}")
    return OPS[op](value, target["value"])


def verdict(summary: dict, target: dict | None, error: str | None = None) -> str:
    """The verdict on the MEDIAN: 'met', 'missed', 'no target', or 'not measured'.

    'met, spread crosses' when the median meets the target but the worst run does not.
    """
    if error or summary.get("median") is None:
        return "not measured"
    if not target:
        return "no target"
    if not meets(summary["median"], target):
        return "missed"
    if not (meets(summary["min"], target) and meets(summary["max"], target)):
        return "met, spread crosses"
    return "met"


def target_text(target: dict | None, unit: str = "") -> str:
    if not target:
        return "—"
    u = f" {unit}" if unit else ""
    if target["op"] == "within":
        return f"{target['lo']:g}–{target['hi']:g}{u}"
    sym = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[target["op"]]
    return f"{sym} {target['value']:g}{u}"


def fmt(x) -> str:
    """Three significant figures, without exponent noise for everyday magnitudes."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1000:
        return f"{x:.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    if a >= 0.001:
        return f"{x:.3g}"
    return f"{x:.2e}"


def measure(
    mid: str,
    group: str,
    name: str,
    unit: str,
    samples: Iterable[float],
    *,
    target: dict | None = None,
    note: str = "",
    error: str | None = None,
    alert: str = "",
) -> dict:
    """One row of results: the raw samples, their summary and the verdict on the median."""
    samples = [float(s) for s in samples if s is not None]
    s = summarise(samples)
    row = {
        "id": mid,
        "group": group,
        "name": name,
        "unit": unit,
        "samples": samples,
        **s,
        "target": target,
        "verdict": verdict(s, target, error),
    }
    if note:
        row["note"] = note
    if error:
        row["error"] = error
    if alert:
        row["alert"] = alert  # measured, but something failed that the reader must see
    return row


def learners_per_gb(per_learner_mb: float, gb_mb: float = 1000.0) -> float:
    """How many learners fit in one GB (10^9 bytes) if each needs ``per_learner_mb`` MB."""
    if per_learner_mb <= 0:
        raise ValueError(f"memory per learner must be positive; got {per_learner_mb}")
    return gb_mb / per_learner_mb


def flatten_numbers(doc, prefix: str = "") -> dict[str, list[float]]:
    """Numeric leaves of a nested JSON document as {"a.b.c": [values]} (lists become samples)."""
    out: dict[str, list[float]] = {}
    if isinstance(doc, bool):
        return out
    if isinstance(doc, (int, float)):
        out[prefix] = [float(doc)]
    elif isinstance(doc, dict):
        for k in sorted(doc):
            out.update(flatten_numbers(doc[k], f"{prefix}.{k}" if prefix else str(k)))
    elif (
        isinstance(doc, list)
        and doc
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in doc)
    ):
        out[prefix] = [float(v) for v in doc]
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.update(flatten_numbers(v, f"{prefix}[{i}]"))
    return out


def read_vm_kb(pid: int, field: str = "VmHWM") -> int | None:
    """A ``Vm*`` line of /proc/<pid>/status in kB (VmHWM = peak resident set); None if gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return parse_status_kb(text, field)


def parse_status_kb(text: str, field: str) -> int | None:
    for line in text.splitlines():
        if line.startswith(field + ":"):
            parts = line.split()
            return int(parts[1])
    return None


def kb_to_mb(kb: float) -> float:
    """/proc reports kB = 1024 bytes; MB here is 10^6 bytes (the stricter reading of '150 MB')."""
    return kb * 1024 / 1e6


# -- machine --------------------------------------------------------------------------------


def machine_info() -> dict:
    info: dict = {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": None,
        "mem_total_gb": None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "loadavg_1_5_15": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = parse_status_kb(Path("/proc/meminfo").read_text(), "MemTotal")
        info["mem_total_gb"] = round(kb * 1024 / 1e9, 1) if kb else None
    except OSError:
        pass
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            info["cgroup_cpu_max"] = f.read().strip()
    except OSError:
        pass
    versions = {}
    for mod in (
        "numpy",
        "matplotlib",
        "ipywidgets",
        "ipykernel",
        "jupyterlab",
        "jupyter_server",
        "nbclient",
        "pytest",
        "nbval",
    ):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:
            pass
    info["packages"] = versions
    try:
        out = subprocess.run(
            ["plastimatch", "--version"], capture_output=True, text=True, timeout=20
        )
        info["plastimatch"] = (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        info["plastimatch"] = None
    return info


def git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=20
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def machine_line(m: dict) -> str:
    load = m.get("loadavg_1_5_15")
    load_s = " / ".join(f"{x:.2f}" for x in load) if load else "?"
    return (
        f"{m.get('nproc')} CPUs ({m.get('cpu_model') or 'unknown model'}), "
        f"{m.get('mem_total_gb')} GB RAM, Python {m.get('python')} on {m.get('platform')}; "
        f"load average at start {load_s}"
    )


# -- README ---------------------------------------------------------------------------------

VERDICT_TEXT = {
    "met": "met",
    "met, spread crosses": "met (worst run misses)",
    "missed": "**MISSED**",
    "no target": "—",
    "not measured": "not measured",
}

INTRO = """\
# Benchmarks

What a resident feels (notebook run time, quiz feedback, fluoroscope frame time, start-up)
and what an instructor must provision (memory per learner). **This file is generated** by
`make bench` (`benchmarks/run_all.py`) together with `benchmarks/results.json`; do not edit it
by hand: the table below and the JSON come from the same run.

```bash
make bench                                   # full run, about 5-10 minutes; rewrites this file
.venv/bin/python benchmarks/run_all.py --only notebooks,quiz   # partial run -> benchmarks/results/partial.json
```

`make bench` is not part of `make test`, and no unit test asserts a time. Exit status 1 means
at least one target below was missed (both files are written first); 2 means a benchmark
could not run at all.
"""

METHOD = """\
## How each figure is measured

- **Notebooks**: every `notebooks/**/*.ipynb` found at run time, executed top to bottom by
  nbclient on a fresh `python3` kernel with a throw-away progress store (`FLUOROHIP_HOME`), the
  notebooks taken in turn so drift in machine load spreads over all of them. *Time* runs from
  asking for the kernel to the last cell's reply (kernel start-up included, as a resident's
  "Restart Kernel and Run All"); `results.json` also keeps *cells only* (kernel start excluded)
  under `details`. *Peak RSS* is `VmHWM`
  from `/proc/<kernel pid>/status` read after the last cell, i.e. the kernel's true peak.
  MB = 10^6 bytes.
- **nbval suite**: `pytest --nbval` with the Makefile's flags over `notebooks/`, whole process.
- **Quiz answer to feedback**: in the kernel, without a browser. Each question of every bank
  is given its correct response and the *Check* button's click handler is invoked
  (`Button.click()`): grading, the progress-store write (lock, write, `fsync`, atomic rename)
  and rendering the feedback HTML. Widget traffic to a browser is not included: see the real-
  browser table for that.
- **Progress store**: `ProgressStore.record` latency for one writer into a store already holding
  N attempts (every write rewrites the whole file, so latency grows with N); throughput with K
  writer processes saving into the same store at once (all start together; lost writes are
  counted and must be 0).
- **Fluoroscope**: `benchmarks/bench_fluoro.py` (owned by the fluoroscope engineers) run as a
  subprocess several times, one thread (`OMP_NUM_THREADS=1`); each of its figures is already a
  median over 10-20 renders, and the table gives the median and spread of those across runs.
  Its plastimatch time includes start-up and volume loading (`plastimatch drr`, CPU, one
  thread) on a 2.5 mm voxelisation; ours is one uncached analytic render of the same view.
- **Fluoroscope vs plastimatch** (`bench_plastimatch.py`, a subprocess with one thread for
  numpy, BLAS and OpenMP): the same 2.5 mm volume, written once; then pairs of one `plastimatch
  drr` run and one uncached analytic line-integral render of the same view, the ratio taken
  pair by pair, at 256² and 512². Two ratios: against plastimatch's own reported "Total time"
  (its compute, without start-up and loading: the stricter comparison) and against its whole
  process. Image agreement: NCC and least-squares slope over the body.
- **Start-up**: `git clone` of this repository's committed HEAD into a temporary folder, then
  `make lab PORT=<free port>` until `GET /api/status` answers 200 (token auth); *cold* is the
  first `make lab` in the fresh clone (creates `.venv` and installs the package with
  `PIP_NO_CACHE_DIR=1`, so wheels are not taken from pip's cache); *warm* is a second
  `make lab` in the same clone. Packages come from this machine's local package mirror, so a
  resident downloading from PyPI over a slow link will wait longer than shown.
- **Jupyter server RSS**: `VmHWM` of the JupyterLab server process after it has served the Lab
  page and started one kernel session for `00_start_here.ipynb`.
"""


def render_table(rows: list[dict]) -> str:
    lines = [
        "| group | measure | n | median | spread (min–max) | target | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        unit = r.get("unit", "")
        u = f" {unit}" if unit else ""
        med = f"{fmt(r.get('median'))}{u}" if r.get("median") is not None else "—"
        spread = f"{fmt(r['min'])}–{fmt(r['max'])}{u}" if r.get("min") is not None else "—"
        name = r["name"] + (f" ({r['error']})" if r.get("error") else "")
        lines.append(
            f"| {r['group']} | {name} | {r.get('n', 0)} | {med} | {spread} | "
            f"{target_text(r.get('target'), unit)} | {VERDICT_TEXT.get(r['verdict'], r['verdict'])} |"
        )
    return "\n".join(lines)


def render_readme(results: dict) -> str:
    m = results.get("machine", {})
    rows = results.get("measures", [])
    parts = [INTRO, "## Machine and run", ""]
    parts.append(f"- **Machine:** {machine_line(m)}.")
    end_load = results.get("loadavg_end")
    if end_load:
        parts.append(f"- **Load average at end:** {' / '.join(f'{x:.2f}' for x in end_load)}.")
    pk = m.get("packages") or {}
    if pk:
        parts.append(
            "- **Packages:** "
            + ", ".join(f"{k} {v}" for k, v in sorted(pk.items()))
            + (f"; {m['plastimatch']}" if m.get("plastimatch") else "")
            + "."
        )
    parts.append(
        f"- **Run:** {results.get('started', '?')} UTC, {fmt(results.get('duration_s'))} s in all; "
        f"commit {results.get('commit') or '?'}."
    )
    settings = results.get("settings") or {}
    if settings:
        parts.append(
            "- **Repetitions:** " + ", ".join(f"{k} {v}" for k, v in settings.items()) + "."
        )
    note = results.get("noise_note")
    if note:
        parts.append(f"- **Noise:** {note}")
    parts += [
        "",
        "## Results",
        "",
        "Verdicts are on the **median**; *worst run misses* means the median meets the target "
        "but the slowest (or largest) run does not. Targets are those of issue 14 (and, where "
        "marked, of `bench_fluoro.py`); they are never loosened here.",
        "",
        render_table(rows),
        "",
    ]
    missed = [r for r in rows if r["verdict"] == "missed"]
    crossed = [r for r in rows if r["verdict"] == "met, spread crosses"]
    unmeasured = [r for r in rows if r["verdict"] == "not measured"]
    parts.append("### Targets missed")
    parts.append("")
    for r in rows:
        if r.get("alert"):
            parts.append(f"- **Failure: {r['group']} · {r['name']}**: {r['alert']}")
    if missed:
        for r in missed:
            parts.append(
                f"- **{r['group']} · {r['name']}**: median {fmt(r['median'])} {r['unit']} against "
                f"{target_text(r['target'], r['unit'])}."
                + (f" {r['note']}" if r.get("note") else "")
            )
    else:
        parts.append("- None on the median.")
    for r in crossed:
        parts.append(
            f"- Borderline: **{r['group']} · {r['name']}** meets the target on the median "
            f"({fmt(r['median'])} {r['unit']}) but not in its worst run ({fmt(r['max'] if r['target']['op'] in ('<', '<=') else r['min'])} {r['unit']})."
        )
    for r in unmeasured:
        parts.append(
            f"- Not measured: **{r['group']} · {r['name']}**: {r.get('error', 'no samples')}."
        )
    parts.append("")
    sizing = results.get("sizing")
    if sizing:
        parts += ["## Sizing a server", "", sizing, ""]
    notes = [r for r in rows if r.get("note") and r["verdict"] != "missed"]
    if notes:
        parts += ["### Notes on rows", ""]
        parts += [f"- **{r['group']} · {r['name']}**: {r['note']}" for r in notes]
        parts.append("")
    parts += [
        "## Real browser (tests/browser)",
        "",
        results.get("browser_text", "Not collected."),
        "",
    ]
    parts.append(METHOD)
    return "\n".join(parts).rstrip() + "\n"


def browser_section(
    doc: dict | None, path_text: str, mtime_text: str | None
) -> tuple[str, list[dict]]:
    """Markdown and rows for ``build/browser-timings.json`` (seconds), or why there is none."""
    if doc is None:
        return (
            f"`{path_text}` does not exist: run `make browser` (the real-Chromium suite) first; "
            "those figures are then copied here by the next `make bench`.",
            [],
        )
    numbers = {
        k: v
        for k, v in flatten_numbers(
            {k: v for k, v in doc.items() if k not in ("about", "machine")}
        ).items()
        if k.endswith("_s")
    }  # timings only (the file also counts cells, figures, widgets)
    rows = [measure(f"browser.{k}", "browser", k, "s", v) for k, v in numbers.items()]
    head = (
        f"Copied from `{path_text}`"
        + (f" (written {mtime_text} UTC" if mtime_text else " (")
        + " by `make browser`, **not by this run**; seconds of wall-clock in headless Chromium)."
    )
    if not rows:
        return head + " The file holds no timings yet.", []
    return head + "\n\n" + render_table(rows), rows
