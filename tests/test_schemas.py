"""The jsonschema wrapper keeps the heavy optional IRI grammar out of every kernel."""

import subprocess
import sys


def test_importing_the_quiz_schema_does_not_build_the_iri_grammar():
    code = "import sys, fluorohip.quiz.schema; print(sys.modules.get('rfc3987_syntax') is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_schema_validation_still_reports_errors():
    from fluorohip.core.schemas import Draft202012Validator

    errors = list(Draft202012Validator({"type": "object", "required": ["id"]}).iter_errors({}))
    assert errors and "'id' is a required property" in errors[0].message
