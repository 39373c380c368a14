"""만 나이 (international age) and the member type and guardian rules that depend on it.

A 29 February birthday is reached on 1 March in non-leap years. Our reading of 민법
§158 (the day of birth counts) and §160③ (a period whose last month has no matching day
ends on that month's last day): the year ends with 28 February, so the new age starts on
1 March. On 28 February the person is still the old age.
"""

from __future__ import annotations

from datetime import date

from yongin_app.domain import policy
from yongin_app.domain.enums import MemberType


def international_age(birth_date: date, on: date) -> int:
    """만 나이 on `on`: completed years since `birth_date` (0 on the day of birth).

    Raises ValueError when `on` is before `birth_date` (a data error, not an age).
    """
    if on < birth_date:
        raise ValueError("the date is before the birth date")
    # Tuple comparison: (2, 28) < (2, 29), so a 29 Feb birthday is reached on 1 Mar.
    not_yet = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(not_yet)


def date_turning(birth_date: date, years: int) -> date:
    """The first day on which the 만 나이 is `years` (29 Feb -> 1 Mar in non-leap years)."""
    year = birth_date.year + years
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a non-leap year
        return date(year, 3, 1)


def member_type_for(birth_date: date, on: date) -> MemberType:
    """어린이 below policy.CHILD_AGE_LIMIT, otherwise 일반 (so 일반 from the 14th birthday)."""
    if international_age(birth_date, on) < policy.CHILD_AGE_LIMIT:
        return MemberType.CHILD
    return MemberType.GENERAL


def is_adult_guardian(birth_date: date, on: date) -> bool:
    """A 법정대리인 must be at least policy.GUARDIAN_MIN_AGE (19) on `on`."""
    return international_age(birth_date, on) >= policy.GUARDIAN_MIN_AGE
