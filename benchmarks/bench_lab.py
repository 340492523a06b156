"""Cold and warm `make lab` (fresh clone -> JupyterLab answering /api/status), and server RSS.

Each round: `git clone` the repository's committed HEAD into a temporary folder; `make lab`
there (cold: creates .venv and installs, pip's cache off) until GET /api/status answers 200;
stop it; `make lab` again in the same clone (warm); in the warm server, load the Lab page and
start one kernel session, then read the server's VmHWM; stop it.

Run alone: .venv/bin/python benchmarks/bench_lab.py [--rounds N]
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import kb_to_mb, read_vm_kb

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            kids += [int(x) for x in text.split()]
    except OSError:
        pass
    return kids


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in _children(p):
            out.append(c)
            todo.append(c)
    return out


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def server_pid(make_pid: int) -> int | None:
    """The JupyterLab server among make's descendants (not a kernel; the largest if a shell wraps it)."""
    found = []
    for p in descendants(make_pid):
        args = " ".join(cmdline(p))
        if ("jupyter-lab" in args or "jupyter lab" in args) and "ipykernel" not in args:
            found.append((read_vm_kb(p, "VmRSS") or 0, p))
    return max(found)[1] if found else None


def _get(url: str, token: str, method: str = "GET", body: dict | None = None, timeout: float = 5.0):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


class Lab:
    """`make lab` in ``clone`` on a free port, in its own process group."""

    def __init__(self, clone: Path, log_path: Path, env_extra: dict | None = None):
        self.clone, self.port, self.token = clone, free_port(), secrets.token_hex(16)
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in (
                "VIRTUAL_ENV",
                "PYTHONPATH",
                "MAKEFLAGS",
                "MFLAGS",
                "MAKELEVEL",
                "FLUOROHIP_ROOT",
            )
        }
        # venv's bin first in PATH would let the clone's Makefile pick our interpreter: drop it.
        env["PATH"] = os.pathsep.join(
            p
            for p in env.get("PATH", "").split(os.pathsep)
            if not p.startswith(str(ROOT / ".venv"))
        )
        env.update({"JUPYTER_TOKEN": self.token, "BROWSER": "true", **(env_extra or {})})
        self.log = open(log_path, "ab")
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            ["make", "lab", f"PORT={self.port}"],
            cwd=clone,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> float:
        """Seconds from `make lab` to /api/status answering 200."""
        deadline = self.t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"make lab exited {self.proc.returncode} before the server answered"
                )
            try:
                status, _ = _get(self.base + "/api/status", self.token, timeout=2)
                if status == 200:
                    return time.perf_counter() - self.t0
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"no /api/status within {timeout:.0f} s")

    def server_rss_after_use(self) -> dict:
        """Load /lab and start a kernel session for the start notebook; server VmHWM (MB)."""
        _get(self.base + "/lab", self.token, timeout=30)
        _, body = _get(
            self.base + "/api/sessions",
            self.token,
            "POST",
            {
                "path": "00_start_here.ipynb",
                "type": "notebook",
                "name": "00_start_here.ipynb",
                "kernel": {"name": "python3"},
            },
            timeout=60,
        )
        session = json.loads(body)
        time.sleep(2.0)  # let the kernel connect
        pid = server_pid(self.proc.pid)
        hwm = read_vm_kb(pid, "VmHWM") if pid else None
        rss = read_vm_kb(pid, "VmRSS") if pid else None
        try:
            _get(f"{self.base}/api/sessions/{session['id']}", self.token, "DELETE", timeout=30)
        except (urllib.error.URLError, OSError):
            pass
        return {
            "server_peak_rss_mb": kb_to_mb(hwm) if hwm else None,
            "server_rss_mb": kb_to_mb(rss) if rss else None,
        }

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        self.log.close()


def one_round(log=print, workdir: Path | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="fluorohip-cold-", dir=workdir))
    clone = tmp / "fluorohip"
    res: dict = {}
    try:
        t0 = time.perf_counter()
        subprocess.run(
            ["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, capture_output=True
        )
        res["clone_s"] = time.perf_counter() - t0
        lab = Lab(clone, tmp / "make-lab.log", {"PIP_NO_CACHE_DIR": "1"})
        try:
            res["cold_s"] = lab.wait_ready()
        finally:
            lab.stop()
        lab = Lab(clone, tmp / "make-lab.log")
        try:
            res["warm_s"] = lab.wait_ready()
            res.update(lab.server_rss_after_use())
        finally:
            lab.stop()
        log(
            f"  clone {res['clone_s']:.1f} s; cold make lab {res['cold_s']:.1f} s; warm {res['warm_s']:.1f} s; "
            f"server peak RSS {res.get('server_peak_rss_mb') or 0:.0f} MB"
        )
    except Exception as exc:
        tail = ""
        logf = tmp / "make-lab.log"
        if logf.exists():
            tail = " | ".join(logf.read_text(errors="replace").strip().splitlines()[-3:])
        res["error"] = f"{type(exc).__name__}: {exc}" + (f" (make lab log: {tail})" if tail else "")
        log(f"  ERROR {res['error']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def bench_lab(rounds: int = 3, log=print) -> list[dict]:
    return [one_round(log) for _ in range(rounds)]


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=1)
    print(json.dumps(bench_lab(ap.parse_args().rounds), indent=2))
