"""Sandbox 행정안전부 비대면 자격확인.

Matches name + front (YYMMDD) + back against the registry. Nothing about the
number is logged or kept; only the answer leaves this module.
"""

from __future__ import annotations

import hmac
import time

from yongin_app.ports.eligibility import (
    EligibilityAnswer,
    EligibilityFailure,
    EligibilityFailureReason,
)
from yongin_app.ports.sandbox.registry import SandboxRegistry, load_registry, normalize_name

# 외국인등록번호: the first digit of the back part is 5–8.
FOREIGN_FIRST_DIGITS = frozenset("5678")


class SandboxEligibilityChecker:
    def __init__(
        self, outage_delay_seconds: float = 3.0, registry: SandboxRegistry | None = None
    ) -> None:
        self._outage_delay_seconds = outage_delay_seconds
        self._registry = registry or load_registry()

    def check(
        self, name: str, rrn_front: str, rrn_back: str
    ) -> EligibilityAnswer | EligibilityFailure:
        wanted_name = normalize_name(name)
        front_ok = len(rrn_front) == 6 and rrn_front.isascii() and rrn_front.isdigit()
        back_ok = len(rrn_back) == 7 and rrn_back.isascii() and rrn_back.isdigit()
        if not (front_ok and back_ok):
            return EligibilityFailure(EligibilityFailureReason.NO_MATCH)
        for person in self._registry.people:
            if person.name != wanted_name or person.rrn_front != rrn_front:
                continue
            if person.eligibility_outage:
                # P8: the service "times out", whatever the back part says.
                if self._outage_delay_seconds > 0:
                    time.sleep(self._outage_delay_seconds)
                return EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)
            if not hmac.compare_digest(person.rrn_back.encode(), rrn_back.encode()):
                continue
            if rrn_back[0] in FOREIGN_FIRST_DIGITS:
                return EligibilityFailure(EligibilityFailureReason.FOREIGN_REGISTRATION)
            return EligibilityAnswer(
                sido=person.sido,
                sigungu=person.sigungu,
                nationality=person.nationality,
                children_birth_dates=tuple(child.birth_date for child in person.children),
            )
        return EligibilityFailure(EligibilityFailureReason.NO_MATCH)
