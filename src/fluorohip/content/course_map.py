"""The course map: the one registry of the course's notebooks, read from ``assets/course_map.yaml``.

Why one registry. Every list of chapters (the agendas, the completion summary, the catalog of
banks, the objectives the cases may use, the README table, ``fluorohip validate``) is computed
from this file, so adding a chapter is one new entry, never an edit to a hidden list or a glob
over file numbers. Each entry has an ``id`` that does not depend on its position and an explicit
``bank``: learners' saved progress is keyed on bank ids, so inserting or renumbering a notebook
never renames them (the final notebook's bank stays ``07_posttest`` whatever its number).

Pure: reads YAML, no widgets. The rules a map must satisfy (unique ids, banks exist, every
notebook has an entry, final chapter last ...) are in :mod:`fluorohip.content.map_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.paths import assets_dir
from ..core.yamlread import load_yaml_file

#: Entry kinds in the order they may appear: one start, chapters, one final, then instructor notebooks.
KINDS = ("start", "chapter", "final", "instructor")
LEARNER_KINDS = ("start", "chapter", "final")
#: The two workshop formats the agendas are built for (:mod:`fluorohip.instructor.agenda`).
WORKSHOP_FORMATS = ("full_day", "half_day")
WORKSHOP_MODES = ("room", "prework", "part")
MAP_FILE = "course_map.yaml"


class CourseMapError(ValueError):
    """``assets/course_map.yaml`` cannot be read as a course map; the message names file and entry."""


@dataclass(frozen=True)
class WorkshopUse:
    """How one workshop format uses an entry: taught in the room (the default), done alone before
    the day (``prework``), or only a ``part`` of it (``focus``, ``minutes``) done in the room."""

    mode: str = "room"
    note: str = ""
    focus: str = ""
    minutes: int | None = None
    break_label: str = ""
    break_minutes: int = 0


@dataclass(frozen=True)
class MapEntry:
    """One notebook of the course."""

    stem: str
    title: str
    goal: str
    minutes: int
    id: str = ""
    kind: str = "chapter"
    bank: str | None = None
    pretest: str | None = None
    package: str | None = None
    workshop: Mapping[str, WorkshopUse] = field(default_factory=dict)

    @property
    def number(self) -> str:
        """The label before the first underscore of the file name (``"07"``, ``"07b"``)."""
        return Path(self.stem).name.split("_", 1)[0]

    @property
    def filename(self) -> str:
        return f"{self.stem}.ipynb"

    @property
    def banks(self) -> tuple[str, ...]:
        """Every bank file this entry owns (its quiz and, for the start, the pre-test)."""
        return tuple(b for b in (self.bank, self.pretest) if b)

    def workshop_use(self, workshop_format: str) -> WorkshopUse:
        return self.workshop.get(workshop_format, WorkshopUse())


def map_path(assets_root: Path | None = None) -> Path:
    return (assets_root if assets_root is not None else assets_dir()) / MAP_FILE


def _text(item: Mapping[str, Any], name: str, where: str, required: bool = True) -> str | None:
    value = item.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CourseMapError(f"{where}: field {name!r}: must be non-empty text")
    return value.strip()


def _whole(value: Any, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CourseMapError(
            f"{where}: field {name!r}: must be whole minutes above 0; got {value!r}"
        )
    return value


def _workshop(item: Mapping[str, Any], where: str) -> dict[str, WorkshopUse]:
    spec = item.get("workshop") or {}
    if not isinstance(spec, dict):
        raise CourseMapError(f"{where}: field 'workshop': must be a mapping of formats")
    out = {}
    for name, use in spec.items():
        here = f"{where}: workshop.{name}"
        if name not in WORKSHOP_FORMATS or not isinstance(use, dict):
            raise CourseMapError(f"{here}: must be one of {', '.join(WORKSHOP_FORMATS)}, a mapping")
        mode = use.get("mode", "room")
        if mode not in WORKSHOP_MODES:
            raise CourseMapError(f"{here}: mode must be one of {', '.join(WORKSHOP_MODES)}")
        pause = use.get("break_after") or {}
        out[name] = WorkshopUse(
            mode=mode,
            note=str(use.get("note", "")),
            focus=str(use.get("focus", "")),
            minutes=_whole(use["minutes"], here, "minutes") if "minutes" in use else None,
            break_label=str(pause.get("label", "Break")) if pause else "",
            break_minutes=_whole(pause.get("minutes"), here, "break_after") if pause else 0,
        )
        if mode == "part" and (not out[name].focus or out[name].minutes is None):
            raise CourseMapError(f"{here}: mode 'part' needs a focus and minutes")
    return out


def entry_from_data(item: Any, index: int) -> MapEntry:
    """One entry of the map's ``notebooks:`` list; :class:`CourseMapError` names what is wrong."""
    where = f"{MAP_FILE}: notebook entry {index}"
    if not isinstance(item, dict):
        raise CourseMapError(
            f"{where}: must be a mapping with id, kind, stem, title, goal, minutes"
        )
    stem = _text(item, "stem", where)
    assert stem is not None
    where = f"{where} ({stem})"
    kind = item.get("kind", "chapter")
    if kind not in KINDS:
        raise CourseMapError(
            f"{where}: field 'kind': must be one of {', '.join(KINDS)}; got {kind!r}"
        )
    return MapEntry(
        stem=stem,
        title=_text(item, "title", where) or "",
        goal=_text(item, "goal", where) or "",
        minutes=_whole(item.get("minutes"), where, "minutes"),
        id=_text(item, "id", where) or "",
        kind=kind,
        bank=_text(item, "bank", where, required=False),
        pretest=_text(item, "pretest", where, required=False),
        package=_text(item, "package", where, required=False),
        workshop=_workshop(item, where),
    )


