"""Read the progress exports residents hand in and merge them without double counting.

Accepted files (``fluorohip progress export``, see :mod:`fluorohip.progress.export`):

- **CSV**: a header with the columns ``timestamp, learner, bank, bank_version, question_id,
  objective, answer, correct, attempt_id`` (any order, extra columns ignored); ``answer`` is
  JSON text; ``correct`` is ``true``/``false``; a leading ``'`` that the exporter adds in front of
  ``= + - @`` (spreadsheet formula guard) is removed again.
- **JSON**: ``{"format": "fluorohip-progress-export", "version": 1, "attempts": [...]}``; a
  learner's raw ``progress.json`` (``"format": "fluorohip-progress"``, the store of earlier
  versions) is accepted too.
- **JSON Lines**: a learner's live store log ``attempts.jsonl`` (a header line
  ``{"format": "fluorohip-progress-log", "version": 1}``, then one attempt per line), e.g. the
  ``<learner>.jsonl`` links in a workshop hub's submissions folder. A torn final line (an answer
  being saved at that instant, or cut short by a crash, and so never acknowledged) is skipped,
  exactly as the store itself skips it; a bad line anywhere else makes the file malformed.

Rules, chosen so that nothing is counted twice and nothing good is lost:

- An attempt is identified by ``(bank, question_id, timestamp, attempt_id)``. The same
  attempt handed in twice (the same export sent as CSV *and* JSON, a file copied under a
  new name, two exports of one store a week apart) is kept once. The learner name is not
  part of the key on purpose: a renamed file without a learner name must not create a
  second learner.
- Files are read in sorted path order and the first copy of an attempt wins; a later copy
  that *differs* (e.g. an edited ``correct``) is reported as a conflict.
- Attempts without a learner name (``FLUOROHIP_LEARNER`` was not set) are attributed to the
  file's path relative to the folder read, without extension: ``ana.json`` -> learner ``ana``,
  ``a/me.json`` -> learner ``a/me`` (so two residents' ``me.json`` in two subfolders stay two
  learners). When such files share a name or have a generic one (``me.json``,
  ``progress.json``...), :attr:`MergeResult.name_warning` says so: ask residents to set their name.
- A malformed file (not UTF-8, not CSV/JSON, a missing column, a bad value on any row) is
  skipped **as a whole** and listed with the reason, naming the line or attempt and the field,
  and with what was lost (its rows and learner, when readable): a half-read file would give a
  learner a score they did not earn. Every other file is used.
- An empty file (0 bytes, a header only, or no attempts) is listed as handed in but empty.
- Every field of a hand-in is untrusted text (a learner writes their own store on the hub):
  a file with more than :data:`MAX_BANKS` distinct banks, :data:`MAX_ITEMS` distinct questions,
  :data:`MAX_ATTEMPTS` attempts or a name longer than :data:`MAX_NAME_CHARS` is skipped as a
  whole with a message naming the file, so one hostile file cannot exhaust memory or stop the
  report for everyone else.
- The *owner* of a hand-in: a ``.jsonl`` file is a live store that a workshop hub links into its
  submissions folder as ``<learner>.jsonl``, so its name is its owner (``owners="names"`` makes
  every file's name its owner). An attempt whose ``learner`` field names someone else is counted
  for the owner and listed in :attr:`MergeResult.mismatches` (the report marks it), so one
  learner cannot spoil another's "right first time".
- HTML files (e.g. the class report itself written into the exports folder) and any path
  given to ``exclude`` are not exports: they are listed as ignored, not as malformed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .handins import (
    EXPORT_SUFFIXES,
    IGNORED_SUFFIXES,
    MAX_ATTEMPTS,
    MAX_BANKS,
    MAX_BYTES,
    MAX_ITEMS,
    ExportError,
    Record,
    find_exports,
    loss_note,
    parse_csv,
    parse_json,
    parse_log,
    read_export,
    scan_folder,
)

# The reading of one hand-in moved to .handins; its names are re-exported for one release (0.2).
__all__ = [
    "EXPORT_SUFFIXES",
    "GENERIC_NAMES",
    "IGNORED_SUFFIXES",
    "MAX_ATTEMPTS",
    "MAX_BANKS",
    "MAX_BYTES",
    "MAX_ITEMS",
    "ExportError",
    "FileResult",
    "MergeResult",
    "Record",
    "Skipped",
    "find_exports",
    "learner_from_name",
    "merge_files",
    "merge_folder",
    "owner_of",
    "parse_csv",
    "parse_json",
    "parse_log",
    "read_export",
    "with_owner",
]

# File names that say nothing about who handed them in (the docs' example is ``me.json``).
GENERIC_NAMES = frozenset(
    {
        "me",
        "my",
        "mine",
        "progress",
        "my_progress",
        "my-progress",
        "export",
        "exports",
        "progress_export",
        "progress-export",
        "fluorohip",
        "fluorohip_progress",
        "fluorohip-progress",
        "attempts",
        "answers",
        "results",
        "quiz",
        "data",
        "download",
        "untitled",
        "file",
        "test",
    }
)


@dataclass(frozen=True)
class FileResult:
    name: str  # path relative to the folder read
    attempts: int  # attempts read from the file
    new: int  # attempts not seen in an earlier file
    learners: tuple[str, ...]
    unnamed: int = 0  # attempts without a learner name, attributed to the file's name


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass
class MergeResult:
    records: list[Record]
    files: list[FileResult]
    skipped: list[Skipped]
    empty: list[str]
    duplicates: int  # attempts dropped because an identical attempt was already read
    conflicts: list[str]  # duplicates whose content differed from the first copy
    ignored: list[str] = field(default_factory=list)  # not exports (.html, the report itself)
    mismatches: list[str] = field(
        default_factory=list
    )  # per file: attempts whose learner field is not the owner

    @property
    def learners(self) -> list[str]:
        return sorted({r.learner for r in self.records})

    @property
    def unnamed_files(self) -> list[FileResult]:
        """Files with attempts that carried no learner name (named after the file instead)."""
        return [f for f in self.files if f.unnamed]

    @property
    def name_warning(self) -> str | None:
        """A warning when learners named after their files may be mixed up, else None.

        Given when files without learner names share a name (``a/me.json``, ``b/me.json``) or
        have a generic one (``me``, ``progress``, ``export``...): the learner list then shows
        file names, not residents, and a resident who renames a file becomes a new learner.
        """
        unnamed = self.unnamed_files
        stems = [PurePosixPath(f.name).stem.lower() for f in unnamed]
        shared = len(stems) != len(set(stems))
        generic = any(stem in GENERIC_NAMES for stem in stems)
        if not (shared or generic):
            return None
        names = ", ".join(sorted({r.learner for r in self.records if r.unnamed}))
        n = len(unnamed)
        return (
            f"{n} file{'s' if n != 1 else ''} had no learner name; learners named after their files: "
            f"{names} — ask residents to set their name (`fluorohip progress export --learner NAME`, "
            "or FLUOROHIP_LEARNER) and export again"
        )


def learner_from_name(name: str) -> str:
    """The learner for unnamed attempts in the file ``name`` (relative path): the path without extension."""
    path = PurePosixPath(name)
    return path.with_name(path.stem).as_posix() if path.stem else path.as_posix()


def with_owner(records: list[Record], owner: str) -> tuple[list[Record], int]:
    """Records counted for ``owner`` (the hand-in's owner), and how many named someone else."""
    out, claimed = [], 0
    for r in records:
        if r.learner != owner:
            if not r.unnamed:
                claimed += 1
            r = replace(
                r, learner=owner, claimed=None if r.unnamed else r.learner, unnamed=r.unnamed
            )
        out.append(r)
    return out, claimed


def owner_of(name: str, owners: str = "stores") -> str | None:
    """The owner of the hand-in ``name`` (relative path): ``owners="stores"`` (default) gives one
    for ``.jsonl`` live stores only (a hub links them in as ``<learner>.jsonl``), ``"names"`` for
    every file, ``"none"`` never."""
    if owners == "none":
        return None
    if owners == "names" or PurePosixPath(name).suffix.lower() == ".jsonl":
        return learner_from_name(name)
    return None


def merge_files(
    paths: Iterable[Path], base: Path | None = None, owners: str = "stores"
) -> MergeResult:
    """Read and merge ``paths`` in the order given (the first copy of an attempt wins).

    Attempts without a learner name take the file's path relative to ``base`` (or its name)
    without extension. Attempts in a file with an owner (:func:`owner_of`) count for the owner;
    those whose learner field names someone else are listed in ``mismatches``.
    """
    mismatches: list[str] = []
    seen: dict[tuple, Record] = {}
    files: list[FileResult] = []
    skipped: list[Skipped] = []
    empty: list[str] = []
    duplicates = 0
    conflicts: list[str] = []
    for path in paths:
        path = Path(path)
        name = path.relative_to(base).as_posix() if base is not None else path.name
        default = learner_from_name(name)
        try:
            records = read_export(path, name, default)
        except ExportError as exc:
            skipped.append(Skipped(name, str(exc) + loss_note(path, str(exc))))
            continue
        except (MemoryError, RecursionError) as exc:  # one hostile file never stops the report
            skipped.append(
                Skipped(name, f"too large or too deeply nested to read ({type(exc).__name__})")
            )
            continue
        owner = owner_of(name, owners)
        if owner is not None:
            records, claimed = with_owner(records, owner)
            if claimed:
                names = sorted({r.claimed for r in records if r.claimed})
                shown = ", ".join(names[:3]) + (
                    f" and {len(names) - 3} more" if len(names) > 3 else ""
                )
                mismatches.append(
                    f"{name}: {claimed} attempt{'s' if claimed != 1 else ''} name learner {shown} "
                    f"but this file belongs to {owner}; counted for {owner}"
                )
        if not records:
            empty.append(name)
            continue
        new = 0
        for r in records:
            first = seen.get(r.key)
            if first is None:
                seen[r.key] = r
                new += 1
                continue
            duplicates += 1
            if not first.same_content(r):
                conflicts.append(
                    f"{name}: attempt {r.attempt_id} ({r.bank} {r.question_id}) differs from "
                    f"the copy in {first.source}; the first copy was kept"
                )
        unnamed = sum(1 for r in records if r.unnamed)
        files.append(
            FileResult(
                name, len(records), new, tuple(sorted({r.learner for r in records})), unnamed
            )
        )
    records = sorted(seen.values(), key=lambda r: (r.learner, r.timestamp, r.attempt_id))
    return MergeResult(records, files, skipped, empty, duplicates, conflicts, mismatches=mismatches)


def merge_folder(
    folder: Path | str, exclude: Iterable[Path] = (), owners: str = "stores"
) -> MergeResult:
    """Merge every export under ``folder``. Raises FileNotFoundError/NotADirectoryError.

    ``exclude``: files that are not exports even if they look like one (the report being
    written); they and any ``*.html`` are listed in :attr:`MergeResult.ignored`.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder (give the folder holding the exports)")
    found, ignored = scan_folder(folder, exclude)
    result = merge_files(found, base=folder, owners=owners)
    result.ignored = [p.relative_to(folder).as_posix() for p in ignored]
    return result
