"""The bank JSON Schema (``assets/schema/question-bank.schema.json``) and its messages.

The schema file is the single statement of the bank format: editors point VS Code
(yaml-language-server) at it for completion, and :func:`schema_errors` checks banks with
``jsonschema`` (Draft 2020-12). Raw jsonschema messages are written for programmers; we
reword the common ones for instructors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.paths import assets_dir
from ..core.schemas import Draft202012Validator, ValidationError

SCHEMA_RELATIVE = Path("schema") / "question-bank.schema.json"


def schema_path() -> Path:
    return assets_dir() / SCHEMA_RELATIVE


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(schema_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@dataclass(frozen=True)
class SchemaIssue:
    path: tuple[Any, ...]  # where to point: a field (possibly not present) in the data
    message: str


_PATTERN_HINTS = {
    "id": "must be a stable slug of lower-case letters, digits and hyphens, e.g. anat-capsule-attachment",
    "objective": 'must look like "01.2" (notebook number, dot, objective number) and be quoted',
    "bank": "must be the notebook file name without .ipynb, e.g. 01_hip_anatomy",
    "figure": "must be a path relative to assets/ ending in .png, .jpg, .jpeg, .svg or .gif, e.g. figures/ap_hip.png",
}

_FIELD_PURPOSE = {
    "explanation": "every question needs an explanation shown after it is answered",
    "feedback": "every choice needs feedback saying why it is right or wrong",
    "alt": "a figure needs alt text describing it for learners who cannot see it",
    "citations": "list the bibliography keys of the sources (an empty list [] only for questions about the course itself)",
    "objective": "name the learning objective this question tests",
    "difficulty": "give easy, medium or hard",
}


def _describe_type(instance: Any) -> str:
    if instance is None:
        return "nothing (empty)"
    if isinstance(instance, bool):
        return f"yes/no value {instance!r}"
    if isinstance(instance, (int, float)):
        return f"number {instance!r}"
    if isinstance(instance, str):
        return f"text {instance!r}"
    if isinstance(instance, list):
        return "a list"
    if isinstance(instance, dict):
        return "a mapping"
    return type(instance).__name__


_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def reworded_issues(error: ValidationError) -> Iterator[SchemaIssue]:
    path = tuple(error.absolute_path)
    name = path[-1] if path and isinstance(path[-1], str) else None
    kind = error.validator
    if error.schema is False:
        if name == "reveal":
            yield SchemaIssue(path, "reveal is only allowed inside a case's stages")
        else:
            yield SchemaIssue(path, "field not allowed here")
    elif kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed), key=str):
            yield SchemaIssue(
                path + (extra,), f"unknown field {extra!r}; allowed here: {', '.join(allowed)}"
            )
    elif kind == "required":
        for missing in error.validator_value:
            if isinstance(error.instance, dict) and missing not in error.instance:
                why = _FIELD_PURPOSE.get(missing)
                yield SchemaIssue(
                    path + (missing,), f"required field is missing{': ' + why if why else ''}"
                )
    elif kind == "dependentRequired":
        for trigger, needs in error.validator_value.items():
            if isinstance(error.instance, dict) and trigger in error.instance:
                for missing in needs:
                    if missing not in error.instance:
                        yield SchemaIssue(
                            path + (missing,),
                            f"required when {trigger} is given: {_FIELD_PURPOSE.get(missing, '')}".rstrip(
                                ": "
                            ),
                        )
    elif kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        yield SchemaIssue(path, f"must be one of: {choices}; got {_describe_type(error.instance)}")
    elif kind == "const":
        yield SchemaIssue(path, f"must be {error.validator_value!r}")
    elif kind == "type":
        value = error.validator_value
        wanted = " or ".join(
            _TYPE_WORDS.get(str(w), str(w)) for w in (value if isinstance(value, list) else [value])
        )
        hint = ""
        if wanted == "text" and isinstance(error.instance, (bool, int, float)):
            hint = ' (put it in quotes, e.g. "1" or "yes")'
        yield SchemaIssue(path, f"must be {wanted}; got {_describe_type(error.instance)}{hint}")
    elif kind == "pattern":
        hint = _PATTERN_HINTS.get(str(name), f"must match {error.validator_value}")
        yield SchemaIssue(path, f"{hint}; got {error.instance!r}")
    elif kind in ("minItems",):
        yield SchemaIssue(path, f"needs at least {error.validator_value} entries")
    elif kind == "minLength":
        yield SchemaIssue(path, "must not be empty")
    elif kind == "minimum":
        yield SchemaIssue(path, f"must be at least {error.validator_value}; got {error.instance!r}")
    elif kind == "uniqueItems":
        yield SchemaIssue(path, "lists the same entry twice")
    elif kind == "oneOf" and name == "version":
        yield SchemaIssue(
            path,
            'must be a whole number (1, 2, ...) or a version in quotes like "1.2.0"; '
            f"got {_describe_type(error.instance)}",
        )
    else:
        yield SchemaIssue(path, error.message)


def schema_errors(data: Any) -> list[SchemaIssue]:
    """Every schema violation in ``data``, reworded, in document order."""
    issues: list[SchemaIssue] = []
    seen: set[tuple] = set()
    for error in validator().iter_errors(data):
        for issue in reworded_issues(error):
            key = (issue.path, issue.message)
            if key not in seen:
                seen.add(key)
                issues.append(issue)
    return issues
