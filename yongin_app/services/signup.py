"""회원가입 use cases: the wizard's progress lives in a SignupDraft row, keyed by a random token
that only the browser holds (the row keeps its hash). Each function is one unit of work.

The draft holds what the member typed (never a password) and the verified identity
(never sent to the browser as such: pages get a DraftView). Steps cannot be skipped: every
function checks the draft's progress on the server.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from yongin_app.clock import today_kst, utcnow
from yongin_app.db import commit_without_waiting_for_disk, unit_of_work
from yongin_app.domain import age, validators
from yongin_app.domain.enums import Grade, MemberType, Nationality, OAuthProvider, Sex, VerificationMethod
from yongin_app.models import Guardian, Member, SignupDraft, SocialLink
from yongin_app.ports import get_identity_verifier
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.identity import MAX_CODE_ATTEMPTS, CodeSent, FailureReason, VerifiedIdentity
from yongin_app.domain import rate_limits as limits
from yongin_app.services import audit, auth, messages, rate_limits, social
from yongin_app.services.contact_fields import (
    CONTACT_FIELDS,
    MOBILE_PREFIXES,
    FLAG_FIELDS,
    contact_field_errors,
    joined_phone as _joined_phone,
    normalized_contact,
)
from yongin_app.services.identity_input import IdentityInput, code_send_limits, parse_identity_input
from yongin_app.services.passwords import hash_password

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(hours=1)
# A 중복체크 that changes nothing in the draft still writes it when its last write is older than this, so
# that its lifetime keeps sliding (as every other step extends it).
DRAFT_TOUCH_INTERVAL = timedelta(minutes=5)

KIND_GENERAL = "general"
KIND_CHILD = "child"

# Progress, in order. A child's STEP 02 has two parts: the guardian, then the child.
PROGRESS_GUARDIAN = "guardian"
PROGRESS_VERIFY = "verify"
PROGRESS_TERMS = "terms"
PROGRESS_INFO = "info"
_ORDER = {PROGRESS_GUARDIAN: 0, PROGRESS_VERIFY: 1, PROGRESS_TERMS: 2, PROGRESS_INFO: 3}

WHO_SELF = "self"
WHO_GUARDIAN = "guardian"

TERMS_GENERAL = frozenset({"service", "privacy"})
TERMS_CHILD = TERMS_GENERAL | {"guardian"}

# Fields of STEP 04 kept in the draft (passwords never are).
TEXT_FIELDS = ("login_id", *CONTACT_FIELDS)
_MAX_FIELD_LENGTH = 200


@dataclass(frozen=True)
class DraftView:
    """What the pages may show; no CI/DI, no passwords."""

    kind: str
    progress: str
    guardian_name_input: str = ""
    guardian_mobile_input: str = ""
    guardian_verified: bool = False
    verified_name: str = ""
    verified_birth_date: date | None = None
    verified_sex: str = ""
    terms: frozenset[str] = frozenset()
    fields: dict[str, str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    checked_login_id: str = ""
    social: dict[str, str] = field(default_factory=dict)  # provider -> display name

    @property
    def is_child(self) -> bool:
        return self.kind == KIND_CHILD


@dataclass(frozen=True)
class StepResult:
    ok: bool
    message: str = ""
    view: DraftView | None = None
    # Extra signals for the page.
    code_sent: bool = False
    sandbox_code: str | None = None
    already_member: bool = False
    attempt_ended: bool = False
    # Refused by a send limit: nothing was sent, and a code sent before is still the one to type.
    rate_limited: bool = False


@dataclass(frozen=True)
class SubmitResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    session_token: str | None = None
    member_id: int | None = None
    draft_missing: bool = False


class DraftNotFound(LookupError):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _load(session: Session, token: str, now: datetime) -> SignupDraft:
    if not token or len(token) > 128:
        raise DraftNotFound
    draft = session.exec(select(SignupDraft).where(SignupDraft.token_hash == _hash(token))).first()
    if draft is None or draft.expires_at <= now:
        raise DraftNotFound
    return draft


def _save(session: Session, draft: SignupDraft, data: dict[str, Any], now: datetime) -> None:
    # A new dict, so SQLAlchemy sees the JSON column change.
    draft.data = dict(data)
    draft.step = data["progress"]
    draft.updated_at = now
    draft.expires_at = now + DRAFT_LIFETIME
    session.add(draft)


def _view(data: dict[str, Any]) -> DraftView:
    identity = data.get("identity") or {}
    guardian_input = data.get("guardian_input") or {}
    return DraftView(
        kind=data["kind"],
        progress=data["progress"],
        guardian_name_input=guardian_input.get("name", ""),
        guardian_mobile_input=guardian_input.get("mobile", ""),
        guardian_verified=bool(data.get("guardian")),
        verified_name=identity.get("name", ""),
        verified_birth_date=date.fromisoformat(identity["birth_date"]) if identity else None,
        verified_sex=identity.get("sex", ""),
        terms=frozenset(data.get("terms", [])),
        fields=dict(data.get("fields", {})),
        flags=dict(data.get("flags", {})),
        checked_login_id=data.get("checked_login_id", ""),
        social={provider: link.get("name", "") for provider, link in (data.get("social") or {}).items()},
    )


def purge_expired_drafts(now: datetime | None = None) -> int:
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        return session.exec(sa.delete(SignupDraft).where(SignupDraft.expires_at <= now)).rowcount


def start_draft(kind: str, *, previous_token: str | None = None, now: datetime | None = None) -> tuple[str, DraftView]:
    """STEP 01: a new draft for 일반 or 어린이; an earlier draft of this browser is discarded."""
    if kind not in (KIND_GENERAL, KIND_CHILD):
        raise ValueError("unknown signup kind")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    data = {"kind": kind, "progress": PROGRESS_GUARDIAN if kind == KIND_CHILD else PROGRESS_VERIFY}
    with unit_of_work(write=True) as session:
        session.exec(sa.delete(SignupDraft).where(SignupDraft.expires_at <= now))
        if previous_token:
            session.exec(sa.delete(SignupDraft).where(SignupDraft.token_hash == _hash(previous_token)))
        session.add(
            SignupDraft(token_hash=_hash(token), step=data["progress"], data=data, created_at=now,
                        updated_at=now, expires_at=now + DRAFT_LIFETIME)
        )
    return token, _view(data)


def get_draft(token: str, *, now: datetime | None = None) -> DraftView | None:
    now = now or utcnow()
    with unit_of_work() as session:
        try:
            return _view(_load(session, token, now).data)
        except DraftNotFound:
            return None


def draft_id(token: str, *, now: datetime | None = None) -> int | None:
    now = now or utcnow()
    with unit_of_work() as session:
        try:
            return _load(session, token, now).id
        except DraftNotFound:
            return None


def discard_draft(token: str) -> None:
    """취소: the draft and everything in it are gone."""
    if not token:
        return
    with unit_of_work(write=True) as session:
        session.exec(sa.delete(SignupDraft).where(SignupDraft.token_hash == _hash(token)))


def reached(view: DraftView | None, progress: str) -> bool:
    """Whether a draft may show the page of `progress` (no step skipped)."""
    return view is not None and _ORDER[view.progress] >= _ORDER[progress]


# ---------------------------------------------------------------- STEP 02: 보호자 and 본인확인


def save_guardian_input(token: str, name: str, mobile: str, *, now: datetime | None = None) -> StepResult:
    """The guardian page's 성명 and 휴대폰 번호, typed before the guardian's own 휴대폰 인증."""
    now = now or utcnow()
    name = (name or "").strip()[:50]
    mobile_raw = (mobile or "")[:20]
    with unit_of_work(write=True) as session:
        try:
            draft = _load(session, token, now)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
        data = dict(draft.data)
        if data["kind"] != KIND_CHILD:
            return StepResult(False, messages.STEP_NOT_READY)
        normalized = validators.normalize_mobile(mobile_raw)
        data["guardian_input"] = {"name": name, "mobile": normalized or mobile_raw}
        changed = data.get("guardian") and (
            data["guardian"]["name"] != name or data["guardian"]["mobile"] != normalized
        )
        if changed:
            # A different guardian must verify again.
            data.pop("guardian", None)
            data["progress"] = PROGRESS_GUARDIAN
        _save(session, draft, data, now)
        if not name:
            return StepResult(False, messages.GUARDIAN_NAME_REQUIRED, view=_view(data))
        error = validators.validate_mobile(mobile_raw)
        if error:
            return StepResult(False, error, view=_view(data))
        return StepResult(True, view=_view(data))


def _verification_input(
    data: dict[str, Any], who: str, method: str, name: str, birth_date: str, phone: str
) -> IdentityInput | str:
    """Checks what the verification screen sent; returns the input or a message."""
    try:
        method_enum = VerificationMethod(method)
    except ValueError:
        return messages.STEP_NOT_READY
    if who == WHO_GUARDIAN:
        # The guardian verifies by 휴대폰 only, with the name and number typed on the guardian page.
        guardian_input = data.get("guardian_input") or {}
        if data["kind"] != KIND_CHILD or not guardian_input.get("name"):
            return messages.GUARDIAN_NAME_REQUIRED
        method_enum = VerificationMethod.PHONE
        name = guardian_input["name"]
        phone = guardian_input.get("mobile", "")
    elif who != WHO_SELF:
        return messages.STEP_NOT_READY
    return parse_identity_input(method_enum, name, birth_date, phone)


def _may_verify(data: dict[str, Any], who: str) -> bool:
    if who == WHO_GUARDIAN:
        return data["kind"] == KIND_CHILD and data["progress"] == PROGRESS_GUARDIAN
    # The member's own verification: after the guardian for a child; may be redone until signup.
    return data["progress"] != PROGRESS_GUARDIAN


def _prepare_verification(
    token: str, who: str, method: str, name: str, birth_date: str, phone: str, now: datetime
) -> tuple[dict[str, Any], IdentityInput] | StepResult:
    """The draft and the checked screen input for a verification step, or the refusal to show."""
    with unit_of_work() as session:
        try:
            data = dict(_load(session, token, now).data)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
    if not _may_verify(data, who):
        return StepResult(False, messages.STEP_NOT_READY)
    parsed = _verification_input(data, who, method, name, birth_date, phone)
    if isinstance(parsed, str):
        return StepResult(False, parsed)
    return data, parsed


def request_code(
    token: str, who: str, method: str, name: str, birth_date: str, phone: str, *,
    client_ip: str | None = None, now: datetime | None = None,
) -> StepResult:
    """인증번호 받기 on the verification screen. The send limits (per phone or person, per client IP,
    per draft) are checked before the provider is called: a refused send reaches nobody."""
    now = now or utcnow()
    prepared = _prepare_verification(token, who, method, name, birth_date, phone, now)
    if isinstance(prepared, StepResult):
        return prepared
    _, parsed = prepared
    decision = rate_limits.acquire(*code_send_limits(parsed, client_ip=client_ip, attempt=f"draft:{_hash(token)}"))
    if not decision.allowed:
        return StepResult(False, messages.code_send_refused(decision), rate_limited=True)
    try:
        answer = get_identity_verifier().send_code(parsed.method, parsed.name, parsed.birth_date, parsed.phone)
    except ServiceNotConfigured:
        return StepResult(False, messages.VERIFY_UNAVAILABLE)
    if not isinstance(answer, CodeSent):
        unavailable = answer.reason == FailureReason.UNAVAILABLE
        return StepResult(False, messages.VERIFY_UNAVAILABLE if unavailable else messages.VERIFY_NOT_FOUND)
    with unit_of_work(write=True) as session:
        try:
            draft = _load(session, token, now)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
        data = dict(draft.data)
        attempts = dict(data.get("code_attempts") or {})
        attempts[who] = 0
        data["code_attempts"] = attempts
        _save(session, draft, data, now)
    return StepResult(True, code_sent=True, sandbox_code=answer.sandbox_code_shown, view=_view(data))


def confirm_code(
    token: str, who: str, method: str, name: str, birth_date: str, phone: str, code: str,
    *, now: datetime | None = None,
) -> StepResult:
    """확인 on the verification screen: the code, then the age and duplicate rules."""
    now = now or utcnow()
    prepared = _prepare_verification(token, who, method, name, birth_date, phone, now)
    if isinstance(prepared, StepResult):
        return prepared
    data, parsed = prepared
    if who not in (data.get("code_attempts") or {}):
        return StepResult(False, messages.VERIFY_CODE_NOT_SENT)
    code = (code or "").strip()[:10]
    if not code:
        return StepResult(False, messages.VERIFY_CODE_REQUIRED)
    try:
        answer = get_identity_verifier().confirm(parsed.method, parsed.name, parsed.birth_date, parsed.phone, code)
    except ServiceNotConfigured:
        return StepResult(False, messages.VERIFY_UNAVAILABLE)

    if not isinstance(answer, VerifiedIdentity):
        if answer.reason == FailureReason.WRONG_CODE:
            return _count_wrong_code(token, who, now)
        unavailable = answer.reason == FailureReason.UNAVAILABLE
        return StepResult(False, messages.VERIFY_UNAVAILABLE if unavailable else messages.VERIFY_NOT_FOUND)
    if answer.birth_date > today_kst(now):
        # Nobody is verified before birth: a garbled answer, handled like an outage (the age rules
        # below would raise on it). The code attempt is not counted.
        log.warning("identity verification answered a birth date after today")
        return StepResult(False, messages.VERIFY_UNAVAILABLE)
    return _accept_identity(token, who, answer, now)


def _count_wrong_code(token: str, who: str, now: datetime) -> StepResult:
    with unit_of_work(write=True) as session:
        try:
            draft = _load(session, token, now)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
        data = dict(draft.data)
        attempts = dict(data.get("code_attempts") or {})
        attempts[who] = attempts.get(who, 0) + 1
        ended = attempts[who] >= MAX_CODE_ATTEMPTS
        if ended:
            attempts.pop(who)  # a new code must be requested
        data["code_attempts"] = attempts
        _save(session, draft, data, now)
    if ended:
        return StepResult(False, messages.VERIFY_TOO_MANY_CODES, attempt_ended=True)
    return StepResult(False, messages.VERIFY_WRONG_CODE)


def _ci_registered(session: Session, ci: str) -> bool:
    return session.exec(select(Member.id).where(Member.ci == ci)).first() is not None


def _accept_identity(token: str, who: str, identity: VerifiedIdentity, now: datetime) -> StepResult:
    today = today_kst(now)
    with unit_of_work(write=True) as session:
        try:
            draft = _load(session, token, now)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
        data = dict(draft.data)
        attempts = dict(data.get("code_attempts") or {})
        attempts.pop(who, None)
        data["code_attempts"] = attempts

        if who == WHO_GUARDIAN:
            typed_name = (data.get("guardian_input") or {}).get("name", "")
            if identity.name != typed_name:
                message = messages.GUARDIAN_NAME_MISMATCH
            elif not age.is_adult_guardian(identity.birth_date, today):
                message = messages.GUARDIAN_TOO_YOUNG
            else:
                message = ""
                data["guardian"] = {
                    "name": identity.name,
                    "birth_date": identity.birth_date.isoformat(),
                    "mobile": identity.phone,
                    "ci": identity.ci,
                }
                data["progress"] = PROGRESS_VERIFY
                audit.record(session, action="signup.guardian_verified", outcome="ok",
                             actor_type=audit.ACTOR_ANONYMOUS, now=now)
            _save(session, draft, data, now)
            return StepResult(not message, message, view=_view(data))

        member_type = age.member_type_for(identity.birth_date, today)
        if data["kind"] == KIND_GENERAL and member_type == MemberType.CHILD:
            message = messages.VERIFY_UNDER_14_USE_CHILD
        elif data["kind"] == KIND_CHILD and member_type == MemberType.GENERAL:
            message = messages.VERIFY_CHILD_TOO_OLD
        elif data["kind"] == KIND_CHILD and identity.ci == (data.get("guardian") or {}).get("ci"):
            message = messages.GUARDIAN_SAME_AS_CHILD
        elif _ci_registered(session, identity.ci):
            _save(session, draft, data, now)
            return StepResult(False, messages.VERIFY_ALREADY_MEMBER, already_member=True, view=_view(data))
        else:
            message = ""
        if message:
            _save(session, draft, data, now)
            return StepResult(False, message, view=_view(data))

        data["identity"] = {
            "name": identity.name,
            "birth_date": identity.birth_date.isoformat(),
            "sex": identity.sex.value,
            "nationality": identity.nationality.value,
            "phone": identity.phone,
            "ci": identity.ci,
            "di": identity.di,
            "method": identity.method.value,
        }
        if _ORDER[data["progress"]] < _ORDER[PROGRESS_TERMS]:
            data["progress"] = PROGRESS_TERMS
        fields = dict(data.get("fields") or {})
        fields.setdefault("mobile_prefix", MOBILE_PREFIXES[0])  # what the select shows first
        if identity.phone and not fields.get("mobile_middle"):
            # Offer the verified number in STEP 04 (KWCAG 7.3.4: no needless re-entry).
            fields["mobile_prefix"], fields["mobile_middle"], fields["mobile_last"] = identity.phone.split("-")
        data["fields"] = fields
        audit.record(session, action="signup.verified", outcome="ok", actor_type=audit.ACTOR_ANONYMOUS,
                     detail=f"method={identity.method.value}", now=now)
        _save(session, draft, data, now)
        return StepResult(True, view=_view(data))


# ---------------------------------------------------------------- STEP 03: 약관동의


def accept_terms(token: str, accepted: list[str] | set[str], *, now: datetime | None = None) -> StepResult:
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        try:
            draft = _load(session, token, now)
        except DraftNotFound:
            return StepResult(False, messages.DRAFT_MISSING)
        data = dict(draft.data)
        if _ORDER[data["progress"]] < _ORDER[PROGRESS_TERMS] or not data.get("identity"):
            return StepResult(False, messages.STEP_NOT_READY)
        required = TERMS_CHILD if data["kind"] == KIND_CHILD else TERMS_GENERAL
        chosen = {str(item) for item in (accepted or [])} & required
        data["terms"] = sorted(chosen)
        if chosen != required:
            _save(session, draft, data, now)
            return StepResult(False, messages.TERMS_REQUIRED, view=_view(data))
        data["progress"] = PROGRESS_INFO
        _save(session, draft, data, now)
        return StepResult(True, view=_view(data))


# ---------------------------------------------------------------- STEP 04: 정보입력


def _clean_value(value: Any) -> str:
    return str(value if value is not None else "")[:_MAX_FIELD_LENGTH]


def _field_errors(values: dict[str, str]) -> dict[str, str]:
    """Every field of STEP 04 except the passwords and the ID check; keyed by the field that shows it."""
    errors: dict[str, str] = {}
    login_id_error = validators.validate_login_id(values.get("login_id", ""))
    if login_id_error:
        errors["login_id"] = login_id_error

    errors.update(contact_field_errors(values))
    return errors


# Which STEP 04 error key each input belongs to.
FIELD_ERROR_KEY = {
    "login_id": "login_id",
    "mobile_prefix": "mobile", "mobile_middle": "mobile", "mobile_last": "mobile",
    "email_local": "email", "email_domain": "email",
    "landline_area": "landline", "landline_middle": "landline", "landline_last": "landline",
    "postal_code": "address", "road_address": "address", "address_detail": "address",
    "home_branch": "home_branch",
}


def _password_errors(data: dict[str, Any], values: dict[str, str], password: str, confirm: str,
                     *, check_confirm: bool) -> dict[str, str]:
    identity = data.get("identity") or {}
    errors: dict[str, str] = {}
    mobile = _joined_phone(values, "mobile_prefix", "mobile_middle", "mobile_last")
    violation = validators.validate_password(
        password,
        login_id=values.get("login_id") or None,
        birth_date=date.fromisoformat(identity["birth_date"]) if identity else None,
        phone=mobile if values.get("mobile_last") else identity.get("phone"),
    )
    if violation:
        errors["password"] = violation
    if check_confirm:
        if not confirm:
            errors["password_confirm"] = messages.PASSWORD_CONFIRM_REQUIRED
        elif confirm != password:
            errors["password_confirm"] = messages.PASSWORD_CONFIRM_MISMATCH
    return errors


def _info_draft(session: Session, token: str, now: datetime) -> tuple[SignupDraft, dict[str, Any]] | None:
    try:
        draft = _load(session, token, now)
    except DraftNotFound:
        return None
    data = dict(draft.data)
    if data["progress"] != PROGRESS_INFO or not data.get("identity"):
        return None
    return draft, data


def save_fields(token: str, changes: dict[str, Any], *, now: datetime | None = None) -> StepResult:
    """Keeps what was typed (on blur), so a reload or a reconnect loses nothing; passwords are never kept."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        loaded = _info_draft(session, token, now)
        if loaded is None:
            return StepResult(False, messages.DRAFT_MISSING)
        draft, data = loaded
        fields = dict(data.get("fields") or {})
        flags = dict(data.get("flags") or {})
        for key, value in (changes or {}).items():
            if key in TEXT_FIELDS:
                fields[key] = _clean_value(value).strip() if key != "address_detail" else _clean_value(value)
            elif key in FLAG_FIELDS:
                flags[key] = bool(value)
        if fields.get("login_id") != data.get("checked_login_id"):
            data["checked_login_id"] = ""  # a changed ID needs a new 중복체크
        data["fields"], data["flags"] = fields, flags
        _save(session, draft, data, now)
        return StepResult(True, view=_view(data))


