"""One malformed bank per validation rule: the exact file:line, question id and field."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from conftest import KEYS, VALID_BANK, line_of
from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.paths import assets_dir, quizzes_dir
from fluorohip.core.problems import Problem
from fluorohip.quiz import BankError, load_bank, validate_bank_file, validate_banks


def check(write_bank, assets, text: str) -> list[Problem]:
    path = write_bank(text)
    return validate_bank_file(path, KEYS, assets)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def mutate(old: str, new: str, count: int = 1) -> str:
    assert old in VALID_BANK, old
    return VALID_BANK.replace(old, new, count)


def test_valid_bank_has_no_problems(write_bank, assets):
    assert check(write_bank, assets, VALID_BANK) == []


def test_schema_file_is_valid_draft_2020_12():
    schema = json.loads((assets_dir() / "schema" / "question-bank.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")


def test_every_bank_in_the_course_validates():
    keys = set(load_bibliography())
    paths = sorted(quizzes_dir().glob("*.yaml"))
    assert any(p.stem == "00_start_here" for p in paths)
    assert validate_banks(paths, keys, assets_dir()) == []


def test_bad_yaml_reports_the_line(write_bank, assets):
    text = mutate("title: Demo bank", "title: Demo: bank")
    p = only(check(write_bank, assets, text))
    assert p.line == 2 and "not valid YAML" in p.message and "quoted" in p.message
    assert str(p) == f"assets/quizzes/01_demo.yaml:2: -: -: {p.message}" or str(p).endswith(
        p.message
    )


def test_problem_string_is_file_line_id_field_message(write_bank, assets):
    text = mutate("    answer: a\n    explanation: Alpha", "    answer: z\n    explanation: Alpha")
    p = only(check(write_bank, assets, text))
    assert str(p).endswith(
        f"01_demo.yaml:{line_of(text, 'answer: z')}: demo-single: answer: {p.message}"
    )


def test_unknown_field(write_bank, assets):
    text = mutate("    difficulty: medium\n", "    difficulty: medium\n    dificulty: hard\n")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "dificulty"),
        "demo-multiple",
        "dificulty",
    )
    assert "unknown field 'dificulty'" in p.message and "difficulty" in p.message


def test_unknown_top_level_field(write_bank, assets):
    text = mutate("version: 2\n", "version: 2\nauthor: me\n")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (4, "01_demo", "author")


def test_duplicate_id_within_bank(write_bank, assets):
    text = mutate("  - id: demo-multiple", "  - id: demo-single")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "- id: demo-single", 2),
        "demo-single",
        "id",
    )
    assert (
        "duplicate question id" in p.message
        and f"line {line_of(text, '- id: demo-single')}" in p.message
    )


def test_duplicate_id_across_banks(write_bank, assets):
    first = write_bank(VALID_BANK, "01_demo.yaml")
    second = write_bank(
        VALID_BANK.replace("bank: 01_demo", "bank: 02_other").replace(
            "demo-multiple", "other-multiple"
        ),
        "02_other.yaml",
    )
    problems = validate_banks([first, second], KEYS, assets)
    assert {(p.file.split("/")[-1], p.item_id) for p in problems} == {
        ("02_other.yaml", q)
        for q in ("demo-single", "demo-numeric", "demo-ordering", "demo-label", "demo-case")
    }
    p = next(p for p in problems if p.item_id == "demo-single")
    assert p.line == line_of(VALID_BANK, "- id: demo-single") and p.field == "id"
    assert "01_demo.yaml:10" in p.message


def test_duplicate_yaml_key(write_bank, assets):
    text = mutate("    stem: How many mL?\n", "    stem: How many mL?\n    stem: Again?\n")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "stem: Again?"), "demo-numeric", "stem")
    assert "appears twice" in p.message


def test_answer_names_no_option_single(write_bank, assets):
    text = mutate("    answer: a\n    explanation: Alpha", "    answer: z\n    explanation: Alpha")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "answer: z"), "demo-single", "answer")
    assert "'z' names no option" in p.message


def test_answer_names_no_option_multiple(write_bank, assets):
    text = mutate("answer: [a, c]", "answer: [a, q]")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "answer: [a, q]"),
        "demo-multiple",
        "answer",
    )
    assert "'q' names no option" in p.message


def test_ordering_answer_must_list_every_item_once(write_bank, assets):
    text = mutate("answer: [first, second, third]", "answer: [first, first, third]")
    problems = check(write_bank, assets, text)
    assert {p.field for p in problems} == {"answer"}
    assert all(p.line == line_of(text, "answer: [first, first") for p in problems)
    assert any("more than once" in p.message for p in problems)
    assert any("missing: second" in p.message for p in problems)


def test_label_answer_names_no_structure(write_bank, assets):
    text = mutate("answer: {A: head, B: neck}", "answer: {A: head, B: knee}")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "B: knee"), "demo-label", "answer.B")
    assert "'knee'" in p.message


def test_label_answer_misses_a_marker(write_bank, assets):
    text = mutate("answer: {A: head, B: neck}", "answer: {A: head}")
    p = only(check(write_bank, assets, text))
    assert (p.item_id, p.field) == ("demo-label", "answer") and "marker B" in p.message


def test_missing_explanation(write_bank, assets):
    text = mutate("    explanation: About 7.5 mL.\n", "")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "- id: demo-numeric"),
        "demo-numeric",
        "explanation",
    )
    assert "required field is missing" in p.message


def test_missing_feedback_for_an_option(write_bank, assets):
    text = mutate("        feedback: Beta is wrong because it is second.\n", "")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "- id: b"),
        "demo-single",
        "options[1].feedback",
    )
    assert "feedback" in p.message


def test_blank_feedback(write_bank, assets):
    text = mutate(
        "{id: b, text: Two, feedback: Two is wrong.}", "{id: b, text: Two, feedback: ' '}"
    )
    p = only(check(write_bank, assets, text))
    assert (p.item_id, p.field) == ("demo-multiple", "options[1].feedback") and "blank" in p.message


def test_unknown_citation_key_in_list(write_bank, assets):
    text = mutate("    citations: [Hoeber2016]", "    citations: [Hoeber2016, Nobody2099]")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "Nobody2099"), "demo-single", "citations")
    assert "'Nobody2099'" in p.message


def test_unknown_citation_marker_in_text(write_bank, assets):
    text = mutate(
        "explanation: Alpha, as the source says [@Weidner2012].",
        "explanation: Alpha, as the source says [@Weidner2099].",
    )
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "Weidner2099"),
        "demo-single",
        "explanation",
    )
    assert "[@Weidner2099]" in p.message


def test_citation_marker_in_block_text_points_at_its_line(write_bank, assets):
    text = mutate(
        "    stem: How many mL?\n", "    stem: |\n      How many mL?\n      See [@Ghost1].\n"
    )
    p = only(check(write_bank, assets, text))
    assert (p.line, p.field) == (line_of(text, "[@Ghost1]"), "stem")


def test_citation_marker_in_option_feedback(write_bank, assets):
    text = mutate("Beta is wrong because it is second.", "Beta is wrong [@Ghost2].")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "Ghost2"),
        "demo-single",
        "options[1].feedback",
    )


def test_figure_that_does_not_exist(write_bank, assets):
    text = mutate("figure: figures/demo.png", "figure: figures/missing.png")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "missing.png"), "demo-label", "figure")
    assert "assets/figures/missing.png" in p.message


def test_figure_outside_assets_is_refused(write_bank, assets):
    text = mutate("figure: figures/demo.png", "figure: figures/../../secret.png")
    p = only(check(write_bank, assets, text))
    assert (p.item_id, p.field) == ("demo-label", "figure") and "inside assets" in p.message


def test_figure_needs_alt_text(write_bank, assets):
    text = mutate("    alt: A picture with letters A and B.\n", "")
    p = only(check(write_bank, assets, text))
    assert (p.item_id, p.field) == ("demo-label", "alt")


def test_objective_not_declared(write_bank, assets):
    text = mutate('    objective: "01.2"', '    objective: "01.9"')
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, '"01.9"'), "demo-numeric", "objective")
    assert "not declared" in p.message


def test_unquoted_objective_gets_a_hint(write_bank, assets):
    text = mutate('    objective: "01.2"', "    objective: 01.2")
    p = only(check(write_bank, assets, text))
    assert (p.item_id, p.field) == ("demo-numeric", "objective") and "quotes" in p.message


def test_unknown_type(write_bank, assets):
    text = mutate("    type: ordering", "    type: order")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (line_of(text, "type: order"), "demo-ordering", "type")
    assert "must be one of" in p.message


def test_bank_must_match_file_name(write_bank, assets):
    text = mutate("bank: 01_demo", "bank: 01_other")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.field) == (1, "bank")


def test_bad_version(write_bank, assets):
    text = mutate("version: 2", "version: 1.5")
    p = only(check(write_bank, assets, text))
    assert (p.line, p.field) == (3, "version") and "1.2.0" in p.message


def test_reveal_outside_a_case(write_bank, assets):
    text = mutate(
        "    explanation: One and three.\n",
        "    explanation: One and three.\n    reveal: Surprise.\n",
    )
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "reveal: Surprise"),
        "demo-multiple",
        "reveal",
    )


def test_case_stage_problems_name_the_case_and_stage_path(write_bank, assets):
    text = mutate(
        "        answer: a\n        explanation: Go.", "        answer: c\n        explanation: Go."
    )
    p = only(check(write_bank, assets, text))
    assert (p.line, p.item_id, p.field) == (
        line_of(text, "answer: c"),
        "demo-case",
        "stages[0].answer",
    )


def test_case_stage_cannot_be_a_case(write_bank, assets):
    text = mutate("      - id: two\n        type: numeric", "      - id: two\n        type: case")
    problems = check(write_bank, assets, text)
    assert any(p.field == "stages[1].type" and p.item_id == "demo-case" for p in problems)


def test_not_a_mapping(write_bank, assets):
    p = only(check(write_bank, assets, "- just\n- a list\n"))
    assert p.line == 1 and "mapping" in p.message


def test_missing_file_and_non_utf8(assets, tmp_path):
    assert "not found" in only(validate_bank_file(tmp_path / "nope.yaml", KEYS, assets)).message
    bad = tmp_path / "01_bad.yaml"
    bad.write_bytes(b"title: \xff\xfe\n")
    assert "UTF-8" in only(validate_bank_file(bad, KEYS, assets)).message


def test_load_bank_refuses_an_invalid_bank(write_bank, assets):
    path = write_bank(mutate("answer: [a, c]", "answer: [a, q]"))
    with pytest.raises(BankError) as info:
        load_bank(path, known_citation_keys=KEYS, assets_root=assets)
    assert len(info.value.problems) == 1 and "names no option" in str(info.value)


def test_model_from_valid_bank(demo_bank):
    assert demo_bank.version == 2 and len(demo_bank.questions) == 6
    assert list(demo_bank.gradable())[-2:] == ["demo-case/one", "demo-case/two"]
    assert demo_bank.objective_of("demo-case/two") == "01.1"
    assert demo_bank.question("demo-numeric").answer.accept_units == ("ml", "cc")
    with pytest.raises(KeyError):
        demo_bank.select(["nope"])


def test_readme_example_is_yaml_with_known_fields():
    """The annotated example in the editors' README uses only fields the schema knows."""
    import re

    import yaml

    readme = (quizzes_dir() / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A complete annotated example\n\n```yaml\n(.*?)```", readme, re.S).group(
        1
    )
    data = yaml.safe_load(block)
    schema = json.loads((assets_dir() / "schema" / "question-bank.schema.json").read_text())
    assert set(data) == set(schema["properties"])
    allowed = set()
    for name in ("single", "multiple", "numeric", "ordering", "label", "case"):
        allowed |= set(schema["$defs"][name]["properties"])
    for q in data["questions"]:
        assert set(q) <= allowed, set(q) - allowed
