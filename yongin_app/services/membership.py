"""온라인 정회원신청: the eligibility check, then card issuance in one transaction.

The resident registration number lives only in the arguments of `apply_online` and of the one
port call: it is never stored, logged, audited or put in an exception message.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain import rrn
from yongin_app.domain.enums import CardStatus, Grade, MemberStatus
from yongin_app.domain.membership import FullMemberRefusal, full_member_refusal, valid_loan_password
from yongin_app.models import Member, MemberCard
from yongin_app.ports import get_eligibility_checker
from yongin_app.ports.eligibility import EligibilityAnswer, EligibilityFailureReason
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.services import audit, messages
from yongin_app.services.cards import allocate_card_number
from yongin_app.services.passwords import hash_password

log = logging.getLogger(__name__)


class Outcome(str, enum.Enum):
    ISSUED = "issued"
    ALREADY_FULL = "already_full"  # a card exists (double submit, second tab, or already 정회원)
    INVALID = "invalid"  # field errors; nothing was sent anywhere
    OUTSIDE_GYEONGGI = "outside_gyeonggi"
    FOREIGN = "foreign"
    NO_MATCH = "no_match"
    UNAVAILABLE = "unavailable"
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class ApplicationResult:
    outcome: Outcome
    message: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    card_number: str | None = None

    @property
    def has_card(self) -> bool:
        return self.outcome in (Outcome.ISSUED, Outcome.ALREADY_FULL)


@dataclass(frozen=True)
class Applicant:
    name: str
    rrn_front: str
    grade: Grade
    card_number: str | None


def applicant(member_id: int) -> Applicant | None:
    with unit_of_work() as session:
        member = session.get(Member, member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            return None
        return Applicant(member.name, rrn.rrn_front(member.birth_date), member.grade,
                         _active_card_number(session, member_id))


def _active_card_number(session: Session, member_id: int) -> str | None:
    return session.exec(
        select(MemberCard.card_number).where(MemberCard.member_id == member_id,
                                             MemberCard.status == CardStatus.ACTIVE)
    ).first()


_REFUSALS = {
    FullMemberRefusal.OUTSIDE_GYEONGGI: (Outcome.OUTSIDE_GYEONGGI, messages.MEMBERSHIP_OUTSIDE_GYEONGGI),
    FullMemberRefusal.FOREIGN: (Outcome.FOREIGN, messages.MEMBERSHIP_FOREIGN),
}
_FAILURES = {
    EligibilityFailureReason.NO_MATCH: (Outcome.NO_MATCH, messages.MEMBERSHIP_NO_MATCH),
    EligibilityFailureReason.FOREIGN_REGISTRATION: (Outcome.FOREIGN, messages.MEMBERSHIP_FOREIGN),
    EligibilityFailureReason.UNAVAILABLE: (Outcome.UNAVAILABLE, messages.MEMBERSHIP_UNAVAILABLE),
}


def apply_online(
    member_id: int,
    *,
    consent: bool,
    rrn_back: str,
    loan_password: str,
    loan_password_confirm: str,
    now: datetime | None = None,
) -> ApplicationResult:
    now = now or utcnow()
    with unit_of_work() as session:
        # One statement: the applicant's columns and any active card (no full ORM load).
        row = session.exec(
            select(Member.name, Member.birth_date, Member.sex, Member.status, Member.grade, MemberCard.card_number)
            .join(MemberCard, sa.and_(MemberCard.member_id == Member.id, MemberCard.status == CardStatus.ACTIVE),
                  isouter=True)
            .where(Member.id == member_id)
        ).first()
    if row is None or row.status != MemberStatus.ACTIVE:
        return ApplicationResult(Outcome.NOT_ALLOWED, messages.MEMBERSHIP_NOT_ALLOWED)
    if row.grade == Grade.FULL or row.card_number:
        return ApplicationResult(Outcome.ALREADY_FULL, card_number=row.card_number)
    name, birth_date, sex = row.name, row.birth_date, row.sex

    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = messages.MEMBERSHIP_CONSENT_REQUIRED
    rrn_error = rrn.validate_rrn_back(rrn_back, birth_date, sex)
    if rrn_error:
        errors["rrn_back"] = rrn_error
    elif rrn.is_foreign_registration(rrn_back):
        errors["rrn_back"] = messages.MEMBERSHIP_FOREIGN
    if not valid_loan_password(loan_password):
        errors["loan_password"] = messages.LOAN_PASSWORD_FORMAT
    elif loan_password_confirm != loan_password:
        errors["loan_password_confirm"] = messages.LOAN_PASSWORD_MISMATCH
    if errors:
        return ApplicationResult(Outcome.INVALID, messages.SUBMIT_HAS_ERRORS, errors=errors)

    # The one call that sees the number; no transaction is open while it runs.
    try:
        answer = get_eligibility_checker().check(name, rrn.rrn_front(birth_date), rrn_back)
    except ServiceNotConfigured:
        log.error("eligibility check is not configured")
        answer = None
    if answer is None or not isinstance(answer, EligibilityAnswer):
        reason = answer.reason if answer is not None else EligibilityFailureReason.UNAVAILABLE
        outcome, message = _FAILURES[reason]
        _record(member_id, outcome, now)
        return ApplicationResult(outcome, message)
    refusal = full_member_refusal(answer.sido, answer.nationality)
    if refusal is not None:
        outcome, message = _REFUSALS[refusal]
        _record(member_id, outcome, now)
        return ApplicationResult(outcome, message)

    loan_password_hash = hash_password(loan_password)  # before the transaction: argon2 is slow
    return issue_card(member_id, loan_password_hash, channel="online", now=now)


def issue_card(member_id: int, loan_password_hash: str, *, channel: str, staff_id: int | None = None,
               now: datetime | None = None) -> ApplicationResult:
    """Member becomes 정회원 with a new card, in one transaction; a second call issues nothing."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        # The member becomes 정회원 first, in one statement that also takes the member's row lock (PostgreSQL;
        # SQLite's write lock is already held), so two submits serialize: the second waits, sees the grade
        # the first set, changes nothing and reports the first one's card.
        promoted = session.exec(
            sa.update(Member)
            .where(Member.id == member_id, Member.grade != Grade.FULL,
                   ~sa.exists().where(MemberCard.member_id == member_id, MemberCard.status == CardStatus.ACTIVE))
            .values(grade=Grade.FULL, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not promoted:
            return ApplicationResult(Outcome.ALREADY_FULL, card_number=_active_card_number(session, member_id))
        card_number = allocate_card_number(session)
        session.exec(sa.insert(MemberCard).values(
            member_id=member_id, card_number=card_number, loan_password_hash=loan_password_hash, issued_at=now,
            status=CardStatus.ACTIVE, issue_channel=channel, issued_by_staff_id=staff_id))
        audit.record(session, action="membership.card_issued", outcome="ok",
                     actor_type=audit.ACTOR_STAFF if staff_id else audit.ACTOR_MEMBER,
                     actor_id=staff_id or member_id, target_member_id=member_id, detail=f"channel={channel}", now=now)
    return ApplicationResult(Outcome.ISSUED, card_number=card_number)


def _record(member_id: int, outcome: Outcome, now: datetime) -> None:
    with unit_of_work(write=True) as session:
        audit.record(session, action="membership.eligibility_check", outcome=outcome.value,
                     actor_type=audit.ACTOR_MEMBER, actor_id=member_id, target_member_id=member_id, now=now)
