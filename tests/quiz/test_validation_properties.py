"""Property tests: validation never raises, and every problem names a real line."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import KEYS, VALID_BANK
from fluorohip.core.problems import Problem
from fluorohip.quiz import validate_bank_file

LINES = VALID_BANK.splitlines(keepends=True)
JUNK = st.sampled_from(
    [
        "",
        "  ",
        ":",
        "- ",
        "[",
        "{",
        "]",
        "'",
        '"',
        "\t",
        "!!python/object:os.system x",
        "&a",
        "*a",
        "<<: *a",
        "#",
        "answer: z",
        "type: case",
        "id: demo-single",
        "? x",
        "%YAML 1.1",
    ]
)


def _assert_sane(problems, n_lines):
    for p in problems:
        assert isinstance(p, Problem) and p.message
        assert p.line is None or 1 <= p.line <= max(1, n_lines + 1)
        str(p)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(LINES) - 1),
            JUNK,
            st.sampled_from(["replace", "insert", "delete", "append"]),
        ),
        max_size=4,
    )
)
def test_mutated_banks_give_problems_not_exceptions(write_bank, assets, edits):
    lines = list(LINES)
    for index, junk, how in edits:
        index = min(index, len(lines) - 1) if lines else 0
        if not lines:
            lines = [junk + "\n"]
        elif how == "replace":
            lines[index] = junk + "\n"
        elif how == "insert":
            lines.insert(index, junk + "\n")
        elif how == "delete":
            del lines[index]
        else:
            lines[index] = lines[index].rstrip("\n") + " " + junk + "\n"
    text = "".join(lines)
    problems = validate_bank_file(write_bank(text), KEYS, assets)
    _assert_sane(problems, len(lines))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "id",
                        "type",
                        "stem",
                        "answer",
                        "options",
                        "questions",
                        "objectives",
                        "bank",
                        "version",
                        "citations",
                        "stages",
                        "figure",
                        "markers",
                        "items",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_yaml_structure_gives_problems_not_exceptions(write_bank, assets, data):
    text = yaml.safe_dump(data, allow_unicode=True)
    problems = validate_bank_file(write_bank(text), KEYS, assets)
    _assert_sane(problems, text.count("\n"))
    assert problems  # nothing random is a valid bank


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_text_gives_problems_not_exceptions(write_bank, assets, text):
    _assert_sane(validate_bank_file(write_bank(text), KEYS, assets), text.count("\n") + 1)


def test_options_that_are_not_a_list_are_a_problem_not_a_crash(tmp_path):
    """Found by hypothesis: `options: true` used to raise TypeError inside the validator."""
    from fluorohip.quiz import validate_bank_file

    assets = tmp_path / "assets"
    (assets / "quizzes").mkdir(parents=True)
    bank = assets / "quizzes" / "99_x.yaml"
    bank.write_text(
        "bank: 99_x\ntitle: X\nversion: 1\nobjectives: []\nquestions:\n  - id: q\n    type: single\n    options: true\n"
    )
    problems = validate_bank_file(bank, set(), assets)
    assert problems and any("options" in (p.field or "") for p in problems)
