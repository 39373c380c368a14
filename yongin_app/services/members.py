"""Read models of members for the pages (no secrets leave this module)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.domain.enums import CardStatus, Grade, MemberType
from yongin_app.models import Guardian, Member, MemberCard


@dataclass(frozen=True)
class MemberSummary:
    member_id: int
    login_id: str
    name: str
    grade: Grade
    member_type: MemberType
    guardian_visit_pending: bool
    card_number: str | None


def member_summary(member_id: int) -> MemberSummary | None:
    with unit_of_work() as session:
        member = session.get(Member, member_id)
        if member is None:
            return None
        guardian_pending = False
        if member.member_type == MemberType.CHILD:
            guardian = session.exec(select(Guardian).where(Guardian.member_id == member_id)).first()
            guardian_pending = guardian is None or guardian.visit_confirmed_at is None
        card_number = session.exec(
            select(MemberCard.card_number).where(
                MemberCard.member_id == member_id, MemberCard.status == CardStatus.ACTIVE
            )
        ).first()
        return MemberSummary(
            member_id=member.id,
            login_id=member.login_id,
            name=member.name,
            grade=member.grade,
            member_type=member.member_type,
            guardian_visit_pending=guardian_pending,
            card_number=card_number,
        )
