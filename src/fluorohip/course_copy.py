"""Copy the course notebooks out of the installed package into a learner's own folder.

A wheel keeps the notebooks inside ``site-packages`` (see :mod:`fluorohip.core.paths`), where a learner
should not edit them. ``fluorohip notebooks --copy DIR`` puts a working copy in ``DIR``; the
notebooks read banks, cases and the bibliography through the package, so the copy needs nothing
else beside it. A file that already exists in ``DIR`` is kept, never overwritten: it may hold
the learner's own notes and answers.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .core.paths import notebooks_dir


@dataclass
class CopyResult:
    copied: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def course_notebooks(source: Path | None = None) -> list[Path]:
    """Every notebook of the course (chapters and ``instructor/``), relative to its folder."""
    folder = source or notebooks_dir()
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def copy_notebooks(destination: Path, source: Path | None = None) -> CopyResult:
    """Copy the course notebooks into ``destination``, keeping any file already there."""
    folder = source or notebooks_dir()
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise NotADirectoryError(f"{destination} exists and is not a folder")
    result = CopyResult()
    for relative in course_notebooks(folder):
        target = destination / relative
        if target.exists():
            result.kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / relative, target)
        result.copied.append(target)
    return result
