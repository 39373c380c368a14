"""parse_id: the one way a number sent by a client (member ID, audit filter, list index) becomes an int."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain.validators import ID_MAX_DIGITS, parse_id

FAST = settings(max_examples=200, deadline=None)
ASCII_DIGITS = st.text(alphabet=string.digits, min_size=1, max_size=ID_MAX_DIGITS)
# Characters Python calls digits or numbers that are not 0-9: "²", "１", "٣", "߁", "𝟗", "½", "Ⅻ"…
UNICODE_NUMBERS = st.characters(categories=("Nd", "No", "Nl")).filter(lambda c: c not in string.digits)


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 0), ("7", 7), ("007", 7), ("123456789", 123_456_789), (42, 42), (0, 0), (999_999_999, 999_999_999),
])
def test_ascii_digits_and_small_ints_are_read(value: object, expected: int) -> None:
    assert parse_id(value) == expected


@pytest.mark.parametrize("value", [
    "", "²", "１２", "١٢", "𝟗", "½", "Ⅻ", "1²", "-1", "+1", " 1", "1 ", "1\n", "\t1", "1_000", "1.0", "1e3",
    "0x1f", "99999999999999999999", "1234567890", 10**9, -1, True, False, 1.0, None, b"12", ["1"], {"1": 1},
])
def test_everything_else_is_refused(value: object) -> None:
    assert parse_id(value) is None


@FAST
@given(ASCII_DIGITS)
def test_bounded_ascii_digits_read_as_int_does(value: str) -> None:
    assert parse_id(value) == int(value)


@FAST
@given(st.text(alphabet=string.digits, min_size=ID_MAX_DIGITS + 1, max_size=400))
def test_too_many_digits_are_refused_however_many(value: str) -> None:
    assert parse_id(value) is None


@FAST
@given(st.text(alphabet=string.digits, max_size=4), UNICODE_NUMBERS, st.text(alphabet=string.digits, max_size=4))
def test_any_non_ascii_digit_is_refused(before: str, number: str, after: str) -> None:
    # str.isdigit() or isnumeric() says yes to these; parse_id must not, and must not raise.
    assert (before + number + after).isnumeric() or unicodedata.category(number) == "Nd"
    assert parse_id(before + number + after) is None


@FAST
@given(ASCII_DIGITS, st.sampled_from(["-", "+", " ", "\t", "\n", "\u00a0", "\u3000", "_", ".", ","]), st.booleans())
def test_signs_whitespace_and_separators_are_refused(digits: str, extra: str, in_front: bool) -> None:
    assert parse_id(extra + digits if in_front else digits + extra) is None


@FAST
@given(st.text(max_size=30))
def test_any_text_is_either_bounded_ascii_digits_or_refused(value: str) -> None:
    result = parse_id(value)
    if result is None:
        assert not (value and len(value) <= ID_MAX_DIGITS and all(c in string.digits for c in value))
    else:
        assert value.isascii() and value.isdigit() and result == int(value) < 10**ID_MAX_DIGITS


@FAST
@given(st.integers())
def test_ints_are_kept_in_range(value: int) -> None:
    assert parse_id(value) == (value if 0 <= value < 10**ID_MAX_DIGITS else None)


@FAST
@given(st.integers(min_value=1, max_value=18), st.text(alphabet=string.digits, min_size=1, max_size=25))
def test_the_bound_is_the_callers(max_digits: int, value: str) -> None:
    assert parse_id(value, max_digits=max_digits) == (int(value) if len(value) <= max_digits else None)
