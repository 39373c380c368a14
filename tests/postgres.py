"""Throwaway PostgreSQL databases for the test suite's PostgreSQL pass.

YONGIN_TEST_POSTGRES_URL names a server and a user that may create databases
(``scripts/local-services.sh start`` makes one). Each run migrates one template database,
then every test that asks for a database gets a copy (``CREATE DATABASE ... TEMPLATE``),
which takes a few tens of milliseconds and leaves nothing of one test in the next.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ENV_VAR = "YONGIN_TEST_POSTGRES_URL"


@dataclass
class PostgresDatabases:
    base_url: sa.URL
    prefix: str
    _template_ready: bool = field(default=False, init=False)

    @classmethod
    def from_environment(cls, prefix: str) -> PostgresDatabases | None:
        url = os.environ.get(ENV_VAR, "").strip()
        if not url:
            return None
        return cls(base_url=make_url(url), prefix=prefix)

    @property
    def server(self) -> str:
        return f"{self.base_url.host}:{self.base_url.port}"

    @property
    def template_name(self) -> str:
        return f"{self.prefix}_template"

    def url_of(self, name: str) -> str:
        return self.base_url.set(database=name).render_as_string(hide_password=False)

    def _admin(self) -> sa.Engine:
        # CREATE/DROP DATABASE cannot run inside a transaction.
        return sa.create_engine(self.url_of("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)

    def _execute(self, *statements: str) -> None:
        engine = self._admin()
        try:
            with engine.connect() as conn:
                for statement in statements:
                    self._run_past_autovacuum(conn, statement)
        finally:
            engine.dispose()

    @staticmethod
    def _run_past_autovacuum(conn: sa.Connection, statement: str) -> None:
        # An autovacuum worker briefly connected to the template (or to the database being
        # dropped) makes CREATE/DROP DATABASE fail, and a non-superuser cannot end it: retry.
        for attempt in range(50):
            try:
                conn.exec_driver_sql(statement)
                return
            except sa.exc.DBAPIError as error:
                busy = "being accessed by other users" in str(error) or "pg_signal_backend" in str(error)
                if not busy or attempt == 49:
                    raise
                time.sleep(0.1)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        self._execute(
            f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)',
            f'CREATE DATABASE "{self.template_name}"',
        )
        from yongin_app.cli import migrate_database

        migrate_database(self.url_of(self.template_name))
        self._template_ready = True

    def fresh_database(self, name: str | None = None) -> str:
        """A new migrated database (dropping any earlier one of the same name); returns its URL."""
        self._ensure_template()
        name = name or f"{self.prefix}_test"
        self._execute(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"',
        )
        return self.url_of(name)

    def drop_all(self) -> None:
        engine = self._admin()
        try:
            with engine.connect() as conn:
                names = conn.exec_driver_sql(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{self.prefix}%",)
                ).scalars().all()
                for name in names:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            engine.dispose()
