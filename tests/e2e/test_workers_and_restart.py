"""What must survive the server: a restart of every worker, and a member's events landing on
different workers (scaled mode: several workers sharing PostgreSQL and Redis)."""

from __future__ import annotations

import pickle

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.accounts import PASSWORD, full_member
from tests.e2e.conftest import REDIS_URL, SCALED, WORKERS, AppServer
from tests.e2e.helpers import log_in, open_login
from tests.e2e.signup_steps import (
    fill_login_id,
    forget_person,
    general_signup_until_info,
    kept_entries,
    new_login_id,
    wait_until_kept,
)

# Reflex's socket record per tab token (reflex/utils/token_manager.py): which worker holds the socket.
SOCKET_RECORD_PREFIX = "token_manager_socket_record_"
MAX_RECONNECTS = 40


def _log_in(page: Page, login_id: str) -> None:
    open_login(page)
    log_in(page, login_id, PASSWORD)
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃")).to_be_visible()


def _expect_logged_in_card(page: Page, name: str) -> None:
    page.goto("/card")
    card = page.get_by_role("article", name="모바일 회원증")
    expect(card).to_contain_text(name)
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃")).to_be_visible()


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_a_restart_of_every_worker_keeps_the_wizard_and_the_login(
    page: Page, new_context, app_server: AppServer
) -> None:
    # A resident halfway through signup (step 04, some entries kept) ...
    forget_person("홍길동")
    general_signup_until_info(page)
    login_id = new_login_id()
    fill_login_id(page, login_id)
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()
    before = kept_entries(page)
    page.get_by_label("이메일 아이디").fill("gildong")
    page.get_by_label("상세주소").focus()  # leaving the field keeps it
    wait_until_kept(page, before)
    # ... and a member who is logged in, in another browser.
    member_page = new_context().new_page()
    forget_person("김용인")
    _log_in(member_page, full_member("김용인"))

    app_server.restart()

    page.reload()
    expect(page.get_by_role("heading", name="정보입력")).to_be_visible()
    expect(page.get_by_label("아이디", exact=True)).to_have_value(login_id)
    expect(page.get_by_label("이메일 아이디")).to_have_value("gildong")
    member_page.reload()
    _expect_logged_in_card(member_page, "김용인")


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def _worker_of(page: Page) -> str:
    """The Reflex instance (one per worker process) that holds this tab's websocket."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    client = _redis()
    try:
        raw = client.get(f"{SOCKET_RECORD_PREFIX}{token}")
    finally:
        client.close()
    assert raw is not None, "the tab's socket is not registered in Redis"
    # Reflex's own record (a pickled SocketRecord), read back from our own Redis.
    return pickle.loads(raw).instance_id


def _reconnect_until_on_a_new_worker(page: Page, seen: set[str], check) -> str:
    """Reload (a new websocket each time) until the tab lands on a worker not in ``seen``;
    after every reload ``check`` must hold. The kernel spreads connections over the workers."""
    for _ in range(MAX_RECONNECTS):
        page.reload()
        check()
        worker = _worker_of(page)
        if worker not in seen:
            return worker
    raise AssertionError(f"{MAX_RECONNECTS} reconnects all landed on workers {seen}")


@pytest.mark.skipif(not SCALED, reason="one worker in the embedded mode")
@pytest.mark.parametrize("viewport_name", ["phone"])
def test_a_member_s_events_on_different_workers_see_one_session(page: Page) -> None:
    assert WORKERS >= 2
    forget_person("홍길동")
    _log_in(page, full_member("홍길동"))
    _expect_logged_in_card(page, "홍길동")
    first = _worker_of(page)

    def still_the_member() -> None:
        expect(page.get_by_role("article", name="모바일 회원증")).to_contain_text("홍길동")

    second = _reconnect_until_on_a_new_worker(page, {first}, still_the_member)
    assert second != first
    # Another event on this worker: the page's own menu, still the same member.
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="정보수정").click()
    expect(page.get_by_role("heading", name="정보수정")).to_be_visible()


@pytest.mark.skipif(not SCALED, reason="one worker in the embedded mode")
@pytest.mark.parametrize("viewport_name", ["phone"])
def test_a_logout_on_one_worker_ends_the_session_on_all(page: Page, context: BrowserContext) -> None:
    forget_person("김용인")
    _log_in(page, full_member("김용인"))
    _expect_logged_in_card(page, "김용인")
    # A second tab of the same browser (same cookie), connected to another worker.
    other = context.new_page()
    _expect_logged_in_card(other, "김용인")
    _reconnect_until_on_a_new_worker(
        other, {_worker_of(page)},
        lambda: expect(other.get_by_role("article", name="모바일 회원증")).to_contain_text("김용인"),
    )

    page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("status")).to_have_text("로그아웃되었습니다.")

    # The other tab's next event, on its own worker, finds the session ended.
    other.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="정보수정").click()
    expect(other.get_by_role("heading", name="로그인", level=1)).to_be_visible()
    expect(other.get_by_role("article", name="모바일 회원증")).to_have_count(0)
