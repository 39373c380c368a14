"""마이페이지 account use cases: 정보수정 (after a password re-check), 비밀번호 변경,
회원 대출 비밀번호 변경 and 회원탈퇴.

Every function checks on the server that the caller is the member concerned (the session token
must be a live session of that member), validates its input again, and writes an audit record
that holds codes and field names only, never a value the member typed.

Each function is one write unit of work; argon2 runs before it, never inside it. A wrong password
here counts toward the same lockout as a wrong login (auth._count_failure), and a locked account
always fails.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain import policy, validators
from yongin_app.domain.enums import CardStatus, Grade, MemberStatus
from yongin_app.domain.membership import valid_loan_password
from yongin_app.models import (
    AuthSession,
    Guardian,
    Member,
    MemberCard,
    MultichildApplication,
    MultichildGrant,
    OAuthRequest,
    SocialLink,
)
from yongin_app.services import audit, auth, messages
from yongin_app.services.contact_fields import (
    FLAG_FIELDS,
    cleaned_contact_values,
    contact_field_errors,
    normalized_contact,
)
from yongin_app.services.passwords import burn_verification_time, hash_password, verify_password

REAUTH_VALIDITY = policy.REAUTH_VALIDITY

# What a withdrawn account keeps instead of personal data.
WITHDRAWN_NAME = "탈퇴회원"
# birth_date is a required column; a withdrawn account gets this placeholder instead of the real date.
WITHDRAWN_BIRTH_DATE = date(1900, 1, 1)

_MAX_PASSWORD_INPUT = 1024  # longer input can never match (passwords are at most 64 characters)

# Error keys of the forms.
KEY_CURRENT_PASSWORD = "current_password"
KEY_NEW_PASSWORD = "new_password"
KEY_NEW_PASSWORD_CONFIRM = "new_password_confirm"
KEY_CURRENT_LOAN_PASSWORD = "current_loan_password"
KEY_LOAN_PASSWORD = "loan_password"
KEY_LOAN_PASSWORD_CONFIRM = "loan_password_confirm"
KEY_PASSWORD = "password"
KEY_CONFIRMED = "confirmed"


@dataclass(frozen=True)
class UpdateResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class ProfileView:
    """What 정보수정 shows: read-only identity, then the editable fields split as the form's parts."""

    name: str
    birth_date: date
    sex: str
    login_id: str
    grade: str
    mobile_prefix: str = ""
    mobile_middle: str = ""
    mobile_last: str = ""
    sms_consent: bool = False
    email_local: str = ""
    email_domain: str = ""
    email_consent: bool = False
    landline_area: str = ""
    landline_middle: str = ""
    landline_last: str = ""
    postal_code: str = ""
    road_address: str = ""
    address_detail: str = ""
    home_branch: str = ""

    def form_values(self) -> dict[str, Any]:
        """The editable fields as update_profile takes them (text fields and the two consents)."""
        return {
            "mobile_prefix": self.mobile_prefix, "mobile_middle": self.mobile_middle,
            "mobile_last": self.mobile_last, "sms_consent": self.sms_consent,
            "email_local": self.email_local, "email_domain": self.email_domain,
            "email_consent": self.email_consent, "landline_area": self.landline_area,
            "landline_middle": self.landline_middle, "landline_last": self.landline_last,
            "postal_code": self.postal_code, "road_address": self.road_address,
            "address_detail": self.address_detail, "home_branch": self.home_branch,
        }


# ---------------------------------------------------------------- helpers


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _member_session(session: Session, member_id: int, token: str, now: datetime) -> AuthSession | None:
    """The live session of this token, if it belongs to member_id."""
    if not isinstance(token, str) or not token or len(token) > 128 or not isinstance(member_id, int):
        return None
    auth_session = session.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))).first()
    if auth_session is None or auth_session.member_id != member_id:
        return None
    if not auth._is_live(session, auth_session, now):
        return None
    return auth_session


def _session_member(session: Session, member_id: int, token: str,
                    now: datetime) -> tuple[AuthSession, Member] | tuple[None, None]:
    """The live session of this token and its member, or (None, None) when the token is not a live
    session of member_id."""
    auth_session = _member_session(session, member_id, token, now)
    member = session.get(Member, member_id) if auth_session is not None else None
    return (auth_session, member) if member is not None else (None, None)


def _locked(member: Member, now: datetime) -> bool:
    return member.locked_until is not None and member.locked_until > now


