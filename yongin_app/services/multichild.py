"""다자녀가정 회원전환: the family check, 본인신청, and 자녀신청 row by row.

As with 온라인정회원신청, the resident number is used for the one eligibility call and kept nowhere.
The children's birth dates from the check stay in a MultichildApplication row on the server.
"""

from __future__ import annotations

import enum
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from yongin_app.clock import today_kst, utcnow
from yongin_app.db import count_failure_and_lock, unit_of_work
from yongin_app.domain import multichild, policy, rrn
from yongin_app.domain.enums import Grade, MemberStatus, MemberType
from yongin_app.models import Member, MultichildApplication, MultichildGrant
from yongin_app.ports import get_eligibility_checker
from yongin_app.ports.eligibility import EligibilityAnswer, EligibilityFailureReason
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.services import audit, messages

log = logging.getLogger(__name__)


class Entry(str, enum.Enum):
    ALLOWED = "allowed"
    NEEDS_FULL = "needs_full"
    PARENT_ONLY = "parent_only"


@dataclass(frozen=True)
class Applicant:
    entry: Entry
    name: str = ""
    login_id: str = ""
    rrn_front: str = ""


@dataclass(frozen=True)
class Converted:
    login_id: str
    name: str
    expires_on: date


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    converted: tuple[Converted, ...] = ()  # 본인신청
    application_ready: bool = False  # 자녀신청: the rows are waiting


@dataclass(frozen=True)
class ChildRow:
    row_id: str
    number: int  # 자녀1, 자녀2, … as first listed; kept when other rows are deleted
    birth_date: date
    verified: bool
    login_id: str
    name: str


@dataclass(frozen=True)
class RowResult:
    ok: bool
    message: str = ""
    rows: tuple[ChildRow, ...] = ()


# Row IDs are secrets.token_urlsafe(9): 12 URL-safe characters. Anything else is not a row of ours.
ROW_ID_LENGTH = 12
_ROW_ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def valid_row_id(value: Any) -> bool:
    """Whether value can be a row ID at all (type, length, alphabet); existence is checked separately."""
    return isinstance(value, str) and len(value) == ROW_ID_LENGTH and set(value) <= _ROW_ID_CHARACTERS


def _entry(member: Member | None) -> Entry:
    if member is None or member.status != MemberStatus.ACTIVE:
        return Entry.NEEDS_FULL
    if member.member_type == MemberType.CHILD:
        return Entry.PARENT_ONLY
    if member.grade != Grade.FULL:
        return Entry.NEEDS_FULL
    return Entry.ALLOWED


def applicant(member_id: int) -> Applicant:
    with unit_of_work() as session:
        member = session.get(Member, member_id)
        entry = _entry(member)
        if entry != Entry.ALLOWED:
            return Applicant(entry)
        return Applicant(entry, member.name, member.login_id, rrn.rrn_front(member.birth_date))


_FAILURES = {
    EligibilityFailureReason.NO_MATCH: messages.MULTICHILD_NO_MATCH,
    EligibilityFailureReason.FOREIGN_REGISTRATION: messages.MULTICHILD_FOREIGN,
    EligibilityFailureReason.UNAVAILABLE: messages.MULTICHILD_UNAVAILABLE,
}