def field_error(token: str, error_key: str, password: str = "", password_confirm: str = "",
                *, now: datetime | None = None) -> str:
    """The message for one field as it loses focus ('' when fine); the same rules as the submit."""
    now = now or utcnow()
    with unit_of_work() as session:
        loaded = _info_draft(session, token, now)
        if loaded is None:
            return messages.DRAFT_MISSING
        _, data = loaded
    values = dict(data.get("fields") or {})
    if error_key in ("password", "password_confirm"):
        if error_key == "password_confirm" and not password_confirm:
            return ""
        errors = _password_errors(data, values, password, password_confirm,
                                  check_confirm=error_key == "password_confirm")
        return errors.get(error_key, "")
    return _field_errors(values).get(error_key, "")


def check_login_id(token: str, login_id: str, *, client_ip: str | None = None,
                   now: datetime | None = None) -> StepResult:
    """중복체크: the format first, then whether any account (even a withdrawn one) has the ID.

    A well-formed ID is looked up only within the limits per draft and per client IP (IDs cannot be
    listed at will); a malformed one is answered from its format and counts nothing.

    Only the limits' counters and the draft are written (the ID and whether it passed: only when that
    changed or the draft's lifetime is due to be extended), in one unit that does not wait for the disk
    (a draft write lost in a crash only means checking again; submit re-checks the ID in its own
    transaction anyway; a lost counter hit is one free check)."""
    now = now or utcnow()
    login_id = _clean_value(login_id).strip()
    error = validators.validate_login_id(login_id)
    with unit_of_work(write=True) as session:
        if error is None:
            # Counted in this unit of work (no commit of their own); a refusal still counts.
            commit_without_waiting_for_disk(session)
            with rate_limits.counting_in(session):
                decision = rate_limits.hit(
                    (limits.LOGIN_ID_CHECK_PER_DRAFT, f"draft:{_hash(token or '')}"),
                    (limits.LOGIN_ID_CHECK_PER_IP, f"ip:{client_ip}" if client_ip else None),
                )
            if not decision.allowed:
                return StepResult(False, messages.login_id_check_refused(decision))
        # The draft and the ID's owner in one statement (one round trip fewer).
        owner = select(Member.id).where(Member.login_id == login_id).limit(1).scalar_subquery()
        row = None
        if token and len(token) <= 128:
            row = session.exec(select(SignupDraft, owner).where(SignupDraft.token_hash == _hash(token))).first()
        draft, owner_id = row if row is not None else (None, None)
        data = dict(draft.data) if draft is not None and draft.expires_at > now else {}
        if data.get("progress") != PROGRESS_INFO or not data.get("identity"):
            return StepResult(False, messages.DRAFT_MISSING)
        taken = error is None and owner_id is not None
        fields = dict(data.get("fields") or {})
        checked = login_id if error is None and not taken else ""
        unchanged = fields.get("login_id") == login_id and data.get("checked_login_id", "") == checked
        if not unchanged or now - draft.updated_at >= DRAFT_TOUCH_INTERVAL:
            fields["login_id"] = login_id
            data["fields"] = fields
            data["checked_login_id"] = checked
            if error is not None:  # else already relaxed for the counters
                commit_without_waiting_for_disk(session)
            _save(session, draft, data, now)
    if error:
        return StepResult(False, error, view=_view(data))
    if taken:
        return StepResult(False, messages.LOGIN_ID_TAKEN, view=_view(data))
    return StepResult(True, messages.LOGIN_ID_AVAILABLE, view=_view(data))


