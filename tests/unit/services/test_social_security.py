"""SNS 계정 연동 after a stolen session (issue 14, finding 5): linking needs this session's fresh
password re-check when it starts and when it completes, Kakao/Naver login is refused while the account
is password-locked, and a 비밀번호 재설정 removes the links (a 비밀번호 변경 keeps them)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from tests.unit.services.test_social import (  # noqa: F401  (fixtures)
    KAKAO,
    KAKAO_1,
    NAVER,
    NAVER_1,
    T0,
    audit_entries,
    base_url,
    browser_at_provider,
    link,
    provider,
)
from yongin_app.db import unit_of_work
from yongin_app.domain import policy
from yongin_app.domain.enums import MemberType, Nationality, Sex
from yongin_app.models import AuthSession, Member, OAuthRequest, SocialLink
from yongin_app.services import account, auth, messages, social
from yongin_app.services.passwords import hash_password

PASSWORD = "Sejong-Book#2026"


def _member(login_id: str = "hangaram") -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash=hash_password(PASSWORD), name="한가람", birth_date=date(1993, 6, 1),
            sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci=f"CI-{login_id}", di=f"DI-{login_id}",
            member_type=MemberType.GENERAL, mobile="010-3141-5926", created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        return member.id


def _links(member_id: int) -> list[SocialLink]:
    with unit_of_work() as session:
        return list(session.exec(select(SocialLink).where(SocialLink.member_id == member_id)))


def _login() -> str:
    result = auth.login_member("hangaram", PASSWORD, now=T0)
    assert result.ok
    return result.token


# --- the re-check --------------------------------------------------------------------------


def test_a_link_cannot_start_without_a_fresh_recheck(provider):
    member_id = _member()
    token = _login()
    assert social.begin_account_link(member_id, token, KAKAO, now=T0) is None
    with unit_of_work() as session:
        assert session.exec(select(OAuthRequest)).all() == []
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    assert social.begin_account_link(member_id, token, KAKAO, now=T0 + timedelta(minutes=9)) is not None
    assert social.begin_account_link(member_id, token, KAKAO, now=T0 + timedelta(minutes=10)) is None
    # Another session of the member (or no session) does not borrow this one's re-check.
    other = _login()
    assert social.begin_account_link(member_id, other, KAKAO, now=T0 + timedelta(minutes=1)) is None
    assert social.begin_account_link(member_id, "", KAKAO, now=T0 + timedelta(minutes=1)) is None
    outcomes = [e.outcome for e in audit_entries("social.link")]
    assert outcomes == ["reauth_required"] * 4


def _completed_link_flow(member_id: int, token: str, now):
    url = social.begin_account_link(member_id, token, NAVER, now=now)
    callback = browser_at_provider(url)
    return social.complete_oauth(NAVER, callback["code"], callback["state"], now=now)


def test_the_link_completes_while_the_recheck_is_fresh(provider):
    member_id = _member()
    token = _login()
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    completion = _completed_link_flow(member_id, token, T0 + timedelta(minutes=1))
    assert social.link_account(member_id, token, NAVER, completion.provider_user_id,
                               now=T0 + timedelta(minutes=9, seconds=59)) is None
    assert [link.provider_user_id for link in _links(member_id)] == [NAVER_1]


def test_the_link_is_refused_when_the_recheck_ran_out_at_the_provider(provider):
    member_id = _member()
    token = _login()
    assert account.reauthenticate(member_id, token, PASSWORD, now=T0)
    completion = _completed_link_flow(member_id, token, T0 + timedelta(minutes=9))
    problem = social.link_account(member_id, token, NAVER, completion.provider_user_id, now=T0 + timedelta(minutes=10))
    assert problem == messages.SOCIAL_LINK_REAUTH_REQUIRED
    assert _links(member_id) == []
    assert audit_entries("social.link")[-1].outcome == "reauth_required"


def test_a_stolen_session_without_the_password_cannot_link(provider):
    member_id = _member()
    stolen = _login()
    assert social.link_account(member_id, stolen, KAKAO, KAKAO_1, now=T0) == messages.SOCIAL_LINK_REAUTH_REQUIRED
    assert _links(member_id) == []


# --- the lockout ---------------------------------------------------------------------------


def _lock(member_id: int) -> None:
    for _ in range(policy.MAX_FAILED_LOGINS):
        assert not auth.login_member("hangaram", "wrong-password-1", now=T0).ok
    with unit_of_work() as session:
        assert session.get(Member, member_id).locked_until == T0 + policy.LOCKOUT_DURATION


def test_social_login_is_refused_while_the_password_is_locked(provider):
    member_id = _member()
    link(member_id, KAKAO, KAKAO_1)
    _lock(member_id)

    refused = social.login_with_social(KAKAO, KAKAO_1, now=T0 + timedelta(minutes=9))
    assert refused == auth.LoginResult(None, locked=True) and not refused.ok
    with unit_of_work() as session:
        assert session.exec(select(AuthSession)).all() == []
    entry = audit_entries("login.social")[-1]
    assert (entry.outcome, entry.actor_id, entry.target_member_id) == ("locked", None, member_id)

    later = social.login_with_social(KAKAO, KAKAO_1, now=T0 + policy.LOCKOUT_DURATION)
    assert later.ok and later.member_id == member_id


def test_an_unlinked_provider_account_gets_no_lock_flag(provider):
    member_id = _member()
    _lock(member_id)
    assert social.login_with_social(KAKAO, KAKAO_1, now=T0) == auth.LoginResult(None)  # not linked: no lock flag


# --- reset and change ----------------------------------------------------------------------


def test_a_password_change_keeps_the_links_and_says_so_in_the_audit(provider):
    member_id = _member()
    link(member_id, KAKAO, KAKAO_1)
    link(member_id, NAVER, NAVER_1)
    token = _login()
    assert account.change_password(member_id, token, PASSWORD, "Hangul-Day!1446", "Hangul-Day!1446", now=T0).ok
    assert len(_links(member_id)) == 2
    entry = audit_entries("account.password_changed")[-1]
    assert entry.detail == "other_sessions_ended=0,social_links_kept=2"
