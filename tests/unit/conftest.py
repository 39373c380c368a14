"""Unit tests get a fresh, migrated SQLite database per test (copied from one migrated template)."""

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
os.environ["YONGIN_ENV"] = "test"

from yongin_app import db  # noqa: E402  (after the environment is set)
from yongin_app.settings import get_settings  # noqa: E402

_TEMPLATE = _ROOT_DIR / "template" / "yongin.db"


def _migrated_template() -> Path:
    if not _TEMPLATE.exists():
        from yongin_app.cli import migrate

        migrate()
        db.get_engine().dispose()
        _TEMPLATE.parent.mkdir(parents=True)
        shutil.copy(get_settings().data_dir / "yongin.db", _TEMPLATE)
    return _TEMPLATE


@pytest.fixture
def database() -> Iterator[Path]:
    """A migrated database for this test only; the services' engine points at it."""
    template = _migrated_template()
    target = get_settings().data_dir / "yongin.db"
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    yield target
    db.get_engine().dispose()
    db.get_engine.cache_clear()


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_ROOT_DIR, ignore_errors=True)
