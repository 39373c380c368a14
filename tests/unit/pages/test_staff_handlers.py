"""The staff console's event handlers called as a client would call them, with the numbers a client can
send: "²" and "１２" (str.isdigit() says yes, int() then raises or reads them) and a member ID too large for
the database. Each is refused with a Korean message next to its field, never an exception.
The handlers run on a real state tree (no server) against the unit test database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
import reflex as rx
import time_machine
from reflex.istate.data import ReflexURL, RouterData
from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.domain.enums import Grade, MemberType, Nationality, Sex, StaffRole
from yongin_app.models import AuditLog, Member, MemberCard
from yongin_app.pages import staff as page
from yongin_app.pages import staff_texts as texts
from yongin_app.services import staff
from yongin_app.states.staff_session import StaffSessionState

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
ADMIN_PASSWORD = "Admin-Console!2026x"
BAD_NUMBERS = ("²", "１２", "99999999999999999999", "-1", " 1 2", "1e3")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def member_id(database) -> int:
    with unit_of_work(write=True) as session:
        member = Member(login_id="cardholder", password_hash="x", name="정회원", birth_date=date(1990, 1, 1),
                        sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci="ci-h", di="di-h",
                        member_type=MemberType.GENERAL, grade=Grade.FULL, home_branch_code="MA",
                        created_at=T0, updated_at=T0)
        session.add(member)
        session.flush()
        session.add(MemberCard(member_id=member.id, card_number="1570000075", loan_password_hash="x", issued_at=T0))
        return member.id


@pytest.fixture
def token(database) -> str:
    staff.create_staff("bossone", "박관리", StaffRole.ADMIN, ADMIN_PASSWORD, now=T0)
    return staff.login_staff("bossone", ADMIN_PASSWORD, now=T0).token


def _tab(token: str, url: str = "http://localhost:3000/staff") -> rx.State:
    """One browser tab's state tree, logged in as the staff member of this token."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData(url=ReflexURL(url))
    _substate(root, StaffSessionState).staff_token = token
    return root


def _run(call):
    """Awaits one event handler as the server would."""
    return asyncio.run(call)


def _substate(root: rx.State, state_class: type[rx.State]):
    return root.get_substate(state_class.get_full_name().split(".")[1:])


def _audit(action: str) -> list[AuditLog]:
    with unit_of_work() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# ---------------------------------------------------------------- 감사 로그 filter


@pytest.mark.parametrize("field", ["audit_member", "audit_actor"])
@pytest.mark.parametrize("typed", BAD_NUMBERS)
def test_a_bad_number_in_an_audit_filter_gets_a_message_next_to_it(token, field, typed):
    audit_state = _substate(_tab(token), page.StaffAuditState)

    _run(audit_state.filter({field: typed, "audit_action": "staff.login"}))

    assert audit_state.field_errors == {field: staff.MSG_NUMBER}
    assert "숫자만 입력해 주세요" in staff.MSG_NUMBER
    assert audit_state.rows == []


def test_a_good_number_filters_and_clears_the_message(token, member_id):
    audit_state = _substate(_tab(token), page.StaffAuditState)
    staff.open_member(token, member_id, staff.ACCESS_REASONS[0], now=T0)
    _run(audit_state.filter({"audit_member": "²"}))

    _run(audit_state.filter({"audit_member": f" {member_id} ", "audit_actor": ""}))

    assert audit_state.field_errors == {}
    assert [(r["action"], r["target"]) for r in audit_state.rows] == [("staff.member_viewed", str(member_id))]


@pytest.mark.parametrize("typed", ["2026-13-01", "２０２６-１２-０１", "2026/12/01", "99999-12-01"])
def test_a_bad_date_in_an_audit_filter_gets_a_message_next_to_it(token, typed):
    audit_state = _substate(_tab(token), page.StaffAuditState)

    _run(audit_state.filter({"audit_from": typed, "audit_to": "2026-12-01"}))

    assert audit_state.field_errors == {"audit_from": texts.AUDIT_DATE_INVALID}


# ---------------------------------------------------------------- 회원 조회


@pytest.mark.parametrize("sent", [*BAD_NUMBERS, 10**20, -5, None, ["1"]])
def test_ask_reason_with_a_bad_member_id_opens_no_dialog(token, sent):
    console = _substate(_tab(token), page.StaffConsoleState)

    console.ask_reason(sent)

    assert console.reason_for == 0


@pytest.mark.parametrize(("kind", "typed", "message"), [
    ("mobile_last4", "１２３４", staff.MSG_SEARCH_MOBILE), ("mobile_last4", "²²²²", staff.MSG_SEARCH_MOBILE),
    ("card_number", "１５７００００００７５", staff.MSG_SEARCH_CARD),
    ("card_number", "99999999999999999999", staff.MSG_SEARCH_CARD),
])
def test_a_search_for_non_ascii_digits_gets_the_fields_message(token, kind, typed, message):
    console = _substate(_tab(token), page.StaffConsoleState)

    _run(console.search({"search_kind": kind, "search_query": typed}))

    assert console.message == message and console.rows == []
    assert console.query == typed  # what was typed stays


# ---------------------------------------------------------------- 회원증 미리보기


@pytest.mark.parametrize("sent", BAD_NUMBERS)
def test_a_preview_url_with_a_bad_member_number_is_refused_cleanly(token, member_id, sent):
    preview = _substate(_tab(token, f"http://localhost:3000/staff/preview?member={quote(sent)}"),
                        page.StaffPreviewState)

    assert _run(preview.load()) is None

    assert preview.refusal == texts.PREVIEW_BAD_MEMBER and not preview.has_card and preview.name == ""
    assert _audit("staff.card_previewed") == []


def test_a_preview_url_of_a_member_not_opened_here_shows_nothing_of_them(token, member_id):
    preview = _substate(_tab(token, f"http://localhost:3000/staff/preview?member={member_id}"),
                        page.StaffPreviewState)

    _run(preview.load())

    assert preview.refusal == staff.MSG_PREVIEW_NOT_OPENED
    assert (preview.has_card, preview.name, preview.card_number, preview.barcode_uri) == (False, "", "", "")
    assert _audit("staff.member_viewed") == []
    assert [e.outcome for e in _audit("staff.card_previewed")] == ["not_opened"]


def test_the_preview_of_a_member_opened_in_another_tab_of_this_session_shows_the_card(token, member_id):
    console = _substate(_tab(token), page.StaffConsoleState)
    console.ask_reason(str(member_id))
    _run(console.open_member({"access_reason": staff.ACCESS_REASONS[0]}))
    assert console.detail["name"] == "정회원"

    new_tab = _tab(token, f"http://localhost:3000/staff/preview?member={member_id}")
    preview = _substate(new_tab, page.StaffPreviewState)
    _run(preview.load())

    assert preview.refusal == "" and preview.has_card
    assert (preview.name, preview.card_number) == ("정회원", "1570000075")
