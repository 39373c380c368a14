"""Freeing the state of a tab that left (yongin_app/tab_lifecycle.py), on Reflex's real memory state
manager and local token manager, with tab keys handed out by the real tab guard. The browser test
(tests/e2e/test_tab_lifecycle.py) drives the same code through pagehide and real sockets."""

from __future__ import annotations

import asyncio
import gc
import uuid
import weakref

import httpx
import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State
from reflex.utils.token_manager import LocalTokenManager
from reflex_base.constants import RouteVar
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event
from starlette.applications import Starlette

from yongin_app import tab_lifecycle
from yongin_app.states.session import SessionState
from yongin_app.states.tab_guard import TabGuardState, TabOwnershipMiddleware
from yongin_app.tab_lifecycle import TabLifecycle, _hook_disconnects

KEY_FIELD = f"{TabGuardState.get_full_name()}.tab_key{FIELD_MARKER}"


class Server:
    """One worker's state manager and token manager, with the lifecycle hooked in as install() does."""

    def __init__(self) -> None:
        self.states = StateManagerMemory()
        self.sockets = LocalTokenManager()
        self.lifecycle = TabLifecycle(self.states, self.sockets)
        self.unhook = _hook_disconnects(self.sockets, self.lifecycle)

    async def open_tab(self, sid: str = "s1") -> tuple[str, str]:
        """A tab connects and hydrates (the guard hands it its key); returns (token, key)."""
        token = str(uuid.uuid4())
        await self.sockets.link_token_to_sid(token, sid)
        async with self.states.modify_state(BaseStateToken(ident=token, cls=State)) as root:
            root.router_data = {RouteVar.SESSION_ID: sid}
            hydrate = Event(name=f"{State.get_full_name()}.hydrate_and_load", payload={"vars": {}})
            await TabOwnershipMiddleware().preprocess(None, root, hydrate)  # type: ignore[arg-type]
            (await root.get_state(SessionState)).member_name = "박정회"
        return token, hydrate.payload["vars"][KEY_FIELD]

    def has_state(self, token: str) -> bool:
        return token in self.states.states

    def holds_nothing_for(self, token: str) -> bool:
        return (token not in self.states.states and token not in self.states._states_locks
                and token not in self.states._token_expires_at and token not in self.lifecycle._left)


def run(scenario) -> None:
    async def main() -> None:
        server = Server()
        try:
            await scenario(server)
        finally:
            await server.states.close()

    asyncio.run(main())


def test_a_beacon_after_the_socket_closed_frees_the_whole_tree():
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        root = weakref.ref(server.states.states[token])
        await server.sockets.disconnect_token(token, "s1")
        assert server.has_state(token)  # a disconnect alone keeps it
        assert await server.lifecycle.owner_left(token, key)
        assert server.holds_nothing_for(token)
        gc.collect()
        assert root() is None  # nothing else keeps the tree alive

    run(scenario)


def test_a_beacon_while_the_socket_is_live_frees_at_its_disconnect():
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        assert not await server.lifecycle.owner_left(token, key)
        assert server.has_state(token)  # the page may still send events until its socket closes
        await server.sockets.disconnect_token(token, "s1")  # Reflex's cleanup, with the hook
        assert server.holds_nothing_for(token)

    run(scenario)


def test_a_dropped_socket_without_a_beacon_keeps_its_state_for_the_reconnect():
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        await server.sockets.disconnect_token(token, "s1")
        assert server.has_state(token)
        await server.sockets.link_token_to_sid(token, "s2")  # the phone is out of the tunnel
        async with server.states.modify_state(BaseStateToken(ident=token, cls=State)) as root:
            assert (await root.get_state(TabGuardState))._owner_key == key
            assert (await root.get_state(SessionState)).member_name == "박정회"

    run(scenario)


@pytest.mark.parametrize("key", ["", "guessed", "키", "k" * 128])
@pytest.mark.parametrize("socket_first", [True, False], ids=["closed-first", "beacon-first"])
def test_a_wrong_key_frees_nothing(key, socket_first):
    async def scenario(server: Server) -> None:
        token, _ = await server.open_tab()
        if socket_first:
            await server.sockets.disconnect_token(token, "s1")
        assert not await server.lifecycle.owner_left(token, key)
        if not socket_first:
            await server.sockets.disconnect_token(token, "s1")
        assert server.has_state(token) and token not in server.lifecycle._left

    run(scenario)


