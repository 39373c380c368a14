"""Staff (사서·관리자) services: login, member lookup, desk actions and the audit browser.

Every function that acts for a staff member takes the session token first and calls
`require_staff` with it: that call IS the role check, so a page cannot forget it.
Search results mask name, mobile and login ID; opening a member's full record needs a
reason from ACCESS_REASONS and leaves an access record before anything is returned. That open is
also remembered for the staff session (StaffMemberOpen): the card preview shows only a member this
session opened, so a link to it from elsewhere reads nothing in this staff member's name.
Audit rows hold codes and IDs only: never a search query, a name, a phone number or a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from yongin_app.clock import KST, utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain import rate_limits as limits, validators
from yongin_app.domain.enums import CardStatus, Grade, MemberStatus, MemberType, Sex, StaffRole
from yongin_app.domain.masking import mask_login_id, mask_mobile, mask_name
from yongin_app.domain.membership import valid_loan_password
from yongin_app.models import (
    AuditLog,
    AuthSession,
    Branch,
    Guardian,
    Member,
    MemberCard,
    MultichildGrant,
    StaffAccount,
    StaffMemberOpen,
)
from yongin_app.services import audit, auth, membership
from yongin_app.services.cards import CardView, allocate_card_number, member_card_view
from yongin_app.services.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)

STAFF_PASSWORD_MIN_LENGTH = 15
STAFF_NAME_MAX_LENGTH = 50

ACCESS_REASONS = (
    "대출·반납 문의",
    "회원정보 확인 요청",
    "방문 회원증 발급",
    "보호자 방문 확인",
    "회원증 재발급",
    "기타 민원 처리",
)
VISIT_DOCUMENTS = ("재직증명서", "재학증명서", "신분증(경기도 주소)", "기타")

SearchKind = Literal["login_id", "name", "card_number", "mobile_last4"]
SEARCH_KINDS: tuple[str, ...] = ("login_id", "name", "card_number", "mobile_last4")
MAX_PER_PAGE = 100

# Korean messages for the staff pages.
MSG_ACCESS_DENIED = "직원 로그인이 필요합니다."
MSG_ADMIN_ONLY = "관리자만 이용할 수 있습니다."
MSG_SEARCH_KIND = "검색 조건을 선택해 주세요."
MSG_SEARCH_LOGIN_ID = "아이디는 영문 소문자와 숫자 4~20자로 정확히 입력해 주세요."
MSG_SEARCH_NAME = "이름을 정확히 입력해 주세요."
MSG_SEARCH_CARD = "회원증번호 10자리를 숫자로 정확히 입력해 주세요."
MSG_SEARCH_MOBILE = "휴대폰 끝 4자리를 숫자로 입력해 주세요."
MSG_PAGE = "페이지 번호가 올바르지 않습니다."
MSG_NUMBER = f"숫자만 입력해 주세요 (최대 {validators.ID_MAX_DIGITS}자리)."
MSG_REASON = "열람 사유를 목록에서 선택해 주세요."
MSG_DOCUMENT = "확인한 증빙서류를 목록에서 선택해 주세요."
MSG_LOAN_PASSWORD = "회원 대출 비밀번호는 숫자 4자리로 입력해 주세요."
MSG_MEMBER_NOT_FOUND = "회원을 찾을 수 없습니다."
MSG_NOT_CHILD_WITH_GUARDIAN = "보호자 정보가 있는 어린이 회원만 보호자 방문 확인을 할 수 있습니다."
MSG_GUARDIAN_ALREADY = "이미 보호자 방문 확인이 완료된 회원입니다."
MSG_NOT_ASSOCIATE = "준회원만 방문 정회원 전환을 할 수 있습니다."
MSG_NO_ACTIVE_CARD = "유효한 회원증이 없는 회원입니다."
MSG_PREVIEW_NOT_OPENED = (
    "지금 로그인한 직원 화면에서 열람 사유를 선택해 연 회원만 회원증을 미리 볼 수 있습니다. "
    "회원 조회에서 회원을 먼저 열람해 주세요."
)
MSG_STAFF_LOGIN_ID_TAKEN = "이미 사용 중인 직원 아이디입니다."
MSG_STAFF_NAME = f"직원 이름을 1~{STAFF_NAME_MAX_LENGTH}자로 입력해 주세요."
MSG_STAFF_PASSWORD_LENGTH = f"직원 비밀번호는 {STAFF_PASSWORD_MIN_LENGTH}자 이상이어야 합니다."
MSG_STAFF_ROLE = "직원 권한은 사서 또는 관리자여야 합니다."


class StaffAccessDenied(PermissionError):
    """No live staff session, an inactive account, or not 관리자 where that is required."""


class InvalidSearch(ValueError):
    """A search, reason or document choice that cannot be used; str() is a Korean message."""


class StaffActionRefused(ValueError):
    """A desk action that does not apply to this member; str() is a Korean message."""


class MemberNotFound(StaffActionRefused):
    pass


class PreviewNotOpened(StaffActionRefused):
    """The card preview of a member this staff session has not opened with a reason."""


# ---------------------------------------------------------------- login and role checks


def login_staff(
    login_id: str,
    password: str,
    *,
    client_ip: str | None = None,
    previous_token: str | None = None,
    now: datetime | None = None,
) -> auth.LoginResult:
    """Like auth.login_member, for active StaffAccount rows. Every failure is LoginResult(token=None).
    Failures per client IP are counted apart from the members' (a branch's shared address full of
    members' typos does not keep its staff out)."""
    return auth.throttled_login(limits.STAFF_LOGIN_FAILURES_PER_IP, client_ip,
                                lambda: _login_staff(login_id, password, previous_token=previous_token, now=now))


