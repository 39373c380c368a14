"""Enumerations shared by the domain, the models and the pages."""

from __future__ import annotations

import enum


class MemberType(str, enum.Enum):
    """일반 (14세 이상) or 어린이 (14세 미만), by 만 나이 on the day of verification."""

    GENERAL = "일반"
    CHILD = "어린이"


class Grade(str, enum.Enum):
    ASSOCIATE = "준회원"
    FULL = "정회원"


class MemberStatus(str, enum.Enum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Sex(str, enum.Enum):
    MALE = "남"
    FEMALE = "여"


class Nationality(str, enum.Enum):
    DOMESTIC = "내국인"
    FOREIGN = "외국인"


class VerificationMethod(str, enum.Enum):
    PHONE = "phone"  # 휴대폰 인증
    IPIN = "ipin"  # 아이핀 인증
    CARD = "card"  # 카드 인증


class CardStatus(str, enum.Enum):
    ACTIVE = "active"
    INVALIDATED = "invalidated"


class OAuthProvider(str, enum.Enum):
    KAKAO = "kakao"
    NAVER = "naver"


class StaffRole(str, enum.Enum):
    LIBRARIAN = "사서"
    ADMIN = "관리자"
