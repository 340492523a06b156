"""The benchmark helpers' logic (benchmarks/benchlib.py and friends). No timing is asserted here:
`make bench` measures; these tests only check summaries, verdicts and the generated README."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import benchlib as B  # noqa: E402
from bench_notebooks import discover  # noqa: E402
from bench_plastimatch import parse_total_time  # noqa: E402

# -- summaries ---------------------------------------------------------------------------------


def test_summarise_odd_and_even():
    assert B.summarise([3, 1, 2]) == {"n": 3, "median": 2, "min": 1, "max": 3}
    s = B.summarise([4.0, 1.0, 3.0, 2.0])
    assert (s["median"], s["min"], s["max"], s["n"]) == (2.5, 1.0, 4.0, 4)


def test_summarise_skips_missing_and_non_finite():
    s = B.summarise([None, 5.0, float("nan"), float("inf"), 1.0])
    assert (s["n"], s["median"], s["min"], s["max"]) == (2, 3.0, 1.0, 5.0)


def test_summarise_empty_has_no_median():
    assert B.summarise([]) == {"n": 0, "median": None, "min": None, "max": None}


def test_p95_only_with_enough_samples():
    assert "p95" not in B.summarise(range(19))
    assert B.summarise(range(21))["p95"] == pytest.approx(19.0)


def test_percentile_matches_linear_interpolation():
    xs = [10, 20, 30, 40]
    assert B.percentile(xs, 0) == 10
    assert B.percentile(xs, 100) == 40
    assert B.percentile(xs, 50) == 25
    assert B.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        B.percentile([], 50)
    with pytest.raises(ValueError):
        B.percentile(xs, 101)


# -- verdicts ----------------------------------------------------------------------------------

LT10 = {"op": "<", "value": 10}
GE10 = {"op": ">=", "value": 10}


def test_upper_bound_verdicts_on_the_median():
    assert B.verdict(B.summarise([8, 9, 9.5]), LT10) == "met"
    assert B.verdict(B.summarise([9, 11, 12]), LT10) == "missed"
    assert B.verdict(B.summarise([8, 9, 30]), LT10) == "met, spread crosses"


def test_strict_bound_is_strict():
    assert B.verdict(B.summarise([10, 10, 10]), LT10) == "missed"
    assert B.verdict(B.summarise([10, 10, 10]), {"op": "<=", "value": 10}) == "met"


def test_lower_bound_verdicts():
    assert B.verdict(B.summarise([12, 15, 20]), GE10) == "met"
    assert B.verdict(B.summarise([5, 6, 20]), GE10) == "missed"
    assert B.verdict(B.summarise([9, 12, 13]), GE10) == "met, spread crosses"


def test_within_target():
    t = {"op": "within", "lo": 0.97, "hi": 1.03}
    assert B.verdict(B.summarise([1.0]), t) == "met"
    assert B.verdict(B.summarise([0.96]), t) == "missed"
    assert B.target_text(t) == "0.97–1.03"


def test_no_target_and_not_measured():
    assert B.verdict(B.summarise([1, 2]), None) == "no target"
    assert B.verdict(B.summarise([]), LT10) == "not measured"
    assert B.verdict(B.summarise([1]), LT10, error="boom") == "not measured"


def test_unknown_operator_is_refused():
    with pytest.raises(ValueError):
        B.meets(1.0, {"op": "~", "value": 1})


def test_target_text():
    assert B.target_text(LT10, "s") == "< 10 s"
    assert B.target_text({"op": ">=", "value": 10.0}, "×") == "≥ 10 ×"
    assert B.target_text({"op": "<=", "value": 0.5}) == "≤ 0.5"
    assert B.target_text(None, "ms") == "—"


def test_measure_row_keeps_samples_and_verdict():
    row = B.measure(
        "x.y", "g", "thing", "ms", [3, None, 1, 2], target={"op": "<", "value": 5}, note="n"
    )
    assert row["samples"] == [3.0, 1.0, 2.0]
    assert (row["median"], row["min"], row["max"], row["n"]) == (2.0, 1.0, 3.0, 3)
    assert row["verdict"] == "met" and row["note"] == "n"
    bad = B.measure("x.z", "g", "thing", "ms", [], target=LT10, error="it broke")
    assert bad["verdict"] == "not measured" and bad["error"] == "it broke"


# -- formatting, memory, sizing ----------------------------------------------------------------


@pytest.mark.parametrize(
    "x, text",
    [
        (None, "—"),
        (0, "0"),
        (0.0, "0"),
        (1234.5, "1234"),
        (123.44, "123.4"),
        (12.34, "12.3"),
        (1.234, "1.23"),
        (0.1234, "0.123"),
        (0.00001234, "1.23e-05"),
        (7, "7"),
        (-12.34, "-12.3"),
    ],
)
def test_fmt(x, text):
    assert B.fmt(x) == text


def test_status_parsing_and_units():
    text = "Name:\tpython3\nVmPeak:\t  900000 kB\nVmHWM:\t  146484 kB\nVmRSS:\t  100000 kB\n"
    assert B.parse_status_kb(text, "VmHWM") == 146484
    assert B.parse_status_kb(text, "VmSwap") is None
    assert B.kb_to_mb(146484) == pytest.approx(150.0, abs=0.01)  # kB are KiB; MB are 10^6 bytes
    assert B.read_vm_kb(2**22 + 12345) is None  # no such process


def test_read_vm_of_this_process():
    import os

    hwm, rss = B.read_vm_kb(os.getpid(), "VmHWM"), B.read_vm_kb(os.getpid(), "VmRSS")
    assert hwm is not None and rss is not None and hwm >= rss > 0


def test_learners_per_gb():
    assert B.learners_per_gb(250) == 4
    assert B.learners_per_gb(100) == 10
    with pytest.raises(ValueError):
        B.learners_per_gb(0)


def test_flatten_numbers():
    doc = {
        "servers": {"lab_ready_s": 2.5, "ok": True},
        "notebooks": {"00": {"run_all_s": [1, 2, 3]}},
        "quiz": {},
        "x": [{"a": 1}],
        "name": "text",
    }
    assert B.flatten_numbers(doc) == {
        "notebooks.00.run_all_s": [1.0, 2.0, 3.0],
        "servers.lab_ready_s": [2.5],
        "x[0].a": [1.0],
    }


def test_machine_info_describes_the_machine():
    m = B.machine_info()
    assert m["nproc"] >= 1 and m["python"].count(".") == 2
    line = B.machine_line(m)
    assert str(m["nproc"]) in line and m["python"] in line


# -- helpers of the individual benchmarks --------------------------------------------------------


def test_parse_plastimatch_total_time():
    assert parse_total_time("I/O time: 0.000721 sec\nTotal time: 0.240289 secs\n") == pytest.approx(
        0.240289
    )
    assert parse_total_time("Total time: 1e-2 secs") == pytest.approx(0.01)
    assert parse_total_time("no timing here") is None


def test_discover_finds_chapters_and_instructor_notebooks_but_not_checkpoints(tmp_path):
    nb = tmp_path / "notebooks"
    (nb / "instructor").mkdir(parents=True)
    (nb / ".ipynb_checkpoints").mkdir()
    for p in (
        "00_a.ipynb",
        "07_b.ipynb",
        "instructor/x.ipynb",
        ".ipynb_checkpoints/00_a-checkpoint.ipynb",
        "notes.md",
    ):
        (nb / p).write_text("{}")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["notebooks/00_a.ipynb", "notebooks/07_b.ipynb", "notebooks/instructor/x.ipynb"]


def test_sizing_uses_largest_kernel_and_server():
    import run_all

    rows = [
        B.measure(
            "notebook.00.kernel_peak_rss", "notebook", "00: kernel peak RSS", "MB", [100, 110, 120]
        ),
        B.measure("notebook.01.kernel_peak_rss", "notebook", "01: kernel peak RSS", "MB", [140]),
        B.measure("lab.server_rss", "memory", "server", "MB", [110]),
    ]
    text = run_all.sizing_text(rows)
    assert "**140.0 MB** (01)" in text
    assert "250.0 MB" in text and "**4.00 learners per GB**" in text  # 110 + 140
    assert "**7.14 learners per GB**" in text  # kernels only: 1000 / 140
    assert run_all.sizing_text([]) is None


# -- README ------------------------------------------------------------------------------------


def _fake_results():
    rows = [
        B.measure(
            "notebook.00.time",
            "notebook",
            "00: run all",
            "s",
            [3.1, 3.3, 3.2],
            target={"op": "<", "value": 10},
        ),
        B.measure(
            "lab.cold",
            "start-up",
            "cold make lab",
            "s",
            [130, 125, 140],
            target={"op": "<", "value": 120},
            note="mirror",
        ),
        B.measure(
            "quiz.all",
            "quiz",
            "answer to feedback",
            "ms",
            [2, 3, 90],
            target={"op": "<", "value": 50},
        ),
        B.measure("store.x", "progress store", "write latency", "ms", [1, 2]),
        B.measure("lab.broken", "start-up", "warm make lab", "s", [], error="make lab exited 2"),
    ]
    return {
        "started": "2025-01-01 10:00",
        "duration_s": 412.0,
        "commit": "abc123",
        "machine": {
            "nproc": 2,
            "cpu_model": "Test CPU",
            "mem_total_gb": 24.7,
            "python": "3.11.7",
            "platform": "Linux-x",
            "loadavg_1_5_15": [3.5, 2.0, 1.0],
            "packages": {"numpy": "2.0"},
        },
        "settings": {"notebook runs": 3},
        "measures": rows,
        "loadavg_end": [1.0, 1.0, 1.0],
        "noise_note": "shared machine.",
        "sizing": "Largest kernel peak: 140 MB.",
        "browser_text": "`build/browser-timings.json` does not exist.",
    }


def test_render_table_rows():
    res = _fake_results()
    table = B.render_table(res["measures"]).splitlines()
    assert table[0].startswith(
        "| group | measure | n | median | spread (min–max) | target | verdict |"
    )
    assert "| notebook | 00: run all | 3 | 3.20 s | 3.10–3.30 s | < 10 s | met |" in table
    assert (
        "| start-up | cold make lab | 3 | 130.0 s | 125.0–140.0 s | < 120 s | **MISSED** |" in table
    )
    assert (
        "| quiz | answer to feedback | 3 | 3.00 ms | 2.00–90.0 ms | < 50 ms | met (worst run misses) |"
        in table
    )
    assert "| progress store | write latency | 2 | 1.50 ms | 1.00–2.00 ms | — | — |" in table
    assert (
        "| start-up | warm make lab (make lab exited 2) | 0 | — | — | — | not measured |" in table
    )


def test_render_readme_has_machine_table_and_misses():
    res = _fake_results()
    text = B.render_readme(res)
    assert text.startswith("# Benchmarks")
    assert "2 CPUs (Test CPU), 24.7 GB RAM, Python 3.11.7" in text
    assert "load average at start 3.50 / 2.00 / 1.00" in text
    assert "commit abc123" in text and "shared machine." in text
    assert B.render_table(res["measures"]) in text
    missed = text.split("### Targets missed", 1)[1].split("\n## ", 1)[0]
    assert "cold make lab**: median 130.0 s against < 120 s. mirror" in missed
    assert "Borderline: **quiz · answer to feedback**" in missed and "(90.0 ms)" in missed
    assert "Not measured: **start-up · warm make lab**: make lab exited 2" in missed
    assert "Largest kernel peak: 140 MB." in text
    assert "`build/browser-timings.json` does not exist." in text


def test_render_readme_says_none_missed():
    res = _fake_results()
    res["measures"] = res["measures"][:1]
    missed = B.render_readme(res).split("### Targets missed", 1)[1]
    assert "None on the median." in missed


def test_browser_section_absent_and_present():
    text, rows = B.browser_section(None, "build/browser-timings.json", None)
    assert rows == [] and "does not exist" in text and "make browser" in text
    doc = {
        "about": "x",
        "machine": {"cpu_count": 2},
        "servers": {"jupyterlab_ready_s": 2.8, "figures": 7},
        "quiz": {},
        "fluoroscope": {"nb": {"invert_to_frame_s": None}},
    }
    text, rows = B.browser_section(doc, "build/browser-timings.json", "2025-01-01 09:00")
    assert [r["id"] for r in rows] == ["browser.servers.jupyterlab_ready_s"]
    assert "not by this run" in text and "2025-01-01 09:00" in text and "2.80 s" in text
    text, rows = B.browser_section({"about": "x", "notebooks": {}}, "f.json", None)
    assert rows == [] and "holds no timings" in text


def test_committed_readme_table_comes_from_committed_results():
    """benchmarks/README.md's table is the one generated from benchmarks/results.json (same run)."""
    results = ROOT / "benchmarks" / "results.json"
    readme = ROOT / "benchmarks" / "README.md"
    if not results.exists():
        pytest.skip("no benchmark run committed yet")
    doc = json.loads(results.read_text())
    text = readme.read_text()
    assert B.render_table(doc["measures"]) in text
    assert doc["started"] in text
