"""Kernel memory of notebook 05 (the fluoroscope chapter), cell by cell (issue 21: peak <= 250 MB).

Run: .venv/bin/python benchmarks/bench_fluoro_memory.py [--runs N]

Executes notebooks/05_procedure.ipynb on a fresh kernel per run (nbclient, as
bench_notebooks.py does) and reads the kernel's /proc status after every code cell: resident
set (VmRSS), its high-water mark (VmHWM, the target) and the file-backed part (RssFile:
shared libraries, shared between the kernels of a workshop hub). Also records whether numba
/ llvmlite, scipy or trimesh were imported in the kernel (the renderer must not need them).
Writes benchmarks/results/fluoro_memory.json; exits 1 if the median peak misses the target.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_procedure.ipynb"
TARGET_MB = 250.0
PROBE = (
    "import sys, json; print(json.dumps({m: m in sys.modules for m in "
    "('numba', 'llvmlite', 'scipy', 'trimesh', 'spekpy', 'xraydb')}))"
)


def _status_mb(pid: int) -> dict[str, float]:
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key = line.split(":")[0]
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(line.split()[1]) / 1024.0
    return out


def run_once(path: Path = NOTEBOOK) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    cells = []
    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-home-") as home:
        os.environ["FLUOROHIP_HOME"] = home
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        with client.setup_kernel():
            pid = client.km.provisioner.process.pid
            start = _status_mb(pid)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.perf_counter()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                st = _status_mb(pid)
                cells.append(
                    {
                        "cell": index,
                        "source": cell.source.splitlines()[-1][:80] if cell.source else "",
                        "seconds": round(time.perf_counter() - t0, 3),
                        **{k: round(v, 1) for k, v in st.items()},
                    }
                )
            probe = nbformat.v4.new_code_cell(PROBE)
            nb.cells.append(probe)
            client.execute_cell(
                probe, len(nb.cells) - 1, execution_count=client.code_cells_executed + 1
            )
            text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
            final = _status_mb(pid)
    return {
        "start": start,
        "cells": cells,
        "peak_rss_mb": final["VmHWM"],
        "final_rss_mb": final["VmRSS"],
        "final_rss_file_mb": final.get("RssFile"),
        "modules": json.loads(text) if text.strip() else {},
    }


def main(runs: int = 2) -> int:
    results = [run_once() for _ in range(runs)]
    peaks = [r["peak_rss_mb"] for r in results]
    med = statistics.median(peaks)
    worst = max(results, key=lambda r: r["peak_rss_mb"])
    for c in worst["cells"]:
        print(
            f"cell {c['cell']:2d} {c['seconds']:7.2f} s  RSS {c['VmRSS']:6.1f}  peak {c['VmHWM']:6.1f} MB  {c['source']}"
        )
    print(
        f"notebook 05 kernel peak RSS: median {med:.1f} MB over {runs} runs (target <= {TARGET_MB:g} MB)"
    )
    print("imported in the kernel:", worst["modules"])
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "fluoro_memory.json").write_text(
        json.dumps(
            {
                "notebook": NOTEBOOK.relative_to(ROOT).as_posix(),
                "target_mb": TARGET_MB,
                "peak_rss_mb": peaks,
                "median_peak_rss_mb": med,
                "met": med <= TARGET_MB,
                "runs": results,
            },
            indent=2,
        )
    )
    return 0 if med <= TARGET_MB else 1


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2)
    sys.exit(main(ap.parse_args().runs))
