"""The shared cited-number class (fluorohip.core.facts) and typed-number checker (fluorohip.core.inputs)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluorohip import interpretation, pharmacology, selection
from fluorohip.chapters.hip_anatomy import model as anatomy
from fluorohip.chapters.image_guidance import radiation
from fluorohip.core.bibliography import load_bibliography
from fluorohip.core.facts import Fact, citation_keys
from fluorohip.core.inputs import InputError, parse_number

FAST = settings(max_examples=200, deadline=None)


# --------------------------------------------------------------------------- Fact


def test_one_key_as_a_string_or_several_as_a_tuple():
    one = Fact(6, "mm", "Weidner2012", "30 FAI hips")
    two = Fact(74, "mm", ("ArthroscopicDepthCT2003", "Abdulai2024"), derived=True)
    assert one.keys == ("Weidner2012",) and one.key == "Weidner2012"
    assert (
        two.keys == ("ArthroscopicDepthCT2003", "Abdulai2024")
        and two.key == "ArthroscopicDepthCT2003"
    )
    assert one.cite == "[@Weidner2012]"
    assert two.cite == "[@ArthroscopicDepthCT2003][@Abdulai2024]"
    assert Fact(1, "x", ["A", "B"]).keys == ("A", "B")


def test_text_shows_the_range_or_the_value_with_its_unit():
    assert Fact(17, "mL", "K", low=14, high=20).text() == "14\u201320 mL"
    assert Fact(17, "mL", "K", low=14, high=20).text(dash="-") == "14-20 mL"
    assert Fact(28, "°", "K", low=23, high=33).text() == "23\u201333°"
    assert Fact(15, "%", "K").text() == "15%"
    assert Fact(1050, "procedures", "K").text() == "1,050 procedures"
    assert Fact(2.5, "h", "K").text() == "2.5 h"
    assert Fact(None, "INR", "K", low=2.0, high=3.0).text() == "2\u20133 INR"
    assert Fact(2.0, "mg/kg", "K", low=2.0, high=2.5).text(1) == "2.0\u20132.5 mg/kg"
    assert Fact(23.6, "mm", "K").text(1) == "23.6 mm"
    assert Fact(3, "", "K").text() == "3"


def test_range_falls_back_to_the_value():
    assert Fact(4.5, "mg/kg", "K").range == (4.5, 4.5)
    assert Fact(17, "mL", "K", low=14, high=20).range == (14, 20)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(value=1, unit="mm", keys=""), "citation key"),
        (dict(value=1, unit="mm", keys=()), "citation key"),
        (dict(value=1, unit="mm", keys=("A", "")), "citation key"),
        (dict(value=None, unit="mm", keys="A"), "give a value"),
        (dict(value=1, unit="mm", keys="A", low=2), "both low and high"),
        (dict(value=5, unit="mm", keys="A", low=3, high=2), "above high"),
        (dict(value=9, unit="mm", keys="A", low=1, high=2), "outside its range"),
        (dict(value=float("nan"), unit="mm", keys="A"), "value must be a number"),
        (dict(value="6", unit="mm", keys="A"), "value must be a number"),
        (dict(value=True, unit="mm", keys="A"), "value must be a number"),
    ],
)
def test_a_fact_that_cannot_be_right_is_refused_at_import(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Fact(**kwargs)


def test_a_range_cannot_be_passed_by_position():
    with pytest.raises(TypeError):
        Fact(0.97, "proportion", "AnaestheticMeta2014", 0.87, 0.99)  # type: ignore[misc]


def test_citation_keys_is_the_union_of_keys():
    facts = {"a": Fact(1, "mm", "A"), "b": Fact(2, "mm", ("B", "A"))}
    assert citation_keys(facts) == {"A", "B"}
    assert citation_keys({}) == set()


def test_every_chapter_uses_the_one_fact_class_and_its_keys_resolve():
    bib = set(load_bibliography())
    tables = [
        anatomy.FACTS,
        radiation.FACTS,
        radiation.EFFECTIVE_DOSE_COMPARATORS,
        selection.FACTS,
        interpretation.FACTS,
        pharmacology.FACTS,
        pharmacology.STEROID_EQUIVALENT_MG,
    ]
    for table in tables:
        assert all(type(f) is Fact for f in table.values())
        assert citation_keys(table) <= bib
    for module in (anatomy, radiation, selection, interpretation, pharmacology):
        assert module.Fact is Fact


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "value, expected",
    [
        ("70", 70.0),
        (" 72.5 ", 72.5),
        (70, 70.0),
        (72.5, 72.5),
        ("1,5", 1.5),
        (" 0,25 ", 0.25),
        ("0,500", 0.5),
        ("-3", -3.0),
        ("1e1", 10.0),
        (Fraction(1, 2), 0.5),
        ("30", 30.0),
        ("300", 300.0),
    ],
)
def test_accepts_numbers_and_numeric_text(value, expected):
    assert parse_number(value, "x", -10, 300) == expected


def test_decimal_comma_can_be_switched_off():
    with pytest.raises(InputError, match="x must be a number between 0 and 10; got '1,5'"):
        parse_number("1,5", "x", 0, 10, decimal_comma=False)


@pytest.mark.parametrize(
    "bad, words",
    [
        ("abc", "got 'abc'"),
        ("", "is empty"),
        ("   ", "is empty"),
        (None, "got None"),
        (True, "got True"),
        ("nan", "NaN"),
        (float("nan"), "NaN"),
        ("inf", "too large"),
        ("-inf", "too large"),
        ("1e309", "too large"),
        (10**400, "too large"),
        (-4, "got -4"),
        ("301", "got 301"),
        ([70], "got list"),
        ("1,000", "ambiguous (1000 or 1?)"),
        ("12,500", "ambiguous"),
        ("1,2,3", "got '1,2,3'"),
        ("1.000,5", "got '1.000,5'"),
    ],
)
def test_refusals_say_what_was_wrong(bad, words):
    with pytest.raises(InputError) as info:
        parse_number(bad, "weight_kg", 30, 300, "kg")
    msg = str(info.value)
    assert words in msg
    assert msg.startswith("weight_kg") and "between 30 and 300 kg" in msg


@pytest.mark.parametrize(
    "unit, shown",
    [
        ("kg", "between 0 and 5 kg"),
        (" m", "between 0 and 5 m"),
        ("%", "between 0 and 5%"),
        ("×", "between 0 and 5×"),
        ("", "between 0 and 5;"),
    ],
)
def test_unit_follows_the_range(unit, shown):
    with pytest.raises(InputError, match=shown):
        parse_number(9, "x", 0, 5, unit)


def test_input_error_is_a_value_error_and_the_chapters_share_it():
    assert issubclass(InputError, ValueError)
    assert pharmacology.InputError is InputError and radiation.InputError is InputError
    assert pharmacology.parse_number is parse_number and radiation.parse_number is parse_number


_ANYTHING = st.one_of(
    st.text(max_size=16),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.fractions(),
    st.lists(st.integers(), max_size=2),
)


@FAST
@given(value=_ANYTHING, low=st.floats(-1e6, 1e6), span=st.floats(0, 1e6), comma=st.booleans())
def test_any_input_gives_a_number_in_range_or_an_input_error_naming_field_and_range(
    value, low, span, comma
):
    high = low + span
    try:
        x = parse_number(value, "the_field", low, high, "mL", decimal_comma=comma)
    except InputError as exc:
        msg = str(exc)
        assert msg.startswith("the_field")
        assert f"between {low:g} and {high:g} mL" in msg
    else:
        assert isinstance(x, float) and not math.isnan(x) and low <= x <= high


@FAST
@given(st.floats(0, 1000, allow_nan=False))
def test_a_number_written_out_reads_back_exactly(x):
    assert parse_number(repr(x), "x", 0, 1000) == x
    assert parse_number(f" {x!r} ", "x", 0, 1000) == x


@FAST
@given(st.integers(0, 999), st.integers(0, 99))
def test_decimal_comma_reads_as_a_decimal_point(whole, frac):
    text = f"{whole},{frac:02d}"
    assert parse_number(text, "x", 0, 1000) == float(f"{whole}.{frac:02d}")


# ------------------------------------------------- one number policy for chapters and the quiz

_NUMBER_LIKE = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A\s?[+\-\u2212]?[0-9]{0,5}([.,][0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\s?\Z"),
    st.from_regex(r"\A[1-9][0-9]{0,2}(,[0-9]{3})+\Z"),
    st.sampled_from(["nan", "-inf", "Infinity", "∞", "1e309", "7,5", "1,500", "0,500", "1_000"]),
    st.floats().map(repr),
)


@FAST
@given(_NUMBER_LIKE)
def test_the_quiz_and_the_chapters_agree_on_what_is_a_number(text):
    """Both adapters of the one parser: a text is a number for one exactly when it is for the
    other, and then the same number."""
    from fluorohip.quiz.numeric import parse_number as read_answer

    reading = read_answer(text)
    try:
        chapter = parse_number(text, "x", -math.inf, math.inf)
    except InputError:
        chapter = None
    assert (reading.value is None) == (chapter is None), (text, reading, chapter)
    if chapter is not None:
        assert reading.value == chapter and math.isfinite(chapter)


@pytest.mark.parametrize(
    "text, value",
    [("7,5", 7.5), ("0,500", 0.5), ("−2", -2.0), ("７", 7.0), ("1234,5", 1234.5), ("5.", 5.0)],
)
def test_the_policy_accepts_an_unambiguous_decimal_comma_everywhere(text, value):
    from fluorohip.quiz.numeric import parse_number as read_answer

    assert parse_number(text, "volume_ml", -10, 10_000, "mL") == value
    assert read_answer(text, "mL").value == value


@pytest.mark.parametrize(
    "text, words",
    [
        ("1,500", "ambiguous (1500 or 1.5?)"),
        ("1_000", "got '1_000'"),
        ("1.000,5", "got '1.000,5'"),
        ("7.5 mL", "got '7.5 mL'"),
        ("Infinity", "too large"),
        ("x" * 200, "got 'xxxx"),
    ],
)
def test_the_policy_refuses_ambiguous_or_odd_text_naming_the_field(text, words):
    from fluorohip.quiz.numeric import parse_number as read_answer

    with pytest.raises(InputError) as info:
        parse_number(text, "volume_ml", 0, 10_000, "mL")
    assert str(info.value).startswith("volume_ml") and words in str(info.value)
    assert not read_answer(text).ok
