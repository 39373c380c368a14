"""만 나이, member type (어린이 below 14) and the guardian age (19+)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain import policy
from yongin_app.domain.age import date_turning, international_age, is_adult_guardian, member_type_for
from yongin_app.domain.enums import MemberType

FAST = settings(max_examples=100, deadline=None)
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 1, 1), date(1990, 1, 1), 0),  # day of birth
        (date(1990, 1, 1), date(2024, 12, 31), 34),  # 홍길동, the day before the birthday
        (date(1990, 1, 1), date(2025, 1, 1), 35),  # birthday today
        (date(2010, 5, 5), date(2024, 5, 4), 13),  # 김하나, birthday tomorrow
        (date(2010, 5, 5), date(2024, 5, 5), 14),
        (date(2020, 1, 11), date(2025, 6, 1), 5),  # 홍길순
    ],
)
def test_international_age_examples(birth: date, on: date, age: int) -> None:
    assert international_age(birth, on) == age


def test_leap_day_birthday_is_reached_on_1_march_in_non_leap_years() -> None:
    born = date(2012, 2, 29)
    assert international_age(born, date(2013, 2, 28)) == 0
    assert international_age(born, date(2013, 3, 1)) == 1
    assert international_age(born, date(2016, 2, 28)) == 3
    assert international_age(born, date(2016, 2, 29)) == 4  # leap year: the real birthday
    assert date_turning(born, 1) == date(2013, 3, 1)
    assert date_turning(born, 4) == date(2016, 2, 29)


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError):
        international_age(date(2020, 1, 11), date(2020, 1, 10))


def test_member_type_switches_on_the_14th_birthday() -> None:
    born = date(2010, 5, 5)
    assert member_type_for(born, date(2024, 5, 4)) is MemberType.CHILD
    assert member_type_for(born, date(2024, 5, 5)) is MemberType.GENERAL


def test_member_type_for_a_leap_day_child() -> None:
    born = date(2012, 2, 29)  # 14th birthday falls in 2026, not a leap year
    assert member_type_for(born, date(2026, 2, 28)) is MemberType.CHILD
    assert member_type_for(born, date(2026, 3, 1)) is MemberType.GENERAL


def test_sandbox_children_and_parents() -> None:
    on = date(2025, 6, 1)
    assert member_type_for(date(2020, 1, 11), on) is MemberType.CHILD  # C1
    assert member_type_for(date(2023, 1, 21), on) is MemberType.CHILD  # C2
    assert member_type_for(date(2010, 5, 5), on) is MemberType.GENERAL  # C3, a 14+ minor
    assert member_type_for(date(1990, 1, 1), on) is MemberType.GENERAL  # P1
    assert is_adult_guardian(date(1990, 1, 1), on)
    assert not is_adult_guardian(date(2010, 5, 5), on)


def test_guardian_must_be_19() -> None:
    born = date(2006, 6, 1)
    assert not is_adult_guardian(born, date(2025, 5, 31))
    assert is_adult_guardian(born, date(2025, 6, 1))
    assert policy.GUARDIAN_MIN_AGE == 19


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2080, 12, 31))


@FAST
@given(births, st.integers(min_value=0, max_value=40_000), st.integers(min_value=0, max_value=5_000))
def test_age_is_monotone_in_on(birth: date, offset: int, step: int) -> None:
    earlier = birth + timedelta(days=offset)
    later = earlier + timedelta(days=step)
    assert 0 <= international_age(birth, earlier) <= international_age(birth, later)


@FAST
@given(births, st.integers(min_value=0, max_value=40_000))
def test_age_grows_by_at_most_one_per_day(birth: date, offset: int) -> None:
    on = birth + timedelta(days=offset)
    assert international_age(birth, on + ONE_DAY) - international_age(birth, on) in (0, 1)


@FAST
@given(births, st.integers(min_value=1, max_value=100))
def test_date_turning_is_the_first_day_of_that_age(birth: date, years: int) -> None:
    turning = date_turning(birth, years)
    assert international_age(birth, turning) == years
    assert international_age(birth, turning - ONE_DAY) == years - 1


@FAST
@given(births)
def test_member_type_switches_exactly_on_the_14th_birthday(birth: date) -> None:
    fourteenth = date_turning(birth, policy.CHILD_AGE_LIMIT)
    assert member_type_for(birth, fourteenth - ONE_DAY) is MemberType.CHILD
    assert member_type_for(birth, fourteenth) is MemberType.GENERAL
    assert member_type_for(birth, birth) is MemberType.CHILD


@FAST
@given(births)
def test_guardian_age_switches_exactly_on_the_19th_birthday(birth: date) -> None:
    nineteenth = date_turning(birth, policy.GUARDIAN_MIN_AGE)
    assert not is_adult_guardian(birth, nineteenth - ONE_DAY)
    assert is_adult_guardian(birth, nineteenth)
