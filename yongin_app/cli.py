"""Command line: `python -m yongin_app.cli migrate | demo-data | create-staff`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from yongin_app.settings import PROJECT_ROOT, get_settings


def _alembic_config() -> Config:
    config = Config(str(Path(PROJECT_ROOT) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(PROJECT_ROOT) / "alembic"))
    return config


def migrate() -> None:
    """Bring the configured database (YONGIN_DATABASE_URL, or the embedded SQLite file) to head."""
    command.upgrade(_alembic_config(), "head")


def migrate_database(url: str) -> None:
    """Bring the database at ``url`` to head (the test suite's template databases)."""
    from yongin_app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            config.attributes["configure_logger"] = False
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m yongin_app.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema to the latest migration")
    sub.add_parser("demo-data", help="create the demo accounts if missing (only when YONGIN_LOAD_DEMO_DATA is on)")
    staff = sub.add_parser(
        "create-staff",
        help="create a staff account; the password is asked twice, or read from YONGIN_STAFF_PASSWORD",
    )
    staff.add_argument("--login-id", required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=["사서", "관리자"])
    args = parser.parse_args(argv)

    if args.command == "migrate":
        migrate()
    elif args.command == "demo-data":
        if not get_settings().load_demo_data:
            print("YONGIN_LOAD_DEMO_DATA is off: no demo data loaded.")
            return
        from yongin_app.services.demo import load_demo_data

        created = load_demo_data()
        print(f"demo accounts created: {', '.join(created) if created else 'none (already present)'}")
    elif args.command == "create-staff":
        create_staff_command(args.login_id, args.name, args.role)


def create_staff_command(login_id: str, name: str, role: str) -> None:
    from yongin_app.domain.enums import StaffRole
    from yongin_app.services.staff import create_staff

    password = os.environ.get("YONGIN_STAFF_PASSWORD")
    if password is None:
        password = getpass.getpass("직원 비밀번호: ")
        if getpass.getpass("직원 비밀번호 확인: ") != password:
            print("비밀번호가 서로 다릅니다. 직원 계정을 만들지 않았습니다.", file=sys.stderr)
            raise SystemExit(1)
    try:
        staff_id = create_staff(login_id, name, StaffRole(role), password)
    except ValueError as error:
        print(f"직원 계정을 만들지 않았습니다: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"staff account created: id={staff_id} login_id={login_id} role={role}")


if __name__ == "__main__":
    main()