def _check_family(member_id: int, consent: bool, rrn_back: str, now: datetime) -> tuple[list[date], str] | CheckResult:
    """Validates, then calls the eligibility port once; the children's birth dates, or a refusal."""
    with unit_of_work() as session:
        member = session.get(Member, member_id)
        entry = _entry(member)
        if entry != Entry.ALLOWED:
            message = messages.MULTICHILD_PARENT_ONLY if entry == Entry.PARENT_ONLY else messages.MULTICHILD_NEEDS_FULL
            return CheckResult(False, message)
        name, birth_date, sex, login_id = member.name, member.birth_date, member.sex, member.login_id
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = messages.MEMBERSHIP_CONSENT_REQUIRED
    rrn_error = rrn.validate_rrn_back(rrn_back, birth_date, sex)
    if rrn_error:
        errors["rrn_back"] = rrn_error
    elif rrn.is_foreign_registration(rrn_back):
        errors["rrn_back"] = messages.MULTICHILD_FOREIGN
    if errors:
        return CheckResult(False, messages.SUBMIT_HAS_ERRORS, errors=errors)
    try:
        answer = get_eligibility_checker().check(name, rrn.rrn_front(birth_date), rrn_back)
    except ServiceNotConfigured:
        log.error("eligibility check is not configured")
        answer = None
    if not isinstance(answer, EligibilityAnswer):
        reason = answer.reason if answer is not None else EligibilityFailureReason.UNAVAILABLE
        _record(member_id, "multichild.eligibility_check", reason.value, now)
        return CheckResult(False, _FAILURES[reason])
    try:
        refusal = multichild.multichild_refusal(answer.sigungu, answer.sido, answer.children_birth_dates,
                                                today_kst(now))
    except ValueError:
        # A child born after today: a garbled answer, handled like an outage (nothing is kept).
        log.warning("eligibility check answered a child birth date after today")
        _record(member_id, "multichild.eligibility_check", EligibilityFailureReason.UNAVAILABLE.value, now)
        return CheckResult(False, messages.MULTICHILD_UNAVAILABLE)
    if refusal:
        _record(member_id, "multichild.eligibility_check", "refused", now)
        return CheckResult(False, refusal)
    return list(answer.children_birth_dates), login_id


def _lock_members(session: Session, member_ids: list[int]) -> None:
    """Row locks on these members, always in id order (PostgreSQL; SQLite's write lock is already held), so
    two applications granting the same member serialize: the later one sees the earlier grant and updates
    it, instead of both inserting one (unique member_id) or deadlocking on each other's rows."""
    session.exec(select(Member.id).where(Member.id.in_(sorted(set(member_ids)))).order_by(Member.id)
                 .with_for_update()).all()


def _grant(session: Session, member_id: int, expires_on: date, applied_by: int, now: datetime) -> None:
    """One grant per member: a new application updates it."""
    _lock_members(session, [member_id])
    grant = session.exec(select(MultichildGrant).where(MultichildGrant.member_id == member_id)).first()
    if grant is None:
        grant = MultichildGrant(member_id=member_id, expires_on=expires_on, loan_limit=policy.MULTICHILD_LOAN_LIMIT,
                                applied_by_member_id=applied_by, created_at=now, updated_at=now)
    else:
        grant.expires_on, grant.applied_by_member_id, grant.updated_at = expires_on, applied_by, now
        grant.loan_limit = policy.MULTICHILD_LOAN_LIMIT
    session.add(grant)


def apply_self(member_id: int, *, consent: bool, rrn_back: str, now: datetime | None = None) -> CheckResult:
    """본인신청: the member's own loan limit becomes 10 until the expiry."""
    now = now or utcnow()
    checked = _check_family(member_id, consent, rrn_back, now)
    if isinstance(checked, CheckResult):
        return checked
    births, login_id = checked
    expires_on = multichild.multichild_expiry(max(births))
    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        _grant(session, member_id, expires_on, member_id, now)
        audit.record(session, action="multichild.self_converted", outcome="ok", actor_type=audit.ACTOR_MEMBER,
                     actor_id=member_id, target_member_id=member_id, now=now)
        name = member.name
    return CheckResult(True, converted=(Converted(login_id, name, expires_on),))


