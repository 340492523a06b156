"""Quiz answer-to-feedback in the kernel, and progress-store latency and concurrent throughput.

Run alone: .venv/bin/python benchmarks/bench_quiz.py
(``--store-worker HOME N START`` is the child mode used for the concurrent-writer runs.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _views(quiz):
    """Every gradable view of a QuizWidget: questions, and each stage of a case."""
    from fluorohip.quiz.views import CaseView

    for view in quiz.views:
        if isinstance(view, CaseView):
            yield from view.stage_views
        else:
            yield view


def _wrong_single(q):
    others = [o.id for o in q.options if o.id != q.answer]
    return others[0] if others else q.answer


def bench_answer_feedback(repeats: int = 3, prefill: int = 0, log=print) -> dict[str, list[float]]:
    """ms from Check pressed to feedback HTML set, per question type ('all' = every click).

    Drives the real widgets: response set on the controls, ``check_button.click()`` (which runs
    the on_click handler: grade, save to the progress store with fsync, render the feedback).
    ``prefill``: attempts already in the store (a save appends one line whatever the size).
    """
    os.environ.pop("FLUOROHIP_WORKSHOP_MODE", None)  # full feedback, the heavier path
    from fluorohip.progress import ProgressStore
    from fluorohip.quiz import available_banks, show_quiz
    from fluorohip.quiz.grading import correct_response
    from fluorohip.quiz.model import SingleQuestion

    out: dict[str, list[float]] = {"all": []}
    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-quiz-") as home:
        if prefill:
            _prefill(home, prefill)
        store = ProgressStore(home)
        for stem in available_banks():
            quiz = show_quiz(stem, store=store)
            for view in _views(quiz):
                q = view.q
                for r in range(repeats):
                    response = correct_response(q)
                    if r % 2 == 1 and isinstance(q, SingleQuestion):
                        response = _wrong_single(q)
                    view.controls.set_response(response)
                    view.feedback.value = ""
                    t0 = time.perf_counter()
                    view.check_button.click()
                    dt = (time.perf_counter() - t0) * 1000
                    if not view.feedback.value or view.grade is None:
                        raise RuntimeError(f"{stem}:{q.key}: Check gave no graded feedback")
                    out["all"].append(dt)
                    out.setdefault(q.type, []).append(dt)
                    view.try_again()
        n_saved = len(store.attempts()) - prefill
    if n_saved != len(out["all"]):
        raise RuntimeError(f"{len(out['all'])} checks but {n_saved} attempts saved")
    log(
        f"  answer->feedback: {len(out['all'])} checks over {len(available_banks())} banks, "
        f"{n_saved} attempts saved (store held {prefill} before)"
    )
    return out


# -- progress store ---------------------------------------------------------------------------


def _prefill(home: str, n: int) -> None:
    """A store holding ``n`` attempts, in the store's documented format: the log ``attempts.jsonl``
    (header line, one attempt per line), as ``record`` itself would have left it."""
    from fluorohip.progress.store import LOG_NAME, Attempt, log_header, log_line

    attempts = [
        Attempt(
            timestamp="2025-01-01T00:00:00.000000+00:00",
            bank="00_start_here",
            bank_version=1,
            question_id=f"prefill-{i}",
            answer="a",
            correct=bool(i % 2),
        )
        for i in range(n)
    ]
    Path(home, LOG_NAME).write_bytes(log_header() + b"".join(log_line(a) for a in attempts))


def bench_store_latency(prefill: int, writes: int = 50) -> list[float]:
    """ms per ``record`` by one writer into a store that already holds ``prefill`` attempts."""
    from fluorohip.progress import ProgressStore

    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-store-") as home:
        if prefill:
            _prefill(home, prefill)
        store = ProgressStore(home)
        times = []
        for i in range(writes):
            t0 = time.perf_counter()
            store.record(
                "01_hip_anatomy", f"q{i}", ["a", "b"], True, bank_version=1, objective="01.1"
            )
            times.append((time.perf_counter() - t0) * 1000)
        assert len(store.attempts()) == prefill + writes
    return times


def _worker(home: str, n: int, start_at: float) -> None:
    from fluorohip.progress import ProgressStore

    store = ProgressStore(home)
    while time.time() < start_at:
        time.sleep(0.001)
    lat = []
    t_start = time.time()
    for i in range(n):
        t0 = time.perf_counter()
        store.record("02_image_guidance", f"w{os.getpid()}-{i}", "b", bool(i % 2), bank_version=1)
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"latencies_ms": lat, "t_start": t_start, "t_end": time.time()}))


def bench_store_concurrent(writers: int, writes_each: int = 50) -> dict:
    """K processes saving into one store at once: writes/s, per-write latency, lost writes."""
    from fluorohip.progress import ProgressStore

    with tempfile.TemporaryDirectory(prefix="fluorohip-bench-store-") as home:
        start_at = time.time() + 1.5 + 0.1 * writers  # after every child has imported fluorohip
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--store-worker",
                    home,
                    str(writes_each),
                    repr(start_at),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(writers)
        ]
        results = []
        for p in procs:
            out, _ = p.communicate(timeout=600)
            if p.returncode != 0:
                raise RuntimeError(f"store worker exited {p.returncode}")
            results.append(json.loads(out))
        saved = len(ProgressStore(home).attempts())
    t0 = min(r["t_start"] for r in results)
    t1 = max(r["t_end"] for r in results)
    total = writers * writes_each
    return {
        "writes_per_s": total / (t1 - t0),
        "latencies_ms": [x for r in results for x in r["latencies_ms"]],
        "lost": total - saved,
        "late_start_s": max(r["t_start"] for r in results) - start_at,
    }


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--store-worker":
        _worker(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        sys.exit(0)
    import statistics

    fb = bench_answer_feedback()
    print({k: round(statistics.median(v), 2) for k, v in fb.items()})
    for n in (0, 300, 2000):
        print("latency prefill", n, round(statistics.median(bench_store_latency(n)), 2), "ms")
    for k in (1, 4, 8):
        r = bench_store_concurrent(k)
        print(
            "writers",
            k,
            round(r["writes_per_s"], 1),
            "writes/s; median latency",
            round(statistics.median(r["latencies_ms"]), 1),
            "ms; lost",
            r["lost"],
            "late",
            round(r["late_start_s"], 2),
        )
