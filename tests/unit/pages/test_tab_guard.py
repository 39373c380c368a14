"""The tab guard (states/tab_guard.py) on a real state tree: a tab's state is served only to the
connection that proved it is that tab; anyone else finds it empty and logged out (issue 14, finding 1).
The socket-level and browser tests (tests/e2e/test_tab_security.py) drive the same middleware end to end."""

from __future__ import annotations

import asyncio

import pytest
from reflex_base.constants import RouteVar
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event

from tests.unit.pages.tab import Tab
from yongin_app.states.session import SessionState
from yongin_app.states.tab_guard import TabGuardState, TabOwnershipMiddleware

KEY_FIELD = f"{TabGuardState.get_full_name()}.tab_key{FIELD_MARKER}"
COOKIE_FIELD = f"{SessionState.get_full_name()}.session_token{FIELD_MARKER}"


def _hydrate_name() -> str:
    from reflex.state import State

    return f"{State.get_full_name()}.hydrate_and_load"


def _event(tab: Tab, sid: str, name: str, payload: dict | None = None) -> Event:
    tab.root.router_data = {**tab.root.router_data, RouteVar.SESSION_ID: sid}
    return Event(name=name, payload=payload if payload is not None else {})


def _preprocess(tab: Tab, event: Event) -> None:
    assert asyncio.run(TabOwnershipMiddleware().preprocess(None, tab.root, event)) is None  # type: ignore[arg-type]


def _logged_in_tab() -> tuple[Tab, str]:
    """A tab that hydrated on socket "s1", was handed its key, and shows a logged-in member."""
    tab = Tab()
    hydrate = _event(tab, "s1", _hydrate_name(), {"vars": {COOKIE_FIELD: "the-session-cookie"}})
    _preprocess(tab, hydrate)
    key = hydrate.payload["vars"][KEY_FIELD]
    session = tab.state(SessionState)
    session.session_token, session.logged_in, session.member_name = "the-session-cookie", True, "박정회"
    return tab, key


def _is_empty(tab: Tab) -> bool:
    session = tab.state(SessionState)
    return (session.session_token, session.logged_in, session.member_name) == ("", False, "")


def test_the_first_hydrate_hands_the_tab_a_key_that_the_hydrate_itself_stores():
    tab, key = _logged_in_tab()
    assert len(key) >= 40
    assert tab.state(TabGuardState)._owner_key == key


def test_the_same_tab_reconnecting_with_its_key_keeps_its_state():
    tab, key = _logged_in_tab()
    _preprocess(tab, _event(tab, "s2", _hydrate_name(), {"vars": {KEY_FIELD: key, COOKIE_FIELD: "x"}}))
    assert tab.state(SessionState).member_name == "박정회"
    _preprocess(tab, _event(tab, "s2", f"{SessionState.get_full_name()}.refresh"))
    assert tab.state(SessionState).member_name == "박정회"


@pytest.mark.parametrize("delivered", [None, "", "guessed-key", "키", "k" * 10_000])
def test_a_hydrate_without_the_key_finds_an_empty_tab_and_gets_a_new_key(delivered):
    tab, key = _logged_in_tab()
    variables = {} if delivered is None else {KEY_FIELD: delivered}
    hydrate = _event(tab, "s2", _hydrate_name(), {"vars": variables})
    _preprocess(tab, hydrate)
    assert _is_empty(tab)
    assert hydrate.payload["vars"][KEY_FIELD] not in (key, delivered)


def test_events_from_another_connection_without_a_hydrate_find_an_empty_tab():
    tab, _ = _logged_in_tab()
    _preprocess(tab, _event(tab, "attacker", f"{SessionState.get_full_name()}.refresh"))
    assert _is_empty(tab)


def test_events_of_the_connection_that_proved_the_tab_pass_untouched():
    tab, _ = _logged_in_tab()
    _preprocess(tab, _event(tab, "s1", f"{SessionState.get_full_name()}.refresh"))
    assert tab.state(SessionState).member_name == "박정회"