def attach_social(token: str, expected_draft_id: int, provider: OAuthProvider, provider_user_id: str,
                  display_name: str | None, *, now: datetime | None = None) -> StepResult:
    """After the provider's consent: remember the account to link when the signup completes."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        loaded = _info_draft(session, token, now)
        if loaded is None:
            return StepResult(False, messages.DRAFT_MISSING)
        draft, data = loaded
        if draft.id != expected_draft_id:  # the consent was started from another browser's draft
            return StepResult(False, messages.SOCIAL_LINK_FAILED, view=_view(data))
        taken = session.exec(
            select(SocialLink.id).where(SocialLink.provider == provider,
                                        SocialLink.provider_user_id == provider_user_id)
        ).first()
        if taken:
            return StepResult(False, messages.SOCIAL_ALREADY_LINKED, view=_view(data))
        social = dict(data.get("social") or {})
        social[provider.value] = {"id": provider_user_id, "name": (display_name or "")[:50]}
        data["social"] = social
        _save(session, draft, data, now)
        return StepResult(True, view=_view(data))


def detach_social(token: str, provider: str, *, now: datetime | None = None) -> StepResult:
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        loaded = _info_draft(session, token, now)
        if loaded is None:
            return StepResult(False, messages.DRAFT_MISSING)
        draft, data = loaded
        social = dict(data.get("social") or {})
        social.pop(str(provider), None)
        data["social"] = social
        _save(session, draft, data, now)
        return StepResult(True, view=_view(data))


def _read_info_draft(token: str, now: datetime) -> tuple[int, dict[str, Any]] | None:
    """The draft's row ID and data at STEP 04, read without taking the write lock."""
    with unit_of_work() as session:
        loaded = _info_draft(session, token, now)
        return None if loaded is None else (loaded[0].id, loaded[1])


