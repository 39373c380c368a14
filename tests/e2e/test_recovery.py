"""아이디 찾기 for P1, and 비밀번호 재설정 that unlocks a locked account, on a phone and a desktop viewport."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, associate_member
from tests.e2e.conftest import clear_rate_limits
from tests.e2e.helpers import GENERIC_LOGIN_ERROR, log_in, open_login
from tests.e2e.signup_steps import forget_person

NEW_PASSWORD = "Hangeul-Nal#1446"


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    forget_person("홍길동")


def _verify(page: Page, method: str, name: str, birth: str, phone: str | None = None) -> None:
    page.get_by_label(method).check()
    page.get_by_label("이름").fill(name)
    page.get_by_label("생년월일 8자리").fill(birth)
    if phone is not None:
        page.get_by_label("휴대폰 번호").fill(phone)
    page.get_by_role("button", name="인증번호 받기").click()
    expect(page.get_by_role("status")).to_contain_text("123456")
    page.get_by_label("인증번호").fill("123456")
    page.get_by_role("button", name="확인").click()


def test_find_id_of_p1(page: Page) -> None:
    login_id = associate_member("홍길동")
    open_login(page)
    page.get_by_role("link", name="아이디 찾기").click()
    expect(page.get_by_role("heading", name="아이디 찾기", level=1)).to_be_visible()
    expect(page.get_by_label("이름")).to_be_visible()
    _verify(page, "휴대폰 인증", "홍길동", "19900101", "010-1234-5678")
    found = page.locator("#found-login-id")
    expect(found).to_have_text(login_id[:3] + "*" * (len(login_id) - 3))
    expect(page.get_by_text("회원님의 아이디를 찾았습니다.")).to_be_visible()


def test_password_reset_unlocks_a_locked_account(page: Page) -> None:
    login_id = associate_member("홍길동")
    open_login(page)
    password = page.get_by_label("비밀번호", exact=True)
    for attempt in range(5):
        log_in(page, login_id, f"wrong-password-{attempt}")
        expect(password).to_have_value("")
    log_in(page, login_id, PASSWORD)
    expect(password).to_have_value("")  # this attempt's answer: the message before it says the same
    expect(page.locator("#login-error")).to_have_text(GENERIC_LOGIN_ERROR)  # locked

    page.get_by_role("link", name="비밀번호 재설정").click()
    expect(page.get_by_role("heading", name="비밀번호 재설정", level=1)).to_be_visible()
    page.get_by_label("아이디").fill(login_id)
    _verify(page, "아이핀 인증", "홍길동", "19900101")
    page.get_by_label("새 비밀번호", exact=True).fill("password123")
    page.get_by_label("새 비밀번호 확인").fill("password123")
    page.get_by_role("button", name="변경").click()
    expect(page.locator("#new_password-error")).to_contain_text("너무 흔히 쓰이는 비밀번호")
    page.get_by_label("새 비밀번호", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("새 비밀번호 확인").fill(NEW_PASSWORD)
    page.get_by_role("button", name="변경").click()
    expect(page.get_by_role("status")).to_contain_text("비밀번호")
    page.get_by_role("link", name="로그인").last.click()

    log_in(page, login_id, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()


def test_reset_for_someone_else_gets_the_same_answer_as_an_unknown_id(page: Page) -> None:
    associate_member("홍길동")
    page.goto("/reset-password")
    expect(page.get_by_role("heading", name="비밀번호 재설정", level=1)).to_be_visible()
    page.get_by_label("아이디").fill("demoassoc")  # exists, but belongs to someone else
    _verify(page, "카드 인증", "홍길동", "19900101")
    message = page.locator("#recovery-message")
    expect(message).not_to_be_empty()
    first = message.inner_text()
    page.get_by_label("아이디").fill("nosuchmember77")
    clear_rate_limits()  # the second try stands for a later one (the send cooldown is tested on its own)
    _verify(page, "카드 인증", "홍길동", "19900101")
    expect(page.locator("#recovery-message")).to_have_text(first)


def test_a_second_code_within_a_minute_says_when_and_keeps_the_entries(page: Page) -> None:
    page.goto("/find-id")
    expect(page.get_by_label("이름")).to_be_visible()
    page.get_by_label("이름").fill("홍길동")
    page.get_by_label("생년월일 8자리").fill("19900101")
    page.get_by_label("휴대폰 번호").fill("010-1234-5678")
    page.get_by_role("button", name="인증번호 받기").click()
    expect(page.get_by_role("status")).to_contain_text("123456")
    page.get_by_role("button", name="처음부터 다시").click()
    page.get_by_label("이름").fill("홍길동")
    page.get_by_label("생년월일 8자리").fill("19900101")
    page.get_by_label("휴대폰 번호").fill("01012345678")  # the same phone, typed differently
    page.get_by_role("button", name="인증번호 받기").click()
    expect(page.locator("#recovery-message")).to_have_text(re.compile(r"인증번호는 \d+초 후에 다시 받을 수 있습니다\."))
    expect(page.get_by_label("휴대폰 번호")).to_have_value("01012345678")
    expect(page.get_by_label("이름")).to_have_value("홍길동")
