"""Login, lockout and server-side sessions (decisions.md, "Login and sessions").

The browser holds a random session token; the database holds only its SHA-256.
Every login failure looks the same from outside: same message, and the same
argon2 cost whether or not the ID exists.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from yongin_app.clock import utcnow
from yongin_app.db import count_failure_and_lock, unit_of_work
from yongin_app.domain import policy, rate_limits as limits
from yongin_app.domain.rate_limits import Limit
from yongin_app.domain.enums import MemberStatus
from yongin_app.models import AuthSession, Member, StaffAccount
from yongin_app.services import audit, rate_limits
from yongin_app.services.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)


@dataclass(frozen=True)
class LoginResult:
    """token is None on failure; the reason is for the audit log only, never shown."""

    token: str | None
    member_id: int | None = None
    # Kakao/Naver login only: refused because the password lockout is on (the page shows a generic hint).
    locked: bool = False
    # Refused before any password check: this client IP failed too often (rate_limits.Decision).
    throttled: rate_limits.Decision | None = None

    @property
    def ok(self) -> bool:
        return self.token is not None


@dataclass(frozen=True)
class ActiveSession:
    member_id: int | None
    staff_id: int | None
    idle_expires_at: datetime
    absolute_expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits from the OS CSPRNG


def _idle_timeout(auth_session: AuthSession) -> timedelta:
    if auth_session.staff_id is not None:
        return policy.STAFF_SESSION_IDLE_TIMEOUT
    return policy.SESSION_IDLE_TIMEOUT


def login_member(
    login_id: str,
    password: str,
    *,
    client_ip: str | None = None,
    previous_token: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """A member's login. Every failure counts against the client IP; over the limit, the attempt is
    refused before the account is looked up, and counts against no account (spraying one password
    over many IDs cannot lock the members out)."""
    return throttled_login(limits.MEMBER_LOGIN_FAILURES_PER_IP, client_ip,
                           lambda: _login_member(login_id, password, previous_token=previous_token, now=now))


def throttled_login(limit: Limit, client_ip: str | None, attempt: Callable[[], LoginResult]) -> LoginResult:
    """Runs a login ``attempt`` under the failed-logins-per-IP ``limit`` (members and staff)."""
    ip_limit = (limit, f"ip:{client_ip}" if client_ip else None)
    decision = rate_limits.check(ip_limit)
    if not decision.allowed:
        return LoginResult(token=None, throttled=decision)
    result = attempt()
    if not result.ok:
        rate_limits.count(ip_limit)
    return result


def _login_member(login_id: str, password: str, *, previous_token: str | None, now: datetime | None,
                  ) -> LoginResult:
    now = now or utcnow()
    # Bound the work an attacker can make us do; such inputs can never match.
    if not login_id or len(login_id) > 64 or len(password) > 1024:
        burn_verification_time(password[:1024])
        _record_failure_without_account(now, "malformed")
        return LoginResult(token=None)

    with unit_of_work() as session:
        snapshot = session.exec(
            select(Member.id, Member.password_hash)
            .where(Member.login_id == login_id, Member.status == MemberStatus.ACTIVE)
        ).first()

    if snapshot is None:
        burn_verification_time(password)
        _record_failure_without_account(now, "unknown_account")
        return LoginResult(token=None)

    member_id, stored_hash = snapshot
    # Verify outside the write transaction: argon2 takes tens of milliseconds.
    password_ok = verify_password(stored_hash, password)

    with unit_of_work(write=True) as session:
        # Row lock (PostgreSQL; SQLite's write lock is already held): attempts on one account take turns,
        # each seeing the lock and count the one before left, so a racing right password never clears a
        # lock just set and failures are never counted while locked. Only the columns needed (no ORM load).
        member = session.exec(
            select(Member.status, Member.password_hash, Member.failed_login_count, Member.locked_until)
            .where(Member.id == member_id).with_for_update()
        ).first()
        if member is None or member.status != MemberStatus.ACTIVE:
            _record(session, now, "login.failure", "unknown_account", None)
            return LoginResult(token=None)
        if member.locked_until is not None and member.locked_until > now:
            _record(session, now, "login.failure", "locked", member_id)
            return LoginResult(token=None)
        if not password_ok:
            _count_failure(session, member_id, now)
            return LoginResult(token=None)

        changes: dict[str, object] = {}
        if member.failed_login_count or member.locked_until is not None:
            changes.update(failed_login_count=0, locked_until=None)
        if needs_rehash(member.password_hash):
            changes["password_hash"] = hash_password(password)
        if changes:  # most logins change nothing in the member row
            session.exec(sa.update(Member).where(Member.id == member_id).values(**changes)
                         .execution_options(synchronize_session=False))
        if previous_token:
            _end_by_token(session, previous_token, now)
        token = _open_session(session, now, member_id=member_id)
        _record(session, now, "login.success", "ok", member_id)
        return LoginResult(token=token, member_id=member_id)


def count_failed_login(session: Session, table: type[Member] | type[StaffAccount], account_id: int,
                       now: datetime) -> bool:
    """One more failure for a member or staff account; True when this one locked it."""
    return count_failure_and_lock(session, table.failed_login_count, table.locked_until, account_id,
                                  limit=policy.MAX_FAILED_LOGINS, lock_for=policy.LOCKOUT_DURATION, now=now)


def _count_failure(session: Session, member_id: int, now: datetime) -> None:
    locked = count_failed_login(session, Member, member_id, now)
    _record(session, now, "login.failure", "wrong_password_locked" if locked else "wrong_password", member_id)


def _record_failure_without_account(now: datetime, outcome: str) -> None:
    with unit_of_work(write=True) as session:
        _record(session, now, "login.failure", outcome, None)


def _record(session: Session, now: datetime, action: str, outcome: str, member_id: int | None) -> None:
    audit.record(
        session,
        action=action,
        outcome=outcome,
        actor_type=audit.ACTOR_MEMBER if member_id else audit.ACTOR_ANONYMOUS,
        actor_id=member_id,
        target_member_id=member_id,
        now=now,
    )


def _open_session(
    session: Session, now: datetime, *, member_id: int | None = None, staff_id: int | None = None
) -> str:
    token = _new_token()
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            member_id=member_id,
            staff_id=staff_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.SESSION_ABSOLUTE_LIFETIME,
        )
    )
    return token


def _end_by_token(session: Session, token: str, now: datetime) -> AuthSession | None:
    auth_session = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if auth_session is not None and auth_session.ended_at is None:
        auth_session.ended_at = now
        session.add(auth_session)
    return auth_session


def resolve_session(token: str, *, now: datetime | None = None, touch: bool = True) -> ActiveSession | None:
    """The live session for this token, or None. A use counts as activity (touch)."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    with unit_of_work() as session:
        auth_session = session.exec(
            select(AuthSession).where(AuthSession.token_hash == token_hash(token))
        ).first()
        if auth_session is None or not _is_live(session, auth_session, now):
            return None
        stale = now - auth_session.last_seen_at >= policy.SESSION_TOUCH_INTERVAL
        session_id = auth_session.id
        last_seen = auth_session.last_seen_at
        result = auth_session

    if touch and stale:
        # Written at most every SESSION_TOUCH_INTERVAL, so events do not all write.
        with unit_of_work(write=True) as session:
            session.exec(
                sa.update(AuthSession)
                .where(AuthSession.id == session_id, AuthSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
        last_seen = now
    return ActiveSession(
        member_id=result.member_id,
        staff_id=result.staff_id,
        idle_expires_at=last_seen + _idle_timeout(result),
        absolute_expires_at=result.expires_at,
    )


def _is_live(session: Session, auth_session: AuthSession, now: datetime) -> bool:
    if auth_session.ended_at is not None or now >= auth_session.expires_at:
        return False
    if now - auth_session.last_seen_at >= _idle_timeout(auth_session):
        return False
    if auth_session.member_id is not None:
        status = session.exec(select(Member.status).where(Member.id == auth_session.member_id)).first()
        return status == MemberStatus.ACTIVE
    return True


def extend_session(token: str, *, now: datetime | None = None) -> ActiveSession | None:
    """연장: counts as activity now, even inside the touch interval."""
    now = now or utcnow()
    current = resolve_session(token, now=now, touch=False)
    if current is None:
        return None
    with unit_of_work(write=True) as session:
        session.exec(
            sa.update(AuthSession)
            .where(AuthSession.token_hash == token_hash(token), AuthSession.ended_at.is_(None))
            .values(last_seen_at=now)
        )
    timeout = policy.STAFF_SESSION_IDLE_TIMEOUT if current.staff_id else policy.SESSION_IDLE_TIMEOUT
    return ActiveSession(current.member_id, current.staff_id, now + timeout, current.absolute_expires_at)


def logout(token: str, *, now: datetime | None = None) -> None:
    if not token:
        return
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        ended = _end_by_token(session, token, now)
        if ended is not None:
            audit.record(
                session,
                action="logout",
                outcome="ok",
                actor_type=audit.ACTOR_STAFF if ended.staff_id else audit.ACTOR_MEMBER,
                actor_id=ended.staff_id or ended.member_id,
                target_member_id=ended.member_id,
                now=now,
            )


def end_member_sessions(session: Session, member_id: int, now: datetime, *, keep_token: str | None = None) -> int:
    """Ends every live session of a member (password change, reset, withdrawal). Part of the caller's unit."""
    statement = sa.update(AuthSession).where(
        AuthSession.member_id == member_id, AuthSession.ended_at.is_(None)
    )
    if keep_token:
        statement = statement.where(AuthSession.token_hash != token_hash(keep_token))
    return session.exec(statement.values(ended_at=now)).rowcount
