"""``fluorohip refs [NOTEBOOK ...] [--write]``: check or regenerate each References cell.

Exit codes: 0 up to date (or rewritten); 1 a References cell is out of date, or a path is not
a notebook; 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys

from .base import Parser, command_main
from .notebook_paths import notebooks_to_use


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="fluorohip refs")
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--write", action="store_true", help="rewrite the References cells")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..authoring import references_up_to_date, write_references

    paths = notebooks_to_use(args.notebooks)
    if not paths:
        print("fluorohip refs: no notebooks found", file=sys.stderr)
        return 1
    stale = []
    for path in paths:
        if args.write:
            if write_references(path):
                print(f"updated references in {path.name}")
        elif not references_up_to_date(path):
            stale.append(path.name)
    for name in stale:
        print(f"{name}: References cell is out of date; run `fluorohip refs --write`")
    return 1 if stale else 0


def main(argv: list[str] | None = None) -> int:
    return command_main(build_parser, run, argv)
