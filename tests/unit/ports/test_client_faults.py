"""The juso.go.kr and OAuth clients against respx-mocked real endpoints: the faults that
test_juso_client.py and test_oauth_client_errors.py (loopback servers) leave out, the log
lines, and generated garbage.

Juso: every fault is AddressSearchFailure(UNAVAILABLE) with the retryable Korean message.
OAuth: every fault is an OAuthError carrying no code, token, secret or profile data.
Neither lets anything else escape, and neither logs what was sent or answered.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings, strategies as st

from yongin_app.domain.enums import OAuthProvider
from yongin_app.ports.address import (
    JUSO_API_URL,
    AddressFailureReason,
    AddressPage,
    AddressSearchFailure,
    JusoAddressSearch,
)
from yongin_app.ports.errors import OAuthError
from yongin_app.ports.oauth import REAL_ENDPOINTS, OAuthClient, OAuthProfile
from yongin_app.services import messages

KAKAO, NAVER = OAuthProvider.KAKAO, OAuthProvider.NAVER
JUSO_KEY = "JUSO-KEY-0001"
# A keyword somebody might type: part of their own address.
KEYWORD = "수지로 296번길 17"
NAME = "홍길동"
CODE, TOKEN, SECRET = "AUTH-CODE-abcdef123456", "ACCESS-TOKEN-zyxw9876", "CLIENT-SECRET-q1w2e3"
SENSITIVE = (JUSO_KEY, KEYWORD, NAME, CODE, TOKEN, SECRET, "gildong@example.com")

COMMON_FAULTS = {
    "connect-timeout": httpx.ConnectTimeout("timed out"),
    "read-timeout": httpx.ReadTimeout("timed out"),
    "pool-timeout": httpx.PoolTimeout("timed out"),
    "connect-error": httpx.ConnectError("connection refused"),
    "remote-closed": httpx.RemoteProtocolError("peer closed connection"),
    "500": httpx.Response(500, text=f"error for {NAME} {KEYWORD} {CODE} {TOKEN}"),
    "502": httpx.Response(502, html="<html>bad gateway</html>"),
    "503": httpx.Response(503, json={"error": "server_error", "name": NAME}),
    "504": httpx.Response(504),
    "html": httpx.Response(200, html=f"<html>점검 중 {NAME} {KEYWORD}</html>"),
    "empty": httpx.Response(200, content=b""),
    "not-utf8": httpx.Response(200, content=b"\xff\xfe\x00{", headers={"content-type": "application/json"}),
    "deep-json": httpx.Response(200, content=b"[" * 100_000, headers={"content-type": "application/json"}),
    "json-array": httpx.Response(200, json=[NAME, TOKEN]),
    "json-number": httpx.Response(200, json=42),
}


def _apply(route: respx.Route, effect: httpx.Response | Exception) -> None:
    if isinstance(effect, Exception):
        route.side_effect = effect
    else:
        route.return_value = effect


def _assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        for secret in SENSITIVE:
            assert secret not in text, (secret, text)


# --- juso.go.kr -----------------------------------------------------------------------------

JUSO_FAULTS = {
    **COMMON_FAULTS,
    "429": httpx.Response(429, headers={"Retry-After": "10"}),
    "redirect": httpx.Response(302, headers={"location": "https://juso.go.kr/maintenance"}),
    "wrong-shape": httpx.Response(200, json={"results": {"common": "ok"}}),
    # juso's system error, its message quoting the keyword: the message must not be logged.
    "system-error-echo": httpx.Response(200, json={"results": {"common": {
        "errorCode": "-999", "errorMessage": f"시스템에러: {KEYWORD} {NAME}", "totalCount": "0"}, "juso": None}}),
    # A garbled error code: not a code, so not kept either.
    "garbled-error-code": httpx.Response(200, json={"results": {"common": {
        "errorCode": f"{NAME} {KEYWORD}", "errorMessage": "", "totalCount": "0"}, "juso": None}}),
}


@pytest.fixture
def juso():
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post(JUSO_API_URL)


@pytest.mark.parametrize("fault", list(JUSO_FAULTS), ids=list(JUSO_FAULTS))
def test_juso_faults_are_unavailable_quick_and_clean(juso, fault: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _apply(juso, JUSO_FAULTS[fault])

    started = time.monotonic()
    result = JusoAddressSearch(JUSO_KEY, timeout=2).search(KEYWORD)

    assert time.monotonic() - started < 1
    assert isinstance(result, AddressSearchFailure)
    assert result.reason is AddressFailureReason.UNAVAILABLE
    assert result.message == messages.ADDRESS_SEARCH_UNAVAILABLE  # the retryable one, in Korean
    assert juso.call_count == 1
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    _assert_logs_clean(caplog)
    # The keyword and the key travel in the POST body, never in the URL.
    request = juso.calls.last.request
    assert parse_qs(request.content.decode())["keyword"] == [KEYWORD]
    assert request.url.query == b""


def test_juso_uses_the_configured_timeout(juso) -> None:
    _apply(juso, httpx.Response(503))
    JusoAddressSearch(JUSO_KEY, timeout=1.25).search(KEYWORD)
    assert juso.calls.last.request.extensions["timeout"]["read"] == 1.25


def _juso_answering(response: httpx.Response) -> JusoAddressSearch:
    return JusoAddressSearch(JUSO_KEY, timeout=1, transport=httpx.MockTransport(lambda request: response))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
juso_like = st.fixed_dictionaries({"results": st.fixed_dictionaries(
    {"common": st.dictionaries(st.sampled_from(["errorCode", "errorMessage", "totalCount", "currentPage",
                                                "countPerPage"]), json_values),
     "juso": json_values | st.lists(st.dictionaries(st.sampled_from(["roadAddr", "zipNo", "siNm", "bdNm"]),
                                                     json_values), max_size=3)})})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200) | json_values.map(lambda v: httpx.Response(200, json=v).content)
       | juso_like.map(lambda v: httpx.Response(200, json=v).content))
def test_juso_garbage_never_raises_and_is_never_logged(body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    result = _juso_answering(httpx.Response(200, content=body)).search(KEYWORD)
    assert isinstance(result, (AddressPage, AddressSearchFailure))
    if isinstance(result, AddressSearchFailure) and result.reason is AddressFailureReason.UNAVAILABLE:
        assert result.message == messages.ADDRESS_SEARCH_UNAVAILABLE
        assert result.error_code is None or re.fullmatch(r"-?[A-Za-z0-9]{1,10}", result.error_code)
    _assert_logs_clean(caplog)


# --- Kakao and Naver ------------------------------------------------------------------------

# test_oauth_client_errors.py (loopback) covers 500, 503, HTML, a JSON array, a slow answer,
# connection refused, redirects and error answers; these are the faults it leaves out.
OAUTH_FAULTS = {
    name: COMMON_FAULTS[name]
    for name in ("connect-timeout", "pool-timeout", "remote-closed", "502", "504", "empty", "not-utf8", "deep-json",
                 "json-number")
} | {"429": httpx.Response(429, json={"error": "too_many_requests", "name": NAME})}
KAKAO_PROFILE = {"id": 3000000001, "kakao_account": {"name": NAME, "email": "gildong@example.com",
                                                       "is_email_verified": True, "profile": {"nickname": "길동이"}}}
NAVER_PROFILE = {"resultcode": "00", "message": "success",
                 "response": {"id": "naver-1", "name": NAME, "email": "gildong@example.com"}}


def _oauth(provider: OAuthProvider, *, transport: httpx.BaseTransport | None = None) -> OAuthClient:
    return OAuthClient(provider, "client-id", SECRET, "https://lib.example/oauth/callback",
                       REAL_ENDPOINTS[provider], timeout=2, transport=transport)


def _assert_clean_error(error: OAuthError) -> None:
    text = " ".join([str(error), repr(error), repr(vars(error))])
    for secret in SENSITIVE:
        assert secret not in text
    assert error.__cause__ is None


@pytest.fixture
def providers():
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
@pytest.mark.parametrize("fault", list(OAUTH_FAULTS), ids=list(OAUTH_FAULTS))
def test_token_faults_at_the_real_endpoints_are_clean_oauth_errors(
    providers, provider: OAuthProvider, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    route = providers.post(REAL_ENDPOINTS[provider].token_url)
    _apply(route, OAUTH_FAULTS[fault])

    started = time.monotonic()
    with pytest.raises(OAuthError) as caught:
        _oauth(provider).exchange_code(CODE, "state-1")

    assert time.monotonic() - started < 1
    assert (caught.value.stage, caught.value.provider) == ("token", provider.value)
    _assert_clean_error(caught.value)
    _assert_logs_clean(caplog)
    assert route.call_count == 1
    assert CODE not in str(route.calls.last.request.url)  # the code goes in the form body


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
@pytest.mark.parametrize("fault", list(OAUTH_FAULTS), ids=list(OAUTH_FAULTS))
def test_profile_faults_at_the_real_endpoints_are_clean_oauth_errors(
    providers, provider: OAuthProvider, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    route = providers.get(REAL_ENDPOINTS[provider].userinfo_url)
    _apply(route, OAUTH_FAULTS[fault])

    with pytest.raises(OAuthError) as caught:
        _oauth(provider).fetch_profile(TOKEN)

    assert caught.value.stage == "profile"
    _assert_clean_error(caught.value)
    _assert_logs_clean(caplog)
    assert TOKEN not in str(route.calls.last.request.url)  # the token goes in the header


@pytest.mark.parametrize(("provider", "profile"), [(KAKAO, KAKAO_PROFILE), (NAVER, NAVER_PROFILE)])
def test_the_real_endpoints_work_when_the_provider_does(providers, provider: OAuthProvider, profile: dict) -> None:
    providers.post(REAL_ENDPOINTS[provider].token_url).respond(200, json={"access_token": TOKEN})
    providers.get(REAL_ENDPOINTS[provider].userinfo_url).respond(200, json=profile)
    client = _oauth(provider)
    result = client.fetch_profile(client.exchange_code(CODE, "state-1"))
    assert isinstance(result, OAuthProfile) and result.name == NAME


@settings(max_examples=100, deadline=None)
@given(provider=st.sampled_from([KAKAO, NAVER]), status=st.sampled_from([200, 200, 400, 401, 500]),
       body=st.binary(max_size=200) | json_values.map(lambda v: httpx.Response(200, json=v).content))
def test_oauth_garbage_raises_nothing_but_oauth_error(provider: OAuthProvider, status: int, body: bytes) -> None:
    client = _oauth(provider, transport=httpx.MockTransport(lambda request: httpx.Response(status, content=body)))
    for call in (lambda: client.exchange_code(CODE, "state-1"), lambda: client.fetch_profile(TOKEN)):
        try:
            result = call()
        except OAuthError as error:
            _assert_clean_error(error)
        else:
            assert isinstance(result, (str, OAuthProfile))
