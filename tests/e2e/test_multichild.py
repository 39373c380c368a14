"""다자녀가정 회원전환 as a parent does it, on a phone and a desktop viewport."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, associate_member, full_member
from tests.e2e.helpers import log_in, log_in_to_home, open_login
from tests.e2e.signup_steps import forget_person

BACK_PARTS = {"홍길동": "1234567", "김용인": "2345678", "이수원": "1456789", "최한솔": "1678901", "정다온": "2789012"}
CHILDREN = ("홍길순", "홍길남", "김하나", "김두리", "김세찬")


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    for name in (*BACK_PARTS, *CHILDREN):
        forget_person(name)


def _open_application(page: Page, login_id: str) -> None:
    open_login(page)
    log_in_to_home(page, login_id, PASSWORD)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="정보수정").click()
    page.get_by_role("navigation", name="회원정보").get_by_role("link", name="다자녀가정회원전환신청").click()
    expect(page.get_by_role("heading", name="다자녀가정 회원전환 안내")).to_be_visible()


def _apply(page: Page, parent: str, button: str) -> None:
    page.get_by_label("본인은 위 정보를 비대면 자격확인 조회를 위하여 개인정보를 처리하는 것에 동의합니다.").check()
    page.get_by_label("주민등록번호").fill(BACK_PARTS[parent])
    page.get_by_role("button", name=button).click()


def _ids(*names: str) -> dict[str, str]:
    return {name: full_member(name, "c" + uuid.uuid4().hex[:9]) for name in names}


def test_p1_converts_own_account(page: Page) -> None:
    _open_application(page, full_member("홍길동"))
    _apply(page, "홍길동", "본인신청")
    expect(page.get_by_role("heading", name="본인계정 다자녀가정 회원 전환 완료")).to_be_visible()
    expect(page.get_by_text("만료일(2041년 12월 31일) 까지 대출권수 7권→10권 확대")).to_be_visible()
    expect(page.locator(".converted-row")).to_contain_text("홍길동")
    expect(page.locator(".converted-row")).to_contain_text("2041.12.31")
    page.goto("/card")
    expect(page.get_by_role("article", name="모바일 회원증")).to_contain_text("10권 (다자녀가정, 2041.12.31까지)")


def test_p1_children_one_verified_one_deleted(page: Page) -> None:
    ids = _ids("홍길순", "홍길남")
    _open_application(page, full_member("홍길동"))
    _apply(page, "홍길동", "자녀신청")
    expect(page.get_by_role("heading", name="자녀정보 확인")).to_be_visible()
    first = page.get_by_role("form", name="자녀1")
    second = page.get_by_role("form", name="자녀2")
    expect(first).to_contain_text("2020.01.11")
    expect(second).to_contain_text("2023.01.21")
    submit = page.get_by_role("button", name="자녀신청확인")
    expect(submit).to_be_disabled()

    first.get_by_label("자녀1 아이디").fill(ids["홍길순"])
    first.get_by_label("자녀1 이름").fill("홍길순")
    # Delete the second row while the first one is being typed: each button acts on its own row.
    second.get_by_role("button", name="자녀2 삭제").click()
    expect(page.get_by_role("form", name="자녀2")).to_have_count(0)
    expect(first.get_by_label("자녀1 아이디")).to_have_value(ids["홍길순"])
    first.get_by_role("button", name="자녀1 자격확인").click()
    expect(first.get_by_text("자격확인완료")).to_be_visible()
    expect(first.get_by_label("자녀1 아이디")).to_have_attribute("readonly", "")

    submit.click()
    expect(page.get_by_role("heading", name="자녀계정 다자녀가정 회원 전환 완료")).to_be_visible()
    rows = page.locator(".converted-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(ids["홍길순"])
    expect(rows.first).to_contain_text("2041.12.31")


def test_p2_three_rows_one_failing_then_corrected(page: Page) -> None:
    ids = _ids("김하나", "김두리", "김세찬")
    _open_application(page, full_member("김용인"))
    _apply(page, "김용인", "자녀신청")
    names = ["김하나", "김두리", "김세찬"]
    for number, name in enumerate(names, start=1):
        row = page.get_by_role("form", name=f"자녀{number}")
        row.get_by_label(f"자녀{number} 아이디").fill(ids[name])
        row.get_by_label(f"자녀{number} 이름").fill("김두리" if number == 3 else name)  # row 3 gets a wrong name
        row.get_by_role("button", name=f"자녀{number} 자격확인").click()

    third = page.get_by_role("form", name="자녀3")
    expect(third.get_by_role("alert")).to_contain_text("입력하신 정보와 일치하는 정회원 자녀가 없습니다.")
    expect(third.get_by_role("alert")).to_contain_text("회원가입과 온라인정회원신청을 먼저")
    expect(page.get_by_role("form", name="자녀1").get_by_text("자격확인완료")).to_be_visible()
    expect(page.get_by_role("form", name="자녀2").get_by_text("자격확인완료")).to_be_visible()
    expect(page.get_by_role("button", name="자녀신청확인")).to_be_disabled()

    third.get_by_label("자녀3 이름").fill("김세찬")
    third.get_by_role("button", name="자녀3 자격확인").click()
    expect(third.get_by_text("자격확인완료")).to_be_visible()
    page.get_by_role("button", name="자녀신청확인").click()
    expect(page.locator(".converted-row")).to_have_count(3)
    expect(page.get_by_text("만료일(2039년 12월 31일) 까지 대출권수 7권→10권 확대")).to_be_visible()


@pytest.mark.parametrize(
    ("parent", "reason"),
    [
        ("이수원", "용인시에 주민등록이 되어 있는 분만"),
        ("최한솔", "자녀가 2명 이상인 경우에만"),
        ("정다온", "막내 자녀가 만 18세 이하인 경우에만"),
    ],
)
def test_families_that_are_not_eligible_are_told_why(page: Page, parent: str, reason: str) -> None:
    _open_application(page, full_member(parent))
    _apply(page, parent, "본인신청")
    expect(page.locator("#multichild-message")).to_contain_text(reason)
    expect(page.get_by_label("주민등록번호")).to_have_value("")
    expect(page.get_by_role("heading", name="본인계정 다자녀가정 회원 전환 완료")).to_have_count(0)


def test_associate_and_child_accounts_are_told_what_to_do(page: Page) -> None:
    open_login(page)
    log_in(page, associate_member("홍길동"), PASSWORD)
    expect(page.get_by_text("홍길동님, 반갑습니다.")).to_be_visible()
    page.goto("/account/multichild")
    expect(page.get_by_role("alert")).to_contain_text("정회원만 신청할 수 있습니다")
    page.get_by_role("link", name="온라인정회원신청 하기").click()
    expect(page).to_have_url(re.compile(r"/account/membership/?$"))
