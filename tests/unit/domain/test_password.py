"""비밀번호 rule (decisions.md) and the shipped common-password list."""

from __future__ import annotations

import string
from datetime import date
from importlib import resources

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yongin_app.domain import messages, policy
from yongin_app.domain.validators import load_common_passwords, password_violations, validate_password

FAST = settings(max_examples=80, deadline=None)

# Sandbox person P1.
HONG = {"login_id": "hongildong", "birth_date": date(1990, 1, 1), "phone": "010-1234-5678"}
NO_CONTEXT: dict = {"login_id": None, "birth_date": None, "phone": None}


def violations(password: str, **context: object) -> list[str]:
    return password_violations(password, **{**HONG, **context})  # type: ignore[arg-type]


# ---------------------------------------------------------------- composition and length


@pytest.mark.parametrize(
    "password",
    [
        "Xq7#mPz2",  # 3 kinds, 8 chars
        "xqmpzkwv72",  # 2 kinds (letters + digits), 10 chars
        "xqmpz!kw#v",  # 2 kinds (letters + special), 10 chars
        "7294!#8361",  # 2 kinds (digits + special), 10 chars
        "Tr0ub4dor&3x",
        "correct horse battery",  # the space counts as a special character
        "비밀번호abc123",  # non-ASCII counts as special: letters + digits + special, 11 chars
        "x1０٣!abc",  # full-width and Arabic-Indic digits are "special", not digits
    ],
)
def test_valid_passwords(password: str) -> None:
    assert violations(password) == []
    assert validate_password(password, **HONG) is None


def test_three_kinds_boundary_is_8() -> None:
    assert violations("Xq7#mPz2") == []
    assert violations("Xq7#mPz") == [messages.PASSWORD_COMPOSITION]


def test_two_kinds_boundary_is_10() -> None:
    assert violations("xqmpzkwv72") == []
    assert violations("xqmpzkw72") == [messages.PASSWORD_COMPOSITION]  # 9 chars


def test_upper_and_lower_case_are_one_kind() -> None:
    assert violations("XqMpZkWvTrLs") == [messages.PASSWORD_COMPOSITION]  # letters only, 12 chars
    assert violations("XqMpZkW7") == [messages.PASSWORD_COMPOSITION]  # 2 kinds, only 8 chars


@pytest.mark.parametrize("password", ["qxmvzkwjtrplsn", "73920184657391", "!@#$%^&*()_+=-"])
def test_a_single_kind_is_refused_whatever_the_length(password: str) -> None:
    assert messages.PASSWORD_COMPOSITION in violations(password)


def test_max_length_64_accepted_65_refused() -> None:
    base = "Xq7#mPz2"
    assert violations(base * 8) == []  # 64
    assert violations(base * 8 + "k") == [messages.PASSWORD_TOO_LONG]  # 65


def test_password_is_not_stripped() -> None:
    # Stripped, "Xq7mPz2 " would be 7 chars of 2 kinds; as typed it is 8 chars of 3 kinds.
    assert violations("Xq7mPz2 ") == []
    assert violations(" Xq7mPz2") == []


def test_empty_and_whitespace_only() -> None:
    assert violations("") == [messages.PASSWORD_REQUIRED]
    assert violations(" " * 12) == [messages.PASSWORD_BLANK]
    assert violations("\u3000" * 12) == [messages.PASSWORD_BLANK]


@pytest.mark.parametrize("bad", ["\n", "\t", "\x00", "\x7f", "\u200b", "\ufeff", "\u2028", "\ud800"])
def test_control_and_invisible_characters_are_refused(bad: str) -> None:
    assert violations(f"Xq7#{bad}mPz2") == [messages.PASSWORD_INVALID_CHARS]


# ---------------------------------------------------------------- context words


@pytest.mark.parametrize("password", ["hongildong!2x", "HongIldong!2x", "xx!HONGILDONG9", "hong-ildong!2x"])
def test_password_containing_the_login_id_is_refused(password: str) -> None:
    assert messages.PASSWORD_CONTAINS_LOGIN_ID in violations(password)


def test_short_or_missing_login_id_is_not_compared() -> None:
    assert violations("abcXq7#mPz2", login_id="abc") == []
    assert violations("hongildong!2x", login_id=None) == []
    assert violations("hongildong!2x", login_id="") == []


@pytest.mark.parametrize("password", ["xq19900101!", "xq900101!ab", "xq1990-01-01", "Xq1990.01.01", "90/01/01xq!"])
def test_password_containing_the_birth_date_is_refused(password: str) -> None:
    assert violations(password) == [messages.PASSWORD_CONTAINS_BIRTH_DATE]


def test_birth_date_of_someone_else_is_fine() -> None:
    assert violations("xq19900101!", birth_date=date(1985, 3, 15)) == []
    assert violations("xq19900101!", birth_date=None) == []