def _login_staff(login_id: str, password: str, *, previous_token: str | None, now: datetime | None,
                 ) -> auth.LoginResult:
    now = now or utcnow()
    if not login_id or len(login_id) > 64 or len(password) > 1024:
        burn_verification_time(password[:1024])
        _record_login_without_account(now, "malformed")
        return auth.LoginResult(token=None)

    with unit_of_work() as session:
        staff = session.exec(
            select(StaffAccount).where(StaffAccount.login_id == login_id, StaffAccount.active.is_(True))
        ).first()
        snapshot = (staff.id, staff.password_hash) if staff else None

    if snapshot is None:
        burn_verification_time(password)
        _record_login_without_account(now, "unknown_account")
        return auth.LoginResult(token=None)

    staff_id, stored_hash = snapshot
    password_ok = verify_password(stored_hash, password)  # outside the write transaction

    with unit_of_work(write=True) as session:
        # Row lock, as in auth.login_member: attempts on one account take turns.
        staff = session.exec(select(StaffAccount).where(StaffAccount.id == staff_id).with_for_update()).first()
        if staff is None or not staff.active:
            _record_login(session, now, "unknown_account", None)
            return auth.LoginResult(token=None)
        if staff.locked_until is not None and staff.locked_until > now:
            _record_login(session, now, "locked", staff_id)
            return auth.LoginResult(token=None)
        if not password_ok:
            _count_failure(session, staff_id, now)
            return auth.LoginResult(token=None)

        staff.failed_login_count = 0
        staff.locked_until = None
        if needs_rehash(staff.password_hash):
            staff.password_hash = hash_password(password)
        session.add(staff)
        if previous_token:
            auth._end_by_token(session, previous_token, now)
        token = auth._open_session(session, now, staff_id=staff_id)
        _record_login(session, now, "ok", staff_id)
        return auth.LoginResult(token=token, member_id=None)


def _count_failure(session: Session, staff_id: int, now: datetime) -> None:
    locked = auth.count_failed_login(session, StaffAccount, staff_id, now)
    _record_login(session, now, "wrong_password_locked" if locked else "wrong_password", staff_id)


def _record_login_without_account(now: datetime, outcome: str) -> None:
    with unit_of_work(write=True) as session:
        _record_login(session, now, outcome, None)


def _record_login(session: Session, now: datetime, outcome: str, staff_id: int | None) -> None:
    audit.record(
        session,
        action="staff.login",
        outcome=outcome,
        actor_type=audit.ACTOR_STAFF if staff_id else audit.ACTOR_ANONYMOUS,
        actor_id=staff_id,
        now=now,
    )


@dataclass(frozen=True)
class StaffIdentity:
    staff_id: int
    name: str
    role: StaffRole

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN


