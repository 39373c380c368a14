"""아이디 rule: 4–20 of a-z/0-9 with a letter, no upper case, not reserved."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain import messages, policy
from yongin_app.domain.validators import validate_login_id

FAST = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize("login_id", ["hongildong", "kilsoon", "abcd", "a" * 20, "hong1990", "1234a", "a123", "z9z9"])
def test_valid_ids(login_id: str) -> None:
    assert validate_login_id(login_id) is None


@pytest.mark.parametrize(
    ("login_id", "expected"),
    [
        ("", messages.LOGIN_ID_REQUIRED),
        ("abc", messages.LOGIN_ID_LENGTH),  # 3 chars
        ("a" * 21, messages.LOGIN_ID_LENGTH),  # 21 chars
        ("Kildong", messages.LOGIN_ID_UPPERCASE),  # the manual's own example has a capital
        ("HONGILDONG", messages.LOGIN_ID_UPPERCASE),
        ("홍길동", messages.LOGIN_ID_INVALID_CHARS),
        ("hong gildong", messages.LOGIN_ID_INVALID_CHARS),
        ("hongildong ", messages.LOGIN_ID_INVALID_CHARS),  # trailing space is not trimmed
        ("hong\u200bgil", messages.LOGIN_ID_INVALID_CHARS),  # zero-width space
        ("hong１２３", messages.LOGIN_ID_INVALID_CHARS),  # full-width digits
        ("ｈｏｎｇ", messages.LOGIN_ID_INVALID_CHARS),  # full-width letters
        ("hong_gil", messages.LOGIN_ID_INVALID_CHARS),
        ("hong-gil", messages.LOGIN_ID_INVALID_CHARS),
        ("hong.gil", messages.LOGIN_ID_INVALID_CHARS),
        ("hongé", messages.LOGIN_ID_INVALID_CHARS),
        ("12345678", messages.LOGIN_ID_NEEDS_LETTER),
        ("1234", messages.LOGIN_ID_NEEDS_LETTER),
    ],
)
def test_refused_ids(login_id: str, expected: str) -> None:
    assert validate_login_id(login_id) == expected


def test_length_boundaries() -> None:
    assert validate_login_id("abc") == messages.LOGIN_ID_LENGTH
    assert validate_login_id("abcd") is None
    assert validate_login_id("abcdefghij0123456789") is None  # 20
    assert validate_login_id("abcdefghij0123456789k") == messages.LOGIN_ID_LENGTH  # 21


@pytest.mark.parametrize("reserved", sorted(policy.RESERVED_LOGIN_IDS))
def test_every_reserved_word_is_refused(reserved: str) -> None:
    assert validate_login_id(reserved) == messages.LOGIN_ID_RESERVED


@pytest.mark.parametrize("login_id", ["admin1", "admin2024", "root0", "staff99", "library1", "test123"])
def test_reserved_word_followed_by_digits_is_refused(login_id: str) -> None:
    assert validate_login_id(login_id) == messages.LOGIN_ID_RESERVED


@pytest.mark.parametrize("login_id", ["adminhong", "myadmin", "1admin", "rooted", "testa1", "librarycard"])
def test_ids_that_merely_contain_a_reserved_word_are_allowed(login_id: str) -> None:
    assert validate_login_id(login_id) is None


def test_upper_case_reserved_word_gets_the_upper_case_message() -> None:
    # Upper case is the first thing to fix; lowering silently would hide the real ID.
    assert validate_login_id("Admin") == messages.LOGIN_ID_UPPERCASE


def _is_valid_shape(login_id: str) -> bool:
    return any(c in string.ascii_lowercase for c in login_id) and (
        login_id.rstrip(string.digits) not in policy.RESERVED_LOGIN_IDS
    )


valid_ids = st.from_regex(r"[a-z0-9]{4,20}", fullmatch=True).filter(_is_valid_shape)

bad_chars = st.one_of(
    st.characters(min_codepoint=ord("A"), max_codepoint=ord("Z")),  # upper case
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x3131, max_codepoint=0x318E),  # Hangul jamo (IME half-typed)
    st.sampled_from([" ", "\u3000", "\u200b", "\ufeff", "\t"]),  # spaces, zero-width
    st.characters(min_codepoint=0xFF10, max_codepoint=0xFF19),  # full-width digits
    st.characters(min_codepoint=0xFF41, max_codepoint=0xFF5A),  # full-width letters
    st.sampled_from(list("!@#$%^&*()_-+=.,")),
)


@FAST
@given(valid_ids)
def test_generated_valid_ids_are_accepted(login_id: str) -> None:
    assert validate_login_id(login_id) is None


@FAST
@given(valid_ids, bad_chars, st.integers(min_value=0, max_value=20))
def test_any_id_with_a_bad_character_is_refused(login_id: str, bad: str, position: int) -> None:
    position = min(position, len(login_id))
    mutated = login_id[:position] + bad + login_id[position:]
    message = validate_login_id(mutated)
    assert message is not None
    if bad in string.ascii_uppercase:
        assert message == messages.LOGIN_ID_UPPERCASE
    else:
        assert message == messages.LOGIN_ID_INVALID_CHARS


@FAST
@given(st.from_regex(r"[a-z0-9]{4,20}", fullmatch=True).filter(_is_valid_shape))
def test_upper_casing_a_valid_id_with_letters_is_refused_not_lowered(login_id: str) -> None:
    assert validate_login_id(login_id.upper()) == messages.LOGIN_ID_UPPERCASE


@FAST
@given(st.text(max_size=30))
def test_result_is_none_or_a_known_message(text: str) -> None:
    known = {
        messages.LOGIN_ID_REQUIRED,
        messages.LOGIN_ID_UPPERCASE,
        messages.LOGIN_ID_INVALID_CHARS,
        messages.LOGIN_ID_LENGTH,
        messages.LOGIN_ID_NEEDS_LETTER,
        messages.LOGIN_ID_RESERVED,
    }
    result = validate_login_id(text)
    assert result is None or result in known
    if result is None:
        assert 4 <= len(text) <= 20 and set(text) <= set(string.ascii_lowercase + string.digits)
