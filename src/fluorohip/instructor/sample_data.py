"""Generate the bundled synthetic class: ``assets/instructor/sample_exports/``.

    python -m fluorohip.instructor.sample_data --out assets/instructor/sample_exports

Twelve invented residents answer the course's real question banks and the stages of the
integrated cases (bank ``07_cases``); each has a seeded
"ability", each question's chance of a right first answer follows its ``difficulty``, and a
wrong answer usually picks the first distractor, so the report has something to show.
Responses are graded by the quiz engine itself, so ``correct`` always agrees with the key.
Also written, to show how the report copes: the same export handed in twice (CSV and JSON),
an empty file and a malformed one. The pre-test (``00_pretest``) is answered with a lower
and the post-test (``07_posttest``) with a higher chance of success, as after the course.
Everything is seeded: running it again gives identical files.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from ..cases.bank import cases_bank
from ..progress.export import attempts_to_csv, attempts_to_json
from ..progress.store import Attempt
from ..quiz.grading import correct_response, grade
from ..quiz.loader import available_banks, load_bank
from ..quiz.model import Bank, Question
from ..quiz.types import type_of

SEED = 20250312
N_LEARNERS = 12
DIFFICULTY_OFFSET = {"easy": 1.2, "medium": 0.2, "hard": -0.8, None: 0.2}
# The pre-test is taken before the chapters, the post-test after them (see the README convention).
PRE_POST_BOOST = {"00_pretest": -0.9, "07_posttest": 0.9}


def _wrong_response(q: Question, rng: np.random.Generator) -> object:
    # Each question type knows its learners' typical slip (by option id, never bank position).
    return type_of(q).typical_wrong_response(q, rng)


def _learner_attempts(
    name: str, ability: float, banks: list[Bank], rng: np.random.Generator, day: int
) -> list[Attempt]:
    attempts: list[Attempt] = []
    minute = 0

    def record(bank: Bank, part: Question, answer: object, correct: bool, second: int) -> None:
        hour, mm = divmod(minute, 60)
        attempts.append(
            Attempt(
                timestamp=f"2025-03-{day:02d}T{8 + hour:02d}:{mm:02d}:{second:02d}.000000+00:00",
                bank=bank.bank,
                bank_version=bank.version,
                question_id=part.key,
                answer=answer,
                correct=correct,
                learner=name,
                objective=bank.objective_of(part.key),
                attempt_id=f"{name}-{len(attempts):04d}",
            )
        )

    for bank in banks:
        boost = PRE_POST_BOOST.get(bank.bank)
        # Some residents skip a chapter's quiz, never the tests.
        if boost is None and rng.random() < 0.12:
            continue
        for q in bank.questions:
            parts = q.parts()
            for part in parts:
                level = DIFFICULTY_OFFSET.get(part.difficulty or q.difficulty, 0.2) + (boost or 0.0)
                p = 1 / (1 + math.exp(-(ability + level)))
                response = (
                    correct_response(part) if rng.random() < p else _wrong_response(part, rng)
                )
                g = grade(part, response)
                record(bank, part, g.answer, g.correct, 0)
                if not g.correct and rng.random() < 0.7:  # a retry after the feedback (not counted)
                    record(bank, part, grade(part, correct_response(part)).answer, True, 30)
                minute += 1
    return attempts


def _json(attempts: list[Attempt]) -> str:
    """The JSON export with a fixed export time, so the bundled files do not change run to run."""
    doc = json.loads(attempts_to_json(attempts))
    doc["exported_at"] = "2025-03-12T17:00:00.000000+00:00"
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def generate(out: Path) -> list[str]:
    """Write the sample set into ``out``; returns the file names written."""
    rng = np.random.default_rng(SEED)
    banks = [load_bank(s) for s in available_banks()] + [cases_bank()]  # the integrated cases too
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.suffix in (".csv", ".json"):
            old.unlink()
    written = []
    for k in range(1, N_LEARNERS + 1):
        name = f"resident{k:02d}"
        ability = float(rng.normal(0.3, 0.9))
        attempts = _learner_attempts(name, ability, banks, rng, 11)
        attempts.sort(key=lambda a: (a.timestamp, a.attempt_id))
        fmt = "csv" if k % 3 == 0 else "json"
        text = attempts_to_csv(attempts) if fmt == "csv" else _json(attempts)
        (out / f"{name}.{fmt}").write_text(text, encoding="utf-8")
        written.append(f"{name}.{fmt}")
        if k == 3:  # resident03 handed in the same answers twice, once as JSON as well
            (out / "resident03_again.json").write_text(_json(attempts), encoding="utf-8")
            written.append("resident03_again.json")
    (out / "resident13.csv").write_text("", encoding="utf-8")
    (out / "resident14.json").write_text(
        '{"format": "fluorohip-progress-export", "version": 1, "attempts": [\n'
        '{"bank": "01_hip_anatomy", "question_id": "x"',
        encoding="utf-8",
    )
    return written + ["resident13.csv", "resident14.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fluorohip.instructor.sample_data", description=__doc__
    )
    parser.add_argument("--out", default="assets/instructor/sample_exports")
    args = parser.parse_args(argv)
    names = generate(Path(args.out))
    print(f"wrote {len(names)} files to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
