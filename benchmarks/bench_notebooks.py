"""Notebook execution time and kernel peak RSS (fresh kernel per run), and the nbval suite.

Run alone: .venv/bin/python benchmarks/bench_notebooks.py [--runs N]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import kb_to_mb, read_vm_kb

ROOT = Path(__file__).resolve().parents[1]
NBVAL_FLAGS = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
    "--nbval-cell-timeout=300",
    "-p",
    "no:cacheprovider",
]


def discover(root: Path = ROOT) -> list[Path]:
    """Every notebook under notebooks/ (chapters and instructor/), checkpoints excluded."""
    nbs = [p for p in (root / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    return sorted(nbs, key=lambda p: p.relative_to(root).as_posix())


def run_notebook(path: Path, timeout: int = 300) -> dict:
    """Execute ``path`` on a fresh kernel; wall times (s) and the kernel's peak RSS (MB)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    marks: dict[str, float] = {}
    saved = {k: os.environ.get(k) for k in ("FLUOROHIP_HOME", "FLUOROHIP_WORKSHOP_MODE")}
    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-home-") as home:
        os.environ["FLUOROHIP_HOME"] = home
        os.environ.pop("FLUOROHIP_WORKSHOP_MODE", None)
        try:
            client = NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
                on_notebook_start=lambda **_: marks.__setitem__("ready", time.perf_counter()),
            )
            t0 = time.perf_counter()
            error = None
            with client.setup_kernel():
                pid = client.km.provisioner.process.pid
                try:
                    for index, cell in enumerate(nb.cells):
                        client.execute_cell(
                            cell, index, execution_count=client.code_cells_executed + 1
                        )
                except Exception as exc:
                    error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else ''}"
                t1 = time.perf_counter()
                hwm = read_vm_kb(pid, "VmHWM")
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return {
        "total_s": t1 - t0,
        "cells_s": t1 - marks.get("ready", t0),
        "peak_rss_mb": kb_to_mb(hwm) if hwm else None,
        "error": error,
    }


def bench_notebooks(
    runs: int = 3, paths: list[Path] | None = None, log=print
) -> dict[str, list[dict]]:
    """{relative path: [run, ...]}; notebooks taken in turn, ``runs`` rounds."""
    paths = paths if paths is not None else discover()
    out: dict[str, list[dict]] = {p.relative_to(ROOT).as_posix(): [] for p in paths}
    for r in range(runs):
        for p in paths:
            res = run_notebook(p)
            key = p.relative_to(ROOT).as_posix()
            out[key].append(res)
            log(
                f"  [{r + 1}/{runs}] {key}: {res['total_s']:.2f} s, cells {res['cells_s']:.2f} s, "
                f"peak RSS {res['peak_rss_mb'] or 0:.0f} MB"
                + (f"  ERROR {res['error']}" if res["error"] else "")
            )
    return out


def bench_nbval(runs: int = 2, log=print) -> list[dict]:
    """Whole-process wall time of the nbval suite, as `make nbval` runs it."""
    out = []
    for r in range(runs):
        with tempfile.TemporaryDirectory(prefix="fluorohip-bench-home-") as home:
            env = dict(os.environ, FLUOROHIP_HOME=home)
            env.pop("FLUOROHIP_WORKSHOP_MODE", None)
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", *NBVAL_FLAGS, "notebooks", "-q"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            dt = time.perf_counter() - t0
        lines = proc.stdout.strip().splitlines()
        tail = (lines or [""])[-1]
        failed = [
            ln.split(" - ")[0].removeprefix("FAILED ").strip()
            for ln in lines
            if ln.startswith("FAILED ")
        ]
        out.append({"wall_s": dt, "returncode": proc.returncode, "summary": tail, "failed": failed})
        log(f"  [{r + 1}/{runs}] nbval suite: {dt:.1f} s ({tail})")
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    print(json.dumps(bench_notebooks(args.runs), indent=2))
