"""Parsing what a learner types into a numeric box: hints, never exceptions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip.quiz.numeric import format_number, parse_number, within_tolerance


@pytest.mark.parametrize(
    "text, words",
    [
        ("abc", "not a number"),
        ("", "Type a number first"),
        ("   ", "Type a number first"),
        ("1,500", "could be 1500 or 1.5"),
        ("12,500 mL", "could be 12500 or 12.5"),
        ("1.000,5", "is not a number"),
        ("1_000", "is not a number"),
        ("1e309", "too large"),
        ("-1e309", "too large"),
        ("NaN", "ordinary number"),
        ("nan", "ordinary number"),
        ("inf", "ordinary number"),
        ("-Infinity", "ordinary number"),
        ("7.5 kg", "The answer is in mL"),
        ("7..5", "is not a number"),
        ("1,2,3", "is not a number"),
        ("x" * 500, "too long"),
    ],
)
def test_bad_input_gives_a_hint(text, words):
    reading = parse_number(text, "mL", ["ml"])
    assert not reading.ok and reading.value is None
    assert words in reading.hint


@pytest.mark.parametrize(
    "text, value",
    [
        ("7.5", 7.5),
        (" 7.5 ", 7.5),
        ("+3", 3.0),
        ("-2", -2.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("7.5 mL", 7.5),
        ("7.5mL", 7.5),
        ("7.5 ML", 7.5),
        ("7.5 ml", 7.5),
        ("\u22122", -2.0),
        ("７", 7.0),
        ("7,5", 7.5),
        ("7,5 mL", 7.5),
        ("0,500", 0.5),
        ("1234,5", 1234.5),
    ],
)
def test_good_input(text, value):
    reading = parse_number(text, "mL", ["ml"])
    assert reading.ok and reading.value == value


def test_unit_not_allowed_for_a_plain_number():
    assert "without" in parse_number("3 mL", "").hint
    assert parse_number("3", "").value == 3


def test_non_text_input():
    assert not parse_number(None).ok and not parse_number(3.5).ok


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["", "mL", "%", "mg"]))
def test_any_text_gives_a_value_or_a_hint(text, unit):
    reading = parse_number(text, unit, ["cc"])
    assert (reading.value is None) != (reading.hint is None)
    if reading.ok:
        assert math.isfinite(reading.value)
    else:
        assert reading.hint.strip()


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_reads_back_exactly(x):
    assert parse_number(repr(x)).value == x
    assert parse_number(format_number(x)).value == x


@given(st.floats(-1e6, 1e6), st.floats(0, 1e3))
def test_tolerance_is_symmetric_and_inclusive(target, tol):
    assert within_tolerance(target, target, tol)
    assert within_tolerance(target + tol, target, tol)
    assert within_tolerance(target - tol, target, tol)
    assert not within_tolerance(target + tol + 1 + abs(target) * 1e-6, target, tol)


def test_binary_rounding_is_forgiven():
    assert within_tolerance(0.1 + 0.2, 0.3, 0)
