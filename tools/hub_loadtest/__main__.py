"""``make hub-loadtest``: ``python -m tools.hub_loadtest [-n 20] [--out benchmarks/hub.json] ...``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from fluorohip.cli.base import write_text_atomic

from . import __doc__ as PACKAGE_DOC
from .run import run, summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="make hub-loadtest", description=(PACKAGE_DOC or "").split("\n\n")[0]
    )
    p.add_argument("-n", "--learners", type=int, default=int(os.environ.get("LEARNERS", "20")))
    p.add_argument(
        "--out", type=Path, help="write the results as JSON here (e.g. benchmarks/hub.json)"
    )
    p.add_argument(
        "--bank", default="05_procedure", help="quiz bank the learners answer (default %(default)s)"
    )
    p.add_argument("--questions", type=int, default=6, help="questions each learner answers")
    p.add_argument(
        "--kill-one", action="store_true", help="SIGKILL one learner's server mid-answer"
    )
    p.add_argument(
        "--restart-hub", action="store_true", help="restart the hub at the end; stores must survive"
    )
    p.add_argument("--hub-dir", type=Path, help="hub folder to use (default: a throw-away folder)")
    p.add_argument("--keep", action="store_true", help="keep the throw-away hub folder")
    p.add_argument(
        "--note", default="", help="free text stored with the results (e.g. machine shared)"
    )
    args = p.parse_args(argv)
    r = run(
        args.learners,
        hub_dir=args.hub_dir,
        bank=args.bank,
        questions=args.questions,
        kill_one=args.kill_one,
        restart_hub=args.restart_hub,
        keep=args.keep,
        note=args.note,
    )
    print(summary(r))
    if args.out:
        write_text_atomic(args.out, json.dumps(r, indent=1, sort_keys=True) + "\n")
        print(f"Wrote {args.out}")
    return 0 if r.get("passed") else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
