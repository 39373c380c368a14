"""A small Socket.IO client that speaks to the app as Reflex's frontend does, for attacks at the
socket level: connect with any tab ID and any headers, send any event, read every update."""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import socketio

from yongin_app.pages.login import LoginState

NAMESPACE = "/_event"
REPLY_TIMEOUT_S = 30


def handler_name(state_class: type, method: str) -> str:
    return f"{state_class.get_full_name()}.{method}"


def hydrate_name() -> str:  # call it in the test's thread, as handler_name
    from reflex.state import State

    return f"{State.get_full_name()}.hydrate_and_load"


class ReflexSocket:
    """One connection. ``updates`` keeps every update the server sent, in order."""

    def __init__(self, base_url: str, *, token: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.base_url = base_url
        self.token = token or str(uuid.uuid4())
        self.headers = headers or {}
        self.updates: list[dict[str, Any]] = []
        self.new_tokens: list[str] = []  # Reflex gave this connection another tab ID (the old one was in use)
        self._inbox: asyncio.Queue = asyncio.Queue()
        self._sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self._sio.on("event", self._on_event, namespace=NAMESPACE)
        self._sio.on("new_token", self.new_tokens.append, namespace=NAMESPACE)
        # Resolved here: make the client in the test's thread (Reflex keeps its registry in a context var).
        self._marker_event = handler_name(LoginState, "toggle_password")
        self._marker_state = LoginState.get_full_name()

    def _on_event(self, data: Any) -> None:
        update = json.loads(data) if isinstance(data, str) else data
        self.updates.append(update)
        self._inbox.put_nowait(update)

    async def connect(self, *, with_token: bool = True) -> None:
        url = f"{self.base_url}?token={self.token}" if with_token else self.base_url
        await self._sio.connect(url, transports=["websocket"], socketio_path="_event", namespaces=[NAMESPACE],
                                headers=self.headers, wait_timeout=REPLY_TIMEOUT_S)

    async def send(self, name: str, payload: dict[str, Any] | None = None, *, path: str = "/") -> None:
        event = {"name": name, "payload": payload or {}, "router_data": {"pathname": path, "query": {},
                                                                          "asPath": path}}
        await self._sio.emit("event", event, namespace=NAMESPACE)

    async def call(self, name: str, payload: dict[str, Any] | None = None, *, path: str = "/",
                   until: str | None = None) -> list[dict]:
        """Sends one event and returns the updates it caused: up to the first that mentions ``until``,
        or else up to the update of a marker event sent right after it (a tab's events are handled
        one after another)."""
        await self.send(name, payload, path=path)
        if until is None:
            await self.send(self._marker_event, path=path)
        received: list[dict[str, Any]] = []
        while True:
            update = await asyncio.wait_for(self._inbox.get(), timeout=REPLY_TIMEOUT_S)
            received.append(update)
            if until is not None:
                if until in json.dumps(update, ensure_ascii=False):
                    return received
            elif any(state == self._marker_state and "show_password_rx_state_" in fields
                     for state, fields in (update.get("delta") or {}).items()):
                return received

    async def close(self) -> None:
        await self._sio.disconnect()

    def text(self) -> str:
        """Everything the server sent on this connection, as one string."""
        return json.dumps(self.updates, ensure_ascii=False)


def run(coroutine) -> Any:
    """Runs the client to its end. In a thread of its own: Playwright's sync API owns this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
