"""다자녀가정: eligibility, expiry (31 Dec of the year the youngest turns 18), loan limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain import messages, policy
from yongin_app.domain.age import date_turning, international_age
from yongin_app.domain.multichild import loan_limit, multichild_expiry, multichild_refusal

FAST = settings(max_examples=100, deadline=None)
ON = date(2025, 6, 1)
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("youngest", "expiry"),
    [
        (date(2023, 1, 21), date(2041, 12, 31)),  # C2, youngest of P1
        (date(2021, 12, 1), date(2039, 12, 31)),  # C5, youngest of P2
        (date(2012, 2, 29), date(2030, 12, 31)),
        (date(2007, 12, 31), date(2025, 12, 31)),  # turns 18 on the expiry day itself
        (date(2007, 1, 1), date(2025, 12, 31)),
    ],
)
def test_expiry(youngest: date, expiry: date) -> None:
    assert multichild_expiry(youngest) == expiry


# sandbox.md registry: (key, 시·도, 시·군·구, children, expected refusal on 2025-06-01).
SANDBOX = [
    ("P1", "경기도", "용인시 수지구", [date(2020, 1, 11), date(2023, 1, 21)], None),
    ("P2", "경기도", "용인시 기흥구", [date(2010, 5, 5), date(2016, 8, 20), date(2021, 12, 1)], None),
    ("P3", "경기도", "수원시 팔달구", [date(2015, 2, 2), date(2018, 3, 3)], messages.MULTICHILD_NOT_YONGIN),
    ("P4", "서울특별시", "강남구", [], messages.MULTICHILD_NOT_YONGIN),
    ("P5", "경기도", "용인시 처인구", [date(2014, 4, 4)], messages.MULTICHILD_TOO_FEW_CHILDREN),
    ("P6", "경기도", "용인시 수지구", [date(2000, 1, 1), date(2005, 5, 5)], messages.MULTICHILD_YOUNGEST_TOO_OLD),
    ("P8", "경기도", "용인시 처인구", [], messages.MULTICHILD_TOO_FEW_CHILDREN),
]


@pytest.mark.parametrize(("key", "sido", "sigungu", "children", "expected"), SANDBOX)
def test_sandbox_people(key: str, sido: str, sigungu: str, children: list[date], expected: str | None) -> None:
    assert multichild_refusal(sigungu, sido, children, ON) == expected


@pytest.mark.parametrize("sigungu", ["용인시", "용인시 수지구", "용인시처인구", " 용인시 기흥구 "])
def test_yongin_sigungu_forms(sigungu: str) -> None:
    assert multichild_refusal(sigungu, "경기도", [date(2020, 1, 11), date(2023, 1, 21)], ON) is None


@pytest.mark.parametrize(
    ("sido", "sigungu"), [("서울특별시", "용인시"), ("경기도", "수원시"), ("경기도", "처인구 용인시"), ("", "")]
)
def test_not_yongin(sido: str, sigungu: str) -> None:
    assert multichild_refusal(sigungu, sido, [date(2020, 1, 11), date(2023, 1, 21)], ON) == messages.MULTICHILD_NOT_YONGIN


def test_residence_is_checked_before_the_children() -> None:
    assert multichild_refusal("수원시 팔달구", "경기도", [], ON) == messages.MULTICHILD_NOT_YONGIN


def test_children_order_does_not_matter() -> None:
    assert multichild_refusal("용인시 수지구", "경기도", [date(2023, 1, 21), date(2000, 1, 1)], ON) is None


def test_youngest_age_boundary() -> None:
    # Turns 18 this year: 만 18세 and the benefit runs to 31 Dec of this year.
    assert multichild_refusal("용인시", "경기도", [date(2000, 1, 1), date(2007, 3, 1)], ON) is None
    # Turns 19 today: over 18.
    assert (
        multichild_refusal("용인시", "경기도", [date(2000, 1, 1), date(2006, 6, 1)], ON)
        == messages.MULTICHILD_YOUNGEST_TOO_OLD
    )


def test_youngest_still_18_but_benefit_already_ended() -> None:
    # Born 2006-06-01: 만 18세 on 2025-05-31, but the expiry was 2024-12-31.
    youngest = date(2006, 6, 1)
    on = date(2025, 5, 31)
    assert international_age(youngest, on) == 18
    assert multichild_refusal("용인시", "경기도", [date(2000, 1, 1), youngest], on) == messages.MULTICHILD_BENEFIT_ENDED


def test_child_born_after_the_application_day_is_a_data_error() -> None:
    with pytest.raises(ValueError):
        multichild_refusal("용인시", "경기도", [date(2020, 1, 1), date(2026, 1, 1)], ON)


def test_loan_limit() -> None:
    expiry = date(2041, 12, 31)
    assert loan_limit(None, ON) == policy.DEFAULT_LOAN_LIMIT == 7
    assert loan_limit(expiry, ON) == policy.MULTICHILD_LOAN_LIMIT == 10
    assert loan_limit(expiry, expiry) == 10  # the expiry day itself still counts
    assert loan_limit(expiry, expiry + ONE_DAY) == 7


births = st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31))


@FAST
@given(births)
def test_expiry_is_31_december_and_not_before_the_18th_birthday(youngest: date) -> None:
    expiry = multichild_expiry(youngest)
    assert (expiry.month, expiry.day) == (12, 31)
    assert expiry.year == youngest.year + policy.MULTICHILD_YOUNGEST_MAX_AGE
    assert expiry >= date_turning(youngest, policy.MULTICHILD_YOUNGEST_MAX_AGE)


@FAST
@given(st.lists(births, min_size=2, max_size=4), st.integers(min_value=0, max_value=30 * 366))
def test_an_accepted_application_always_gets_the_higher_limit(children: list[date], days_after: int) -> None:
    on = max(children) + timedelta(days=days_after)
    refusal = multichild_refusal("용인시 기흥구", "경기도", children, on)
    expiry = multichild_expiry(max(children))
    if refusal is None:
        assert loan_limit(expiry, on) == policy.MULTICHILD_LOAN_LIMIT
        assert international_age(max(children), on) <= policy.MULTICHILD_YOUNGEST_MAX_AGE
    else:
        assert refusal in {messages.MULTICHILD_YOUNGEST_TOO_OLD, messages.MULTICHILD_BENEFIT_ENDED}
        assert loan_limit(expiry, on) == policy.DEFAULT_LOAN_LIMIT


@FAST
@given(births, st.integers(min_value=-400, max_value=400))
def test_loan_limit_is_10_exactly_until_expiry(expiry: date, offset: int) -> None:
    on = expiry + timedelta(days=offset)
    assert loan_limit(expiry, on) == (10 if offset <= 0 else 7)
    assert loan_limit(None, on) == 7
