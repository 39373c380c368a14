"""A tab's server state is freed once the tab has really left (embedded mode).

Every page load starts a new Reflex tab token (the ``pagehide`` script in yongin_app.py), so the
token of a page that was left is never used again; Reflex 0.10.1 still keeps its state tree until it
expires (30 idle minutes), and it has no hook to free it earlier. This module adds that, small:

- At ``pagehide`` the page posts its tab token and its tab key (``TabGuardState``'s secret, in the
  tab's sessionStorage only) to ``LEFT_PATH`` with ``navigator.sendBeacon``.
- The server frees the token's state when both have happened, whichever comes last: its owner said
  it left (the key matches), and the token has no live socket. A socket that only dropped (a phone
  in a tunnel) sends no beacon, so its state waits for the reconnect as before.
- The state is freed under its lock, so never in the middle of an event. An unknown token gets no
  state made for it; a wrong key, a malformed or oversized request change nothing; every answer is
  the same empty 204, so the endpoint tells nobody whether a token exists.

Who may free what: only the holder of a tab's key may free that tab's state (the key is the same
proof of ownership the tab guard asks for on every reconnect). Anyone may post; nothing else happens.

Scaled mode (Redis): nothing is freed; the states expire in Redis after 30 idle minutes (see
docs/upstream/free-state-on-disconnect.md for why). The endpoint then only answers 204.

The hook into Reflex is ``_hook_disconnects`` (one wrapped method, installed by ``install``).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yongin_app.states.tab_guard import TAB_KEY_STORAGE_NAME, TabGuardState

if TYPE_CHECKING:
    import reflex as rx
    from reflex.utils.token_manager import TokenManager

logger = logging.getLogger(__name__)

LEFT_PATH = "/_tab/left"
# The beacon's two fields: a UUID token (36) and a 43-character key; anything longer is not ours.
MAX_BODY_BYTES = 512
MAX_FIELD_CHARS = 128

# The page's side, run at pagehide (a head script of yongin_app.py): tell the server this tab's token
# is finished, then forget it so the next page load starts a new one.
PAGEHIDE_SCRIPT = (
    "addEventListener('pagehide',function(){try{"
    "var t=sessionStorage.getItem('token'),k=sessionStorage.getItem(" + repr(TAB_KEY_STORAGE_NAME) + ");"
    "if(t&&k)navigator.sendBeacon(" + repr(LEFT_PATH) + ",new URLSearchParams({token:t,key:k}))"
    "}catch(e){}sessionStorage.removeItem('token')})"
)


class TabLifecycle:
    """Frees the states of tabs that left, on a memory state manager and its token manager."""

    def __init__(self, states: StateManagerMemory, sockets: TokenManager) -> None:
        self._states = states
        self._sockets = sockets
        # Tokens whose owner said it left while their socket was still live (freed at its disconnect).
        self._left: set[str] = set()

    async def owner_left(self, token: str, key: str) -> bool:
        """The beacon: frees the state now if its socket is gone, else at the disconnect. True if freed."""
        if token not in self._states.states:
            return False  # unknown or already gone: never make a state for it
        return await self._free(token, key=key)

    async def socket_closed(self, token: str) -> bool:
        """After Reflex unlinked a socket: frees the state if its owner had said it left."""
        if token not in self._left:
            return False  # a plain drop (or a tab that never said goodbye): keep it for the reconnect
        return await self._free(token, key=None)

    async def _free(self, token: str, *, key: str | None) -> bool:
        ref = BaseStateToken(ident=token, cls=TabGuardState.get_root_state())
        lock = await self._states._get_state_lock(ref)
        async with lock:
            root = self._states.states.get(token)
            if root is None:  # expired while we waited: drop the lock we made, as the expiry does
                self._left.discard(token)
                self._states._purge_token(ref)
                return False
            if key is not None:
                owner_key = (await root.get_state(TabGuardState))._owner_key
                if not owner_key or not hmac.compare_digest(key.encode(), owner_key.encode()):
                    return False
            if await self._sockets.is_token_connected(token):
                self._left.add(token)
                self._forget_gone_tokens()
                return False
            # Under the lock: no event of this tab is running. One already waiting for the lock
            # (sent just before the socket closed) gets a fresh, unclaimed state that expires as usual.
            self._left.discard(token)
            self._states._purge_token(ref)
            return True

    def _forget_gone_tokens(self) -> None:
        """Marks of tokens whose state expired before their socket closed (keeps the set small)."""
        self._left.intersection_update(self._states.states.keys())


# ---------------------------------------------------------------- the hook into Reflex and the endpoint

_installed: TabLifecycle | None = None


def _hook_disconnects(sockets: TokenManager, lifecycle: TabLifecycle) -> Callable[[], None]:
    """THE hook into Reflex 0.10.1: after the token manager unlinks a socket (EventNamespace.on_disconnect
    → disconnect_token), ask the lifecycle. Reflex has no disconnect hook (see
    docs/upstream/free-state-on-disconnect.md); this wraps the one method every disconnect goes through.
    Returns the undo."""
    unlink: Callable[[str, str], Awaitable[None]] = sockets.disconnect_token

    async def disconnect_token(token: str, sid: str) -> None:
        await unlink(token, sid)
        try:
            await lifecycle.socket_closed(token)
        except Exception:  # freeing is an optimization: never let it break Reflex's cleanup
            logger.exception("freeing the state of a tab that left failed")

    sockets.disconnect_token = disconnect_token  # type: ignore[method-assign]
    return lambda: delattr(sockets, "disconnect_token")


def install(app: rx.App) -> None:
    """Frees left tabs' states while the server runs (memory state manager only)."""

    @contextlib.asynccontextmanager
    async def free_left_tabs() -> AsyncIterator[None]:
        global _installed
        states, namespace = app.state_manager, app.event_namespace
        if not isinstance(states, StateManagerMemory) or namespace is None:
            yield  # scaled mode: Redis expires the states (module docstring)
            return
        sockets = namespace._token_manager
        _installed = TabLifecycle(states, sockets)
        undo = _hook_disconnects(sockets, _installed)
        try:
            yield
        finally:
            undo()
            _installed = None

    app.register_lifespan_task(free_left_tabs)


async def _read_small_body(request: Request) -> bytes | None:
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return None  # a malformed or too large body: the same 204, nothing read
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return body


async def _tab_left(request: Request) -> Response:
    body = await _read_small_body(request)
    if body is not None and _installed is not None:
        try:
            fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
        except ValueError:  # more fields than a beacon has
            fields = {}
        token, key = (fields.get(name, [""])[0] for name in ("token", "key"))
        if 0 < len(token) <= MAX_FIELD_CHARS and 0 < len(key) <= MAX_FIELD_CHARS:
            await _installed.owner_left(token, key)
    return Response(status_code=204)  # the same answer whatever happened


def left_route() -> Route:
    """The beacon's endpoint, for the app's api_transformer (yongin_app.py)."""
    return Route(LEFT_PATH, _tab_left, methods=["POST"])
