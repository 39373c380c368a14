"""The signup wizard as a new resident does it, on a phone and a desktop viewport (sandbox people)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signup_steps import (
    PASSWORD,
    agree_to_terms,
    choose_kind,
    expect_welcome,
    fill_login_id,
    fill_passwords,
    fill_required_info,
    forget_person,
    general_signup_until_info,
    kept_entries,
    new_login_id,
    search_address,
    submit,
    verify_in_dialog,
    wait_until_kept,
)


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    for name in ("홍길동", "홍길순", "김용인"):
        forget_person(name)


def test_general_signup_of_p1_ends_logged_in(page: Page) -> None:
    general_signup_until_info(page)
    # The verified identity is shown, read-only.
    identity = page.locator(".identity-list")
    expect(identity).to_contain_text("홍길동")
    expect(identity).to_contain_text("1990년 01월 01일")
    expect(identity).to_contain_text("남자")
    expect(page.get_by_label("휴대폰 번호 가운데 자리")).to_have_value("1234")

    fill_required_info(page, new_login_id())
    page.get_by_label("SMS 수신동의").click()
    expect(page.get_by_label("SMS 수신동의")).to_be_checked()
    page.evaluate(_WATCH_WELCOME)
    submit(page)

    expect(page).to_have_url(re.compile(r"/\?welcome=1$"))
    expect_welcome(page, "홍길동")
    welcome = page.get_by_role("status").filter(has_text="회원가입이 완료되었습니다.")
    expect(welcome).to_be_focused()  # read out first after the page change
    seen = page.evaluate("() => window.__welcome")
    # The main page is drawn with the welcome already there (not added after its load), and once the
    # welcome is shown it stays shown through the page change.
    assert seen == {"greetingFirstWithWelcome": True, "goneAfterShown": False}, seen


# Notes, from every DOM change, whether the welcome is visible, and whether it is there when the main
# page's greeting first appears.
_WATCH_WELCOME = """() => {
  const shown = () => [...document.querySelectorAll('[role=status]')]
    .some(e => e.textContent.includes('회원가입이 완료되었습니다.') && e.checkVisibility());
  const greeting = () => [...document.querySelectorAll('.greeting')].some(e => e.checkVisibility());
  const seen = window.__welcome = {greetingFirstWithWelcome: null, goneAfterShown: false};
  let wasShown = false;
  new MutationObserver(() => {
    const now = shown();
    if (wasShown && !now) seen.goneAfterShown = true;
    wasShown = wasShown || now;
    if (seen.greetingFirstWithWelcome === null && greeting()) seen.greetingFirstWithWelcome = now;
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_child_signup_of_c1_with_guardian_p1(page: Page) -> None:
    choose_kind(page, "어린이 회원가입")
    expect(page.get_by_text("14세 미만의 가입자가 회원가입하는 경우 법정대리인의 확인이 반드시 필요합니다.")).to_be_visible()
    next_page = page.get_by_role("button", name="가입자 본인확인 페이지로")
    expect(next_page).to_be_disabled()

    page.get_by_label("성명").fill("홍길동")
    page.get_by_label("휴대폰 번호 가운데 자리").fill("1234")
    page.get_by_label("휴대폰 번호 끝 4자리").fill("5678")
    verify_in_dialog(page, "휴대폰 인증하기", None, "19900101", None)
    expect(page.get_by_text("보호자 본인확인이 완료되었습니다.")).to_be_visible()
    next_page.click()

    verify_in_dialog(page, "아이핀 인증하기", "홍길순", "20200111", None)
    agree_to_terms(page)
    expect(page.locator(".identity-list")).to_contain_text("홍길순")
    page.get_by_label("휴대폰 번호 가운데 자리").fill("1234")
    page.get_by_label("휴대폰 번호 끝 4자리").fill("5678")
    fill_required_info(page, new_login_id())
    submit(page)

    expect_welcome(page, "홍길순")
    expect(page.get_by_text("보호자 방문 확인 전")).to_be_visible()


def test_under_14_choosing_general_is_told_to_use_child_signup(page: Page) -> None:
    choose_kind(page, "일반 회원가입")
    verify_in_dialog(page, "아이핀 인증하기", "홍길순", "20200111", None)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_have_text(re.compile("어린이 회원가입을 이용해 주세요"))
    dialog.get_by_role("link", name="어린이 회원가입으로 이동").click()
    expect(page.get_by_role("button", name="어린이 회원가입")).to_be_visible()


def test_second_signup_of_the_same_person_points_to_find_id(page: Page, browser) -> None:
    general_signup_until_info(page)
    fill_required_info(page, new_login_id())
    submit(page)
    expect_welcome(page, "홍길동")

    other = browser.new_context(viewport=page.viewport_size, base_url=page.url.split("/?")[0]).new_page()
    choose_kind(other, "일반 회원가입")
    verify_in_dialog(other, "카드 인증하기", "홍길동", "19900101", None)
    dialog = other.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_have_text(re.compile("이미 가입된 회원입니다"))
    expect(dialog.get_by_role("link", name="아이디 찾기")).to_be_visible()
    other.context.close()


def test_duplicate_id_is_reported_and_needs_a_new_check(page: Page) -> None:
    general_signup_until_info(page)
    fill_login_id(page, "demoassoc")
    expect(page.locator("#login_id-error")).to_have_text("이미 사용 중인 아이디입니다. 다른 아이디를 입력해 주세요.")
    expect(page.get_by_label("아이디", exact=True)).to_have_attribute("aria-invalid", "true")

    fill_passwords(page)
    search_address(page)
    page.get_by_label("가입도서관").select_option(label="기흥도서관")
    submit(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("아이디")
    expect(page.get_by_label("아이디", exact=True)).to_have_value("demoassoc")  # kept

    fill_login_id(page, new_login_id())
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()
    submit(page)
    expect_welcome(page, "홍길동")


def test_weak_and_mismatched_passwords_say_what_is_wrong(page: Page) -> None:
    general_signup_until_info(page)
    fill_login_id(page, new_login_id())
    page.get_by_label("비밀번호", exact=True).fill("password123")
    page.get_by_label("비밀번호 확인").focus()
    expect(page.locator("#password-error")).to_contain_text("너무 흔히 쓰이는 비밀번호")
    page.get_by_label("비밀번호", exact=True).fill("abcdefgh")
    page.get_by_label("비밀번호 확인").focus()
    expect(page.locator("#password-error")).to_contain_text("2가지를 조합하면 10자 이상")

    fill_passwords(page, PASSWORD, PASSWORD + "x")
    page.get_by_label("상세주소").focus()
    expect(page.locator("#password_confirm-error")).to_have_text(
        "비밀번호와 비밀번호 확인이 다릅니다. 같은 비밀번호를 입력해 주세요."
    )
    expect(page.locator("#password-error")).to_have_text("")


def test_missing_required_fields_get_messages_beside_them(page: Page) -> None:
    general_signup_until_info(page)
    fill_login_id(page, new_login_id())
    fill_passwords(page)
    page.get_by_label("상세주소").fill("한빛마을 101동")
    submit(page)

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#address-error")).to_have_text("주소찾기로 주소를 선택해 주세요.")
    expect(page.locator("#home_branch-error")).to_have_text("가입도서관을 선택해 주세요.")
    expect(page.get_by_label("가입도서관")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("상세주소")).to_have_value("한빛마을 101동")
    # The summary links to the field.
    page.locator("#error-summary").get_by_role("link", name=re.compile("가입도서관")).click()
    expect(page).to_have_url(re.compile("#home_branch$"))


def test_address_search_searches_and_does_not_submit_the_signup_form(page: Page) -> None:
    general_signup_until_info(page)
    search_address(page)
    # Nothing else was typed: a submit of the form would have listed the missing fields.
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("#login_id-error")).to_be_empty()


def test_reload_in_step_04_keeps_the_entries_but_not_the_passwords(page: Page) -> None:
    general_signup_until_info(page)
    login_id = new_login_id()
    fill_login_id(page, login_id)
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()
    fill_passwords(page)
    search_address(page, "죽전로")
    page.get_by_label("상세주소").fill("행복아파트 203동 1102호")  # Hangul through the IME path
    page.get_by_label("이메일 아이디").fill("gildong")
    branch = page.get_by_label("가입도서관")
    branch.focus()  # as a tap would: the e-mail field is left, and kept
    branch.select_option(label="죽전도서관")
    domain_choice = page.get_by_label("이메일 도메인 선택")
    domain_choice.focus()
    domain_choice.select_option("naver.com")
    # The server filled the domain: every earlier change (handled in order) has been kept too.
    expect(page.get_by_label("이메일 도메인", exact=True)).to_have_value("naver.com")
    postal_code = page.get_by_label("우편번호").input_value()

    page.reload()

    expect(page.get_by_role("heading", name="정보입력")).to_be_visible()
    expect(page.get_by_label("아이디", exact=True)).to_have_value(login_id)
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()
    expect(page.get_by_label("상세주소")).to_have_value("행복아파트 203동 1102호")
    expect(page.get_by_label("우편번호")).to_have_value(postal_code)
    expect(page.get_by_label("이메일 아이디")).to_have_value("gildong")
    expect(page.get_by_label("이메일 도메인", exact=True)).to_have_value("naver.com")
    expect(page.get_by_label("가입도서관")).to_have_value("ME")
    expect(page.get_by_label("비밀번호", exact=True)).to_have_value("")
    fill_passwords(page)
    submit(page)
    expect_welcome(page, "홍길동")


def test_hangul_typed_key_by_key_survives(page: Page) -> None:
    general_signup_until_info(page)
    detail = page.get_by_label("상세주소")
    detail.click()
    page.keyboard.insert_text("용인")
    page.keyboard.type(" 한글")
    before = kept_entries(page)
    page.get_by_label("가입도서관").focus()
    wait_until_kept(page, before)
    page.reload()
    expect(page.get_by_label("상세주소")).to_have_value("용인 한글")


def test_steps_cannot_be_skipped(page: Page) -> None:
    page.goto("/signup/info")
    expect(page).to_have_url(re.compile(r"/signup/?$"))
    choose_kind(page, "일반 회원가입")
    page.goto("/signup/terms")
    expect(page).to_have_url(re.compile(r"/signup/?$"))


def test_cancel_asks_then_discards(page: Page) -> None:
    general_signup_until_info(page)
    page.get_by_role("button", name="취소").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("회원가입을 취소할까요?")
    confirm.get_by_role("button", name="회원가입 취소").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/signup/info")
    expect(page).to_have_url(re.compile(r"/signup/?$"))


def _press_and_hold(page: Page, name: str) -> None:
    """The mouse button goes down on a button and stays down (a slow hand, a busy computer)."""
    button = page.get_by_role("button", name=name, exact=True)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()


def test_a_slow_press_on_the_submit_button_is_not_lost_to_a_field_message_above_it(page: Page) -> None:
    """Found under CPU load: pressing 회원가입 확인 right after typing 상세주소 blurred that field, its
    message appeared above the button and pushed it down before the mouse button came up, and the press
    did nothing. A press must keep the focus in the field, so nothing moves under the pointer."""
    general_signup_until_info(page)
    page.get_by_label("상세주소").fill("한빛마을 101동")
    _press_and_hold(page, "회원가입 확인")
    expect(page.get_by_label("상세주소")).to_be_focused()
    expect(page.locator("#address-error")).to_have_text("")
    page.mouse.up()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#address-error")).to_have_text("주소찾기로 주소를 선택해 주세요.")


def test_a_slow_press_on_id_check_is_not_lost_when_the_error_summary_above_it_would_shrink(page: Page) -> None:
    """Also found under load: after a refused 회원가입 확인, typing a new 아이디 and pressing 중복체크
    blurred the field, its check took the 아이디 line out of the error summary above, the button moved up
    under the pressed mouse, and 중복체크 never ran."""
    general_signup_until_info(page)
    fill_login_id(page, "demoassoc")
    expect(page.locator("#login_id-error")).not_to_have_text("")
    submit(page)
    expect(page.locator("#error-summary")).to_be_focused()
    page.get_by_label("아이디", exact=True).fill(new_login_id())
    _press_and_hold(page, "중복체크")
    expect(page.get_by_label("아이디", exact=True)).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("아이디")
    page.mouse.up()
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()


def test_kakao_link_at_signup_then_login_with_kakao(page: Page, app_url: str) -> None:
    """The server runs on a free port with only PORT set (as `PORT=… bash scripts/run.sh`): Kakao
    must send the browser back to that port, not to the default 3000."""
    assert not app_url.endswith(":3000")
    choose_kind(page, "일반 회원가입")
    verify_in_dialog(page, "휴대폰 인증하기", "김용인", "19850315", "010-2222-3333")
    agree_to_terms(page)
    fill_login_id(page, new_login_id())
    expect(page.get_by_text("사용 가능한 아이디입니다.")).to_be_visible()

    page.get_by_role("button", name="카카오 계정연동").click()
    expect(page.get_by_role("heading", name="시험용 카카오 로그인")).to_be_visible()
    page.get_by_label(re.compile("^김용인")).check()
    page.get_by_role("button", name="동의하고 계속하기").click()

    expect(page.get_by_role("heading", name="정보입력")).to_be_visible()
    expect(page.get_by_text("카카오 계정이 연동되었습니다")).to_be_visible()
    fill_passwords(page)
    search_address(page, "기흥역")
    page.get_by_label("가입도서관").select_option(label="기흥도서관")
    submit(page)
    expect_welcome(page, "김용인")

    page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("button", name="카카오 로그인")).to_be_visible()
    page.get_by_role("button", name="카카오 로그인").click()
    page.get_by_label(re.compile("^김용인")).check()
    page.get_by_role("button", name="동의하고 계속하기").click()
    expect(page.get_by_text("김용인님, 반갑습니다.")).to_be_visible()
    assert page.url.startswith(f"{app_url}/")


def test_kakao_login_of_an_unlinked_account_says_to_link_first(page: Page) -> None:
    page.goto("/login")
    page.get_by_role("button", name="카카오 로그인").click()
    page.get_by_label(re.compile("^이름 없음")).check()
    page.get_by_role("button", name="동의하고 계속하기").click()
    expect(page.locator("#social-login-error")).to_contain_text("이 SNS 계정과 연동된 회원이 없습니다.")


def test_a_draft_stays_with_its_tab_not_with_the_next_person_at_a_shared_pc(page: Page) -> None:
    # A resident verifies and walks away; the next person at that library PC opens 회원가입.
    general_signup_until_info(page)
    expect(page.get_by_text("홍길동").first).to_be_visible()
    page.reload()  # the same tab resumes
    expect(page.get_by_label("아이디", exact=True)).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('yongin_signup_draft')") is None

    next_person = page.context.new_page()
    next_person.goto("/signup")
    expect(next_person.get_by_role("button", name="일반 회원가입")).to_be_visible()
    expect(next_person.get_by_text("작성 중인 회원가입이 있습니다.")).to_have_count(0)
    next_person.goto("/signup/info")
    expect(next_person).not_to_have_url(re.compile(r"/signup/info/?$"))
    expect(next_person.get_by_text("홍길동")).to_have_count(0)
