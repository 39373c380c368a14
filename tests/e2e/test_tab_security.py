"""A leaked tab ID carries no login, and the server log keeps no payload, cookie or tab ID.

The attacker here has what leaks in practice: the victim's Reflex tab ID (proxies log the websocket
URL ``/_event/?token=…``), and nothing else: no cookie, no sessionStorage of the victim's tab.
Both modes: the memory state manager (embedded) and Redis (scaled, several workers).
"""

from __future__ import annotations

import asyncio
import random
import re
import string
import time
import uuid

import httpx
import pytest
import socketio
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import AppServer
from tests.e2e.helpers import log_in, open_login
from tests.e2e.test_staff import _staff_login
from tests.e2e.reflex_socket import ReflexSocket, handler_name, hydrate_name, run
from tests.e2e.test_tab_lifecycle import _server_keeps
from yongin_app.services.demo import DEMO_PASSWORD
from yongin_app.states.card import MemberCardState
from yongin_app.states.session import SessionState
from yongin_app.states.staff_session import StaffSessionState
from yongin_app.states.tab_guard import TAB_KEY_STORAGE_NAME

FULL_MEMBER_NAME = "박정회"  # demofull


def _victim_tab(page: Page, login_id: str = "demofull") -> str:
    """Logs the member in on the main page and returns that tab's ID; then the tab is closed."""
    open_login(page)
    log_in(page, login_id, DEMO_PASSWORD)
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    expect(page.get_by_text(FULL_MEMBER_NAME).first).to_be_visible()
    tab_id = page.evaluate("() => sessionStorage.getItem('token')")
    assert tab_id
    _close_without_goodbye(page)
    return tab_id


def _close_without_goodbye(page: Page) -> None:
    """Closes the tab as a crash or a lost beacon does: its state stays on the server (a tab that says
    goodbye at pagehide has it freed, tab_lifecycle.py), which is what a leaked tab ID could reach."""
    tab_id, key = page.evaluate(
        f"() => [sessionStorage.getItem('token'), sessionStorage.getItem({TAB_KEY_STORAGE_NAME!r})]")
    page.evaluate("() => { navigator.sendBeacon = () => true }")  # the goodbye never arrives
    app_url = page.url.split("/", 3)
    page.close()
    deadline = time.monotonic() + 30
    while (kept := _server_keeps("/".join(app_url[:3]), tab_id, key)) is None and time.monotonic() < deadline:
        pass  # the server has not seen the socket close yet
    assert kept is True, "the tab's state must still be on the server for these tests to mean anything"


def test_a_leaked_tab_id_alone_gets_nothing_at_the_socket_level(page: Page, app_url: str) -> None:
    tab_id = _victim_tab(page)
    refresh, card, require_member = (handler_name(SessionState, "refresh"), handler_name(MemberCardState, "load"),
                                     handler_name(SessionState, "require_member"))
    hydrate = hydrate_name()

    attacker = ReflexSocket(app_url, token=tab_id)  # no cookie, no hydrate, no tab key

    async def attack() -> str:
        await attacker.connect()
        try:
            await attacker.call(refresh)
            await attacker.call(card)
            await attacker.call(require_member, path="/account/edit")
            await attacker.call(hydrate, {"vars": {}, "hashes": []})
        finally:
            await attacker.close()
        return attacker.text()

    seen = run(attack())
    assert '"logged_in": false' in seen.replace("logged_in_rx_state_", "logged_in")
    assert FULL_MEMBER_NAME not in seen
    assert "demofull" not in seen


def test_a_hydrate_with_the_tab_id_but_without_its_key_gets_an_empty_tab(page: Page, app_url: str) -> None:
    tab_id = _victim_tab(page)
    hydrate, refresh = hydrate_name(), handler_name(SessionState, "refresh")

    attacker = ReflexSocket(app_url, token=tab_id)

    async def attack() -> str:
        await attacker.connect()
        try:
            # What a browser sends on connect: the full state comes back.
            await attacker.call(hydrate, {"vars": {}, "hashes": []})
            await attacker.call(refresh)
        finally:
            await attacker.close()
        return attacker.text()

    seen = run(attack())
    assert FULL_MEMBER_NAME not in seen and "demofull" not in seen