def _fresh_reauth(auth_session: AuthSession, now: datetime) -> bool:
    at = auth_session.reauthenticated_at
    return at is not None and at <= now < at + REAUTH_VALIDITY


def _verify(stored_hash: str, password: str) -> bool:
    """argon2 verification; outside any transaction. Over-long input costs the same and fails."""
    if len(password) > _MAX_PASSWORD_INPUT:
        burn_verification_time(password[:_MAX_PASSWORD_INPUT])
        return False
    return verify_password(stored_hash, password)


def _record(session: Session, action: str, outcome: str, member_id: int, now: datetime,
            detail: str | None = None, *, verified: bool = True) -> None:
    """verified=False when the caller was not shown to be the member (no live session of theirs)."""
    audit.record(
        session, action=action, outcome=outcome,
        actor_type=audit.ACTOR_MEMBER if verified else audit.ACTOR_ANONYMOUS,
        actor_id=member_id if verified else None, target_member_id=member_id, detail=detail, now=now,
    )


def _refuse_session(action: str, member_id: int, now: datetime) -> UpdateResult:
    with unit_of_work(write=True) as session:
        _record(session, action, "session_invalid", member_id, now, verified=False)
    return UpdateResult(False, message=messages.ACCOUNT_SESSION_INVALID)


def _refuse_secret(session: Session, member: Member, *, verified: bool, unchanged: bool, action: str,
                   now: datetime) -> bool:
    """Inside the write transaction, after argon2 ran outside it: whether the typed password (or loan
    password) must be refused. A wrong one counts toward the login lockout; each refusal is audited."""
    if _locked(member, now):
        outcome = "locked"
    elif not verified:
        auth._count_failure(session, member.id, now)
        outcome = "wrong_password"
    elif not unchanged:
        outcome = "changed_meanwhile"  # the stored hash changed while we were verifying
    else:
        return False
    _record(session, action, outcome, member.id, now)
    return True


def _reset_failures(member: Member) -> None:
    member.failed_login_count = 0
    member.locked_until = None


def _split(value: str | None, parts: int) -> list[str]:
    pieces = (value or "").split("-")
    return pieces if len(pieces) == parts else [""] * parts


# ---------------------------------------------------------------- 비밀번호 재확인


def reauthenticate(member_id: int, session_token: str, password: str, *, now: datetime | None = None) -> bool:
    """정보수정's password re-check; on success this session may edit for REAUTH_VALIDITY."""
    now = now or utcnow()
    password = _text(password)
    with unit_of_work() as session:
        _, member = _session_member(session, member_id, session_token, now)
        stored_hash = member.password_hash if member is not None else None
    if stored_hash is None:
        _refuse_session("account.reauth", member_id, now)
        return False
    if not password:
        return False  # nothing was tried; not a guess
    password_ok = _verify(stored_hash, password)

    with unit_of_work(write=True) as session:
        auth_session, member = _session_member(session, member_id, session_token, now)
        if member is None:
            _record(session, "account.reauth", "session_invalid", member_id, now, verified=False)
            return False
        if _locked(member, now):
            _record(session, "account.reauth", "locked", member_id, now)
            return False
        if not password_ok or member.password_hash != stored_hash:
            if not password_ok:
                auth._count_failure(session, member_id, now)
            _record(session, "account.reauth", "failed", member_id, now)
            return False
        _reset_failures(member)
        session.add(member)
        auth_session.reauthenticated_at = now
        session.add(auth_session)
        _record(session, "account.reauth", "ok", member_id, now)
        return True


def reauthenticated(member_id: int, session_token: str, *, now: datetime | None = None) -> bool:
    """Whether this session re-entered the password less than REAUTH_VALIDITY ago."""
    now = now or utcnow()
    with unit_of_work() as session:
        return reauthenticated_in(session, member_id, session_token, now)


def reauthenticated_in(session: Session, member_id: int, session_token: str, now: datetime) -> bool:
    """reauthenticated, inside the caller's unit of work (for a use case that acts on it, e.g. an SNS link)."""
    auth_session = _member_session(session, member_id, session_token, now)
    return auth_session is not None and _fresh_reauth(auth_session, now)


# ---------------------------------------------------------------- 정보수정


