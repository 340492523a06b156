"""What each simulated learner does, and the checks run on the class afterwards (no answer lost,
one learner cannot reach another's server, a killed server or restarted hub loses nothing)."""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fluorohip.hub import classroom

from .hub_process import SPAWN_TIMEOUT_S, Hub
from .kernel_client import KernelClient
from .notebook_code import EXERCISE, FRAME, FRAMES, QUIZ_ANSWER, QUIZ_LOOP, QUIZ_OPEN, SETUP


@dataclass
class Learner:
    name: str
    index: int
    login_status: int | None = None
    spawn_s: float | None = None
    kernel_s: float | None = None
    cells: list[dict] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)  # attempt ids acknowledged by the kernel
    not_saved: list[str] = field(default_factory=list)
    pids: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    error: str | None = None
    client: KernelClient | None = None

    def kernel(self) -> KernelClient:
        """This learner's kernel client; RuntimeError before it was started."""
        if self.client is None:
            raise RuntimeError(f"no kernel was started for {self.name}")
        return self.client


def _run_cell(lr: Learner, kind: str, code: str) -> str:
    ok, dt, out, err = lr.kernel().execute(code)
    lr.cells.append(
        {"kind": kind, "ok": ok, "s": round(dt, 4), **({"error": err[-400:]} if not ok else {})}
    )
    for line in out.splitlines():
        if line.startswith("ACK "):
            lr.acked.append(line.split()[1])
        elif line.startswith("NOTSAVED"):
            lr.not_saved.append(line)
    return out


def learner_work(
    hub: Hub, lr: Learner, bank: str, n_questions: int, barrier: threading.Barrier
) -> None:
    try:
        lr.spawn_s = hub.start_server(lr.name)
        lr.client = KernelClient(hub, lr.name)
        lr.kernel_s = lr.client.start()
        out = _run_cell(lr, "setup", SETUP)
        lr.pids = json.loads(out.strip().splitlines()[-1])
    except Exception as exc:  # reported per learner; the others go on
        lr.error = f"{type(exc).__name__}: {exc}"
    try:
        barrier.wait(timeout=SPAWN_TIMEOUT_S + 200)  # everyone starts the exercise together
    except threading.BrokenBarrierError:
        pass
    if lr.error:
        return
    try:
        _run_cell(lr, "exercise", EXERCISE.format(seed=lr.index))
        for k in range(FRAMES):
            _run_cell(lr, "frame", FRAME.format(seed=1000 * lr.index + k))
        out = _run_cell(lr, "quiz_open", QUIZ_OPEN.format(bank=bank))
        n = min(int(out.strip().splitlines()[-1]), n_questions)
        for i in range(n):
            _run_cell(lr, "quiz_answer", QUIZ_ANSWER.format(i=i, right=(i + lr.index) % 3 != 0))
    except Exception as exc:
        lr.error = f"{type(exc).__name__}: {exc}"


def store_attempt_ids(layout: classroom.Layout, user: str) -> set[str]:
    from fluorohip.progress.store import ProgressStore

    return {a.attempt_id for a in ProgressStore(layout.progress_home(user)).attempts()}


def kill_test(hub: Hub, lr: Learner, layout: classroom.Layout) -> dict:
    """SIGKILL one learner's server and kernel while it is answering; no acknowledged answer may be lost."""
    acked: list[str] = []
    killed = threading.Event()

    def on_msg(msg):
        if msg["header"]["msg_type"] == "stream":
            for line in msg["content"].get("text", "").splitlines():
                if line.startswith("ACK "):
                    acked.append(line.split()[1])
        if len(acked) >= 5 and not killed.is_set():
            killed.set()
            for pid in (lr.pids.get("kernel_pid"), lr.pids.get("server_pid")):
                if pid is None:
                    continue
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, TypeError):
                    pass

    t0 = time.monotonic()
    try:
        lr.kernel().execute(QUIZ_LOOP, timeout=60, on_msg=on_msg)
        outcome = "the loop finished before the kill"
    except (ConnectionError, TimeoutError, OSError) as exc:
        outcome = f"connection lost as expected ({type(exc).__name__})"
    except Exception as exc:  # websocket closed abruptly
        outcome = f"connection lost as expected ({type(exc).__name__})"
    lr.kernel().kernel_id = None  # it is gone
    in_store = store_attempt_ids(layout, lr.name)
    lost = [a for a in acked if a not in in_store]
    lr.acked.extend(acked)
    # the hub notices the dead server; start it again as the learner would
    restarted_s = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r = hub.api("DELETE", f"/users/{lr.name}/server")
            if r.status_code in (204, 400):
                break
            time.sleep(1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            hub.api("GET", f"/users/{lr.name}").json().get("servers") or {}
        ):
            time.sleep(0.5)
        restarted_s = round(hub.start_server(lr.name), 2)
    except Exception as exc:
        outcome += f"; restart failed: {exc}"
    return {
        "learner": lr.name,
        "killed": killed.is_set(),
        "acknowledged_before_kill": len(acked),
        "lost": len(lost),
        "outcome": outcome,
        "server_restarted_s": restarted_s,
        "seconds": round(time.monotonic() - t0, 2),
    }