def _unkept(data: dict[str, Any], changes: dict[str, Any]) -> bool:
    """Whether the submitted form holds anything the draft does not have yet (as save_fields keeps it)."""
    fields = data.get("fields") or {}
    flags = data.get("flags") or {}
    for key, value in changes.items():
        if key in TEXT_FIELDS:
            kept = _clean_value(value) if key == "address_detail" else _clean_value(value).strip()
            if fields.get(key, "") != kept:  # a field never kept shows (and is sent) empty
                return True
        elif key in FLAG_FIELDS and bool(flags.get(key, False)) != bool(value):
            return True
    return False


def submit(token: str, form: dict[str, Any], *, previous_session_token: str | None = None,
           now: datetime | None = None) -> SubmitResult:
    """회원가입 확인: validate everything on the server, then create the 준회원 (and guardian and SNS
    links) and log in, all in one transaction. The unique constraints decide between two people
    submitting the same ID at once."""
    now = now or utcnow()
    form = form if isinstance(form, dict) else {}
    password = str(form.get("password", ""))[:1024]
    confirm = str(form.get("password_confirm", ""))[:1024]
    changes = {key: form.get(key, "") for key in TEXT_FIELDS if key in form}
    changes.update({key: bool(form.get(key)) for key in FLAG_FIELDS})
    loaded = _read_info_draft(token, now)
    if loaded is not None and _unkept(loaded[1], changes):
        # Keep what was typed, whatever happens next. Usually every field was kept on blur already,
        # and the submit then writes nothing before the account itself.
        saved = save_fields(token, changes, now=now)
        if not saved.ok:
            return SubmitResult(False, message=saved.message, draft_missing=True)
        loaded = _read_info_draft(token, now)
    if loaded is None:
        return SubmitResult(False, message=messages.DRAFT_MISSING, draft_missing=True)
    draft_row_id, data = loaded
    values = dict(data.get("fields") or {})
    flags = dict(data.get("flags") or {})
    errors = _field_errors(values)
    errors.update(_password_errors(data, values, password, confirm, check_confirm=True))
    if "login_id" not in errors and data.get("checked_login_id") != values.get("login_id"):
        errors["login_id"] = messages.LOGIN_ID_NOT_CHECKED
    if errors:
        return SubmitResult(False, errors=errors, message=messages.SUBMIT_HAS_ERRORS)

    password_hash = hash_password(password)  # outside the transaction: argon2 takes a while
    identity = data["identity"]
    birth_date = date.fromisoformat(identity["birth_date"])
    today = today_kst(now)
    contact = normalized_contact(values)
    member = Member(
        login_id=values["login_id"],
        password_hash=password_hash,
        name=identity["name"],
        birth_date=birth_date,
        sex=Sex(identity["sex"]),
        nationality=Nationality(identity["nationality"]),
        ci=identity["ci"],
        di=identity["di"],
        member_type=age.member_type_for(birth_date, today),
        grade=Grade.ASSOCIATE,
        **contact,
        mobile_last4=contact["mobile"][-4:] if contact["mobile"] else None,
        sms_consent=flags.get("sms_consent", False),
        email_consent=bool(contact["email"]) and flags.get("email_consent", False),
        created_at=now,
        updated_at=now,
    )
    try:
        with unit_of_work(write=True) as session:
            session.add(member)
            session.flush()
            if data["kind"] == KIND_CHILD:
                guardian = data["guardian"]
                session.add(Guardian(
                    member_id=member.id, name=guardian["name"], mobile=guardian["mobile"],
                    birth_date=date.fromisoformat(guardian["birth_date"]), ci=guardian["ci"], verified_at=now,
                ))
            for provider, link in (data.get("social") or {}).items():
                social.link_to_member(session, member.id, OAuthProvider(provider), link["id"], now)
            session.exec(sa.delete(SignupDraft).where(SignupDraft.id == draft_row_id))
            if previous_session_token:
                auth._end_by_token(session, previous_session_token, now)
            session_token = auth._open_session(session, now, member_id=member.id)
            audit.record(session, action="signup.completed", outcome="ok", actor_type=audit.ACTOR_MEMBER,
                         actor_id=member.id, target_member_id=member.id,
                         detail=f"type={member.member_type.value}", now=now)
            member_id = member.id
    except social.SocialLinkConflict:
        return SubmitResult(False, errors={"social": messages.SOCIAL_ALREADY_LINKED},
                            message=messages.SOCIAL_ALREADY_LINKED)
    except IntegrityError:
        return _explain_conflict(values["login_id"], identity["ci"], token, now)
    return SubmitResult(True, session_token=session_token, member_id=member_id)


def _explain_conflict(login_id: str, ci: str, token: str, now: datetime) -> SubmitResult:
    """The database refused the new rows: say which unique thing was taken in the meantime."""
    with unit_of_work(write=True) as session:
        id_taken = session.exec(select(Member.id).where(Member.login_id == login_id)).first() is not None
        ci_taken = _ci_registered(session, ci)
        if id_taken:
            loaded = _info_draft(session, token, now)
            if loaded is not None:
                draft, fresh = loaded
                fresh["checked_login_id"] = ""
                _save(session, draft, fresh, now)
    if ci_taken:
        return SubmitResult(False, errors={"identity": messages.VERIFY_ALREADY_MEMBER},
                            message=messages.VERIFY_ALREADY_MEMBER)
    if id_taken:
        return SubmitResult(False, errors={"login_id": messages.LOGIN_ID_TAKEN}, message=messages.SUBMIT_HAS_ERRORS)
    return SubmitResult(False, errors={"social": messages.SOCIAL_ALREADY_LINKED}, message=messages.SOCIAL_ALREADY_LINKED)
