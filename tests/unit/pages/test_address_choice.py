"""주소찾기's choose_address with the index a client sends: only an index of the listed results picks one.
Before parse_id, -1 picked the last result and a float such as 1e400 (inf) raised OverflowError."""

from __future__ import annotations

import asyncio

import pytest
import reflex as rx

from yongin_app.pages.account_edit import AccountEditState

RESULTS = [
    {"zip": "17019", "road": "경기도 용인시 처인구 중부대로 1199", "jibun": ""},
    {"zip": "16950", "road": "경기도 용인시 기흥구 구성로 102", "jibun": ""},
]


def _edit_state() -> AccountEditState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(AccountEditState.get_full_name().split(".")[1:])
    state.address_results = list(RESULTS)
    state.address_open = True
    return state


@pytest.mark.parametrize("sent", [-1, "-1", 2, "2", "²", "１", float("inf"), 1.0, True, None, "0 ", 10**20])
def test_an_index_that_is_not_a_listed_result_chooses_nothing(sent):
    state = _edit_state()

    asyncio.run(state.choose_address(sent))

    assert (state.postal_code, state.road_address, state.address_open) == ("", "", True)


@pytest.mark.parametrize("sent", [1, "1"])
def test_a_listed_index_chooses_that_result(sent):
    state = _edit_state()

    asyncio.run(state.choose_address(sent))

    assert (state.postal_code, state.road_address, state.address_open) == ("16950", RESULTS[1]["road"], False)
