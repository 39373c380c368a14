"""SNS 계정 연동 from the member's page, login with the linked account, and a forged `state`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, associate_member
from tests.e2e.helpers import log_in, open_login
from tests.e2e.signup_steps import forget_person


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    forget_person("김용인")


def test_link_naver_then_log_in_with_it_then_unlink(page: Page) -> None:
    open_login(page)
    log_in(page, associate_member("김용인"), PASSWORD)
    expect(page.get_by_text("김용인님, 반갑습니다.")).to_be_visible()
    page.get_by_role("navigation", name="회원정보").get_by_role("link", name="SNS 계정 연동").click()
    # Linking adds a way in: the current password first, as for 정보수정.
    expect(page.get_by_role("button", name="네이버 계정연동")).to_have_count(0)
    page.get_by_label("현재 비밀번호").fill("not-my-password-1")
    page.get_by_role("button", name="확인").click()
    expect(page.locator("#current_password-error")).not_to_be_empty()
    expect(page.get_by_role("button", name="네이버 계정연동")).to_have_count(0)
    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="확인").click()
    page.get_by_role("button", name="네이버 계정연동").click()
    expect(page.get_by_role("heading", name="시험용 네이버 로그인")).to_be_visible()
    page.get_by_label(re.compile("^김용인")).check()
    page.get_by_role("button", name="동의하고 계속하기").click()
    expect(page.get_by_role("status").filter(has_text="네이버 계정이 연동되었습니다.")).to_be_visible()
    expect(page.get_by_role("button", name="네이버 연동 해제")).to_be_visible()

    page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃").click()
    page.get_by_role("button", name="네이버 로그인").click()
    page.get_by_label(re.compile("^김용인")).check()
    page.get_by_role("button", name="동의하고 계속하기").click()
    expect(page.get_by_text("김용인님, 반갑습니다.")).to_be_visible()

    page.goto("/account/social")  # a new session (the Naver login): the password again
    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="확인").click()
    page.get_by_role("button", name="네이버 연동 해제").click()
    expect(page.get_by_role("status").filter(has_text="연동을 해제했습니다.")).to_be_visible()
    expect(page.get_by_role("button", name="네이버 계정연동")).to_be_visible()


def test_a_forged_state_is_refused(page: Page) -> None:
    page.goto("/oauth/kakao/callback?code=anything&state=forged-state-value")
    expect(page.get_by_role("alert")).to_contain_text("SNS 계정 확인을 완료하지 못했습니다.")
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="로그인")).to_be_visible()
