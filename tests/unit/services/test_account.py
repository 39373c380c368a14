"""정보수정, 비밀번호 변경, 대출 비밀번호 변경 and 회원탈퇴, against a real SQLite database, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from yongin_app.db import unit_of_work
from yongin_app.domain import messages as rule_messages, policy
from yongin_app.domain.enums import (
    CardStatus,
    Grade,
    MemberStatus,
    MemberType,
    Nationality,
    OAuthProvider,
    Sex,
)
from yongin_app.models import (
    AuditLog,
    AuthSession,
    Guardian,
    Member,
    MemberCard,
    MultichildApplication,
    MultichildGrant,
    SocialLink,
)
from yongin_app.services import account, auth, messages
from yongin_app.services.passwords import hash_password, verify_password

PASSWORD = "Sejong-Book#2026"
NEW_PASSWORD = "Hangul-Day!1446"
LOAN_PASSWORD = "2580"
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MOBILE = "010-3141-5926"
EMAIL = "garam.han@example.com"
LANDLINE = "031-324-4000"
NAME = "한가람"

FORM = {
    "mobile_prefix": "010", "mobile_middle": "2718", "mobile_last": "2818", "sms_consent": False,
    "email_local": "new.garam", "email_domain": "Example.ORG", "email_consent": True,
    "landline_area": "02", "landline_middle": "765", "landline_last": "4321",
    "postal_code": "16950", "road_address": "경기도 용인시 기흥구 구성로 102", "address_detail": "2층",
    "home_branch": "MD",
}


def _add_member(login_id: str = "hangaram", *, ci: str = "CI-1", grade: Grade = Grade.ASSOCIATE,
                card: bool = False) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash=hash_password(PASSWORD), name=NAME,
            birth_date=date(1993, 6, 1), sex=Sex.FEMALE, nationality=Nationality.DOMESTIC,
            ci=ci, di=f"D{ci}", member_type=MemberType.GENERAL, grade=grade,
            mobile=MOBILE, sms_consent=True, email=EMAIL, email_consent=True, landline=LANDLINE,
            postal_code="17019", road_address="경기도 용인시 처인구 중부대로 1199", address_detail="3층",
            home_branch_code="MA", created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        if card:
            session.add(MemberCard(member_id=member.id, card_number="1570000075",
                                   loan_password_hash=hash_password(LOAN_PASSWORD), issued_at=T0))
        return member.id


@pytest.fixture
def member_id(database) -> int:
    return _add_member()


@pytest.fixture
def token(member_id) -> str:
    result = auth.login_member("hangaram", PASSWORD, now=T0)
    assert result.ok
    return result.token


def _member(member_id: int) -> Member:
    with unit_of_work() as session:
        return session.get(Member, member_id)


def _audit(action: str) -> list[AuditLog]:
    with unit_of_work() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def _all_audit_text() -> str:
    with unit_of_work() as session:
        rows = session.exec(select(AuditLog)).all()
    return "\n".join(f"{r.action}|{r.outcome}|{r.detail or ''}" for r in rows)


# ---------------------------------------------------------------- re-check


def test_reauthentication_is_valid_for_ten_minutes_in_that_session_only(member_id, token):
    assert not account.reauthenticated(member_id, token, now=T0)
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)

    assert account.reauthenticated(member_id, token, now=T0 + timedelta(minutes=9, seconds=59))
    assert not account.reauthenticated(member_id, token, now=T0 + policy.REAUTH_VALIDITY)
    assert account.REAUTH_VALIDITY == timedelta(minutes=10)
    other = auth.login_member("hangaram", PASSWORD, now=T0).token
    assert not account.reauthenticated(member_id, other, now=T0)
    assert [r.outcome for r in _audit("account.reauth")] == ["ok"]


def test_wrong_reauthentication_counts_toward_the_login_lockout(member_id, token):
    for _ in range(policy.MAX_FAILED_LOGINS - 1):
        assert not account.reauthenticate(member_id, token, "Wrong-password-1", now=T0)
    assert _member(member_id).failed_login_count == policy.MAX_FAILED_LOGINS - 1
    assert not auth.login_member("hangaram", "Wrong-password-1", now=T0).ok  # the fifth, by login
    assert _member(member_id).locked_until == T0 + policy.LOCKOUT_DURATION

    # Locked: even the right password fails, here and at login.
    assert not account.reauthenticate(member_id, token, PASSWORD, now=T0 + timedelta(minutes=1))
    assert not account.reauthenticated(member_id, token, now=T0 + timedelta(minutes=1))
    assert [r.outcome for r in _audit("account.reauth")] == ["failed"] * 4 + ["locked"]


def test_reauthentication_needs_a_live_session_of_that_member(member_id, token):
    stranger = _add_member("dasarang", ci="CI-2")
    assert not account.reauthenticate(stranger, token, PASSWORD, now=T0)
    assert not account.reauthenticate(member_id, "not-a-token", PASSWORD, now=T0)
    auth.logout(token, now=T0)
    assert not account.reauthenticate(member_id, token, PASSWORD, now=T0)
    assert _member(member_id).failed_login_count == 0
    assert {r.outcome for r in _audit("account.reauth")} == {"session_invalid"}


# ---------------------------------------------------------------- 정보수정


def test_profile_splits_the_stored_values_into_the_form_parts(member_id, token):
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    view = account.profile(member_id, token, now=T0)
    assert (view.name, view.birth_date, view.sex, view.login_id) == (NAME, date(1993, 6, 1), "여", "hangaram")
    assert (view.mobile_prefix, view.mobile_middle, view.mobile_last, view.sms_consent) == ("010", "3141", "5926", True)
    assert (view.email_local, view.email_domain, view.email_consent) == ("garam.han", "example.com", True)
    assert (view.landline_area, view.landline_middle, view.landline_last) == ("031", "324", "4000")
    assert (view.postal_code, view.address_detail, view.home_branch) == ("17019", "3층", "MA")
    assert view.form_values()["mobile_last"] == "5926"
    assert account.profile(999, token, now=T0) is None


def test_profile_is_given_only_after_a_fresh_recheck_of_this_session(member_id, token):
    assert account.profile(member_id, token, now=T0) is None  # logged in, not re-checked
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    assert account.profile(member_id, token, now=T0 + timedelta(minutes=9)).name == NAME
    assert account.profile(member_id, token, now=T0 + timedelta(minutes=10)) is None
    other = auth.login_member("hangaram", PASSWORD, now=T0).token  # another session of the same member
    assert account.profile(member_id, other, now=T0) is None
    assert account.profile(member_id, "not-a-token", now=T0) is None


def test_update_without_a_recheck_is_refused_and_changes_nothing(member_id, token):
    result = account.update_profile(member_id, token, FORM, now=T0)
    assert result == account.UpdateResult(False, message=messages.REAUTH_REQUIRED)
    assert _member(member_id).mobile == MOBILE


def test_the_recheck_expires_after_ten_minutes(member_id, token):
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    assert account.update_profile(member_id, token, FORM, now=T0 + timedelta(minutes=9, seconds=59)).ok
    late = account.update_profile(member_id, token, FORM, now=T0 + timedelta(minutes=10))
    assert not late.ok and late.message == messages.REAUTH_REQUIRED
    assert [r.outcome for r in _audit("account.profile_updated")] == ["ok", "reauth_required"]


def test_update_saves_the_contact_fields_and_audits_only_field_names(member_id, token):
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    later = T0 + timedelta(minutes=1)
    form = {**FORM, "name": "바꾼이름", "birth_date": "2000-01-01", "sex": "남", "login_id": "changed"}

    result = account.update_profile(member_id, token, form, now=later)

    assert result.ok and result.message == messages.PROFILE_UPDATED
    member = _member(member_id)
    assert (member.mobile, member.sms_consent) == ("010-2718-2818", False)
    assert (member.email, member.email_consent) == ("new.garam@example.org", True)
    assert member.landline == "02-765-4321"
    assert (member.postal_code, member.road_address, member.address_detail) == (
        "16950", "경기도 용인시 기흥구 구성로 102", "2층")
    assert member.home_branch_code == "MD" and member.updated_at == later
    # Read-only fields stay.
    assert (member.name, member.birth_date, member.sex, member.login_id) == (
        NAME, date(1993, 6, 1), Sex.FEMALE, "hangaram")
    entry = _audit("account.profile_updated")[-1]
    assert entry.outcome == "ok" and entry.actor_id == member_id
    assert set(entry.detail.removeprefix("fields=").split(",")) == {
        "mobile", "sms_consent", "email", "landline", "postal_code", "road_address", "address_detail",
        "home_branch_code",
    }
    text = _all_audit_text()
    for value in ("2718", "garam", "example", "765", "16950", "구성로", "2층", NAME):
        assert value not in text


def test_blank_optional_fields_are_removed_and_email_consent_needs_an_email(member_id, token):
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    form = {**FORM, "email_local": "", "email_domain": "", "email_consent": True,
            "landline_middle": "", "landline_last": "", "address_detail": ""}
    assert account.update_profile(member_id, token, form, now=T0).ok
    member = _member(member_id)
    assert (member.email, member.email_consent, member.landline, member.address_detail) == (None, False, None, None)


def test_update_uses_the_signup_rules_and_messages(member_id, token):
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    form = {**FORM, "mobile_middle": "12", "email_domain": "nodot", "landline_area": "099",
            "postal_code": "1234", "home_branch": "ZZ"}
    result = account.update_profile(member_id, token, form, now=T0)
    assert not result.ok and result.message == messages.PROFILE_HAS_ERRORS
    assert result.errors == {
        "mobile": rule_messages.MOBILE_INVALID, "email": rule_messages.EMAIL_INVALID,
        "landline": rule_messages.LANDLINE_INVALID, "address": rule_messages.POSTAL_CODE_INVALID,
        "home_branch": messages.BRANCH_REQUIRED,
    }
    no_address = account.update_profile(member_id, token, {**FORM, "road_address": ""}, now=T0)
    assert no_address.errors == {"address": messages.ADDRESS_REQUIRED}
    assert _member(member_id).mobile == MOBILE


def test_another_members_session_cannot_update(member_id, token):
    stranger = _add_member("dasarang", ci="CI-2")
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    result = account.update_profile(stranger, token, FORM, now=T0)
    assert result.message == messages.ACCOUNT_SESSION_INVALID
    assert _member(stranger).mobile == MOBILE


# ---------------------------------------------------------------- 비밀번호 변경


def test_password_change_ends_the_other_sessions_but_not_this_one(member_id, token):
    other = auth.login_member("hangaram", PASSWORD, now=T0).token

    result = account.change_password(member_id, token, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=T0)

    assert result == account.UpdateResult(True, message=messages.PASSWORD_CHANGED)
    assert auth.resolve_session(token, now=T0) is not None
    assert auth.resolve_session(other, now=T0) is None
    assert verify_password(_member(member_id).password_hash, NEW_PASSWORD)
    assert not auth.login_member("hangaram", PASSWORD, now=T0).ok
    assert auth.login_member("hangaram", NEW_PASSWORD, now=T0).ok
    entry = _audit("account.password_changed")[-1]
    assert (entry.outcome, entry.detail) == ("ok", "other_sessions_ended=1,social_links_kept=0")


def test_wrong_current_password_is_refused_and_counted(member_id, token):
    result = account.change_password(member_id, token, "Wrong-password-1", NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert not result.ok
    assert result.errors == {account.KEY_CURRENT_PASSWORD: messages.CURRENT_PASSWORD_WRONG}
    assert _member(member_id).failed_login_count == 1
    assert verify_password(_member(member_id).password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("new", "confirm", "key", "expected"),
    [
        ("short1!", "short1!", account.KEY_NEW_PASSWORD, rule_messages.PASSWORD_COMPOSITION),
        ("hangaram-2026!", "hangaram-2026!", account.KEY_NEW_PASSWORD, rule_messages.PASSWORD_CONTAINS_LOGIN_ID),
        ("Book#19930601", "Book#19930601", account.KEY_NEW_PASSWORD, rule_messages.PASSWORD_CONTAINS_BIRTH_DATE),
        ("Book#31415926", "Book#31415926", account.KEY_NEW_PASSWORD, rule_messages.PASSWORD_CONTAINS_PHONE),
        (PASSWORD, PASSWORD, account.KEY_NEW_PASSWORD, messages.NEW_PASSWORD_SAME_AS_CURRENT),
        (NEW_PASSWORD, "", account.KEY_NEW_PASSWORD_CONFIRM, messages.PASSWORD_CONFIRM_REQUIRED),
        (NEW_PASSWORD, NEW_PASSWORD + "x", account.KEY_NEW_PASSWORD_CONFIRM, messages.PASSWORD_CONFIRM_MISMATCH),
    ],
)
def test_new_password_rules(member_id, token, new, confirm, key, expected):
    result = account.change_password(member_id, token, PASSWORD, new, confirm, now=T0)
    assert not result.ok and result.errors == {key: expected}
    assert verify_password(_member(member_id).password_hash, PASSWORD)
    assert _member(member_id).failed_login_count == 0


def test_password_change_needs_the_members_own_live_session(member_id, token):
    stranger = _add_member("dasarang", ci="CI-2")
    refused = account.change_password(stranger, token, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert refused.message == messages.ACCOUNT_SESSION_INVALID
    assert verify_password(_member(stranger).password_hash, PASSWORD)
    missing = account.change_password(member_id, "", PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert missing.message == messages.ACCOUNT_SESSION_INVALID


def test_locked_account_cannot_change_the_password(member_id, token):
    for _ in range(policy.MAX_FAILED_LOGINS):
        auth.login_member("hangaram", "Wrong-password-1", now=T0)
    result = account.change_password(member_id, token, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert result.errors == {account.KEY_CURRENT_PASSWORD: messages.CURRENT_PASSWORD_WRONG}
    assert verify_password(_member(member_id).password_hash, PASSWORD)


# ---------------------------------------------------------------- 대출 비밀번호 변경


@pytest.fixture
def full_member(database) -> int:
    return _add_member("jeonghoe", ci="CI-F", grade=Grade.FULL, card=True)


def _loan_hash(member_id: int) -> str:
    with unit_of_work() as session:
        return session.exec(select(MemberCard.loan_password_hash).where(MemberCard.member_id == member_id)).one()


@pytest.mark.parametrize("current", [LOAN_PASSWORD, PASSWORD])
def test_loan_password_changes_with_the_loan_or_the_account_password(full_member, current):
    result = account.change_loan_password(full_member, current, "7391", "7391", now=T0)
    assert result == account.UpdateResult(True, message=messages.LOAN_PASSWORD_CHANGED)
    assert verify_password(_loan_hash(full_member), "7391")
    assert _audit("account.loan_password_changed")[-1].outcome == "ok"


def test_loan_password_refusals(full_member):
    wrong = account.change_loan_password(full_member, "0000", "7391", "7391", now=T0)
    assert wrong.errors == {account.KEY_CURRENT_LOAN_PASSWORD: messages.LOAN_CURRENT_WRONG}
    assert _member(full_member).failed_login_count == 1
    fmt = account.change_loan_password(full_member, LOAN_PASSWORD, "73a1", "73a1", now=T0)
    assert fmt.errors == {account.KEY_LOAN_PASSWORD: messages.LOAN_PASSWORD_FORMAT}
    mismatch = account.change_loan_password(full_member, LOAN_PASSWORD, "7391", "7392", now=T0)
    assert mismatch.errors == {account.KEY_LOAN_PASSWORD_CONFIRM: messages.LOAN_PASSWORD_MISMATCH}
    assert verify_password(_loan_hash(full_member), LOAN_PASSWORD)


def test_wrong_loan_passwords_lock_the_account(full_member):
    for _ in range(policy.MAX_FAILED_LOGINS):
        account.change_loan_password(full_member, "0000", "7391", "7391", now=T0)
    assert _member(full_member).locked_until == T0 + policy.LOCKOUT_DURATION
    locked = account.change_loan_password(full_member, LOAN_PASSWORD, "7391", "7391", now=T0)
    assert not locked.ok and verify_password(_loan_hash(full_member), LOAN_PASSWORD)


def test_an_associate_member_has_no_loan_password_to_change(member_id):
    result = account.change_loan_password(member_id, PASSWORD, "7391", "7391", now=T0)
    assert result == account.UpdateResult(False, message=messages.LOAN_PASSWORD_NEEDS_FULL)
    assert _audit("account.loan_password_changed")[-1].outcome == "not_full"


# ---------------------------------------------------------------- 회원탈퇴


def _withdrawable(database) -> tuple[int, str, str]:
    member_id = _add_member("jeonghoe", ci="CI-F", grade=Grade.FULL, card=True)
    with unit_of_work(write=True) as session:
        session.add(SocialLink(member_id=member_id, provider=OAuthProvider.KAKAO, provider_user_id="k-1",
                               linked_at=T0))
        session.add(Guardian(member_id=member_id, name="한보호", mobile="010-9999-8888",
                             birth_date=date(1965, 1, 1), ci="CI-G", verified_at=T0))
        session.add(MultichildGrant(member_id=member_id, expires_on=date(2030, 12, 31), loan_limit=10,
                                    applied_by_member_id=member_id, created_at=T0, updated_at=T0))
        session.add(MultichildApplication(member_id=member_id, youngest_birth_date=date(2015, 1, 1),
                                          rows=[{"name": "한아이"}], created_at=T0, expires_at=T0 + timedelta(hours=1)))
    first = auth.login_member("jeonghoe", PASSWORD, now=T0).token
    second = auth.login_member("jeonghoe", PASSWORD, now=T0).token
    return member_id, first, second


def test_withdrawal_erases_personal_data_and_ends_everything(database):
    member_id, token, other = _withdrawable(database)

    result = account.withdraw(member_id, token, PASSWORD, True, now=T0)

    assert result == account.UpdateResult(True, message=messages.WITHDRAWN)
    member = _member(member_id)
    assert member.status == MemberStatus.WITHDRAWN and member.withdrawn_at == T0
    assert member.login_id == "jeonghoe" and member.name == account.WITHDRAWN_NAME
    assert member.birth_date == account.WITHDRAWN_BIRTH_DATE
    assert (member.ci, member.di, member.mobile, member.email, member.landline) == (None,) * 5
    assert (member.postal_code, member.road_address, member.address_detail) == (None,) * 3
    assert not member.sms_consent and not member.email_consent
    assert not verify_password(member.password_hash, PASSWORD)
    with unit_of_work() as session:
        card = session.exec(select(MemberCard).where(MemberCard.member_id == member_id)).one()
        assert card.status == CardStatus.INVALIDATED and card.invalidated_at == T0
        assert not verify_password(card.loan_password_hash, LOAN_PASSWORD)
        assert session.exec(select(SocialLink)).all() == []
        assert session.exec(select(Guardian)).all() == []
        assert session.exec(select(MultichildGrant)).all() == []
        assert session.exec(select(MultichildApplication)).all() == []
        assert all(s.ended_at == T0 for s in session.exec(select(AuthSession)))
    assert auth.resolve_session(token, now=T0) is None and auth.resolve_session(other, now=T0) is None
    assert not auth.login_member("jeonghoe", PASSWORD, now=T0).ok
    assert account.profile(member_id, token, now=T0) is None

    entry = _audit("account.withdrawn")[-1]
    assert (entry.outcome, entry.detail) == ("ok", "cards=1,social=1,sessions=2")
    text = _all_audit_text()
    for value in (NAME, "한보호", MOBILE, "3141", EMAIL, "garam", "CI-F", "k-1"):
        assert value not in text


def test_the_same_person_may_sign_up_again_but_the_id_stays_taken(database):
    member_id, token, _ = _withdrawable(database)
    assert account.withdraw(member_id, token, PASSWORD, True, now=T0).ok

    again = _add_member("jeonghoe2", ci="CI-F")  # same CI and DI: the unique columns are free again
    assert _member(again).ci == "CI-F"
    with pytest.raises(IntegrityError):
        _add_member("jeonghoe", ci="CI-X")  # the 아이디 is never reused


def test_withdrawal_needs_the_password_and_the_confirmation(database):
    member_id, token, _ = _withdrawable(database)

    unconfirmed = account.withdraw(member_id, token, PASSWORD, False, now=T0)
    assert unconfirmed.errors == {account.KEY_CONFIRMED: messages.WITHDRAW_CONFIRM_REQUIRED}
    wrong = account.withdraw(member_id, token, "Wrong-password-1", True, now=T0)
    assert wrong.errors == {account.KEY_PASSWORD: messages.CURRENT_PASSWORD_WRONG}
    empty = account.withdraw(member_id, token, "", True, now=T0)
    assert empty.errors == {account.KEY_PASSWORD: messages.CURRENT_PASSWORD_REQUIRED}
    stranger = _add_member("dasarang", ci="CI-2")
    foreign = account.withdraw(stranger, token, PASSWORD, True, now=T0)
    assert foreign.message == messages.ACCOUNT_SESSION_INVALID

    member = _member(member_id)
    assert member.status == MemberStatus.ACTIVE and member.ci == "CI-F" and member.failed_login_count == 1
    assert _member(stranger).status == MemberStatus.ACTIVE
    assert auth.resolve_session(token, now=T0) is not None
    assert [r.outcome for r in _audit("account.withdrawn")] == ["wrong_password", "session_invalid"]
