"""Login, wrong password, lockout and logout, on a phone and a desktop viewport."""

from __future__ import annotations

import re
import uuid
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.accounts import idle_sessions_of
from tests.e2e.helpers import GENERIC_LOGIN_ERROR, log_in, open_login
from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberType, Nationality, Sex
from yongin_app.models import Member
from yongin_app.services.demo import DEMO_PASSWORD
from yongin_app.services.passwords import hash_password

MEMBER_PASSWORD = "Sejong-Book#2026"


def _new_member() -> str:
    """A member of this test alone, so lockouts do not touch other tests."""
    login_id = "t" + uuid.uuid4().hex[:12]
    now = utcnow()
    with unit_of_work(write=True) as session:
        session.add(
            Member(
                login_id=login_id, password_hash=hash_password(MEMBER_PASSWORD), name="한가람",
                birth_date=date(1993, 6, 1), sex=Sex.FEMALE, nationality=Nationality.DOMESTIC,
                ci=f"CI-{login_id}", di=f"DI-{login_id}", member_type=MemberType.GENERAL,
                created_at=now, updated_at=now,
            )
        )
    return login_id


def test_login_then_logout(page: Page) -> None:
    open_login(page)
    log_in(page, "demoassoc", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    expect(page.get_by_text("이준회")).to_be_visible()
    nav = page.get_by_role("navigation", name="주 메뉴")
    expect(nav.get_by_role("link", name="온라인정회원신청")).to_be_visible()
    expect(nav.get_by_role("link", name="정보수정")).to_be_visible()

    nav.get_by_role("button", name="로그아웃").click()

    expect(page).to_have_url(re.compile(r"/login/?\?reason=logout$"))
    expect(page.get_by_role("status")).to_have_text("로그아웃되었습니다.")
    expect(nav.get_by_role("link", name="로그인")).to_be_visible()
    # The ended session is gone on the server too: a member page now asks to log in.
    page.goto("/account/edit")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/account/edit/?$"))


def test_wrong_password_and_unknown_id_get_the_same_message(page: Page) -> None:
    login_id = _new_member()
    open_login(page)
    log_in(page, login_id, "not-the-password-1")

    error = page.locator("#login-error")
    expect(error).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page.get_by_label("아이디")).to_have_value(login_id)  # kept
    expect(page.get_by_label("비밀번호", exact=True)).to_have_value("")  # emptied
    expect(page.get_by_label("비밀번호", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("비밀번호", exact=True)).to_be_focused()

    page.get_by_label("아이디").fill("nosuchmember99")
    page.get_by_label("비밀번호", exact=True).fill("whatever-password-1")
    page.get_by_role("button", name="로그인", exact=True).click()
    expect(page.get_by_label("비밀번호", exact=True)).to_have_value("")  # this attempt's answer
    expect(error).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page.get_by_text("님, 반갑습니다.")).to_have_count(0)


def test_five_failures_lock_the_account_with_the_same_message(page: Page) -> None:
    login_id = _new_member()
    open_login(page)
    error = page.locator("#login-error")
    password = page.get_by_label("비밀번호", exact=True)
    for attempt in range(5):
        log_in(page, login_id, f"wrong-password-{attempt}")
        # The answer has come back when the password field has been emptied.
        expect(password).to_have_value("")
        expect(error).to_have_text(GENERIC_LOGIN_ERROR)

    # The right password now fails exactly like a wrong one.
    log_in(page, login_id, MEMBER_PASSWORD)
    expect(password).to_have_value("")  # this attempt's answer: the one before said the same
    expect(error).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page).to_have_url(re.compile(r"/login/?$"))
    with unit_of_work() as session:
        member = session.exec(select(Member).where(Member.login_id == login_id)).one()
        assert member.locked_until is not None and member.locked_until > utcnow()


