"""The append-only log: torn final lines, damage in the middle, the old progress.json, O(1) saves."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path

import pytest

from fluorohip.progress import store as S
from fluorohip.progress.export import attempts_to_csv
from fluorohip.progress.formats import HEADER_MAX_BYTES
from fluorohip.progress.store import Attempt, ProgressStore, ProgressStoreWarning, log_line


def _attempt(i: int, **kw) -> Attempt:
    return Attempt(
        timestamp=f"2025-01-01T00:00:{i % 60:02d}.000000+00:00",
        bank="00_start_here",
        bank_version=1,
        question_id=f"q{i}",
        answer={"i": i, "text": "héllo"},
        correct=bool(i % 2),
        attempt_id=f"{i:016x}",
        **kw,
    )


def _old_progress_json(attempts: list[Attempt]) -> str:
    """Byte for byte what fluorohip wrote before the log (store.py's former _render_store)."""
    body = ",\n".join(json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True) for a in attempts)
    return (
        '{"format": "fluorohip-progress", "version": 1, "attempts": [\n'
        + body
        + ("\n" if body else "")
        + "]}\n"
    )


def _no_damage(home: Path, store: ProgressStore) -> None:
    assert store.notices == [] and not list(home.glob("*.corrupt-*"))


# -- a torn final line: an append cut short by a crash ----------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        b'{"answer": {"i": 9',  # cut in the middle of the JSON
        '{"answer": "h\u00e9'.encode()[:-1],  # cut in the middle of a UTF-8 character
        b"\0" * 37,  # power cut: the length reached disk, the bytes did not
        b"{",
    ],
    ids=["json", "utf8", "nul", "brace"],
)
def test_torn_final_line_is_skipped_then_repaired_by_the_next_save(tmp_path, fragment):
    store = ProgressStore(tmp_path)
    a, b = (
        store.record("b", "q1", "a", True, bank_version=1),
        store.record("b", "q2", "b", False, bank_version=1),
    )
    intact = store.path.read_bytes()
    with open(store.path, "ab") as f:
        f.write(fragment)
    assert ProgressStore(tmp_path).attempts() == [a, b]  # readers skip it, move nothing aside
    assert store.path.read_bytes() == intact + fragment  # and reading does not change the file
    c = store.record("b", "q3", "c", True, bank_version=1)
    assert store.path.read_bytes() == intact + log_line(c)  # cut off under the lock, then appended
    assert ProgressStore(tmp_path).attempts() == [a, b, c]
    [kept] = tmp_path.glob("attempts.jsonl.corrupt-*-torn")  # the cut bytes are never simply lost
    assert kept.read_bytes() == fragment and kept.name in store.notices[0]


def test_a_whole_attempt_without_its_newline_is_kept_and_the_newline_restored(tmp_path):
    """Only the newline was lost (an editor, a copy): the attempt is counted, never dropped."""
    store = ProgressStore(tmp_path)
    a = store.record("b", "q1", "a", True, bank_version=1)
    whole = _attempt(5)
    with open(store.path, "ab") as f:
        f.write(log_line(whole)[:-1])
    assert store.attempts() == [a, whole]
    c = store.record("b", "q3", "c", True, bank_version=1)
    assert store.path.read_bytes().endswith(
        log_line(whole) + log_line(c)
    )  # newline restored, then c
    assert ProgressStore(tmp_path).attempts() == [a, whole, c]
    _no_damage(tmp_path, store)


