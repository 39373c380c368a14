"""A tab's server-side state is served only to the browser tab that owns it.

Reflex finds a tab's state by its tab ID alone (``?token=`` on the websocket URL), and that ID leaks:
proxies log the URL, and a connection may come from anyone who read it. So the tab ID is treated
as a name, not a credential. The owning tab also holds a random key in its sessionStorage, handed
out by the server on the tab's first hydrate and delivered back on every (re)connect. The
middleware below checks it before any handler runs:

- a hydrate that delivers the tab's key (a reconnect of the same tab) keeps the state, and binds it
  to this connection;
- any other connection that reaches a claimed state (no key, a wrong key, or events sent without a
  hydrate) finds it emptied first: logged out, every token cleared, every page's data gone. Login
  cookies are then trusted again only as the browser delivers them on this connection.

The key never appears in a URL or a log, and the server sends it only to the connection that
hydrated with it (Reflex resets browser storage vars before applying what the browser sent).
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState
from reflex_base.constants import CompileVars, RouteVar
from reflex_base.constants.state import FIELD_MARKER

if TYPE_CHECKING:
    from reflex.app import App
    from reflex.state import StateUpdate
    from reflex_base.event import Event

TAB_KEY_STORAGE_NAME = "yongin_tab_key"


class TabGuardState(rx.State):
    # The browser's copy of the tab key (sessionStorage: this tab only, never sent over HTTP).
    tab_key: str = rx.SessionStorage("", name=TAB_KEY_STORAGE_NAME)
    # The server's copy, and the socket that proved it last.
    _owner_key: str = ""
    _owner_sid: str = ""


def _event_name(method: str) -> str:
    from reflex.state import State
    from reflex_base.utils.format import format_event_handler

    return format_event_handler(State.event_handlers[method])


def _key_field() -> str:
    return f"{TabGuardState.get_full_name()}.tab_key"


def _delivered_key(variables: Any) -> str:
    """The tab key among the browser storage values a hydrate delivered ('' when absent)."""
    if not isinstance(variables, dict):
        return ""
    field = _key_field()
    for name in (field, field + FIELD_MARKER):
        value = variables.get(name)
        if isinstance(value, str):
            return value
    return ""


async def _empty_tab(root: BaseState) -> None:
    """Every state of this tab back to its defaults (the router data excepted)."""
    pending: list[type[BaseState]] = [type(root)]
    while pending:  # load the whole tree first: the Redis manager loads substates lazily
        state_class = pending.pop()
        await root.get_state(state_class)
        pending.extend(state_class.get_substates())
    root.reset()


class TabOwnershipMiddleware(Middleware):
    """Runs before every event handler (see the module docstring)."""

    def __init__(self) -> None:
        self._hydrate_events: frozenset[str] | None = None

    def _is_hydrate(self, name: str) -> bool:
        if self._hydrate_events is None:
            self._hydrate_events = frozenset(
                _event_name(method) for method in (CompileVars.HYDRATE, CompileVars.HYDRATE_AND_LOAD)
            )
        return name in self._hydrate_events

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        root = state._get_root_state()
        sid = str(root.router_data.get(RouteVar.SESSION_ID) or "")
        guard = await root.get_state(TabGuardState)
        claimed = bool(guard._owner_key or guard._owner_sid)
        if self._is_hydrate(event.name):
            # The payload is the event's own dict: the new key set here is what the hydrate applies.
            payload = event.payload if isinstance(event.payload, dict) else {}
            delivered = _delivered_key(payload.get("vars"))
            if guard._owner_key and hmac.compare_digest(delivered.encode(), guard._owner_key.encode()):
                guard._owner_sid = sid  # the same tab, reconnected
                return None
            if claimed:
                await _empty_tab(root)  # claimed by another tab: nothing of it is served here
            guard._owner_key, guard._owner_sid = secrets.token_urlsafe(32), sid
            variables = payload.get("vars")
            if isinstance(variables, dict):
                variables.pop(_key_field(), None)
                variables[_key_field() + FIELD_MARKER] = guard._owner_key
            elif isinstance(event.payload, dict):
                event.payload["vars"] = {_key_field() + FIELD_MARKER: guard._owner_key}
            return None
        if sid and guard._owner_sid == sid:
            return None
        if claimed:
            # Events from a connection that never proved the tab: it gets an empty, logged-out tab.
            await _empty_tab(root)
        guard._owner_sid = sid
        return None
