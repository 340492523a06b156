"""``make hub-loadtest``: a class of simulated learners on a real workshop hub, no browser.

    python -m fluorohip.hub.loadtest [-n 20] [--out benchmarks/hub.json] [--kill-one] [--restart-hub]

Starts the hub of ``deploy/hub`` (throw-away hub folder, random passwords, an admin service
token) on 127.0.0.1, then for every learner, concurrently: logs in with the workshop password
through the login form, has the server started through the Hub REST API, starts a kernel and
runs, over the kernel websocket (Jupyter messaging protocol), the procedure notebook's
fluoroscope exercise (``GuidedRun`` from :mod:`fluorohip.procedure`, then fluoroscope frames)
and answers the chapter quiz through the quiz widgets' own Check path (grading and
``ProgressStore.record``). Each acknowledged answer is remembered by its attempt id; at the end
every learner's store and the class report (``fluorohip class-report`` over the hub's
submissions folder) must hold all of them.

Also checks: a wrong password gets no session; one learner's session cannot reach another
learner's server; optionally (``--kill-one``) SIGKILL of one learner's server and kernel in the
middle of answering loses no acknowledged answer, and (``--restart-hub``) a hub restart keeps
every store and running server. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from argparse import Namespace
from dataclasses import dataclass, field
from pathlib import Path

from ..cli_support import write_text_atomic
from . import launch
from . import workshop as W

CELL_TIMEOUT_S = 300.0
SPAWN_TIMEOUT_S = 300.0
HUB_START_TIMEOUT_S = 60.0
FRAMES = 5  # fluoroscope frame cells per learner


# ---------------------------------------------------------------------------------------------
# the notebook code each learner's kernel runs (package calls only, as in the course notebooks)

SETUP = """\
import os, json, io
from fluorohip.fluoro import Scene, CArm, render, FluoroSession
from fluorohip.procedure import GuidedRun, scripted_hit
from fluorohip.quiz.views import show_quiz
from fluorohip.quiz.grading import correct_response
from fluorohip.quiz.model import CaseQuestion
print(json.dumps({"kernel_pid": os.getpid(), "server_pid": os.getppid(),
                  "home": os.environ["FLUOROHIP_HOME"], "learner": os.environ["FLUOROHIP_LEARNER"]}))
"""

EXERCISE = """\
run = GuidedRun(pixels=256, seed={seed})
result = scripted_hit(run)
print(json.dumps({{"success": result["success"], "images": result["images"]}}))
"""

FRAME = """\
from PIL import Image as _PIL
from IPython.display import Image, display
frame = render(Scene(), CArm(pixels=256), seed={seed})
session = FluoroSession(scene=Scene(), carm=CArm(pixels=256), seed={seed})
live = session.pedal()
_buf = io.BytesIO(); _PIL.fromarray(live.image).save(_buf, "JPEG", quality=85)
display(Image(data=_buf.getvalue(), format="jpeg"))
print(frame.image.shape, session.ledger.presses)
"""

QUIZ_OPEN = """\
quiz = show_quiz({bank!r})
views = []
for v in quiz.views:
    views.extend(v.stage_views if hasattr(v, "stage_views") else [v])
def answer(i, right=True):
    v = views[i]
    if v.grade is not None:
        v.try_again()
    response = correct_response(v.q)
    if not right and isinstance(response, str):
        others = [o.id for o in getattr(v.q, "options", []) if o.id != response]
        response = others[0] if others else response
    v.controls.set_response(response)
    g = v.check()                      # the Check button's own path: grade, then ProgressStore.record
    note = v._saved_note
    if note is None and g.counts:      # acknowledged: on disk before check() returned
        a = quiz.store.attempts()[-1]
        print("ACK", a.attempt_id, a.question_id, flush=True)
    else:
        print("NOTSAVED", v.q.key, note, flush=True)
print(len(views))
"""

QUIZ_ANSWER = "answer({i}, right={right})\n"

# answering in a loop, for the kill test (the server and kernel are killed in the middle)
QUIZ_LOOP = """\
import time
for _round in range(200):
    for _i in range(len(views)):
        answer(_i)
        time.sleep(0.02)
"""


# ---------------------------------------------------------------------------------------------
# HTTP helpers (requests is a JupyterHub dependency)


def _free_port_block(n: int = 3) -> int:
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n >= 65535:
            continue
        ok = True
        for k in range(1, n):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", base + k))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free block of ports on 127.0.0.1")


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


def proc_status(pid: int) -> dict:
    """VmRSS / VmHWM of a process in MiB (None if it is gone)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, val = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(val.split()[0]) / 1024, 1)
    except (OSError, ValueError):
        return {}
    return out


