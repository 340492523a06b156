"""``fluorohip answer-key``: write the answer key, and release answers in workshop mode.

    fluorohip answer-key --out key.html [--bank 01_hip_anatomy ...]
    fluorohip answer-key --release 01_hip_anatomy [--release 03_injectates]   (or --release A B)
    fluorohip answer-key --release-all
    fluorohip answer-key --hide 07_posttest [--hide ...]
    fluorohip answer-key --hide-all          (before the next cohort: every answer hidden again)
    fluorohip answer-key --status

Workshop mode (``FLUOROHIP_WORKSHOP_MODE=1`` in the learners' environment) hides feedback,
explanations and Show answer until the instructor releases a bank. Releasing writes a flag
file named after the bank (or ``ALL``) in ``$FLUOROHIP_RELEASE_DIR`` (else
``$FLUOROHIP_HOME/released``); on a hub, point every learner's ``FLUOROHIP_RELEASE_DIR`` at one
folder the instructor can write and learners can read, and one command releases the class. Hiding deletes flag files: ``--hide BANK`` its own flag,
``--hide-all`` every flag (``ALL`` included). A bank released through ``ALL`` cannot be hidden
on its own: ``--hide-all``, then ``--release`` the banks that should stay open.

In the key, a question is labelled ``<bank> Q<n>`` (a case stage ``07_cases Q<n>.<stage>``) and
shows the item label the class report uses, ``<bank>:<question-id>`` (``07_cases:<case-id>/<stage-id>``).

Exit codes: 0 done; 1 could not do it (unknown or broken bank, unwritable file); 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import Parser, parse_args, write_text_atomic

ACTIONS = "--out FILE, --release STEM, --release-all, --hide STEM, --hide-all, --status"


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="fluorohip answer-key",
        description="Write the answer key (every question, answer, feedback, explanation, sources), "
        "or release and hide answers for learners in workshop mode. "
        f"Give exactly one of {ACTIONS}.",
        epilog="STEM is a bank name such as 01_hip_anatomy (07_cases for the integrated cases). "
        "--bank, --release and --hide take several names, or repeat the option. Release flags "
        "live in $FLUOROHIP_RELEASE_DIR, else $FLUOROHIP_HOME/released (see --status).",
    )
    p.add_argument("--out", metavar="FILE", help="write the HTML answer key to FILE")
    p.add_argument(
        "--bank",
        nargs="+",
        action="extend",
        metavar="STEM",
        help="with --out: only these banks (default: every bank)",
    )
    p.add_argument(
        "--title",
        default="fluorohip answer key",
        help="with --out: page title (default: %(default)s)",
    )
    p.add_argument(
        "--release",
        nargs="+",
        action="extend",
        metavar="STEM",
        help="release these banks' answers to learners (workshop mode)",
    )
    p.add_argument("--release-all", action="store_true", help="release every bank's answers")
    p.add_argument(
        "--hide",
        nargs="+",
        action="extend",
        metavar="STEM",
        help="undo --release for these banks: their answers are hidden again",
    )
    p.add_argument(
        "--hide-all",
        action="store_true",
        help="hide every bank's answers again (undoes --release-all and every --release)",
    )
    p.add_argument(
        "--status", action="store_true", help="show the release folder, what is released and hidden"
    )
    return p


def _known_banks() -> set[str]:
    from ..cases.bank import CASES_BANK
    from ..quiz.loader import available_banks

    return {*available_banks(), CASES_BANK}  # the cases release under their bank name too


def _unknown(stems: list[str], known: set[str], what: str = "question bank") -> bool:
    """Print one line naming the unknown stems and the known ones; True if there were any."""
    unknown = list(dict.fromkeys(s for s in stems if s not in known))
    if unknown:
        names = ", ".join(repr(s) for s in unknown)
        print(
            f"fluorohip answer-key: no {what} named {names}; known: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
    return bool(unknown)


def _status() -> int:
    from ..quiz.release import ALL, release_dir, release_flags, workshop_mode

    folder = release_dir()
    flags = release_flags()
    released = [p.name for p in flags]
    print(f"Release folder: {folder}")
    print(
        f"Workshop mode in this shell: {'on' if workshop_mode() else 'off'} (FLUOROHIP_WORKSHOP_MODE)"
    )
    print("Released: " + (", ".join(released) if released else "nothing"))
    odd = [p for p in flags if p.is_symlink() or not p.is_file()]
    if odd:
        print(
            "Note: "
            + ", ".join(f"{p.name} is a {'link' if p.is_symlink() else 'folder'}" for p in odd)
            + "; not made by `--release`, but it releases all the same (remove it with --hide)"
        )
    unknown = sorted(set(released) - _known_banks() - {ALL})
    if unknown:
        print("Flags that name no bank (harmless): " + ", ".join(unknown))
    if ALL in released:
        print(f"Hidden: none ({ALL} is released)")
    else:
        hidden = sorted(_known_banks() - set(released))
        print("Hidden: " + (", ".join(hidden) if hidden else "none"))
    return 0


def _release(stems: list[str] | None) -> int:
    from ..quiz.release import release_answers

    if stems and _unknown(stems, _known_banks()):
        return 1
    try:
        targets: list[str | None] = list(dict.fromkeys(stems)) if stems else [None]
        for stem in targets:
            flag = release_answers(stem)
            print(f"Released {'all banks' if stem is None else stem}: {flag}")
    except (OSError, ValueError) as exc:
        print(f"fluorohip answer-key: cannot release ({exc})", file=sys.stderr)
        return 1
    return 0


def _hide(stems: list[str] | None) -> int:
    """Delete release flags: these banks' (``stems``), or every flag (``None``, for --hide-all)."""
    from ..quiz.release import ALL, hide_answers, release_dir, release_flags

    folder = release_dir()
    flags = {p.name: p for p in release_flags()}
    if stems and _unknown(stems, _known_banks() | set(flags)):  # a stale flag can be hidden too
        return 1
    names = list(dict.fromkeys(stems)) if stems else sorted(flags)
    if stems and ALL in flags and ALL not in names:  # refuse before changing anything
        print(
            f"fluorohip answer-key: cannot hide {', '.join(names)} alone: every bank is released by "
            f"{folder / ALL}; run --hide-all, then --release the banks that should stay released",
            file=sys.stderr,
        )
        return 1
    try:
        removed = {p.name for p in hide_answers(names if stems else None)}
        for name in names:
            if name in removed:
                print(f"Hidden {name}: removed {flags[name]}")
            else:
                print(f"{name}: already hidden (no flag in {folder})")
    except OSError as exc:
        print(
            f"fluorohip answer-key: cannot hide ({exc.strerror or exc}: {exc.filename})",
            file=sys.stderr,
        )
        return 1
    if not stems and not names:
        print(f"Nothing was released (no flags in {folder}); every bank's answers are hidden.")
    return 0


