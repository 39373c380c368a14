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
    # Colours are judged once opening animations (dialogs fade in) have finished.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
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
    expect(page.get_by_text("박정회님, 반갑습니다.")).to_be_visible()


def test_focus_is_visible_on_controls(page: Page) -> None:
    open_login(page)
    page.get_by_label("아이디").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the show-password button
    button = page.get_by_role("button", name="비밀번호 보기")
    expect(button).to_be_focused()
    outline = button.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")


def test_signup_wizard_pages_have_no_axe_violations(page: Page) -> None:
    from tests.e2e.signup_steps import choose_kind, forget_person, submit, verify_in_dialog

    forget_person("홍길동")
    page.goto("/signup")
    expect(page.get_by_role("heading", name="유형선택")).to_be_visible()
    _assert_no_violations(page)
    choose_kind(page, "일반 회원가입")
    expect(page.get_by_role("button", name="휴대폰 인증하기")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_role("button", name="휴대폰 인증하기").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_role("button", name="닫기").click()
    verify_in_dialog(page, "휴대폰 인증하기", "홍길동", "19900101", "010-1234-5678")
    expect(page.get_by_role("heading", name="약관동의")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_label("전체동의").click()
    page.get_by_role("button", name="다음 단계로").click()
    expect(page.get_by_role("heading", name="정보입력")).to_be_visible()
    _assert_no_violations(page)
    submit(page)
    expect(page.locator("#error-summary")).to_be_focused()
    _assert_no_violations(page)
    for field in page.locator("input.field-input, select.field-input").all():
        assert field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16


def test_membership_card_and_multichild_pages_have_no_axe_violations(page: Page) -> None:
    from tests.e2e.accounts import PASSWORD, associate_member, full_member
    from tests.e2e.signup_steps import forget_person

    for name in ("홍길동", "홍길순", "홍길남"):
        forget_person(name)
    open_login(page)
    log_in(page, associate_member("홍길동"), PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()
    page.goto("/account/membership")
    expect(page.get_by_role("heading", name="온라인 회원증 발급 안내")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_role("button", name="확인", exact=True).click()
    expect(page.locator("#consent-error")).not_to_be_empty()
    _assert_no_violations(page)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("heading", name="로그인", level=1)).to_be_visible()

    forget_person("홍길동")
    full_member("홍길순", "gilsoonkid")
    open_login(page)
    log_in(page, full_member("홍길동"), PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()
    page.goto("/card")
    expect(page.get_by_role("article", name="모바일 회원증")).to_be_visible()
    _assert_no_violations(page)
    page.goto("/account/multichild")
    expect(page.get_by_role("heading", name="다자녀가정 회원전환 안내")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_label("본인은 위 정보를 비대면 자격확인 조회를 위하여 개인정보를 처리하는 것에 동의합니다.").check()
    page.get_by_label("주민등록번호").fill("1234567")
    page.get_by_role("button", name="자녀신청").click()
    first = page.get_by_role("form", name="자녀1")
    first.get_by_label("자녀1 아이디").fill("gilsoonkid")
    first.get_by_label("자녀1 이름").fill("홍길동")
    first.get_by_role("button", name="자녀1 자격확인").click()
    expect(first.get_by_role("alert")).not_to_be_empty()
    _assert_no_violations(page)


@pytest.mark.parametrize("path", ["/find-id", "/reset-password"])
def test_recovery_pages_have_no_axe_violations(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_label("이름")).to_be_visible()
    _assert_no_violations(page)
    page.get_by_role("button", name="인증번호 받기").click()
    expect(page.locator("#recovery-message")).not_to_be_empty()
    _assert_no_violations(page)


def test_account_pages_have_no_axe_violations(page: Page) -> None:
    from tests.e2e.accounts import PASSWORD, full_member
    from tests.e2e.signup_steps import forget_person

    forget_person("홍길동")
    open_login(page)
    log_in(page, full_member("홍길동"), PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()
    for path, heading in [("/account/password", "비밀번호 변경"), ("/account/loan-password", "대출 비밀번호 변경"),
                          ("/account/social", "SNS 계정 연동"), ("/account/withdraw", "회원탈퇴"),
                          ("/account/edit", "정보수정")]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(page.get_by_role("navigation", name="회원정보")).to_be_visible()
        _assert_no_violations(page)
    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="확인").click()
    expect(page.get_by_label("가입도서관")).to_be_visible()
    _assert_no_violations(page)
