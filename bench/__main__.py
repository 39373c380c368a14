"""Run the benchmarks and print one table: `python -m bench` (full) or `python -m bench --quick` (CI).

Every figure stands beside its reference measured in the same run (a blank Reflex app, or the
bare argon2id cost), as a ratio. Nothing here fails on a slow figure: the exit code says only
whether the benchmarks ran. The table is also written to bench/results/.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.common import RESULTS_DIR, Row, app_server, blank_server, format_table

# (module, needs the app and blank servers)
BENCHMARKS = {
    "page_weight": True,
    "lighthouse": True,
    "event_latency": True,
    "load": True,
    "usecases": False,
}


def _machine() -> str:
    cpus = Path("/proc/cpuinfo").read_text().count("processor\t:") if Path("/proc/cpuinfo").exists() else "?"
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"{platform.node()}: {cpus} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, few samples (CI: it must not rot)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    chosen = [name for name in BENCHMARKS if not args.only or name in args.only.split(",")]

    started = time.monotonic()
    rows: list[Row] = []
    failures: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    with_servers = [name for name in chosen if BENCHMARKS[name]]
    without = [name for name in chosen if not BENCHMARKS[name]]

    def run(name: str, *server_args) -> None:
        print(f"-- {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            rows.extend(module.run(args.quick, workdir, *server_args))
        except Exception:  # one broken benchmark must not hide the others' figures
            failures.append(name)
            traceback.print_exc()

    if with_servers:
        with blank_server(workdir) as blank, app_server() as app:
            for name in with_servers:
                run(name, app, blank)
    for name in without:
        run(name)

    header = (f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {'quick' if args.quick else 'full'} mode, "
              f"{time.monotonic() - started:.0f} s\n# {_machine()}\n")
    table = header + format_table(rows) + "\n"
    print(table)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{'quick' if args.quick else 'full'}.txt").write_text(table)
    if failures:
        print(f"benchmarks that did not run: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
