"""주민등록번호 back part: format, century and sex digit, no checksum, never echoed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain import messages
from yongin_app.domain.enums import Sex
from yongin_app.domain.rrn import is_foreign_registration, rrn_front, validate_rrn_back

FAST = settings(max_examples=100, deadline=None)
M, F = Sex.MALE, Sex.FEMALE

# sandbox.md registry: (key, birth date, sex, back part, foreign).
SANDBOX = [
    ("P1", date(1990, 1, 1), M, "1234567", False),
    ("P2", date(1985, 3, 15), F, "2345678", False),
    ("P3", date(1988, 7, 7), M, "1456789", False),
    ("P4", date(1992, 2, 2), F, "2567890", False),
    ("P5", date(1980, 4, 4), M, "1678901", False),
    ("P6", date(1970, 6, 6), F, "2789012", False),
    ("P7", date(1995, 5, 5), M, "5890123", True),
    ("P8", date(1999, 9, 9), M, "1999999", False),
    ("C1", date(2020, 1, 11), F, "4123456", False),
    ("C2", date(2023, 1, 21), M, "3234567", False),
    ("C3", date(2010, 5, 5), F, "4345678", False),
    ("C4", date(2016, 8, 20), F, "4456789", False),
    ("C5", date(2021, 12, 1), M, "3567890", False),
]


@pytest.mark.parametrize(("key", "birth", "sex", "back", "foreign"), SANDBOX)
def test_sandbox_people_are_valid(key: str, birth: date, sex: Sex, back: str, foreign: bool) -> None:
    assert validate_rrn_back(back, birth, sex) is None
    assert validate_rrn_back(back, birth) is None
    assert is_foreign_registration(back) is foreign


@pytest.mark.parametrize(
    ("back", "birth", "sex"),
    [
        ("1234567", date(1990, 1, 1), M),
        ("2234567", date(1990, 1, 1), F),
        ("3234567", date(2020, 1, 1), M),
        ("4234567", date(2020, 1, 1), F),
        ("5234567", date(1995, 5, 5), M),  # foreign, 1900s
        ("6234567", date(1995, 5, 5), F),
        ("7234567", date(2005, 5, 5), M),  # foreign, 2000s
        ("8234567", date(2005, 5, 5), F),
        ("9234567", date(1899, 12, 31), M),  # 1800s
        ("0234567", date(1899, 12, 31), F),
    ],
)
def test_first_digit_by_century_and_sex(back: str, birth: date, sex: Sex) -> None:
    assert validate_rrn_back(back, birth, sex) is None


@pytest.mark.parametrize(
    ("back", "birth"),
    [
        ("3234567", date(1990, 1, 1)),  # 2000s digit for a 1990 birth
        ("7234567", date(1999, 12, 31)),
        ("1234567", date(2020, 1, 11)),  # 1900s digit for a 2020 birth
        ("5234567", date(2000, 1, 1)),
        ("9234567", date(1900, 1, 1)),
        ("1234567", date(1899, 12, 31)),
        ("3234567", date(2100, 1, 1)),  # no digit is defined for the 2100s
    ],
)
def test_century_mismatch(back: str, birth: date) -> None:
    assert validate_rrn_back(back, birth) == messages.RRN_BACK_CENTURY


@pytest.mark.parametrize(
    ("back", "birth", "sex"),
    [
        ("2234567", date(1990, 1, 1), M),
        ("1234567", date(1990, 1, 1), F),
        ("3123456", date(2020, 1, 11), F),  # 홍길순 is female: 4, not 3
        ("6890123", date(1995, 5, 5), M),
        ("0234567", date(1880, 1, 1), M),  # 0 is a female of the 1800s
        ("9234567", date(1880, 1, 1), F),
    ],
)
def test_sex_mismatch(back: str, birth: date, sex: Sex) -> None:
    assert validate_rrn_back(back, birth, sex) == messages.RRN_BACK_SEX


@pytest.mark.parametrize(
    "back",
    ["", "123456", "12345678", "123456a", "１234567", "123 4567", "123-4567", " 1234567", "1234567\n", "٤١٢٣٤٥٦"],
)
def test_format(back: str) -> None:
    assert validate_rrn_back(back, date(1990, 1, 1), M) == messages.RRN_BACK_FORMAT
    assert not is_foreign_registration(back)


def test_is_foreign_registration() -> None:
    assert is_foreign_registration("5890123")
    assert is_foreign_registration("8000000")
    assert not is_foreign_registration("1234567")
    assert not is_foreign_registration("4123456")
    assert not is_foreign_registration("9234567")
    assert not is_foreign_registration("5")
    assert not is_foreign_registration("58901234")


@pytest.mark.parametrize(
    ("birth", "front"),
    [
        (date(1990, 1, 1), "900101"),
        (date(2020, 1, 11), "200111"),
        (date(2005, 5, 5), "050505"),
        (date(2000, 12, 31), "001231"),
        (date(1899, 12, 31), "991231"),
    ],
)
def test_rrn_front(birth: date, front: str) -> None:
    assert rrn_front(birth) == front


@st.composite
def matching_backs(draw: st.DrawFn) -> tuple[str, date, Sex]:
    birth = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31)))
    first_digits = {18: "90", 19: "1256", 20: "3478"}[birth.year // 100]
    first = draw(st.sampled_from(first_digits))
    rest = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    sex = Sex.MALE if int(first) % 2 else Sex.FEMALE
    return first + rest, birth, sex


@FAST
@given(matching_backs())
def test_no_checksum_any_six_digits_after_a_matching_first_digit_pass(case: tuple[str, date, Sex]) -> None:
    back, birth, sex = case
    assert validate_rrn_back(back, birth, sex) is None
    assert validate_rrn_back(back, birth) is None


@FAST
@given(
    st.one_of(st.from_regex(r"[0-9]{7}", fullmatch=True), st.text(max_size=12)),
    st.dates(),
    st.sampled_from([None, Sex.MALE, Sex.FEMALE]),
)
def test_never_raises_and_never_echoes_the_number(back: str, birth: date, sex: Sex | None) -> None:
    result = validate_rrn_back(back, birth, sex)
    assert result is None or result in {
        messages.RRN_BACK_FORMAT,
        messages.RRN_BACK_CENTURY,
        messages.RRN_BACK_SEX,
    }
    if result is not None:
        # Fixed texts with no digit run (only "7자리"), so no part of the number can leak.
        assert re.search(r"[0-9]{2,}", result) is None
        # A single digit may coincide with the fixed "7자리"; two or more never can (checked above).
        assert len(back) < 2 or back not in result