def profile(member_id: int, session_token: str, *, now: datetime | None = None) -> ProfileView | None:
    """The member's current data for 정보수정, only to a live session of theirs whose password re-check
    is fresh; None otherwise (and for an unknown or withdrawn member)."""
    now = now or utcnow()
    with unit_of_work() as session:
        auth_session, member = _session_member(session, member_id, session_token, now)
        if member is None or not _fresh_reauth(auth_session, now) or member.status != MemberStatus.ACTIVE:
            return None
        mobile = _split(member.mobile, 3)
        landline = _split(member.landline, 3)
        email_local, _, email_domain = (member.email or "").rpartition("@")
        return ProfileView(
            name=member.name, birth_date=member.birth_date, sex=member.sex.value, login_id=member.login_id,
            grade=member.grade.value,
            mobile_prefix=mobile[0], mobile_middle=mobile[1], mobile_last=mobile[2],
            sms_consent=member.sms_consent,
            email_local=email_local, email_domain=email_domain, email_consent=member.email_consent,
            landline_area=landline[0], landline_middle=landline[1], landline_last=landline[2],
            postal_code=member.postal_code or "", road_address=member.road_address or "",
            address_detail=member.address_detail or "", home_branch=member.home_branch_code or "",
        )


def update_profile(member_id: int, session_token: str, values: dict[str, Any], *,
                   now: datetime | None = None) -> UpdateResult:
    """Saves 휴대폰·SMS 수신, 이메일·수신, 전화, 주소 and 가입도서관 after a fresh re-check.
    Name, birth date and sex are not editable: such keys in values are ignored."""
    now = now or utcnow()
    values = values if isinstance(values, dict) else {}
    cleaned = cleaned_contact_values(values)
    flags = {key: bool(values.get(key)) for key in FLAG_FIELDS}
    with unit_of_work(write=True) as session:
        auth_session, member = _session_member(session, member_id, session_token, now)
        if member is None:
            _record(session, "account.profile_updated", "session_invalid", member_id, now, verified=False)
            return UpdateResult(False, message=messages.ACCOUNT_SESSION_INVALID)
        if not _fresh_reauth(auth_session, now):
            _record(session, "account.profile_updated", "reauth_required", member_id, now)
            return UpdateResult(False, message=messages.REAUTH_REQUIRED)
        errors = contact_field_errors(cleaned)
        if errors:
            return UpdateResult(False, errors=errors, message=messages.PROFILE_HAS_ERRORS)

        contact = normalized_contact(cleaned)
        new_values: dict[str, Any] = {
            **contact,
            "sms_consent": flags["sms_consent"],
            "email_consent": bool(contact["email"]) and flags["email_consent"],
        }
        changed = [name for name, value in new_values.items() if getattr(member, name) != value]
        for name in changed:
            setattr(member, name, new_values[name])
        if changed:
            member.mobile_last4 = member.mobile[-4:] if member.mobile else None
            member.updated_at = now
            session.add(member)
        # Field names only, never the values.
        _record(session, "account.profile_updated", "ok" if changed else "unchanged", member_id, now,
                detail="fields=" + (",".join(changed) or "none"))
    return UpdateResult(True, message=messages.PROFILE_UPDATED)


# ---------------------------------------------------------------- 비밀번호 변경


