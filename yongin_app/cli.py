"""Command line: `python -m yongin_app.cli migrate | demo-data`."""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config

from yongin_app.settings import PROJECT_ROOT, get_settings


def migrate() -> None:
    config = Config(str(Path(PROJECT_ROOT) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(PROJECT_ROOT) / "alembic"))
    command.upgrade(config, "head")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m yongin_app.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema to the latest migration")
    sub.add_parser("demo-data", help="create the demo accounts if missing (only when YONGIN_LOAD_DEMO_DATA is on)")
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


if __name__ == "__main__":
    main()
