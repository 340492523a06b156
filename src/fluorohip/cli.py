"""The ``fluorohip`` command: thin subcommands over the package's modules.

Every subcommand returns an exit code and turns expected failures into one readable line;
an instructor should never see a Python traceback from a content mistake.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _cmd_validate(args: argparse.Namespace) -> int:
    from .content.validate import validate_project

    root = Path(args.root) if args.root else _root()
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


class NotANotebook(ValueError):
    """A path given as a notebook that is not one; the message names it."""


def _check_notebooks(paths: list[Path]) -> None:
    """Refuse, before changing anything, a path that is not a readable Jupyter notebook."""
    import nbformat

    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except FileNotFoundError:
            raise NotANotebook(f"{path}: no such file") from None
        except IsADirectoryError:
            raise NotANotebook(f"{path}: is a folder, not a notebook") from None
        except OSError as exc:
            raise NotANotebook(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except (
            Exception
        ) as exc:  # NotJSONError, jsonschema/nbformat ValidationError, bad version...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise NotANotebook(f"{path}: not a Jupyter notebook ({first[:160]})") from None


def _cmd_refs(args: argparse.Namespace) -> int:
    from .authoring import all_notebooks, references_up_to_date, write_references

    paths = [Path(p) for p in args.notebooks] or all_notebooks()
    if not paths:
        print("fluorohip refs: no notebooks found", file=sys.stderr)
        return 1
    _check_notebooks(paths)
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


def _cmd_notebooks(args: argparse.Namespace) -> int:
    if args.copy:
        return _copy_notebooks(Path(args.copy), args.notebooks)
    from .authoring import all_notebooks, execute_notebook, write_references

    paths = [Path(p) for p in args.notebooks] or all_notebooks()
    if not paths:
        print("fluorohip notebooks: no notebooks found", file=sys.stderr)
        return 1
    _check_notebooks(paths)
    for path in paths:
        write_references(path)
        print(f"executing {path.name} ...", flush=True)
        try:
            execute_notebook(path)
        except Exception as exc:  # nbclient's CellExecutionError, a dead kernel, a timeout
            if isinstance(exc, (OSError, ValueError)) and not hasattr(exc, "ename"):
                raise
            what = (
                f"{exc.ename}: {exc.evalue}" if getattr(exc, "ename", None) else type(exc).__name__
            )
            print(
                f"fluorohip notebooks: {path}: a cell failed ({what}); its stored outputs were not updated",
                file=sys.stderr,
            )
            return 1
    return 0


def _copy_notebooks(destination: Path, names: list[str]) -> int:
    from .course_copy import copy_notebooks

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


def _cmd_delegate(module: str, argv: list[str]) -> int:
    import importlib

    return importlib.import_module(module).main(argv)


def _root() -> Path:
    from .core.paths import project_root

    return project_root()


DELEGATED = {
    "progress": "fluorohip.progress.cli",
    "class-report": "fluorohip.instructor.cli",
    "answer-key": "fluorohip.instructor.answer_key_cli",
}
DELEGATED_HELP = {
    "progress": "(residents) your summary, and the export you hand in",
    "class-report": "(instructors) merge hand-ins into a class report",
    "answer-key": "(instructors) answer key; release or hide answers in workshop mode",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fluorohip",
        description="fluorohip: the course's command line (on a laptop: .venv/bin/fluorohip).",
    )
    parser.add_argument("--version", action="version", version=f"fluorohip {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check question banks, cases and the bibliography")
    p.add_argument(
        "--root", help="course folder (default: this checkout, else the installed course)"
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("refs", help="check or regenerate each notebook's References cell")
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--write", action="store_true", help="rewrite the References cells")
    p.set_defaults(func=_cmd_refs)

    p = sub.add_parser(
        "notebooks",
        help="(authors) regenerate references and re-execute notebooks in place; "
        "(residents) --copy DIR puts your own copy of the course in DIR",
    )
    p.add_argument("notebooks", nargs="*")
    p.add_argument(
        "--copy",
        metavar="DIR",
        help="copy the course notebooks into DIR (files already there are kept) instead of executing",
    )
    p.set_defaults(func=_cmd_notebooks)

    for name, module in DELEGATED.items():
        p = sub.add_parser(
            name, help=f"{DELEGATED_HELP[name]} (`fluorohip {name} --help`)", add_help=False
        )
        p.set_defaults(delegate=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in DELEGATED:
        try:
            return _cmd_delegate(DELEGATED[argv[0]], argv[1:])
        except ModuleNotFoundError:
            print(f"fluorohip {argv[0]}: not available in this version", file=sys.stderr)
            return 2
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2  # no command is a usage error, not a success
    try:
        return args.func(args)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"fluorohip {args.command}:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"fluorohip {args.command}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # last resort: one line, never a traceback
        print(
            f"fluorohip {args.command}: unexpected error ({type(exc).__name__}: {str(exc)[:200]})",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