def test_a_second_browser_reusing_the_tab_id_sees_nothing_personal(page: Page, browser: Browser,
                                                                     app_url: str) -> None:
    tab_id = _victim_tab(page)
    other = browser.new_context(base_url=app_url, viewport=page.viewport_size)
    try:
        # The tab ID copied into the other browser's sessionStorage before the app's scripts run.
        other.add_init_script(f"sessionStorage.setItem('token', {tab_id!r})")
        intruder = other.new_page()
        received: list[str] = []  # everything the server sent this browser, not only what it drew
        intruder.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(str(frame))))
        intruder.goto("/account/edit")
        expect(intruder).to_have_url(re.compile(r"/login/?\?next=/account/edit/?$"))
        expect(intruder.get_by_role("heading", name="로그인", level=1)).to_be_visible()
        assert received and FULL_MEMBER_NAME not in intruder.content()
        assert not [frame for frame in received if FULL_MEMBER_NAME in frame or "demofull" in frame]
        assert intruder.evaluate("() => sessionStorage.getItem('token')") == tab_id  # the same tab ID was used
    finally:
        other.close()


def test_a_staff_tab_id_alone_gets_no_staff_console(page: Page, app_url: str) -> None:
    _staff_login(page)
    tab_id = page.evaluate("() => sessionStorage.getItem('token')")
    _close_without_goodbye(page)
    require_staff = handler_name(StaffSessionState, "require_staff")

    attacker = ReflexSocket(app_url, token=tab_id)

    async def attack() -> str:
        await attacker.connect()
        try:
            # Answered with the way to the staff login (nothing else is waited for).
            await attacker.call(require_staff, path="/staff", until="/staff/login")
        finally:
            await attacker.close()
        return attacker.text()

    seen = run(attack())
    assert "김사서" not in seen and '"signed_in_rx_state_": true' not in seen


def test_the_log_keeps_no_payload_cookie_or_tab_id(app_server: AppServer) -> None:
    resident_number = "1234567"
    session_cookie = "yongin_session=" + "Zk3" * 15
    tab_id = str(uuid.uuid4())
    # Letters only: the log keeps the handler's name, but a run of digits in it would be redacted.
    unknown = f"reflex___state____state.no_such_state_{''.join(random.choices(string.ascii_lowercase, k=8))}.submit"

    client = ReflexSocket(app_server.url, token=tab_id, headers={"Cookie": session_cookie})
    anonymous = ReflexSocket(app_server.url, headers={"Cookie": session_cookie})

    async def send_undeliverable() -> None:
        # An event for a handler the server does not know (as after a deploy), with a form payload;
        # the tab's next event is answered only after it was handled.
        await client.connect()
        try:
            await client.call(unknown, {"form_data": {"rrn_back": resident_number}})
        finally:
            await client.close()
        # A connection without a tab ID, with the same cookie and payload.
        await anonymous.connect(with_token=False)
        try:
            await anonymous.send(unknown, {"form_data": {"rrn_back": resident_number}})
            await asyncio.to_thread(_log_once_it_names, app_server, "with no associated token")
        finally:
            await anonymous.close()

    run(send_undeliverable())
    log = _log_once_it_names(app_server, unknown.rsplit(".", 1)[0])
    assert resident_number not in log
    assert session_cookie.split("=", 1)[1] not in log
    assert tab_id not in log


def _log_once_it_names(app_server: AppServer, marker: str) -> str:
    """The server log, read once it mentions ``marker`` (the server writes it asynchronously), with its
    white space taken out: the console wraps long lines, which could split a secret too."""
    deadline = time.monotonic() + 30
    marker = "".join(marker.split())
    while True:
        log = "".join(app_server.log_path.read_text(errors="replace").split())
        if marker in log or time.monotonic() > deadline:
            assert marker in log, "the server did not log the undeliverable event at all"
            return log
        time.sleep(0.2)  # polling a file another process appends to


def test_pages_carry_the_security_headers_and_other_origins_are_refused(app_url: str) -> None:
    page = httpx.get(f"{app_url}/login", follow_redirects=True)
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"

    foreign = httpx.get(f"{app_url}/ping", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers
    own = httpx.get(f"{app_url}/ping", headers={"Origin": app_url})
    assert own.headers["access-control-allow-origin"] == app_url

    # Another site's page cannot open the websocket (the browser sends that page's Origin).
    intruder = ReflexSocket(app_url, headers={"Origin": "https://evil.example"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        run(intruder.connect())
    own_page = ReflexSocket(app_url, headers={"Origin": app_url})

    async def connect_and_close() -> None:
        await own_page.connect()
        await own_page.close()

    run(connect_and_close())