@pytest.mark.parametrize(
    "password",
    ["xq01012345678!", "xq!12345678a", "Xq!1234-5678z", "Xq!010-1234-5678", "Xq 1234 5678"],
)
def test_password_containing_the_phone_is_refused(password: str) -> None:
    assert violations(password) == [messages.PASSWORD_CONTAINS_PHONE]


def test_phone_with_three_digit_middle_part() -> None:
    # 011-123-4567: middle + last is 7 digits "1234567".
    assert violations("Xq!1234567z", phone="011-123-4567") == [messages.PASSWORD_CONTAINS_PHONE]
    assert violations("Xq!1234567z", phone=None) == []


def test_several_violations_are_all_reported_in_order() -> None:
    result = violations("hongildong")
    assert result == [messages.PASSWORD_COMPOSITION, messages.PASSWORD_CONTAINS_LOGIN_ID]
    assert validate_password("hongildong", **HONG) == messages.PASSWORD_COMPOSITION


# ---------------------------------------------------------------- common passwords


@pytest.mark.parametrize(
    "password", ["p@ssw0rd", "P@ssW0rd", "password123", "PASSWORD123", "qwerty123456", "1q2w3e4r5t"]
)
def test_common_passwords_are_refused_case_insensitively(password: str) -> None:
    assert violations(password, **NO_CONTEXT) == [messages.PASSWORD_COMMON]


def test_common_password_list_is_large_lower_cased_and_cached() -> None:
    common = load_common_passwords()
    assert len(common) >= 10_000
    assert all(word == word.lower() and word.strip() == word and word for word in common)
    assert not any(word.startswith("#") for word in common)
    assert {"123456", "password", "qwerty", "iloveyou"} <= common
    assert load_common_passwords() is common


def test_common_password_file_has_a_source_header_and_no_duplicates() -> None:
    text = resources.files("yongin_app.domain").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#")
    header = " ".join(line for line in lines if line.startswith("#"))
    assert "zxcvbn" in header and "MIT" in header
    entries = [line for line in lines if not line.startswith("#")]
    assert len(entries) == len(set(entries)) >= 10_000


# ---------------------------------------------------------------- properties

LETTERS = string.ascii_letters
DIGITS = string.digits
SPECIALS = string.punctuation + " "


@st.composite
def three_kind_passwords(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=policy.PASSWORD_MIN_LENGTH_THREE_KINDS, max_value=policy.PASSWORD_MAX_LENGTH))
    required = [draw(st.sampled_from(LETTERS)), draw(st.sampled_from(DIGITS)), draw(st.sampled_from(SPECIALS))]
    rest = draw(st.lists(st.sampled_from(LETTERS + DIGITS + SPECIALS), min_size=length - 3, max_size=length - 3))
    return "".join(draw(st.permutations(required + rest)))


def _free_of_context(password: str) -> bool:
    folded = password.lower()
    compact = "".join(c for c in folded if c not in "-./ ")
    tokens = ("hongildong", "19900101", "900101", "01012345678", "12345678")
    return not any(t in folded or t in compact for t in tokens) and folded not in load_common_passwords()


@FAST
@given(three_kind_passwords())
def test_three_kind_passwords_of_8_to_64_without_context_are_accepted(password: str) -> None:
    assume(password.strip() != "")
    assume(_free_of_context(password))
    assert violations(password) == []


@FAST
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(LETTERS + DIGITS),
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
        ),
        min_size=policy.PASSWORD_MIN_LENGTH_TWO_KINDS,
        max_size=policy.PASSWORD_MAX_LENGTH,
    )
)
def test_any_printable_password_with_two_kinds_and_10_chars_is_accepted(password: str) -> None:
    kinds = (
        any(c in LETTERS for c in password)
        + any(c in DIGITS for c in password)
        + any(c not in LETTERS and c not in DIGITS for c in password)
    )
    assume(kinds >= 2 and not password.isspace() and _free_of_context(password))
    assert violations(password) == []


@FAST
@given(three_kind_passwords(), st.integers(min_value=1, max_value=40))
def test_passwords_over_64_are_refused(password: str, extra: int) -> None:
    too_long = (password * 9)[: policy.PASSWORD_MAX_LENGTH + extra]
    assert messages.PASSWORD_TOO_LONG in violations(too_long, **NO_CONTEXT)


@FAST
@given(st.text(alphabet=LETTERS, min_size=1, max_size=64))
def test_letters_only_is_always_refused(password: str) -> None:
    assert messages.PASSWORD_COMPOSITION in violations(password, **NO_CONTEXT)


@FAST
@given(three_kind_passwords(), st.sampled_from(["hongildong", "HongIldong", "19900101", "900101", "01012345678"]))
def test_inserting_a_context_word_always_makes_a_valid_password_invalid(password: str, word: str) -> None:
    mutated = (password[:10] + word + password[10:])[: policy.PASSWORD_MAX_LENGTH]
    assume(word in mutated)
    assert violations(mutated) != []