@lru_cache(maxsize=8)
def _parsed(path: str, stamp: tuple[int, int]) -> tuple[MapEntry, ...]:
    data = load_yaml_file(path, f"assets/{MAP_FILE}")  # bounded; ContentFileError names file:line
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), list):
        raise CourseMapError(f"{MAP_FILE}: expected a mapping with a notebooks: list")
    return tuple(entry_from_data(item, i) for i, item in enumerate(data["notebooks"], start=1))


def all_entries(assets_root: Path | None = None) -> list[MapEntry]:
    """Every entry, instructor notebooks included, in map order (cached on the file's mtime)."""
    path = map_path(assets_root)
    try:
        info = path.stat()
    except OSError as exc:
        raise CourseMapError(f"{MAP_FILE}: cannot be read ({exc.strerror or exc})") from None
    return list(_parsed(str(path), (info.st_mtime_ns, info.st_size)))


def course_map(assets_root: Path | None = None) -> list[MapEntry]:
    """The learner's notebooks in course order: start, chapters, final (no instructor notebooks)."""
    return [e for e in all_entries(assets_root) if e.kind in LEARNER_KINDS]


def entry(entry_id: str, entries: list[MapEntry] | None = None) -> MapEntry:
    """The entry with this ``id``; :class:`KeyError` names the ids there are."""
    entries = entries if entries is not None else all_entries()
    for e in entries:
        if e.id == entry_id:
            return e
    raise KeyError(f"no course-map entry {entry_id!r}; known: {', '.join(e.id for e in entries)}")


def _one(kind: str, entries: list[MapEntry] | None) -> MapEntry:
    found = [e for e in (entries if entries is not None else course_map()) if e.kind == kind]
    if not found:
        raise CourseMapError(f"{MAP_FILE}: no entry of kind {kind!r}")
    return found[0]


def start_entry(entries: list[MapEntry] | None = None) -> MapEntry:
    return _one("start", entries)


def final_entry(entries: list[MapEntry] | None = None) -> MapEntry:
    """The last notebook of the course (cases, post-test and review), whatever its number."""
    return _one("final", entries)


def chapter_entries(entries: list[MapEntry] | None = None) -> list[MapEntry]:
    """The teaching chapters (kind ``chapter``), in course order."""
    return [e for e in (entries if entries is not None else course_map()) if e.kind == "chapter"]


def chapter_stems(entries: list[MapEntry] | None = None) -> list[str]:
    return [e.stem for e in chapter_entries(entries)]


def chapter_banks(entries: list[MapEntry] | None = None) -> list[str]:
    """Bank ids of the teaching chapters: the banks whose objectives the course teaches."""
    return [e.bank for e in chapter_entries(entries) if e.bank]


def pretest_bank(entries: list[MapEntry] | None = None) -> str:
    found = start_entry(entries).pretest
    if not found:
        raise CourseMapError(f"{MAP_FILE}: the start entry names no pretest bank")
    return found


def posttest_bank(entries: list[MapEntry] | None = None) -> str:
    found = final_entry(entries).bank
    if not found:
        raise CourseMapError(f"{MAP_FILE}: the final entry names no bank (the post-test)")
    return found


def course_banks(entries: list[MapEntry] | None = None) -> list[str]:
    """Every bank file the map names, in course order (the catalog adds the cases bank)."""
    out: dict[str, None] = {}
    for e in entries if entries is not None else all_entries():
        out.update(dict.fromkeys(e.banks))
    return list(out)


def total_minutes(entries: list[MapEntry] | None = None) -> int:
    return sum(e.minutes for e in (entries if entries is not None else course_map()))
