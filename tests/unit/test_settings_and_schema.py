"""Settings, migrations, seeded data, card numbers and the demo accounts."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import select

from yongin_app import routes
from yongin_app.db import get_engine, make_engine, unit_of_work
from yongin_app.domain.branches import BRANCHES
from yongin_app.models import Branch, Member, MemberCard, StaffAccount
from yongin_app.services import auth
from yongin_app.services.cards import allocate_card_number
from yongin_app.services.demo import DEMO_PASSWORD, DEMO_MEMBERS, load_demo_data
from yongin_app.settings import (
    InsecurePublicUrlError,
    RateLimitsOffInProductionError,
    SandboxInProductionError,
    Settings,
)


def test_defaults_are_the_embedded_mode(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.as_posix()}/yongin.db"
    assert settings.sandbox_services == ["identity", "eligibility", "address", "oauth"]
    assert settings.load_demo_data and settings.redis_url == ""


def test_database_and_redis_urls_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("YONGIN_DATABASE_URL", "postgresql+psycopg://lib@db/yongin")
    monkeypatch.setenv("YONGIN_REDIS_URL", "redis://cache:6379/0")
    settings = Settings()
    assert settings.effective_database_url == "postgresql+psycopg://lib@db/yongin"
    assert not settings.is_sqlite and settings.redis_url == "redis://cache:6379/0"


@pytest.mark.parametrize("still_sandbox", ["identity", "eligibility", "address", "oauth"])
def test_production_refuses_to_start_while_any_sandbox_is_selected(still_sandbox):
    backends = {f"{name}_backend": "real" for name in ("identity", "eligibility", "address", "oauth")}
    backends[f"{still_sandbox}_backend"] = "sandbox"
    with pytest.raises(SandboxInProductionError, match=still_sandbox):
        Settings(env="production", **backends)


def test_production_starts_with_every_service_real():
    backends = {f"{name}_backend": "real" for name in ("identity", "eligibility", "address", "oauth")}
    settings = Settings(env="production", public_base_url="https://member.yonginlib.example", **backends)
    assert settings.sandbox_services == [] and settings.secure_cookies


def test_production_refuses_to_switch_the_abuse_limits_off():
    backends = {f"{name}_backend": "real" for name in ("identity", "eligibility", "address", "oauth")}
    with pytest.raises(RateLimitsOffInProductionError):
        Settings(env="production", public_base_url="https://member.yonginlib.example", rate_limits_enabled=False,
                 **backends)
    assert not Settings(rate_limits_enabled=False).rate_limits_enabled  # a load test's server


def test_production_refuses_a_plain_http_public_address():
    backends = {f"{name}_backend": "real" for name in ("identity", "eligibility", "address", "oauth")}
    with pytest.raises(InsecurePublicUrlError, match="https"):
        Settings(env="production", public_base_url="http://member.yonginlib.example", **backends)


def test_the_default_public_address_follows_the_port_the_app_is_served_on(monkeypatch):
    monkeypatch.delenv("YONGIN_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert Settings().public_base_url == "http://localhost:3000"
    monkeypatch.setenv("PORT", "3102")  # PORT=3102 bash scripts/run.sh
    settings = Settings()
    assert settings.public_base_url == "http://localhost:3102"
    assert settings.allowed_origins == ["http://localhost:3102", "http://127.0.0.1:3102"]
    monkeypatch.setenv("YONGIN_PUBLIC_BASE_URL", "https://member.yonginlib.example")  # a proxy in front
    assert Settings().public_base_url == "https://member.yonginlib.example"


def test_migration_builds_the_schema_and_seeds_the_22_branches(database):
    inspector = sa.inspect(get_engine())
    tables = set(inspector.get_table_names())
    assert {"member", "guardian", "branch", "membercard", "multichildgrant", "sociallink", "authsession",
            "signupdraft", "auditlog", "staffaccount", "numbersequence"} <= tables
    member_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("member")}
    assert {("login_id",), ("ci",), ("di",), ("name", "birth_date")} <= member_indexes
    assert ("card_number",) in {tuple(ix["column_names"]) for ix in inspector.get_indexes("membercard")}
    with unit_of_work() as session:
        branches = session.exec(select(Branch).order_by(Branch.sort_order)).all()
    assert [(b.code, b.name) for b in branches] == list(BRANCHES)
    assert len(branches) == 22


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_card_numbers_are_157_and_seven_digits_and_never_repeat_under_concurrency(database):
    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def issue() -> None:
        barrier.wait()
        with unit_of_work(write=True) as session:
            number = allocate_card_number(session)
        with lock:
            results.append(number)

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 8
    assert all(len(n) == 10 and n.startswith("157") and n.isdigit() for n in results)
    numbers = sorted(int(n) for n in results)
    assert numbers == list(range(numbers[0], numbers[0] + 8))  # no gaps


def test_a_rolled_back_issuance_gives_its_number_back(database):
    with pytest.raises(RuntimeError):
        with unit_of_work(write=True) as session:
            allocate_card_number(session)
            raise RuntimeError("issuance failed later in the transaction")
    with unit_of_work(write=True) as session:
        first = allocate_card_number(session)
    with unit_of_work(write=True) as session:
        second = allocate_card_number(session)
    assert int(second) == int(first) + 1


def test_demo_data_is_loaded_once_and_can_log_in(database):
    assert load_demo_data() == [m.login_id for m in DEMO_MEMBERS] + ["demostaff"]
    assert load_demo_data() == []
    with unit_of_work() as session:
        full = session.exec(select(Member).where(Member.login_id == "demofull")).one()
        card = session.exec(select(MemberCard).where(MemberCard.member_id == full.id)).one()
        assert session.exec(select(StaffAccount)).one().login_id == "demostaff"
    assert card.card_number.startswith("157") and len(card.card_number) == 10
    assert auth.login_member("demoassoc", DEMO_PASSWORD).ok


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account/edit", "/account/edit"),
        (None, "/"),
        ("", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("account", "/"),
    ],
)
def test_only_local_paths_are_followed_after_login(target, expected):
    assert routes.safe_next(target) == expected