def start_children(member_id: int, *, consent: bool, rrn_back: str, now: datetime | None = None) -> CheckResult:
    """자녀신청: one row per child from the check, each to be verified by 자격확인."""
    now = now or utcnow()
    checked = _check_family(member_id, consent, rrn_back, now)
    if isinstance(checked, CheckResult):
        return checked
    births, _ = checked
    rows = [
        {"row_id": secrets.token_urlsafe(9), "number": number, "birth_date": born.isoformat(),
         "verified_member_id": None, "login_id": "", "name": ""}
        for number, born in enumerate(sorted(births), start=1)
    ]
    with unit_of_work(write=True) as session:
        # One open application per member: a new one replaces the old.
        for old in session.exec(select(MultichildApplication).where(
                MultichildApplication.member_id == member_id, MultichildApplication.submitted_at.is_(None))):
            session.delete(old)
        session.add(MultichildApplication(member_id=member_id, youngest_birth_date=max(births), rows=rows,
                                          created_at=now, expires_at=now + policy.MULTICHILD_APPLICATION_LIFETIME))
    return CheckResult(True, application_ready=True)


def _open_application(session: Session, member_id: int, now: datetime, *,
                      lock: bool = False) -> MultichildApplication | None:
    """lock: a write unit's row lock (PostgreSQL), so two tabs changing or submitting the application take
    turns, and the later one sees it as the earlier one left it (e.g. already submitted)."""
    statement = (
        select(MultichildApplication)
        .where(MultichildApplication.member_id == member_id, MultichildApplication.submitted_at.is_(None),
               MultichildApplication.expires_at > now)
        .order_by(MultichildApplication.id.desc())
    )
    return session.exec(statement.with_for_update() if lock else statement).first()


def _rows(application: MultichildApplication) -> tuple[ChildRow, ...]:
    return tuple(
        ChildRow(row["row_id"], row["number"], date.fromisoformat(row["birth_date"]),
                 row["verified_member_id"] is not None, row["login_id"], row["name"])
        for row in application.rows
    )


def child_rows(member_id: int, *, now: datetime | None = None) -> tuple[ChildRow, ...] | None:
    """The open 자녀신청 of this member, or None."""
    now = now or utcnow()
    with unit_of_work() as session:
        application = _open_application(session, member_id, now)
        return _rows(application) if application is not None else None


def _matching_child(session: Session, parent_id: int, login_id: str, name: str, birth_date: date) -> Member | None:
    child = session.exec(select(Member).where(Member.login_id == login_id)).first()
    if (
        child is None
        or child.id == parent_id
        or child.status != MemberStatus.ACTIVE
        or child.grade != Grade.FULL
        or child.name != name
        or child.birth_date != birth_date
    ):
        return None
    return child


def _child_checks_locked(session: Session, member_id: int, now: datetime) -> bool:
    """Whether the member's 자격확인 is locked. Takes the member's row lock (PostgreSQL; SQLite's write lock
    is already held), so that parallel checks of one member take turns on the counter and the lock."""
    locked_until = session.exec(
        select(Member.child_check_locked_until).where(Member.id == member_id).with_for_update()
    ).first()
    return locked_until is not None and locked_until > now


def _count_child_check_failure(session: Session, member_id: int, now: datetime) -> None:
    """One more failed 자격확인 for the member (not the application: a new 자녀신청 must not reset it);
    the tenth locks 자격확인 for MULTICHILD_ROW_CHECK_LOCK."""
    count_failure_and_lock(session, Member.child_check_failures, Member.child_check_locked_until, member_id,
                           limit=policy.MULTICHILD_ROW_CHECK_LIMIT, lock_for=policy.MULTICHILD_ROW_CHECK_LOCK,
                           now=now)


