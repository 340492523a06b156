"""The workshop hub of deploy/hub, started as ``make hub`` would, on free loopback ports,
and driven through its REST API and login form."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from argparse import Namespace
from pathlib import Path

from fluorohip.hub import classroom, launch

CELL_TIMEOUT_S = 300.0
SPAWN_TIMEOUT_S = 300.0
HUB_START_TIMEOUT_S = 60.0


def free_port_block(n: int = 3) -> int:
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
        self.port = port or free_port_block(3)
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
        classroom.Layout(self.hub_dir).create()
        env = launch.hub_environment(
            args, self.password, self.admin_password, {"FLUOROHIP_HUB_API_TOKEN": self.token}
        )
        t0 = time.monotonic()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                launch.hub_command(args),
                env=env,
                cwd=classroom.Layout(self.hub_dir).state,
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
            return int((classroom.Layout(self.hub_dir).state / "proxy.pid").read_text().strip())
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
