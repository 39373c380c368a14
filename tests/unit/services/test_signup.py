"""The signup use cases against the sandbox identity provider and a real SQLite database."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import func, select

from tests.unit.send_limits import forget_send_limits
from yongin_app.db import unit_of_work
from yongin_app.domain import messages as rule_messages
from yongin_app.domain.enums import Grade, MemberType, OAuthProvider
from yongin_app.models import Guardian, Member, SignupDraft, SocialLink
from yongin_app.services import auth, messages, signup

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Sejong-Book#2026"

# Sandbox registry people (sandbox.md): name, birth date YYYYMMDD, phone.
P1 = ("홍길동", "19900101", "010-1234-5678")
P2 = ("김용인", "19850315", "010-2222-3333")
C1 = ("홍길순", "20200111", None)
C3 = ("김하나", "20100505", "010-2222-4444")
ADULTS = [
    P1, P2, ("이수원", "19880707", "010-3333-4444"), ("박서울", "19920202", "010-4444-5555"),
    ("최한솔", "19800404", "010-5555-6666"), ("정다온", "19700606", "010-6666-7777"),
    ("존스미스", "19950505", "010-7777-8888"), ("오류시험", "19990909", "010-9999-0000"),
]

INFO = {
    "mobile_prefix": "010", "mobile_middle": "1234", "mobile_last": "5678", "sms_consent": True,
    "email_local": "gildong", "email_domain": "example.com", "email_consent": True,
    "postal_code": "17019", "road_address": "경기도 용인시 처인구 중부대로 1199", "address_detail": "3층",
    "home_branch": "MA",
}


def _verify(token: str, person, who: str = signup.WHO_SELF) -> signup.StepResult:
    name, birth, phone = person
    method = "phone" if phone else "ipin"
    forget_send_limits()
    sent = signup.request_code(token, who, method, name, birth, phone or "", now=NOW)
    assert sent.ok and sent.sandbox_code == "123456", sent.message
    return signup.confirm_code(token, who, method, name, birth, phone or "", "123456", now=NOW)


def _general_until_info(person=P1) -> str:
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert _verify(token, person).ok
    assert signup.accept_terms(token, ["service", "privacy"], now=NOW).ok
    return token


def _submit(token: str, login_id: str, **overrides) -> signup.SubmitResult:
    assert signup.check_login_id(token, login_id, now=NOW).ok
    form = {**INFO, "login_id": login_id, "password": PASSWORD, "password_confirm": PASSWORD, **overrides}
    return signup.submit(token, form, now=NOW)


def test_general_signup_creates_an_associate_member_and_logs_in(database):
    token = _general_until_info()
    view = signup.get_draft(token, now=NOW)
    assert (view.verified_name, view.verified_birth_date, view.verified_sex) == ("홍길동", date(1990, 1, 1), "남")
    assert view.fields["mobile_middle"] == "1234"  # the verified phone is offered

    result = _submit(token, "gildong90")

    assert result.ok, result.errors
    with unit_of_work() as session:
        member = session.exec(select(Member).where(Member.login_id == "gildong90")).one()
        assert session.exec(select(func.count()).select_from(SignupDraft)).one() == 0
    assert (member.name, member.grade, member.member_type) == ("홍길동", Grade.ASSOCIATE, MemberType.GENERAL)
    assert member.mobile == "010-1234-5678" and member.email == "gildong@example.com"
    assert member.home_branch_code == "MA" and member.ci and member.di
    assert auth.resolve_session(result.session_token, now=NOW).member_id == member.id


def test_child_signup_needs_the_guardian_first_and_keeps_the_guardian(database):
    token, view = signup.start_draft(signup.KIND_CHILD, now=NOW)
    assert view.progress == signup.PROGRESS_GUARDIAN
    # The child cannot verify before the guardian.
    assert signup.request_code(token, signup.WHO_SELF, "ipin", *C1[:2], "", now=NOW).message == messages.STEP_NOT_READY

    assert signup.save_guardian_input(token, "홍길동", "01012345678", now=NOW).ok
    assert _verify(token, P1, who=signup.WHO_GUARDIAN).ok
    assert _verify(token, C1).ok
    assert not signup.accept_terms(token, ["service", "privacy"], now=NOW).ok  # 법정대리인 동의 is required
    assert signup.accept_terms(token, ["service", "privacy", "guardian"], now=NOW).ok
    result = _submit(token, "gilsoon20", mobile_middle="1234", mobile_last="5678")

    assert result.ok, result.errors
    with unit_of_work() as session:
        member = session.exec(select(Member).where(Member.login_id == "gilsoon20")).one()
        guardian = session.exec(select(Guardian).where(Guardian.member_id == member.id)).one()
    assert member.member_type == MemberType.CHILD and member.grade == Grade.ASSOCIATE
    assert (guardian.name, guardian.mobile, guardian.visit_confirmed_at) == ("홍길동", "010-1234-5678", None)


def test_guardian_name_must_match_and_guardian_must_be_19(database):
    token, _ = signup.start_draft(signup.KIND_CHILD, now=NOW)
    signup.save_guardian_input(token, "홍길순", "010-1234-5678", now=NOW)
    sent = signup.request_code(token, signup.WHO_GUARDIAN, "phone", "", "19900101", "", now=NOW)
    assert not sent.ok and sent.message == messages.VERIFY_NOT_FOUND  # the typed name is not the phone's owner

    signup.save_guardian_input(token, "김하나", "010-2222-4444", now=NOW)
    result = _verify(token, C3, who=signup.WHO_GUARDIAN)
    assert not result.ok and result.message == messages.GUARDIAN_TOO_YOUNG
    assert signup.get_draft(token, now=NOW).progress == signup.PROGRESS_GUARDIAN


def test_under_14_choosing_general_is_sent_to_child_signup(database):
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    result = _verify(token, C1)
    assert not result.ok and result.message == messages.VERIFY_UNDER_14_USE_CHILD
    assert signup.get_draft(token, now=NOW).progress == signup.PROGRESS_VERIFY


def test_a_second_signup_of_the_same_person_is_refused(database):
    assert _submit(_general_until_info(), "gildong90").ok
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    result = _verify(token, P1)
    assert not result.ok and result.already_member and result.message == messages.VERIFY_ALREADY_MEMBER


def test_three_wrong_codes_end_the_attempt(database):
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    signup.request_code(token, signup.WHO_SELF, "phone", *P1, now=NOW)
    outcomes = [signup.confirm_code(token, signup.WHO_SELF, "phone", *P1, "000000", now=NOW) for _ in range(3)]
    assert [o.message for o in outcomes] == [messages.VERIFY_WRONG_CODE] * 2 + [messages.VERIFY_TOO_MANY_CODES]
    again = signup.confirm_code(token, signup.WHO_SELF, "phone", *P1, "123456", now=NOW)
    assert again.message == messages.VERIFY_CODE_NOT_SENT


def test_no_step_can_be_skipped(database):
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert signup.accept_terms(token, ["service", "privacy"], now=NOW).message == messages.STEP_NOT_READY
    assert not signup.check_login_id(token, "gildong90", now=NOW).ok
    assert not signup.submit(token, {**INFO, "login_id": "x"}, now=NOW).ok
    assert signup.get_draft(token, now=NOW).progress == signup.PROGRESS_VERIFY
    assert not signup.reached(signup.get_draft(token, now=NOW), signup.PROGRESS_INFO)


def test_bad_entries_get_a_message_per_field_and_are_kept(database):
    token = _general_until_info()
    signup.check_login_id(token, "gildong90", now=NOW)
    form = {**INFO, "login_id": "gildong90", "password": "gildong90!a", "password_confirm": "different",
            "mobile_middle": "12", "email_domain": "", "home_branch": "", "address_detail": "한가람아파트 101동"}
    result = signup.submit(token, form, now=NOW)

    assert not result.ok and result.message == messages.SUBMIT_HAS_ERRORS
    assert result.errors["password"] == rule_messages.PASSWORD_CONTAINS_LOGIN_ID
    assert result.errors["password_confirm"] == messages.PASSWORD_CONFIRM_MISMATCH
    assert result.errors["mobile"] == rule_messages.MOBILE_INVALID
    assert result.errors["email"] == rule_messages.EMAIL_INVALID
    assert result.errors["home_branch"] == messages.BRANCH_REQUIRED
    view = signup.get_draft(token, now=NOW)
    assert view.fields["address_detail"] == "한가람아파트 101동" and view.fields["mobile_middle"] == "12"
    with unit_of_work() as session:
        stored = json.dumps(session.exec(select(SignupDraft.data)).one(), ensure_ascii=False)
    assert "gildong90!a" not in stored and "different" not in stored


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1!", rule_messages.PASSWORD_COMPOSITION),
        ("onlyletters", rule_messages.PASSWORD_COMPOSITION),
        ("password123", rule_messages.PASSWORD_COMMON),
        ("Hong19900101!", rule_messages.PASSWORD_CONTAINS_BIRTH_DATE),
    ],
)
def test_password_rule_failures_say_which_part_failed(database, password, expected):
    token = _general_until_info()
    result = _submit(token, "gildong90", password=password, password_confirm=password)
    assert result.errors["password"] == expected


def test_the_id_must_be_checked_again_after_a_change(database):
    token = _general_until_info()
    assert signup.check_login_id(token, "gildong90", now=NOW).message == messages.LOGIN_ID_AVAILABLE
    signup.save_fields(token, {"login_id": "gildong91"}, now=NOW)
    form = {**INFO, "login_id": "gildong91", "password": PASSWORD, "password_confirm": PASSWORD}
    assert signup.submit(token, form, now=NOW).errors["login_id"] == messages.LOGIN_ID_NOT_CHECKED


def _draft_updated_at() -> datetime:
    with unit_of_work() as session:
        return session.exec(select(SignupDraft.updated_at)).one()


def test_a_submit_with_nothing_new_writes_no_draft_and_one_with_a_change_keeps_it(database):
    token = _general_until_info()
    assert signup.save_fields(token, INFO, now=NOW).ok  # every field kept on blur
    assert signup.check_login_id(token, "gildong90", now=NOW).ok
    kept_at = _draft_updated_at()
    later = NOW + timedelta(minutes=5)
    never_typed = {"landline_area": "", "landline_middle": "", "landline_last": ""}
    form = {**INFO, **never_typed, "login_id": "gildong90", "password": PASSWORD, "password_confirm": "different"}

    refused = signup.submit(token, form, now=later)
    assert refused.errors == {"password_confirm": messages.PASSWORD_CONFIRM_MISMATCH}
    assert _draft_updated_at() == kept_at  # nothing new: not written again

    refused = signup.submit(token, {**form, "address_detail": "4층"}, now=later)
    assert refused.errors == {"password_confirm": messages.PASSWORD_CONFIRM_MISMATCH}
    assert _draft_updated_at() != kept_at
    assert signup.get_draft(token, now=later).fields["address_detail"] == "4층"

    assert signup.submit(token, {**form, "address_detail": "4층", "password_confirm": PASSWORD}, now=later).ok
    with unit_of_work() as session:
        member = session.exec(select(Member).where(Member.login_id == "gildong90")).one()
    assert member.address_detail == "4층" and member.sms_consent and member.email == "gildong@example.com"


def test_duplicate_check_reports_taken_ids_including_reserved_ones(database):
    assert _submit(_general_until_info(), "gildong90").ok
    token = _general_until_info(P2)
    assert signup.check_login_id(token, "gildong90", now=NOW).message == messages.LOGIN_ID_TAKEN
    assert signup.check_login_id(token, "admin", now=NOW).message == rule_messages.LOGIN_ID_RESERVED
    assert signup.check_login_id(token, "Gildong", now=NOW).message == rule_messages.LOGIN_ID_UPPERCASE


def _draft_times() -> tuple[datetime, datetime]:
    with unit_of_work() as session:
        updated, expires = session.exec(select(SignupDraft.updated_at, SignupDraft.expires_at)).one()
    return tuple(t if t.tzinfo else t.replace(tzinfo=UTC) for t in (updated, expires))


def test_a_repeated_duplicate_check_writes_the_draft_only_when_something_changed(database):
    token = _general_until_info()
    assert signup.check_login_id(token, "gildong90", now=NOW).ok
    assert _draft_times() == (NOW, NOW + signup.DRAFT_LIFETIME)

    soon = NOW + timedelta(minutes=1)
    assert signup.check_login_id(token, "gildong90", now=soon).message == messages.LOGIN_ID_AVAILABLE
    assert _draft_times() == (NOW, NOW + signup.DRAFT_LIFETIME)  # same ID, same answer: nothing written
    assert signup.get_draft(token, now=soon).checked_login_id == "gildong90"

    other = soon + timedelta(seconds=1)
    assert signup.check_login_id(token, "gildong91", now=other).ok  # another ID: written
    assert _draft_times() == (other, other + signup.DRAFT_LIFETIME)
    assert signup.get_draft(token, now=other).checked_login_id == "gildong91"

    later = other + signup.DRAFT_TOUCH_INTERVAL  # unchanged, but the lifetime is due to slide
    assert signup.check_login_id(token, "gildong91", now=later).ok
    assert _draft_times() == (later, later + signup.DRAFT_LIFETIME)


def test_a_duplicate_check_whose_answer_changed_is_written(database):
    token = _general_until_info()
    assert signup.check_login_id(token, "gildong90", now=NOW).ok
    assert _submit(_general_until_info(P2), "gildong90").ok  # someone else takes the ID meanwhile
    soon = NOW + timedelta(minutes=1)
    assert signup.check_login_id(token, "gildong90", now=soon).message == messages.LOGIN_ID_TAKEN
    assert signup.get_draft(token, now=soon).checked_login_id == ""
    assert _draft_times()[0] == soon


def test_only_draft_writes_commit_without_waiting_for_the_disk(database, database_kind):
    """SET LOCAL synchronous_commit = off (PostgreSQL) for the 중복체크's unit (its draft write and its
    rate-limit counters, in one transaction), never for a unit that writes an account, a card or an audit
    record."""
    from sqlalchemy import event

    from yongin_app.db import commit_without_waiting_for_disk, get_engine
    from yongin_app.services import membership

    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    token = _general_until_info()
    event.listen(get_engine(), "before_cursor_execute", seen)
    try:
        assert signup.check_login_id(token, "gildong90", now=NOW).ok
        relaxed = [s for s in statements if "synchronous_commit" in s]
        assert relaxed == (["SET LOCAL synchronous_commit = off"] if database_kind == "postgresql" else [])
        statements.clear()
        result = signup.submit(token, {**INFO, "login_id": "gildong90", "password": PASSWORD,
                                       "password_confirm": PASSWORD}, now=NOW)
        assert result.ok
        assert auth.login_member("gildong90", PASSWORD, now=NOW).ok
        assert membership.apply_online(result.member_id, consent=True, rrn_back="1234567", loan_password="2580",
                                       loan_password_confirm="2580", now=NOW).outcome == membership.Outcome.ISSUED
        assert any(s.startswith("INSERT INTO membercard") for s in statements)
        assert not [s for s in statements if "synchronous_commit" in s]
    finally:
        event.remove(get_engine(), "before_cursor_execute", seen)
    if database_kind == "postgresql":  # SET LOCAL: for that one transaction only
        with unit_of_work() as session:
            commit_without_waiting_for_disk(session)
            assert session.connection().exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
        with unit_of_work() as session:
            assert session.connection().exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_parallel_signups_with_one_id_make_exactly_one_account(database):
    tokens = [_general_until_info(person) for person in ADULTS]
    for token in tokens:
        assert signup.check_login_id(token, "samename1", now=NOW).ok
    barrier = threading.Barrier(len(tokens))
    results: list[signup.SubmitResult] = []
    lock = threading.Lock()

    def submit(token: str) -> None:
        form = {**INFO, "login_id": "samename1", "password": PASSWORD, "password_confirm": PASSWORD}
        barrier.wait()
        outcome = signup.submit(token, form, now=NOW)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=submit, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.ok for r in results) == 1
    assert all(r.errors == {"login_id": messages.LOGIN_ID_TAKEN} for r in results if not r.ok)
    with unit_of_work() as session:
        assert session.exec(select(func.count()).select_from(Member)).one() == 1


def test_social_account_chosen_at_signup_is_linked(database):
    token = _general_until_info()
    draft = signup.draft_id(token, now=NOW)
    assert not signup.attach_social(token, draft + 1, OAuthProvider.KAKAO, "k-1", "길동", now=NOW).ok
    assert signup.attach_social(token, draft, OAuthProvider.KAKAO, "k-1", "길동", now=NOW).ok
    assert signup.get_draft(token, now=NOW).social == {"kakao": "길동"}
    assert _submit(token, "gildong90").ok
    with unit_of_work() as session:
        link = session.exec(select(SocialLink)).one()
    assert (link.provider, link.provider_user_id) == (OAuthProvider.KAKAO, "k-1")


def test_drafts_expire_after_an_hour_and_are_purged(database):
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert signup.get_draft(token, now=NOW + timedelta(minutes=59)) is not None
    assert signup.get_draft(token, now=NOW + timedelta(minutes=60)) is None
    assert signup.purge_expired_drafts(NOW + timedelta(hours=2)) == 1


def test_cancel_discards_the_draft(database):
    token = _general_until_info()
    signup.discard_draft(token)
    assert signup.get_draft(token, now=NOW) is None


def test_a_linked_social_account_can_be_undone_before_submitting(database):
    token = _general_until_info()
    draft = signup.draft_id(token, now=NOW)
    signup.attach_social(token, draft, OAuthProvider.NAVER, "n-1", "길동", now=NOW)
    assert signup.detach_social(token, "naver", now=NOW).view.social == {}
    assert _submit(token, "gildong90").ok
    with unit_of_work() as session:
        assert session.exec(select(func.count()).select_from(SocialLink)).one() == 0


def test_a_social_account_already_linked_elsewhere_is_refused(database):
    first = _general_until_info()
    signup.attach_social(first, signup.draft_id(first, now=NOW), OAuthProvider.KAKAO, "k-1", "길동", now=NOW)
    assert _submit(first, "gildong90").ok
    second = _general_until_info(P2)
    result = signup.attach_social(second, signup.draft_id(second, now=NOW), OAuthProvider.KAKAO, "k-1", None, now=NOW)
    assert not result.ok and result.message == messages.SOCIAL_ALREADY_LINKED
