"""Steps a person takes, by visible labels and roles."""

from __future__ import annotations

from playwright.sync_api import Page, expect

GENERIC_LOGIN_ERROR = "아이디 또는 비밀번호가 올바르지 않습니다."


def open_login(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="로그인", level=1)).to_be_visible()


def log_in(page: Page, login_id: str, password: str) -> None:
    page.get_by_label("아이디").fill(login_id)
    page.get_by_label("비밀번호", exact=True).fill(password)
    page.get_by_role("button", name="로그인", exact=True).click()


def log_in_to_home(page: Page, login_id: str, password: str) -> None:
    """Logs in and waits for the main page, as a person does before using the menu. The menu shows the
    member's links as soon as the login is accepted, a moment before the page moves to the main page:
    a click in that moment was undone by the move (found under CPU load)."""
    log_in(page, login_id, password)
    expect(page.get_by_role("heading", name="용인시도서관 회원 서비스", level=1)).to_be_visible()
