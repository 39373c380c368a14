"""Port to identity verification (본인확인: 휴대폰 / 아이핀 / 카드).

The port is stateless: ``send_code`` "sends" a one-time code and ``confirm``
checks it, each taking the same person data, so that the caller (the signup
flow) keeps the attempt state and counts wrong codes (``MAX_CODE_ATTEMPTS``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from yongin_app.domain.enums import Nationality, Sex, VerificationMethod
from yongin_app.ports.errors import ServiceNotConfigured

# Three wrong codes end the attempt (sandbox.md). The caller counts.
MAX_CODE_ATTEMPTS = 3


class FailureReason(str, enum.Enum):
    NOT_FOUND = "not_found"  # no such person (or phone does not match)
    WRONG_CODE = "wrong_code"  # the 인증번호 is wrong
    CANCELLED = "cancelled"  # the user closed the provider's screen
    UNAVAILABLE = "unavailable"  # provider down or timed out


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the providers return on success, normalized.

    ``phone`` is set only for 휴대폰 인증, formatted "010-1234-5678".
    ``ci`` is 88 characters (same person, same CI on every site); ``di`` is 64
    characters (per site). Both are left out of repr because they identify a
    person across records.
    """

    name: str
    birth_date: date
    sex: Sex
    nationality: Nationality
    phone: str | None
    ci: str = field(repr=False)
    di: str = field(repr=False)
    method: VerificationMethod


@dataclass(frozen=True)
class VerificationFailure:
    reason: FailureReason


@dataclass(frozen=True)
class CodeSent:
    """The code was "sent". The sandbox also returns the code to show on its screen."""

    transaction_id: str
    sandbox_code_shown: str | None = None


@runtime_checkable
class IdentityVerifier(Protocol):
    def send_code(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
    ) -> CodeSent | VerificationFailure: ...

    def confirm(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
        code: str,
    ) -> VerifiedIdentity | VerificationFailure: ...


NOT_CONFIGURED_MESSAGE = "identity verification provider is not configured"


class NotConfiguredIdentityVerifier:
    """The "real" side. No public API exists for NICE/KCB/PASS; a contract with a
    provider and its SDK are needed, so every call fails loudly."""

    def send_code(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
    ) -> CodeSent | VerificationFailure:
        raise ServiceNotConfigured(NOT_CONFIGURED_MESSAGE)

    def confirm(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
        code: str,
    ) -> VerifiedIdentity | VerificationFailure:
        raise ServiceNotConfigured(NOT_CONFIGURED_MESSAGE)
