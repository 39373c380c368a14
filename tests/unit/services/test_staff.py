"""Staff services: login, role checks, member search, the access record, desk actions and the audit browser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.domain.enums import CardStatus, Grade, MemberStatus, MemberType, Nationality, Sex, StaffRole
from yongin_app.models import (
    AuditLog,
    AuthSession,
    Guardian,
    Member,
    MemberCard,
    MultichildGrant,
    StaffAccount,
    StaffMemberOpen,
)
from yongin_app.services import account, auth, staff
from yongin_app.services.passwords import hash_password, verify_password

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 10:00 KST
MEMBER_PASSWORD = "Sejong-Book#2026"
LIBRARIAN_PASSWORD = "Desk-Librarian#2026"
ADMIN_PASSWORD = "Admin-Console!2026x"
LOAN_PASSWORD = "2580"
NEW_LOAN_PASSWORD = "1357"


def _add_member(login_id: str, name: str, mobile: str | None, *, grade: Grade = Grade.ASSOCIATE,
                member_type: MemberType = MemberType.GENERAL, card: str | None = None,
                birth_date: date = date(1993, 6, 1), status: MemberStatus = MemberStatus.ACTIVE) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash=hash_password(MEMBER_PASSWORD), name=name, birth_date=birth_date,
            sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci=f"CI-{login_id}", di=f"DI-{login_id}",
            member_type=member_type, grade=grade, status=status, mobile=mobile,
            mobile_last4=mobile[-4:] if mobile else None, email=f"{login_id}@example.com",
            postal_code="17019", road_address="경기도 용인시 처인구 중부대로 1199", address_detail="3층",
            home_branch_code="MA", created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        if card:
            session.add(MemberCard(member_id=member.id, card_number=card,
                                   loan_password_hash=hash_password(LOAN_PASSWORD), issued_at=T0))
        return member.id


@pytest.fixture
def staff_ids(database) -> dict[str, int]:
    return {
        "librarian": staff.create_staff("deskone", "김사서", StaffRole.LIBRARIAN, LIBRARIAN_PASSWORD, now=T0),
        "admin": staff.create_staff("bossone", "박관리", StaffRole.ADMIN, ADMIN_PASSWORD, now=T0),
    }


@pytest.fixture
def librarian(staff_ids) -> str:
    result = staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=T0)
    assert result.ok
    return result.token


@pytest.fixture
def admin(staff_ids) -> str:
    result = staff.login_staff("bossone", ADMIN_PASSWORD, now=T0)
    assert result.ok
    return result.token


@pytest.fixture
def members(database) -> dict[str, int]:
    return {
        "garam": _add_member("hangaram", "한가람", "010-3141-5926"),
        "full": _add_member("jeongwon", "정회원", "010-2718-5926", grade=Grade.FULL, card="1570000075"),
        "child": _add_member("kidsone", "어린이", "010-1111-2222", member_type=MemberType.CHILD,
                             birth_date=date(2016, 3, 3)),
    }


@pytest.fixture
def member_token(members) -> str:
    result = auth.login_member("hangaram", MEMBER_PASSWORD, now=T0)
    assert result.ok
    return result.token


def _audit(action: str | None = None) -> list[AuditLog]:
    with unit_of_work() as session:
        statement = select(AuditLog).order_by(AuditLog.id)
        if action:
            statement = statement.where(AuditLog.action == action)
        return list(session.exec(statement))


def _staff_row(login_id: str) -> StaffAccount:
    with unit_of_work() as session:
        return session.exec(select(StaffAccount).where(StaffAccount.login_id == login_id)).one()


def _cards(member_id: int) -> list[MemberCard]:
    with unit_of_work() as session:
        return list(session.exec(select(MemberCard).where(MemberCard.member_id == member_id).order_by(MemberCard.id)))


# ---------------------------------------------------------------- login


def test_staff_login_opens_a_staff_session(staff_ids):
    result = staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=T0)

    assert result.ok and result.member_id is None
    with unit_of_work() as session:
        stored = session.exec(select(AuthSession)).one()
    assert stored.staff_id == staff_ids["librarian"] and stored.member_id is None
    assert stored.token_hash == auth.token_hash(result.token)
    identity = staff.current_staff(result.token, now=T0 + timedelta(minutes=1))
    assert identity == staff.StaffIdentity(staff_ids["librarian"], "김사서", StaffRole.LIBRARIAN)
    # The staff idle timeout is 15 minutes (the check above counted as activity).
    assert staff.current_staff(result.token, now=T0 + timedelta(minutes=1) + policy.STAFF_SESSION_IDLE_TIMEOUT) is None
    entry = _audit("staff.login")[-1]
    assert (entry.outcome, entry.actor_type, entry.actor_id) == ("ok", "staff", staff_ids["librarian"])


def test_every_staff_login_failure_is_the_same_result(staff_ids, members):
    with unit_of_work(write=True) as session:
        session.add(StaffAccount(login_id="gonenow", password_hash=hash_password(LIBRARIAN_PASSWORD), name="퇴직자",
                                 role=StaffRole.LIBRARIAN, active=False, created_at=T0))

    wrong = staff.login_staff("deskone", "Wrong-password-123", now=T0)
    unknown = staff.login_staff("nobodyhere", LIBRARIAN_PASSWORD, now=T0)
    empty = staff.login_staff("", "", now=T0)
    inactive = staff.login_staff("gonenow", LIBRARIAN_PASSWORD, now=T0)
    member = staff.login_staff("hangaram", MEMBER_PASSWORD, now=T0)  # a member is not staff

    assert wrong == unknown == empty == inactive == member == auth.LoginResult(token=None)
    assert [e.outcome for e in _audit("staff.login")] == [
        "wrong_password", "unknown_account", "malformed", "unknown_account", "unknown_account"]


def test_five_failures_lock_a_staff_account_for_ten_minutes(staff_ids):
    for _ in range(policy.MAX_FAILED_LOGINS):
        assert not staff.login_staff("deskone", "Wrong-password-123", now=T0).ok
    assert _staff_row("deskone").locked_until == T0 + policy.LOCKOUT_DURATION
    assert _audit("staff.login")[-1].outcome == "wrong_password_locked"

    assert not staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=T0 + timedelta(minutes=9, seconds=59)).ok
    assert _audit("staff.login")[-1].outcome == "locked"
    assert staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=T0 + timedelta(minutes=10)).ok
    row = _staff_row("deskone")
    assert row.failed_login_count == 0 and row.locked_until is None


def test_login_ends_the_previous_session(staff_ids, librarian):
    again = staff.login_staff("deskone", LIBRARIAN_PASSWORD, previous_token=librarian, now=T0)
    assert again.ok
    assert staff.current_staff(librarian, now=T0) is None
    assert staff.current_staff(again.token, now=T0) is not None


def test_a_deactivated_account_loses_its_session(staff_ids, librarian):
    with unit_of_work(write=True) as session:
        row = session.get(StaffAccount, staff_ids["librarian"])
        row.active = False
        session.add(row)
    with pytest.raises(staff.StaffAccessDenied):
        staff.require_staff(librarian, now=T0)


# ---------------------------------------------------------------- create_staff


def test_create_staff_stores_a_hash_and_checks_the_fields(database):
    staff_id = staff.create_staff("newdesk", "이사서", StaffRole.LIBRARIAN, LIBRARIAN_PASSWORD, now=T0)
    row = _staff_row("newdesk")
    assert row.id == staff_id and row.role == StaffRole.LIBRARIAN and row.active
    assert verify_password(row.password_hash, LIBRARIAN_PASSWORD) and LIBRARIAN_PASSWORD not in row.password_hash

    with pytest.raises(ValueError, match="15자"):
        staff.create_staff("otherdesk", "이사서", StaffRole.LIBRARIAN, "Short-pass#202")  # 14 characters
    assert staff.create_staff("otherdesk", "이사서", StaffRole.LIBRARIAN, "Fifteen-chars#1")
    with pytest.raises(ValueError, match="이미 사용 중"):
        staff.create_staff("newdesk", "이사서", StaffRole.ADMIN, ADMIN_PASSWORD)
    for bad_id in ("Upper", "ab", "admin", "한글아이디"):
        with pytest.raises(ValueError):
            staff.create_staff(bad_id, "이사서", StaffRole.LIBRARIAN, LIBRARIAN_PASSWORD)
    with pytest.raises(ValueError):  # contains the login ID
        staff.create_staff("thirddesk", "이사서", StaffRole.LIBRARIAN, "thirddesk-Strong#99")
    with pytest.raises(ValueError):
        staff.create_staff("fourthdesk", "", StaffRole.LIBRARIAN, LIBRARIAN_PASSWORD)


# ---------------------------------------------------------------- role checks

_STAFF_CALLS = {
    "search_members": lambda token, m: staff.search_members(token, "name", "한가람", now=T0),
    "open_member": lambda token, m: staff.open_member(token, m["garam"], staff.ACCESS_REASONS[0], now=T0),
    "confirm_guardian_visit": lambda token, m: staff.confirm_guardian_visit(token, m["child"], now=T0),
    "convert_after_visit": lambda token, m: staff.convert_after_visit(token, m["garam"], "재직증명서", LOAN_PASSWORD,
                                                                      now=T0),
    "reissue_card": lambda token, m: staff.reissue_card(token, m["full"], now=T0),
    "browse_audit": lambda token, m: staff.browse_audit(token, now=T0),
    "preview_card": lambda token, m: staff.preview_card(token, m["full"], now=T0),
}


@pytest.mark.parametrize("name", sorted(_STAFF_CALLS))
def test_every_staff_function_refuses_no_token_and_member_sessions(name, members, member_token, staff_ids):
    with unit_of_work(write=True) as session:
        session.add(Guardian(member_id=members["child"], name="어보호", mobile="010-9999-8888",
                             birth_date=date(1985, 1, 1), ci="CI-G", verified_at=T0))
    before = _audit()
    for token in (None, "", "not-a-session-token", member_token):
        with pytest.raises(staff.StaffAccessDenied):
            _STAFF_CALLS[name](token, members)
    # Nothing was done and nothing was read.
    assert len(_audit()) == len(before)
    assert _cards(members["garam"]) == [] and len(_cards(members["full"])) == 1
    with unit_of_work() as session:
        assert session.exec(select(Guardian.visit_confirmed_at)).one() is None


def test_audit_browsing_needs_an_admin(members, librarian, admin):
    with pytest.raises(staff.StaffAccessDenied):
        staff.browse_audit(librarian, now=T0)
    with pytest.raises(staff.StaffAccessDenied):
        staff.require_staff(librarian, admin=True, now=T0)
    assert staff.require_staff(admin, admin=True, now=T0).role == StaffRole.ADMIN
    assert staff.browse_audit(admin, now=T0).total > 0


def test_an_expired_staff_session_is_refused(members, librarian):
    with pytest.raises(staff.StaffAccessDenied):
        staff.search_members(librarian, "name", "한가람", now=T0 + policy.STAFF_SESSION_IDLE_TIMEOUT)


# ---------------------------------------------------------------- search


def test_search_by_each_kind_masks_name_mobile_and_id(members, librarian):
    by_login = staff.search_members(librarian, "login_id", "hangaram", now=T0)
    assert by_login.total == 1
    row = by_login.rows[0]
    assert row == staff.MemberRow(
        member_id=members["garam"], masked_login_id="han*****", masked_name="한*람", masked_mobile="010-****-5926",
        birth_year=1993, grade=Grade.ASSOCIATE, member_type=MemberType.GENERAL, status=MemberStatus.ACTIVE,
        card_number=None,
    )

    by_name = staff.search_members(librarian, "name", " 정회원 ", now=T0)
    assert [r.member_id for r in by_name.rows] == [members["full"]]
    assert by_name.rows[0].card_number == "1570000075"  # in full, for the desk

    by_card = staff.search_members(librarian, "card_number", "1570000075", now=T0)
    assert [r.member_id for r in by_card.rows] == [members["full"]]

    by_last4 = staff.search_members(librarian, "mobile_last4", "5926", now=T0)
    assert [r.member_id for r in by_last4.rows] == [members["garam"], members["full"]]
    assert {r.masked_mobile for r in by_last4.rows} == {"010-****-5926"}

    assert staff.search_members(librarian, "name", "한가", now=T0).total == 0  # exact names only
    assert [e.detail for e in _audit("staff.search")] == [
        "kind=login_id", "kind=name", "kind=card_number", "kind=mobile_last4", "kind=name"]


def test_search_pages_in_member_id_order(database, librarian):
    ids = [_add_member(f"sameid{i:02d}", "김용인", f"010-5555-{1000 + i}") for i in range(7)]

    first = staff.search_members(librarian, "name", "김용인", per_page=3, now=T0)
    third = staff.search_members(librarian, "name", "김용인", page=3, per_page=3, now=T0)
    beyond = staff.search_members(librarian, "name", "김용인", page=4, per_page=3, now=T0)

    assert (first.total, first.pages) == (7, 3)
    assert [r.member_id for r in first.rows] == ids[:3]
    assert [r.member_id for r in third.rows] == ids[6:]
    assert beyond.rows == [] and beyond.total == 7


@pytest.mark.parametrize("kind, query", [
    ("login_id", "abc"), ("login_id", "Hangaram"), ("login_id", "%"),
    ("name", ""), ("name", "   "), ("name", "가" * 51),
    ("card_number", "157000007"), ("card_number", "157000007a"),
    ("mobile_last4", "592"), ("mobile_last4", "59266"), ("mobile_last4", "59%6"), ("mobile_last4", "５９２６"),
    ("email", "x@example.com"),
])
def test_malformed_searches_are_refused_with_a_message(members, librarian, kind, query):
    with pytest.raises(staff.InvalidSearch) as raised:
        staff.search_members(librarian, kind, query, now=T0)
    assert str(raised.value)
    assert _audit("staff.search") == []


def test_paging_arguments_are_checked(members, librarian):
    for page, per_page in ((0, 20), (1, 0), (1, staff.MAX_PER_PAGE + 1)):
        with pytest.raises(staff.InvalidSearch):
            staff.search_members(librarian, "name", "한가람", page=page, per_page=per_page, now=T0)


# ---------------------------------------------------------------- open_member


def test_open_member_writes_the_access_record_with_the_reason(members, librarian, staff_ids):
    with unit_of_work(write=True) as session:
        session.add(MultichildGrant(member_id=members["full"], expires_on=date(2027, 3, 1), loan_limit=10,
                                    applied_by_member_id=members["full"], created_at=T0, updated_at=T0))

    detail = staff.open_member(librarian, members["full"], "회원증 재발급", now=T0)

    assert (detail.name, detail.login_id, detail.mobile) == ("정회원", "jeongwon", "010-2718-5926")
    assert detail.birth_date == date(1993, 6, 1) and detail.sex == Sex.FEMALE
    assert (detail.grade, detail.member_type, detail.status) == (Grade.FULL, MemberType.GENERAL, MemberStatus.ACTIVE)
    assert detail.email == "jeongwon@example.com" and detail.road_address.startswith("경기도 용인시")
    assert detail.home_branch_name and detail.created_at == T0
    assert detail.card_number == "1570000075" and detail.multichild_expires_on == date(2027, 3, 1)
    assert detail.guardian is None
    entry = _audit("staff.member_viewed")[-1]
    assert (entry.actor_type, entry.actor_id, entry.target_member_id, entry.outcome) == (
        "staff", staff_ids["librarian"], members["full"], "ok")
    assert entry.detail == f"reason={staff.ACCESS_REASONS.index('회원증 재발급')}"


def test_open_member_refuses_an_unknown_reason_and_reads_nothing(members, librarian):
    for reason in ("", "그냥", None):
        with pytest.raises(staff.InvalidSearch):
            staff.open_member(librarian, members["garam"], reason, now=T0)
    assert _audit("staff.member_viewed") == []
    with pytest.raises(staff.MemberNotFound):
        staff.open_member(librarian, 999_999, staff.ACCESS_REASONS[1], now=T0)
    assert [e.outcome for e in _audit("staff.member_viewed")] == ["not_found"]


def test_an_id_out_of_range_is_nobody_not_a_database_error(members, librarian, admin):
    # 2**63 and beyond overflow SQLite's INTEGER; 2**31 and beyond PostgreSQL's.
    for member_id in (10**9, 2**31, 2**63, 10**20, -1):
        with pytest.raises(staff.MemberNotFound):
            staff.open_member(librarian, member_id, staff.ACCESS_REASONS[1], now=T0)
        with pytest.raises(staff.PreviewNotOpened):
            staff.preview_card(librarian, member_id, now=T0)
        for filters in ({"member_id": member_id}, {"actor_id": member_id}):
            with pytest.raises(staff.InvalidSearch, match="숫자만"):
                staff.browse_audit(admin, **filters, now=T0)
    assert {e.target_member_id for e in _audit("staff.card_previewed")} == {None}


# ---------------------------------------------------------------- card preview: only a member opened in this session


def _opens() -> list[tuple[int, int]]:
    with unit_of_work() as session:
        return [(o.auth_session_id, o.member_id) for o in session.exec(select(StaffMemberOpen))]


def _session_id(token: str) -> int:
    with unit_of_work() as session:
        return session.exec(select(AuthSession.id).where(AuthSession.token_hash == auth.token_hash(token))).one()


def test_the_preview_needs_the_member_opened_with_a_reason_in_this_session(members, librarian, staff_ids):
    with pytest.raises(staff.PreviewNotOpened) as refused:
        staff.preview_card(librarian, members["full"], now=T0)

    assert str(refused.value) == staff.MSG_PREVIEW_NOT_OPENED
    # Refused and audited as refused; no access record in this staff member's name.
    assert [(e.actor_id, e.target_member_id, e.outcome) for e in _audit("staff.card_previewed")] == [
        (staff_ids["librarian"], members["full"], "not_opened")]
    assert _audit("staff.member_viewed") == []

    staff.open_member(librarian, members["full"], staff.ACCESS_REASONS[0], now=T0)
    assert _opens() == [(_session_id(librarian), members["full"])]
    card = staff.preview_card(librarian, members["full"], now=T0 + timedelta(minutes=5))

    assert card is not None and (card.name, card.card_number) == ("정회원", "1570000075")
    assert _audit("staff.card_previewed")[-1].outcome == "ok"
    # Opened once, previewed as often as needed (another tab of the same session included).
    assert staff.preview_card(librarian, members["full"], now=T0 + timedelta(minutes=6)) == card
    # Opening one member does not open another.
    with pytest.raises(staff.PreviewNotOpened):
        staff.preview_card(librarian, members["garam"], now=T0 + timedelta(minutes=6))


def test_an_opened_member_without_a_card_previews_as_no_card(members, librarian):
    staff.open_member(librarian, members["garam"], staff.ACCESS_REASONS[0], now=T0)
    assert staff.preview_card(librarian, members["garam"], now=T0) is None
    assert _audit("staff.card_previewed")[-1].outcome == "no_card"


def test_another_staff_sessions_open_does_not_count(members, librarian, admin, staff_ids):
    staff.open_member(admin, members["full"], staff.ACCESS_REASONS[1], now=T0)
    # The same librarian logged in on a second PC: another session, with opens of its own.
    second_pc = staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=T0).token
    staff.open_member(second_pc, members["full"], staff.ACCESS_REASONS[1], now=T0)

    with pytest.raises(staff.PreviewNotOpened):
        staff.preview_card(librarian, members["full"], now=T0)
    assert staff.preview_card(admin, members["full"], now=T0) is not None
    assert staff.preview_card(second_pc, members["full"], now=T0) is not None
    assert [e.actor_id for e in _audit("staff.member_viewed")] == [staff_ids["admin"], staff_ids["librarian"]]


def test_an_ended_session_takes_its_opens_with_it(members, librarian, staff_ids):
    staff.open_member(librarian, members["full"], staff.ACCESS_REASONS[0], now=T0)
    auth.logout(librarian, now=T0 + timedelta(minutes=1))
    with pytest.raises(staff.StaffAccessDenied):
        staff.preview_card(librarian, members["full"], now=T0 + timedelta(minutes=1))

    # Logging in again (here, ending the old session as the login page does) starts with no opens.
    again = staff.login_staff("deskone", LIBRARIAN_PASSWORD, previous_token=librarian,
                              now=T0 + timedelta(minutes=2)).token
    with pytest.raises(staff.PreviewNotOpened):
        staff.preview_card(again, members["full"], now=T0 + timedelta(minutes=2))

    # Idle expiry ends it too.
    staff.open_member(again, members["full"], staff.ACCESS_REASONS[0], now=T0 + timedelta(minutes=3))
    with pytest.raises(staff.StaffAccessDenied):
        staff.preview_card(again, members["full"], now=T0 + timedelta(minutes=3) + policy.STAFF_SESSION_IDLE_TIMEOUT)
    assert {e.outcome for e in _audit("staff.card_previewed")} == {"not_opened"}


def test_opens_go_with_their_session_row_and_their_member(members, librarian):
    staff.open_member(librarian, members["full"], staff.ACCESS_REASONS[0], now=T0)
    staff.open_member(librarian, members["garam"], staff.ACCESS_REASONS[0], now=T0)
    with unit_of_work(write=True) as session:
        session.exec(sa.delete(Member).where(Member.id == members["garam"]))
    assert _opens() == [(_session_id(librarian), members["full"])]
    with unit_of_work(write=True) as session:
        session.exec(sa.delete(AuthSession))
    assert _opens() == []


def test_a_member_session_cannot_use_a_staff_sessions_open(members, librarian, member_token):
    staff.open_member(librarian, members["full"], staff.ACCESS_REASONS[0], now=T0)
    with pytest.raises(staff.StaffAccessDenied):
        staff.preview_card(member_token, members["full"], now=T0)


# ---------------------------------------------------------------- guardian visit


def test_guardian_visit_is_confirmed_once(members, librarian, staff_ids):
    with unit_of_work(write=True) as session:
        session.add(Guardian(member_id=members["child"], name="어보호", mobile="010-9999-8888",
                             birth_date=date(1985, 1, 1), ci="CI-G", verified_at=T0))
    before = staff.open_member(librarian, members["child"], "보호자 방문 확인", now=T0)
    assert before.guardian == staff.GuardianInfo("어*호", None) and not before.guardian.visit_confirmed

    staff.confirm_guardian_visit(librarian, members["child"], now=T0 + timedelta(minutes=1))

    with unit_of_work() as session:
        guardian = session.exec(select(Guardian)).one()
    assert guardian.visit_confirmed_at == T0 + timedelta(minutes=1)
    assert guardian.visit_confirmed_by_staff_id == staff_ids["librarian"]
    entry = _audit("staff.guardian_visit_confirmed")[-1]
    assert (entry.actor_id, entry.target_member_id) == (staff_ids["librarian"], members["child"])
    after = staff.open_member(librarian, members["child"], "보호자 방문 확인", now=T0 + timedelta(minutes=2))
    assert after.guardian.visit_confirmed

    with pytest.raises(staff.StaffActionRefused, match="이미"):
        staff.confirm_guardian_visit(librarian, members["child"], now=T0 + timedelta(minutes=3))
    with pytest.raises(staff.StaffActionRefused):
        staff.confirm_guardian_visit(librarian, members["garam"], now=T0)  # not 어린이
    with pytest.raises(staff.MemberNotFound):
        staff.confirm_guardian_visit(librarian, 999_999, now=T0)
    assert len(_audit("staff.guardian_visit_confirmed")) == 1


def test_a_child_without_a_guardian_row_is_refused(members, librarian):
    with pytest.raises(staff.StaffActionRefused):
        staff.confirm_guardian_visit(librarian, members["child"], now=T0)
    assert _audit("staff.guardian_visit_confirmed") == []


# ---------------------------------------------------------------- visit conversion


def test_visit_conversion_issues_a_card_through_the_visit_channel(members, librarian, staff_ids):
    card_number = staff.convert_after_visit(librarian, members["garam"], "재학증명서", NEW_LOAN_PASSWORD, now=T0)

    cards = _cards(members["garam"])
    assert len(cards) == 1 and cards[0].card_number == card_number and card_number.startswith("157")
    assert (cards[0].issue_channel, cards[0].issued_by_staff_id) == ("visit", staff_ids["librarian"])
    assert verify_password(cards[0].loan_password_hash, NEW_LOAN_PASSWORD)
    with unit_of_work() as session:
        assert session.get(Member, members["garam"]).grade == Grade.FULL
    issued = _audit("membership.card_issued")[-1]
    assert (issued.actor_type, issued.actor_id, issued.detail) == ("staff", staff_ids["librarian"], "channel=visit")
    entry = _audit("staff.visit_conversion")[-1]
    assert entry.detail == f"document={staff.VISIT_DOCUMENTS.index('재학증명서')}"

    with pytest.raises(staff.StaffActionRefused):  # now 정회원
        staff.convert_after_visit(librarian, members["garam"], "재학증명서", NEW_LOAN_PASSWORD, now=T0)
    assert len(_cards(members["garam"])) == 1


def test_visit_conversion_checks_document_password_and_member(members, librarian):
    for document, loan_password in (("여권", LOAN_PASSWORD), ("재직증명서", "123"), ("재직증명서", "12a4"),
                                     ("재직증명서", "１２３４")):
        with pytest.raises(staff.InvalidSearch):
            staff.convert_after_visit(librarian, members["garam"], document, loan_password, now=T0)
    with pytest.raises(staff.StaffActionRefused):
        staff.convert_after_visit(librarian, members["full"], "기타", LOAN_PASSWORD, now=T0)
    with pytest.raises(staff.MemberNotFound):
        staff.convert_after_visit(librarian, 999_999, "기타", LOAN_PASSWORD, now=T0)
    assert _cards(members["garam"]) == []
    assert _audit("staff.visit_conversion") == []


# ---------------------------------------------------------------- reissue


def test_reissue_invalidates_the_old_card_and_keeps_the_loan_password(members, librarian, staff_ids):
    later = T0 + timedelta(minutes=5)
    new_number = staff.reissue_card(librarian, members["full"], now=later)

    cards = _cards(members["full"])
    old, new = cards
    assert old.card_number == "1570000075" and new.card_number == new_number != old.card_number
    assert (old.status, old.invalidated_at) == (CardStatus.INVALIDATED, later)
    assert new.status == CardStatus.ACTIVE and new.issued_at == later
    assert [c.status for c in cards].count(CardStatus.ACTIVE) == 1
    assert new.loan_password_hash == old.loan_password_hash
    assert verify_password(new.loan_password_hash, LOAN_PASSWORD)
    assert new.issued_by_staff_id == staff_ids["librarian"]
    entry = _audit("staff.card_reissued")[-1]
    assert (entry.actor_id, entry.target_member_id) == (staff_ids["librarian"], members["full"])
    # The old number still finds its owner; the row shows the new card.
    found = staff.search_members(librarian, "card_number", "1570000075", now=later)
    assert [r.card_number for r in found.rows] == [new_number]

    with pytest.raises(staff.StaffActionRefused):
        staff.reissue_card(librarian, members["garam"], now=later)  # no card
    assert _cards(members["garam"]) == []


# ---------------------------------------------------------------- audit browser


def test_audit_browsing_filters(members, librarian, admin, staff_ids):
    staff.open_member(librarian, members["garam"], staff.ACCESS_REASONS[0], now=T0 + timedelta(minutes=1))
    staff.open_member(admin, members["full"], staff.ACCESS_REASONS[1], now=T0 + timedelta(minutes=2))
    # 2026-12-01 00:30 KST is still 2026-11-30 in UTC.
    next_day = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
    desk = staff.login_staff("deskone", LIBRARIAN_PASSWORD, now=next_day - timedelta(minutes=2)).token
    staff.search_members(desk, "name", "한가람", now=next_day - timedelta(minutes=1))
    fresh = staff.login_staff("bossone", ADMIN_PASSWORD, now=next_day)
    staff.open_member(fresh.token, members["garam"], staff.ACCESS_REASONS[2], now=next_day)

    by_member = staff.browse_audit(fresh.token, member_id=members["garam"], now=next_day)
    assert [r.action for r in by_member.rows][:2] == ["staff.member_viewed", "staff.member_viewed"]
    assert {r.target_member_id for r in by_member.rows} == {members["garam"]}
    assert by_member.rows[0].occurred_at == next_day  # newest first

    by_actor = staff.browse_audit(fresh.token, actor_id=staff_ids["librarian"], action="staff.member_viewed",
                                  now=next_day)
    assert [(r.actor_id, r.target_member_id, r.detail) for r in by_actor.rows] == [
        (staff_ids["librarian"], members["garam"], "reason=0")]

    on_the_30th = staff.browse_audit(fresh.token, action="staff.member_viewed", date_from=date(2026, 11, 30),
                                     date_to=date(2026, 11, 30), now=next_day)
    assert [r.target_member_id for r in on_the_30th.rows] == [members["full"], members["garam"]]
    on_the_1st = staff.browse_audit(fresh.token, action="staff.member_viewed", date_from=date(2026, 12, 1),
                                    now=next_day)
    assert [r.detail for r in on_the_1st.rows] == ["reason=2"]

    paged = staff.browse_audit(fresh.token, per_page=2, page=2, now=next_day)
    everything = staff.browse_audit(fresh.token, per_page=100, now=next_day)
    assert paged.total == everything.total and paged.rows == everything.rows[2:4]


def test_no_audit_row_holds_a_name_a_mobile_a_query_or_a_password(members, librarian, admin):
    with unit_of_work(write=True) as session:
        session.add(Guardian(member_id=members["child"], name="어보호", mobile="010-9999-8888",
                             birth_date=date(1985, 1, 1), ci="CI-G", verified_at=T0))
    staff.login_staff("deskone", "Wrong-password-123", now=T0)
    for kind, query in (("login_id", "hangaram"), ("name", "한가람"), ("card_number", "1570000075"),
                        ("mobile_last4", "5926")):
        staff.search_members(librarian, kind, query, now=T0)
    for member_id in members.values():
        staff.open_member(librarian, member_id, staff.ACCESS_REASONS[5], now=T0)
    staff.confirm_guardian_visit(librarian, members["child"], now=T0)
    staff.convert_after_visit(librarian, members["garam"], "신분증(경기도 주소)", NEW_LOAN_PASSWORD, now=T0)
    staff.reissue_card(librarian, members["full"], now=T0)
    staff.browse_audit(admin, now=T0)

    text = " ".join(
        f"{e.actor_type} {e.actor_id} {e.action} {e.target_member_id} {e.outcome} {e.detail}" for e in _audit())
    for secret in ("한가람", "정회원", "어린이", "어보호", "김사서", "3141", "5926", "2718", "9999", "2222",
                   "hangaram", "jeongwon", "1570000075", LIBRARIAN_PASSWORD, ADMIN_PASSWORD, "Wrong-password",
                   NEW_LOAN_PASSWORD, LOAN_PASSWORD, "재직", "신분증", "민원"):
        assert secret not in text, secret


# ---------------------------------------------------------------- mobile_last4 kept in step


def test_profile_update_and_withdrawal_keep_mobile_last4_in_step(members, librarian):
    token = auth.login_member("hangaram", MEMBER_PASSWORD, now=T0).token
    assert account.reauthenticate(members["garam"], token, MEMBER_PASSWORD, now=T0)
    form = {
        "mobile_prefix": "010", "mobile_middle": "2718", "mobile_last": "8080", "sms_consent": False,
        "email_local": "", "email_domain": "", "landline_middle": "", "landline_last": "",
        "postal_code": "16950", "road_address": "경기도 용인시 기흥구 구성로 102", "address_detail": "",
        "home_branch": "MD",
    }
    assert account.update_profile(members["garam"], token, form, now=T0).ok
    with unit_of_work() as session:
        assert session.get(Member, members["garam"]).mobile_last4 == "8080"
    assert [r.member_id for r in staff.search_members(librarian, "mobile_last4", "8080", now=T0).rows] == [
        members["garam"]]
    assert staff.search_members(librarian, "mobile_last4", "5926", now=T0).total == 1  # only the other member

    assert account.withdraw(members["garam"], token, MEMBER_PASSWORD, True, now=T0).ok
    with unit_of_work() as session:
        assert session.get(Member, members["garam"]).mobile_last4 is None
