"""The abuse limits (domain/rate_limits.py) on the ``limits`` library's fixed-window strategy.

Why a fixed window: one counter per key, incremented atomically in one statement (SQL) or one
script (Redis), so every worker sees the same count and nothing grows with the number of hits;
its known weakness, up to twice the amount across a window's edge, does not matter at these
numbers. Its window starts at a key's first hit, so "1 per 60 s" is exactly a 60-second cooldown.

Where the counters live, shared by every worker:

- embedded mode (no ``YONGIN_REDIS_URL``): the app's database (SQLite, or PostgreSQL when
  ``YONGIN_DATABASE_URL`` points there), in the ``ratelimitcounter`` table, through
  DatabaseStorage below;
- scaled mode: Redis (the same URL as Reflex's state manager), through limits' own RedisStorage.

Every identifier (phone, person, IP, draft) is hashed before it becomes a key. The counters run on
the wall clock (``time.time()``, as limits does), never on a service's ``now`` argument; tests move
that clock with time-machine.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlmodel import Session

from yongin_app.clock import KST
from yongin_app.db import commit_without_waiting_for_disk, unit_of_work
from yongin_app.domain.rate_limits import Limit
from yongin_app.models import RateLimitCounter
from yongin_app.settings import get_settings

NAMESPACE = "yongin"
# Expired counter rows are deleted at most this often per worker, inside an increment.
PURGE_INTERVAL_SECONDS = 60.0

_TABLE = RateLimitCounter.__table__
# A caller's unit of work that the database counters join (counting_in), instead of one each.
_JOINED: ContextVar[Session | None] = ContextVar("rate_limit_unit_of_work", default=None)


@contextmanager
def counting_in(session: Session) -> Iterator[None]:
    """Database counters hit inside this block join ``session``'s transaction (a use case that writes
    anyway, like 중복체크, pays no extra commit per limit); they commit or roll back with it. The
    caller's unit must be one whose writes may be lost in a crash (db.commit_without_waiting_for_disk).
    Redis counters are not affected."""
    token = _JOINED.set(session)
    try:
        yield
    finally:
        _JOINED.reset(token)


@contextmanager
def _unit(*, write: bool) -> Iterator[Session]:
    joined = _JOINED.get()
    if joined is not None:
        yield joined
        return
    with unit_of_work(write=write) as session:
        if write:
            # A counter needs atomicity, not durability: a crash may forget the last instant's hits.
            commit_without_waiting_for_disk(session)
        yield session


# One statement, the same on SQLite (3.35+) and PostgreSQL, compiled once: a new or expired key starts
# at ``amount`` with a fresh expiry, a live one adds to its count; the count this hit made comes back.
_INCREMENT = sa.text(
    "INSERT INTO ratelimitcounter (key, count, expires_at) VALUES (:key, :amount, :expires_at) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN ratelimitcounter.expires_at <= :now THEN :amount "
    "ELSE ratelimitcounter.count + :amount END, "
    "expires_at = CASE WHEN ratelimitcounter.expires_at <= :now THEN :expires_at "
    "ELSE ratelimitcounter.expires_at END "
    "RETURNING count"
)
_LIVE = sa.text("SELECT count, expires_at FROM ratelimitcounter WHERE key = :key AND expires_at > :now")


class DatabaseStorage(Storage):
    """limits' storage over the ``ratelimitcounter`` table, for the fixed-window strategy.

    An increment is one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite 3.35+ and
    PostgreSQL): a new or expired key starts at ``amount`` with a fresh expiry, a live one adds to
    its count, and the statement returns the count this hit made. PostgreSQL locks the row for the
    update and SQLite holds the write lock, so concurrent hits on one key all count, each exactly once.
    """

    STORAGE_SCHEME = ["yongin-database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: float | str | bool):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sa.exc.SQLAlchemyError

    def _due_for_purge(self, now: float) -> bool:
        with self._purge_lock:
            if now < self._next_purge:
                return False
            self._next_purge = now + PURGE_INTERVAL_SECONDS
            return True

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with _unit(write=True) as session:
            count = session.connection().execute(
                _INCREMENT, {"key": key, "amount": amount, "now": now, "expires_at": now + expiry}
            ).scalar_one()
            if self._due_for_purge(now):
                # Cheap: the index on expires_at finds only the rows to delete.
                session.connection().execute(
                    sa.delete(_TABLE).where(_TABLE.c.expires_at <= now, _TABLE.c.key != key)
                )
        return int(count)

    def _live(self, key: str) -> tuple[int, float] | None:
        now = time.time()
        with _unit(write=False) as session:
            row = session.connection().execute(_LIVE, {"key": key, "now": now}).first()
        return None if row is None else (int(row.count), float(row.expires_at))

    def get(self, key: str) -> int:
        live = self._live(key)
        return 0 if live is None else live[0]

    def get_expiry(self, key: str) -> float:
        live = self._live(key)
        return time.time() if live is None else live[1]

    def check(self) -> bool:
        try:
            with unit_of_work() as session:
                session.connection().execute(sa.select(1))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with unit_of_work(write=True) as session:
            return session.connection().execute(sa.delete(_TABLE)).rowcount

    def clear(self, key: str) -> None:
        with unit_of_work(write=True) as session:
            session.connection().execute(sa.delete(_TABLE).where(_TABLE.c.key == key))


def make_storage(redis_url: str = "") -> Storage:
    """Redis (limits' RedisStorage) when a URL is given, else the app's database."""
    return storage_from_string(redis_url) if redis_url else DatabaseStorage()


@lru_cache(maxsize=1)
def _configured_limiter() -> FixedWindowRateLimiter:
    return FixedWindowRateLimiter(make_storage(get_settings().redis_url))


_override: FixedWindowRateLimiter | None = None


def _limiter() -> FixedWindowRateLimiter:
    return _override or _configured_limiter()


def use_storage(storage: Storage | None) -> None:
    """Counts in ``storage`` from now on (None: the configured one again). For tests."""
    global _override
    _override = None if storage is None else FixedWindowRateLimiter(storage)
    _configured_limiter.cache_clear()


# ---------------------------------------------------------------- the API the services use


@dataclass(frozen=True)
class Decision:
    """allowed, or refused by ``limit`` until ``retry_at`` (aware UTC)."""

    allowed: bool
    limit: Limit | None = None
    retry_at: datetime | None = None

    def seconds_left(self, now: datetime | None = None) -> int:
        """Whole seconds until retry_at, rounded up (at least 1 while refused)."""
        if self.retry_at is None:
            return 0
        now = now or datetime.fromtimestamp(time.time(), UTC)
        return max(1, math.ceil((self.retry_at - now).total_seconds()))

    def minutes_left(self, now: datetime | None = None) -> int:
        return max(1, math.ceil(self.seconds_left(now) / 60))

    def retry_clock_kst(self) -> str:
        """retry_at in Korea, rounded up to the minute: "14시 05분"."""
        assert self.retry_at is not None
        local = self.retry_at.astimezone(KST)
        if local.second or local.microsecond:
            local = local.replace(second=0, microsecond=0) + _ONE_MINUTE
        return f"{local.hour:02d}시 {local.minute:02d}분"


ALLOWED = Decision(True)
_ONE_MINUTE = timedelta(minutes=1)

Check = tuple[Limit, str | None]


def _item(limit: Limit) -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(limit.amount, limit.seconds, namespace=NAMESPACE)


def key_of(identifier: str) -> str:
    """The stored form of an identifier: never the phone, name or address itself."""
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:32]


def _active(checks: Iterable[Check]) -> list[tuple[Limit, str]]:
    # A check without an identifier (a caller that knows no client IP, say) does not apply; none
    # does while the limits are off (load tests only: production refuses that setting).
    if not get_settings().rate_limits_enabled:
        return []
    return [(limit, key_of(identifier)) for limit, identifier in checks if identifier]


def _refusal(limiter: FixedWindowRateLimiter, refused: list[tuple[Limit, str]]) -> Decision:
    """The refusal that lasts longest among the spent limits."""
    latest: Decision | None = None
    for limit, key in refused:
        reset = limiter.get_window_stats(_item(limit), limit.name, key).reset_time
        decision = Decision(False, limit, datetime.fromtimestamp(reset, UTC))
        if latest is None or decision.retry_at > latest.retry_at:  # type: ignore[operator]
            latest = decision
    assert latest is not None
    return latest


def check(*checks: Check) -> Decision:
    """Whether one more hit would be allowed on every limit; counts nothing."""
    limiter = _limiter()
    active = _active(checks)
    spent = [(limit, key) for limit, key in active if not limiter.test(_item(limit), limit.name, key)]
    return _refusal(limiter, spent) if spent else ALLOWED


def acquire(*checks: Check) -> Decision:
    """One hit on every limit, only if all of them have room: a refused request counts nothing
    (a user who clicks again inside the cooldown does not use up the hourly amount). Two requests
    racing for the last hit both increment, and the one that went over is refused."""
    limiter = _limiter()
    refused = check(*checks)
    if not refused.allowed:
        return refused
    active = _active(checks)
    over = [(limit, key) for limit, key in active if not limiter.hit(_item(limit), limit.name, key)]
    return _refusal(limiter, over) if over else ALLOWED


def hit(*checks: Check) -> Decision:
    """One hit on every limit; refused when any of them went over. Cheaper than acquire (no read
    first), for limits where a refused request may count too (중복체크: the window does not slide)."""
    limiter = _limiter()
    over = [(limit, key) for limit, key in _active(checks) if not limiter.hit(_item(limit), limit.name, key)]
    return _refusal(limiter, over) if over else ALLOWED


def count(*checks: Check) -> None:
    """One hit on every limit, allowed or not (failed logins: each one counts)."""
    limiter = _limiter()
    for limit, key in _active(checks):
        limiter.hit(_item(limit), limit.name, key)


def clear_all(storage: Storage | None = None) -> None:
    """Forgets every counter (the browser tests start each test from zero)."""
    (storage or _limiter().storage).reset()