def test_torn_line_longer_than_one_read_block(tmp_path):
    store = ProgressStore(tmp_path)
    a = store.record("b", "q1", "x" * 10_000, True, bank_version=1)
    big = log_line(_attempt(1)).replace(b'"text": "', b'"text": "' + b"y" * 3 * HEADER_MAX_BYTES)
    with open(store.path, "ab") as f:
        f.write(big[: len(big) // 2])
    c = store.record("b", "q2", "c", True, bank_version=1)
    assert store.attempts() == [a, c]
    [kept] = tmp_path.glob("attempts.jsonl.corrupt-*-torn")
    assert kept.read_bytes() == big[: len(big) // 2]


# -- damage: moved aside with a message, never overwritten ------------------------------------

HEADER = S.log_header()


@pytest.mark.parametrize(
    "damage, where",
    [
        (b"garbage\n", "line 3: not valid JSON"),
        (b"\n", "line 3: not valid JSON"),
        (b'{"bank": 3}\n', "line 3: attempt field"),
        (b'["not", "an", "attempt"]\n', "line 3: an attempt must be a JSON object"),
        (b'{"question_id": "\xff\xfe"}\n', "line 3: not UTF-8 text"),
    ],
    ids=["text", "blank", "shape", "list", "utf8"],
)
def test_damage_in_the_middle_moves_the_log_aside(tmp_path, damage, where):
    good = [log_line(_attempt(i)) for i in range(3)]
    content = HEADER + good[0] + damage + good[1] + good[2]
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    with pytest.warns(ProgressStoreWarning, match="attempts.jsonl.corrupt-"):
        assert store.attempts() == []
    [aside] = tmp_path.glob("attempts.jsonl.corrupt-*")
    assert aside.read_bytes() == content  # kept byte for byte
    assert (
        str(store.path) in store.notices[0]
        and aside.name in store.notices[0]
        and where in store.notices[0]
    )
    assert not store.path.exists()
    new = store.record("b", "q", 1, True, bank_version=1)  # a fresh log
    assert ProgressStore(tmp_path).attempts() == [new]


@pytest.mark.parametrize(
    "content",
    [
        b"",  # no header: the log is created whole, so not ours
        b'{"format": "fluorohip-progress-lo',  # a header cut short
        b'{"format": "other", "version": 1}\n',
        b'{"format": "fluorohip-progress-log"}\n',
        HEADER + log_line(_attempt(1)) + b"garbage",  # a final fragment that no save wrote
        b"x" * (HEADER_MAX_BYTES + 10) + b"\n",  # a first line longer than any header
    ],
    ids=["empty", "torn-header", "other-format", "no-version", "junk-tail", "long-first-line"],
)
def test_a_log_that_is_not_ours_is_moved_aside_by_a_read_and_by_a_save(tmp_path, content):
    for how in ("read", "save"):
        home = tmp_path / how
        home.mkdir()
        store = ProgressStore(home)
        store.path.write_bytes(content)
        with pytest.warns(ProgressStoreWarning, match="attempts.jsonl.corrupt-"):
            if how == "read":
                assert store.attempts() == []
            else:
                store.record("b", "q", 1, True, bank_version=1)
        [aside] = home.glob("attempts.jsonl.corrupt-*")
        assert aside.read_bytes() == content
        assert len(store.attempts()) == (how == "save")
        assert len(store.notices) == 1


def test_a_save_does_not_read_the_middle_so_the_next_read_finds_the_damage(tmp_path):
    """record() checks only the header and the end (O(1)); the damaged file, with the answer saved
    into it, is moved aside by the next read and kept whole."""
    store = ProgressStore(tmp_path)
    store.path.write_bytes(HEADER + b"garbage\n" + log_line(_attempt(1)))
    saved = store.record("b", "q", 1, True, bank_version=1)
    assert store.notices == []
    with pytest.warns(ProgressStoreWarning, match="line 2: not valid JSON"):
        assert store.attempts() == []
    [aside] = tmp_path.glob("attempts.jsonl.corrupt-*")
    assert aside.read_bytes().endswith(log_line(saved))


# -- the old progress.json --------------------------------------------------------------------


def test_an_old_progress_json_is_read_first_and_never_written(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUOROHIP_LEARNER", "ana")
    old = [_attempt(i, learner="ana") for i in range(5)]
    store = ProgressStore(tmp_path)
    store.legacy_path.write_text(_old_progress_json(old), encoding="utf-8")
    before = store.legacy_path.read_bytes()
    assert store.attempts() == old
    new = [store.record("00_start_here", f"new{i}", "a", True, bank_version=1) for i in range(3)]
    assert store.legacy_path.read_bytes() == before  # untouched
    got = ProgressStore(tmp_path).attempts()
    assert got == old + new and len({a.attempt_id for a in got}) == 8
    assert len(store.path.read_text().splitlines()) == 1 + 3  # header + the new answers only
    assert attempts_to_csv(got).count("\n") == 1 + 8  # exports carry both
    [bank] = store.summary()
    assert bank.attempts == 8
    assert store.latest()[("00_start_here", "q4")] == old[4]
    _no_damage(tmp_path, store)


def test_an_empty_old_progress_json_and_no_log(tmp_path):
    store = ProgressStore(tmp_path)
    store.legacy_path.write_text(_old_progress_json([]), encoding="utf-8")
    assert store.attempts() == [] and not store.path.exists()
    a = store.record("b", "q", 1, True, bank_version=1)
    assert store.attempts() == [a]
    _no_damage(tmp_path, store)


def test_damaged_old_progress_json_does_not_cost_the_log(tmp_path):
    store = ProgressStore(tmp_path)
    a = store.record("b", "q", 1, True, bank_version=1)
    store.legacy_path.write_text("{broken")
    with pytest.warns(ProgressStoreWarning, match="progress.json.corrupt-"):
        assert store.attempts() == [a]
    assert store.attempts() == [a] and len(store.notices) == 1


# -- a save costs O(1) in the store's size (bytes, not time) ---------------------------------


class _IOCount:
    """Bytes read and written through descriptors opened on the store's files."""

    def __init__(self, monkeypatch, store: ProgressStore):
        self.read = self.written = 0
        self.whole_file_reads: list[str] = []
        watched = {str(store.path), str(store.legacy_path)}
        fds: set[int] = set()
        real_open, real_read, real_write, real_close = os.open, os.read, os.write, os.close
        real_builtin_open = builtins.open

        def os_open(path, *a, **kw):
            fd = real_open(path, *a, **kw)
            if str(path) in watched:
                fds.add(fd)
            return fd

        def os_read(fd, n):
            data = real_read(fd, n)
            if fd in fds:
                self.read += len(data)
            return data

        def os_write(fd, data):
            n = real_write(fd, data)
            if fd in fds:
                self.written += n
            return n

        def os_close(fd):
            fds.discard(fd)
            return real_close(fd)

        def any_open(file, *a, **kw):
            if str(file) in watched:
                self.whole_file_reads.append(f"open({file})")
            return real_builtin_open(file, *a, **kw)

        def read_whole(self_path, *a, **kw):
            if str(self_path) in watched:
                self.whole_file_reads.append(f"read {self_path}")
            raise AssertionError(f"record() read a whole file: {self_path}")

        for name, fn in (
            ("open", os_open),
            ("read", os_read),
            ("write", os_write),
            ("close", os_close),
        ):
            monkeypatch.setattr(os, name, fn)
        monkeypatch.setattr(builtins, "open", any_open)
        monkeypatch.setattr(Path, "read_bytes", read_whole)
        monkeypatch.setattr(Path, "read_text", read_whole)


def _io_of_one_record(tmp_path: Path, name: str, n_before: int) -> tuple[int, int, int]:
    home = tmp_path / name
    home.mkdir()
    store = ProgressStore(home)
    store.record("b", "first", "a", True, bank_version=1)  # the log exists from here on
    with open(store.path, "ab") as f:  # n_before attempts, as record() would have written them
        f.write(b"".join(log_line(_attempt(i)) for i in range(n_before)))
    store.legacy_path.write_text(
        _old_progress_json([_attempt(i) for i in range(n_before)]), encoding="utf-8"
    )
    size = store.path.stat().st_size
    with pytest.MonkeyPatch.context() as mp:
        count = _IOCount(mp, store)
        saved = store.record(
            "b",
            "the-one",
            {"answer": "same size every time"},
            True,
            bank_version=1,
            timestamp="2025-01-01T00:00:00.000000+00:00",
        )
    assert count.whole_file_reads == []
    assert store.path.stat().st_size == size + len(log_line(saved))
    return count.read, count.written, len(log_line(saved))


def test_a_save_reads_and_writes_the_same_few_bytes_at_any_store_size(tmp_path):
    small = _io_of_one_record(tmp_path, "small", 20)
    large = _io_of_one_record(tmp_path, "large", 2000)
    read, written, line = large
    assert written == line  # exactly the one new line: nothing earlier is rewritten
    assert read <= HEADER_MAX_BYTES + 1  # the header block and the last byte, never the attempts
    assert (
        small == large
    )  # the same at 20 and at 2,000 attempts (and a 2,000-attempt progress.json)


def test_the_count_would_catch_a_whole_file_rewrite(tmp_path, monkeypatch):
    """The O(1) check can fail: the old write path (read everything, write everything) trips it."""

    def old_append(self, line):
        data = b"".join(log_line(a) for a in self.attempts()) + line
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            os.write(fd, S.log_header() + data)
        finally:
            os.close(fd)

    monkeypatch.setattr(ProgressStore, "_append", old_append)
    with pytest.raises(AssertionError, match="read a whole file"):
        _io_of_one_record(tmp_path, "old", 50)


def test_a_save_is_fsynced_before_record_returns(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path)
    store.record("b", "first", "a", True, bank_version=1)
    events: list[tuple[str, int]] = []
    real_open, real_write, real_fsync, real_close = os.open, os.write, os.fsync, os.close
    log_fds: set[int] = set()

    def os_open(path, *a, **kw):
        fd = real_open(path, *a, **kw)
        if str(path) == str(store.path):
            log_fds.add(fd)
        return fd

    def track(name, real):
        def wrapper(fd, *a):
            if fd in log_fds:
                events.append((name, fd))
            return real(fd, *a)

        return wrapper

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "write", track("write", real_write))
    monkeypatch.setattr(os, "fsync", track("fsync", real_fsync))
    monkeypatch.setattr(os, "close", track("close", real_close))
    store.record("b", "second", "a", True, bank_version=1)
    assert [e for e, _ in events] == ["write", "fsync", "close"] and len(
        {fd for _, fd in events}
    ) == 1


def test_a_failed_save_is_taken_back_and_reported(tmp_path, monkeypatch):
    """Disk full half-way through a line: record() raises, and the log is as before."""
    store = ProgressStore(tmp_path)
    a = store.record("b", "q1", "a", True, bank_version=1)
    before = store.path.read_bytes()
    real_write = os.write

    def half_then_full(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(S.ProgressStoreError, match="No space left"):
        store.record("b", "q2", "b", True, bank_version=1)
    monkeypatch.undo()
    assert store.path.read_bytes() == before and store.attempts() == [a]
