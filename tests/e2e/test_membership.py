"""온라인정회원신청 and the mobile member card, on a phone and a desktop viewport."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import decode

from tests.e2e.accounts import PASSWORD, associate_member
from tests.e2e.conftest import persisted_bytes
from tests.e2e.helpers import log_in, log_in_to_home, open_login
from tests.e2e.signup_steps import forget_person

BACK_PARTS = {"홍길동": "1234567", "박서울": "2567890", "존스미스": "5890123", "오류시험": "1999999"}


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    for name in BACK_PARTS:
        forget_person(name)


def _open_application(page: Page, registry_name: str) -> None:
    open_login(page)
    log_in_to_home(page, associate_member(registry_name), PASSWORD)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="온라인정회원신청").click()
    expect(page.get_by_role("heading", name="온라인 회원증 발급 안내")).to_be_visible()


def _apply(page: Page, back: str, *, consent: bool = True) -> None:
    if consent:
        page.get_by_label("본인은 위 정보를 비대면 자격확인 조회를 위하여 개인정보를 처리하는 것에 동의합니다.").check()
    page.get_by_label("주민등록번호").fill(back)
    page.get_by_label("회원 대출 비밀번호", exact=True).fill("2580")
    page.get_by_label("회원 대출 비밀번호 확인").fill("2580")
    page.get_by_role("button", name="확인", exact=True).click()


def _card_barcode_text(page: Page) -> str:
    card = page.get_by_role("article", name="모바일 회원증")
    image = card.get_by_role("img", name=re.compile("회원증 바코드"))
    results = decode(Image.open(io.BytesIO(image.screenshot())))
    assert len(results) == 1
    return results[0].data.decode()


def test_p1_becomes_full_member_and_shows_a_scannable_card(page: Page, viewport_name: str) -> None:
    _open_application(page, "홍길동")
    expect(page.locator(".rrn-front")).to_have_text(re.compile(r"^900101"))
    _apply(page, BACK_PARTS["홍길동"])

    expect(page.get_by_role("heading", name="회원증 발급 완료")).to_be_visible()
    expect(page.get_by_text("회원증이 발급되었습니다.")).to_be_visible()
    number_cell = page.locator(".summary-list dd").nth(1)
    expect(number_cell).to_have_text(re.compile(r"^157[0-9]{7}$"))
    number = number_cell.inner_text()
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="온라인정회원신청")).to_have_count(0)

    page.get_by_role("link", name="확인").click()
    if viewport_name == "phone":
        expect(page.get_by_role("article", name="모바일 회원증")).to_be_visible()
    else:
        expect(page.get_by_role("article", name="모바일 회원증")).to_be_hidden()
        page.get_by_role("link", name="모바일 회원증 보기").click()
        expect(page).to_have_url(re.compile(r"/card/?$"))
    card = page.get_by_role("article", name="모바일 회원증")
    expect(card).to_contain_text("홍길동")
    expect(card).to_contain_text("7권")
    expect(card).to_contain_text("기흥도서관")
    assert _card_barcode_text(page) == number

    # Opening the application again shows the card instead.
    page.goto("/account/membership")
    expect(page.get_by_text("이미 정회원입니다.")).to_be_visible()
    expect(page.get_by_role("article", name="모바일 회원증")).to_contain_text(number)


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("박서울", "온라인 정회원신청은 경기도에 주민등록이 되어 있는 분만 할 수 있습니다."),
        ("존스미스", "외국인등록번호로는 비대면 자격확인 조회가 불가합니다."),
        ("오류시험", "잠시 후 다시 시도해 주세요."),
    ],
)
def test_refusals_say_why_and_keep_nothing_of_the_number(page: Page, person: str, message: str) -> None:
    _open_application(page, person)
    _apply(page, BACK_PARTS[person])
    expect(page.locator("#membership-message, #rrn_back-error").filter(has_text=message)).to_be_visible()
    expect(page.get_by_label("주민등록번호")).to_have_value("")
    expect(page.get_by_label("본인은 위 정보를 비대면 자격확인 조회를 위하여 개인정보를 처리하는 것에 동의합니다.")).to_be_checked()
    expect(page.get_by_role("heading", name="회원증 발급 완료")).to_have_count(0)


def test_a_wrong_back_part_gets_its_message(page: Page) -> None:
    _open_application(page, "홍길동")
    _apply(page, "1234568")
    expect(page.locator("#membership-message")).to_have_text(
        "성명과 주민등록번호가 일치하지 않습니다. 주민등록번호 뒷자리를 다시 확인해 주세요."
    )
    _apply(page, "123", consent=False)
    expect(page.locator("#rrn_back-error")).to_have_text("주민등록번호 뒷자리 7자리를 숫자로만 입력해 주세요.")
    expect(page.get_by_label("주민등록번호")).to_have_attribute("aria-invalid", "true")


def test_visitors_are_sent_to_login_and_back(page: Page) -> None:
    page.goto("/account/membership")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/account/membership/?$"))
    log_in(page, associate_member("홍길동"), PASSWORD)
    expect(page.get_by_role("heading", name="온라인 회원증 발급 안내")).to_be_visible()


def test_resident_numbers_leave_no_trace(page: Page) -> None:
    """After every outcome: not in the database, the server log, or any stored state."""
    for person in ("홍길동", "박서울", "오류시험"):
        forget_person(person)
        page.context.clear_cookies()
        _open_application(page, person)
        _apply(page, BACK_PARTS[person])
        expect(page.get_by_label("주민등록번호").or_(page.get_by_role("heading", name="회원증 발급 완료")).first).to_be_visible()
        page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃").click()
        expect(page.get_by_role("button", name="로그인", exact=True)).to_be_visible()

    stored = persisted_bytes()
    for person in ("홍길동", "박서울", "오류시험"):
        assert BACK_PARTS[person].encode() not in stored
