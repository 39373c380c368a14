"""Port to the 행정안전부 비대면 자격확인 (eligibility check).

The resident registration number goes in as two strings, is used for this one
call and is never kept: the result dataclasses have no field for it, and no
message, log line or repr produced here contains it. The app, not the port,
decides eligibility from the answer.

The real side, ``HttpEligibilityChecker``, talks to the library's integration
gateway on the 행정정보 공동이용 channel (the check has no public API).
Settings: YONGIN_ELIGIBILITY_GATEWAY_URL (the base URL; use https) and
YONGIN_ELIGIBILITY_GATEWAY_KEY (sent as ``Authorization: Bearer <key>``); the
timeout is YONGIN_OUTSIDE_TIMEOUT_SECONDS. The contract, JSON both ways; the
number travels only in the POST body, never in the URL or a header:

    POST {url}/check  {"name": "홍길동", "rrn_front": "900101", "rrn_back": "1234567"}
      200 {"result": "match", "sido": "경기도", "sigungu": "용인시 수지구",
           "nationality": "내국인" | "외국인",
           "children_birth_dates": ["2020-01-11", "2023-01-21"]}
      200 {"result": "failed", "reason": "no_match" | "foreign_registration" | "unavailable"}

Anything else (a timeout, a connection error, another status, a redirect, a
body that is not JSON or not of these shapes, an unknown reason) is
``EligibilityFailureReason.UNAVAILABLE``: the client never raises, and logs
one warning line with the stage and the HTTP status or exception class only
(see ports/gateway.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

import httpx

from yongin_app.domain.enums import Nationality
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.gateway import GatewayClient, WrongShape, answer_date, answer_text


class EligibilityFailureReason(str, enum.Enum):
    NO_MATCH = "no_match"  # name + number not found
    FOREIGN_REGISTRATION = "foreign_registration"  # 외국인등록번호: cannot be checked
    UNAVAILABLE = "unavailable"  # timeout or error at the service


@dataclass(frozen=True)
class EligibilityAnswer:
    sido: str  # 주민등록 시·도, e.g. "경기도"
    sigungu: str  # 주민등록 시·군·구, e.g. "용인시 수지구"
    nationality: Nationality
    children_birth_dates: tuple[date, ...]


@dataclass(frozen=True)
class EligibilityFailure:
    reason: EligibilityFailureReason


@runtime_checkable
class EligibilityChecker(Protocol):
    def check(
        self, name: str, rrn_front: str, rrn_back: str
    ) -> EligibilityAnswer | EligibilityFailure: ...


NOT_CONFIGURED_MESSAGE = (
    "eligibility check (행정안전부 비대면 자격확인) is not configured: "
    "it needs a 행정정보 공동이용 agreement and its client"
)


class NotConfiguredEligibilityChecker:
    """The "real" side: the service is reachable only through 행정정보 공동이용,
    so there is nothing to call. The message never includes the arguments."""

    def check(
        self, name: str, rrn_front: str, rrn_back: str
    ) -> EligibilityAnswer | EligibilityFailure:
        raise ServiceNotConfigured(NOT_CONFIGURED_MESSAGE)


# Bounds on what the gateway may send back.
_MAX_REGION = 50
_MAX_CHILDREN = 30


def parse_check_answer(payload: dict[str, Any]) -> EligibilityAnswer | EligibilityFailure:
    """A decoded check answer; raises WrongShape when it breaks the contract."""
    result = payload.get("result")
    if result == "failed":
        try:
            return EligibilityFailure(EligibilityFailureReason(payload.get("reason")))
        except ValueError:
            raise WrongShape("reason") from None
    if result != "match":
        raise WrongShape("result")
    try:
        nationality = Nationality(payload.get("nationality"))
    except ValueError:
        raise WrongShape("nationality") from None
    births = payload.get("children_birth_dates")
    if not isinstance(births, list) or len(births) > _MAX_CHILDREN:
        raise WrongShape("children_birth_dates")
    return EligibilityAnswer(
        sido=answer_text(payload, "sido", _MAX_REGION),
        sigungu=answer_text(payload, "sigungu", _MAX_REGION),
        nationality=nationality,
        children_birth_dates=tuple(answer_date(born) for born in births),
    )


class HttpEligibilityChecker:
    """The real side: the integration gateway described in the module docstring."""

    STAGE = "check"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._gateway = GatewayClient(
            "eligibility", base_url, api_key, timeout=timeout, setting_prefix="ELIGIBILITY", transport=transport
        )

    def __repr__(self) -> str:  # keep the key out of reprs
        return f"HttpEligibilityChecker(base_url={self._gateway.base_url!r})"

    def check(
        self, name: str, rrn_front: str, rrn_back: str
    ) -> EligibilityAnswer | EligibilityFailure:
        payload = self._gateway.post(self.STAGE, {"name": name, "rrn_front": rrn_front, "rrn_back": rrn_back})
        if payload is None:
            return EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)
        try:
            answer = parse_check_answer(payload)
        except (WrongShape, TypeError, ValueError, OverflowError):
            self._gateway.fail(self.STAGE, "answer does not follow the contract")
            return EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)
        if isinstance(answer, EligibilityFailure) and answer.reason is EligibilityFailureReason.UNAVAILABLE:
            self._gateway.fail(self.STAGE, "the service is unavailable")
        return answer
