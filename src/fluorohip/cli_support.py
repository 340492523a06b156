"""What every ``fluorohip`` subcommand shares: usage errors as one line, and atomic file writes.

Why here. The progress, class-report and answer-key commands each had their own copy of the
argparse subclass and of the write-to-temporary-then-rename dance; one copy means one place to
get right. The rule they all follow: an instructor or resident sees a readable line and an exit
code, never a traceback, and a report or export on disk is either the old file or the whole
new one, never half of it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


class UsageError(Exception):
    """Bad command-line usage; the message already names the program and shows its usage line."""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises :class:`UsageError` instead of exiting from deep inside."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """Parsed arguments, or the exit code to return: 2 for bad usage (message on stderr), 0 for ``--help``."""
    import sys

    try:
        return parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)


def write_text_atomic(path: str | Path, text: str, make_parents: bool = True) -> Path:
    """Write ``text`` beside ``path`` then rename over it, so a reader never sees half a file.

    Creates missing parent folders unless ``make_parents`` is false (a learner's export names
    a file in a folder that should already exist: a typo there is reported, not created).
    Raises ``OSError`` for the caller to turn into a message.
    """
    path = Path(path)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
