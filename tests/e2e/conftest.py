"""Browser tests against the real production server (`reflex run --env prod`) on a free port,
driven by Playwright in Debian's chromium.

Embedded mode (the default): the server has its own SQLite database and one worker.
Scaled mode: with YONGIN_TEST_POSTGRES_URL and YONGIN_TEST_REDIS_URL set, the server runs
YONGIN_TEST_WORKERS (default 3) backend workers on a fresh PostgreSQL database, with Reflex's
Redis state manager.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.postgres import PostgresDatabases

ROOT = Path(__file__).resolve().parents[2]
# Set before anything imports yongin_app: the tests and the server share this database.
DATA_DIR = Path(tempfile.mkdtemp(prefix="yongin-e2e-"))
os.environ["YONGIN_DATA_DIR"] = str(DATA_DIR)
os.environ.pop("YONGIN_DATABASE_URL", None)
os.environ.pop("YONGIN_REDIS_URL", None)

_POSTGRES = PostgresDatabases.from_environment(prefix=f"yongin_e2e_{os.getpid()}")
REDIS_URL = os.environ.get("YONGIN_TEST_REDIS_URL", "").strip()
SCALED = _POSTGRES is not None and bool(REDIS_URL)
WORKERS = int(os.environ.get("YONGIN_TEST_WORKERS", "3")) if SCALED else 1
if _POSTGRES is not None:
    os.environ["YONGIN_DATABASE_URL"] = _POSTGRES.fresh_database()
    from yongin_app.settings import get_settings

    get_settings.cache_clear()

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
SERVER_START_TIMEOUT_S = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("YONGIN_PUBLIC_BASE_URL", None)
    bun_bin = ROOT / "tools" / "bun" / "node_modules" / ".bin"
    env["PATH"] = f"{bun_bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        # As scripts/run.sh serves it: the public address (OAuth redirects, origins) follows PORT.
        PORT=str(port),
        YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS="0.2",
        # The tests read the server log while it runs (what must never be logged): no buffering.
        PYTHONUNBUFFERED="1",
    )
    if SCALED:
        env.update(YONGIN_REDIS_URL=REDIS_URL, GRANIAN_WORKERS=str(WORKERS))
    return env


def _wait_until_serving(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited early:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200 and httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # readiness polling of a starting server, not test synchronization
    raise RuntimeError(f"the app server did not start in time:\n{log_path.read_text()[-4000:]}")


def persisted_bytes() -> bytes:
    """Everything the app has stored: the database, the server log, and Reflex's saved states in Redis
    (scaled mode; the embedded mode keeps tab states in memory only, see rxconfig.py)."""
    chunks = [(DATA_DIR / "server.log").read_bytes()]
    if _POSTGRES is None:
        chunks += [path.read_bytes() for path in DATA_DIR.glob("yongin.db*")]
    else:
        import sqlalchemy as sa

        engine = sa.create_engine(os.environ["YONGIN_DATABASE_URL"], poolclass=sa.NullPool)
        with engine.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).scalars().all()
            for table in tables:
                rows = conn.exec_driver_sql(f'SELECT row_to_json(t)::text FROM "{table}" t').scalars().all()
                chunks += [row.encode() for row in rows]
        engine.dispose()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = client.keys("*")
        assert keys, "the server keeps its states in Redis here; an empty Redis would prove nothing"
        for key in keys:
            kind = client.type(key)
            if kind == b"string":
                chunks.append(client.get(key) or b"")
            elif kind == b"hash":
                chunks += [b"".join(pair) for pair in client.hgetall(key).items()]
            else:  # lists and sets are not used by Reflex's state manager; keep them anyway
                chunks.append(repr(client.dump(key)).encode())
        client.close()
    return b"".join(chunks)


class AppServer:
    """The production server as a process group, which a test may restart (all workers)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://localhost:{port}"
        self.env = _server_env(port)
        self.log_path = DATA_DIR / "server.log"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod",
                 "--frontend-port", str(self.port), "--backend-port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        _wait_until_serving(self.url, self._process, self.log_path)

    def stop(self) -> None:
        if self._process is None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._process = None

    def restart(self) -> None:
        self.stop()
        _wait_until_port_is_free(self.port)
        self.start()


def _wait_until_port_is_free(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("0.0.0.0", port))
                return
            except OSError:
                pass
        time.sleep(0.2)  # polling the kernel for the port, not test synchronization
    raise RuntimeError(f"port {port} is still in use")


def _flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


def checkout_status() -> str | None:
    """`git status` of the project (None outside a git checkout): starting the app must not change it."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


# What the checkout looked like before the app server was built and started (test_checkout.py).
STATUS_BEFORE_SERVER: list[str | None] = []


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    STATUS_BEFORE_SERVER.append(checkout_status())
    server = AppServer(_free_port())
    if SCALED:
        _flush_redis()
    for command in ("migrate", "demo-data"):
        subprocess.run([sys.executable, "-m", "yongin_app.cli", command], cwd=ROOT, env=server.env, check=True)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if _POSTGRES is not None:
            _POSTGRES.drop_all()
        if os.environ.get("YONGIN_TEST_KEEP_SERVER_LOG"):
            print(f"server log kept: {server.log_path}")
        else:
            shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    return app_server.url


def clear_rate_limits() -> None:
    """Forgets the server's abuse-limit counters (services/rate_limits.py): in its database, or in Redis
    in the scaled mode (only the limits' keys, never Reflex's states)."""
    from yongin_app.services import rate_limits

    rate_limits.clear_all(rate_limits.make_storage(REDIS_URL if SCALED else ""))


@pytest.fixture(autouse=True)
def fresh_rate_limits(request) -> None:
    """Each browser test starts with no counters: the suite sends codes to the same sandbox people and
    fails logins from 127.0.0.1 far more often than one person would in an hour."""
    if "app_server" in request.fixturenames:
        request.getfixturevalue("app_server")
        clear_rate_limits()


def pytest_report_header(config) -> str:
    if SCALED:
        return f"app server: scaled mode, {WORKERS} workers, PostgreSQL {_POSTGRES.server}, Redis"
    return "app server: embedded mode (SQLite, one worker)"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport_name(request) -> str:
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport_name, app_url):
    return {
        **browser_context_args,
        "viewport": VIEWPORTS[viewport_name],
        "locale": "ko-KR",
        "base_url": app_url,
        "is_mobile": viewport_name == "phone",
        "has_touch": viewport_name == "phone",
    }
