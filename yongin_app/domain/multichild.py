"""다자녀가정 eligibility, benefit expiry and the loan limit that follows from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from yongin_app.domain import messages, policy
from yongin_app.domain.age import international_age

# 용인시 lies in 경기도; kept apart from policy.FULL_MEMBER_SIDO, which is a different rule.
_YONGIN_SIDO = "경기도"


def multichild_expiry(youngest_birth: date) -> date:
    """31 December of the year in which the youngest child turns 18."""
    return date(youngest_birth.year + policy.MULTICHILD_YOUNGEST_MAX_AGE, 12, 31)


def _is_yongin_resident(sigungu: str, sido: str) -> bool:
    # The check answers e.g. 시·도 "경기도", 시·군·구 "용인시 수지구" (구 included).
    return sido.strip() == _YONGIN_SIDO and sigungu.strip().startswith(policy.MULTICHILD_CITY)


def multichild_refusal(sigungu: str, sido: str, children_births: Sequence[date], on: date) -> str | None:
    """None when eligible on `on`, otherwise the first reason, as a Korean message.

    Besides the three rules of decisions.md (용인시, two or more children, youngest 만 18세
    이하) an application is refused when the benefit period has already ended: a youngest
    child who turned 18 last year is still 만 18세 until the 19th birthday, but the expiry
    (31 Dec of the year they turned 18) is then in the past, so converting would be void.

    Raises ValueError if a child's birth date is after `on` (a data error).
    """
    if not _is_yongin_resident(sigungu, sido):
        return messages.MULTICHILD_NOT_YONGIN
    if len(children_births) < policy.MULTICHILD_MIN_CHILDREN:
        return messages.MULTICHILD_TOO_FEW_CHILDREN
    youngest = max(children_births)
    if international_age(youngest, on) > policy.MULTICHILD_YOUNGEST_MAX_AGE:
        return messages.MULTICHILD_YOUNGEST_TOO_OLD
    if multichild_expiry(youngest) < on:
        return messages.MULTICHILD_BENEFIT_ENDED
    return None


def loan_limit(expiry: date | None, on: date) -> int:
    """10 until and including the 다자녀 expiry date, 7 otherwise (and without 다자녀)."""
    if expiry is not None and on <= expiry:
        return policy.MULTICHILD_LOAN_LIMIT
    return policy.DEFAULT_LOAN_LIMIT
