"""Loopback HTTP servers for the port tests. Nothing here contacts the internet."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from starlette.types import ASGIApp


class LiveServer:
    """Runs an ASGI app with uvicorn in a thread on 127.0.0.1, on a free port."""

    def __init__(self, app: ASGIApp) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server", daemon=True)
        self.base_url = ""

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        # Wait for uvicorn's own "started" flag, not for a fixed time.
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the loopback test server did not start")
            time.sleep(0.005)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _no_yongin_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings() in these tests means the defaults, whatever the shell exports."""
    for name in list(os.environ):
        if name.startswith("YONGIN_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[[ASGIApp], str]]:
    """``serve(app)`` starts ``app`` on loopback and returns its base URL;
    every server started this way stops when the test module ends."""
    started: list[LiveServer] = []

    def _serve(app: ASGIApp) -> str:
        server = LiveServer(app)
        server.start()
        started.append(server)
        return server.base_url

    yield _serve
    for server in started:
        server.stop()
