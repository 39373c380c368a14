"""Accounts made straight in the database for tests that start after signup."""

from __future__ import annotations

import uuid
from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberType
from yongin_app.models import Member
from yongin_app.ports.sandbox import load_registry
from yongin_app.ports.sandbox.identity import sandbox_ci, sandbox_di
from yongin_app.services.passwords import hash_password

PASSWORD = "Sejong-Book#2026"


def associate_member(registry_name: str) -> str:
    """A 준회원 for a sandbox registry person (as signup would make it); returns the login ID."""
    person = next(p for p in load_registry().people if p.name == registry_name)
    login_id = "m" + uuid.uuid4().hex[:10]
    now = utcnow()
    with unit_of_work(write=True) as session:
        session.add(
            Member(
                login_id=login_id, password_hash=hash_password(PASSWORD), name=person.name,
                birth_date=person.birth_date, sex=person.sex, nationality=person.nationality,
                ci=sandbox_ci(person.key), di=sandbox_di(person.key), member_type=MemberType.GENERAL,
                home_branch_code="MK", postal_code="17019", road_address="경기도 용인시 처인구 중부대로 1199",
                created_at=now, updated_at=now,
            )
        )
    return login_id
