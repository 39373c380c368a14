"""Accounts made straight in the database for tests that start after signup."""

from __future__ import annotations

import uuid

from sqlmodel import select
from yongin_app.clock import today_kst, utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain import age
from yongin_app.models import Member
from yongin_app.ports.sandbox import load_registry
from yongin_app.ports.sandbox.identity import sandbox_ci, sandbox_di
from yongin_app.services.membership import issue_card
from yongin_app.services.passwords import hash_password

PASSWORD = "Sejong-Book#2026"


def associate_member(registry_name: str, login_id: str | None = None) -> str:
    """A 준회원 for a sandbox registry person (as signup would make it); returns the login ID."""
    person = next(p for p in load_registry().people if p.name == registry_name)
    login_id = login_id or "m" + uuid.uuid4().hex[:10]
    now = utcnow()
    with unit_of_work(write=True) as session:
        session.add(
            Member(
                login_id=login_id, password_hash=hash_password(PASSWORD), name=person.name,
                birth_date=person.birth_date, sex=person.sex, nationality=person.nationality,
                ci=sandbox_ci(person.key), di=sandbox_di(person.key),
                member_type=age.member_type_for(person.birth_date, today_kst(now)),
                home_branch_code="MK", mobile=person.phone,
                mobile_last4=person.phone[-4:] if person.phone else None, postal_code="17019", road_address="경기도 용인시 처인구 중부대로 1199",
                created_at=now, updated_at=now,
            )
        )
    return login_id


def full_member(registry_name: str, login_id: str | None = None) -> str:
    """A 정회원 with a 회원증 for a sandbox registry person; returns the login ID."""
    login_id = associate_member(registry_name, login_id)
    with unit_of_work() as session:
        member_id = session.exec(select(Member.id).where(Member.login_id == login_id)).one()
    issue_card(member_id, hash_password("2580"), channel="online")
    return login_id


def idle_sessions_of(login_id: str, minutes: int) -> None:
    """The server's view of time passing: the member's live sessions were last seen ``minutes`` ago."""
    from datetime import timedelta

    from yongin_app.models import AuthSession

    with unit_of_work(write=True) as session:
        member_id = session.exec(select(Member.id).where(Member.login_id == login_id)).one()
        rows = session.exec(
            select(AuthSession).where(AuthSession.member_id == member_id, AuthSession.ended_at.is_(None))
        ).all()
        for row in rows:
            row.last_seen_at = utcnow() - timedelta(minutes=minutes)
            session.add(row)
