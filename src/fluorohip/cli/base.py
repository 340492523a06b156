"""What every ``fluorohip`` subcommand shares: usage errors as one line, errors without a
traceback, command-line text checks, and atomic file writes (nbgrader's base app, in small).

Why here. The progress, class-report and answer-key commands each had their own copy of the
argparse subclass and of the write-to-temporary-then-rename dance; one copy means one place to
get right. The rule they all follow: an instructor or resident sees a readable line and an exit
code, never a traceback, and a report or export on disk is either the old file or the whole
new one, never half of it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path


class UsageError(Exception):
    """Bad command-line usage; the message already names the program and shows its usage line."""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises :class:`UsageError` instead of exiting from deep inside."""

    def error(self, message: str):  # raises instead of exiting
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """Parsed arguments, or the exit code to return: 2 for bad usage (message on stderr), 0 for ``--help``."""
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


def is_utf8(text: str) -> bool:
    """False for a command-line argument that was not UTF-8 (Python keeps its bytes as surrogates)."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def run_one_line(
    prog: str, run: Callable[[argparse.Namespace], int], args: argparse.Namespace
) -> int:
    """``run(args)``, with expected failures (a file, a bad value) and anything else as one line on
    stderr and exit code 1: an instructor never sees a traceback from a content mistake."""
    try:
        return run(args)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{prog}:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # last resort: one line, never a traceback
        print(f"{prog}: unexpected error ({type(exc).__name__}: {str(exc)[:200]})", file=sys.stderr)
        return 1


def command_main(
    build_parser: Callable[[], argparse.ArgumentParser],
    run: Callable[[argparse.Namespace], int],
    argv: list[str] | None,
) -> int:
    """The ``main`` of a simple subcommand: parse (usage errors exit 2), then :func:`run_one_line`."""
    parser = build_parser()
    args = parse_args(parser, list(sys.argv[1:] if argv is None else argv))
    if isinstance(args, int):
        return args
    return run_one_line(parser.prog, run, args)
