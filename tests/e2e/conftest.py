"""Browser tests against the real production server (`reflex run --env prod`) on a free port,
with its own SQLite database, driven by Playwright in Debian's chromium."""

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

ROOT = Path(__file__).resolve().parents[2]
# Set before anything imports yongin_app: the tests and the server share this database.
DATA_DIR = Path(tempfile.mkdtemp(prefix="yongin-e2e-"))
os.environ["YONGIN_DATA_DIR"] = str(DATA_DIR)
os.environ.pop("YONGIN_DATABASE_URL", None)

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
    bun_bin = ROOT / "tools" / "bun" / "node_modules" / ".bin"
    env["PATH"] = f"{bun_bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        YONGIN_PUBLIC_BASE_URL=f"http://localhost:{port}",
        YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS="0.2",
    )
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


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    port = _free_port()
    env = _server_env(port)
    for command in ("migrate", "demo-data"):
        subprocess.run([sys.executable, "-m", "yongin_app.cli", command], cwd=ROOT, env=env, check=True)
    log_path = DATA_DIR / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_serving(url, process, log_path)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(DATA_DIR, ignore_errors=True)


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
