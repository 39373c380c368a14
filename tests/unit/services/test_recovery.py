"""아이디 찾기 and 비밀번호 재설정 against the sandbox identity provider and a real SQLite database,
with the clock passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import func, select

from tests.unit.send_limits import forget_send_limits
from yongin_app.db import unit_of_work
from yongin_app.domain import messages as rule_messages
from yongin_app.domain.enums import MemberStatus, MemberType, Nationality, OAuthProvider, Sex
from yongin_app.models import AuditLog, IdentityCheck, Member, SocialLink
from yongin_app.ports.sandbox.identity import SANDBOX_CODE, sandbox_ci, sandbox_di
from yongin_app.services import auth, messages, recovery, social
from yongin_app.services.passwords import hash_password

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
SIGNED_UP = datetime(2025, 3, 1, 16, 30, tzinfo=UTC)  # 2025-03-02 01:30 in Korea
PASSWORD = "Sejong-Book#2026"
NEW_PASSWORD = "Hangul-Day!1446"
WRONG_CODE = "000000"

# Sandbox registry people (sandbox.md): name, birth date YYYYMMDD, phone.
P1 = ("홍길동", "19900101", "010-1234-5678")
P2 = ("김용인", "19850315", "010-2222-3333")


def _add_member(login_id: str = "hongildong", key: str = "P1", *, name: str = "홍길동",
                birth_date: date = date(1990, 1, 1), mobile: str = "010-1234-5678",
                status: MemberStatus = MemberStatus.ACTIVE) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash=hash_password(PASSWORD), name=name, birth_date=birth_date,
            sex=Sex.MALE, nationality=Nationality.DOMESTIC, ci=sandbox_ci(key), di=sandbox_di(key),
            member_type=MemberType.GENERAL, mobile=mobile, status=status,
            created_at=SIGNED_UP, updated_at=SIGNED_UP,
        )
        session.add(member)
        session.flush()
        return member.id


@pytest.fixture
def hong(database) -> int:
    return _add_member()


def _member(member_id: int) -> Member:
    with unit_of_work() as session:
        return session.get(Member, member_id)


def _checks() -> int:
    with unit_of_work() as session:
        return session.exec(select(func.count()).select_from(IdentityCheck)).one()


def _start_find(person=P1, method: str = "phone", now: datetime = T0) -> str:
    name, birth, phone = person
    forget_send_limits()
    started = recovery.start_find_id(method, name, birth, phone, now=now)
    assert started.ok and started.sandbox_code == SANDBOX_CODE, started.message
    return started.token


def _start_reset(login_id: str = "hongildong", person=P1, method: str = "phone", now: datetime = T0) -> str:
    name, birth, phone = person
    forget_send_limits()
    started = recovery.start_reset(login_id, method, name, birth, phone, now=now)
    assert started.ok and started.sandbox_code == SANDBOX_CODE, started.message
    return started.token


def _verified_reset(login_id: str = "hongildong", now: datetime = T0) -> str:
    token = _start_reset(login_id, now=now)
    assert recovery.verify_reset(token, SANDBOX_CODE, now=now) is True
    return token


# ---------------------------------------------------------------- 아이디 찾기


def test_find_id_shows_the_masked_id_and_the_signup_day(hong):
    token = _start_find()

    found = recovery.finish_find_id(token, SANDBOX_CODE, now=T0)

    assert found == recovery.FoundId(masked_login_id="hon*******", signed_up_on=date(2025, 3, 2))


def test_find_id_works_with_ipin_and_card_without_a_phone(hong):
    for method in ("ipin", "card"):
        token = _start_find(("홍길동", "1990-01-01", ""), method=method)
        assert recovery.finish_find_id(token, SANDBOX_CODE, now=T0).masked_login_id == "hon*******"


def test_find_id_for_a_person_without_an_account_says_so_and_hints_at_signup(hong):
    token = _start_find(P2)

    answer = recovery.finish_find_id(token, SANDBOX_CODE, now=T0)

    assert answer == messages.FIND_ID_NOT_FOUND and "회원가입" in answer


def test_find_id_ignores_a_withdrawn_account(database):
    _add_member(status=MemberStatus.WITHDRAWN)
    token = _start_find()
    assert recovery.finish_find_id(token, SANDBOX_CODE, now=T0) == messages.FIND_ID_NOT_FOUND


@pytest.mark.parametrize(
    ("method", "name", "birth", "phone", "message"),
    [
        ("fax", *P1, messages.RECOVERY_METHOD_REQUIRED),
        ("phone", " ", "19900101", "010-1234-5678", messages.VERIFY_NAME_REQUIRED),
        ("phone", "홍길동", "1990011", "010-1234-5678", messages.VERIFY_BIRTH_DATE_INVALID),
        ("phone", "홍길동", "19901301", "010-1234-5678", messages.VERIFY_BIRTH_DATE_INVALID),
        ("phone", "홍길동", "19900101", "", messages.VERIFY_PHONE_REQUIRED),
        ("phone", "홍길동", "19900101", "02-123-4567", rule_messages.MOBILE_INVALID),
        ("phone", "홍길동", "19900101", "010-9999-9999", messages.VERIFY_NOT_FOUND),
        ("ipin", "홍길순", "19900101", "", messages.VERIFY_NOT_FOUND),
    ],
)
def test_start_checks_the_input_and_stores_nothing_on_failure(database, method, name, birth, phone, message):
    started = recovery.start_find_id(method, name, birth, phone, now=T0)
    assert started == recovery.CheckStarted(False, message)
    assert _checks() == 0


def test_a_wrong_code_counts_and_the_third_uses_the_check_up(hong):
    token = _start_find()

    assert recovery.finish_find_id(token, "", now=T0) == messages.VERIFY_CODE_REQUIRED  # not counted
    assert recovery.finish_find_id(token, WRONG_CODE, now=T0) == messages.VERIFY_WRONG_CODE
    assert recovery.finish_find_id(token, WRONG_CODE, now=T0) == messages.VERIFY_WRONG_CODE
    assert recovery.finish_find_id(token, WRONG_CODE, now=T0) == messages.VERIFY_TOO_MANY_CODES

    assert recovery.finish_find_id(token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING
    new_token = _start_find()
    assert recovery.finish_find_id(new_token, SANDBOX_CODE, now=T0).masked_login_id == "hon*******"


def test_a_find_id_check_is_spent_once_and_expires_after_ten_minutes(hong):
    token = _start_find()
    assert isinstance(recovery.finish_find_id(token, SANDBOX_CODE, now=T0), recovery.FoundId)
    assert recovery.finish_find_id(token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING

    token = _start_find()
    late = T0 + recovery.CHECK_LIFETIME
    assert recovery.CHECK_LIFETIME == timedelta(minutes=10)
    assert recovery.finish_find_id(token, SANDBOX_CODE, now=late) == messages.RECOVERY_CHECK_MISSING
    assert recovery.finish_find_id("not-a-token", SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING


def test_tokens_do_not_cross_purposes(hong):
    find_token = _start_find()
    reset_token = _start_reset()
    assert recovery.verify_reset(find_token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING
    assert recovery.finish_find_id(reset_token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING


def test_a_check_keeps_no_code_and_only_the_token_hash(hong):
    token = _start_find()
    with unit_of_work() as session:
        row = session.exec(select(IdentityCheck)).one()
    assert row.token_hash != token and len(row.token_hash) == 64
    assert (row.purpose, row.method, row.name, row.birth_date, row.phone) == (
        "find_id", "phone", "홍길동", date(1990, 1, 1), "010-1234-5678")
    assert SANDBOX_CODE not in repr(row.model_dump())
    assert row.expires_at == T0 + timedelta(minutes=10)


def test_starting_purges_expired_checks(hong):
    _start_find()
    _start_reset()
    assert _checks() == 2
    later = T0 + timedelta(minutes=10)
    _start_find(now=later)
    assert _checks() == 1
    assert recovery.purge_expired_checks(now=later + timedelta(minutes=10)) == 1
    assert _checks() == 0


# ---------------------------------------------------------------- 비밀번호 재설정


def test_reset_sets_the_new_password_unlocks_and_ends_every_session(hong):
    tokens = [auth.login_member("hongildong", PASSWORD, now=T0).token for _ in range(2)]
    assert all(tokens)
    with unit_of_work(write=True) as session:
        member = session.get(Member, hong)
        member.failed_login_count, member.locked_until = 3, T0 + timedelta(minutes=30)
        session.add(member)
    assert not auth.login_member("hongildong", PASSWORD, now=T0).ok  # locked

    token = _verified_reset()
    result = recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0)

    assert result == recovery.ResetResult(True, message=messages.PASSWORD_RESET_DONE)
    member = _member(hong)
    assert (member.failed_login_count, member.locked_until) == (0, None)
    assert all(auth.resolve_session(old, now=T0) is None for old in tokens)
    assert not auth.login_member("hongildong", PASSWORD, now=T0).ok
    assert auth.login_member("hongildong", NEW_PASSWORD, now=T0).ok


def test_reset_removes_every_sns_link_and_says_they_can_be_linked_again(hong):
    other = _add_member("kimyongin", "P2", name="김용인", birth_date=date(1985, 3, 15), mobile="010-2222-3333")
    with unit_of_work(write=True) as session:
        social.link_to_member(session, hong, OAuthProvider.KAKAO, "3000000001", T0)
        social.link_to_member(session, hong, OAuthProvider.NAVER, "naver-1", T0)
        social.link_to_member(session, other, OAuthProvider.KAKAO, "3000000002", T0)
    session_token = auth.login_member("hongildong", PASSWORD, now=T0).token

    result = recovery.finish_reset(_verified_reset(), NEW_PASSWORD, NEW_PASSWORD, now=T0)

    assert result == recovery.ResetResult(True, message=messages.PASSWORD_RESET_DONE_LINKS_REMOVED)
    assert "다시 연동할 수 있습니다" in result.message
    with unit_of_work() as session:
        assert [link.member_id for link in session.exec(select(SocialLink))] == [other]
        unlinked = session.exec(select(AuditLog).where(AuditLog.action == "social.unlink")).all()
        reset = session.exec(select(AuditLog).where(AuditLog.action == "account.password_reset",
                                                    AuditLog.outcome == "ok")).one()
    assert sorted((e.outcome, e.target_member_id, e.detail) for e in unlinked) == [
        ("password_reset", hong, "kakao"), ("password_reset", hong, "naver")]
    assert reset.detail == "sessions_ended=1,social_links_removed=2"
    assert auth.resolve_session(session_token, now=T0) is None
    assert not social.login_with_social(OAuthProvider.KAKAO, "3000000001", now=T0).ok


def test_reset_without_links_keeps_the_plain_message(hong):
    result = recovery.finish_reset(_verified_reset(), NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert result.message == messages.PASSWORD_RESET_DONE


def test_a_reset_token_cannot_be_reused(hong):
    token = _verified_reset()
    assert recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0).ok

    again = recovery.finish_reset(token, "Another-Pass#99", "Another-Pass#99", now=T0)
    assert again == recovery.ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
    assert recovery.verify_reset(token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING
    assert auth.login_member("hongildong", NEW_PASSWORD, now=T0).ok


def test_a_wrong_id_and_a_different_person_get_the_same_answer(hong):
    _add_member("kimyongin", "P2", name="김용인", birth_date=date(1985, 3, 15), mobile="010-2222-3333")
    unknown_id = _start_reset("nobody1234")
    other_person = _start_reset("hongildong", P2)

    first = recovery.verify_reset(unknown_id, SANDBOX_CODE, now=T0)
    second = recovery.verify_reset(other_person, SANDBOX_CODE, now=T0)

    assert first == second == messages.RESET_IDENTITY_MISMATCH
    for token in (unknown_id, other_person):  # both checks are spent
        assert recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0).message == (
            messages.RECOVERY_CHECK_MISSING)
    assert auth.login_member("hongildong", PASSWORD, now=T0).ok
    assert auth.login_member("kimyongin", PASSWORD, now=T0).ok


def test_start_reset_answers_the_same_for_an_unknown_id(hong):
    known = recovery.start_reset("hongildong", "phone", *P1, now=T0)
    forget_send_limits()
    unknown = recovery.start_reset("nobody1234", "phone", *P1, now=T0)
    assert (known.ok, known.message, known.sandbox_code) == (unknown.ok, unknown.message, unknown.sandbox_code)
    assert recovery.start_reset("", "phone", *P1, now=T0) == recovery.CheckStarted(
        False, messages.RESET_LOGIN_ID_REQUIRED)
    # An identity the provider does not know: the same message as in signup.
    forget_send_limits()
    assert recovery.start_reset("hongildong", "phone", "홍길동", "19900101", "010-0000-0000", now=T0) == (
        recovery.CheckStarted(False, messages.VERIFY_NOT_FOUND))


def test_a_withdrawn_account_cannot_be_reset(database):
    _add_member(status=MemberStatus.WITHDRAWN)
    token = _start_reset()
    assert recovery.verify_reset(token, SANDBOX_CODE, now=T0) == messages.RESET_IDENTITY_MISMATCH


def test_three_wrong_codes_end_a_reset_check(hong):
    token = _start_reset()
    answers = [recovery.verify_reset(token, WRONG_CODE, now=T0) for _ in range(3)]
    assert answers == [messages.VERIFY_WRONG_CODE, messages.VERIFY_WRONG_CODE, messages.VERIFY_TOO_MANY_CODES]
    assert recovery.verify_reset(token, SANDBOX_CODE, now=T0) == messages.RECOVERY_CHECK_MISSING


def test_the_new_password_needs_a_verified_check(hong):
    token = _start_reset()
    result = recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert result == recovery.ResetResult(False, message=messages.RESET_NOT_VERIFIED)
    assert auth.login_member("hongildong", PASSWORD, now=T0).ok


def test_weak_or_mismatched_passwords_keep_the_check_usable(hong):
    token = _verified_reset()

    weak = recovery.finish_reset(token, "hongildong-19900101", "hongildong-19900101", now=T0)
    assert not weak.ok and weak.message == messages.RESET_HAS_ERRORS
    assert weak.errors == {"new_password": rule_messages.PASSWORD_CONTAINS_LOGIN_ID}
    with_phone = recovery.finish_reset(token, "Book#12345678!", "Book#12345678!", now=T0)
    assert with_phone.errors == {"new_password": rule_messages.PASSWORD_CONTAINS_PHONE}

    mismatch = recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD + "x", now=T0)
    assert mismatch.errors == {"new_password_confirm": messages.PASSWORD_CONFIRM_MISMATCH}
    empty = recovery.finish_reset(token, NEW_PASSWORD, "", now=T0)
    assert empty.errors == {"new_password_confirm": messages.PASSWORD_CONFIRM_REQUIRED}

    assert recovery.verify_reset(token, "", now=T0) is True  # still verified
    assert recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0).ok


def test_a_reset_check_expires_ten_minutes_after_it_started(hong):
    token = _verified_reset()
    late = T0 + timedelta(minutes=10)
    result = recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=late)
    assert result == recovery.ResetResult(False, message=messages.RECOVERY_CHECK_MISSING)
    assert recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD,
                                 now=T0 + timedelta(minutes=9, seconds=59)).ok


def test_deleting_a_member_deletes_its_pending_reset_check(hong):
    _start_reset()
    with unit_of_work(write=True) as session:
        session.delete(session.get(Member, hong))
    assert _checks() == 0


def test_the_audit_log_holds_no_personal_data(hong):
    token = _start_find()
    recovery.finish_find_id(token, SANDBOX_CODE, now=T0)
    recovery.verify_reset(_start_reset("nobody1234"), SANDBOX_CODE, now=T0)
    token = _verified_reset()
    recovery.finish_reset(token, NEW_PASSWORD, NEW_PASSWORD, now=T0)

    with unit_of_work() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action.in_(
            [recovery.AUDIT_FIND_ID, recovery.AUDIT_PASSWORD_RESET]))).all()
    outcomes = [(row.action, row.outcome) for row in rows]
    assert outcomes == [
        ("account.find_id", "found"),
        ("account.password_reset", "identity_mismatch"),
        ("account.password_reset", "verified"),
        ("account.password_reset", "ok"),
    ]
    text = "\n".join(f"{r.action}|{r.outcome}|{r.detail or ''}" for r in rows)
    for secret in ("홍길동", "1990", "1234-5678", "hongildong", "nobody", NEW_PASSWORD, sandbox_ci("P1")):
        assert secret not in text
