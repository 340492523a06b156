"""The ``fluorohip`` command: one module per subcommand over a shared base (as nbgrader's apps/).

:mod:`.base` holds what every subcommand shares (usage errors as one line, no tracebacks,
atomic writes). Each subcommand module has ``main(argv) -> int`` and its own parser; this
module only lists them and hands the rest of the command line to the one named. Subcommands
load on use, so ``fluorohip --help`` imports none of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__

#: Subcommand -> (module under fluorohip.cli, help shown by ``fluorohip --help``).
COMMANDS = {
    "validate": ("validate", "check question banks, cases and the bibliography"),
    "refs": ("refs", "check or regenerate each notebook's References cell"),
    "notebooks": (
        "notebooks",
        "(authors) regenerate references and re-execute notebooks in place; "
        "(residents) --copy DIR puts your own copy of the course in DIR",
    ),
    "progress": ("progress", "(residents) your summary, and the export you hand in"),
    "class-report": ("class_report", "(instructors) merge hand-ins into a class report"),
    "answer-key": (
        "answer_key",
        "(instructors) answer key; release or hide answers in workshop mode",
    ),
}
#: The commands whose ``--help`` the top-level help points to (they have subcommands or many options).
DELEGATED = {
    name: f"fluorohip.cli.{COMMANDS[name][0]}"
    for name in ("progress", "class-report", "answer-key")
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fluorohip",
        description="fluorohip: the course's command line (on a laptop: .venv/bin/fluorohip).",
    )
    parser.add_argument("--version", action="version", version=f"fluorohip {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, text) in COMMANDS.items():
        shown = f"{text} (`fluorohip {name} --help`)" if name in DELEGATED else text
        sub.add_parser(name, help=shown, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(f"fluorohip.cli.{COMMANDS[argv[0]][0]}")
        code: int = module.main(argv[1:])
        return code
    parser = build_parser()
    parser.parse_args(argv)  # --help, --version and unknown commands exit here
    parser.print_help(sys.stderr)
    return 2  # no command is a usage error, not a success
