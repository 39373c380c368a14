"""정보수정: the password re-check, then contact details, address and 가입도서관, on a phone and a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, associate_member
from tests.e2e.helpers import log_in, open_login
from tests.e2e.signup_steps import forget_person


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    forget_person("홍길동")


def test_edit_contact_details_after_the_password_check(page: Page) -> None:
    open_login(page)
    log_in(page, associate_member("홍길동"), PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="정보수정").click()
    expect(page.get_by_role("heading", name="정보수정", level=1)).to_be_visible()

    page.get_by_label("현재 비밀번호").fill("not-my-password-1")
    page.get_by_role("button", name="확인").click()
    expect(page.locator("#current_password-error")).not_to_be_empty()
    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="확인").click()

    identity = page.locator(".identity-list")
    expect(identity).to_contain_text("홍길동")
    expect(identity).to_contain_text("1990년 01월 01일")
    page.get_by_label("휴대폰 번호 가운데 자리").fill("98")
    page.get_by_label("휴대폰 번호 끝 4자리").fill("7654")
    page.get_by_label("상세주소").focus()
    expect(page.locator("#mobile-error")).to_contain_text("휴대폰 번호 형식이 올바르지 않습니다")
    page.get_by_label("휴대폰 번호 가운데 자리").fill("9876")
    page.get_by_label("휴대폰 번호 끝 4자리").focus()
    page.get_by_label("상세주소").focus()
    expect(page.locator("#mobile-error")).to_be_empty()

    page.get_by_label("이메일 아이디").fill("gildong")
    domain = page.get_by_label("이메일 도메인 선택")
    domain.focus()
    domain.select_option("daum.net")
    expect(page.get_by_label("이메일 도메인", exact=True)).to_have_value("daum.net")
    page.get_by_role("button", name="주소찾기").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("도로명, 건물명 또는 동").fill("수지로")
    dialog.get_by_role("button", name="검색").click()
    dialog.get_by_role("button", name="선택 ", exact=False).first.click()
    expect(page.get_by_role("dialog")).to_have_count(0)  # closed: the page takes input again
    page.get_by_label("상세주소").fill("205호")
    page.get_by_label("가입도서관").select_option(label="수지도서관")
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("status").filter(has_text="회원정보를 수정했습니다.")).to_be_visible()

    page.reload()  # within ten minutes of the check: straight to the form, with the saved values
    expect(page.get_by_label("휴대폰 번호 가운데 자리")).to_have_value("9876")
    expect(page.get_by_label("이메일 도메인", exact=True)).to_have_value("daum.net")
    expect(page.get_by_label("상세주소")).to_have_value("205호")
    expect(page.get_by_label("가입도서관")).to_have_value("MB")
