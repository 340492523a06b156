"""Answer release: in workshop mode, answers and explanations stay hidden until the instructor
releases them (this module was ``quiz.workshop``; ``hub.workshop`` is the hub's class setup).

On when the environment variable ``FLUOROHIP_WORKSHOP_MODE`` is ``1`` (or ``true``/``yes``).
Learners then see ✓/✗ after Check, but no option feedback, explanation or Show answer.

Release, by bank or for all banks, either way:

- ``release_answers("01_hip_anatomy")`` / ``release_answers()`` in Python: takes effect at once
  in this kernel and writes the file flag below, so other kernels see it too;
- a file flag: an (empty) file named after the bank, or ``ALL``, in the release folder —
  ``$FLUOROHIP_RELEASE_DIR`` if set, else ``released/`` inside the progress folder
  (``$FLUOROHIP_HOME``). An instructor toolkit can create it; a shared folder releases a class.

Open quizzes check the flag whenever the learner presses Check, and an answered question's
See feedback button re-reads it (and, once released, refreshes every open view in the kernel).
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

ALL = "ALL"
_released_here: set[str] = set()
_views: weakref.WeakSet[Any] = weakref.WeakSet()


def workshop_mode() -> bool:
    return os.environ.get("FLUOROHIP_WORKSHOP_MODE", "").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def release_dir() -> Path:
    env = os.environ.get("FLUOROHIP_RELEASE_DIR")
    if env:
        return Path(env).expanduser()
    from ..progress.store import default_home

    return default_home() / "released"


def answers_released(bank: str) -> bool:
    """True outside workshop mode, or once the bank (or ALL) has been released."""
    if not workshop_mode():
        return True
    if bank in _released_here or ALL in _released_here:
        return True
    folder = release_dir()
    return (folder / bank).exists() or (folder / ALL).exists()


def release_answers(bank: str | None = None, *, write_flag: bool = True) -> Path | None:
    """Release one bank's answers (or all with ``bank=None``); returns the flag file written."""
    name = bank or ALL
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"bank must be a notebook stem such as 01_hip_anatomy; got {name!r}")
    _released_here.add(name)
    flag = None
    if write_flag:
        folder = release_dir()
        folder.mkdir(parents=True, exist_ok=True)
        flag = folder / name
        flag.touch()
    refresh_views()
    return flag


def release_flags() -> list[Path]:
    """Every flag in the release folder, by name: whatever is named after a bank or ``ALL``.

    A folder or link counts too: :func:`answers_released` only asks whether the name exists, so
    ``mkdir released/ALL`` does release every answer, and ``--status`` must say so (it used to
    list files only and report "Released: nothing"). Raises NotADirectoryError when the release
    path is not a folder.
    """
    folder = release_dir()
    if not folder.exists() and not folder.is_symlink():
        return []
    if not folder.is_dir():
        raise NotADirectoryError(f"the release folder {folder} is not a folder")
    return sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)


def hide_answers(banks: list[str] | None = None) -> list[Path]:
    """Undo releases: delete these banks' flags (every flag, ``ALL`` included, when ``banks`` is None).

    Also forgets releases made in this kernel and refreshes its open views. Returns the flag
    files removed; raises ``OSError`` if one cannot be removed. Kernels that already showed
    answers keep them on screen until re-run.
    """
    flags = {p.name: p for p in release_flags()}
    names = list(dict.fromkeys(banks)) if banks else sorted(flags)
    removed = []
    for name in names:
        _released_here.discard(name)
        if name in flags:
            flag = flags[name]
            if flag.is_dir() and not flag.is_symlink():
                import shutil

                shutil.rmtree(flag)  # a folder made by hand (``mkdir released/ALL``) releases too
            else:
                flag.unlink()
            removed.append(flag)
    if banks is None:
        _released_here.clear()
    refresh_views()
    return removed


def refresh_views() -> None:
    """Let every open view re-read the release state (after a release seen here or on disk)."""
    for view in list(_views):
        view.refresh_release()


def register(view: Any) -> None:
    """Views with a ``refresh_release()`` method are told when answers are released."""
    _views.add(view)


def forget_kernel_releases() -> None:
    """Forget releases made in this kernel, keeping the flags on disk: what another learner's
    kernel knows (tests use it to stand in for that kernel)."""
    _released_here.clear()


#: The old name, kept one release (0.2) for callers outside the quiz package.
_reset_for_tests = forget_kernel_releases
