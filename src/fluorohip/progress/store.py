"""The learner's progress: every answer attempt, kept in one JSON file that is never lost.

Where: ``$FLUOROHIP_HOME/progress.json``, else ``platformdirs.user_data_dir("fluorohip")``.

Why it is safe:

- Every change is made under a cross-process lock (``filelock``; ``progress.json.lock``), so
  two kernels saving at once take turns and neither overwrites the other's answer.
- The new content is written to a temporary file in the same folder, flushed to disk
  (``fsync``) and then moved over the old file with ``os.replace``, which is atomic: a reader
  or a crash at any instant sees either the old or the new complete file. ``record`` returns
  only after that, so an acknowledged answer is on disk.
- A store that cannot be read (not JSON, wrong shape, unreadable) is renamed
  ``progress.json.corrupt-<time>`` with a visible warning naming both files, and a fresh store
  is started. It is never overwritten or deleted.
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock
import platformdirs

STORE_NAME = "progress.json"
FORMAT = "fluorohip-progress"
FORMAT_VERSION = 1
LOCK_TIMEOUT_S = 30.0
_TMP_PREFIX = f".{STORE_NAME}.tmp-"


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


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Attempt:
    """One press of Check: what was answered and whether it was right."""

    timestamp: str  # UTC, ISO 8601
    bank: str
    bank_version: int | str
    question_id: str  # "question-id", or "case-id/stage-id" for a case stage
    answer: Any  # JSON-able: an option id, a list, a mapping or the typed text
    correct: bool
    learner: str | None = None
    objective: str | None = None
    attempt_id: str = field(default_factory=lambda: secrets.token_hex(8))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Attempt:
        """Raises ValueError for anything that is not a well-formed attempt."""
        if not isinstance(data, dict):
            raise ValueError("an attempt must be a JSON object")
        for name, types in (("timestamp", str), ("bank", str), ("question_id", str), ("correct", bool),
                            ("bank_version", (int, str)), ("attempt_id", str)):
            if not isinstance(data.get(name), types) or (name == "bank_version" and isinstance(data[name], bool)):
                raise ValueError(f"attempt field {name!r} is missing or has the wrong type")
        for name in ("learner", "objective"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ValueError(f"attempt field {name!r} must be text")
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _parse_store(text: str) -> list[Attempt]:
    """Attempts in a store file's text; ValueError if it is not a valid store."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON (line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not a fluorohip progress file")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError("no format version")
    if version > FORMAT_VERSION:
        raise _NewerFormat(f"written by a newer fluorohip (format {version}); update the course")
    if not isinstance(doc.get("attempts"), list):
        raise ValueError("no list of attempts")
    return [Attempt.from_json(a) for a in doc["attempts"]]


class _NewerFormat(ValueError):
    """Not corrupt, just newer: never move such a file aside."""


def _render_store(attempts: list[Attempt]) -> str:
    """One attempt per line, so the file is readable and diffs well."""
    body = ",\n".join(json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True) for a in attempts)
    return (f'{{"format": "{FORMAT}", "version": {FORMAT_VERSION}, "attempts": [\n'
            + body + ("\n" if body else "") + "]}\n")


class ProgressStore:
    """A learner's attempts. Cheap to create; touches the disk only when used."""

    def __init__(self, home: Path | str | None = None):
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.path = self.home / STORE_NAME
        self.notices: list[str] = []  # messages shown to the learner (a store moved aside ...)
        self._lock = filelock.FileLock(str(self.home / f"{STORE_NAME}.lock"), timeout=LOCK_TIMEOUT_S)

    def __repr__(self) -> str:
        return f"ProgressStore({self.path.name} in {self.home.name or self.home})"

    # -- reading ---------------------------------------------------------------------------
    def attempts(self) -> list[Attempt]:
        """Every attempt in the order it was saved. A missing store is an empty one."""
        try:
            return self._read()
        except _Damaged:
            with self._locked():
                try:
                    return self._read()  # another kernel may have dealt with it meanwhile
                except _Damaged as damaged:
                    self._move_aside(damaged.reason)
                    self._write([])
                    return []

    def _read(self) -> list[Attempt]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError:
            raise _Damaged("not UTF-8 text") from None
        except PermissionError:
            raise _Damaged("permission denied when reading it") from None
        except IsADirectoryError:
            raise _Damaged("it is a folder, not a file") from None
        except OSError as exc:
            raise ProgressStoreError(f"Cannot read your progress file {self.path}: {exc.strerror}") from None
        try:
            return _parse_store(text)
        except _NewerFormat as exc:
            raise ProgressStoreError(f"Your progress file {self.path} was {exc}.") from None
        except ValueError as exc:
            raise _Damaged(str(exc)) from None

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.home / f"{STORE_NAME}.corrupt-{stamp}"
        if target.exists():  # same microsecond: never replace an earlier one
            target = self.home / f"{STORE_NAME}.corrupt-{stamp}-{secrets.token_hex(3)}"
        try:
            os.replace(self.path, target)
        except OSError as exc:
            raise ProgressStoreError(
                f"Your progress file {self.path} cannot be read ({reason}) and could not be moved aside "
                f"({exc}). Nothing was changed; move or repair it, then try again.") from None
        message = (f"Your progress file {self.path} could not be read ({reason}). It was kept as "
                   f"{target.name} in the same folder and a fresh progress file was started; "
                   f"show the old file to your instructor if you need its answers.")
        self.notices.append(message)
        warnings.warn(message, ProgressStoreWarning, stacklevel=3)

    # -- writing ---------------------------------------------------------------------------
    def record(self, bank: str, question_id: str, answer: Any, correct: bool, *,
               bank_version: int | str, objective: str | None = None,
               learner: str | None = None, timestamp: str | None = None) -> Attempt:
        """Save one attempt; returns it once it is safely on disk."""
        try:
            json.dumps(answer)
        except (TypeError, ValueError):
            raise ValueError(f"answer must be JSON-serialisable; got {answer!r}") from None
        attempt = Attempt(
            timestamp=timestamp or utc_now_iso(), bank=bank, bank_version=bank_version,
            question_id=question_id, answer=answer, correct=bool(correct),
            learner=learner if learner is not None else (os.environ.get("FLUOROHIP_LEARNER") or None),
            objective=objective,
        )
        with self._locked():
            try:
                current = self._read()
            except _Damaged as damaged:
                self._move_aside(damaged.reason)
                current = []
            self._write(current + [attempt])
        return attempt

    def _locked(self):
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressStoreError(f"Cannot create the progress folder {self.home}: {exc.strerror}") from None
        return _LockGuard(self._lock, self.path)

    def _write(self, attempts: list[Attempt]) -> None:
        for stale in self.home.glob(_TMP_PREFIX + "*"):  # left by a killed writer; we hold the lock
            try:
                stale.unlink()
            except OSError:
                pass
        tmp = self.home / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(_render_store(attempts))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise ProgressStoreError(f"Could not save your answer to {self.path}: {exc.strerror}") from None
        _fsync_dir(self.home)

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


