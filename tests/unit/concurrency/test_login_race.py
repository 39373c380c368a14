"""Logins racing the lockout (issue 8), for members and for staff.

The rule (services/auth.py, policy): each wrong password counts one failure; the failure that makes
MAX_FAILED_LOGINS locks the account for LOCKOUT_DURATION and sets the count back to 0; while locked,
every attempt (right password or not) is refused as "locked" and counts nothing; a right password on an
unlocked account opens a session and sets the count back to 0.

Invariant under concurrency: the attempts behave as if they ran one after another, in the order of their
audit records. So replaying the audit trail through the rule must predict every outcome and the final
count and lock exactly; no failure is lost, none is counted while locked, and no session is ever opened
once the lock is set (a right password racing the locking failure either comes first, and then the
failure counts from zero, or comes after, and is refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from tests.unit.concurrency.parallel import results
from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.domain.enums import MemberType, Nationality, Sex, StaffRole
from yongin_app.models import AuditLog, AuthSession, Member, StaffAccount
from yongin_app.services import auth, staff
from yongin_app.services.passwords import hash_password

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Sejong-Book#2026-staff"
WRONG = "Wrong-password-1"
LOGIN_ID = "hangaram"


@dataclass(frozen=True)
class Kind:
    table: Any
    login: Any
    session_column: Any
    audit_action: str  # the audit action of a successful login
    failure_action: str


MEMBER = Kind(Member, auth.login_member, AuthSession.member_id, "login.success", "login.failure")
STAFF = Kind(StaffAccount, staff.login_staff, AuthSession.staff_id, "staff.login", "staff.login")


def _account(kind: Kind) -> int:
    with unit_of_work(write=True) as session:
        if kind is MEMBER:
            row = Member(login_id=LOGIN_ID, password_hash=hash_password(PASSWORD), name="한가람",
                         birth_date=date(1993, 6, 1), sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci="CI-1",
                         di="DI-1", member_type=MemberType.GENERAL, created_at=T0, updated_at=T0)
        else:
            row = StaffAccount(login_id=LOGIN_ID, password_hash=hash_password(PASSWORD), name="김사서",
                               role=StaffRole.LIBRARIAN, created_at=T0)
        session.add(row)
        session.flush()
        return row.id


def _state(kind: Kind, account_id: int) -> tuple[int, datetime | None]:
    with unit_of_work() as session:
        row = session.get(kind.table, account_id)
        return row.failed_login_count, row.locked_until


def _set_state(kind: Kind, account_id: int, count: int) -> None:
    with unit_of_work(write=True) as session:
        session.exec(sa.update(kind.table).where(kind.table.id == account_id)
                     .values(failed_login_count=count, locked_until=None))


def _outcomes(kind: Kind, account_id: int, after_id: int) -> list[str]:
    with unit_of_work() as session:
        rows = session.exec(
            select(AuditLog.action, AuditLog.outcome).where(AuditLog.id > after_id, AuditLog.actor_id == account_id)
            .order_by(AuditLog.id)
        ).all()
    return [outcome for action, outcome in rows if action in (kind.audit_action, kind.failure_action)]


def _last_audit_id() -> int:
    with unit_of_work() as session:
        return session.exec(select(func.coalesce(func.max(AuditLog.id), 0))).one()


def _sessions(kind: Kind, account_id: int) -> int:
    with unit_of_work() as session:
        return session.exec(select(func.count()).select_from(AuthSession).where(kind.session_column == account_id)).one()


def _replay(outcomes: list[str], count: int) -> tuple[int, datetime | None]:
    """The lockout rule, one attempt after another, checked against what each attempt recorded."""
    locked_until = None
    for position, outcome in enumerate(outcomes):
        where = f"attempt {position + 1} of {outcomes}"
        if locked_until is not None and locked_until > T0:
            assert outcome == "locked", f"{where}: the account was locked, so it must be refused as locked"
            continue
        assert outcome != "locked", f"{where}: refused as locked while not locked"
        if outcome == "ok":
            count, locked_until = 0, None
        else:
            count += 1
            locks = count >= policy.MAX_FAILED_LOGINS
            assert outcome == ("wrong_password_locked" if locks else "wrong_password"), f"{where}: count {count}"
            if locks:
                count, locked_until = 0, T0 + policy.LOCKOUT_DURATION
    return count, locked_until


def _check(kind: Kind, account_id: int, answers, start_count: int, after_id: int = 0,
           sessions_before: int = 0) -> list[str]:
    outcomes = _outcomes(kind, account_id, after_id)
    assert len(outcomes) == len(answers)  # every attempt recorded once
    assert _state(kind, account_id) == _replay(outcomes, start_count)
    opened = sum(answer.ok for answer in answers)
    assert opened == outcomes.count("ok") == _sessions(kind, account_id) - sessions_before
    return outcomes


@pytest.mark.parametrize("kind", [MEMBER, STAFF], ids=["member", "staff"])
def test_ten_wrong_passwords_at_once_lock_after_exactly_five(database, kind):
    account_id = _account(kind)

    answers = results([lambda: kind.login(LOGIN_ID, WRONG, now=T0) for _ in range(10)])

    assert not any(answer.ok for answer in answers)
    outcomes = _check(kind, account_id, answers, 0)
    # Serial behaviour exactly: four counted, the fifth locks, the other five are refused as locked.
    assert sorted(outcomes) == sorted(["wrong_password"] * 4 + ["wrong_password_locked"] + ["locked"] * 5)
    assert _state(kind, account_id) == (0, T0 + policy.LOCKOUT_DURATION)


@pytest.mark.parametrize("kind", [MEMBER, STAFF], ids=["member", "staff"])
def test_a_right_password_racing_the_locking_failure_never_gets_a_session_after_the_lock(database, kind):
    account_id = _account(kind)
    for _ in range(4):  # a few rounds: which one wins varies, the invariant must hold in each
        _set_state(kind, account_id, policy.MAX_FAILED_LOGINS - 1)
        after, sessions_before = _last_audit_id(), _sessions(kind, account_id)

        answers = results([lambda: kind.login(LOGIN_ID, PASSWORD, now=T0),
                           lambda: kind.login(LOGIN_ID, WRONG, now=T0)])

        right, wrong = answers
        assert not wrong.ok
        outcomes = _check(kind, account_id, answers, policy.MAX_FAILED_LOGINS - 1, after, sessions_before)
        if right.ok:  # the right password came first: the failure then counts from zero, no lock
            assert outcomes == ["ok", "wrong_password"]
            assert _state(kind, account_id) == (1, None)
        else:  # the failure came first and locked: the right password is refused, no session
            assert outcomes == ["wrong_password_locked", "locked"]
            assert _state(kind, account_id) == (0, T0 + policy.LOCKOUT_DURATION)


@pytest.mark.parametrize("kind", [MEMBER, STAFF], ids=["member", "staff"])
def test_a_right_password_among_many_wrong_ones_stays_consistent(database, kind):
    account_id = _account(kind)

    answers = results([lambda: kind.login(LOGIN_ID, PASSWORD, now=T0)]
                      + [lambda: kind.login(LOGIN_ID, WRONG, now=T0) for _ in range(9)])

    assert not any(answer.ok for answer in answers[1:])
    _check(kind, account_id, answers, 0)
