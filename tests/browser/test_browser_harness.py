"""The suite's own safety: it times out instead of hanging, and it cleans up after itself.

- a server that never becomes ready raises ServerStartError within its start timeout, and its
  process group is gone afterwards;
- a notebook whose cell sleeps longer than Run All's timeout raises a timeout within that
  bound, and ``delete_all_kernels`` then leaves the Lab server with no kernels and no kernel
  process from this session;
- a stopped Voila (with a kernel it started for a rendered page) frees its port and leaves no
  kernel process behind;
- without Chromium the suite skips, or fails when FLUOROHIP_REQUIRE_BROWSER=1 (checked in a
  subprocess with an empty PATH).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import browser_harness as H
import pytest

pytestmark = pytest.mark.browser


def test_server_that_never_listens_times_out_and_is_killed(tmp_path, browser_ok):
    server = H.ServerProcess(
        "never-ready",
        [sys.executable, "-c", "import time; time.sleep(120)"],
        dict(os.environ),
        H.free_port(),
        "/",
        tmp_path / "never.log",
        tmp_path,
    )
    t0 = time.monotonic()
    with pytest.raises(H.ServerStartError, match="not ready after 2 s"):
        server.start(timeout=2)
    assert time.monotonic() - t0 < 2 + H.SERVER_STOP_S, "start() overran its timeout"
    assert not server.running
    with pytest.raises(ProcessLookupError):
        os.killpg(server.proc.pid, 0)


def test_wait_until_times_out():
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match="never"):
        H.wait_until(lambda: False, 0.5, what="never")
    assert time.monotonic() - t0 < 2


def test_hung_cell_times_out_and_kernel_is_cleaned_up(lab, lab_page, scratch_dir):
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "hang",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": "import time\ntime.sleep(600)",
            }
        ],
    }
    path = scratch_dir / "hangs.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    H.open_notebook(lab_page, lab, path.relative_to(H.ROOT).as_posix())
    t0 = time.monotonic()
    with pytest.raises(Exception) as info:
        H.run_all(lab_page, timeout_ms=2_000)
    elapsed = time.monotonic() - t0
    assert "Timeout" in type(info.value).__name__, info.value
    assert elapsed < 10, f"Run All timeout of 2 s took {elapsed:.1f} s"
    _status, body = lab.request("GET", "/api/kernels")
    busy = json.loads(body)
    assert busy and busy[0]["execution_state"] == "busy", busy
    lab_page.close()
    assert H.delete_all_kernels(lab) >= 1
    assert json.loads(lab.request("GET", "/api/kernels")[1]) == []
    H.wait_until(
        lambda: not H.leftover_kernel_pids(lab.runtime_dir),
        10,
        what="the busy kernel's process to exit",
    )


def test_voila_stop_frees_port_and_kernels(tmp_path, browser_ok):
    server = H.voila_server(tmp_path / "v", tmp_path / "home", tmp_path / "logs").start()
    try:
        nb = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "cells": [
                {
                    "cell_type": "code",
                    "id": "a",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "source": "print(6 * 7)",
                }
            ],
        }
        scratch = H.BUILD / "browser-scratch" / f"voila-{os.getpid()}"
        scratch.mkdir(parents=True, exist_ok=True)
        (scratch / "tiny.ipynb").write_text(json.dumps(nb))
        status, body = server.request(
            "GET",
            f"/voila/render/{(scratch / 'tiny.ipynb').relative_to(H.ROOT).as_posix()}",
            timeout=60,
        )
        assert status == 200 and b"42" in body, (status, body[:300])
        assert H.leftover_kernel_pids(server.runtime_dir), "expected Voila to hold a kernel"
    finally:
        server.stop()
        import shutil

        shutil.rmtree(H.BUILD / "browser-scratch" / f"voila-{os.getpid()}", ignore_errors=True)
    assert not server.running
    assert not H.port_open(server.port)
    assert not H.leftover_kernel_pids(server.runtime_dir)


def test_missing_chromium_skips_or_fails_as_configured(tmp_path):
    """Run one browser test in a subprocess where no Chromium can be found."""
    here = os.path.dirname(__file__)
    env = dict(os.environ, FLUOROHIP_CHROMIUM=str(tmp_path / "no-such-chromium"))
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-rs",
        "-p",
        "no:cacheprovider",
        os.path.join(here, "test_browser_harness.py::test_voila_stop_frees_port_and_kernels"),
    ]
    env.pop("FLUOROHIP_REQUIRE_BROWSER", None)
    skipped = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=H.ROOT)
    assert skipped.returncode == 0, skipped.stdout[-2000:]
    assert "1 skipped" in skipped.stdout and "no Chromium found" in skipped.stdout, skipped.stdout[
        -2000:
    ]
    assert "REAL-BROWSER TESTS SKIPPED" in skipped.stdout
    env["FLUOROHIP_REQUIRE_BROWSER"] = "1"
    failed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=H.ROOT)
    assert failed.returncode != 0, failed.stdout[-2000:]
    assert "FLUOROHIP_REQUIRE_BROWSER=1 but no Chromium found" in failed.stdout, failed.stdout[
        -2000:
    ]
