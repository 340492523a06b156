"""``fluorohip notebooks [NOTEBOOK ...]`` re-executes notebooks in place (authors);
``fluorohip notebooks --copy DIR`` puts a resident's own copy of the course in DIR.

Exit codes: 0 done; 1 a path is not a notebook or a cell failed (its stored outputs are kept);
2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import Parser, command_main
from .notebook_paths import notebooks_to_use


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="fluorohip notebooks")
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument(
        "--copy",
        metavar="DIR",
        help="copy the course notebooks into DIR (files already there are kept) instead of executing",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if args.copy:
        return copy_course(Path(args.copy), args.notebooks)
    from ..authoring import execute_notebook, write_references

    paths = notebooks_to_use(args.notebooks)
    if not paths:
        print("fluorohip notebooks: no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        write_references(path)
        print(f"executing {path.name} ...", flush=True)
        try:
            execute_notebook(path)
        except Exception as exc:  # nbclient's CellExecutionError, a dead kernel, a timeout
            if isinstance(exc, (OSError, ValueError)) and not hasattr(exc, "ename"):
                raise
            ename = getattr(exc, "ename", None)
            what = f"{ename}: {getattr(exc, 'evalue', '')}" if ename else type(exc).__name__
            print(
                f"fluorohip notebooks: {path}: a cell failed ({what}); its stored outputs were not updated",
                file=sys.stderr,
            )
            return 1
    return 0


def copy_course(destination: Path, names: list[str]) -> int:
    from ..course_copy import copy_notebooks

    if names:
        print(
            "fluorohip notebooks --copy copies the whole course; leave out the notebook names",
            file=sys.stderr,
        )
        return 2
    result = copy_notebooks(destination)
    print(f"copied {len(result.copied)} notebook(s) into {destination}")
    if result.kept:
        print(
            f"kept {len(result.kept)} notebook(s) already there (your edits are not overwritten):"
        )
        for path in result.kept:
            print(f"  {path}")
    print(f"open them with: jupyter lab {destination / '00_start_here.ipynb'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return command_main(build_parser, run, argv)
