"""The workshop hub's identity and isolation, on a real hub with two learners (issue 26).

Learner A cannot open learner B's server without B's password, cannot read the hub's or the
proxy's environment (``/proc/<pid>/environ``: admin password, cookie secret, proxy token),
cannot read B's home, and cannot release answers; the class report counts an answer A writes
under B's name for A. Needs root (learners get uids of their own), JupyterHub and
configurable-http-proxy (``make hub-proxy``); skipped, saying why, otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from tools import hub_loadtest as loadtest

from fluorohip.hub import accounts as A
from fluorohip.hub import classroom

from .test_workshop_hub import missing_hub_tools

PROBE = r"""
import json, os
from pathlib import Path
def attempt(fn):
    try:
        fn()
        return "allowed"
    except Exception as exc:
        return type(exc).__name__
hub_dir = Path({hub_dir!r})
out = {{"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups()}}
out["hub_environ"] = attempt(lambda: Path("/proc/{hub_pid}/environ").read_bytes())
out["proxy_environ"] = attempt(lambda: Path("/proc/{proxy_pid}/environ").read_bytes())
out["cookie_secret"] = attempt(lambda: (hub_dir / "hub" / "jupyterhub_cookie_secret").read_bytes())
out["password_hashes"] = attempt(lambda: (hub_dir / "hub" / "learner-passwords.json").read_bytes())
out["other_home"] = attempt(lambda: list((hub_dir / "homes" / "ben").iterdir()))
out["other_store"] = attempt(lambda: (hub_dir / "homes" / "ben" / ".fluorohip" / "attempts.jsonl").read_bytes())
out["submissions"] = attempt(lambda: list((hub_dir / "submissions").iterdir()))
out["mkdir_release_all"] = attempt(lambda: (hub_dir / "released" / "ALL").mkdir())
out["touch_release_all"] = attempt(lambda: (hub_dir / "released" / "ALL").touch())
from fluorohip.quiz.release import release_answers
out["release_answers"] = attempt(lambda: release_answers("01_hip_anatomy"))
from fluorohip.progress.store import ProgressStore
ProgressStore().record("00_start_here", "q-spoof", "a", False, bank_version=1, learner="ben")
out["own_store"] = attempt(lambda: ProgressStore().attempts())
print(json.dumps(out))
"""


@pytest.mark.slow
def test_learner_a_cannot_use_b_server_read_hub_secrets_or_release_answers():
    reason = missing_hub_tools()
    if reason:
        pytest.skip(f"needs JupyterHub and configurable-http-proxy: {reason}")
    if os.geteuid() != 0:
        pytest.skip(
            "learner uids need the hub to run as root (as `make hub` does on a workshop machine)"
        )
    hub_dir = Path(tempfile.mkdtemp(prefix="fh-hubiso-"))
    os.chmod(hub_dir, 0o711)
    layout = classroom.Layout(hub_dir)
    layout.create()
    pw = A.issue_passwords(layout.state, ["ana", "ben"])
    hub = loadtest.Hub(hub_dir)
    client = None
    try:
        hub.start()
        # -- identity: a name is not enough, nor the other learner's password, nor a shared one
        assert hub.login("ana", pw["ben"])[1] == 403
        assert hub.login("ben", pw["ana"])[1] == 403
        assert hub.login("ana", hub.password)[1] == 403
        assert hub.login("eve", pw["ana"])[1] == 403  # no password issued: no account
        sa, status = hub.login("ana", pw["ana"])
        assert status in (302, 303)
        assert hub.login("ben", pw["ben"])[1] in (302, 303)
        hub.start_server("ana")
        hub.start_server("ben")
        assert sa.get(f"{hub.url}/user/ana/lab", timeout=120).status_code == 200
        assert sa.get(f"{hub.url}/user/ben/lab", timeout=120).status_code == 403
        assert sa.get(f"{hub.url}/user/ben/api/contents/.fluorohip", timeout=60).status_code in (
            401,
            403,
        )
        # -- code in ana's own kernel
        client = loadtest.KernelClient(hub, "ana")
        client.start()
        ok, _, out, err = client.execute(
            PROBE.format(
                hub_dir=str(hub_dir), hub_pid=hub.proc.pid, proxy_pid=hub.proxy_pid() or 1
            ),
            timeout=240,
        )
        assert ok, err
        seen = json.loads(out.strip().splitlines()[-1])
        assert seen["uid"] != 0 and seen["euid"] != 0 and 0 not in seen["groups"], seen
        for what in (
            "hub_environ",
            "proxy_environ",
            "cookie_secret",
            "password_hashes",
            "other_home",
            "other_store",
            "submissions",
            "mkdir_release_all",
            "touch_release_all",
            "release_answers",
        ):
            assert seen[what] == "PermissionError", (what, seen)
        assert seen["own_store"] == "allowed"
        assert not list(layout.released.iterdir())  # nothing released
        # -- the class report counts ana's answer "as ben" for ana, and marks it
        from fluorohip.instructor.merge import merge_folder

        merged = merge_folder(layout.submissions, owners="names")
        spoof = [r for r in merged.records if r.question_id == "q-spoof"]
        assert [(r.learner, r.claimed) for r in spoof] == [("ana", "ben")]
        assert any("ana.jsonl" in m and "ben" in m for m in merged.mismatches)
    finally:
        if client is not None:
            client.close()
        for user in ("ana", "ben"):
            try:
                hub.api("DELETE", f"/users/{user}/server", timeout=60)
            except Exception:
                pass
        t0 = time.monotonic()
        hub.stop(timeout=30)
        stop_s = time.monotonic() - t0
        shutil.rmtree(layout.runtime_dir("ana").parent, ignore_errors=True)
        shutil.rmtree(hub_dir, ignore_errors=True)
    print(f"hub stopped in {stop_s:.1f} s")
    assert stop_s < 12, f"hub took {stop_s:.1f} s to stop (the 30 s 'Cleaning up services' hang)"