def change_password(member_id: int, session_token: str, current: str, new: str, confirm: str, *,
                    now: datetime | None = None) -> UpdateResult:
    """현재 비밀번호, 새 비밀번호, 새 비밀번호 확인. On success every other session of the member ends."""
    now = now or utcnow()
    current, new, confirm = _text(current), _text(new), _text(confirm)
    with unit_of_work() as session:
        _, member = _session_member(session, member_id, session_token, now)
        snapshot = (member.password_hash, member.login_id, member.birth_date, member.mobile) if member else None
    if snapshot is None:
        return _refuse_session("account.password_changed", member_id, now)
    stored_hash, login_id, birth_date, mobile = snapshot

    errors: dict[str, str] = {}
    if not current:
        errors[KEY_CURRENT_PASSWORD] = messages.CURRENT_PASSWORD_REQUIRED
    violations = validators.password_violations(new, login_id=login_id, birth_date=birth_date, phone=mobile)
    if violations:
        errors[KEY_NEW_PASSWORD] = violations[0]
    if not confirm:
        errors[KEY_NEW_PASSWORD_CONFIRM] = messages.PASSWORD_CONFIRM_REQUIRED
    elif confirm != new:
        errors[KEY_NEW_PASSWORD_CONFIRM] = messages.PASSWORD_CONFIRM_MISMATCH
    current_ok = bool(current) and _verify(stored_hash, current)
    if current_ok and new == current:
        errors[KEY_NEW_PASSWORD] = messages.NEW_PASSWORD_SAME_AS_CURRENT
    new_hash = hash_password(new) if current_ok and not errors else None

    with unit_of_work(write=True) as session:
        _, member = _session_member(session, member_id, session_token, now)
        if member is None:
            _record(session, "account.password_changed", "session_invalid", member_id, now, verified=False)
            return UpdateResult(False, message=messages.ACCOUNT_SESSION_INVALID)
        if current and _refuse_secret(session, member, verified=current_ok,
                                      unchanged=member.password_hash == stored_hash,
                                      action="account.password_changed", now=now):
            errors[KEY_CURRENT_PASSWORD] = messages.CURRENT_PASSWORD_WRONG
        if errors or new_hash is None:
            return UpdateResult(False, errors=errors, message=messages.PROFILE_HAS_ERRORS)

        member.password_hash = new_hash
        _reset_failures(member)
        member.updated_at = now
        session.add(member)
        ended = auth.end_member_sessions(session, member_id, now, keep_token=session_token)
        # The member proved the current password: SNS links stay (a 비밀번호 재설정 removes them).
        kept = session.exec(
            select(func.count()).select_from(SocialLink).where(SocialLink.member_id == member_id)
        ).one()
        _record(session, "account.password_changed", "ok", member_id, now,
                detail=f"other_sessions_ended={ended},social_links_kept={kept}")
    return UpdateResult(True, message=messages.PASSWORD_CHANGED)


# ---------------------------------------------------------------- 회원 대출 비밀번호 변경


def _active_card(session: Session, member_id: int) -> MemberCard | None:
    return session.exec(
        select(MemberCard).where(MemberCard.member_id == member_id, MemberCard.status == CardStatus.ACTIVE)
    ).first()


def change_loan_password(member_id: int, current: str, new: str, confirm: str, *,
                         now: datetime | None = None) -> UpdateResult:
    """정회원 only. `current` is the current loan password or the homepage password; the new one is
    four digits, typed twice. A wrong `current` counts toward the login lockout (a 4-digit number
    must not be guessable)."""
    now = now or utcnow()
    current, new, confirm = _text(current), _text(new), _text(confirm)
    with unit_of_work() as session:
        member = session.get(Member, member_id) if isinstance(member_id, int) else None
        card = _active_card(session, member_id) if member is not None else None
        eligible = (member is not None and member.status == MemberStatus.ACTIVE
                    and member.grade == Grade.FULL and card is not None)
        snapshot = (member.password_hash, card.id, card.loan_password_hash) if eligible else None
    if snapshot is None:
        if member is not None:
            with unit_of_work(write=True) as session:
                _record(session, "account.loan_password_changed", "not_full", member_id, now)
        return UpdateResult(False, message=messages.LOAN_PASSWORD_NEEDS_FULL)
    account_hash, card_id, loan_hash = snapshot

    errors: dict[str, str] = {}
    if not current:
        errors[KEY_CURRENT_LOAN_PASSWORD] = messages.LOAN_CURRENT_REQUIRED
    if not valid_loan_password(new):
        errors[KEY_LOAN_PASSWORD] = messages.LOAN_PASSWORD_FORMAT
    elif confirm != new:
        errors[KEY_LOAN_PASSWORD_CONFIRM] = messages.LOAN_PASSWORD_MISMATCH
    current_ok = False
    if current:
        current_ok = (valid_loan_password(current) and verify_password(loan_hash, current)) or _verify(
            account_hash, current
        )
    new_hash = hash_password(new) if current_ok and not errors else None

    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        card = _active_card(session, member_id)
        if (member is None or member.status != MemberStatus.ACTIVE or member.grade != Grade.FULL
                or card is None or card.id != card_id):
            return UpdateResult(False, message=messages.LOAN_PASSWORD_NEEDS_FULL)
        unchanged = member.password_hash == account_hash and card.loan_password_hash == loan_hash
        if current and _refuse_secret(session, member, verified=current_ok, unchanged=unchanged,
                                      action="account.loan_password_changed", now=now):
            errors[KEY_CURRENT_LOAN_PASSWORD] = messages.LOAN_CURRENT_WRONG
        if errors or new_hash is None:
            return UpdateResult(False, errors=errors, message=messages.PROFILE_HAS_ERRORS)
        card.loan_password_hash = new_hash
        session.add(card)
        _reset_failures(member)
        session.add(member)
        _record(session, "account.loan_password_changed", "ok", member_id, now)
    return UpdateResult(True, message=messages.LOAN_PASSWORD_CHANGED)


