"""The learner's progress: every answer attempt, appended to a log that is never lost.

Where: ``$FLUOROHIP_HOME``, else ``platformdirs.user_data_dir("fluorohip")``. The folder holds

- ``attempts.jsonl``: the store, an append-only log in JSON Lines. The first line is a header
  ``{"format": "fluorohip-progress-log", "version": 1}``; every further line is one attempt
  (the same fields as in exports). New answers are only ever appended here.
- ``progress.json``: the store as earlier versions wrote it (one JSON document, rewritten on
  every save). It is still read, before the log, so nothing answered before the change is lost,
  but it is never written again; nothing needs converting.
- ``progress.json.lock``: the cross-process lock (``filelock``); the old name, so a kernel still
  running an older fluorohip takes turns with this one.

What the lines and documents hold is defined in :mod:`fluorohip.progress.formats`; this module
owns the files: locking, appending, and what to do with a file that is damaged.

Why a log. The old store rewrote the whole file (temporary file, fsync, ``os.replace``) on every
answer, so a save cost O(attempts): ~1 ms on an empty store, ~27-50 ms at 2,000 attempts, and
a writer held the lock that long, which made other kernels of the same learner wait seconds.
Appending one line costs the same at 0 and at 2,000 attempts: under the lock, ``record``
reads the header (at most 4 KiB) and the last byte, appends one complete line with one
``write``, ``fsync``s, and returns. It never reads or rewrites earlier attempts.

Why it is safe:

- **Atomic per attempt, two kernels at once.** Every append is made under the lock, as one
  ``write`` of one whole line to a file opened with ``O_APPEND``; two kernels take turns and
  neither overwrites the other's answer.
- **Crash or SIGKILL at any instant.** Earlier lines are never touched, so they survive.
  ``record`` returns only after the line is ``fsync``ed (an *acknowledged* answer is on
  disk). A crash mid-append can only leave a *torn final line*: bytes of an unacknowledged
  answer without their newline (or, after a power cut, NUL bytes). Readers skip it; the next
  ``record`` cuts it off under the lock (it was never acknowledged) before appending, and keeps
  the bytes it cut as ``attempts.jsonl.corrupt-<time>-torn`` beside the log (nothing is ever
  cut without a copy). A final line that is a *whole, valid* attempt and lacks only its newline
  is not torn: readers count it and the next ``record`` restores the newline before appending. The log
  is created whole - header written to a temporary file, ``fsync``ed and renamed into place,
  folder ``fsync``ed - so it never exists without its header.
- **Damage is never silently overwritten.** A store that is damaged (a line in the middle
  or the header that is not a valid attempt, text that is not UTF-8, a final fragment that is
  not the start of a line we write; for ``progress.json`` anything but a valid document) is renamed ``<name>.corrupt-<time>`` beside it, kept byte for byte, with a
  visible warning (:class:`ProgressStoreWarning`, also in :attr:`ProgressStore.notices`)
  naming both files; a fresh log is then started. ``record`` checks only the header and the
  end of the log (that is what keeps it O(1)); damage in the middle is found by the next read
  (``attempts()``, the dashboard, an export), which moves the file aside then.
- A store the learner has no permission to read or write is *unreadable*, not damaged: reading
  or saving raises :class:`ProgressStoreError` saying so and nothing is renamed (renaming it
  made ``progress show`` report 0 answers and the learner vanish from the class report).
- A store written by a *newer* fluorohip (header or document version above ours) is never
  moved aside nor appended to: reading or saving raises :class:`ProgressStoreError` saying so.

Readers take no lock: a concurrent append is at worst a torn final line, which they skip.
They re-read under the lock before moving anything aside, so a write in progress is never
taken for damage.

Waiting for the lock: a save now holds it for well under a millisecond, so waiters poll every
2 ms (``LOCK_POLL_S``; filelock's default 50 ms let a busy kernel take the lock over and over
while another slept, so the slowest of 4-8 concurrent writers waited 1-2 s).

Not done, on purpose: no compaction (2,000 attempts are ~450 KB, read in ~10 ms against ~7 ms
for the same attempts as the old document: each line is parsed on its own so damage is named
by line), and no salvage of the readable lines of a damaged log (it is kept whole beside the
fresh one, for the instructor to look at).
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock
import platformdirs

from .formats import (
    HEADER_MAX_BYTES,
    LEGACY_NAME,
    LOG_NAME,
    Attempt,
    NewerFormatError,
    ProgressFormatError,
    check_log_header,
    complete_attempt,
    is_torn_fragment,
    log_header,
    log_line,
    read_legacy_document,
    read_log,
    utc_now_iso,
)
from .summary import BankProgress, ObjectiveProgress, summarise

# Attempt, the log line helpers and the summaries lived here before progress/formats.py and
# progress/summary.py; they are re-exported for one release (0.2).
__all__ = [
    "LEGACY_NAME",
    "LOG_NAME",
    "Attempt",
    "BankProgress",
    "ObjectiveProgress",
    "ProgressStore",
    "ProgressStoreError",
    "ProgressStoreWarning",
    "default_home",
    "log_header",
    "log_line",
    "summarise",
]

LOCK_NAME = f"{LEGACY_NAME}.lock"
LOCK_TIMEOUT_S = 30.0
LOCK_POLL_S = (
    0.002  # a save holds the lock ~1 ms; filelock's default 50 ms poll made waiters starve
)
TEMP_PREFIXES = (f".{LOG_NAME}.tmp-", f".{LEGACY_NAME}.tmp-")  # ours, and the old writer's
_O_BINARY = getattr(os, "O_BINARY", 0)


class ProgressStoreError(RuntimeError):
    """The store cannot be used (e.g. its folder is not writable); the message says why."""


class ProgressStoreWarning(UserWarning):
    """Something the learner should know: a damaged store was moved aside."""


def default_home() -> Path:
    """``FLUOROHIP_HOME`` if set, else the platform's per-user data folder for fluorohip."""
    env = os.environ.get("FLUOROHIP_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("fluorohip", appauthor=False))


class ProgressStore:
    """A learner's attempts. Cheap to create; touches the disk only when used.

    ``path`` is the log new answers are appended to; ``legacy_path`` the earlier versions'
    ``progress.json`` (read if present, never written).
    """

    def __init__(self, home: Path | str | None = None):
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.path = self.home / LOG_NAME
        self.legacy_path = self.home / LEGACY_NAME
        self.notices: list[str] = []  # messages shown to the learner (a store moved aside ...)
        self._lock = filelock.FileLock(str(self.home / LOCK_NAME), timeout=LOCK_TIMEOUT_S)

    def __repr__(self) -> str:
        return f"ProgressStore({self.path.name} in {self.home.name or self.home})"

    # -- reading ---------------------------------------------------------------------------
    def attempts(self) -> list[Attempt]:
        """Every attempt in the order it was saved (``progress.json``'s first). A missing store is empty."""
        return self._read_checked(self.legacy_path) + self._read_checked(self.path)

    def _read_checked(self, path: Path) -> list[Attempt]:
        try:
            return self._read(path)
        except _Damaged:
            with self._locked():
                try:
                    return self._read(path)  # a save in progress, or another kernel dealt with it
                except _Damaged as damaged:
                    self._move_aside(path, damaged.reason)
                    return []

    def _read(self, path: Path) -> list[Attempt]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return []
        except PermissionError:
            raise ProgressStoreError(_unreadable(path)) from None
        except IsADirectoryError:
            raise _Damaged("it is a folder, not a file") from None
        except OSError as exc:
            raise ProgressStoreError(
                f"Cannot read your progress file {path}: {exc.strerror}; nothing was changed"
            ) from None
        try:
            if path == self.legacy_path:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise _Damaged("not UTF-8 text") from None
                return read_legacy_document(text)
            return read_log(data)
        except NewerFormatError as exc:
            raise ProgressStoreError(f"Your progress file {path} was {exc.detail}.") from None
        except ProgressFormatError as exc:
            raise _Damaged(str(exc)) from None

    def _keep_torn_tail(self, fragment: bytes) -> Path:
        """Copy the bytes about to be cut off the log beside it (``...corrupt-<time>-torn``). Under the lock."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.home / f"{LOG_NAME}.corrupt-{stamp}-{secrets.token_hex(3)}-torn"
        with open(target, "xb") as handle:
            handle.write(fragment)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(self.home)
        self.notices.append(
            f"An answer that was being saved when a notebook stopped (never confirmed) was "
            f"removed from the end of {self.path}; its bytes are kept in {target.name}."
        )
        return target

    def _move_aside(self, path: Path, reason: str) -> None:
        """Rename a damaged ``path`` beside itself, with a visible message. Call under the lock."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.home / f"{path.name}.corrupt-{stamp}"
        if target.exists():  # same microsecond: never replace an earlier one
            target = self.home / f"{path.name}.corrupt-{stamp}-{secrets.token_hex(3)}"
        try:
            os.replace(path, target)
        except OSError as exc:
            raise ProgressStoreError(
                f"Your progress file {path} cannot be read ({reason}) and could not be moved aside "
                f"({exc}). Nothing was changed; move or repair it, then try again."
            ) from None
        _fsync_dir(self.home)
        message = (
            f"Your progress file {path} could not be read ({reason}). It was kept as "
            f"{target.name} in the same folder and a fresh progress file was started; "
            f"show the old file to your instructor if you need its answers."
        )
        self.notices.append(message)
        warnings.warn(message, ProgressStoreWarning, stacklevel=4)

    # -- writing ---------------------------------------------------------------------------
    def record(
        self,
        bank: str,
        question_id: str,
        answer: Any,
        correct: bool,
        *,
        bank_version: int | str,
        objective: str | None = None,
        learner: str | None = None,
        timestamp: str | None = None,
    ) -> Attempt:
        """Save one attempt; returns it once it is safely on disk (appended and fsynced)."""
        try:
            json.dumps(answer)
        except (TypeError, ValueError):
            raise ValueError(f"answer must be JSON-serialisable; got {answer!r}") from None
        attempt = Attempt(
            timestamp=timestamp or utc_now_iso(),
            bank=bank,
            bank_version=bank_version,
            question_id=question_id,
            answer=answer,
            correct=bool(correct),
            learner=_text(
                learner if learner is not None else (os.environ.get("FLUOROHIP_LEARNER") or None)
            ),
            objective=objective,
        )
        line = log_line(attempt)
        with self._locked():
            try:
                self._append(line)
            except OSError as exc:
                raise ProgressStoreError(
                    f"Could not save your answer to {self.path}: {exc.strerror or exc}"
                ) from None
        return attempt

    def _append(self, line: bytes) -> None:
        """Append ``line`` to the log: O(1) in the log's size. Call under the lock."""
        try:
            fd, end = self._open_ready()
        except NewerFormatError as exc:
            raise ProgressStoreError(
                f"Your progress file {self.path} was {exc.detail}; your answer was not saved."
            ) from None
        except _Damaged as damaged:
            self._move_aside(self.path, damaged.reason)
            try:
                fd, end = self._open_ready()
            except _Damaged as again:  # pragma: no cover - a log we have just created
                raise ProgressStoreError(
                    f"Could not start a fresh progress file {self.path}: {again.reason}"
                ) from None
        try:
            size = os.lseek(fd, 0, os.SEEK_END)
            if size != end:
                fragment = _read_at(fd, size - end, end)
                if (
                    complete_attempt(fragment) is not None
                ):  # whole, only the newline lost: restore it
                    _write_all(fd, b"\n")
                    os.fsync(fd)
                    end = size + 1
                else:  # a torn final line: never acknowledged; keep a copy, then cut it off
                    self._keep_torn_tail(fragment)
                    os.ftruncate(fd, end)
            try:
                _write_all(fd, line)
                os.fsync(fd)
            except OSError:  # disk full, I/O error: the answer is not acknowledged, so take it back
                try:
                    os.ftruncate(fd, end)
                except OSError:
                    pass  # a torn line at worst, which readers skip and the next save cuts off
                raise
        finally:
            os.close(fd)

    def _open_ready(self) -> tuple[int, int]:
        """The open log and where the next line goes; _Damaged if it cannot be appended to."""
        fd = self._open_log()
        try:
            return fd, _ready_end(fd)
        except BaseException:
            os.close(fd)
            raise

    def _open_log(self) -> int:
        """An O_APPEND descriptor on the log, creating it (whole, with its header) if missing."""
        flags = os.O_RDWR | os.O_APPEND | _O_BINARY
        try:
            return os.open(self.path, flags)
        except FileNotFoundError:
            pass
        except PermissionError:
            raise ProgressStoreError(_unreadable(self.path)) from None
        except IsADirectoryError:
            raise _Damaged("it is a folder, not a file") from None
        self._clean_stale_temp_files()
        tmp = self.home / f"{TEMP_PREFIXES[0]}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            with open(tmp, "wb") as handle:
                handle.write(log_header())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise
        _fsync_dir(self.home)
        return os.open(self.path, flags)

    def _clean_stale_temp_files(self) -> None:
        """Temporary files left by a writer killed mid-save (ours, or an older version's); we hold the lock."""
        for prefix in TEMP_PREFIXES:
            for stale in self.home.glob(prefix + "*"):
                try:
                    stale.unlink()
                except OSError:
                    pass

    def _locked(self):
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressStoreError(
                f"Cannot create the progress folder {self.home}: {exc.strerror}"
            ) from None
        return _LockGuard(self._lock, self.path)

    # -- summaries -------------------------------------------------------------------------
    def latest(self) -> dict[tuple[str, str], Attempt]:
        """The most recent attempt per (bank, question id)."""
        out: dict[tuple[str, str], Attempt] = {}
        for attempt in self.attempts():
            out[(attempt.bank, attempt.question_id)] = attempt
        return out

    def summary(self, banks: Mapping[str, Any] | None = None) -> list[BankProgress]:
        """Per notebook: questions answered and correct, objectives met. See :func:`summarise`."""
        return summarise(self.attempts(), banks)


def _text(value: str | None) -> str | None:
    """A name as UTF-8-safe text: bytes that were not UTF-8 (kept by Python as surrogates) become U+FFFD."""
    if value is None:
        return None
    return value.encode("utf-8", "replace").decode("utf-8")


def _unreadable(path: Path) -> str:
    return (
        f"Your progress file {path} cannot be read: permission denied. It was not changed or moved; "
        "ask whoever set up this computer to give you access to it (your answers are still in it)."
    )


def _read_at(fd: int, size: int, offset: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _ready_end(fd: int) -> int:
    """Where the next line goes: the file's end, or the start of a torn final line.

    Reads the header (at most ``HEADER_MAX_BYTES`` bytes) and the end of the file only: a torn
    line is one line long, never the whole log. Raises _Damaged, or NewerFormatError.
    """
    size = os.fstat(fd).st_size
    head = _read_at(fd, min(size, HEADER_MAX_BYTES), 0)
    cut = head.find(b"\n")
    if cut < 0:
        raise _Damaged(
            "no header line"
            if size < HEADER_MAX_BYTES
            else "line 1: not a fluorohip progress log header"
        )
    try:
        check_log_header(head[:cut])
    except NewerFormatError:
        raise
    except ProgressFormatError as exc:
        raise _Damaged(str(exc)) from None
    if _read_at(fd, 1, size - 1) == b"\n":
        return size
    # Step back to the last newline; the bytes after it are an unacknowledged, torn append.
    pos, fragment = size, b""
    while pos > cut + 1:
        step = min(HEADER_MAX_BYTES, pos - (cut + 1))
        pos -= step
        block = _read_at(fd, step, pos)
        nl = block.rfind(b"\n")
        if nl >= 0:
            fragment = block[nl + 1 :] + fragment
            pos += nl + 1
            break
        fragment = block + fragment
    else:
        pos = cut + 1
    if not is_torn_fragment(fragment):
        raise _Damaged("text after the last complete line that no save wrote")
    return pos


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _Damaged(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _LockGuard:
    def __init__(self, lock: filelock.FileLock, path: Path):
        self.lock, self.path = lock, path

    def __enter__(self):
        try:
            self.lock.acquire(poll_interval=LOCK_POLL_S)
        except filelock.Timeout:
            raise ProgressStoreError(
                f"Another notebook has been saving to {self.path} for over {LOCK_TIMEOUT_S:.0f} s; "
                "try again in a moment."
            ) from None
        return self

    def __exit__(self, *exc):
        self.lock.release()
        return False


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