def test_another_tabs_key_frees_nothing():
    async def scenario(server: Server) -> None:
        token, _ = await server.open_tab("s1")
        _, other_key = await server.open_tab("s2")
        await server.sockets.disconnect_token(token, "s1")
        assert not await server.lifecycle.owner_left(token, other_key)
        assert server.has_state(token)

    run(scenario)


def test_an_unknown_token_gets_no_state_and_no_lock():
    async def scenario(server: Server) -> None:
        token = str(uuid.uuid4())
        assert not await server.lifecycle.owner_left(token, "any-key")
        assert server.holds_nothing_for(token)

    run(scenario)


def test_an_unclaimed_state_is_not_freed_by_an_empty_key():
    async def scenario(server: Server) -> None:
        token = str(uuid.uuid4())
        async with server.states.modify_state(BaseStateToken(ident=token, cls=State)):
            pass  # made by an event, never hydrated: no owner key
        assert not await server.lifecycle.owner_left(token, "")
        assert server.has_state(token)

    run(scenario)


def test_a_beacon_waits_for_the_event_in_flight():
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        await server.sockets.disconnect_token(token, "s1")
        async with server.states.modify_state(BaseStateToken(ident=token, cls=State)) as root:
            beacon = asyncio.create_task(server.lifecycle.owner_left(token, key))
            # The beacon must not finish while the event holds the lock (bounded wait, not a sync point).
            done, _ = await asyncio.wait({beacon}, timeout=0.2)
            assert not done and server.states.states[token] is root
        assert await beacon
        assert server.holds_nothing_for(token)

    run(scenario)


def test_a_mark_whose_state_expired_does_not_stay():
    async def scenario(server: Server) -> None:
        first, first_key = await server.open_tab("s1")
        second, second_key = await server.open_tab("s2")
        assert not await server.lifecycle.owner_left(first, first_key)
        server.states._purge_token(BaseStateToken(ident=first, cls=State))  # as Reflex's expiry does
        assert not await server.lifecycle.owner_left(second, second_key)
        assert server.lifecycle._left == {second}

    run(scenario)


def test_the_hook_undoes_itself():
    async def scenario(server: Server) -> None:
        server.unhook()
        token, key = await server.open_tab()
        assert not await server.lifecycle.owner_left(token, key)
        await server.sockets.disconnect_token(token, "s1")  # Reflex's own method again
        assert server.has_state(token)

    run(scenario)


@pytest.mark.parametrize("body", [
    b"", b"token=&key=", b"garbage", "token=x&key=y".encode() + b"&a=1" * 10, b"token=" + b"t" * 600,
])
def test_the_endpoint_answers_204_to_anything(body):
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        await server.sockets.disconnect_token(token, "s1")
        tab_lifecycle._installed = server.lifecycle
        try:
            transport = httpx.ASGITransport(app=Starlette(routes=[tab_lifecycle.left_route()]))
            async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
                odd = await client.post(tab_lifecycle.LEFT_PATH, content=body,
                                        headers={"content-type": "application/x-www-form-urlencoded"})
                assert odd.status_code == 204 and server.has_state(token)
                good = await client.post(tab_lifecycle.LEFT_PATH, data={"token": token, "key": key})
                assert good.status_code == 204 and not server.has_state(token)
        finally:
            tab_lifecycle._installed = None

    run(scenario)


def test_a_malformed_content_length_gets_the_same_204():
    async def scenario(server: Server) -> None:
        token, key = await server.open_tab()
        await server.sockets.disconnect_token(token, "s1")
        tab_lifecycle._installed = server.lifecycle
        sent: list[dict] = []
        body = f"token={token}&key={key}".encode()

        async def receive() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": tab_lifecycle.LEFT_PATH, "headers": [
            (b"content-length", b"12abc"), (b"content-type", b"application/x-www-form-urlencoded")],
            "query_string": b"", "server": ("app", 80), "scheme": "http", "root_path": ""}
        try:
            await Starlette(routes=[tab_lifecycle.left_route()])(scope, receive, send)
        finally:
            tab_lifecycle._installed = None
        assert sent[0]["status"] == 204 and server.has_state(token)  # refused unread, not a 500

    run(scenario)
