"""``fluorohip progress show`` and ``fluorohip progress export --format csv|json --out FILE``.

An export names its learner: attempts saved without a name (``FLUOROHIP_LEARNER`` was not set
when they were answered) take ``--learner`` or, failing that, ``FLUOROHIP_LEARNER`` at export
time, so one resident is one learner in the class report whatever the file is called.

:func:`main` returns an exit code (0 ok, 1 could not do it, 2 bad usage) and prints
messages, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import warnings
from pathlib import Path

from ..cli_support import Parser, parse_args, write_text_atomic
from .export import FORMATS, export_text
from .store import ProgressStore, ProgressStoreError, ProgressStoreWarning


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="fluorohip progress", description="Your quiz progress: summary and export."
    )
    parser.add_argument(
        "--home", help="progress folder (default: $FLUOROHIP_HOME or your user data folder)"
    )
    sub = parser.add_subparsers(dest="command", metavar="{show,export}", parser_class=Parser)
    sub.add_parser("show", help="summary per notebook and objective")
    export = sub.add_parser("export", help="write every attempt to a file for your instructor")
    export.add_argument("--format", choices=FORMATS, required=True, help="csv or json")
    export.add_argument("--out", required=True, help="file to write ('-' for standard output)")
    export.add_argument(
        "--learner",
        metavar="NAME",
        help="your name for answers saved without one (default: $FLUOROHIP_LEARNER)",
    )
    export.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    return parser


def _catalog() -> dict:
    """Banks available in this checkout, for totals (see :func:`fluorohip.content.catalog.load_catalog`)."""
    from ..content.catalog import load_catalog

    return load_catalog()


def format_summary(store: ProgressStore) -> str:
    attempts = store.attempts()
    summary = store.summary(_catalog())
    lines = [f"Progress file: {store.path}"]
    if store.legacy_path.exists():
        lines.append(f"Also read (saved by an earlier version, never changed): {store.legacy_path}")
    lines.append(f"Attempts saved: {len(attempts)}")
    learners = sorted({a.learner for a in attempts if a.learner})
    if learners:
        lines.append(f"Learner: {', '.join(learners)}")
    lines.append("")
    if not summary:
        lines.append("No quiz answers yet.")
    for b in summary:
        total = f"/{b.total}" if b.total is not None else ""
        title = f" - {b.title}" if b.title else ""
        lines.append(f"{b.bank}{title}")
        lines.append(
            f"  answered {b.answered}{total}, correct {b.correct}{total}, "
            f"objectives met {b.objectives_met}/{len(b.objectives)}"
        )
        for o in b.objectives:
            status = "met" if o.met else "not yet"
            otot = f"/{o.total}" if o.total is not None else ""
            text = f" {o.text}" if o.text else ""
            lines.append(f"    [{status:>7}] {o.id}{text} (correct {o.correct}{otot})")
    return "\n".join(lines)


def named_attempts(attempts: list, learner: str | None) -> tuple[list, int]:
    """Attempts with ``learner`` filled in where none was saved; and how many still have no name."""
    name = (learner or "").strip() or None
    if name:
        attempts = [a if a.learner else dataclasses.replace(a, learner=name) for a in attempts]
    return attempts, sum(1 for a in attempts if not a.learner)


def _export(
    store: ProgressStore, fmt: str, out: str, force: bool, learner: str | None = None
) -> int:
    attempts, unnamed = named_attempts(
        store.attempts(), learner or os.environ.get("FLUOROHIP_LEARNER")
    )
    text = export_text(attempts, fmt)
    if out == "-":
        sys.stdout.write(text)
        return 0
    target = Path(out).expanduser()
    if target.exists() and not force:
        print(
            f"fluorohip progress: {target} already exists; choose another name or add --force",
            file=sys.stderr,
        )
        return 1
    try:
        write_text_atomic(target, text, make_parents=False)
    except OSError as exc:
        print(f"fluorohip progress: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {target} ({len(attempts)} attempts).")
    if not attempts:
        print(
            f"fluorohip progress: warning: no answers are saved in {store.home}. If you answered quizzes, "
            "they are in another progress folder: set FLUOROHIP_HOME (or --home) as when you studied.",
            file=sys.stderr,
        )
    elif unnamed:
        print(
            f"fluorohip progress: note: {unnamed} of {len(attempts)} attempts carry no learner name, so the "
            f'class report will name you after the file ({target.stem!r}); add --learner "Your Name" '
            "so two residents' files cannot be mixed up.",
            file=sys.stderr,
        )
    return 0


def _is_utf8(text: str) -> bool:
    """False for a command-line argument that was not UTF-8 (Python keeps its bytes as surrogates)."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["progress"]:
        argv = argv[1:]
    parser = build_parser()
    args = parse_args(parser, argv)
    if isinstance(args, int):
        return args
    if args.command is None:
        parser.print_help()
        return 2
    for what, value in (
        ("--learner", getattr(args, "learner", None)),
        ("--home", args.home),
        ("FLUOROHIP_LEARNER", os.environ.get("FLUOROHIP_LEARNER")),
    ):
        if value is not None and not _is_utf8(value):
            print(
                f"fluorohip progress: {what} is not valid UTF-8 text ({value.encode('utf-8', 'replace')!r}); "
                "type it again in plain text",
                file=sys.stderr,
            )
            return 2
    store = ProgressStore(args.home)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ProgressStoreWarning)
            if args.command == "show":
                text = format_summary(store)
                print(text)
                code = 0
            else:
                code = _export(store, args.format, args.out, args.force, args.learner)
        for w in caught:
            print(f"fluorohip progress: {w.message}", file=sys.stderr)
        return code
    except ProgressStoreError as exc:
        print(f"fluorohip progress: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. the progress folder cannot be listed or created
        print(
            f"fluorohip progress: cannot use the progress folder {store.home}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
