"""자녀정보 확인 page state: row messages only for rows that exist, row IDs checked in every handler."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine

from tests.unit.pages.tab import Tab
from tests.unit.services.test_multichild import REGISTRY, _member
from yongin_app.services import auth, messages, multichild
from yongin_app.services.passwords import hash_password
from yongin_app.db import unit_of_work
from yongin_app.models import Member
from yongin_app.pages.multichild import ChildrenState

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
PASSWORD = "Sejong-Book#2026"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tab(database, clock, monkeypatch):
    monkeypatch.setenv("YONGIN_SANDBOX_OUTAGE_DELAY_SECONDS", "0")
    parent = _member("P1")
    _member("C1", login_id="gilsoon")
    with unit_of_work(write=True) as session:
        session.get(Member, parent).password_hash = hash_password(PASSWORD)
    assert multichild.start_children(parent, consent=True, rrn_back=REGISTRY["P1"].rrn_back).ok
    token = auth.login_member("p1user", PASSWORD).token
    tab = Tab(token)
    tab.run(ChildrenState, "load")
    assert len(tab.state(ChildrenState).rows) == 2
    return tab


def _row_ids(tab: Tab) -> list[str]:
    return [row["row_id"] for row in tab.state(ChildrenState).rows]


def test_invented_row_ids_leave_no_message_and_the_update_stays_small(tab):
    before = len(json.dumps(tab.public_vars(ChildrenState), ensure_ascii=False))
    for n in range(600):
        tab.run(ChildrenState, "verify", {"row_id": f"made-up-{n:04d}", "login_id": "x", "name": "y"})
    state = tab.state(ChildrenState)
    assert state.row_messages == {}
    assert len(json.dumps(tab.public_vars(ChildrenState), ensure_ascii=False)) == before


@pytest.mark.parametrize("row_id", [None, 7, ["a"], {"a": 1}, "", "x" * 5000, "AAAAAAAAAAA!", "AAAAAAAAAAAA"])
def test_malformed_or_unknown_row_ids_are_ignored_by_every_handler(tab, row_id):
    tab.run(ChildrenState, "verify", {"row_id": row_id, "login_id": "guess", "name": "홍길순"})
    tab.run(ChildrenState, "delete", row_id)
    state = tab.state(ChildrenState)
    assert state.row_messages == {} and state.page_message == ""
    assert len(state.rows) == 2


def test_a_real_rows_message_is_kept_and_goes_with_the_row(tab):
    first, second = _row_ids(tab)
    tab.run(ChildrenState, "verify", {"row_id": first, "login_id": "guess", "name": "홍길순"})
    assert tab.state(ChildrenState).row_messages == {first: messages.CHILD_ROW_NO_MATCH}
    tab.run(ChildrenState, "delete", first)
    assert _row_ids(tab) == [second]
    assert tab.state(ChildrenState).row_messages == {}
