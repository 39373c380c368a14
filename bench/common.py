"""What every benchmark shares: the production server of this app or of a blank Reflex app,
started on a free port, and Debian's chromium for Playwright.

Benchmarks measure; they never assert speed. Each figure is reported beside its reference,
measured in the same run, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
BUN_BIN = ROOT / "tools" / "bun" / "node_modules" / ".bin"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
START_TIMEOUT_S = 900


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reflex_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BUN_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(REFLEX_USE_SYSTEM_BUN="1", REFLEX_TELEMETRY_ENABLED="false", REFLEX_CHECK_LATEST_VERSION="false")
    env.update(extra)
    return env


@dataclass
class Server:
    """A `reflex run --env prod` process group (frontend and backend on one port)."""

    name: str
    cwd: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        self.log_path = self.log_path or Path(tempfile.mkstemp(prefix=f"bench-{self.name}-", suffix=".log")[1])
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod",
                 "--frontend-port", str(self.port), "--backend-port", str(self.port)],
                cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/ping", timeout=2).status_code == 200 and \
                        httpx.get(self.url, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)  # polling a starting server
        raise RuntimeError(f"{self.name} server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def backend_pids(self) -> list[int]:
        """The server's processes (supervisor and workers), for memory readings."""
        if self.process is None:
            return []
        out = subprocess.run(["ps", "-o", "pid=", "-g", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]


@contextmanager
def app_server(*, scaled: dict[str, str] | None = None, data_dir: Path | None = None,
               rate_limits: bool = True) -> Iterator[Server]:
    """This app in production mode with the sandbox services and demo data.

    Embedded by default (a fresh SQLite database in a temp folder); ``scaled`` passes
    YONGIN_DATABASE_URL / YONGIN_REDIS_URL / GRANIAN_WORKERS for the scaled mode. ``rate_limits=False``
    switches the abuse limits off (bench/load.py: hundreds of clients replay one person from one address).
    """
    own_dir = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="bench-data-"))
    port = free_port()
    env = reflex_env(YONGIN_DATA_DIR=str(data_dir), YONGIN_PUBLIC_BASE_URL=f"http://localhost:{port}",
                     YONGIN_RATE_LIMITS_ENABLED="true" if rate_limits else "false", **(scaled or {}))
    if not scaled:
        env.pop("YONGIN_DATABASE_URL", None)
        env.pop("YONGIN_REDIS_URL", None)
    for command in ("migrate", "demo-data"):
        subprocess.run([sys.executable, "-m", "yongin_app.cli", command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    server = Server("app", ROOT, env, port=port)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if own_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


BLANK_APP_CODE = textwrap.dedent('''
    """The reference: a blank Reflex app with a heading, a button and an input."""
    import reflex as rx


    class State(rx.State):
        count: int = 0

        @rx.event
        def increment(self):
            self.count += 1


    def index() -> rx.Component:
        return rx.container(
            rx.heading("Blank app"),
            rx.button("Count", on_click=State.increment, id="count-button"),
            rx.text(State.count, id="count"),
            rx.input(placeholder="Type here", id="text-input"),
        )


    app = rx.App()
    app.add_page(index)
''')


def build_blank_app(workdir: Path) -> Path:
    """`reflex init --template blank` of the same Reflex version, with a heading, a button and
    an input; returns the app folder. Reuses the project's reflex.lock/ so bun installs offline."""
    app_dir = workdir / "blank_app"
    if (app_dir / "rxconfig.py").exists():
        return app_dir
    app_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "reflex", "init", "--template", "blank", "--loglevel", "warning"],
                   cwd=app_dir, env=reflex_env(), check=True, stdout=subprocess.DEVNULL)
    (app_dir / "blank_app" / "blank_app.py").write_text(BLANK_APP_CODE)
    return app_dir


@contextmanager
def blank_server(workdir: Path) -> Iterator[Server]:
    app_dir = build_blank_app(workdir)
    server = Server("blank", app_dir, reflex_env())
    try:
        server.start()
        yield server
    finally:
        server.stop()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Row:
    """One line of the printed table: a figure, its same-run reference, and the target."""

    section: str  # "1 page weight", "2 lighthouse", ...
    figure: str  # what was measured, e.g. "/ JS+CSS gzip bytes"
    value: float
    unit: str  # "B", "ms", "score", "KB/client", ...
    reference: float | None = None  # the same figure of the reference (blank app, argon2id, ...)
    target: str = ""  # e.g. "≤ 1.25× blank", "≥ 0.95"
    met: bool | None = None  # None when there is no target

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.value / self.reference


def format_table(rows: list[Row]) -> str:
    header = ("section", "figure", "value", "reference", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        lines.append((
            row.section, row.figure, f"{row.value:,.2f} {row.unit}".strip(),
            "" if row.reference is None else f"{row.reference:,.2f} {row.unit}".strip(),
            "" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target, {True: "yes", False: "NO", None: ""}[row.met],
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in lines)


def main_against_blank(run: Callable[..., list[Row]], prog: str, description: str, *, quick_help: str,
                       details_help: str, argv: list[str] | None = None) -> int:
    """The command line of a benchmark measured against the blank app: both servers, then one table."""
    parser = argparse.ArgumentParser(prog=prog, description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--details", action="store_true", help=details_help)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    with blank_server(workdir) as blank, app_server() as app:
        rows = run(args.quick, workdir, app, blank, show_details=args.details)
    print(format_table(rows))
    return 0
