"""The OAuthClient against a misbehaving fake provider: every failure is an OAuthError
that carries no code, token, secret or personal data."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from yongin_app.domain.enums import OAuthProvider
from yongin_app.ports import get_oauth_client
from yongin_app.ports.errors import OAuthError, ServiceNotConfigured
from yongin_app.ports.oauth import REAL_ENDPOINTS, OAuthClient, OAuthEndpoints, new_state, oauth_callback_path
from yongin_app.settings import Settings

KAKAO, NAVER = OAuthProvider.KAKAO, OAuthProvider.NAVER
CODE = "SECRET-CODE-1234567890"
TOKEN = "SECRET-TOKEN-abcdefghij"
CLIENT_SECRET = "CLIENT-SECRET-xyz"
PERSONAL = "홍길동"
RELEASE_SLOW = threading.Event()
LAST_TOKEN_FORM: dict[str, str] = {}
LAST_AUTHORIZATION: list[str] = []


async def token_ok(request: Request) -> Response:
    LAST_TOKEN_FORM.clear()
    LAST_TOKEN_FORM.update({k: str(v) for k, v in (await request.form()).items()})
    return JSONResponse({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600})


async def me_echo(request: Request) -> Response:
    LAST_AUTHORIZATION.append(request.headers.get("authorization", ""))
    return JSONResponse({"id": 42, "kakao_account": {"email": "a@example.com", "is_email_verified": False}})


async def status_500(request: Request) -> Response:
    return PlainTextResponse(f"error for {CODE} {TOKEN} {PERSONAL}", status_code=500)


async def status_503_json(request: Request) -> Response:
    return JSONResponse({"error": "server_error", "name": PERSONAL}, status_code=503)


async def garbage(request: Request) -> Response:
    return PlainTextResponse(f"<html>{CODE} {PERSONAL}</html>", media_type="text/html")


async def json_array(request: Request) -> Response:
    return JSONResponse([TOKEN, PERSONAL])


async def slow(request: Request) -> Response:
    deadline = time.monotonic() + 5
    while not RELEASE_SLOW.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return JSONResponse({"access_token": TOKEN})


async def kakao_token_error(request: Request) -> Response:
    # Kakao quotes the code back in error_description.
    return JSONResponse(
        {"error": "invalid_grant", "error_description": f"authorization code not found for code={CODE}",
         "error_code": "KOE320"},
        status_code=400,
    )


async def naver_token_error(request: Request) -> Response:
    # Naver answers errors with HTTP 200.
    return JSONResponse({"error": "invalid_request", "error_description": f"no valid data in session {CODE}"})


async def token_without_access_token(request: Request) -> Response:
    return JSONResponse({"token_type": "bearer", "expires_in": 3600})


async def token_not_a_string(request: Request) -> Response:
    return JSONResponse({"access_token": 12345})


async def redirect(request: Request) -> Response:
    return Response(status_code=302, headers={"location": f"/elsewhere?token={TOKEN}"})


async def kakao_me_401(request: Request) -> Response:
    return JSONResponse({"msg": f"this access token does not exist {TOKEN}", "code": -401}, status_code=401)


async def kakao_me_without_id(request: Request) -> Response:
    return JSONResponse({"kakao_account": {"name": PERSONAL}})


async def kakao_me_bool_id(request: Request) -> Response:
    return JSONResponse({"id": True})


async def naver_me_failed(request: Request) -> Response:
    return JSONResponse({"resultcode": "024", "message": f"Authentication failed {PERSONAL}"})


async def naver_me_without_response(request: Request) -> Response:
    return JSONResponse({"resultcode": "00", "message": "success"})


async def naver_me_without_id(request: Request) -> Response:
    return JSONResponse({"resultcode": "00", "message": "success", "response": {"name": PERSONAL}})


ROUTES = {
    "/token-ok": token_ok,
    "/me-echo": me_echo,
    "/500": status_500,
    "/503": status_503_json,
    "/garbage": garbage,
    "/array": json_array,
    "/slow": slow,
    "/kakao-token-error": kakao_token_error,
    "/naver-token-error": naver_token_error,
    "/token-without-access-token": token_without_access_token,
    "/token-not-a-string": token_not_a_string,
    "/redirect": redirect,
    "/kakao-me-401": kakao_me_401,
    "/kakao-me-without-id": kakao_me_without_id,
    "/kakao-me-bool-id": kakao_me_bool_id,
    "/naver-me-failed": naver_me_failed,
    "/naver-me-without-response": naver_me_without_response,
    "/naver-me-without-id": naver_me_without_id,
}
fake_provider = Starlette(routes=[Route(path, handler, methods=["GET", "POST"]) for path, handler in ROUTES.items()])


@pytest.fixture(scope="module")
def base_url(serve: Callable[[Starlette], str]) -> Iterator[str]:
    RELEASE_SLOW.clear()
    yield serve(fake_provider)
    RELEASE_SLOW.set()


def _client(provider: OAuthProvider, base_url: str, token_path: str = "/token-ok", me_path: str = "/me-echo",
            timeout: float = 2.0) -> OAuthClient:
    return OAuthClient(
        provider=provider,
        client_id="client-id",
        client_secret=CLIENT_SECRET,
        redirect_uri="http://127.0.0.1:1/oauth/callback",
        endpoints=OAuthEndpoints(
            authorize_url=f"{base_url}/authorize", token_url=base_url + token_path, userinfo_url=base_url + me_path
        ),
        timeout=timeout,
    )


def _assert_clean(error: OAuthError) -> None:
    text = " ".join([str(error), repr(error), repr(vars(error))])
    for secret in (CODE, TOKEN, CLIENT_SECRET, PERSONAL):
        assert secret not in text
    # Nothing chained that could quote the request either.
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


def test_token_request_sends_the_provider_specific_form(base_url: str) -> None:
    assert _client(KAKAO, base_url).exchange_code(CODE, "st") == TOKEN
    assert LAST_TOKEN_FORM == {
        "grant_type": "authorization_code",
        "client_id": "client-id",
        "code": CODE,
        "redirect_uri": "http://127.0.0.1:1/oauth/callback",
        "client_secret": CLIENT_SECRET,
    }
    assert _client(NAVER, base_url).exchange_code(CODE, "st") == TOKEN
    assert LAST_TOKEN_FORM == {
        "grant_type": "authorization_code",
        "client_id": "client-id",
        "code": CODE,
        "client_secret": CLIENT_SECRET,
        "state": "st",
    }


def test_kakao_without_secret_does_not_send_one(base_url: str) -> None:
    client = OAuthClient(KAKAO, "client-id", "", "http://127.0.0.1:1/cb",
                         OAuthEndpoints("a", f"{base_url}/token-ok", "c"), timeout=2)
    client.exchange_code(CODE, "st")
    assert "client_secret" not in LAST_TOKEN_FORM


def test_profile_request_sends_the_bearer_token(base_url: str) -> None:
    profile = _client(KAKAO, base_url).fetch_profile(TOKEN)
    assert LAST_AUTHORIZATION[-1] == f"Bearer {TOKEN}"
    # An unverified Kakao email is dropped; missing fields are None.
    assert (profile.provider_user_id, profile.email, profile.name, profile.nickname) == ("42", None, None, None)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/500", 500),
        ("/503", 503),
        ("/garbage", 200),
        ("/array", 200),
        ("/kakao-token-error", 400),
        ("/naver-token-error", 200),
        ("/token-without-access-token", 200),
        ("/token-not-a-string", 200),
        ("/redirect", 302),
        ("/no-such-path", 404),
    ],
)
def test_token_failures_raise_clean_oauth_errors(provider: OAuthProvider, path: str, status: int,
                                                 base_url: str) -> None:
    with pytest.raises(OAuthError) as caught:
        _client(provider, base_url, token_path=path).exchange_code(CODE, "state")
    assert caught.value.stage == "token" and caught.value.provider == provider.value
    assert caught.value.status_code == status
    _assert_clean(caught.value)


def test_error_codes_are_kept_but_descriptions_are_not(base_url: str) -> None:
    with pytest.raises(OAuthError) as kakao:
        _client(KAKAO, base_url, token_path="/kakao-token-error").exchange_code(CODE, "s")
    assert kakao.value.error_code == "KOE320" and "KOE320" in str(kakao.value)
    with pytest.raises(OAuthError) as naver:
        _client(NAVER, base_url, token_path="/naver-token-error").exchange_code(CODE, "s")
    assert naver.value.error_code == "invalid_request"


@pytest.mark.parametrize(
    ("provider", "path", "status"),
    [
        (KAKAO, "/500", 500),
        (KAKAO, "/garbage", 200),
        (KAKAO, "/array", 200),
        (KAKAO, "/kakao-me-401", 401),
        (KAKAO, "/kakao-me-without-id", 200),
        (KAKAO, "/kakao-me-bool-id", 200),
        (NAVER, "/503", 503),
        (NAVER, "/garbage", 200),
        (NAVER, "/naver-me-failed", 200),
        (NAVER, "/naver-me-without-response", 200),
        (NAVER, "/naver-me-without-id", 200),
        (NAVER, "/me-echo", 200),  # a Kakao-shaped answer is not a Naver profile
    ],
)
def test_profile_failures_raise_clean_oauth_errors(provider: OAuthProvider, path: str, status: int,
                                                   base_url: str) -> None:
    with pytest.raises(OAuthError) as caught:
        _client(provider, base_url, me_path=path).fetch_profile(TOKEN)
    assert caught.value.stage == "profile" and caught.value.status_code == status
    _assert_clean(caught.value)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_timeouts_raise_clean_oauth_errors(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url, token_path="/slow", me_path="/slow", timeout=0.2)
    started = time.monotonic()
    with pytest.raises(OAuthError) as token_error:
        client.exchange_code(CODE, "s")
    with pytest.raises(OAuthError) as profile_error:
        client.fetch_profile(TOKEN)
    assert time.monotonic() - started < 3
    for error in (token_error.value, profile_error.value):
        assert error.status_code is None and "Timeout" in str(error)
        _assert_clean(error)


def test_connection_refused_raises_a_clean_oauth_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = OAuthClient(KAKAO, "id", CLIENT_SECRET, "http://127.0.0.1:1/cb",
                         OAuthEndpoints("a", f"http://127.0.0.1:{port}/token", f"http://127.0.0.1:{port}/me"), 0.5)
    with pytest.raises(OAuthError) as caught:
        client.exchange_code(CODE, "s")
    _assert_clean(caught.value)


def test_authorize_url_carries_the_standard_parameters() -> None:
    client = OAuthClient(NAVER, "cid", CLIENT_SECRET, "https://lib.example/oauth/naver/callback",
                         REAL_ENDPOINTS[NAVER], timeout=1)
    url = client.authorize_url("the-state")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://nid.naver.com/oauth2.0/authorize"
    assert parse_qs(parts.query) == {
        "response_type": ["code"],
        "client_id": ["cid"],
        "redirect_uri": ["https://lib.example/oauth/naver/callback"],
        "state": ["the-state"],
    }
    assert CLIENT_SECRET not in url and CLIENT_SECRET not in repr(client)
    with_query = OAuthClient(KAKAO, "cid", "", "https://x/cb", OAuthEndpoints("https://p/auth?lang=ko", "t", "u"), 1)
    assert with_query.authorize_url("s").startswith("https://p/auth?lang=ko&response_type=code&")


def test_new_state_is_long_and_fresh() -> None:
    states = {new_state() for _ in range(100)}
    assert len(states) == 100
    assert all(len(state) >= 43 for state in states)


def test_real_endpoints_are_the_documented_ones() -> None:
    assert REAL_ENDPOINTS[KAKAO] == OAuthEndpoints(
        "https://kauth.kakao.com/oauth/authorize", "https://kauth.kakao.com/oauth/token",
        "https://kapi.kakao.com/v2/user/me",
    )
    assert REAL_ENDPOINTS[NAVER] == OAuthEndpoints(
        "https://nid.naver.com/oauth2.0/authorize", "https://nid.naver.com/oauth2.0/token",
        "https://openapi.naver.com/v1/nid/me",
    )


def test_factory_real_backend_uses_settings() -> None:
    settings = Settings(oauth_backend="real", kakao_client_id="kid", kakao_client_secret="ksec",
                        naver_client_id="nid", naver_client_secret="nsec",
                        public_base_url="https://lib.example/", outside_timeout_seconds=4)
    kakao = get_oauth_client(KAKAO, settings)
    assert (kakao.client_id, kakao.endpoints, kakao.timeout) == ("kid", REAL_ENDPOINTS[KAKAO], 4)
    assert kakao.redirect_uri == "https://lib.example" + oauth_callback_path(KAKAO) == \
        "https://lib.example/oauth/kakao/callback"
    naver = get_oauth_client(NAVER, settings, redirect_uri="https://lib.example/custom")
    assert (naver.client_id, naver.endpoints, naver.redirect_uri) == (
        "nid", REAL_ENDPOINTS[NAVER], "https://lib.example/custom")


def test_factory_real_backend_without_keys_is_not_configured() -> None:
    with pytest.raises(ServiceNotConfigured, match="KAKAO_CLIENT_ID"):
        get_oauth_client(KAKAO, Settings(oauth_backend="real"))
    with pytest.raises(ServiceNotConfigured, match="NAVER_CLIENT"):
        get_oauth_client(NAVER, Settings(oauth_backend="real", naver_client_id="nid"))


def test_a_token_that_cannot_be_sent_is_a_clean_oauth_error(base_url: str) -> None:
    with pytest.raises(OAuthError) as caught:
        _client(KAKAO, base_url).fetch_profile("토큰" + TOKEN)
    _assert_clean(caught.value)


def test_a_broken_endpoint_url_is_a_clean_oauth_error() -> None:
    client = OAuthClient(NAVER, "id", CLIENT_SECRET, "http://127.0.0.1:1/cb",
                         OAuthEndpoints("a", "http://[bad", "http://[bad"), 0.5)
    with pytest.raises(OAuthError) as caught:
        client.exchange_code(CODE, "s")
    _assert_clean(caught.value)
