"""Kill writers mid-save; run several at once. The store stays valid and loses nothing acknowledged."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fluorohip.progress.store import ProgressStore

WRITER = Path(__file__).with_name("writer_process.py")
CRASH_ITERATIONS = int(os.environ.get("FLUOROHIP_CRASH_ITERATIONS", "12"))


def start_writer(home: Path, tag: str, count: int, ready: bool = False) -> subprocess.Popen:
    env = {**os.environ, "FLUOROHIP_WRITER_READY": "1" if ready else "0"}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(home), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def acked(output: str) -> set[str]:
    return {
        line.split()[1]
        for line in output.splitlines()
        if line.startswith("ack ") and len(line.split()) == 2
    }


def assert_valid_without_moving_aside(home: Path) -> set[str]:
    store = ProgressStore(home)
    attempts = store.attempts()
    assert store.notices == [], store.notices
    # A torn final line cut off by a later save leaves its bytes in *.corrupt-*-torn; nothing else is moved aside.
    assert not [p for p in home.glob("*.corrupt-*") if not p.name.endswith("-torn")]
    ids = [a.question_id for a in attempts]
    assert len(ids) == len(set(ids)), "an attempt was written twice"
    return set(ids)


@pytest.mark.slow
def test_sigkill_mid_save_never_corrupts_or_loses_acknowledged_answers(tmp_path):
    rng = random.Random(20240611)
    all_acked: set[str] = set()
    killed_mid_run = 0
    for round_ in range(CRASH_ITERATIONS):
        # A few rounds share a store so it grows (longer writes, wider window to be killed in).
        home = tmp_path / f"home{round_ // 4}"
        if round_ % 4 == 0:
            all_acked = set()
        writers = [start_writer(home, f"r{round_}w{w}", 10_000) for w in range(2)]
        # Wait until the first answer is saved (after imports), then kill at a random instant.
        deadline = time.monotonic() + 20
        first = writers[0].stdout.readline()
        assert first.startswith("ack "), writers[0].stderr.read()
        all_acked.add(first.split()[1])
        time.sleep(rng.uniform(0.0, 0.08))
        for proc in writers:
            proc.send_signal(signal.SIGKILL)
        for proc in writers:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            assert proc.returncode == -signal.SIGKILL, err
            all_acked |= acked(out)
            killed_mid_run += 1
        saved = assert_valid_without_moving_aside(home)
        lost = all_acked - saved
        assert not lost, f"round {round_}: acknowledged answers lost: {sorted(lost)[:5]}"
    assert killed_mid_run == 2 * CRASH_ITERATIONS
    print(
        f"crash rounds {CRASH_ITERATIONS}, writers killed {killed_mid_run}, acknowledged in last store {len(all_acked)}"
    )
    assert len(all_acked) > 5  # the writers really were writing when killed


@pytest.mark.slow
def test_sigkill_while_the_log_is_being_created(tmp_path):
    """Kill the very first saves into an empty folder (creating the log: temporary file, fsync,
    rename): the folder still holds a readable store, and no acknowledged answer is lost."""
    rng = random.Random(20250107)
    for round_ in range(max(4, CRASH_ITERATIONS // 2)):
        home = tmp_path / f"new{round_}"
        writers = [start_writer(home, f"n{round_}w{w}", 10_000, ready=True) for w in range(2)]
        assert writers[0].stdout.readline() == "ready\n", writers[0].stderr.read()
        time.sleep(rng.uniform(0.0, 0.006))
        for proc in writers:
            proc.send_signal(signal.SIGKILL)
        got: set[str] = set()
        for proc in writers:
            out, err = proc.communicate(timeout=20)
            assert proc.returncode == -signal.SIGKILL, err
            got |= acked(out)
        saved = assert_valid_without_moving_aside(home) if home.exists() else set()
        assert got <= saved, f"round {round_}: acknowledged answers lost: {sorted(got - saved)[:5]}"
        if home.exists():
            assert not (home / "attempts.jsonl").exists() or (
                home / "attempts.jsonl"
            ).read_bytes().startswith(b'{"format": "fluorohip-progress-log"')


def test_several_writer_processes_at_once(tmp_path):
    home = tmp_path / "home"
    n_writers, each = 4, 25
    writers = [start_writer(home, f"w{w}", each) for w in range(n_writers)]
    outputs = [p.communicate(timeout=60) for p in writers]
    for proc, (_, err) in zip(writers, outputs):
        assert proc.returncode == 0, err
    saved = assert_valid_without_moving_aside(home)
    expected = {f"w{w}-{i}" for w in range(n_writers) for i in range(each)}
    assert saved == expected
    assert set().union(*(acked(out) for out, _ in outputs)) == expected
    # Each writer's own attempts stay in the order it made them.
    order = [a.question_id for a in ProgressStore(home).attempts()]
    for w in range(n_writers):
        mine = [q for q in order if q.startswith(f"w{w}-")]
        assert mine == [f"w{w}-{i}" for i in range(each)]
