"""Database engine and units of work. Nothing here assumes SQLite, but SQLite gets WAL and a busy timeout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, select

from yongin_app.settings import get_settings


def make_engine(url: str, *, busy_timeout_ms: int = 5000) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)

    engine = sa.create_engine(
        url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    )

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
        # Let SQLAlchemy's "begin" event below issue BEGIN, so writes can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: sa.Connection) -> None:
        # A read-then-write unit takes the write lock at BEGIN, so two writers cannot both
        # read the old value (SQLite has no SELECT ... FOR UPDATE).
        if conn.get_execution_options().get("sqlite_write", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


@lru_cache(maxsize=1)
def get_engine() -> sa.Engine:
    settings = get_settings()
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.effective_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)


@contextmanager
def unit_of_work(*, write: bool = False, engine: sa.Engine | None = None) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any exception."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        if write:
            session.connection(execution_options={"sqlite_write": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def commit_without_waiting_for_disk(session: Session) -> None:
    """For a unit whose writes may be lost in a server crash without harm: signup drafts and the abuse limits'
    counters only, never accounts, cards or audit records. On PostgreSQL its COMMIT does not wait for the WAL flush (``SET LOCAL
    synchronous_commit = off``: still atomic and consistent, only the last fraction of a second of such commits
    can be lost in a crash). SQLite already commits without a sync (WAL, synchronous=NORMAL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL synchronous_commit = off")


def count_failure_and_lock(session: Session, count_column: Any, locked_until_column: Any, row_id: int, *,
                           limit: int, lock_for: timedelta, now: datetime) -> bool:
    """One more failure on a row's counter (login failures, 자격확인 failures); at ``limit`` the counter
    restarts and the row is locked until ``now + lock_for``. True when this failure locked it.
    An atomic increment: concurrent failures all count, whatever the isolation level."""
    table = count_column.class_
    session.exec(sa.update(table).where(table.id == row_id).values({count_column: count_column + 1})
                 .execution_options(synchronize_session=False))
    count = session.exec(select(count_column).where(table.id == row_id)).one()
    locked = count >= limit
    if locked:
        session.exec(sa.update(table).where(table.id == row_id)
                     .values({count_column: 0, locked_until_column: now + lock_for})
                     .execution_options(synchronize_session=False))
    session.expire_all()
    return locked
