"""회원증: number allocation ("157" + a 7-digit sequence, inside the caller's transaction) and the card view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from yongin_app.clock import today_kst
from yongin_app.db import unit_of_work
from yongin_app.domain import multichild, policy
from yongin_app.domain.enums import CardStatus, MemberStatus
from yongin_app.models import Branch, Member, MemberCard, MultichildGrant, NumberSequence
from yongin_app.services.barcode import barcode_data_uri
from yongin_app.settings import get_settings

CARD_SEQUENCE = "card_number"


class CardNumbersExhausted(RuntimeError):
    pass


def allocate_card_number(session: Session) -> str:
    """Takes the next number. The row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serializes issuers,
    and a rolled-back issuance gives its number back, so numbers are unique and gapless.
    One statement: the increment takes the row lock and returns the value it moved past."""
    value = session.exec(
        sa.update(NumberSequence)
        .where(NumberSequence.name == CARD_SEQUENCE)
        .values(next_value=NumberSequence.next_value + 1)
        .returning(NumberSequence.next_value)
        .execution_options(synchronize_session=False)
    ).scalar_one() - 1
    if value >= 10**policy.CARD_SEQUENCE_DIGITS:
        raise CardNumbersExhausted("no 회원증번호 left in the 157 range")  # the caller's rollback undoes the increment
    return f"{policy.CARD_NUMBER_PREFIX}{value:0{policy.CARD_SEQUENCE_DIGITS}d}"


@dataclass(frozen=True)
class CardView:
    """What the mobile member card shows (the member's own, or a staff preview of it)."""

    name: str
    card_number: str
    branch_name: str
    loan_limit: int
    multichild_expires_on: date | None
    barcode_uri: str


def member_card_view(member_id: int, *, now: datetime | None = None) -> CardView | None:
    """The member's active card, or None for a member without one."""
    today = today_kst(now)
    with unit_of_work() as session:
        row = session.exec(
            select(Member.name, MemberCard.card_number, Branch.name)
            .join(MemberCard, MemberCard.member_id == Member.id)
            .join(Branch, Branch.code == Member.home_branch_code, isouter=True)
            .where(Member.id == member_id, Member.status == MemberStatus.ACTIVE,
                   MemberCard.status == CardStatus.ACTIVE)
        ).first()
        if row is None:
            return None
        expires_on = session.exec(
            select(MultichildGrant.expires_on).where(MultichildGrant.member_id == member_id)
        ).first()
    name, card_number, branch_name = row
    current_expiry = expires_on if expires_on is not None and expires_on >= today else None
    return CardView(
        name=name,
        card_number=card_number,
        branch_name=branch_name or "",
        loan_limit=multichild.loan_limit(current_expiry, today),
        multichild_expires_on=current_expiry,
        barcode_uri=barcode_data_uri(card_number, get_settings().barcode_symbology),
    )