# ---------------------------------------------------------------- 회원탈퇴


def _unusable_secret() -> str:
    # Not an argon2 hash: verify_password can never accept anything against it.
    return "!withdrawn!" + secrets.token_hex(32)


def _erase(session: Session, member: Member, now: datetime) -> str:
    """Personal data erased in the caller's transaction; returns an audit detail of counts only.

    Kept: the row and its ID (foreign keys, and the 아이디 is never reused), login_id, sex,
    nationality, member_type and grade (required columns, not identifying without name, birth
    date and CI), created_at. birth_date is required too, so it becomes WITHDRAWN_BIRTH_DATE.
    """
    member_id = member.id
    member.status = MemberStatus.WITHDRAWN
    member.withdrawn_at = now
    member.updated_at = now
    member.name = WITHDRAWN_NAME
    member.birth_date = WITHDRAWN_BIRTH_DATE
    member.ci = member.di = None
    member.mobile = member.mobile_last4 = member.email = member.landline = None
    member.postal_code = member.road_address = member.address_detail = None
    member.sms_consent = member.email_consent = False
    member.password_hash = _unusable_secret()
    member.failed_login_count = 0
    member.locked_until = None
    session.add(member)

    cards = 0
    for card in session.exec(select(MemberCard).where(MemberCard.member_id == member_id)):
        if card.status == CardStatus.ACTIVE:
            card.status = CardStatus.INVALIDATED
            card.invalidated_at = now
            cards += 1
        card.loan_password_hash = _unusable_secret()
        session.add(card)
    social_links = session.exec(sa.delete(SocialLink).where(SocialLink.member_id == member_id)).rowcount
    session.exec(sa.delete(Guardian).where(Guardian.member_id == member_id))
    session.exec(sa.delete(MultichildGrant).where(MultichildGrant.member_id == member_id))
    # Applications hold the children's names and IDs: open and submitted ones go (the children's
    # own grants and the audit trail record what was converted).
    session.exec(sa.delete(MultichildApplication).where(MultichildApplication.member_id == member_id))
    session.exec(sa.delete(OAuthRequest).where(OAuthRequest.member_id == member_id))
    sessions = auth.end_member_sessions(session, member_id, now)
    return f"cards={cards},social={social_links},sessions={sessions}"


def withdraw(member_id: int, session_token: str, password: str, confirmed: bool, *,
             now: datetime | None = None) -> UpdateResult:
    """회원탈퇴: the password and an explicit confirmation, then everything in one transaction."""
    now = now or utcnow()
    password = _text(password)
    with unit_of_work() as session:
        _, member = _session_member(session, member_id, session_token, now)
        stored_hash = member.password_hash if member is not None else None
    if stored_hash is None:
        return _refuse_session("account.withdrawn", member_id, now)

    errors: dict[str, str] = {}
    if not password:
        errors[KEY_PASSWORD] = messages.CURRENT_PASSWORD_REQUIRED
    if confirmed is not True:
        errors[KEY_CONFIRMED] = messages.WITHDRAW_CONFIRM_REQUIRED
    password_ok = bool(password) and _verify(stored_hash, password)

    with unit_of_work(write=True) as session:
        _, member = _session_member(session, member_id, session_token, now)
        if member is None:
            _record(session, "account.withdrawn", "session_invalid", member_id, now, verified=False)
            return UpdateResult(False, message=messages.ACCOUNT_SESSION_INVALID)
        if password and _refuse_secret(session, member, verified=password_ok,
                                       unchanged=member.password_hash == stored_hash,
                                       action="account.withdrawn", now=now):
            errors[KEY_PASSWORD] = messages.CURRENT_PASSWORD_WRONG
        if errors:
            return UpdateResult(False, errors=errors, message=messages.PROFILE_HAS_ERRORS)
        detail = _erase(session, member, now)
        _record(session, "account.withdrawn", "ok", member_id, now, detail=detail)
    return UpdateResult(True, message=messages.WITHDRAWN)
