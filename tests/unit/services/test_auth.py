"""Login, lockout and sessions, with the clock passed in."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import func, select

from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.domain.enums import MemberStatus, MemberType, Nationality, Sex
from yongin_app.models import AuditLog, AuthSession, Member
from yongin_app.services import auth
from yongin_app.services.passwords import hash_password, verify_password

PASSWORD = "Sejong-Book#2026"
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture
def member_id(database) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id="hangaram", password_hash=hash_password(PASSWORD), name="한가람",
            birth_date=date(1993, 6, 1), sex=Sex.FEMALE, nationality=Nationality.DOMESTIC,
            ci="CI-1", di="DI-1", member_type=MemberType.GENERAL, created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        return member.id


def _member(member_id: int) -> Member:
    with unit_of_work() as session:
        return session.get(Member, member_id)


def _audit_outcomes() -> list[str]:
    with unit_of_work() as session:
        return list(session.exec(select(AuditLog.outcome).order_by(AuditLog.id)))


def test_correct_password_opens_a_session_holding_only_the_token_hash(member_id):
    result = auth.login_member("hangaram", PASSWORD, now=T0)

    assert result.ok and result.member_id == member_id
    assert len(result.token) >= 43  # 256 bits, urlsafe base64
    with unit_of_work() as session:
        stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == auth.token_hash(result.token)
    assert result.token not in stored.token_hash
    assert stored.expires_at == T0 + policy.SESSION_ABSOLUTE_LIFETIME
    active = auth.resolve_session(result.token, now=T0 + timedelta(minutes=1))
    assert active is not None and active.member_id == member_id


def test_every_failure_is_the_same_result(member_id):
    wrong = auth.login_member("hangaram", "Wrong-password-1", now=T0)
    unknown = auth.login_member("nobodyhere", PASSWORD, now=T0)
    empty = auth.login_member("", "", now=T0)
    assert wrong == unknown == empty == auth.LoginResult(token=None)
    assert _audit_outcomes() == ["wrong_password", "unknown_account", "malformed"]


def test_five_failures_lock_for_ten_minutes_even_for_the_right_password(member_id):
    for _ in range(policy.MAX_FAILED_LOGINS):
        assert not auth.login_member("hangaram", "Wrong-password-1", now=T0).ok
    assert _member(member_id).locked_until == T0 + policy.LOCKOUT_DURATION

    assert not auth.login_member("hangaram", PASSWORD, now=T0 + timedelta(minutes=9, seconds=59)).ok
    assert _audit_outcomes()[-1] == "locked"
    assert auth.login_member("hangaram", PASSWORD, now=T0 + timedelta(minutes=10)).ok
    member = _member(member_id)
    assert member.failed_login_count == 0 and member.locked_until is None


def test_a_success_resets_the_failure_count(member_id):
    for _ in range(policy.MAX_FAILED_LOGINS - 1):
        auth.login_member("hangaram", "Wrong-password-1", now=T0)
    assert auth.login_member("hangaram", PASSWORD, now=T0).ok
    for _ in range(policy.MAX_FAILED_LOGINS - 1):
        auth.login_member("hangaram", "Wrong-password-1", now=T0)
    assert _member(member_id).locked_until is None


def test_concurrent_failures_all_count(member_id):
    """Failures racing each other must not be lost, or lockout could be outrun."""
    attempts = policy.MAX_FAILED_LOGINS
    barrier = threading.Barrier(attempts)

    def attempt() -> None:
        barrier.wait()
        auth.login_member("hangaram", "Wrong-password-1", now=T0)

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _member(member_id).locked_until == T0 + policy.LOCKOUT_DURATION


def test_withdrawn_member_cannot_log_in(member_id):
    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        member.status = MemberStatus.WITHDRAWN
        session.add(member)
    assert not auth.login_member("hangaram", PASSWORD, now=T0).ok


def test_each_login_gets_a_new_token_and_ends_the_previous_one(member_id):
    first = auth.login_member("hangaram", PASSWORD, now=T0)
    second = auth.login_member("hangaram", PASSWORD, previous_token=first.token, now=T0)
    assert first.token != second.token
    assert auth.resolve_session(first.token, now=T0) is None
    assert auth.resolve_session(second.token, now=T0) is not None


def test_idle_timeout_and_touch(member_id):
    token = auth.login_member("hangaram", PASSWORD, now=T0).token
    # Used at 29 minutes: still alive, and the use moves the idle deadline.
    active = auth.resolve_session(token, now=T0 + timedelta(minutes=29))
    assert active.idle_expires_at == T0 + timedelta(minutes=29) + policy.SESSION_IDLE_TIMEOUT
    assert auth.resolve_session(token, now=T0 + timedelta(minutes=58)) is not None
    # 30 minutes without use after that: gone.
    assert auth.resolve_session(token, now=T0 + timedelta(minutes=88, seconds=1)) is None


def test_touch_is_written_at_most_every_interval(member_id):
    token = auth.login_member("hangaram", PASSWORD, now=T0).token
    auth.resolve_session(token, now=T0 + policy.SESSION_TOUCH_INTERVAL / 2)
    with unit_of_work() as session:
        assert session.exec(select(AuthSession.last_seen_at)).one() == T0


def test_extend_counts_as_activity(member_id):
    token = auth.login_member("hangaram", PASSWORD, now=T0).token
    extended = auth.extend_session(token, now=T0 + timedelta(minutes=26))
    assert extended.idle_expires_at == T0 + timedelta(minutes=56)
    assert auth.resolve_session(token, now=T0 + timedelta(minutes=55)) is not None


def test_absolute_lifetime_ends_even_an_active_session(member_id):
    token = auth.login_member("hangaram", PASSWORD, now=T0).token
    moment = T0
    while moment < T0 + policy.SESSION_ABSOLUTE_LIFETIME - timedelta(minutes=20):
        moment += timedelta(minutes=20)
        assert auth.resolve_session(token, now=moment) is not None
    assert auth.resolve_session(token, now=T0 + policy.SESSION_ABSOLUTE_LIFETIME) is None


def test_logout_ends_the_session_on_the_server(member_id):
    token = auth.login_member("hangaram", PASSWORD, now=T0).token
    auth.logout(token, now=T0 + timedelta(minutes=1))
    assert auth.resolve_session(token, now=T0 + timedelta(minutes=1)) is None
    assert _audit_outcomes()[-1] == "ok"


def test_end_member_sessions_keeps_only_the_named_one(member_id):
    tokens = [auth.login_member("hangaram", PASSWORD, now=T0).token for _ in range(3)]
    with unit_of_work(write=True) as session:
        ended = auth.end_member_sessions(session, member_id, T0, keep_token=tokens[0])
    assert ended == 2
    assert [auth.resolve_session(t, now=T0) is not None for t in tokens] == [True, False, False]


def test_garbage_tokens_resolve_to_nothing(member_id):
    assert auth.resolve_session("", now=T0) is None
    assert auth.resolve_session("x" * 500, now=T0) is None
    assert auth.resolve_session("not-a-token", now=T0) is None


def test_passwords_are_argon2id_with_owasp_parameters():
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert f"m={policy.ARGON2_MEMORY_KIB},t={policy.ARGON2_TIME_COST},p={policy.ARGON2_PARALLELISM}" in stored
    assert policy.ARGON2_MEMORY_KIB >= 19456 and policy.ARGON2_TIME_COST >= 2
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD.lower())


def test_audit_never_holds_the_password(member_id):
    auth.login_member("hangaram", "Wrong-password-1", now=T0)
    auth.login_member("hangaram", PASSWORD, now=T0)
    with unit_of_work() as session:
        rows = session.exec(select(AuditLog)).all()
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == 2
    text = " ".join(str(row.model_dump()) for row in rows)
    assert PASSWORD not in text and "Wrong-password-1" not in text


def test_unknown_id_costs_the_same_argon2_work_as_a_wrong_password(member_id, monkeypatch):
    """No enumeration by timing (ASVS 6.3.8): both paths run exactly one argon2 verification."""
    from yongin_app.services import passwords

    calls: list[str] = []
    real_hasher = passwords._hasher

    class CountingHasher:
        def verify(self, stored_hash, password):
            calls.append(stored_hash.split("$")[3])  # the parameters, e.g. m=19456,t=2,p=1
            return real_hasher.verify(stored_hash, password)

        def __getattr__(self, name):
            return getattr(real_hasher, name)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    auth.login_member("hangaram", "Wrong-password-1", now=T0)
    auth.login_member("nobodyhere", "Wrong-password-1", now=T0)
    assert len(calls) == 2 and calls[0] == calls[1]


def test_login_rehashes_a_password_stored_with_weaker_parameters(member_id):
    from argon2 import PasswordHasher, Type

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash(PASSWORD)
    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        member.password_hash = weak
        session.add(member)

    assert auth.login_member("hangaram", PASSWORD, now=T0).ok
    upgraded = _member(member_id).password_hash
    assert upgraded != weak and f"m={policy.ARGON2_MEMORY_KIB}" in upgraded
    assert verify_password(upgraded, PASSWORD)
