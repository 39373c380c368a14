"""Demo accounts for the embedded default. None of them is a sandbox registry person,
so every flow can be tried from the start with the sandbox people."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from dataclasses import dataclass

from sqlmodel import select

from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import Grade, MemberType, Nationality, Sex, StaffRole
from yongin_app.models import Member, MemberCard, StaffAccount
from yongin_app.services import audit
from yongin_app.services.cards import allocate_card_number
from yongin_app.services.passwords import hash_password

DEMO_PASSWORD = "Chaekbit-2026!"
DEMO_LOAN_PASSWORD = "2580"


@dataclass(frozen=True)
class DemoMember:
    login_id: str
    name: str
    birth_date: date
    sex: Sex
    grade: Grade
    mobile: str


DEMO_MEMBERS = (
    DemoMember("demoassoc", "이준회", date(1991, 3, 9), Sex.FEMALE, Grade.ASSOCIATE, "010-1000-2001"),
    DemoMember("demofull", "박정회", date(1987, 10, 24), Sex.MALE, Grade.FULL, "010-1000-2002"),
)
DEMO_STAFF_LOGIN_ID = "demostaff"


def load_demo_data(now: datetime | None = None) -> list[str]:
    """Creates the demo accounts that do not exist yet; returns the login IDs created."""
    now = now or utcnow()
    created: list[str] = []
    password_hash = hash_password(DEMO_PASSWORD)
    with unit_of_work(write=True) as session:
        for demo in DEMO_MEMBERS:
            if session.exec(select(Member.id).where(Member.login_id == demo.login_id)).first():
                continue
            member = Member(
                login_id=demo.login_id,
                password_hash=password_hash,
                name=demo.name,
                birth_date=demo.birth_date,
                sex=demo.sex,
                nationality=Nationality.DOMESTIC,
                ci=f"DEMO-CI-{demo.login_id}",
                di=f"DEMO-DI-{demo.login_id}",
                member_type=MemberType.GENERAL,
                grade=demo.grade,
                mobile=demo.mobile,
                mobile_last4=demo.mobile[-4:],
                sms_consent=True,
                postal_code="17019",
                road_address="경기도 용인시 처인구 중부대로 1199",
                address_detail="101호",
                home_branch_code="MA",
                created_at=now,
                updated_at=now,
            )
            session.add(member)
            session.flush()
            if demo.grade == Grade.FULL:
                session.add(
                    MemberCard(
                        member_id=member.id,
                        card_number=allocate_card_number(session),
                        loan_password_hash=hash_password(DEMO_LOAN_PASSWORD),
                        issued_at=now,
                    )
                )
            audit.record(session, action="demo.member_created", outcome="ok",
                         actor_type=audit.ACTOR_SYSTEM, target_member_id=member.id, now=now)
            created.append(demo.login_id)
        if not session.exec(select(StaffAccount.id).where(StaffAccount.login_id == DEMO_STAFF_LOGIN_ID)).first():
            session.add(StaffAccount(login_id=DEMO_STAFF_LOGIN_ID, password_hash=password_hash,
                                     name="김사서", role=StaffRole.ADMIN, created_at=now))
            created.append(DEMO_STAFF_LOGIN_ID)
    return created