def current_staff(token: str | None, *, now: datetime | None = None) -> StaffIdentity | None:
    """The staff member of a live staff session with an active account, else None. Counts as activity."""
    if not token:
        return None
    active = auth.resolve_session(token, now=now)
    if active is None or active.staff_id is None:
        return None
    with unit_of_work() as session:
        staff = session.get(StaffAccount, active.staff_id)
        if staff is None or not staff.active:
            return None
        return StaffIdentity(staff_id=staff.id, name=staff.name, role=staff.role)


def require_staff(token: str | None, *, admin: bool = False, now: datetime | None = None) -> StaffIdentity:
    staff = current_staff(token, now=now)
    if staff is None:
        raise StaffAccessDenied(MSG_ACCESS_DENIED)
    if admin and not staff.is_admin:
        raise StaffAccessDenied(MSG_ADMIN_ONLY)
    return staff


# ---------------------------------------------------------------- staff accounts


def create_staff(login_id: str, name: str, role: StaffRole, password: str, *, now: datetime | None = None) -> int:
    """New active staff account; ValueError with a Korean message when a field is not acceptable."""
    now = now or utcnow()
    id_error = validators.validate_login_id(login_id)
    if id_error:
        raise ValueError(id_error)
    name = (name or "").strip()
    if not name or len(name) > STAFF_NAME_MAX_LENGTH:
        raise ValueError(MSG_STAFF_NAME)
    try:
        role = StaffRole(role)
    except ValueError:
        raise ValueError(MSG_STAFF_ROLE) from None
    if len(password) < STAFF_PASSWORD_MIN_LENGTH:
        raise ValueError(MSG_STAFF_PASSWORD_LENGTH)
    violations = validators.password_violations(password, login_id=login_id, birth_date=None, phone=None)
    if violations:
        raise ValueError(violations[0])

    password_hash = hash_password(password)
    with unit_of_work(write=True) as session:
        if session.exec(select(StaffAccount.id).where(StaffAccount.login_id == login_id)).first() is not None:
            raise ValueError(MSG_STAFF_LOGIN_ID_TAKEN)
        staff = StaffAccount(login_id=login_id, password_hash=password_hash, name=name, role=role, created_at=now)
        session.add(staff)
        session.flush()
        audit.record(session, action="staff.created", outcome="ok", actor_type=audit.ACTOR_SYSTEM,
                     actor_id=None, detail=f"staff_id={staff.id},role={role.value}", now=now)
        return staff.id


# ---------------------------------------------------------------- member search


@dataclass(frozen=True)
class MemberRow:
    """One search result. Name, mobile and ID are masked; the card number is shown whole (desk use)."""

    member_id: int
    masked_login_id: str
    masked_name: str
    masked_mobile: str  # "" when the member has no mobile
    birth_year: int
    grade: Grade
    member_type: MemberType
    status: MemberStatus
    card_number: str | None  # the active card, in full


