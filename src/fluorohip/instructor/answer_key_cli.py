"""``fluorohip answer-key``: write the answer key, and release answers in workshop mode.

    fluorohip answer-key --out key.html [--bank 01_hip_anatomy ...]
    fluorohip answer-key --release 01_hip_anatomy [--release 03_injectates]
    fluorohip answer-key --release-all
    fluorohip answer-key --status

Workshop mode (``FLUOROHIP_WORKSHOP_MODE=1`` in the learners' environment) hides feedback,
explanations and Show answer until the instructor releases a bank. Releasing writes a flag
file named after the bank (or ``ALL``) in ``$FLUOROHIP_RELEASE_DIR`` (else
``$FLUOROHIP_HOME/released``); on a hub, point every learner's ``FLUOROHIP_RELEASE_DIR`` at one
folder the instructor can write and learners can read, and one command releases the class.

Exit codes: 0 done; 1 could not do it (unknown or broken bank, unwritable file); 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_support import Parser, parse_args, write_text_atomic


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="fluorohip answer-key",
                description="Write the answer key (every question, answer, feedback, explanation, sources), "
                            "or release answers to learners in workshop mode.")
    p.add_argument("--out", metavar="FILE", help="HTML answer key to write")
    p.add_argument("--bank", nargs="+", metavar="STEM", help="only these banks (default: every bank)")
    p.add_argument("--title", default="fluorohip answer key")
    p.add_argument("--release", nargs="+", metavar="STEM", help="release these banks' answers (workshop mode)")
    p.add_argument("--release-all", action="store_true", help="release every bank's answers")
    p.add_argument("--status", action="store_true", help="show the release folder and what is released")
    return p


def _status() -> int:
    from ..quiz.workshop import release_dir, workshop_mode

    folder = release_dir()
    released = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    print(f"Release folder: {folder}")
    print(f"Workshop mode in this shell: {'on' if workshop_mode() else 'off'} (FLUOROHIP_WORKSHOP_MODE)")
    print("Released: " + (", ".join(released) if released else "nothing yet"))
    return 0


def _release(stems: list[str] | None) -> int:
    from ..quiz.loader import available_banks
    from ..quiz.workshop import release_answers

    from ..cases.bank import CASES_BANK

    known = {*available_banks(), CASES_BANK}  # the cases release under their bank name too
    if stems:
        unknown = [s for s in stems if s not in known]
        if unknown:
            print(f"fluorohip answer-key: no question bank named {', '.join(unknown)}; "
                  f"known: {', '.join(sorted(known))}", file=sys.stderr)
            return 1
    try:
        for stem in stems or [None]:
            flag = release_answers(stem)
            print(f"Released {'all banks' if stem is None else stem}: {flag}")
    except (OSError, ValueError) as exc:
        print(f"fluorohip answer-key: cannot release ({exc})", file=sys.stderr)
        return 1
    return 0


def _write_key(args) -> int:
    from ..quiz.loader import BankError, available_banks, load_bank
    from .answer_key import answer_key_html

    from ..cases.bank import CASES_BANK, cases_bank

    stems = args.bank or [*available_banks(), CASES_BANK]
    banks = []
    for stem in stems:
        try:
            banks.append(cases_bank() if stem == CASES_BANK else load_bank(stem))
        except BankError as exc:
            print(f"fluorohip answer-key: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"fluorohip answer-key: cannot read bank {stem}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    if not banks:
        print("fluorohip answer-key: no question banks found under assets/quizzes", file=sys.stderr)
        return 1
    out = Path(args.out).expanduser()
    try:
        write_text_atomic(out, answer_key_html(banks, args.title))
    except OSError as exc:
        print(f"fluorohip answer-key: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    n = sum(len(b.questions) for b in banks)
    print(f"Wrote {out}: {len(banks)} banks, {n} questions.")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parse_args(parser, argv)
    if isinstance(args, int):
        return args
    actions = sum(bool(x) for x in (args.out, args.release, args.release_all, args.status))
    if actions != 1:
        print("fluorohip answer-key: give exactly one of --out FILE, --release STEM, --release-all, --status",
              file=sys.stderr)
        return 2
    try:
        if args.status:
            return _status()
        if args.release or args.release_all:
            return _release(args.release)
        return _write_key(args)
    except Exception as exc:  # last resort: never a traceback
        print(f"fluorohip answer-key: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
