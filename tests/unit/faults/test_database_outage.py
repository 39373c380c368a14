"""The database going away during a submit (issue 8): the submit fails with a database error (which the
app shows as the Korean "try again" message, see test_backend_error_handler.py), nothing of the write
unit is left behind, and the very same call succeeds once the database is back.

PostgreSQL: the connection is cut in the middle of the write unit (after some of its statements ran).
SQLite: the write unit cannot get the database (locked past the busy timeout) after the submit's
earlier steps ran. See conftest.py for how each outage is made.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
import sqlalchemy.exc as sa_exc
from sqlmodel import func, select

from yongin_app.db import unit_of_work
from yongin_app.domain.enums import Grade, MemberType, Nationality, Sex
from yongin_app.models import AuditLog, AuthSession, Member, MemberCard, NumberSequence, SignupDraft
from yongin_app.ports.sandbox.identity import sandbox_ci
from yongin_app.services import membership, signup
from yongin_app.services.cards import CARD_SEQUENCE, member_card_view
from yongin_app.services.membership import Outcome
from yongin_app.states.errors import is_database_error

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Sejong-Book#2026"
P1_BACK = "1234567"  # 홍길동's 주민등록번호 뒷자리 in the sandbox registry
INFO = {
    "mobile_prefix": "010", "mobile_middle": "1234", "mobile_last": "5678", "sms_consent": True,
    "email_local": "gildong", "email_domain": "example.com", "email_consent": True,
    "postal_code": "17019", "road_address": "경기도 용인시 처인구 중부대로 1199", "address_detail": "3층",
    "home_branch": "MA", "login_id": "gildong90", "password": PASSWORD, "password_confirm": PASSWORD,
}


def _p1_member() -> int:
    with unit_of_work(write=True) as session:
        member = Member(login_id="userp1", password_hash="x", name="홍길동", birth_date=date(1990, 1, 1),
                        sex=Sex.MALE, nationality=Nationality.DOMESTIC, ci=sandbox_ci("P1"), di="di-P1",
                        member_type=MemberType.GENERAL, home_branch_code="MB", created_at=NOW, updated_at=NOW)
        session.add(member)
        session.flush()
        return member.id


def _apply(member_id: int) -> membership.ApplicationResult:
    """온라인정회원신청 as the page submits it: a read, the eligibility check, then the issuing unit."""
    return membership.apply_online(member_id, consent=True, rrn_back=P1_BACK, loan_password="2580",
                                   loan_password_confirm="2580", now=NOW)


def _card_rows(outage, member_id: int) -> tuple[int, int, Grade, int]:
    with outage.direct() as session:
        return (
            session.get(NumberSequence, CARD_SEQUENCE).next_value,
            session.exec(select(func.count()).select_from(MemberCard)).one(),
            session.get(Member, member_id).grade,
            session.exec(select(func.count()).select_from(AuditLog)
                         .where(AuditLog.action == "membership.card_issued")).one(),
        )


def _signup_draft() -> str:
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    for step in (signup.request_code, signup.confirm_code):
        extra = ("123456",) if step is signup.confirm_code else ()
        assert step(token, signup.WHO_SELF, "phone", "홍길동", "19900101", "010-1234-5678", *extra, now=NOW).ok
    assert signup.accept_terms(token, ["service", "privacy"], now=NOW).ok
    assert signup.check_login_id(token, "gildong90", now=NOW).ok
    return token


def _signup_rows(outage) -> tuple[int, int, int, int]:
    with outage.direct() as session:
        return tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Member, AuthSession, SignupDraft, AuditLog)
        )


def _raises_database_error(call) -> BaseException:
    with pytest.raises(sa_exc.DBAPIError) as raised:
        call()
    assert is_database_error(raised.value)  # so the member gets the Korean "try again" message
    return raised.value


def _assert_card_recovers(outage, member_id: int, before) -> None:
    assert _card_rows(outage, member_id) == before  # nothing of the unit: no number taken, no card, grade
    outage.restore()
    again = _apply(member_id)  # the very same call, once the database is back
    assert again.outcome == Outcome.ISSUED
    first_number = before[0]
    assert again.card_number == f"157{first_number:07d}"  # the number the failed unit would have taken
    assert _card_rows(outage, member_id) == (first_number + 1, 1, Grade.FULL, 1)
    assert member_card_view(member_id, now=NOW).card_number == again.card_number


# ---------------------------------------------------------------- PostgreSQL: the connection is cut


@pytest.mark.parametrize("statement", ["INSERT INTO membercard", "UPDATE member", "INSERT INTO auditlog"])
def test_postgres_cut_in_the_middle_of_card_issuance(postgres_outage, statement):
    member_id = _p1_member()
    before = _card_rows(postgres_outage, member_id)
    postgres_outage.arm(statement)  # after the sequence was taken (and the card inserted, ...)

    _raises_database_error(lambda: _apply(member_id))

    assert postgres_outage.fired
    _assert_card_recovers(postgres_outage, member_id, before)


def test_postgres_cut_in_the_middle_of_signup_completion(postgres_outage):
    token = _signup_draft()
    members, sessions, drafts, audits = _signup_rows(postgres_outage)
    # After the member row, the draft's deletion; right before the login session is opened.
    postgres_outage.arm("INSERT INTO authsession")

    _raises_database_error(lambda: signup.submit(token, dict(INFO), now=NOW))

    assert postgres_outage.fired
    assert _signup_rows(postgres_outage) == (members, sessions, drafts, audits)  # no member, the draft kept
    postgres_outage.restore()
    result = signup.submit(token, dict(INFO), now=NOW)
    assert result.ok, result.errors
    assert _signup_rows(postgres_outage)[:3] == (members + 1, sessions + 1, drafts - 1)


def test_postgres_while_away_every_call_fails_fast_with_a_database_error(postgres_outage):
    member_id = _p1_member()
    assert member_card_view(member_id, now=NOW) is None  # the pool holds a live connection now
    postgres_outage.proxy.cut()

    started = time.monotonic()
    _raises_database_error(lambda: member_card_view(member_id, now=NOW))  # the pooled connection is dead
    _raises_database_error(lambda: member_card_view(member_id, now=NOW))  # and no new one can be made
    assert time.monotonic() - started < 2

    postgres_outage.restore()
    assert member_card_view(member_id, now=NOW) is None  # back, without restarting anything
    assert _apply(member_id).outcome == Outcome.ISSUED


# ---------------------------------------------------------------- SQLite: the database cannot be had


def test_sqlite_unavailable_when_card_issuance_starts(sqlite_outage):
    member_id = _p1_member()
    before = _card_rows(sqlite_outage, member_id)
    # apply_online's first write unit is the issuance (its read and the eligibility check ran before).
    sqlite_outage.arm("BEGIN IMMEDIATE")

    started = time.monotonic()
    error = _raises_database_error(lambda: _apply(member_id))

    assert sqlite_outage.fired and "locked" in str(error.orig)
    assert time.monotonic() - started < 2  # the busy timeout, not a hang
    _assert_card_recovers(sqlite_outage, member_id, before)


def test_sqlite_unavailable_in_the_middle_of_signup_completion(sqlite_outage):
    token = _signup_draft()
    members, sessions, drafts, audits = _signup_rows(sqlite_outage)
    # submit first saves what was typed (write unit 1), then creates the account (write unit 2).
    sqlite_outage.arm("BEGIN IMMEDIATE", occurrence=2)

    _raises_database_error(lambda: signup.submit(token, dict(INFO), now=NOW))

    assert sqlite_outage.fired
    assert _signup_rows(sqlite_outage) == (members, sessions, drafts, audits)  # no member, the draft kept
    # Reading still works meanwhile (WAL), and what was typed is kept for the retry.
    assert signup.get_draft(token, now=NOW).fields["login_id"] == "gildong90"
    sqlite_outage.restore()
    result = signup.submit(token, dict(INFO), now=NOW)
    assert result.ok, result.errors
    assert _signup_rows(sqlite_outage)[:3] == (members + 1, sessions + 1, drafts - 1)
