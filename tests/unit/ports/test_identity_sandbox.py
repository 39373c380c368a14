"""Sandbox identity verification (휴대폰 / 아이핀 / 카드)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date

import pytest

from yongin_app.domain.enums import Nationality, Sex, VerificationMethod
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.identity import (
    MAX_CODE_ATTEMPTS,
    CodeSent,
    FailureReason,
    IdentityVerifier,
    NotConfiguredIdentityVerifier,
    VerificationFailure,
    VerifiedIdentity,
)
from yongin_app.ports.sandbox.identity import SANDBOX_CODE, SandboxIdentityVerifier, sandbox_ci, sandbox_di
from yongin_app.ports.sandbox.registry import load_registry

PHONE, IPIN, CARD = VerificationMethod.PHONE, VerificationMethod.IPIN, VerificationMethod.CARD


@pytest.fixture
def verifier() -> SandboxIdentityVerifier:
    return SandboxIdentityVerifier()


def test_implements_the_protocol(verifier: SandboxIdentityVerifier) -> None:
    assert isinstance(verifier, IdentityVerifier)
    assert isinstance(NotConfiguredIdentityVerifier(), IdentityVerifier)
    assert MAX_CODE_ATTEMPTS == 3


@pytest.mark.parametrize("method", [PHONE, IPIN, CARD])
def test_happy_path_for_every_method(verifier: SandboxIdentityVerifier, method: VerificationMethod) -> None:
    sent = verifier.send_code(method, "홍길동", date(1990, 1, 1), "010-1234-5678")
    assert isinstance(sent, CodeSent)
    assert sent.sandbox_code_shown == "123456" == SANDBOX_CODE
    assert sent.transaction_id
    result = verifier.confirm(method, "홍길동", date(1990, 1, 1), "010-1234-5678", "123456")
    assert isinstance(result, VerifiedIdentity)
    assert (result.name, result.birth_date, result.sex, result.nationality, result.method) == (
        "홍길동", date(1990, 1, 1), Sex.MALE, Nationality.DOMESTIC, method,
    )
    # The phone is returned only where it was used.
    assert result.phone == ("010-1234-5678" if method is PHONE else None)


@pytest.mark.parametrize("method", [IPIN, CARD])
def test_ipin_and_card_ignore_the_phone(verifier: SandboxIdentityVerifier, method: VerificationMethod) -> None:
    # C1 has no phone but can use 아이핀/카드.
    assert isinstance(verifier.send_code(method, "홍길순", date(2020, 1, 11), None), CodeSent)
    result = verifier.confirm(method, "홍길순", date(2020, 1, 11), None, "123456")
    assert isinstance(result, VerifiedIdentity)
    assert result.sex is Sex.FEMALE and result.phone is None


def test_phone_may_be_typed_without_hyphens(verifier: SandboxIdentityVerifier) -> None:
    result = verifier.confirm(PHONE, "김하나", date(2010, 5, 5), "01022224444", "123456")
    assert isinstance(result, VerifiedIdentity)
    assert result.phone == "010-2222-4444"


def test_foreign_person_reports_foreign_nationality(verifier: SandboxIdentityVerifier) -> None:
    result = verifier.confirm(CARD, "존스미스", date(1995, 5, 5), None, "123456")
    assert isinstance(result, VerifiedIdentity)
    assert result.nationality is Nationality.FOREIGN


@pytest.mark.parametrize(
    ("method", "name", "birth", "phone"),
    [
        (PHONE, "홍길동", date(1990, 1, 1), "010-1234-5679"),  # phone mismatch
        (PHONE, "홍길동", date(1990, 1, 1), None),  # phone missing
        (PHONE, "김용인", date(1985, 3, 15), "010-1234-5678"),  # someone else's phone
        (PHONE, "홍길순", date(2020, 1, 11), ""),  # no phone in the registry
        (PHONE, "홍길순", date(2020, 1, 11), "010-1234-5678"),  # ... not even the parent's
        (IPIN, "홍길동", date(1990, 1, 2), None),  # wrong birth date
        (CARD, "홍길순", date(1990, 1, 1), None),  # wrong name
        (IPIN, "아무개", date(2000, 1, 1), None),  # not in the registry
    ],
)
def test_not_found(
    verifier: SandboxIdentityVerifier, method: VerificationMethod, name: str, birth: date, phone: str | None
) -> None:
    assert verifier.send_code(method, name, birth, phone) == VerificationFailure(FailureReason.NOT_FOUND)
    # Even with the right code, confirm refuses.
    assert verifier.confirm(method, name, birth, phone, "123456") == VerificationFailure(FailureReason.NOT_FOUND)


@pytest.mark.parametrize("code", ["000000", "12345", "1234567", "", "１２３４５６"])
def test_wrong_code(verifier: SandboxIdentityVerifier, code: str) -> None:
    result = verifier.confirm(IPIN, "홍길동", date(1990, 1, 1), None, code)
    assert result == VerificationFailure(FailureReason.WRONG_CODE)


def test_code_with_surrounding_spaces_is_accepted(verifier: SandboxIdentityVerifier) -> None:
    assert isinstance(verifier.confirm(IPIN, "홍길동", date(1990, 1, 1), None, " 123456 "), VerifiedIdentity)


def test_port_is_stateless_wrong_codes_do_not_lock(verifier: SandboxIdentityVerifier) -> None:
    # The caller counts attempts; the port itself answers the same every time.
    for _ in range(MAX_CODE_ATTEMPTS + 1):
        assert verifier.confirm(CARD, "홍길동", date(1990, 1, 1), None, "999999") == VerificationFailure(
            FailureReason.WRONG_CODE
        )
    assert isinstance(verifier.confirm(CARD, "홍길동", date(1990, 1, 1), None, "123456"), VerifiedIdentity)


def test_ci_di_are_stable_distinct_and_shaped_like_the_real_ones(verifier: SandboxIdentityVerifier) -> None:
    cis, dis = set(), set()
    for person in load_registry().people:
        first = verifier.confirm(IPIN, person.name, person.birth_date, None, "123456")
        again = verifier.confirm(CARD, person.name, person.birth_date, None, "123456")
        assert isinstance(first, VerifiedIdentity) and isinstance(again, VerifiedIdentity)
        # Same person, same CI/DI, whatever the method.
        assert (first.ci, first.di) == (again.ci, again.di) == (sandbox_ci(person.key), sandbox_di(person.key))
        assert len(first.ci) == 88 and len(base64.b64decode(first.ci)) == 64
        assert len(first.di) == 64 and re.fullmatch(r"[0-9a-f]{64}", first.di)
        cis.add(first.ci)
        dis.add(first.di)
    assert len(cis) == len(dis) == len(load_registry().people) == 13


def test_ci_di_are_fixed_values() -> None:
    # Pinned: a change would make existing sandbox accounts unrecognisable.
    secret = b"yongin-library-sandbox-identity-v1"
    assert sandbox_ci("P1") == base64.b64encode(hmac.new(secret, b"CI:P1", hashlib.sha512).digest()).decode()
    assert sandbox_di("P1") == hmac.new(secret, b"DI:yongin-library:P1", hashlib.sha256).hexdigest()


def test_ci_di_not_in_repr(verifier: SandboxIdentityVerifier) -> None:
    result = verifier.confirm(IPIN, "홍길동", date(1990, 1, 1), None, "123456")
    assert isinstance(result, VerifiedIdentity)
    assert result.ci not in repr(result) and result.di not in repr(result)


def test_not_configured_real_side_raises_a_clear_error() -> None:
    real = NotConfiguredIdentityVerifier()
    with pytest.raises(ServiceNotConfigured, match="identity verification provider is not configured"):
        real.send_code(PHONE, "홍길동", date(1990, 1, 1), "010-1234-5678")
    with pytest.raises(ServiceNotConfigured, match="identity verification provider is not configured"):
        real.confirm(IPIN, "홍길동", date(1990, 1, 1), None, "123456")