def test_the_message_stays_in_place_while_the_next_attempt_is_checked(page: Page) -> None:
    """Emptying the message at the press moved the links below it up and back while the answer was on its
    way: a press on 비밀번호 재설정 in that moment landed elsewhere (found under CPU load)."""
    login_id = _new_member()
    open_login(page)
    password = page.get_by_label("비밀번호", exact=True)
    log_in(page, login_id, "not-the-password-1")
    expect(password).to_have_value("")
    page.evaluate("""() => {
        window.loginErrorEmptied = false;
        const error = document.getElementById("login-error");
        new MutationObserver(() => { if (!error.textContent) window.loginErrorEmptied = true; })
            .observe(error, {childList: true, characterData: true, subtree: true});
    }""")
    log_in(page, login_id, "not-the-password-2")
    expect(password).to_have_value("")  # the second answer has come back
    expect(page.locator("#login-error")).to_have_text(GENERIC_LOGIN_ERROR)
    assert page.evaluate("window.loginErrorEmptied") is False


def test_empty_fields_get_a_message_next_to_the_form(page: Page) -> None:
    open_login(page)
    page.get_by_role("button", name="로그인", exact=True).click()
    expect(page.locator("#login-error")).to_have_text("아이디와 비밀번호를 모두 입력해 주세요.")


def test_member_page_sends_visitor_to_login_and_back(page: Page) -> None:
    page.goto("/account/edit")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/account/edit/?$"))
    expect(page.get_by_role("status")).to_have_text(re.compile("로그인이 필요한 서비스입니다"))
    log_in(page, "demofull", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/edit/?$"))
    expect(page.get_by_role("heading", name="정보수정", level=1)).to_be_visible()


def test_before_the_scripts_run_login_cannot_be_pressed_and_nothing_is_sent(page: Page) -> None:
    # A slow phone: the page is drawn, but its scripts have not arrived when the member taps 로그인.
    # A press then would be lost (or be the browser's own submit): the button waits for the page.
    page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page.goto("/login")
    page.get_by_label("아이디").fill("demofull")
    page.get_by_label("비밀번호", exact=True).fill(DEMO_PASSWORD)
    expect(page.get_by_role("button", name="로그인", exact=True)).to_be_disabled()
    # Should a browser submit anyway, it posts: no password in the URL, the history or a log.
    expect(page.locator("form.login-form")).to_have_attribute("method", "post")
    assert "Chaekbit" not in page.url


def test_login_can_be_pressed_once_the_page_is_ready(page: Page) -> None:
    page.goto("/login")
    button = page.get_by_role("button", name="로그인", exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator("#login-error")).to_have_text("아이디와 비밀번호를 모두 입력해 주세요.")


def test_page_language_and_input_attributes(page: Page) -> None:
    open_login(page)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    login_id = page.get_by_label("아이디")
    password = page.get_by_label("비밀번호", exact=True)
    expect(login_id).to_have_attribute("autocomplete", "username")
    expect(password).to_have_attribute("autocomplete", "current-password")
    assert login_id.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    expect(page.get_by_text("시험용 (sandbox)")).to_be_visible()


def test_idle_warning_offers_extension_then_logs_out(page: Page) -> None:
    # The page's clock is controlled; the warning comes 25 minutes into 30 idle minutes.
    page.clock.install()
    open_login(page)
    log_in(page, "demofull", DEMO_PASSWORD)
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    warning = page.get_by_role("alertdialog", name="자동 로그아웃 안내")
    expect(warning).to_be_hidden()
    # The main page's load events have all run (the card comes last): the deadline shown is final.
    expect(page.locator("article.member-card")).to_be_attached()
    page.clock.run_for(2000)  # the page's timer reads the session's idle deadline

    page.clock.fast_forward("25:30")
    expect(warning).to_be_visible()
    extend = warning.get_by_role("button", name="연장")
    expect(extend).to_be_focused()
    extend.click()
    expect(warning).to_be_hidden()

    # The server sees the same 31 idle minutes (its clock is not the page's).
    idle_sessions_of("demofull", 31)
    page.clock.fast_forward("31:00")
    expect(page).to_have_url(re.compile(r"/login/?\?reason=expired$"))
    expect(page.get_by_role("status")).to_have_text("오랫동안 이용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.")
    page.goto("/account/edit")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/account/edit/?$"))


def test_a_link_to_the_expired_notice_does_not_log_a_member_out(page: Page) -> None:
    # Any site can link to /login?reason=expired; only the server's own idle clock ends a session.
    open_login(page)
    log_in(page, "demofull", DEMO_PASSWORD)
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    page.goto("/login?reason=expired")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    page.goto("/account/edit")
    expect(page.get_by_role("heading", name="정보수정", level=1)).to_be_visible()
