"""The real juso.go.kr client against a fake juso server on loopback."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from yongin_app.ports import get_address_search
from yongin_app.ports.address import (
    AddressFailureReason,
    AddressPage,
    AddressSearch,
    AddressSearchFailure,
    JusoAddressSearch,
)
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.ports.sandbox.address import juso_response
from yongin_app.settings import Settings

API_KEY = "TEST-JUSO-KEY-0001"
# Requests the fake server received (form fields), newest last.
RECEIVED: list[dict[str, str]] = []
# Lets the slow endpoint finish at teardown so that the server stops quickly.
RELEASE_SLOW = threading.Event()


async def ok(request: Request) -> Response:
    form = {key: str(value) for key, value in (await request.form()).items()}
    RECEIVED.append(form)
    if form.get("confmKey") != API_KEY:
        return JSONResponse({"results": {"common": {
            "errorCode": "E0001", "errorMessage": "승인되지 않은 KEY 입니다.", "totalCount": "0",
            "currentPage": "1", "countPerPage": "10"}, "juso": None}})
    # The sandbox builds the same answer juso.go.kr would give.
    return JSONResponse(juso_response(form["keyword"], int(form["currentPage"]), int(form["countPerPage"])))


async def system_error(request: Request) -> Response:
    return JSONResponse({"results": {"common": {
        "errorCode": "-999", "errorMessage": "시스템에러", "totalCount": "0",
        "currentPage": "1", "countPerPage": "10"}, "juso": None}})


async def server_error(request: Request) -> Response:
    return PlainTextResponse("Internal Server Error", status_code=500)


async def bad_gateway(request: Request) -> Response:
    return PlainTextResponse("<html>502</html>", status_code=502)


async def slow(request: Request) -> Response:
    deadline = time.monotonic() + 5
    while not RELEASE_SLOW.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return JSONResponse(juso_response("수지로"))


async def garbage(request: Request) -> Response:
    return PlainTextResponse("<html><body>점검 중</body></html>", media_type="text/html")


async def wrong_shape(request: Request) -> Response:
    return JSONResponse({"result": "ok"})


async def bad_numbers(request: Request) -> Response:
    return JSONResponse({"results": {"common": {
        "errorCode": "0", "errorMessage": "정상", "totalCount": "many", "currentPage": "1",
        "countPerPage": "10"}, "juso": []}})


async def juso_not_a_list(request: Request) -> Response:
    return JSONResponse({"results": {"common": {
        "errorCode": "0", "errorMessage": "정상", "totalCount": "1", "currentPage": "1",
        "countPerPage": "10"}, "juso": {"roadAddr": "x"}}})


fake_juso = Starlette(
    routes=[
        Route("/addrlink/addrLinkApi.do", ok, methods=["POST"]),
        Route("/system-error", system_error, methods=["POST"]),
        Route("/500", server_error, methods=["POST"]),
        Route("/502", bad_gateway, methods=["POST"]),
        Route("/slow", slow, methods=["POST"]),
        Route("/garbage", garbage, methods=["POST"]),
        Route("/wrong-shape", wrong_shape, methods=["POST"]),
        Route("/bad-numbers", bad_numbers, methods=["POST"]),
        Route("/juso-not-a-list", juso_not_a_list, methods=["POST"]),
    ]
)


@pytest.fixture(scope="module")
def base_url(serve: Callable[[Starlette], str]) -> Iterator[str]:
    RELEASE_SLOW.clear()
    yield serve(fake_juso)
    RELEASE_SLOW.set()


def _client(base_url: str, path: str = "/addrlink/addrLinkApi.do", *, key: str = API_KEY,
            timeout: float = 2.0) -> JusoAddressSearch:
    return JusoAddressSearch(key, timeout=timeout, base_url=base_url + path)


def test_ok_answer_is_parsed(base_url: str) -> None:
    client = _client(base_url)
    assert isinstance(client, AddressSearch)
    result = client.search("중부대로 1199", page=1, per_page=5)
    assert isinstance(result, AddressPage)
    assert result.total_count >= 1 and (result.page, result.per_page) == (1, 5)
    first = result.results[0]
    assert (first.zip_code, first.building_name, first.sigungu) == ("17019", "용인시청", "용인시 처인구")
    sent = RECEIVED[-1]
    assert sent == {
        "confmKey": API_KEY,
        "currentPage": "1",
        "countPerPage": "5",
        "keyword": "중부대로 1199",
        "resultType": "json",
    }


def test_paging_parameters_are_sent_and_clamped(base_url: str) -> None:
    result = _client(base_url).search("용인시", page=2, per_page=500)
    assert isinstance(result, AddressPage)
    assert (result.page, result.per_page) == (2, 100)
    assert (RECEIVED[-1]["currentPage"], RECEIVED[-1]["countPerPage"]) == ("2", "100")


def test_keyword_error_code_is_a_failure_with_the_juso_message(base_url: str) -> None:
    result = _client(base_url).search("수")
    assert isinstance(result, AddressSearchFailure)
    assert (result.reason, result.error_code) == (AddressFailureReason.INVALID_KEYWORD, "E0008")
    assert result.message == "검색어는 두글자 이상 입력되어야 합니다."


def test_unapproved_key_is_unavailable_with_the_detail(base_url: str) -> None:
    result = _client(base_url, key="WRONG-KEY").search("수지로")
    assert isinstance(result, AddressSearchFailure)
    assert (result.reason, result.error_code) == (AddressFailureReason.UNAVAILABLE, "E0001")
    assert result.detail == "승인되지 않은 KEY 입니다."
    # The user sees the generic message, not the configuration problem.
    assert "KEY" not in result.message and "잠시 후" in result.message


def test_system_error_code_is_unavailable(base_url: str) -> None:
    result = _client(base_url, "/system-error").search("수지로")
    assert isinstance(result, AddressSearchFailure)
    assert (result.reason, result.error_code) == (AddressFailureReason.UNAVAILABLE, "-999")


@pytest.mark.parametrize("path", ["/500", "/502", "/garbage", "/wrong-shape", "/bad-numbers", "/juso-not-a-list",
                                  "/no-such-path"])
def test_broken_answers_are_unavailable(base_url: str, path: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = _client(base_url, path).search("수지로")
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE
    assert result.message
    # The key never shows up in our logs (it is sent in the POST body, not the URL).
    assert all(API_KEY not in record.getMessage() for record in caplog.records)


def test_timeout_is_unavailable_and_quick(base_url: str) -> None:
    started = time.monotonic()
    result = _client(base_url, "/slow", timeout=0.2).search("수지로")
    elapsed = time.monotonic() - started
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE
    assert "Timeout" in (result.detail or "")
    assert elapsed < 2


def test_connection_refused_is_unavailable() -> None:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = JusoAddressSearch(API_KEY, timeout=0.5, base_url=f"http://127.0.0.1:{port}/").search("수지로")
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE


def test_key_is_required_and_not_in_repr() -> None:
    with pytest.raises(ServiceNotConfigured, match="JUSO_API_KEY"):
        JusoAddressSearch("", timeout=1)
    assert API_KEY not in repr(JusoAddressSearch(API_KEY, timeout=1))


def test_factory_selects_the_real_client() -> None:
    settings = Settings(address_backend="real", juso_api_key=API_KEY, outside_timeout_seconds=1.5)
    client = get_address_search(settings)
    assert isinstance(client, JusoAddressSearch)
    with pytest.raises(ServiceNotConfigured):
        get_address_search(Settings(address_backend="real", juso_api_key=""))


def test_a_broken_base_url_is_unavailable_not_an_exception() -> None:
    result = JusoAddressSearch(API_KEY, timeout=0.5, base_url="http://[bad").search("수지로")
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE
