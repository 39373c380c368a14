"""Unit tests get a fresh, migrated database per test, copied from one migrated template.

The embedded default is SQLite (a file copy). With YONGIN_TEST_POSTGRES_URL set to a
PostgreSQL server where the user may create databases, the same tests run on PostgreSQL:
each test gets ``CREATE DATABASE ... TEMPLATE`` of a migrated template database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT_DIR = Path(tempfile.mkdtemp(prefix="yongin-unit-"))
os.environ["YONGIN_DATA_DIR"] = str(_ROOT_DIR / "active")
os.environ.pop("YONGIN_DATABASE_URL", None)
os.environ.pop("YONGIN_REDIS_URL", None)
os.environ["YONGIN_ENV"] = "test"

from tests.postgres import PostgresDatabases  # noqa: E402
from yongin_app import db  # noqa: E402  (after the environment is set)
from yongin_app.settings import get_settings  # noqa: E402

_TEMPLATE = _ROOT_DIR / "template" / "yongin.db"
_POSTGRES = PostgresDatabases.from_environment(prefix=f"yongin_unit_{os.getpid()}")


def _reset_engine() -> None:
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    get_settings.cache_clear()


def _migrated_sqlite_template() -> Path:
    if not _TEMPLATE.exists():
        from yongin_app.cli import migrate

        migrate()
        db.get_engine().dispose()
        _TEMPLATE.parent.mkdir(parents=True)
        shutil.copy(get_settings().data_dir / "yongin.db", _TEMPLATE)
    return _TEMPLATE


def _fresh_sqlite() -> str:
    template = _migrated_sqlite_template()
    target = get_settings().data_dir / "yongin.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    return str(target)


@pytest.fixture
def database() -> Iterator[str]:
    """A migrated database for this test only; the services' engine points at it."""
    _reset_engine()
    if _POSTGRES is None:
        yield _fresh_sqlite()
    else:
        url = _POSTGRES.fresh_database()
        os.environ["YONGIN_DATABASE_URL"] = url
        _reset_engine()
        try:
            yield url
        finally:
            os.environ.pop("YONGIN_DATABASE_URL", None)
    _reset_engine()


@pytest.fixture
def database_kind() -> str:
    """'postgresql' or 'sqlite': which database this run of the suite uses."""
    return "sqlite" if _POSTGRES is None else "postgresql"


def pytest_report_header(config) -> str:
    return f"database: {'SQLite (embedded)' if _POSTGRES is None else 'PostgreSQL ' + _POSTGRES.server}"


# Fixtures and words that make a test depend on the mode (a database, PostgreSQL or Redis).
_MODE_FIXTURES = {"database", "database_kind"}
_MODE_WORDS = ("redis", "postgres")


def pytest_collection_modifyitems(config, items) -> None:
    """The scaled pass (YONGIN_TEST_POSTGRES_URL set) runs the tests that touch a database, PostgreSQL or
    Redis; the rest (rules, parsers, pure property tests) cannot differ between the modes and ran in the
    embedded pass. YONGIN_TEST_ALL_UNIT=1 runs everything anyway."""
    if _POSTGRES is None or os.environ.get("YONGIN_TEST_ALL_UNIT") == "1":
        return
    mentions: dict[Path, bool] = {}

    def depends_on_mode(item) -> bool:
        if _MODE_FIXTURES & set(getattr(item, "fixturenames", ())):
            return True
        path = Path(item.path)
        if path not in mentions:
            text = path.read_text(encoding="utf-8").lower()
            mentions[path] = any(word in text for word in _MODE_WORDS)
        return mentions[path]

    selected, deselected = [], []
    for item in items:
        (selected if depends_on_mode(item) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_sessionfinish(session, exitstatus) -> None:
    if _POSTGRES is not None:
        _POSTGRES.drop_all()
    shutil.rmtree(_ROOT_DIR, ignore_errors=True)
