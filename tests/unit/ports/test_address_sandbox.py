"""Sandbox address search: the data, keyword search, paging, and juso-shaped errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yongin_app.ports.address import (
    Address,
    AddressFailureReason,
    AddressPage,
    AddressSearch,
    AddressSearchFailure,
    parse_juso_body,
    parse_juso_payload,
)
from yongin_app.ports.sandbox.address import SandboxAddressSearch, juso_response, load_addresses


@pytest.fixture
def search() -> SandboxAddressSearch:
    return SandboxAddressSearch()


def _page(result: AddressPage | AddressSearchFailure) -> AddressPage:
    assert isinstance(result, AddressPage), result
    return result


def test_implements_the_protocol(search: SandboxAddressSearch) -> None:
    assert isinstance(search, AddressSearch)


def test_data_has_enough_well_formed_entries() -> None:
    entries = load_addresses()
    yongin = [e for e in entries if e["sggNm"].startswith("용인시 ")]
    assert len(yongin) >= 40
    assert {e["sggNm"] for e in yongin} == {"용인시 처인구", "용인시 기흥구", "용인시 수지구"}
    for gu in ("처인구", "기흥구", "수지구"):
        assert sum(e["sggNm"] == f"용인시 {gu}" for e in yongin) >= 10
    elsewhere = [e for e in entries if not e["sggNm"].startswith("용인시")]
    assert len(elsewhere) >= 3
    assert all(e["siNm"] == "경기도" for e in entries)
    for entry in entries:
        assert re.fullmatch(r"\d{5}", entry["zipNo"]), entry
        assert entry["roadAddr"].startswith(f"{entry['siNm']} {entry['sggNm']} "), entry
        assert entry["jibunAddr"].startswith(f"{entry['siNm']} {entry['sggNm']} "), entry
        assert entry["emdNm"] and entry["emdNm"] in entry["jibunAddr"]
        assert "bdNm" in entry
    # No duplicate addresses.
    assert len({e["roadAddr"] for e in entries}) == len(entries)


def test_city_hall_is_findable(search: SandboxAddressSearch) -> None:
    page = _page(search.search("중부대로 1199"))
    first = page.results[0]
    assert first == Address(
        zip_code="17019",
        road_address="경기도 용인시 처인구 중부대로 1199 (삼가동)",
        jibun_address="경기도 용인시 처인구 삼가동 556 용인시청",
        sido="경기도",
        sigungu="용인시 처인구",
        emd="삼가동",
        building_name="용인시청",
    )


@pytest.mark.parametrize("keyword", ["수지로", "죽전로", "동백죽전대로", "기흥역", "중부대로 1199"])
def test_required_keywords_are_findable(search: SandboxAddressSearch, keyword: str) -> None:
    page = _page(search.search(keyword))
    assert page.total_count >= 1
    squashed = keyword.replace(" ", "")
    for address in page.results:
        haystack = (address.road_address + address.jibun_address + address.building_name).replace(" ", "")
        assert all(part in haystack for part in keyword.split()) or squashed in haystack


@pytest.mark.parametrize(
    ("keyword", "expected_building"),
    [
        ("용인시청", "용인시청"),  # building name
        ("풍덕천동", "수지구청"),  # 동
        ("단국대", "단국대학교 죽전캠퍼스"),
        ("동백죽전 대로 363", "용인세브란스병원"),  # spaces do not matter
        ("동백죽전대로363", "용인세브란스병원"),
        ("경기도청", "경기도청"),  # elsewhere in 경기도
    ],
)
def test_search_by_building_dong_and_space_insensitive(
    search: SandboxAddressSearch, keyword: str, expected_building: str
) -> None:
    page = _page(search.search(keyword))
    assert expected_building in [a.building_name for a in page.results]


def test_no_hits_is_an_empty_page(search: SandboxAddressSearch) -> None:
    assert search.search("없는도로명 99999") == AddressPage(total_count=0, page=1, per_page=10, results=())


def test_paging(search: SandboxAddressSearch) -> None:
    everything = _page(search.search("용인시", per_page=100))
    assert everything.total_count == len(everything.results) >= 40
    first = _page(search.search("용인시", page=1, per_page=10))
    second = _page(search.search("용인시", page=2, per_page=10))
    assert first.total_count == second.total_count == everything.total_count
    assert (first.page, first.per_page, second.page) == (1, 10, 2)
    assert len(first.results) == len(second.results) == 10
    assert first.results + second.results == everything.results[:20]
    last_page = (everything.total_count + 9) // 10
    tail = _page(search.search("용인시", page=last_page))
    assert len(tail.results) == everything.total_count - (last_page - 1) * 10
    beyond = _page(search.search("용인시", page=last_page + 1))
    assert beyond.results == () and beyond.total_count == everything.total_count


def test_paging_is_clamped(search: SandboxAddressSearch) -> None:
    page = _page(search.search("용인시", page=0, per_page=1000))
    assert (page.page, page.per_page) == (1, 100)


@pytest.mark.parametrize(
    ("keyword", "code"),
    [("", "E0005"), ("   ", "E0005"), ("수", "E0008"), ("가" * 81, "E0010")],
)
def test_keyword_errors_come_back_like_juso(search: SandboxAddressSearch, keyword: str, code: str) -> None:
    result = search.search(keyword)
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.INVALID_KEYWORD
    assert result.error_code == code
    assert result.message  # juso's own Korean message, shown to the user
    assert re.search("[가-힣]", result.message)


def test_sandbox_answer_has_the_juso_shape() -> None:
    answer = juso_response("수지로", page=1, per_page=2)
    common = answer["results"]["common"]
    assert common == {
        "errorCode": "0",
        "errorMessage": "정상",
        "totalCount": common["totalCount"],
        "currentPage": "1",
        "countPerPage": "2",
    }
    assert int(common["totalCount"]) >= 3
    items = answer["results"]["juso"]
    assert len(items) == 2
    for item in items:
        assert {"roadAddr", "jibunAddr", "zipNo", "siNm", "sggNm", "emdNm", "bdNm"} <= set(item)
        assert all(isinstance(value, str) for value in item.values())


# --- properties: the shared parser and the sandbox never raise ------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@given(payload=json_values)
def test_parser_turns_any_json_into_a_page_or_failure(payload: object) -> None:
    result = parse_juso_payload(payload)
    assert isinstance(result, (AddressPage, AddressSearchFailure))


@given(
    common=st.fixed_dictionaries(
        {"errorCode": st.sampled_from(["0", "E0001", "E0005", "-999"]) | st.text(max_size=5)},
        optional={"totalCount": json_values, "currentPage": json_values, "countPerPage": json_values,
                  "errorMessage": json_values},
    ),
    juso=json_values,
)
def test_parser_handles_juso_shaped_garbage(common: dict, juso: object) -> None:
    result = parse_juso_payload({"results": {"common": common, "juso": juso}})
    assert isinstance(result, (AddressPage, AddressSearchFailure))
    if isinstance(result, AddressSearchFailure):
        assert result.message


@given(body=st.binary(max_size=200) | st.text(max_size=200))
def test_parser_handles_any_body(body: bytes | str) -> None:
    assert isinstance(parse_juso_body(body), (AddressPage, AddressSearchFailure))


@given(keyword=st.text(max_size=100), page=st.integers(-5, 50), per_page=st.integers(-5, 500))
def test_sandbox_search_never_raises(keyword: str, page: int, per_page: int) -> None:
    result = SandboxAddressSearch().search(keyword, page=page, per_page=per_page)
    assert isinstance(result, (AddressPage, AddressSearchFailure))
    if isinstance(result, AddressPage):
        assert 1 <= result.per_page <= 100 and result.page >= 1
        assert len(result.results) <= result.per_page


@pytest.mark.parametrize(
    "body",
    [
        '{"results":{"common":{"errorCode":"0","totalCount":Infinity},"juso":[]}}',
        '{"results":{"common":{"errorCode":"0","totalCount":"-1"},"juso":[]}}',
        '{"results":{"common":{"errorCode":"0","totalCount":"1"},"juso":[{"zipNo":"17019"}]}}',
        '{"results":{"common":{"errorCode":"0","totalCount":"1"},"juso":[{"roadAddr":{"a":1}}]}}',
        '{"results":{"common":{},"juso":[]}}',
        '{"results":[]}',
        "[]",
        '"text"',
        "",
    ],
)
def test_parser_refuses_implausible_answers(body: str) -> None:
    result = parse_juso_body(body)
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE


def test_parser_reads_a_real_looking_answer() -> None:
    body = (
        '{"results":{"common":{"errorMessage":"정상","countPerPage":"10","totalCount":"1","errorCode":"0",'
        '"currentPage":"1"},"juso":[{"detBdNmList":"","engAddr":"1199 Jungbu-daero, Cheoin-gu, Yongin-si, '
        'Gyeonggi-do","rn":"중부대로","emdNm":"삼가동","zipNo":"17019","roadAddrPart2":" (삼가동)","emdNo":"01",'
        '"sggNm":"용인시 처인구","jibunAddr":"경기도 용인시 처인구 삼가동 556 용인시청","siNm":"경기도",'
        '"roadAddrPart1":"경기도 용인시 처인구 중부대로 1199","bdNm":"용인시청","admCd":"4146110100",'
        '"udrtYn":"0","lnbrMnnm":"556","roadAddr":"경기도 용인시 처인구 중부대로 1199 (삼가동)",'
        '"lnbrSlno":"0","buldMnnm":"1199","bdKdcd":"0","liNm":"","rnMgtSn":"414613197011","mtYn":"0",'
        '"bdMgtSn":"4146110100105560000000001","buldSlno":"0"}]}}'
    )
    result = parse_juso_body(body.encode("utf-8"))
    assert result == AddressPage(
        total_count=1,
        page=1,
        per_page=10,
        results=(
            Address("17019", "경기도 용인시 처인구 중부대로 1199 (삼가동)", "경기도 용인시 처인구 삼가동 556 용인시청",
                    "경기도", "용인시 처인구", "삼가동", "용인시청"),
        ),
    )
