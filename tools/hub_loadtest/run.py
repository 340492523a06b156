"""One load-test run: start the hub, let N learners work at once, check, measure, summarise."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from fluorohip.hub import classroom

from .hub_process import CELL_TIMEOUT_S, SPAWN_TIMEOUT_S, Hub, proc_status
from .learners import (
    Learner,
    class_report,
    cleanup,
    isolation_checks,
    kill_test,
    learner_work,
    machine_info,
    restart_hub_check,
    store_attempt_ids,
)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return round(v[lo] + (v[hi] - v[lo]) * (k - lo), 4)


def stats(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": round(max(values), 4) if values else None,
    }


def run(
    n: int = 20,
    *,
    hub_dir: Path | None = None,
    bank: str = "05_procedure",
    questions: int = 6,
    kill_one: bool = False,
    restart_hub: bool = False,
    keep: bool = False,
    note: str = "",
) -> dict:
    from fluorohip.quiz.loader import available_banks

    if bank not in available_banks():
        bank = "00_start_here"
    tmp = None
    if hub_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="fh-hub-"))
        os.chmod(
            tmp, 0o711
        )  # learners run as their own uids (hub as root) and must reach their homes
        hub_dir = tmp
    layout = classroom.Layout(hub_dir)
    hub = Hub(hub_dir)
    result: dict = {
        "learners": n,
        "bank": bank,
        "machine_before": machine_info(),
        "note": note,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    learners = [Learner(f"learner{i:02d}", i) for i in range(n)]
    try:
        result["hub_start_s"] = round(hub.start(), 2)
        for (
            lr
        ) in learners:  # every learner logs in with the workshop password (creates the hub user)
            _, lr.login_status = hub.login(lr.name, hub.password)
        barrier = threading.Barrier(n)
        t0 = time.monotonic()
        threads = [
            threading.Thread(
                target=learner_work, args=(hub, lr, bank, questions, barrier), daemon=True
            )
            for lr in learners
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(SPAWN_TIMEOUT_S + CELL_TIMEOUT_S * 3)
        result["wall_s"] = round(time.monotonic() - t0, 2)
        spawn = [lr.spawn_s for lr in learners if lr.spawn_s is not None]
        result["logins_ok"] = sum(1 for lr in learners if lr.login_status in (302, 303))
        result["servers_up"] = len(spawn)
        result["spawn_s"] = {
            **stats(spawn),
            "all": round(max(spawn), 2) if spawn else None,
            "per_learner": [
                round(s, 2) if s is not None else None for s in (lr.spawn_s for lr in learners)
            ],
        }
        result["kernel_ready_s"] = stats(
            [lr.kernel_s for lr in learners if lr.kernel_s is not None]
        )
        cells = [c for lr in learners for c in lr.cells]
        by_kind: dict[str, list[float]] = {}
        for c in cells:
            by_kind.setdefault(c["kind"], []).append(c["s"])
        result["cells"] = {
            "executed": len(cells),
            "failed": sum(1 for c in cells if not c["ok"]),
            "latency_s": {k: stats(v) for k, v in by_kind.items()},
            "errors": [
                f"{lr.name}: {c['kind']}: {c.get('error')}"
                for lr in learners
                for c in lr.cells
                if not c["ok"]
            ][:10],
        }
        result["learner_errors"] = [f"{lr.name}: {lr.error}" for lr in learners if lr.error]
        # memory after the work: server + kernel per learner, hub + proxy
        for lr in learners:
            srv = proc_status(lr.pids.get("server_pid", -1)) if lr.pids else {}
            ker = proc_status(lr.pids.get("kernel_pid", -1)) if lr.pids else {}
            lr.memory = {
                "server": srv,
                "kernel": ker,
                "rss_mib": round(srv.get("VmRSS", 0) + ker.get("VmRSS", 0), 1),
                "hwm_mib": round(srv.get("VmHWM", 0) + ker.get("VmHWM", 0), 1),
            }
        rss = [lr.memory["rss_mib"] for lr in learners if lr.memory.get("rss_mib")]
        hwm = [lr.memory["hwm_mib"] for lr in learners if lr.memory.get("hwm_mib")]
        hub_rss = proc_status(hub.proc.pid).get("VmRSS", 0) if hub.proc else 0
        proxy_rss = proc_status(hub.proxy_pid() or -1).get("VmRSS", 0)
        result["memory_mib"] = {
            "per_learner_rss": stats(rss),
            "per_learner_hwm": stats(hwm),
            "server_rss": stats(
                [lr.memory["server"].get("VmRSS", 0) for lr in learners if lr.memory.get("server")]
            ),
            "kernel_rss": stats(
                [lr.memory["kernel"].get("VmRSS", 0) for lr in learners if lr.memory.get("kernel")]
            ),
            "learners_total_rss": round(sum(rss), 1),
            "learners_total_hwm": round(sum(hwm), 1),
            "hub_rss": hub_rss,
            "proxy_rss": proxy_rss,
            "total_rss": round(sum(rss) + hub_rss + proxy_rss, 1),
        }
        result["machine_after_work"] = machine_info()
        result["checks"] = isolation_checks(
            hub, [lr.name for lr in learners if lr.spawn_s is not None]
        )
        ok_learners = [lr for lr in learners if lr.pids and lr.client is not None]
        if kill_one and ok_learners:
            result["kill_test"] = kill_test(hub, ok_learners[-1], layout)
        # answers: acknowledged by the kernel -> in the learner's store -> counted by the class report
        from fluorohip.hub.live_report import answers_by_learner

        acked = {lr.name: set(lr.acked) for lr in learners}
        stores = {lr.name: store_attempt_ids(layout, lr.name) for lr in learners}
        lost = {u: sorted(acked[u] - stores[u]) for u in acked if acked[u] - stores[u]}
        report_file = layout.root / "class-report.html"
        result["class_report"] = class_report(layout, report_file)
        counted = answers_by_learner(layout.submissions)
        result["answers"] = {
            "acknowledged": sum(len(a) for a in acked.values()),
            "in_stores": sum(len(stores[u] & acked[u]) for u in acked),
            "lost": sum(len(v) for v in lost.values()),
            "lost_detail": {u: v[:5] for u, v in lost.items()},
            "not_saved_notices": [x for lr in learners for x in lr.not_saved][:10],
            "class_report_attempts": sum(counted.values()),
            "class_report_per_learner": counted,
            "class_report_counted_every_learner": all(
                counted.get(u, 0) >= len(stores[u]) and len(stores[u]) > 0 for u in acked
            ),
        }
        if restart_hub and ok_learners:
            result["restart_test"] = restart_hub_check(hub, [lr.name for lr in ok_learners], layout)
        frame = result["cells"]["latency_s"].get("frame", {})
        result["targets"] = {
            "servers_up": f"{result['servers_up']}/{n}",
            "all_servers_up": result["servers_up"] == n,
            "zero_failed_cells": result["cells"]["failed"] == 0 and not result["learner_errors"],
            "zero_lost_answers": result["answers"]["lost"] == 0
            and result["answers"]["acknowledged"] > 0,
            "frame_p95_under_1s": frame.get("p95") is not None and frame["p95"] < 1.0,
            "class_report_counted_every_learner": result["answers"][
                "class_report_counted_every_learner"
            ],
            "wrong_password_rejected": not result["checks"]["wrong_password_gets_session"],
        }
        if "other_server_blocked" in result["checks"]:
            result["targets"]["other_learner_server_blocked"] = result["checks"][
                "other_server_blocked"
            ]
        if "kill_test" in result:
            result["targets"]["kill_mid_answer_loses_nothing"] = (
                result["kill_test"]["killed"] and result["kill_test"]["lost"] == 0
            )
        if "restart_test" in result:
            rt = result["restart_test"]
            result["targets"]["hub_restart_keeps_stores"] = (
                rt["stores_kept"] and rt["login_after_restart_status"] == 302
            )
        result["passed"] = all(v for k, v in result["targets"].items() if k != "servers_up")
    finally:
        try:
            cleanup(hub, learners)
        finally:
            hub.stop()
            result["hub_log_tail"] = hub.tail(15) if not result.get("passed") else ""
            for u in (lr.name for lr in learners):
                shutil.rmtree(layout.runtime_dir(u), ignore_errors=True)
            try:
                layout.runtime_dir("learner00").parent.rmdir()
            except OSError:
                pass
            if tmp is not None and not keep:
                shutil.rmtree(tmp, ignore_errors=True)
    result["machine_after"] = machine_info()
    return result


def summary(r: dict) -> str:
    c = r.get("cells", {})
    lat = c.get("latency_s", {})
    m = r.get("memory_mib", {})
    lines = [
        f"learners {r['learners']}: servers up {r.get('servers_up')}/{r['learners']}, "
        f"spawn p50 {r.get('spawn_s', {}).get('p50')} s, all {r.get('spawn_s', {}).get('all')} s, "
        f"kernel ready p50 {r.get('kernel_ready_s', {}).get('p50')} s",
        f"cells {c.get('executed')} executed, {c.get('failed')} failed",
    ]
    for kind, s in lat.items():
        lines.append(
            f"  {kind:<12} n={s['n']:<4} p50 {s['p50']} s  p95 {s['p95']} s  max {s['max']} s"
        )
    a = r.get("answers", {})
    lines.append(
        f"answers acknowledged {a.get('acknowledged')}, in stores {a.get('in_stores')}, lost {a.get('lost')}, "
        f"class report counted every learner: {a.get('class_report_counted_every_learner')}"
    )
    lines.append(
        f"memory per learner (server+kernel) RSS p50 {m.get('per_learner_rss', {}).get('p50')} MiB, "
        f"max {m.get('per_learner_rss', {}).get('max')}; learners total {m.get('learners_total_rss')} MiB; "
        f"hub {m.get('hub_rss')} + proxy {m.get('proxy_rss')} MiB"
    )
    for key in ("checks", "kill_test", "restart_test"):
        if key in r:
            lines.append(f"{key}: {json.dumps(r[key])}")
    lines.append(
        f"targets: {json.dumps(r.get('targets'))} -> {'PASS' if r.get('passed') else 'FAIL'}"
    )
    return "\n".join(lines)
