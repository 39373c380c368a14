"""Several tabs of one staff session opening the same member at once (issue 14, finding 6): every open
answers, each writes its access record, and the session remembers the member once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from tests.unit.concurrency.parallel import results
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberType, Nationality, Sex, StaffRole
from yongin_app.models import AuditLog, Member, StaffMemberOpen
from yongin_app.services import staff

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Desk-Librarian#2026"
TABS = 8


def test_parallel_opens_of_one_member_in_one_session_leave_one_open(database):
    staff.create_staff("deskrace", "경사서", StaffRole.LIBRARIAN, PASSWORD, now=NOW)
    token = staff.login_staff("deskrace", PASSWORD, now=NOW).token
    with unit_of_work(write=True) as session:
        member = Member(login_id="racereader", password_hash="x", name="경쟁독자", birth_date=date(1990, 1, 1),
                        sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci="ci-open-race", di="di-open-race",
                        member_type=MemberType.GENERAL, home_branch_code="MA", created_at=NOW, updated_at=NOW)
        session.add(member)
        session.flush()
        member_id = member.id

    details = results([lambda: staff.open_member(token, member_id, staff.ACCESS_REASONS[0], now=NOW)] * TABS)

    assert {d.member_id for d in details} == {member_id}
    with unit_of_work() as session:
        assert len(session.exec(select(StaffMemberOpen).where(StaffMemberOpen.member_id == member_id)).all()) == 1
        viewed = session.exec(select(AuditLog).where(AuditLog.action == "staff.member_viewed")).all()
    assert len(viewed) == TABS
    assert staff.preview_card(token, member_id, now=NOW) is None  # opened; no card yet
