"""What a verification screen sends (방법, 이름, 생년월일, 휴대폰), checked before the identity port is called.
Shared by signup, 아이디 찾기 and 비밀번호 재설정."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yongin_app.domain import messages as rule_messages, validators
from yongin_app.domain import rate_limits as limits
from yongin_app.domain.enums import VerificationMethod
from yongin_app.services import messages, rate_limits


@dataclass(frozen=True)
class IdentityInput:
    method: VerificationMethod
    name: str
    birth_date: date
    phone: str | None  # canonical 010-1234-5678, only for 휴대폰 인증


def parse_birth_date(raw: str) -> date | None:
    """생년월일 typed as 8 digits (19900101; 1990-01-01 and 1990.01.01 are accepted too)."""
    digits = (raw or "").strip().replace("-", "").replace(".", "")
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def parse_identity_input(method: VerificationMethod, name: str, birth_date: str, phone: str) -> IdentityInput | str:
    """The checked input, or the Korean message for the first problem."""
    name = (name or "").strip()[:50]
    if not name:
        return messages.VERIFY_NAME_REQUIRED
    parsed_birth = parse_birth_date(birth_date)
    if parsed_birth is None:
        return messages.VERIFY_BIRTH_DATE_INVALID
    normalized_phone = None
    if method == VerificationMethod.PHONE:
        if not (phone or "").strip():
            return messages.VERIFY_PHONE_REQUIRED
        normalized_phone = validators.normalize_mobile(phone[:20])
        if normalized_phone is None:
            return rule_messages.MOBILE_INVALID
    return IdentityInput(method, name, parsed_birth, normalized_phone)


def code_send_limits(person: IdentityInput, *, client_ip: str | None, attempt: str | None
                     ) -> tuple[rate_limits.Check, ...]:
    """The limits on one 인증번호 받기 (domain/rate_limits.py): per phone, or per person when the method
    asks no phone; per client IP; per attempt (a signup draft, a recovery tab)."""
    if person.phone:
        who = f"phone:{person.phone}"  # canonical 010-1234-5678, so 01012345678 is the same phone
    else:
        who = f"person:{person.name}|{person.birth_date.isoformat()}"
    return (
        (limits.SMS_COOLDOWN, who),
        (limits.SMS_PER_PERSON, who),
        (limits.SMS_PER_IP, f"ip:{client_ip}" if client_ip else None),
        (limits.SMS_PER_ATTEMPT, f"attempt:{attempt}" if attempt else None),
    )