def isolation_checks(hub: Hub, users: list[str]) -> dict:
    """A wrong password gets nothing; one learner's session cannot reach another's server."""
    import requests

    out = {}
    _, status = hub.login("intruder", "not-the-password")
    s = requests.Session()
    r = s.get(f"{hub.url}/hub/api/user", timeout=30)
    out["wrong_password_login_status"] = status
    out["wrong_password_gets_session"] = status in (302, 303) or r.status_code == 200
    if len(users) >= 2:
        a, b = users[0], users[1]
        sa, status = hub.login(a, hub.password)
        own = sa.get(
            f"{hub.url}/user/{a}/api/contents", timeout=60
        )  # browser-style: OAuth via the hub cookie
        if own.status_code == 403:  # API paths do not start OAuth; a page does, then the API works
            sa.get(f"{hub.url}/user/{a}/lab", timeout=120)
            own = sa.get(f"{hub.url}/user/{a}/api/contents", timeout=60)
        other_page = sa.get(f"{hub.url}/user/{b}/lab", timeout=120)
        other = sa.get(f"{hub.url}/user/{b}/api/contents/.fluorohip/attempts.jsonl", timeout=60)
        other_put = sa.put(
            f"{hub.url}/user/{b}/api/contents/.fluorohip/attempts.jsonl",
            json={"type": "file", "format": "text", "content": "{}"},
            timeout=60,
        )
        out["own_server_status"] = own.status_code
        out["other_server_page_status"] = other_page.status_code
        out["other_server_read_status"] = other.status_code
        out["other_server_write_status"] = other_put.status_code
        out["other_server_blocked"] = (
            own.status_code == 200
            and other_page.status_code == 403
            and other.status_code in (401, 403)
            and other_put.status_code in (401, 403)
        )
    return out


def restart_hub_check(hub: Hub, users: list[str], layout: classroom.Layout) -> dict:
    before = {u: store_attempt_ids(layout, u) for u in users}
    t0 = time.monotonic()
    hub.stop()
    start_s = hub.start()
    import requests

    running = 0
    for u in users:
        try:
            if (
                requests.get(
                    f"{hub.url}/user/{u}/api/status",
                    headers={"Authorization": f"token {hub.token}"},
                    timeout=30,
                ).status_code
                == 200
            ):
                running += 1
        except requests.RequestException:
            pass
    after = {u: store_attempt_ids(layout, u) for u in users}
    _, status = hub.login(users[0], hub.password)
    return {
        "restart_s": round(time.monotonic() - t0, 2),
        "hub_start_s": round(start_s, 2),
        "stores_kept": all(before[u] <= after[u] for u in users),
        "servers_still_running": running,
        "login_after_restart_status": status,
    }


def cleanup(hub: Hub, learners: list[Learner]) -> None:
    for lr in learners:
        if lr.client is not None:
            lr.client.close()
    for lr in learners:
        try:
            hub.api("DELETE", f"/users/{lr.name}/server", timeout=60)
        except Exception:
            pass
    deadline = time.monotonic() + 60
    for lr in learners:
        while time.monotonic() < deadline:
            try:
                r = hub.api("DELETE", f"/users/{lr.name}")
            except Exception:
                break
            if r.status_code in (204, 404):
                break
            time.sleep(1)  # 400 while the server is still stopping


def class_report(layout: classroom.Layout, out: Path) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "fluorohip.cli",
        "class-report",
        str(layout.submissions),
        "--out",
        str(out),
    ]
    fluorohip_bin = Path(sys.executable).parent / "fluorohip"
    if fluorohip_bin.exists():
        cmd = [str(fluorohip_bin), "class-report", str(layout.submissions), "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return {
        "exit": proc.returncode,
        "stdout": proc.stdout.strip()[-500:],
        "stderr": proc.stderr.strip()[-500:],
        "written": out.exists(),
    }


def machine_info() -> dict:
    load = os.getloadavg()
    mem = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("MemTotal", "MemAvailable"):
            mem[k] = round(int(v.split()[0]) / 1024 / 1024, 1)
    return {
        "cores": os.cpu_count(),
        "mem_total_gib": mem.get("MemTotal"),
        "mem_available_gib": mem.get("MemAvailable"),
        "loadavg_1_5_15": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "uid": os.geteuid(),
    }
