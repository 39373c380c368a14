"""Sandbox 행정안전부 비대면 자격확인: every outcome, and no resident number kept."""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import date

import pytest

from yongin_app.domain.enums import Nationality
from yongin_app.ports.eligibility import (
    EligibilityAnswer,
    EligibilityChecker,
    EligibilityFailure,
    EligibilityFailureReason,
    NotConfiguredEligibilityChecker,
)
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.sandbox.eligibility import SandboxEligibilityChecker
from yongin_app.ports.sandbox.registry import load_registry

NO_MATCH = EligibilityFailure(EligibilityFailureReason.NO_MATCH)
FOREIGN = EligibilityFailure(EligibilityFailureReason.FOREIGN_REGISTRATION)
UNAVAILABLE = EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)


@pytest.fixture
def checker() -> SandboxEligibilityChecker:
    return SandboxEligibilityChecker(outage_delay_seconds=0)


def test_implements_the_protocol(checker: SandboxEligibilityChecker) -> None:
    assert isinstance(checker, EligibilityChecker)
    assert isinstance(NotConfiguredEligibilityChecker(), EligibilityChecker)


@pytest.mark.parametrize(
    ("name", "front", "back", "expected"),
    [
        ("홍길동", "900101", "1234567",
         EligibilityAnswer("경기도", "용인시 수지구", Nationality.DOMESTIC, (date(2020, 1, 11), date(2023, 1, 21)))),
        ("김용인", "850315", "2345678",
         EligibilityAnswer("경기도", "용인시 기흥구", Nationality.DOMESTIC,
                           (date(2010, 5, 5), date(2016, 8, 20), date(2021, 12, 1)))),
        ("이수원", "880707", "1456789",
         EligibilityAnswer("경기도", "수원시 팔달구", Nationality.DOMESTIC, (date(2015, 2, 2), date(2018, 3, 3)))),
        ("박서울", "920202", "2567890", EligibilityAnswer("서울특별시", "강남구", Nationality.DOMESTIC, ())),
        ("최한솔", "800404", "1678901",
         EligibilityAnswer("경기도", "용인시 처인구", Nationality.DOMESTIC, (date(2014, 4, 4),))),
        ("정다온", "700606", "2789012",
         EligibilityAnswer("경기도", "용인시 수지구", Nationality.DOMESTIC, (date(2000, 1, 1), date(2005, 5, 5)))),
        ("존스미스", "950505", "5890123", FOREIGN),
        ("오류시험", "990909", "1999999", UNAVAILABLE),
        ("홍길순", "200111", "4123456", EligibilityAnswer("경기도", "용인시 수지구", Nationality.DOMESTIC, ())),
        ("김세찬", "211201", "3567890", EligibilityAnswer("경기도", "용인시 기흥구", Nationality.DOMESTIC, ())),
    ],
    ids=["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "C1", "C5"],
)
def test_outcome_per_person(
    checker: SandboxEligibilityChecker, name: str, front: str, back: str, expected: object
) -> None:
    assert checker.check(name, front, back) == expected


def test_every_registry_person_gets_an_answer_with_their_own_number(checker: SandboxEligibilityChecker) -> None:
    for person in load_registry().people:
        result = checker.check(person.name, person.rrn_front, person.rrn_back)
        if person.key == "P7":
            assert result == FOREIGN
        elif person.key == "P8":
            assert result == UNAVAILABLE
        else:
            assert isinstance(result, EligibilityAnswer)
            assert (result.sido, result.sigungu) == (person.sido, person.sigungu)
            assert result.children_birth_dates == tuple(c.birth_date for c in person.children)


@pytest.mark.parametrize(
    ("name", "front", "back"),
    [
        ("홍길동", "900101", "1234568"),  # wrong back
        ("홍길동", "900102", "1234567"),  # wrong front
        ("김용인", "900101", "1234567"),  # someone else's number
        ("아무개", "900101", "1234567"),  # unknown name
        ("홍길동", "900101", "123456"),  # too short
        ("홍길동", "900101", "12345678"),  # too long
        ("홍길동", "900101", "123456a"),  # not digits
        ("홍길동", "900101", "１２３４５６７"),  # full-width digits
        ("홍길동", "90010", "1234567"),  # short front
        ("존스미스", "950505", "5890124"),  # foreign-looking but no match
        ("홍길동", "900101", "5234567"),  # foreign first digit, no match
        ("", "", ""),
    ],
)
def test_no_match(checker: SandboxEligibilityChecker, name: str, front: str, back: str) -> None:
    assert checker.check(name, front, back) == NO_MATCH


def test_outage_waits_the_configured_delay() -> None:
    slow = SandboxEligibilityChecker(outage_delay_seconds=0.05)
    started = time.monotonic()
    assert slow.check("오류시험", "990909", "1999999") == UNAVAILABLE
    assert time.monotonic() - started >= 0.05
    # Nobody else is slowed down.
    started = time.monotonic()
    assert isinstance(slow.check("홍길동", "900101", "1234567"), EligibilityAnswer)
    assert time.monotonic() - started < 0.05


def test_results_hold_no_resident_number(
    checker: SandboxEligibilityChecker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cases = [
        ("홍길동", "900101", "1234567"),
        ("존스미스", "950505", "5890123"),
        ("오류시험", "990909", "1999999"),
        ("홍길동", "900101", "7654321"),
    ]
    for name, front, back in cases:
        result = checker.check(name, front, back)
        text = repr(result) + str(result) + repr(dataclasses.asdict(result))
        assert back not in text
        assert front + back not in text and f"{front}-{back}" not in text
        assert back not in repr(vars(checker))
        field_names = {f.name for f in dataclasses.fields(result)}
        assert not field_names & {"rrn", "rrn_front", "rrn_back", "resident_number"}
    assert all(back not in record.getMessage() for record in caplog.records for _, _, back in cases)


def test_not_configured_raises_without_the_number() -> None:
    with pytest.raises(ServiceNotConfigured) as caught:
        NotConfiguredEligibilityChecker().check("홍길동", "900101", "1234567")
    assert "1234567" not in str(caught.value) and "900101" not in str(caught.value)
    assert "not configured" in str(caught.value)
