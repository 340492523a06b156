"""Problems found in course content, reported the way an editor can act on them.

Every validator (question banks, cases, bibliography, notebooks) returns a list of
:class:`Problem` instead of raising, so ``fluorohip validate`` can report all of them at
once as ``file:line: id: field: message`` and never show a traceback to an instructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located as precisely as we can."""

    file: str
    line: int | None
    item_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        line = self.line if self.line is not None else "-"
        item = self.item_id or "-"
        field = self.field or "-"
        return f"{self.file}:{line}: {item}: {field}: {self.message}"


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as a learner or editor should see it: relative to the project when possible."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
