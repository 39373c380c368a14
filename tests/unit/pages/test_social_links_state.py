"""SNS 계정 연동 page state: no link starts from a tab whose session has not re-checked the password."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import select

from tests.unit.pages.tab import Tab
from tests.unit.services.test_account import PASSWORD, _add_member
from yongin_app.db import unit_of_work
from yongin_app.models import OAuthRequest
from yongin_app.pages.social_links import SocialLinksState
from yongin_app.services import auth, messages

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture
def tab(database) -> Tab:
    with time_machine.travel(T0, tick=False):
        _add_member()
        yield Tab(auth.login_member("hangaram", PASSWORD).token)


def _requests() -> list[OAuthRequest]:
    with unit_of_work() as session:
        return list(session.exec(select(OAuthRequest)))


def test_link_without_the_recheck_asks_for_the_password_and_starts_nothing(tab):
    events = tab.run(SocialLinksState, "link", "kakao")
    state = tab.state(SocialLinksState)
    assert events == [None]  # no redirect to the provider
    assert not state.verified and state.error == messages.SOCIAL_LINK_REAUTH_REQUIRED
    assert _requests() == []


def test_link_after_the_recheck_goes_to_the_provider(tab):
    tab.run(SocialLinksState, "check_password", {"current_password": PASSWORD})
    assert tab.state(SocialLinksState).verified
    (event,) = tab.run(SocialLinksState, "link", "kakao")
    assert "window.location.assign" in str(event)
    assert len(_requests()) == 1


@pytest.mark.parametrize("provider", [None, 3, ["kakao"], "google", "kakao" * 1000])
def test_unknown_providers_are_ignored(tab, provider):
    tab.run(SocialLinksState, "check_password", {"current_password": PASSWORD})
    assert tab.run(SocialLinksState, "link", provider) == [None]
    assert tab.run(SocialLinksState, "unlink", provider) == [None]
    assert _requests() == []


def test_unlink_without_the_recheck_removes_nothing(tab):
    from yongin_app.domain.enums import OAuthProvider
    from yongin_app.models import Member
    from yongin_app.services import social

    with unit_of_work() as session:
        member_id = session.exec(select(Member.id).where(Member.login_id == "hangaram")).one()
    assert social.link_account(member_id, "", OAuthProvider.KAKAO, "3000000001") is not None  # needs the re-check
    with unit_of_work(write=True) as session:
        social.link_to_member(session, member_id, OAuthProvider.KAKAO, "3000000001", T0)
    tab.run(SocialLinksState, "unlink", "kakao")  # a stolen session, no password
    assert set(social.linked_providers(member_id)) == {"kakao"}
    tab.run(SocialLinksState, "check_password", {"current_password": PASSWORD})
    tab.run(SocialLinksState, "unlink", "kakao")
    assert social.linked_providers(member_id) == {}