class _Damaged(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _LockGuard:
    def __init__(self, lock: filelock.FileLock, path: Path):
        self.lock, self.path = lock, path

    def __enter__(self):
        try:
            self.lock.acquire()
        except filelock.Timeout:
            raise ProgressStoreError(
                f"Another notebook has been saving to {self.path} for over {LOCK_TIMEOUT_S:.0f} s; "
                "try again in a moment.") from None
        return self

    def __exit__(self, *exc):
        self.lock.release()
        return False


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
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


# -- summaries (pure) -----------------------------------------------------------------------
@dataclass
class ObjectiveProgress:
    id: str
    text: str | None
    answered: int
    correct: int
    total: int | None  # None when the bank file is not available

    @property
    def met(self) -> bool:
        """Met when every question testing it has been answered correctly (last attempt)."""
        if self.total is not None:
            return self.total > 0 and self.correct == self.total
        return self.answered > 0 and self.correct == self.answered


@dataclass
class BankProgress:
    bank: str
    title: str | None
    answered: int
    correct: int
    total: int | None
    objectives: list[ObjectiveProgress]
    attempts: int

    @property
    def objectives_met(self) -> int:
        return sum(o.met for o in self.objectives)


def summarise(attempts: list[Attempt], banks: Mapping[str, Any] | None = None) -> list[BankProgress]:
    """Progress per bank from ``attempts`` (oldest first).

    A question counts as answered once every gradable part (a case has one per stage) has
    an attempt, and as correct when the latest attempt of every part was correct. With
    ``banks`` (stem -> :class:`~fluorohip.quiz.model.Bank`) totals are known and attempts
    for questions no longer in the bank are ignored; banks without attempts are listed too.
    """
    banks = dict(banks or {})
    latest: dict[str, dict[str, Attempt]] = {}
    counts: dict[str, int] = {}
    for a in attempts:
        latest.setdefault(a.bank, {})[a.question_id] = a
        counts[a.bank] = counts.get(a.bank, 0) + 1
    out = []
    for stem in sorted(set(latest) | set(banks)):
        got = latest.get(stem, {})
        bank = banks.get(stem)
        if bank is not None:
            out.append(_summarise_known(bank, got, counts.get(stem, 0)))
        else:
            out.append(_summarise_unknown(stem, got, counts.get(stem, 0)))
    return out


def _summarise_known(bank: Any, got: dict[str, Attempt], n_attempts: int) -> BankProgress:
    per_obj: dict[str, list[int]] = {o.id: [0, 0, 0] for o in bank.objectives}  # answered, correct, total
    answered = correct = 0
    for q in bank.questions:
        keys = [s.key for s in q.stages] if q.type == "case" else [q.key]
        done = all(k in got for k in keys)
        right = done and all(got[k].correct for k in keys)
        answered += done
        correct += right
        slot = per_obj.setdefault(q.objective, [0, 0, 0])
        slot[0] += done
        slot[1] += right
        slot[2] += 1
    texts = {o.id: o.text for o in bank.objectives}
    objectives = [ObjectiveProgress(oid, texts.get(oid), a, c, t) for oid, (a, c, t) in per_obj.items()]
    return BankProgress(bank.bank, bank.title, answered, correct, len(bank.questions), objectives, n_attempts)


def _summarise_unknown(stem: str, got: dict[str, Attempt], n_attempts: int) -> BankProgress:
    by_question: dict[str, list[Attempt]] = {}
    for key, attempt in got.items():
        by_question.setdefault(key.split("/", 1)[0], []).append(attempt)
    per_obj: dict[str, list[int]] = {}
    correct = 0
    for parts in by_question.values():
        right = all(p.correct for p in parts)
        correct += right
        slot = per_obj.setdefault(parts[-1].objective or "?", [0, 0])
        slot[0] += 1
        slot[1] += right
    objectives = [ObjectiveProgress(oid, None, a, c, None) for oid, (a, c) in sorted(per_obj.items())]
    return BankProgress(stem, None, len(by_question), correct, None, objectives, n_attempts)