def _write_key(args) -> int:
    from ..cases.bank import CASES_BANK, cases_bank
    from ..instructor.answer_key import answer_key_html
    from ..quiz.loader import BankError, available_banks, load_bank

    if args.bank and _unknown(args.bank, _known_banks()):
        return 1
    stems = list(dict.fromkeys(args.bank)) if args.bank else [*available_banks(), CASES_BANK]
    banks = []
    for stem in stems:
        try:
            banks.append(cases_bank() if stem == CASES_BANK else load_bank(stem))
        except BankError as exc:
            print(f"fluorohip answer-key: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(
                f"fluorohip answer-key: cannot read bank {stem}: {exc.strerror or exc}",
                file=sys.stderr,
            )
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
    actions = sum(
        bool(x)
        for x in (args.out, args.release, args.release_all, args.hide, args.hide_all, args.status)
    )
    if actions != 1:
        print(f"fluorohip answer-key: give exactly one of {ACTIONS}", file=sys.stderr)
        return 2
    try:
        if args.status:
            return _status()
        if args.release or args.release_all:
            return _release(args.release)
        if args.hide or args.hide_all:
            return _hide(args.hide)
        return _write_key(args)
    except Exception as exc:  # last resort: never a traceback
        if isinstance(exc, NotADirectoryError):
            print(f"fluorohip answer-key: {exc}", file=sys.stderr)
            return 1
        print(
            f"fluorohip answer-key: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