class Hub:
    """The workshop hub of deploy/hub, started as `make hub` would, on free loopback ports."""

    def __init__(self, hub_dir: Path, port: int | None = None):
        self.hub_dir = Path(hub_dir)
        self.port = port or _free_port_block(3)
        self.password = secrets.token_urlsafe(12)
        self.admin_password = secrets.token_urlsafe(32)
        self.token = secrets.token_hex(32)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = self.hub_dir / "hub.log"

    def start(self) -> float:
        import requests

        launch.check_tools()
        args = Namespace(
            ip=None,
            public=False,
            port=self.port,
            hub_dir=self.hub_dir,
            admin="instructor",
            roster=None,
            course_repo=str(launch.REPO),
            ssl_cert=None,
            ssl_key=None,
        )
        W.Layout(self.hub_dir).create()
        env = launch.hub_environment(
            args, self.password, self.admin_password, {"FLUOROHIP_HUB_API_TOKEN": self.token}
        )
        t0 = time.monotonic()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                launch.hub_command(args),
                env=env,
                cwd=W.Layout(self.hub_dir).state,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = t0 + HUB_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"hub exited with {self.proc.returncode}; see {self.log}:\n{self.tail()}"
                )
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return time.monotonic() - t0
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise RuntimeError(
            f"hub not answering after {HUB_START_TIMEOUT_S} s; see {self.log}:\n{self.tail()}"
        )

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def proxy_pid(self) -> int | None:
        try:
            return int((W.Layout(self.hub_dir).state / "proxy.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    # -- REST
    def api(self, method: str, path: str, **kw):
        import requests

        kw.setdefault("timeout", 30)
        headers = {"Authorization": f"token {self.token}", **kw.pop("headers", {})}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, **kw)

    def login(self, user: str, password: str):
        """Log in through the login form; returns (session, status)."""
        import requests

        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=30)
        r = s.post(
            f"{self.url}/hub/login",
            data={"username": user, "password": password, "_xsrf": s.cookies.get("_xsrf", "")},
            allow_redirects=False,
            timeout=60,
        )
        return s, r.status_code

    def start_server(self, user: str) -> float:
        t0 = time.monotonic()
        r = self.api("POST", f"/users/{user}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"start {user}: HTTP {r.status_code} {r.text[:200]}")
        deadline = t0 + SPAWN_TIMEOUT_S
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{user}").json()
            srv = (info.get("servers") or {}).get("")
            if srv and srv.get("ready"):
                return time.monotonic() - t0
            if not info.get("pending") and not srv:
                raise RuntimeError(f"server of {user} failed to start; see hub log")
            time.sleep(0.5)
        raise TimeoutError(f"server of {user} not ready after {SPAWN_TIMEOUT_S} s")


# ---------------------------------------------------------------------------------------------
# one learner's kernel over the websocket


class KernelClient:
    def __init__(self, hub: Hub, user: str):
        self.hub, self.user = hub, user
        self.base = f"{hub.url}/user/{user}/api"
        self.kernel_id: str | None = None
        self.ws = None
        self.session = uuid.uuid4().hex

    def _h(self):
        return {"Authorization": f"token {self.hub.token}"}

    def start(self) -> float:
        import requests
        import websocket

        t0 = time.monotonic()
        r = requests.post(
            f"{self.base}/kernels", json={"name": "python3"}, headers=self._h(), timeout=120
        )
        if r.status_code != 201:
            raise RuntimeError(f"kernel start for {self.user}: HTTP {r.status_code} {r.text[:200]}")
        self.kernel_id = r.json()["id"]
        ws_url = (
            self.base.replace("http://", "ws://")
            + f"/kernels/{self.kernel_id}/channels?session_id={self.session}"
        )
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {self.hub.token}"], timeout=60
        )
        # kernel_info until it answers: the kernel is ready
        deadline = t0 + 180
        while time.monotonic() < deadline:
            msg_id = self._send("kernel_info_request", {}, channel="shell")
            try:
                self._wait_reply(msg_id, "kernel_info_reply", timeout=10)
                return time.monotonic() - t0
            except TimeoutError:
                continue
        raise TimeoutError(f"kernel of {self.user} never answered kernel_info")

    def _send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.user,
                        "session": self.session,
                        "msg_type": msg_type,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    def _wait_reply(self, msg_id: str, reply_type: str, timeout: float, on_msg=None) -> dict:
        import websocket

        deadline = time.monotonic() + timeout
        reply = None
        idle = False
        while time.monotonic() < deadline and not (reply is not None and idle):
            self.ws.settimeout(max(0.1, min(5.0, deadline - time.monotonic())))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            if not raw:
                raise ConnectionError("websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if on_msg is not None:
                on_msg(msg)
            mt = msg["header"]["msg_type"]
            if mt == reply_type:
                reply = msg
                if reply_type == "kernel_info_reply":
                    return msg
            elif mt == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
        if reply is None or not idle:
            raise TimeoutError(f"no {reply_type} within {timeout} s")
        return reply

    def execute(
        self, code: str, timeout: float = CELL_TIMEOUT_S, on_msg=None
    ) -> tuple[bool, float, str, str]:
        """Run one cell: (ok, seconds to execute_reply + idle, stdout text, error text)."""
        out: list[str] = []
        err: list[str] = []

        def collect(msg):
            mt, c = msg["header"]["msg_type"], msg["content"]
            if mt == "stream":
                (out if c.get("name") == "stdout" else err).append(c.get("text", ""))
            elif mt == "error":
                err.append(f"{c.get('ename')}: {c.get('evalue')}")
            if on_msg is not None:
                on_msg(msg)

        t0 = time.monotonic()
        msg_id = self._send(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        reply = self._wait_reply(msg_id, "execute_reply", timeout, collect)
        dt = time.monotonic() - t0
        ok = reply["content"].get("status") == "ok"
        return ok, dt, "".join(out), "".join(err)

    def close(self) -> None:
        import requests

        try:
            if self.ws is not None:
                self.ws.close()
        except Exception:
            pass
        if self.kernel_id:
            try:
                requests.delete(
                    f"{self.base}/kernels/{self.kernel_id}", headers=self._h(), timeout=30
                )
            except Exception:
                pass


# ---------------------------------------------------------------------------------------------


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


def _run_cell(lr: Learner, kind: str, code: str) -> str:
    ok, dt, out, err = lr.client.execute(code)
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


def store_attempt_ids(layout: W.Layout, user: str) -> set[str]:
    from ..progress.store import ProgressStore

    return {a.attempt_id for a in ProgressStore(layout.progress_home(user)).attempts()}


def kill_test(hub: Hub, lr: Learner, layout: W.Layout) -> dict:
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
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, TypeError):
                    pass

    t0 = time.monotonic()
    try:
        lr.client.execute(QUIZ_LOOP, timeout=60, on_msg=on_msg)
        outcome = "the loop finished before the kill"
    except (ConnectionError, TimeoutError, OSError) as exc:
        outcome = f"connection lost as expected ({type(exc).__name__})"
    except Exception as exc:  # websocket closed abruptly
        outcome = f"connection lost as expected ({type(exc).__name__})"
    lr.client.kernel_id = None  # it is gone
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


def restart_hub_check(hub: Hub, users: list[str], layout: W.Layout) -> dict:
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


def class_report(layout: W.Layout, out: Path) -> dict:
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
    from ..quiz.loader import available_banks

    if bank not in available_banks():
        bank = "00_start_here"
    tmp = None
    if hub_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="fh-hub-"))
        os.chmod(
            tmp, 0o711
        )  # learners run as their own uids (hub as root) and must reach their homes
        hub_dir = tmp
    layout = W.Layout(hub_dir)
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
        from .report import answers_by_learner

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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="make hub-loadtest", description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--learners", type=int, default=int(os.environ.get("LEARNERS", "20")))
    p.add_argument(
        "--out", type=Path, help="write the results as JSON here (e.g. benchmarks/hub.json)"
    )
    p.add_argument(
        "--bank", default="05_procedure", help="quiz bank the learners answer (default %(default)s)"
    )
    p.add_argument("--questions", type=int, default=6, help="questions each learner answers")
    p.add_argument(
        "--kill-one", action="store_true", help="SIGKILL one learner's server mid-answer"
    )
    p.add_argument(
        "--restart-hub", action="store_true", help="restart the hub at the end; stores must survive"
    )
    p.add_argument("--hub-dir", type=Path, help="hub folder to use (default: a throw-away folder)")
    p.add_argument("--keep", action="store_true", help="keep the throw-away hub folder")
    p.add_argument(
        "--note", default="", help="free text stored with the results (e.g. machine shared)"
    )
    args = p.parse_args(argv)
    r = run(
        args.learners,
        hub_dir=args.hub_dir,
        bank=args.bank,
        questions=args.questions,
        kill_one=args.kill_one,
        restart_hub=args.restart_hub,
        keep=args.keep,
        note=args.note,
    )
    print(summary(r))
    if args.out:
        write_text_atomic(args.out, json.dumps(r, indent=1, sort_keys=True) + "\n")
        print(f"Wrote {args.out}")
    return 0 if r.get("passed") else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
