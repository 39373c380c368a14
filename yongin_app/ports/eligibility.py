"""Port to the 행정안전부 비대면 자격확인 (eligibility check).

The resident registration number goes in as two strings, is used for this one
call and is never kept: the result dataclasses have no field for it, and no
message, log line or repr produced here contains it. The app, not the port,
decides eligibility from the answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from yongin_app.domain.enums import Nationality
from yongin_app.ports.errors import ServiceNotConfigured


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
