"""``fluorohip class-report DIR --out report.html``: merge the exports in DIR and write the report.

Exit codes: 0 report written (skipped files are listed on stderr and in the report);
1 nothing usable (no folder, no valid attempts) or the report could not be written;
2 bad usage; 3 with ``--strict`` when the report was written but some files were skipped.
The report's own file and other ``*.html`` files in DIR are not exports: they are ignored
(and said so), never counted as malformed.
Never a traceback: every expected failure is one readable line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_support import Parser, parse_args, write_text_atomic
from ..content.catalog import load_catalog
from .item_analysis import DEFAULT_PREPOST, PrePost


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="fluorohip class-report",
        description="Merge the progress exports your residents hand in and write a class report "
        "(participation, score per objective, item difficulty and discrimination, "
        "distractors, pre/post gain, questions to revisit).",
    )
    p.add_argument(
        "folder",
        metavar="DIR",
        help="folder holding the .csv/.json exports or .jsonl progress stores (searched recursively)",
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="HTML report to write (overwritten)"
    )
    p.add_argument(
        "--title", default="fluorohip class report", help="title shown at the top of the report"
    )
    p.add_argument(
        "--pre",
        nargs="+",
        metavar="BANK",
        default=list(DEFAULT_PREPOST.pre_banks),
        help=f"pre-test bank(s) (default: {' '.join(DEFAULT_PREPOST.pre_banks)})",
    )
    p.add_argument(
        "--post",
        nargs="+",
        metavar="BANK",
        default=list(DEFAULT_PREPOST.post_banks),
        help=f"post-test bank(s) (default: {' '.join(DEFAULT_PREPOST.post_banks)})",
    )
    p.add_argument("--strict", action="store_true", help="exit 3 if any file had to be skipped")
    p.add_argument(
        "--owners",
        choices=("stores", "names", "none"),
        default="stores",
        help="who owns each hand-in: 'stores' (default) the name of each .jsonl live store, as a "
        "workshop hub links them; 'names' every file's name; 'none' trust the learner field. "
        "Attempts naming someone else are counted for the owner and listed",
    )
    return p


def build(
    folder: Path,
    pre_post: PrePost = DEFAULT_PREPOST,
    banks: dict | None = None,
    exclude=(),
    owners: str = "stores",
):
    """Merge and analyse: returns ``(MergeResult, ClassAnalysis)``. ``exclude``: paths that are
    not exports (the report being written)."""
    from .item_analysis import analyse
    from .merge import merge_folder

    merged = merge_folder(folder, exclude=exclude, owners=owners)
    analysis = analyse(merged.records, load_catalog() if banks is None else banks, pre_post)
    return merged, analysis


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parse_args(parser, argv)
    if isinstance(args, int):
        return args
    try:
        return _run(args)
    except Exception as exc:  # last resort: an instructor never sees a traceback
        print(
            f"fluorohip class-report: unexpected error ({type(exc).__name__}: {exc}); "
            "please report it with the command you ran",
            file=sys.stderr,
        )
        return 1


def _run(args) -> int:
    from .report import render_report, summary_line

    folder = Path(args.folder).expanduser()
    out = Path(args.out).expanduser()
    try:
        merged, analysis = build(
            folder, PrePost(tuple(args.pre), tuple(args.post)), exclude=(out,), owners=args.owners
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        print(f"fluorohip class-report: {exc}", file=sys.stderr)
        return 1
    for s in merged.skipped:
        print(f"skipped {s.name}: {s.reason}", file=sys.stderr)
    for name in merged.empty:
        print(f"empty {name}: no attempts in this file", file=sys.stderr)
    for c in merged.conflicts:
        print(f"conflict {c}", file=sys.stderr)
    for m in merged.mismatches:
        print(f"learner name mismatch {m}", file=sys.stderr)
    if merged.ignored:
        n = len(merged.ignored)
        print(
            f"ignored {n} non-export file{'s' if n != 1 else ''} (such as .html reports; not counted as "
            f"malformed): {', '.join(merged.ignored)}",
            file=sys.stderr,
        )
    if merged.name_warning:
        print(f"warning: {merged.name_warning}", file=sys.stderr)
    if not merged.records:
        print(
            f"fluorohip class-report: no usable attempts in {folder}; no report written",
            file=sys.stderr,
        )
        return 1
    text = render_report(merged, analysis, args.title)
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        print(f"fluorohip class-report: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(summary_line(merged, analysis))
    print(f"Wrote {out}.")
    if args.strict and merged.skipped:
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
