"""``fluorohip validate [--root DIR]``: check the course content an instructor may edit.

Exit codes: 0 valid; 1 problems found (one line each, naming file and line) or not a course
folder; 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import Parser, command_main


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="fluorohip validate")
    parser.add_argument(
        "--root", help="course folder (default: this checkout, else the installed course)"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from ..content.validate import validate_project
    from ..core.paths import project_root

    root = Path(args.root) if args.root else project_root()
    if not (root / "assets").is_dir():
        print(
            f"fluorohip validate: {root} is not a course folder (no assets/ folder in it); "
            "give the folder of a fluorohip checkout with --root",
            file=sys.stderr,
        )
        return 1
    problems = validate_project(root)
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0)):
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All course content is valid.")
    return 0


def main(argv: list[str] | None = None) -> int:
    return command_main(build_parser, run, argv)
