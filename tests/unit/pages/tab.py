"""A browser tab's state tree, as Reflex builds it for one client, to call the page handlers directly.

The handlers run as Reflex runs them (the same functions, the same state tree; get_state finds the
tab's SessionState in it), against the test's real database. What a state holds in its public
(non-underscore) vars is what Reflex sends to that browser.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, TypeVar

import reflex as rx
from reflex.state import State

from yongin_app.states.session import SessionState

S = TypeVar("S", bound=rx.State)


class Tab:
    def __init__(self, session_token: str = "") -> None:
        self.root = State(_reflex_internal_init=True)
        self.state(SessionState).session_token = session_token

    def state(self, state_cls: type[S]) -> S:
        return self.root.get_substate(state_cls.get_full_name().split("."))

    def run(self, state_cls: type[S], handler: str, *args: Any) -> list[Any]:
        """Runs one event handler to its end, on an event loop of its own (the handlers hand their
        database work to threads); returns what it returned or yielded (events for the browser)."""
        return asyncio.run(self._run(state_cls, handler, *args))

    async def _run(self, state_cls: type[S], handler: str, *args: Any) -> list[Any]:
        fn = getattr(state_cls, handler).fn
        outcome = fn(self.state(state_cls), *args)
        if inspect.isasyncgen(outcome):
            return [item async for item in outcome]
        if inspect.iscoroutine(outcome):
            outcome = await outcome
        if inspect.isgenerator(outcome):
            return list(outcome)
        return [outcome]

    def public_vars(self, state_cls: type[S]) -> dict[str, Any]:
        """What Reflex sends to the browser for this state: its base vars (computed vars derive from them)."""
        state = self.state(state_cls)
        return {name: getattr(state, name) for name in state_cls.base_vars if not name.startswith("_")}
