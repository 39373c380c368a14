"""The database going away under a running service (issue 8), for real: no mock of the code under test.

PostgreSQL: the app's engine talks to the server through a TCP proxy that the test cuts, from a
``before_cursor_execute`` listener, right before a chosen statement of a write unit; all proxied
connections drop at that moment and new ones are refused until ``restore()``.

SQLite (no network): another connection takes the database's write lock right before a chosen statement
(the ``BEGIN IMMEDIATE`` of a write unit) and holds it past the busy timeout (made 100 ms here), so the
unit cannot start: SQLite's "database is locked", the same OperationalError the app gets from a database
that is unavailable. ``restore()`` lets go.

``direct()`` reads the database around the app's engine (and the proxy), to see what was committed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from tests.unit.faults.proxy import TcpProxy
from yongin_app import db
from yongin_app.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 100


def _reset_app_engine() -> None:
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    get_settings.cache_clear()


class _Outage:
    def __init__(self, direct_url: str, act: Callable[[], None]) -> None:
        self._direct_url = direct_url
        self._act = act
        self.fired = False
        self._listener = None
        self._engine: sa.Engine | None = None

    def arm(self, statement_prefix: str, *, occurrence: int = 1) -> None:
        """The outage starts right before the app's engine runs this statement (its n-th occurrence)."""
        prefix = statement_prefix.upper()
        seen = 0

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany) -> None:
            nonlocal seen
            if self.fired or not statement.lstrip().upper().startswith(prefix):
                return
            seen += 1
            if seen == occurrence:
                self.fired = True
                self._act()

        self.disarm()
        self._engine = db.get_engine()
        self._listener = before_cursor_execute
        event.listen(self._engine, "before_cursor_execute", before_cursor_execute)

    def disarm(self) -> None:
        if self._listener is not None and self._engine is not None:
            event.remove(self._engine, "before_cursor_execute", self._listener)
        self._listener = None

    @contextmanager
    def direct(self) -> Iterator[Session]:
        """A session on its own connection straight to the database (not the app's engine or the proxy)."""
        engine = sa.create_engine(self._direct_url, poolclass=sa.NullPool)
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()


class PostgresOutage(_Outage):
    def __init__(self, direct_url: str, proxy: TcpProxy) -> None:
        super().__init__(direct_url, proxy.cut)
        self.proxy = proxy

    def restore(self) -> None:
        self.disarm()
        self.proxy.restore()


class SqliteOutage(_Outage):
    def __init__(self, path: str) -> None:
        self._blocker = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
        super().__init__(f"sqlite:///{path}", self._take_write_lock)

    def _take_write_lock(self) -> None:
        self._blocker.execute("BEGIN IMMEDIATE")

    def restore(self) -> None:
        self.disarm()
        if self._blocker.in_transaction:
            self._blocker.execute("ROLLBACK")

    def close(self) -> None:
        self.restore()
        self._blocker.close()


@pytest.fixture
def postgres_outage(database: str, database_kind: str) -> Iterator[PostgresOutage]:
    if database_kind != "postgresql":
        pytest.skip("PostgreSQL only (set YONGIN_TEST_POSTGRES_URL)")
    server = make_url(database)
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432)
    proxied = server.set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)
    _reset_app_engine()
    os.environ["YONGIN_DATABASE_URL"] = proxied
    _reset_app_engine()
    outage = PostgresOutage(database, proxy)
    try:
        yield outage
    finally:
        outage.disarm()
        _reset_app_engine()
        os.environ["YONGIN_DATABASE_URL"] = database
        proxy.close()
        _reset_app_engine()


@pytest.fixture
def sqlite_outage(database: str, database_kind: str, monkeypatch) -> Iterator[SqliteOutage]:
    if database_kind != "sqlite":
        pytest.skip("SQLite only (unset YONGIN_TEST_POSTGRES_URL)")
    monkeypatch.setenv("YONGIN_SQLITE_BUSY_TIMEOUT_MS", str(SQLITE_BUSY_TIMEOUT_MS))
    _reset_app_engine()
    outage = SqliteOutage(database)
    try:
        yield outage
    finally:
        outage.close()
        _reset_app_engine()
