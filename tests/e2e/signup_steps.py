"""What a new resident does in the signup wizard, by the screen's own words."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.models import (
    AuditLog,
    AuthSession,
    Guardian,
    Member,
    MemberCard,
    MultichildApplication,
    MultichildGrant,
    OAuthRequest,
    SocialLink,
)
from yongin_app.ports.sandbox import load_registry
from yongin_app.ports.sandbox.identity import sandbox_ci

PASSWORD = "Sejong-Book#2026"


def new_login_id() -> str:
    return "u" + uuid.uuid4().hex[:10]


def forget_person(name: str) -> None:
    """Removes a sandbox person's account (made by an earlier test) so that they can sign up again."""
    person = next(p for p in load_registry().people if p.name == name)
    with unit_of_work(write=True) as session:
        ids = list(session.exec(select(Member.id).where(Member.ci == sandbox_ci(person.key))))
        if not ids:
            return
        session.exec(sa.delete(MultichildGrant).where(MultichildGrant.applied_by_member_id.in_(ids)))
        for model in (AuthSession, Guardian, SocialLink, MemberCard, OAuthRequest, MultichildGrant,
                      MultichildApplication):
            session.exec(sa.delete(model).where(model.member_id.in_(ids)))
        session.exec(sa.delete(AuditLog).where(AuditLog.target_member_id.in_(ids)))
        session.exec(sa.delete(Member).where(Member.id.in_(ids)))


def choose_kind(page: Page, button: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="회원가입").click()
    expect(page.get_by_role("heading", name="유형선택")).to_be_visible()
    page.get_by_role("button", name=button).click()


def verify_in_dialog(page: Page, method_button: str, name: str | None, birth: str, phone: str | None) -> None:
    page.get_by_role("button", name=method_button).click()
    dialog = page.get_by_role("dialog")
    if name is not None:
        dialog.get_by_label("이름").fill(name)
    dialog.get_by_label("생년월일 8자리").fill(birth)
    if phone is not None:
        dialog.get_by_label("휴대폰 번호").fill(phone)
    dialog.get_by_role("button", name="인증번호 받기").click()
    expect(dialog.get_by_role("status")).to_contain_text("123456")
    dialog.get_by_label("인증번호").fill("123456")
    dialog.get_by_role("button", name="확인").click()


def agree_to_terms(page: Page) -> None:
    expect(page.get_by_role("heading", name="약관동의")).to_be_visible()
    next_button = page.get_by_role("button", name="다음 단계로")
    expect(next_button).to_be_disabled()
    page.get_by_label("전체동의").click()
    expect(next_button).to_be_enabled()
    next_button.click()
    expect(page.get_by_role("heading", name="정보입력")).to_be_visible()


def general_signup_until_info(page: Page) -> None:
    choose_kind(page, "일반 회원가입")
    verify_in_dialog(page, "휴대폰 인증하기", "홍길동", "19900101", "010-1234-5678")
    agree_to_terms(page)


def fill_login_id(page: Page, login_id: str) -> None:
    page.get_by_label("아이디", exact=True).fill(login_id)
    page.get_by_role("button", name="중복체크").click()


def fill_passwords(page: Page, password: str = PASSWORD, confirm: str | None = None) -> None:
    page.get_by_label("비밀번호", exact=True).fill(password)
    page.get_by_label("비밀번호 확인").fill(confirm if confirm is not None else password)


def search_address(page: Page, keyword: str = "중부대로 1199") -> None:
    page.get_by_role("button", name="주소찾기").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("도로명, 건물명 또는 동").fill(keyword)
    dialog.get_by_role("button", name="검색").click()
    dialog.get_by_role("button", name=re.compile("^선택 ")).first.click()
    expect(page.get_by_role("dialog")).to_have_count(0)  # closed: the page takes input again
    expect(page.get_by_label("우편번호")).to_have_value(re.compile(r"^[0-9]{5}$"))


def fill_required_info(page: Page, login_id: str) -> None:
    fill_login_id(page, login_id)
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()
    fill_passwords(page)
    search_address(page)
    page.get_by_label("상세주소").fill("3층")
    page.get_by_label("가입도서관").select_option(label="수지도서관")


def submit(page: Page) -> None:
    page.get_by_role("button", name="회원가입 확인").click()


def expect_welcome(page: Page, name: str) -> None:
    expect(page.get_by_text("회원가입이 완료되었습니다.")).to_be_visible()
    expect(page.get_by_text(f"{name}님, 반갑습니다.")).to_be_visible()
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃")).to_be_visible()


def kept_entries(page: Page) -> int:
    """How many entries the server has kept so far (the form's data-saves)."""
    return int(page.locator("form.signup-form").get_attribute("data-saves") or 0)


def wait_until_kept(page: Page, before: int) -> None:
    expect(page.locator("form.signup-form")).not_to_have_attribute("data-saves", str(before))
