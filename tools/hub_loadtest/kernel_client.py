"""One learner's kernel, started through the learner's server and driven over the kernel
websocket (Jupyter messaging protocol), as JupyterLab does."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # websocket-client loads on start(): the hub extra is needed only here
    import websocket

import json
import time
import uuid

from .hub_process import CELL_TIMEOUT_S, Hub


class KernelClient:
    def __init__(self, hub: Hub, user: str):
        self.hub, self.user = hub, user
        self.base = f"{hub.url}/user/{user}/api"
        self.kernel_id: str | None = None
        self.ws: websocket.WebSocket | None = None  # open once start() has run
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

    def socket(self) -> websocket.WebSocket:
        """The kernel's websocket; RuntimeError before :meth:`start`."""
        if self.ws is None:
            raise RuntimeError(f"the kernel of {self.user} was not started")
        return self.ws

    def _send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.socket().send(
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
            self.socket().settimeout(max(0.1, min(5.0, deadline - time.monotonic())))
            try:
                raw = self.socket().recv()
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
