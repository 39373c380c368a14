"""회원증번호 allocation: "157" + a 7-digit sequence, inside the caller's transaction."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from yongin_app.domain import policy
from yongin_app.models import NumberSequence

CARD_SEQUENCE = "card_number"


class CardNumbersExhausted(RuntimeError):
    pass


def allocate_card_number(session: Session) -> str:
    """Takes the next number. The row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serializes issuers,
    and a rolled-back issuance gives its number back, so numbers are unique and gapless."""
    value = session.exec(
        select(NumberSequence.next_value).where(NumberSequence.name == CARD_SEQUENCE).with_for_update()
    ).one()
    if value >= 10**policy.CARD_SEQUENCE_DIGITS:
        raise CardNumbersExhausted("no 회원증번호 left in the 157 range")
    session.exec(
        sa.update(NumberSequence)
        .where(NumberSequence.name == CARD_SEQUENCE)
        .values(next_value=NumberSequence.next_value + 1)
    )
    return f"{policy.CARD_NUMBER_PREFIX}{value:0{policy.CARD_SEQUENCE_DIGITS}d}"
