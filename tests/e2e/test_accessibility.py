"""Automated WCAG 2.2 AA checks (axe-core) and keyboard use of the shell and the login page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.helpers import GENERIC_LOGIN_ERROR, log_in, open_login
from yongin_app.services.demo import DEMO_PASSWORD

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/login"])
def test_pages_have_no_axe_violations(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("navigation", name="주 메뉴")).to_be_visible()
    _assert_no_violations(page)


def test_login_error_state_and_member_home_have_no_axe_violations(page: Page) -> None:
    open_login(page)
    log_in(page, "demoassoc", "wrong-password-xyz")
    expect(page.locator("#login-error")).to_have_text(GENERIC_LOGIN_ERROR)
    _assert_no_violations(page)
    log_in(page, "demoassoc", DEMO_PASSWORD)
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    _assert_no_violations(page)


def test_login_with_the_keyboard_alone(page: Page) -> None:
    open_login(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="본문 바로가기")).to_be_focused()
    page.get_by_label("아이디").focus()
    page.keyboard.type("demofull")
    page.keyboard.press("Tab")
    expect(page.get_by_label("비밀번호", exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("박정회")).to_be_visible()


def test_focus_is_visible_on_controls(page: Page) -> None:
    open_login(page)
    page.get_by_label("아이디").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the show-password button
    button = page.get_by_role("button", name="비밀번호 보기")
    expect(button).to_be_focused()
    outline = button.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")
