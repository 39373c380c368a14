"""Port to identity verification (본인확인: 휴대폰 / 아이핀 / 카드).

The port is stateless: ``send_code`` "sends" a one-time code and ``confirm``
checks it, each taking the same person data, so that the caller (the signup
flow) keeps the attempt state and counts wrong codes (``MAX_CODE_ATTEMPTS``).

The real side, ``HttpIdentityVerifier``, talks to the library's integration
gateway in front of the provider's SDK (NICE/KCB/PASS have no public API).
Settings: YONGIN_IDENTITY_GATEWAY_URL (the base URL; use https) and
YONGIN_IDENTITY_GATEWAY_KEY (sent as ``Authorization: Bearer <key>``); the
timeout is YONGIN_OUTSIDE_TIMEOUT_SECONDS. The contract, JSON both ways, the
person data only in POST bodies:

    POST {url}/send-code  {"method": "phone" | "ipin" | "card", "name": "홍길동",
                           "birth_date": "1990-01-01", "phone": "010-1234-5678" | null}
      200 {"result": "code_sent", "transaction_id": "<at most 200 characters>"}
    POST {url}/confirm    the same members, plus "code": "123456"
      200 {"result": "verified", "name": "홍길동", "birth_date": "1990-01-01",
           "sex": "남" | "여", "nationality": "내국인" | "외국인",
           "phone": "010-1234-5678" (휴대폰 인증 only, else null),
           "ci": "<88 characters>", "di": "<64 characters>", "method": "<as sent>"}
    either may answer
      200 {"result": "failed", "reason": "not_found" | "wrong_code" | "cancelled" | "unavailable"}

The gateway pairs a confirm with its send-code by the person data (the
provider's transaction stays in the gateway). Anything else (a timeout, a
connection error, another status, a redirect, a body that is not JSON or not
of these shapes, an unknown reason) is ``FailureReason.UNAVAILABLE``: the
client never raises, and logs one warning line with the stage and the HTTP
status or exception class only (see ports/gateway.py).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

import httpx

from yongin_app.domain import validators
from yongin_app.domain.enums import Nationality, Sex, VerificationMethod
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.gateway import GatewayClient, WrongShape, answer_date, answer_text

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


# Bounds on what the gateway may send back (the Member columns' sizes).
_MAX_NAME = 50
_MAX_IDENTIFIER = 128
_MAX_TRANSACTION_ID = 200


def _identifier(payload: dict[str, Any], key: str) -> str:
    """CI or DI: printable ASCII without spaces (base64 or hex), as stored in Member."""
    value = answer_text(payload, key, _MAX_IDENTIFIER)
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise WrongShape(key)
    return value


def _failure(payload: dict[str, Any]) -> VerificationFailure:
    try:
        return VerificationFailure(FailureReason(payload.get("reason")))
    except ValueError:
        raise WrongShape("reason") from None


def parse_send_code_answer(payload: dict[str, Any]) -> CodeSent | VerificationFailure:
    """A decoded send-code answer; raises WrongShape when it breaks the contract."""
    result = payload.get("result")
    if result == "failed":
        return _failure(payload)
    if result != "code_sent":
        raise WrongShape("result")
    # The real provider shows the code on the person's phone, never to the app.
    return CodeSent(transaction_id=answer_text(payload, "transaction_id", _MAX_TRANSACTION_ID))


def parse_confirm_answer(
    payload: dict[str, Any], method: VerificationMethod
) -> VerifiedIdentity | VerificationFailure:
    """A decoded confirm answer for a ``method`` request; raises WrongShape when it breaks the contract."""
    result = payload.get("result")
    if result == "failed":
        return _failure(payload)
    if result != "verified":
        raise WrongShape("result")
    if payload.get("method") != method.value:
        raise WrongShape("method")
    try:
        sex = Sex(payload.get("sex"))
        nationality = Nationality(payload.get("nationality"))
    except ValueError:
        raise WrongShape("sex or nationality") from None
    phone = None
    if method is VerificationMethod.PHONE:
        # Signup splits it into the three phone inputs: it must be a real mobile number.
        raw_phone = payload.get("phone")
        phone = validators.normalize_mobile(raw_phone) if isinstance(raw_phone, str) else None
        if phone is None:
            raise WrongShape("phone")
    return VerifiedIdentity(
        name=answer_text(payload, "name", _MAX_NAME),
        birth_date=answer_date(payload.get("birth_date")),
        sex=sex,
        nationality=nationality,
        phone=phone,
        ci=_identifier(payload, "ci"),
        di=_identifier(payload, "di"),
        method=method,
    )


class HttpIdentityVerifier:
    """The real side: the integration gateway described in the module docstring."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._gateway = GatewayClient(
            "identity", base_url, api_key, timeout=timeout, setting_prefix="IDENTITY", transport=transport
        )

    def __repr__(self) -> str:  # keep the key out of reprs
        return f"HttpIdentityVerifier(base_url={self._gateway.base_url!r})"

    @staticmethod
    def _person(method: VerificationMethod, name: str, birth_date: date, phone: str | None) -> dict[str, Any]:
        return {
            "method": method.value,
            "name": name,
            "birth_date": birth_date.isoformat(),
            "phone": phone if method is VerificationMethod.PHONE else None,
        }

    def _call(
        self,
        stage: str,
        body: dict[str, Any],
        parse: Callable[[dict[str, Any]], CodeSent | VerifiedIdentity | VerificationFailure],
    ) -> Any:
        payload = self._gateway.post(stage, body)
        if payload is None:
            return VerificationFailure(FailureReason.UNAVAILABLE)
        try:
            answer = parse(payload)
        except (WrongShape, TypeError, ValueError, OverflowError):
            self._gateway.fail(stage, "answer does not follow the contract")
            return VerificationFailure(FailureReason.UNAVAILABLE)
        if isinstance(answer, VerificationFailure) and answer.reason is FailureReason.UNAVAILABLE:
            self._gateway.fail(stage, "the provider is unavailable")
        return answer

    def send_code(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
    ) -> CodeSent | VerificationFailure:
        return self._call("send-code", self._person(method, name, birth_date, phone), parse_send_code_answer)

    def confirm(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
        code: str,
    ) -> VerifiedIdentity | VerificationFailure:
        body = {**self._person(method, name, birth_date, phone), "code": code}
        return self._call("confirm", body, lambda payload: parse_confirm_answer(payload, method))
