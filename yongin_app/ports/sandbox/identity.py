"""Sandbox identity verification (휴대폰 / 아이핀 / 카드).

Name + birth date must match a registry person; 휴대폰 인증 also needs the
registry phone (a person without a phone cannot use it). The code is always
``SANDBOX_CODE`` and is returned so the sandbox screen can show it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import date

from yongin_app.domain.enums import VerificationMethod
from yongin_app.ports.identity import (
    CodeSent,
    FailureReason,
    VerificationFailure,
    VerifiedIdentity,
)
from yongin_app.ports.sandbox.registry import (
    RegistryPerson,
    SandboxRegistry,
    load_registry,
    phone_digits,
)

SANDBOX_CODE = "123456"

# Fixed and public on purpose: sandbox CI/DI only need to be stable per person.
_SANDBOX_SECRET = b"yongin-library-sandbox-identity-v1"


def sandbox_ci(key: str) -> str:
    """88 characters, like a real CI (base64 of 64 bytes)."""
    digest = hmac.new(_SANDBOX_SECRET, f"CI:{key}".encode(), hashlib.sha512).digest()
    return base64.b64encode(digest).decode("ascii")


def sandbox_di(key: str) -> str:
    """64 characters, like a real DI (per site)."""
    return hmac.new(_SANDBOX_SECRET, f"DI:yongin-library:{key}".encode(), hashlib.sha256).hexdigest()


class SandboxIdentityVerifier:
    def __init__(self, registry: SandboxRegistry | None = None) -> None:
        self._registry = registry or load_registry()

    def _match(
        self, method: VerificationMethod, name: str, birth_date: date, phone: str | None
    ) -> RegistryPerson | None:
        person = self._registry.find(name, birth_date)
        if person is None:
            return None
        if method is VerificationMethod.PHONE:
            # No phone in the registry: 휴대폰 인증 is impossible, as in life.
            if person.phone is None or phone_digits(phone) != phone_digits(person.phone):
                return None
        return person

    def send_code(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
    ) -> CodeSent | VerificationFailure:
        if self._match(method, name, birth_date, phone) is None:
            return VerificationFailure(FailureReason.NOT_FOUND)
        return CodeSent(transaction_id=f"sbx-{secrets.token_hex(8)}", sandbox_code_shown=SANDBOX_CODE)

    def confirm(
        self,
        method: VerificationMethod,
        name: str,
        birth_date: date,
        phone: str | None,
        code: str,
    ) -> VerifiedIdentity | VerificationFailure:
        person = self._match(method, name, birth_date, phone)
        if person is None:
            return VerificationFailure(FailureReason.NOT_FOUND)
        if not hmac.compare_digest((code or "").strip().encode(), SANDBOX_CODE.encode()):
            return VerificationFailure(FailureReason.WRONG_CODE)
        return VerifiedIdentity(
            name=person.name,
            birth_date=person.birth_date,
            sex=person.sex,
            nationality=person.nationality,
            phone=person.phone if method is VerificationMethod.PHONE else None,
            ci=sandbox_ci(person.key),
            di=sandbox_di(person.key),
            method=method,
        )