def verify_row(member_id: int, row_id: str, login_id: str, name: str, *, now: datetime | None = None) -> RowResult:
    """자격확인 for one row: an account with that ID, 정회원, whose name and birth date match the row."""
    now = now or utcnow()
    if not valid_row_id(row_id):
        return RowResult(False, messages.CHILD_ROW_NOT_FOUND)
    login_id, name = str(login_id or "").strip()[:20], str(name or "").strip()[:50]
    with unit_of_work(write=True) as session:
        application = _open_application(session, member_id, now, lock=True)
        if application is None:
            return RowResult(False, messages.APPLICATION_MISSING)
        rows = [dict(row) for row in application.rows]
        row = next((r for r in rows if r["row_id"] == row_id), None)
        if row is None:
            return RowResult(False, messages.CHILD_ROW_NOT_FOUND, _rows(application))
        if row["verified_member_id"] is not None:
            return RowResult(True, rows=_rows(application))
        if not login_id or not name:
            return RowResult(False, messages.CHILD_ROW_REQUIRED, _rows(application))
        if _child_checks_locked(session, member_id, now):
            return RowResult(False, messages.CHILD_ROW_LOCKED, _rows(application))
        row["login_id"], row["name"] = login_id, name
        child = _matching_child(session, member_id, login_id, name, date.fromisoformat(row["birth_date"]))
        taken = child is not None and any(r["verified_member_id"] == child.id for r in rows)
        if child is None or taken:
            _count_child_check_failure(session, member_id, now)
            application.rows = rows
            session.add(application)
            audit.record(session, action="multichild.child_check", outcome="no_match", actor_type=audit.ACTOR_MEMBER,
                         actor_id=member_id, target_member_id=member_id, now=now)
            return RowResult(False, messages.CHILD_ROW_NO_MATCH, _rows(application))
        row["verified_member_id"] = child.id
        application.rows = rows
        session.add(application)
        return RowResult(True, rows=_rows(application))


def delete_row(member_id: int, row_id: str, *, now: datetime | None = None) -> RowResult:
    """삭제: that row only; the others keep their entries and states."""
    now = now or utcnow()
    if not valid_row_id(row_id):
        return RowResult(False, messages.CHILD_ROW_NOT_FOUND)
    with unit_of_work(write=True) as session:
        application = _open_application(session, member_id, now, lock=True)
        if application is None:
            return RowResult(False, messages.APPLICATION_MISSING)
        remaining = [dict(row) for row in application.rows if row["row_id"] != row_id]
        if len(remaining) == len(application.rows):
            return RowResult(False, messages.CHILD_ROW_NOT_FOUND, _rows(application))
        application.rows = remaining
        session.add(application)
        return RowResult(True, rows=_rows(application))


def submit_children(member_id: int, *, now: datetime | None = None) -> CheckResult:
    """자녀신청확인: every remaining row verified again on the server, then all converted at once, or none."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        application = _open_application(session, member_id, now, lock=True)
        if application is None:
            return CheckResult(False, messages.APPLICATION_MISSING)
        rows: list[dict[str, Any]] = application.rows
        if not rows:
            return CheckResult(False, messages.CHILD_ROWS_EMPTY)
        if any(row["verified_member_id"] is None for row in rows):
            return CheckResult(False, messages.CHILD_ROWS_NOT_READY)
        # Lock every child first (then check them as they are now), in one order for every parent.
        _lock_members(session, [row["verified_member_id"] for row in rows])
        children: list[Member] = []
        for row in rows:
            child = _matching_child(session, member_id, row["login_id"], row["name"],
                                    date.fromisoformat(row["birth_date"]))
            if child is None or child.id != row["verified_member_id"]:
                return CheckResult(False, messages.CHILD_ROW_CHANGED)
            children.append(child)
        expires_on = multichild.multichild_expiry(application.youngest_birth_date)
        for child in children:
            _grant(session, child.id, expires_on, member_id, now)
            audit.record(session, action="multichild.child_converted", outcome="ok", actor_type=audit.ACTOR_MEMBER,
                         actor_id=member_id, target_member_id=child.id, now=now)
        application.submitted_at = now
        session.add(application)
        converted = tuple(Converted(child.login_id, child.name, expires_on) for child in children)
    return CheckResult(True, converted=converted)


def _record(member_id: int, action: str, outcome: str, now: datetime) -> None:
    with unit_of_work(write=True) as session:
        audit.record(session, action=action, outcome=outcome, actor_type=audit.ACTOR_MEMBER, actor_id=member_id,
                     target_member_id=member_id, now=now)
