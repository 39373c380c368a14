"""Who may become 정회원 online (decisions.md, "Online 정회원"): 내국인 with 주민등록 in 경기도."""

from __future__ import annotations

import enum

from yongin_app.domain import policy
from yongin_app.domain.enums import Nationality


class FullMemberRefusal(str, enum.Enum):
    FOREIGN = "foreign"  # a foreign registration number cannot be checked
    OUTSIDE_GYEONGGI = "outside_gyeonggi"  # 용인시 직장인·학생 must visit a library


def full_member_refusal(sido: str, nationality: Nationality) -> FullMemberRefusal | None:
    """None when the eligibility answer allows an online 회원증."""
    if nationality != Nationality.DOMESTIC:
        return FullMemberRefusal.FOREIGN
    if sido.strip() != policy.FULL_MEMBER_SIDO:
        return FullMemberRefusal.OUTSIDE_GYEONGGI
    return None


def valid_loan_password(value: str) -> bool:
    """회원 대출 비밀번호: exactly four ASCII digits."""
    return len(value) == 4 and value.isascii() and value.isdigit()
