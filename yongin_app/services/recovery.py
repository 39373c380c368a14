"""아이디 찾기 and 비밀번호 재설정 use cases, both by identity verification (본인확인) through the
identity port (the sandbox by default).

Each attempt is an IdentityCheck row keyed by a random token that only the browser holds (the row
keeps its SHA-256). The row keeps what the verification screen asked (name, birth date, phone), so
that the code is confirmed for that same person; never a code, a CI or a password. It lives
CHECK_LIFETIME (10 minutes); three wrong codes use it up (MAX_CODE_ATTEMPTS).

- 아이디 찾기: start_find_id, then finish_find_id shows the member's ID partly masked.
- 비밀번호 재설정: start_reset (the ID plus the person), verify_reset (the verified CI must be the
  CI of the member that the ID names), then finish_reset sets the new password, unlocks the
  account and ends all its sessions. A wrong ID and a different person get the same answer
  (RESET_IDENTITY_MISMATCH), so the flow never tells whether an ID exists.

The port is synchronous: call these functions from async handlers through asyncio.to_thread
(or a background event). argon2 runs outside the write transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from yongin_app.clock import today_kst, utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain import validators
from yongin_app.domain.enums import MemberStatus, VerificationMethod
from yongin_app.domain.masking import mask_login_id
from yongin_app.models import IdentityCheck, Member
from yongin_app.ports import get_identity_verifier
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.identity import MAX_CODE_ATTEMPTS, CodeSent, FailureReason, VerifiedIdentity
from yongin_app.services import audit, auth, messages, rate_limits, social
from yongin_app.services.passwords import hash_password
from yongin_app.services.identity_input import IdentityInput, code_send_limits, parse_identity_input

CHECK_LIFETIME = timedelta(minutes=10)

PURPOSE_FIND_ID = "find_id"
PURPOSE_RESET = "reset_password"

# Error keys of the 새 비밀번호 form (the same keys as 비밀번호 변경).
KEY_NEW_PASSWORD = "new_password"
KEY_NEW_PASSWORD_CONFIRM = "new_password_confirm"

AUDIT_FIND_ID = "account.find_id"
AUDIT_PASSWORD_RESET = "account.password_reset"

_MAX_TOKEN_LENGTH = 128
_MAX_LOGIN_ID_INPUT = 64  # longer input can never be an ID
_MAX_PASSWORD_INPUT = 1024  # passwords are at most 64 characters; longer input only costs work
_MAX_CODE_INPUT = 10


@dataclass(frozen=True)
class CheckStarted:
    """인증번호 받기: ok with the token for the next call (and the code the sandbox screen shows),
    or a message."""

    ok: bool
    message: str = ""
    token: str | None = None
    sandbox_code: str | None = None


@dataclass(frozen=True)
class FoundId:
    """아이디 찾기 result: the ID partly masked ("hon*******") and the signup day (KST)."""

    masked_login_id: str
    signed_up_on: date


@dataclass(frozen=True)
class ResetResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class _CheckSnapshot:
    id: int
    person: IdentityInput
    member_id: int | None
    verified_ci_matches: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _person(method: str, name: str, birth_date: str, phone: str) -> IdentityInput | str:
    """Checks what the verification screen sent; returns the person or a message."""
    try:
        method_enum = VerificationMethod(method)
    except ValueError:
        return messages.RECOVERY_METHOD_REQUIRED
    return parse_identity_input(method_enum, name, birth_date, phone)


def _purge(session: Session, now: datetime) -> int:
    return session.exec(sa.delete(IdentityCheck).where(IdentityCheck.expires_at <= now)).rowcount


def purge_expired_checks(now: datetime | None = None) -> int:
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        return _purge(session, now)


def _load(session: Session, token: str, purpose: str, now: datetime) -> IdentityCheck | None:
    """The live check of this token and purpose: unexpired and unused."""
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    check = session.exec(select(IdentityCheck).where(IdentityCheck.token_hash == _hash(token))).first()
    if check is None or check.purpose != purpose or check.used_at is not None or check.expires_at <= now:
        return None
    return check


def _live(check_id: int, now: datetime):
    """WHERE clause for "this check, still unused and unexpired" (for conditional updates)."""
    return sa.and_(IdentityCheck.id == check_id, IdentityCheck.used_at.is_(None), IdentityCheck.expires_at > now)


def _mark_used(session: Session, check_id: int, now: datetime) -> bool:
    """Spends the check; False when it was already spent (or expired) meanwhile."""
    return session.exec(sa.update(IdentityCheck).where(_live(check_id, now)).values(used_at=now)).rowcount == 1


def _record(session: Session, action: str, outcome: str, now: datetime, *, member_id: int | None = None,
            method: VerificationMethod | None = None, detail: str | None = None) -> None:
    # Codes and IDs only: never the name, birth date, phone, CI or the typed ID.
    audit.record(session, action=action, outcome=outcome, actor_type=audit.ACTOR_ANONYMOUS,
                 target_member_id=member_id, detail=detail or (f"method={method.value}" if method else None),
                 now=now)


# ---------------------------------------------------------------- 인증번호 받기


def _start(purpose: str, person: IdentityInput, login_id: str | None, now: datetime,
           client_ip: str | None, attempt: str | None) -> CheckStarted:
    # The send limits come before the provider: a refused send reaches nobody.
    decision = rate_limits.acquire(*code_send_limits(person, client_ip=client_ip, attempt=attempt))
    if not decision.allowed:
        return CheckStarted(False, messages.code_send_refused(decision))
    try:
        answer = get_identity_verifier().send_code(person.method, person.name, person.birth_date, person.phone)
    except ServiceNotConfigured:
        return CheckStarted(False, messages.VERIFY_UNAVAILABLE)
    if not isinstance(answer, CodeSent):
        unavailable = answer.reason == FailureReason.UNAVAILABLE
        return CheckStarted(False, messages.VERIFY_UNAVAILABLE if unavailable else messages.VERIFY_NOT_FOUND)

    token = secrets.token_urlsafe(32)  # 256 bits from the OS CSPRNG
    with unit_of_work(write=True) as session:
        _purge(session, now)
        member_id = None
        if purpose == PURPOSE_RESET and login_id:
            member_id = session.exec(
                select(Member.id).where(Member.login_id == login_id, Member.status == MemberStatus.ACTIVE)
            ).first()
        session.add(IdentityCheck(
            token_hash=_hash(token), purpose=purpose, method=person.method.value, name=person.name,
            birth_date=person.birth_date, phone=person.phone, member_id=member_id,
            created_at=now, expires_at=now + CHECK_LIFETIME,
        ))
    return CheckStarted(True, token=token, sandbox_code=answer.sandbox_code_shown)


def start_find_id(method: str, name: str, birth_date: str, phone: str, *, client_ip: str | None = None,
                  attempt: str | None = None, now: datetime | None = None) -> CheckStarted:
    """아이디 찾기, 인증번호 받기: method "phone" | "ipin" | "card"; birth_date as 8 digits;
    phone for 휴대폰 only. ``attempt`` names the page's tab: a check is one send, so the per-attempt
    send limit counts the sends of one tab."""
    now = now or utcnow()
    person = _person(method, name, birth_date, phone)
    if isinstance(person, str):
        return CheckStarted(False, person)
    return _start(PURPOSE_FIND_ID, person, None, now, client_ip, attempt)


def start_reset(login_id: str, method: str, name: str, birth_date: str, phone: str, *,
                client_ip: str | None = None, attempt: str | None = None,
                now: datetime | None = None) -> CheckStarted:
    """비밀번호 재설정, 인증번호 받기: the same as start_find_id plus the ID. Whether the ID exists is
    never told (the answer is the same either way)."""
    now = now or utcnow()
    login_id = (login_id or "").strip() if isinstance(login_id, str) else ""
    if not login_id:
        return CheckStarted(False, messages.RESET_LOGIN_ID_REQUIRED)
    person = _person(method, name, birth_date, phone)
    if isinstance(person, str):
        return CheckStarted(False, person)
    return _start(PURPOSE_RESET, person, login_id if len(login_id) <= _MAX_LOGIN_ID_INPUT else None, now,
                  client_ip, attempt)


# ---------------------------------------------------------------- 인증번호 확인


def _snapshot(token: str, purpose: str, now: datetime) -> _CheckSnapshot | None:
    with unit_of_work() as session:
        check = _load(session, token, purpose, now)
        if check is None:
            return None
        person = IdentityInput(VerificationMethod(check.method), check.name, check.birth_date, check.phone)
        return _CheckSnapshot(check.id, person, check.member_id, check.verified_ci_matches)


def _count_wrong_code(check: _CheckSnapshot, action: str, now: datetime) -> str:
    with unit_of_work(write=True) as session:
        # Atomic increment: concurrent wrong codes all count, whatever the isolation level.
        counted = session.exec(
            sa.update(IdentityCheck).where(_live(check.id, now))
            .values(wrong_codes=IdentityCheck.wrong_codes + 1)
        ).rowcount
        if not counted:
            return messages.RECOVERY_CHECK_MISSING
        wrong = session.exec(select(IdentityCheck.wrong_codes).where(IdentityCheck.id == check.id)).one()
        if wrong < MAX_CODE_ATTEMPTS:
            return messages.VERIFY_WRONG_CODE
        _mark_used(session, check.id, now)  # a new code must be requested
        _record(session, action, "too_many_codes", now, member_id=check.member_id, method=check.person.method)
    return messages.VERIFY_TOO_MANY_CODES


def _confirm(token: str, purpose: str, code: str, now: datetime,
             ) -> tuple[_CheckSnapshot, VerifiedIdentity | None] | str:
    """The live check and the verified identity, or a message. A check already verified for the
    reset is returned with None instead of asking the provider again."""
    check = _snapshot(token, purpose, now)
    if check is None:
        return messages.RECOVERY_CHECK_MISSING
    if check.verified_ci_matches:
        return check, None
    code = (code if isinstance(code, str) else "").strip()[:_MAX_CODE_INPUT]
    if not code:
        return messages.VERIFY_CODE_REQUIRED
    person = check.person
    try:
        answer = get_identity_verifier().confirm(person.method, person.name, person.birth_date, person.phone, code)
    except ServiceNotConfigured:
        return messages.VERIFY_UNAVAILABLE
    if isinstance(answer, VerifiedIdentity):
        return check, answer
    if answer.reason == FailureReason.WRONG_CODE:
        action = AUDIT_FIND_ID if purpose == PURPOSE_FIND_ID else AUDIT_PASSWORD_RESET
        return _count_wrong_code(check, action, now)
    unavailable = answer.reason == FailureReason.UNAVAILABLE
    return messages.VERIFY_UNAVAILABLE if unavailable else messages.VERIFY_NOT_FOUND


def finish_find_id(token: str, code: str, *, now: datetime | None = None) -> FoundId | str:
    """아이디 찾기, 확인: the ACTIVE member with the verified CI, or a Korean message
    (FIND_ID_NOT_FOUND when this person has no account). The check is spent either way."""
    now = now or utcnow()
    confirmed = _confirm(token, PURPOSE_FIND_ID, code, now)
    if isinstance(confirmed, str):
        return confirmed
    check, identity = confirmed
    assert identity is not None  # only reset checks are ever pre-verified
    with unit_of_work(write=True) as session:
        if not _mark_used(session, check.id, now):
            return messages.RECOVERY_CHECK_MISSING
        member = session.exec(
            select(Member).where(Member.ci == identity.ci, Member.status == MemberStatus.ACTIVE)
        ).first()
        if member is None:
            _record(session, AUDIT_FIND_ID, "not_found", now, method=identity.method)
            return messages.FIND_ID_NOT_FOUND
        _record(session, AUDIT_FIND_ID, "found", now, member_id=member.id, method=identity.method)
        return FoundId(mask_login_id(member.login_id), today_kst(member.created_at))


def verify_reset(token: str, code: str, *, now: datetime | None = None) -> bool | str:
    """비밀번호 재설정, 확인: True when the verified person is the member that the ID names (the
    check then stays usable for finish_reset until it expires); otherwise a Korean message.
    A wrong ID and a different person both get RESET_IDENTITY_MISMATCH and spend the check."""
    now = now or utcnow()
    confirmed = _confirm(token, PURPOSE_RESET, code, now)
    if isinstance(confirmed, str):
        return confirmed
    check, identity = confirmed
    if identity is None:
        return True  # verified already (a second click)
    with unit_of_work(write=True) as session:
        row = session.get(IdentityCheck, check.id)
        if row is None or row.used_at is not None or row.expires_at <= now:
            return messages.RECOVERY_CHECK_MISSING
        member = session.get(Member, row.member_id) if row.member_id is not None else None
        matches = (
            member is not None
            and member.status == MemberStatus.ACTIVE
            and member.ci is not None
            and hmac.compare_digest(member.ci.encode("utf-8"), identity.ci.encode("utf-8"))
        )
        if matches:
            row.verified_ci_matches = True
            session.add(row)
            _record(session, AUDIT_PASSWORD_RESET, "verified", now, member_id=row.member_id,
                    method=identity.method)
            return True
        row.used_at = now
        session.add(row)
        _record(session, AUDIT_PASSWORD_RESET, "identity_mismatch", now, member_id=row.member_id,
                method=identity.method)
    return messages.RESET_IDENTITY_MISMATCH


# ---------------------------------------------------------------- 새 비밀번호


def _text(value: object) -> str:
    return value[:_MAX_PASSWORD_INPUT] if isinstance(value, str) else ""


def finish_reset(token: str, new_password: str, confirm: str, *, now: datetime | None = None) -> ResetResult:
    """비밀번호 재설정, 새 비밀번호: after verify_reset. The signup password rules (with the
    member's ID, birth date and mobile); errors keep the check usable. On success, in one
    transaction: the new hash, the lock lifted, every session and SNS link of the member ended, the check
    spent."""
    now = now or utcnow()
    new_password, confirm = _text(new_password), _text(confirm)
    with unit_of_work() as session:
        check = _load(session, token, PURPOSE_RESET, now)
        if check is None:
            return ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
        if not check.verified_ci_matches or check.member_id is None:
            return ResetResult(False, message=messages.RESET_NOT_VERIFIED)
        member = session.get(Member, check.member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            return ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
        check_id, member_id = check.id, member.id
        login_id, birth_date, mobile = member.login_id, member.birth_date, member.mobile

    errors: dict[str, str] = {}
    violations = validators.password_violations(new_password, login_id=login_id, birth_date=birth_date,
                                                phone=mobile)
    if violations:
        errors[KEY_NEW_PASSWORD] = violations[0]
    if not confirm:
        errors[KEY_NEW_PASSWORD_CONFIRM] = messages.PASSWORD_CONFIRM_REQUIRED
    elif confirm != new_password:
        errors[KEY_NEW_PASSWORD_CONFIRM] = messages.PASSWORD_CONFIRM_MISMATCH
    if errors:
        return ResetResult(False, errors=errors, message=messages.RESET_HAS_ERRORS)

    new_hash = hash_password(new_password)  # outside the transaction: argon2 takes a while

    with unit_of_work(write=True) as session:
        if not _mark_used(session, check_id, now):
            return ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
        member = session.get(Member, member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            return ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
        member.password_hash = new_hash
        member.failed_login_count = 0
        member.locked_until = None
        member.updated_at = now
        session.add(member)
        ended = auth.end_member_sessions(session, member_id, now)
        unlinked = social.remove_all_links(session, member_id, now, reason="password_reset")
        _record(session, AUDIT_PASSWORD_RESET, "ok", now, member_id=member_id,
                detail=f"sessions_ended={ended},social_links_removed={unlinked}")
    return ResetResult(True, message=messages.PASSWORD_RESET_DONE_LINKS_REMOVED if unlinked
                       else messages.PASSWORD_RESET_DONE)
