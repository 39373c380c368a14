"""A tab that left frees its server state; a tab whose socket only dropped keeps it (issue 15,
yongin_app/tab_lifecycle.py).

The observable needs no server internals: the tab guard (states/tab_guard.py) answers a hydrate that
delivers a tab's key with that same key while the server still holds the tab's state, and with a new
key when it holds none (a state made afresh is unclaimed). So a connection with the old tab's ID and
key tells whether the old state is still there.
"""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCALED
from tests.e2e.reflex_socket import ReflexSocket, hydrate_name, run
from yongin_app.states.tab_guard import TAB_KEY_STORAGE_NAME, TabGuardState
from yongin_app.tab_lifecycle import LEFT_PATH

SETTLE_S = 30  # how long the server may take to see the old socket close


def _key_in(updates: list[dict]) -> str | None:
    for update in updates:
        fields = (update.get("delta") or {}).get(TabGuardState.get_full_name()) or {}
        if "tab_key_rx_state_" in fields:
            return fields["tab_key_rx_state_"]
    return None


def _open_tab(app_url: str) -> tuple[str, str]:
    """A tab at the socket level: it connects, hydrates, gets its key, and its socket drops."""
    tab = ReflexSocket(app_url)
    hydrate = hydrate_name()

    async def connect() -> str | None:
        await tab.connect()
        try:
            return _key_in(await tab.call(hydrate, {"vars": {}, "hashes": []}))
        finally:
            await tab.close()

    key = run(connect())
    assert key
    return tab.token, key


def _server_keeps(app_url: str, token: str, key: str) -> bool | None:
    """Connects as the tab (its ID and its key): True if the server still holds its state, False if not,
    None if the old socket was still linked (Reflex then hands this connection another tab ID)."""
    probe = ReflexSocket(app_url, token=token)
    hydrate = hydrate_name()
    key_field = f"{TabGuardState.get_full_name()}.tab_key_rx_state_"

    async def connect() -> str | None:
        await probe.connect()
        try:
            return _key_in(await probe.call(hydrate, {"vars": {key_field: key}, "hashes": []}))
        finally:
            await probe.close()

    answered = run(connect())
    if probe.new_tokens:
        return None
    assert answered
    return answered == key


def _eventually_gone(app_url: str, token: str, key: str) -> bool:
    """Polls until the server has seen the old socket close and holds no state for the token."""
    deadline = time.monotonic() + SETTLE_S
    while time.monotonic() < deadline:
        if _server_keeps(app_url, token, key) is False:
            return True
    return False


@pytest.mark.skipif(SCALED, reason="the scaled mode leaves left tabs' states to expire in Redis "
                                   "(docs/upstream/free-state-on-disconnect.md)")
@pytest.mark.parametrize("viewport_name", ["phone"])  # one viewport: the page's look plays no part here
def test_a_page_load_frees_the_state_of_the_page_it_left(page: Page, app_url: str) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="로그인", level=1)).to_be_visible()
    page.wait_for_function(f"() => sessionStorage.getItem({TAB_KEY_STORAGE_NAME!r})")  # hydrated: key handed out
    old_token, old_key = page.evaluate(
        f"() => [sessionStorage.getItem('token'), sessionStorage.getItem({TAB_KEY_STORAGE_NAME!r})]")

    # A page load: pagehide on the old page. (Chromium does not report an unloading page's beacon to
    # Playwright, so the server is asked below instead.)
    page.goto("/find-id")
    expect(page.get_by_label("이름")).to_be_visible()
    page.wait_for_function("(old) => sessionStorage.getItem('token') && sessionStorage.getItem('token') !== old",
                           arg=old_token)

    assert _eventually_gone(app_url, old_token, old_key), "the state of the page that was left is still on the server"


def test_a_dropped_socket_keeps_its_state_and_a_wrong_key_frees_nothing(app_url: str) -> None:
    token, key = _open_tab(app_url)
    # Someone who knows the tab ID (it leaks in URLs) but not its key says the tab left.
    answer = httpx.post(f"{app_url}{LEFT_PATH}", data={"token": token, "key": "not-" + key})
    assert answer.status_code == 204
    deadline = time.monotonic() + SETTLE_S
    while (kept := _server_keeps(app_url, token, key)) is None and time.monotonic() < deadline:
        pass  # the server has not seen the drop yet: ask again
    assert kept is True, "the state of a tab whose socket only dropped was lost"
