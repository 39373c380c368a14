"""정보수정 page state: nothing personal reaches the browser before this session's password re-check
(issue 14, finding 9), and it is dropped again when the re-check has run out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.unit.pages.tab import Tab
from tests.unit.services.test_account import EMAIL, MOBILE, NAME, PASSWORD, _add_member
from yongin_app.pages.account_edit import AccountEditState
from yongin_app.services import auth, messages

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
# What the member row holds that the page may show only after the re-check.
PERSONAL = (NAME, "1993", MOBILE.split("-")[1], MOBILE.split("-")[2], EMAIL.split("@")[0], "324-4000", "4000",
            "17019", "중부대로 1199", "3층", "hangaram", "여자")


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tab(database, clock) -> Tab:
    _add_member()
    return Tab(auth.login_member("hangaram", PASSWORD).token)


def _sent(tab: Tab) -> str:
    return json.dumps(tab.public_vars(AccountEditState), ensure_ascii=False)


def test_load_without_a_fresh_recheck_sends_nothing_personal(tab):
    tab.run(AccountEditState, "load")
    state = tab.state(AccountEditState)
    assert state.loaded and not state.verified
    sent = _sent(tab)
    leaked = [value for value in PERSONAL if value in sent]
    assert leaked == []


def test_a_wrong_password_sends_nothing_personal(tab):
    tab.run(AccountEditState, "load")
    tab.run(AccountEditState, "check_password", {"current_password": "not-my-password-1"})
    state = tab.state(AccountEditState)
    assert not state.verified and state.reauth_error == messages.REAUTH_FAILED
    assert [value for value in PERSONAL if value in _sent(tab)] == []


def test_the_profile_comes_after_the_recheck_and_goes_when_it_runs_out(tab, clock):
    tab.run(AccountEditState, "load")
    tab.run(AccountEditState, "check_password", {"current_password": PASSWORD})
    state = tab.state(AccountEditState)
    assert state.verified and state.name == NAME and state.fields["mobile_middle"] == "3141"

    clock.shift(timedelta(minutes=10))
    tab.run(AccountEditState, "load")
    assert not tab.state(AccountEditState).verified
    assert [value for value in PERSONAL if value in _sent(tab)] == []


def test_a_save_refused_for_an_expired_recheck_drops_the_profile(tab, clock):
    tab.run(AccountEditState, "load")
    tab.run(AccountEditState, "check_password", {"current_password": PASSWORD})
    clock.shift(timedelta(minutes=11))
    tab.run(AccountEditState, "save", {})
    state = tab.state(AccountEditState)
    assert state.message == messages.REAUTH_REQUIRED and not state.verified
    assert [value for value in PERSONAL if value in _sent(tab)] == []