@dataclass(frozen=True)
class SearchPage:
    rows: list[MemberRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_LOGIN_ID_QUERY = re.compile(r"[a-z0-9]{4,20}")
_CARD_QUERY = re.compile(r"[0-9]{10}")
_LAST4_QUERY = re.compile(r"[0-9]{4}")


def _search_condition(kind: str, query: str) -> sa.ColumnElement[bool]:
    """The exact-match condition for this kind (each served by an index), after checking the query."""
    query = (query or "").strip()
    if kind == "login_id":
        if not _LOGIN_ID_QUERY.fullmatch(query):
            raise InvalidSearch(MSG_SEARCH_LOGIN_ID)
        return Member.login_id == query
    if kind == "name":
        if not query or len(query) > 50:
            raise InvalidSearch(MSG_SEARCH_NAME)
        return Member.name == query
    if kind == "card_number":
        compact = query.replace("-", "").replace(" ", "")
        if not _CARD_QUERY.fullmatch(compact):
            raise InvalidSearch(MSG_SEARCH_CARD)
        # Any card the member ever held (a lost, invalidated card still finds its owner).
        return Member.id.in_(select(MemberCard.member_id).where(MemberCard.card_number == compact))
    if kind == "mobile_last4":
        if not _LAST4_QUERY.fullmatch(query):
            raise InvalidSearch(MSG_SEARCH_MOBILE)
        return Member.mobile_last4 == query
    raise InvalidSearch(MSG_SEARCH_KIND)


def _check_paging(page: int, per_page: int) -> None:
    if not isinstance(page, int) or not isinstance(per_page, int) or page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidSearch(MSG_PAGE)


def search_members(
    token: str | None,
    kind: SearchKind,
    query: str,
    *,
    page: int = 1,
    per_page: int = 20,
    now: datetime | None = None,
) -> SearchPage:
    """Exact-match search; InvalidSearch for a malformed query. Audited with the kind only."""
    staff = require_staff(token, now=now)
    now = now or utcnow()
    condition = _search_condition(kind, query)
    _check_paging(page, per_page)
    with unit_of_work(write=True) as session:
        total = session.exec(select(func.count()).select_from(Member).where(condition)).one()
        found = session.exec(
            select(Member.id, Member.login_id, Member.name, Member.mobile, Member.birth_date, Member.grade,
                   Member.member_type, Member.status, MemberCard.card_number)
            .join(MemberCard, sa.and_(MemberCard.member_id == Member.id, MemberCard.status == CardStatus.ACTIVE),
                  isouter=True)
            .where(condition)
            .order_by(Member.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        audit.record(session, action="staff.search", outcome="ok", actor_type=audit.ACTOR_STAFF,
                     actor_id=staff.staff_id, detail=f"kind={kind}", now=now)
    rows = [
        MemberRow(
            member_id=member_id,
            masked_login_id=mask_login_id(login_id),
            masked_name=mask_name(name),
            masked_mobile=mask_mobile(mobile) if mobile else "",
            birth_year=birth_date.year,
            grade=grade,
            member_type=member_type,
            status=status,
            card_number=card_number,
        )
        for member_id, login_id, name, mobile, birth_date, grade, member_type, status, card_number in found
    ]
    return SearchPage(rows=rows, total=total, page=page, per_page=per_page)


# ---------------------------------------------------------------- member record


@dataclass(frozen=True)
class GuardianInfo:
    masked_name: str
    visit_confirmed_at: datetime | None

    @property
    def visit_confirmed(self) -> bool:
        return self.visit_confirmed_at is not None


@dataclass(frozen=True)
class MemberDetail:
    member_id: int
    name: str
    login_id: str
    birth_date: date
    sex: Sex
    member_type: MemberType
    grade: Grade
    status: MemberStatus
    mobile: str | None
    email: str | None
    landline: str | None
    postal_code: str | None
    road_address: str | None
    address_detail: str | None
    home_branch_name: str  # "" when none
    created_at: datetime
    guardian: GuardianInfo | None  # 어린이 only
    card_number: str | None  # the active card
    multichild_expires_on: date | None  # as stored; may be in the past


def open_member(token: str | None, member_id: int, reason: str, *, now: datetime | None = None) -> MemberDetail:
    """The full record, for a reason from ACCESS_REASONS; the access record is committed before it is returned."""
    staff = require_staff(token, now=now)
    now = now or utcnow()
    if reason not in ACCESS_REASONS:
        raise InvalidSearch(MSG_REASON)
    reason_index = ACCESS_REASONS.index(reason)
    with unit_of_work(write=True) as session:
        # An ID out of range (a caller that skipped validators.parse_id) is nobody, not a database error.
        member = session.get(Member, member_id) if validators.parse_id(member_id) is not None else None
        if member is None:
            _staff_record(session, staff, "staff.member_viewed", "not_found", None, f"reason={reason_index}", now)
            detail = None
        else:
            branch_name = (
                session.exec(select(Branch.name).where(Branch.code == member.home_branch_code)).first()
                if member.home_branch_code else None
            )
            guardian = session.exec(select(Guardian).where(Guardian.member_id == member_id)).first()
            card_number = membership._active_card_number(session, member_id)
            expires_on = session.exec(
                select(MultichildGrant.expires_on).where(MultichildGrant.member_id == member_id)
            ).first()
            detail = MemberDetail(
                member_id=member.id,
                name=member.name,
                login_id=member.login_id,
                birth_date=member.birth_date,
                sex=member.sex,
                member_type=member.member_type,
                grade=member.grade,
                status=member.status,
                mobile=member.mobile,
                email=member.email,
                landline=member.landline,
                postal_code=member.postal_code,
                road_address=member.road_address,
                address_detail=member.address_detail,
                home_branch_name=branch_name or "",
                created_at=member.created_at,
                guardian=(
                    GuardianInfo(mask_name(guardian.name), guardian.visit_confirmed_at)
                    if guardian is not None and member.member_type == MemberType.CHILD else None
                ),
                card_number=card_number,
                multichild_expires_on=expires_on,
            )
            _remember_open(session, token, member_id, now)
            _staff_record(session, staff, "staff.member_viewed", "ok", member_id, f"reason={reason_index}", now)
    if detail is None:
        raise MemberNotFound(MSG_MEMBER_NOT_FOUND)
    return detail


# ---------------------------------------------------------------- desk actions


def confirm_guardian_visit(token: str | None, member_id: int, *, now: datetime | None = None) -> None:
    """보호자 방문 확인 for an active 어린이 member whose guardian is not confirmed yet."""
    staff = require_staff(token, now=now)
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            raise MemberNotFound(MSG_MEMBER_NOT_FOUND)
        if member.member_type != MemberType.CHILD:
            raise StaffActionRefused(MSG_NOT_CHILD_WITH_GUARDIAN)
        updated = session.exec(
            sa.update(Guardian)
            .where(Guardian.member_id == member_id, Guardian.visit_confirmed_at.is_(None))
            .values(visit_confirmed_at=now, visit_confirmed_by_staff_id=staff.staff_id)
        ).rowcount
        if updated != 1:
            exists = session.exec(select(Guardian.id).where(Guardian.member_id == member_id)).first()
            raise StaffActionRefused(MSG_GUARDIAN_ALREADY if exists else MSG_NOT_CHILD_WITH_GUARDIAN)
        _staff_record(session, staff, "staff.guardian_visit_confirmed", "ok", member_id, None, now)


def convert_after_visit(
    token: str | None,
    member_id: int,
    document_type: str,
    loan_password: str,
    *,
    now: datetime | None = None,
) -> str:
    """방문 정회원 전환 after the document check: issues the card (channel "visit"); returns its number."""
    staff = require_staff(token, now=now)
    now = now or utcnow()
    if document_type not in VISIT_DOCUMENTS:
        raise InvalidSearch(MSG_DOCUMENT)
    if not valid_loan_password(loan_password or ""):
        raise InvalidSearch(MSG_LOAN_PASSWORD)
    with unit_of_work() as session:
        member = session.get(Member, member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            raise MemberNotFound(MSG_MEMBER_NOT_FOUND)
        if member.grade != Grade.ASSOCIATE or membership._active_card_number(session, member_id):
            raise StaffActionRefused(MSG_NOT_ASSOCIATE)

    loan_password_hash = hash_password(loan_password)  # before the transaction: argon2 is slow
    result = membership.issue_card(member_id, loan_password_hash, channel="visit", staff_id=staff.staff_id, now=now)
    if result.outcome != membership.Outcome.ISSUED or result.card_number is None:
        raise StaffActionRefused(MSG_NOT_ASSOCIATE)  # another desk or the member got there first
    with unit_of_work(write=True) as session:
        _staff_record(session, staff, "staff.visit_conversion", "ok", member_id,
                      f"document={VISIT_DOCUMENTS.index(document_type)}", now)
    return result.card_number


def reissue_card(token: str | None, member_id: int, *, now: datetime | None = None) -> str:
    """회원증 재발급: the active card is invalidated and a new number keeps its loan password. One transaction."""
    staff = require_staff(token, now=now)
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        member = session.exec(select(Member).where(Member.id == member_id).with_for_update()).first()
        if member is None or member.status != MemberStatus.ACTIVE:
            raise MemberNotFound(MSG_MEMBER_NOT_FOUND)
        old = session.exec(
            select(MemberCard).where(MemberCard.member_id == member_id, MemberCard.status == CardStatus.ACTIVE)
        ).first()
        if old is None:
            raise StaffActionRefused(MSG_NO_ACTIVE_CARD)
        old.status = CardStatus.INVALIDATED
        old.invalidated_at = now
        session.add(old)
        session.flush()
        new_number = allocate_card_number(session)
        session.add(MemberCard(member_id=member_id, card_number=new_number, loan_password_hash=old.loan_password_hash,
                               issued_at=now, issue_channel="visit", issued_by_staff_id=staff.staff_id))
        _staff_record(session, staff, "staff.card_reissued", "ok", member_id, None, now)
    return new_number


# ---------------------------------------------------------------- audit browser


@dataclass(frozen=True)
class AuditRow:
    occurred_at: datetime
    actor_type: str
    actor_id: int | None
    action: str
    target_member_id: int | None
    outcome: str
    detail: str | None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def browse_audit(
    token: str | None,
    *,
    member_id: int | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> AuditPage:
    """관리자 only. Newest first. date_from/date_to are KST calendar days, both inclusive."""
    require_staff(token, admin=True, now=now)
    _check_paging(page, per_page)
    for number in (member_id, actor_id):
        if number is not None and validators.parse_id(number) is None:
            raise InvalidSearch(MSG_NUMBER)
    conditions: list[sa.ColumnElement[bool]] = []
    if member_id is not None:
        conditions.append(AuditLog.target_member_id == member_id)
    if actor_id is not None:
        conditions.append(AuditLog.actor_id == actor_id)
    if action:
        conditions.append(AuditLog.action == action)
    if date_from is not None:
        conditions.append(AuditLog.occurred_at >= datetime.combine(date_from, time(), KST).astimezone(UTC))
    if date_to is not None:
        conditions.append(AuditLog.occurred_at < datetime.combine(date_to + timedelta(days=1), time(), KST).astimezone(UTC))
    with unit_of_work() as session:
        total = session.exec(select(func.count()).select_from(AuditLog).where(*conditions)).one()
        entries = session.exec(
            select(AuditLog).where(*conditions)
            .order_by(AuditLog.occurred_at.desc(), AuditLog.id.desc())
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
    rows = [
        AuditRow(e.occurred_at, e.actor_type, e.actor_id, e.action, e.target_member_id, e.outcome, e.detail)
        for e in entries
    ]
    return AuditPage(rows=rows, total=total, page=page, per_page=per_page)


def _staff_record(session: Session, staff: StaffIdentity, action: str, outcome: str, member_id: int | None,
                  detail: str | None, now: datetime) -> None:
    audit.record(session, action=action, outcome=outcome, actor_type=audit.ACTOR_STAFF, actor_id=staff.staff_id,
                 target_member_id=member_id, detail=detail, now=now)


def _live_session_id(session: Session, token: str) -> int:
    """The AuthSession row of this staff token; StaffAccessDenied if it ended since require_staff."""
    session_id = session.exec(
        select(AuthSession.id).where(AuthSession.token_hash == auth.token_hash(token), AuthSession.ended_at.is_(None))
    ).first()
    if session_id is None:
        raise StaffAccessDenied(MSG_ACCESS_DENIED)
    return session_id


def _remember_open(session: Session, token: str, member_id: int, now: datetime) -> None:
    """This staff session opened the member with a reason; part of the access record's transaction."""
    session_id = _live_session_id(session, token)
    opened = select(StaffMemberOpen.id).where(StaffMemberOpen.auth_session_id == session_id,
                                              StaffMemberOpen.member_id == member_id)
    if session.exec(opened).first() is not None:
        return
    try:
        with session.begin_nested():  # two tabs of one session opening the member at once: one row
            session.add(StaffMemberOpen(auth_session_id=session_id, member_id=member_id, opened_at=now))
    except IntegrityError:
        pass


def preview_card(token: str, member_id: int, *, now: datetime | None = None) -> CardView | None:
    """모바일 회원증 미리보기: the member's card as the member sees it; an audited access like any other.

    Only for a member this staff session opened with a reason (open_member); otherwise PreviewNotOpened,
    with nothing of the member read and the refusal audited."""
    now = now or utcnow()
    identity = require_staff(token, now=now)
    in_range = validators.parse_id(member_id) is not None
    with unit_of_work() as session:
        session_id = _live_session_id(session, token)
        opened = in_range and session.exec(
            select(StaffMemberOpen.id).where(StaffMemberOpen.auth_session_id == session_id,
                                             StaffMemberOpen.member_id == member_id)
        ).first() is not None
    if not opened:
        with unit_of_work(write=True) as session:
            audit.record(session, action="staff.card_previewed", outcome="not_opened", actor_type=audit.ACTOR_STAFF,
                         actor_id=identity.staff_id, target_member_id=member_id if in_range else None, now=now)
        raise PreviewNotOpened(MSG_PREVIEW_NOT_OPENED)
    card = member_card_view(member_id, now=now)
    with unit_of_work(write=True) as session:
        audit.record(session, action="staff.card_previewed", outcome="ok" if card else "no_card",
                     actor_type=audit.ACTOR_STAFF, actor_id=identity.staff_id, target_member_id=member_id, now=now)
    return card
