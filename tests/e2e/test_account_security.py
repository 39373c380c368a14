"""비밀번호 변경, 대출 비밀번호 변경 and 회원탈퇴 (then a new signup of the same person), phone and desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, associate_member, full_member
from tests.e2e.helpers import GENERIC_LOGIN_ERROR, log_in, open_login
from tests.e2e.signup_steps import (
    expect_welcome,
    fill_required_info,
    forget_person,
    general_signup_until_info,
    new_login_id,
    submit,
)

NEW_PASSWORD = "Hangeul-Nal#1446"


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    forget_person("홍길동")


def _logged_in(page: Page, login_id: str) -> None:
    open_login(page)
    log_in(page, login_id, PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()


def _menu(page: Page, item: str) -> None:
    page.get_by_role("navigation", name="회원정보").get_by_role("link", name=item).click()
    expect(page.get_by_role("heading", name=item, level=1)).to_be_visible()


def test_password_change_ends_other_sessions(page: Page, browser, app_url: str) -> None:
    login_id = associate_member("홍길동")
    _logged_in(page, login_id)
    other = browser.new_context(base_url=app_url)  # the same member in another browser
    other_page = other.new_page()
    _logged_in(other_page, login_id)

    _menu(page, "비밀번호 변경")
    page.get_by_label("현재 비밀번호").fill("not-my-password-1")
    page.get_by_label("새 비밀번호", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("새 비밀번호 확인").fill(NEW_PASSWORD)
    page.get_by_role("button", name="변경").click()
    expect(page.locator("#current_password-error")).not_to_be_empty()

    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_label("새 비밀번호", exact=True).fill("password123")
    page.get_by_label("새 비밀번호 확인").fill("password123")
    page.get_by_role("button", name="변경").click()
    expect(page.locator("#new_password-error")).to_contain_text("너무 흔히 쓰이는 비밀번호")

    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_label("새 비밀번호", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("새 비밀번호 확인").fill(NEW_PASSWORD)
    page.get_by_role("button", name="변경").click()
    expect(page.get_by_role("status").filter(has_text="비밀번호를 변경했습니다.")).to_be_visible()

    other_page.goto("/account/edit")
    expect(other_page).to_have_url(re.compile(r"/login/?\?next="))
    other.close()
    page.goto("/account/edit")  # this session stays
    expect(page).to_have_url(re.compile(r"/account/edit/?$"))


def test_loan_password_change_for_a_full_member(page: Page) -> None:
    _logged_in(page, full_member("홍길동"))
    _menu(page, "대출 비밀번호 변경")
    page.get_by_label("현재 회원 대출 비밀번호").fill(PASSWORD)  # the account password is accepted too
    page.get_by_label("새 회원 대출 비밀번호", exact=True).fill("1357")
    page.get_by_label("새 회원 대출 비밀번호 확인").fill("1358")
    page.get_by_role("button", name="변경").click()
    expect(page.locator("#loan_password_confirm-error")).not_to_be_empty()
    page.get_by_label("현재 회원 대출 비밀번호").fill("2580")
    page.get_by_label("새 회원 대출 비밀번호", exact=True).fill("1357")
    page.get_by_label("새 회원 대출 비밀번호 확인").fill("1357")
    page.get_by_role("button", name="변경").click()
    expect(page.get_by_role("status").filter(has_text="회원 대출 비밀번호를 변경했습니다.")).to_be_visible()


def test_withdrawal_then_the_same_person_signs_up_again(page: Page) -> None:
    login_id = full_member("홍길동")
    _logged_in(page, login_id)
    _menu(page, "회원탈퇴")
    expect(page.get_by_text("아이디는 다른 사람이 쓰지 못하도록 남겨 두며")).to_be_visible()
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="회원탈퇴").click()
    expect(page.locator("#confirmed-error")).not_to_be_empty()
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("위 내용을 확인했으며 회원탈퇴에 동의합니다.").check()
    page.get_by_role("button", name="회원탈퇴").click()
    expect(page).to_have_url(re.compile(r"/login/?\?reason=withdrawn$"))
    expect(page.get_by_role("status")).to_have_text(re.compile("회원탈퇴가 완료되었습니다."))
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="로그인")).to_be_visible()

    log_in(page, login_id, PASSWORD)
    expect(page.locator("#login-error")).to_have_text(GENERIC_LOGIN_ERROR)

    general_signup_until_info(page)
    page.get_by_label("아이디", exact=True).fill(login_id)
    page.get_by_role("button", name="중복체크").click()
    expect(page.locator("#login_id-error")).to_contain_text("이미 사용 중인 아이디입니다.")
    fill_required_info(page, new_login_id())
    submit(page)
    expect_welcome(page, "홍길동")
