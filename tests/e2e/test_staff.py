"""The staff console on a desktop: login, 회원 조회 with masked rows, 열람 with a reason, desk actions,
the card preview (also checked on a phone viewport; only for a member opened with a reason in this staff
session), and refusal to members and visitors."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.accounts import associate_member, full_member
from tests.e2e.helpers import log_in, open_login
from tests.e2e.signup_steps import forget_person
from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.models import AuditLog, Guardian, Member
from yongin_app.services.demo import DEMO_PASSWORD, DEMO_STAFF_LOGIN_ID


@pytest.fixture(autouse=True)
def _fresh_people() -> None:
    for name in ("홍길동", "홍길순"):
        forget_person(name)


def _member_id(login_id: str) -> int:
    with unit_of_work() as session:
        return session.exec(select(Member.id).where(Member.login_id == login_id)).one()


def _staff_login(page: Page) -> None:
    page.goto("/staff/login")
    page.get_by_label("직원 아이디").fill(DEMO_STAFF_LOGIN_ID)
    page.get_by_label("비밀번호").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="회원 조회", level=1)).to_be_visible()


def _search(page: Page, kind: str, query: str) -> None:
    page.get_by_label("검색 항목").select_option(label=kind)
    page.get_by_label("검색어").fill(query)
    page.get_by_role("button", name="검색").click()


def _open(page: Page, name_masked: str, reason: str) -> None:
    page.get_by_role("button", name=f"열람 {name_masked}").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("열람 사유").select_option(reason)
    dialog.get_by_role("button", name="확인").click()
    expect(page.get_by_role("heading", name="회원 상세")).to_be_visible()


def test_search_open_preview_and_reissue(page: Page, viewport_name: str) -> None:
    if viewport_name == "phone":
        pytest.skip("the console is a desktop tool; the phone check is the preview test below")
    login_id = full_member("홍길동")
    _staff_login(page)
    _search(page, "이름", "홍길동")
    table = page.get_by_role("table")
    expect(table).to_contain_text("홍*동")
    expect(table).not_to_contain_text("홍길동")
    expect(table).to_contain_text(login_id[:3] + "*")
    expect(table).to_contain_text("정회원")
    expect(table).to_contain_text("010-****-")

    _open(page, "홍*동", "회원정보 확인 요청")
    detail = page.locator(".summary-list")
    expect(detail).to_contain_text("홍길동")
    expect(detail).to_contain_text(login_id)
    with unit_of_work() as session:
        viewed = session.exec(select(AuditLog).where(AuditLog.action == "staff.member_viewed",
                                                     AuditLog.target_member_id == _member_id(login_id))).all()
    assert viewed and viewed[-1].actor_type == "staff" and viewed[-1].detail == "reason=1"

    old_number = detail.locator("dd").nth(11).inner_text()
    page.get_by_role("button", name="회원증 재발급 (분실)").click()
    expect(page.get_by_role("status").filter(has_text="처리했습니다.")).to_be_visible()
    expect(detail.locator("dd").nth(11)).not_to_have_text(old_number)

    page.get_by_role("link", name="모바일 회원증 미리보기").click()
    expect(page.get_by_role("heading", name="모바일 회원증 미리보기")).to_be_visible()
    cards = page.get_by_role("article", name="모바일 회원증")
    expect(cards).to_have_count(6)
    expect(cards.first).to_contain_text("홍길동")


def test_guardian_visit_and_visit_conversion(page: Page, viewport_name: str) -> None:
    if viewport_name == "phone":
        pytest.skip("the console is a desktop tool")
    child_login = associate_member("홍길순")
    with unit_of_work(write=True) as session:
        session.add(Guardian(member_id=_member_id(child_login), name="홍길동", mobile="010-1234-5678",
                             birth_date=date(1990, 1, 1), ci="guardian-ci", verified_at=utcnow()))
    _staff_login(page)
    _search(page, "아이디", child_login)
    _open(page, "홍*순", "보호자 방문 확인")
    expect(page.locator(".summary-list")).to_contain_text("보호자 방문 확인 전")
    page.get_by_role("button", name="보호자 방문 확인 기록").click()
    expect(page.get_by_role("button", name="보호자 방문 확인 기록")).to_have_count(0)
    expect(page.locator(".summary-list")).not_to_contain_text("보호자 방문 확인 전")

    page.get_by_label("확인한 서류").select_option("재학증명서")
    page.get_by_label("회원 대출 비밀번호 (숫자 4자리)").fill("2468")
    page.get_by_role("button", name="정회원 전환 및 회원증 발급").click()
    expect(page.locator(".summary-list")).to_contain_text("정회원")
    expect(page.locator(".summary-list dd").nth(11)).to_have_text(re.compile(r"^157[0-9]{7}$"))


def test_members_and_visitors_are_refused(page: Page) -> None:
    page.goto("/staff")
    expect(page).to_have_url(re.compile(r"/staff/login/?$"))
    open_login(page)
    log_in(page, "demoassoc", DEMO_PASSWORD)
    expect(page.get_by_text("님, 반갑습니다.")).to_be_visible()
    page.goto("/staff/audit")
    expect(page).to_have_url(re.compile(r"/staff/login/?$"))
    page.get_by_label("직원 아이디").fill("demoassoc")
    page.get_by_label("비밀번호").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.locator("#staff-login-error")).to_have_text("아이디 또는 비밀번호가 올바르지 않습니다.")


def _viewed(member_id: int) -> list[AuditLog]:
    with unit_of_work() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == "staff.member_viewed",
                                                        AuditLog.target_member_id == member_id)))


def test_preview_frames_fit_on_a_phone_viewport(page: Page, viewport_name: str) -> None:
    login_id = full_member("홍길동")
    _staff_login(page)
    _search(page, "아이디", login_id)
    _open(page, "홍*동", "회원정보 확인 요청")
    # A link to the preview of the member opened here works in a new tab of the same staff session.
    page = page.context.new_page()
    page.goto(f"/staff/preview?member={_member_id(login_id)}")
    frames = page.locator(".phone-frame")
    expect(frames).to_have_count(6)
    widths = [round(frame.bounding_box()["width"]) for frame in frames.all()[:3]]
    assert widths == [360, 390, 430]
    card = page.get_by_role("article", name="모바일 회원증").first
    expect(card).to_contain_text("7권")


def test_a_preview_link_to_a_member_not_opened_here_shows_nothing(page: Page, viewport_name: str) -> None:
    if viewport_name == "phone":
        pytest.skip("the console is a desktop tool")
    login_id = full_member("홍길동")
    member_id = _member_id(login_id)
    _staff_login(page)
    page.goto(f"/staff/preview?member={member_id}")  # as a link sent to the staff member would

    expect(page.get_by_role("alert").filter(has_text="열람 사유를 선택해 연 회원만")).to_be_visible()
    expect(page.get_by_role("article", name="모바일 회원증")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("홍길동")
    assert _viewed(member_id) == []  # no access record in this staff member's name
    with unit_of_work() as session:
        refused = session.exec(select(AuditLog).where(AuditLog.action == "staff.card_previewed",
                                                      AuditLog.target_member_id == member_id)).all()
    assert [e.outcome for e in refused] == ["not_opened"]

    page.goto("/staff/preview?member=%C2%B2")  # "²": a clear message, not a server error
    expect(page.get_by_role("alert").filter(has_text="회원 번호가 올바르지 않습니다.")).to_be_visible()
    page.get_by_role("link", name="회원 조회로 돌아가기").click()
    expect(page.get_by_role("heading", name="회원 조회", level=1)).to_be_visible()


def test_administrators_browse_the_audit_log(page: Page, viewport_name: str) -> None:
    if viewport_name == "phone":
        pytest.skip("the console is a desktop tool")
    _staff_login(page)
    _search(page, "아이디", "demofull")
    page.get_by_role("link", name="감사 로그").click()
    log = page.get_by_role("region", name="감사 로그")
    expect(log).to_contain_text("staff.search")
    expect(log).to_contain_text("staff.login")
    expect(log).not_to_contain_text(DEMO_PASSWORD)
    page.get_by_label("작업 (예: staff.member_viewed)").fill("staff.search")
    page.get_by_role("button", name="검색").click()
    expect(log).not_to_contain_text("staff.login")
    expect(log).to_contain_text("staff.search")

    # "²" passes str.isdigit(); it gets a message next to its field and stays typed.
    page.get_by_label("대상 회원 번호").fill("²")
    page.get_by_role("button", name="검색").click()
    expect(page.locator("#audit_member-error")).to_have_text("숫자만 입력해 주세요 (최대 9자리).")
    expect(page.get_by_label("대상 회원 번호")).to_have_value("²")
    page.get_by_label("대상 회원 번호").fill("")
    page.get_by_role("button", name="검색").click()
    expect(page.locator("#audit_member-error")).to_have_text("")
    expect(log).to_contain_text("staff.search")


def test_staff_pages_have_no_axe_violations(page: Page, viewport_name: str) -> None:
    from tests.e2e.test_accessibility import _assert_no_violations

    if viewport_name == "phone":
        pytest.skip("the console is a desktop tool")
    page.goto("/staff/login")
    expect(page.get_by_label("직원 아이디")).to_be_visible()
    _assert_no_violations(page)
    _staff_login(page)
    _search(page, "아이디", "demofull")
    expect(page.get_by_role("table")).to_be_visible()
    _assert_no_violations(page)
    _open(page, "박*회", "기타 민원 처리")
    _assert_no_violations(page)
    page.get_by_role("link", name="모바일 회원증 미리보기").click()
    expect(page.get_by_role("article", name="모바일 회원증").first).to_be_visible()
    _assert_no_violations(page)
    page.goto("/staff/audit")
    expect(page.get_by_role("region", name="감사 로그")).to_be_visible()
    _assert_no_violations(page)
