"""The real OAuthClient against the sandbox OAuth provider, served on loopback."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select
from starlette.applications import Starlette

from yongin_app.db import unit_of_work

from yongin_app.domain.enums import OAuthProvider
from yongin_app.models import SandboxOAuthGrant
from yongin_app.ports import get_oauth_client
from yongin_app.ports.errors import OAuthError
from yongin_app.ports.oauth import OAuthClient, OAuthProfile, new_state
from yongin_app.ports.sandbox.oauth_provider import (
    FAKE_ACCOUNTS,
    SANDBOX_CLIENTS,
    SANDBOX_OAUTH_PREFIX,
    sandbox_endpoints,
    sandbox_oauth_mount,
)
from yongin_app.settings import Settings, get_settings

KAKAO, NAVER = OAuthProvider.KAKAO, OAuthProvider.NAVER
# The app's own callback on the default public address, the one the sandbox accepts (never visited:
# the tests read the Location header).
REDIRECT_URI = "http://localhost:3000/oauth/{provider}/callback"
_APP_CALLBACK = REDIRECT_URI.format(provider="kakao")
TITLES = {KAKAO: "시험용 카카오 로그인", NAVER: "시험용 네이버 로그인"}


class FormPage(HTMLParser):
    """Collects what a browser user would see and submit on the authorize page."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.title = ""
        self.text: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.hidden: dict[str, str] = {}
        self.radios: list[dict[str, str | None]] = []
        self.labels: dict[str, str] = {}
        self.buttons: list[dict[str, str | None]] = []
        self.legend = ""
        self._in: list[str] = []
        self._label_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._in.append(tag)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "form":
            self.forms.append(attributes)
        elif tag == "input" and attributes.get("type") == "hidden":
            self.hidden[attributes["name"] or ""] = attributes.get("value") or ""
        elif tag == "input" and attributes.get("type") == "radio":
            self.radios.append(attributes)
        elif tag == "label":
            self._label_for = attributes.get("for")
            self.labels[self._label_for or ""] = ""
        elif tag == "button":
            self.buttons.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._in and self._in[-1] == "legend":
            self.legend += data
        if self._label_for is not None:
            self.labels[self._label_for] += data
        if self._in and self._in[-1] not in ("style", "title"):
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(autouse=True)
def _store(database) -> None:
    """The sandbox keeps its codes and tokens in the app's database (shared by all workers)."""


@pytest.fixture(scope="module")
def base_url(serve: Callable[[Starlette], str]) -> str:
    # Mounted exactly as the app mounts it, under /sandbox/oauth.
    return serve(Starlette(routes=[sandbox_oauth_mount()]))


def _client(provider: OAuthProvider, base_url: str, **overrides: str) -> OAuthClient:
    client_id, client_secret = SANDBOX_CLIENTS[provider]
    return OAuthClient(
        provider=provider,
        client_id=overrides.get("client_id", client_id),
        client_secret=overrides.get("client_secret", client_secret),
        redirect_uri=overrides.get("redirect_uri", REDIRECT_URI.format(provider=provider.value)),
        endpoints=sandbox_endpoints(provider, base_url),
        timeout=5,
    )


def _open_authorize_page(client: OAuthClient, state: str) -> tuple[str, FormPage]:
    url = client.authorize_url(state)
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = FormPage()
    page.feed(response.text)
    return url, page


def _choose(url: str, page: FormPage, account: str, decision: str = "allow") -> httpx.Response:
    form = {**page.hidden, "account": account, "decision": decision}
    # The form has no action: the browser posts back to the page's own URL.
    return httpx.post(url, data=form, follow_redirects=False)


def _log_in(client: OAuthClient, account: str = "1") -> tuple[str, str]:
    state = new_state()
    url, page = _open_authorize_page(client, state)
    response = _choose(url, page, account)
    assert response.status_code in (302, 303)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == [state]
    return query["code"][0], state


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_authorize_page_is_marked_labelled_and_usable(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url)
    state = new_state()
    _url, page = _open_authorize_page(client, state)
    assert page.html_lang == "ko"
    assert page.title == TITLES[provider]
    assert "시험용 (sandbox)" in page.visible_text
    assert TITLES[provider] in page.visible_text
    assert len(page.forms) == 1 and page.forms[0].get("method") == "post" and "action" not in page.forms[0]
    assert page.hidden == {
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "state": state,
    }
    assert page.legend.strip() == "시험 계정 선택"
    # Three radios, each with a label pointing at it, the first one preselected.
    assert [radio["value"] for radio in page.radios] == ["1", "2", "3"]
    assert all(radio["name"] == "account" for radio in page.radios)
    assert "checked" in page.radios[0] and all("checked" not in r for r in page.radios[1:])
    for radio, account in zip(page.radios, FAKE_ACCOUNTS[provider]):
        label = page.labels[radio["id"] or ""]
        assert account.email in label and account.nickname in label
    assert [(b.get("type"), b.get("value")) for b in page.buttons] == [("submit", "allow"), ("submit", "cancel")]


@pytest.mark.parametrize(
    ("provider", "account", "expected"),
    [
        (KAKAO, "1", OAuthProfile(KAKAO, "3000000001", "홍길동", "gildong.kakao@example.com", "길동이")),
        (KAKAO, "3", OAuthProfile(KAKAO, "3000000003", None, "newuser.kakao@example.com", "새사용자")),
        (NAVER, "2", OAuthProfile(NAVER, "sbxNaverKimYongin00002", "김용인", "yongin.naver@example.net", "용인사랑")),
        (NAVER, "3", OAuthProfile(NAVER, "sbxNaverNewUser0000003", None, "newuser.naver@example.net", "새사용자")),
    ],
)
def test_full_code_flow(provider: OAuthProvider, account: str, expected: OAuthProfile, base_url: str) -> None:
    client = _client(provider, base_url)
    code, state = _log_in(client, account)
    token = client.exchange_code(code, state)
    assert token
    assert client.fetch_profile(token) == expected
    # The token keeps working for the profile.
    assert client.fetch_profile(token) == expected


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_redirect_goes_to_the_redirect_uri(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url)
    url, page = _open_authorize_page(client, "s1")
    location = _choose(url, page, "1").headers["location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REDIRECT_URI.format(provider=provider.value)
    query = parse_qs(parts.query)
    assert query["state"] == ["s1"] and query["code"]


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_only_the_apps_own_callback_is_accepted(provider: OAuthProvider, base_url: str) -> None:
    # A code sent to another site would let it log in as the member (the authorize page refuses it).
    client = _client(provider, base_url, redirect_uri="https://attacker.example/oauth/callback")
    response = httpx.get(client.authorize_url("s1"))
    assert response.status_code == 400 and "등록되지 않은 redirect_uri" in response.text


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_code_replay_is_refused(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url)
    code, state = _log_in(client)
    client.exchange_code(code, state)
    with pytest.raises(OAuthError) as caught:
        client.exchange_code(code, state)
    assert caught.value.stage == "token"
    assert code not in str(caught.value)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_a_code_from_one_server_is_redeemed_at_another_and_only_its_hash_is_stored(
    provider: OAuthProvider, base_url: str, serve: Callable[[Starlette], str]
) -> None:
    # Several backend workers: the code is issued by one and redeemed by whichever gets the call.
    code, state = _log_in(_client(provider, base_url))
    with unit_of_work() as session:
        stored = session.exec(select(SandboxOAuthGrant.value_hash)).all()
    assert stored and code not in stored
    other_worker = serve(Starlette(routes=[sandbox_oauth_mount()]))
    assert _client(provider, other_worker).exchange_code(code, state)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_unknown_code_is_refused(provider: OAuthProvider, base_url: str) -> None:
    with pytest.raises(OAuthError):
        _client(provider, base_url).exchange_code("made-up-code", "some-state")


def test_naver_token_needs_the_same_state(base_url: str) -> None:
    client = _client(NAVER, base_url)
    code, _state = _log_in(client)
    with pytest.raises(OAuthError) as caught:
        client.exchange_code(code, "another-state")
    assert caught.value.error_code == "invalid_request"
    # The code was spent by that attempt.
    with pytest.raises(OAuthError):
        client.exchange_code(code, _state)


def test_kakao_token_needs_the_same_redirect_uri(base_url: str) -> None:
    code, state = _log_in(_client(KAKAO, base_url))
    other = _client(KAKAO, base_url, redirect_uri="http://127.0.0.1:1/elsewhere")
    with pytest.raises(OAuthError) as caught:
        other.exchange_code(code, state)
    assert caught.value.status_code == 400 and caught.value.error_code == "KOE303"


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_wrong_client_secret_is_refused(provider: OAuthProvider, base_url: str) -> None:
    code, state = _log_in(_client(provider, base_url))
    with pytest.raises(OAuthError) as caught:
        _client(provider, base_url, client_secret="wrong-secret").exchange_code(code, state)
    assert "wrong-secret" not in str(caught.value)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_wrong_token_is_refused(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url)
    with pytest.raises(OAuthError) as caught:
        client.fetch_profile("not-a-real-token")
    assert caught.value.status_code == 401 and caught.value.stage == "profile"
    assert "not-a-real-token" not in str(caught.value)


def test_a_kakao_token_does_not_work_at_naver(base_url: str) -> None:
    kakao = _client(KAKAO, base_url)
    token = kakao.exchange_code(*_log_in(kakao))
    with pytest.raises(OAuthError):
        _client(NAVER, base_url).fetch_profile(token)


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_cancel_returns_access_denied_with_the_state(provider: OAuthProvider, base_url: str) -> None:
    client = _client(provider, base_url)
    url, page = _open_authorize_page(client, "cancel-state")
    response = _choose(url, page, "1", decision="cancel")
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["cancel-state"]
    assert "code" not in query


@pytest.mark.parametrize(
    ("provider", "params"),
    [
        (KAKAO, {"response_type": "code", "client_id": "unknown", "redirect_uri": _APP_CALLBACK, "state": "s"}),
        (KAKAO, {"response_type": "token", "client_id": SANDBOX_CLIENTS[KAKAO][0], "redirect_uri": _APP_CALLBACK}),
        (KAKAO, {"response_type": "code", "client_id": SANDBOX_CLIENTS[KAKAO][0], "redirect_uri": "javascript:alert(1)"}),
        (KAKAO, {"response_type": "code", "client_id": SANDBOX_CLIENTS[KAKAO][0],
                 "redirect_uri": "https://attacker.example/oauth/kakao/callback", "state": "s"}),
        (KAKAO, {"response_type": "code", "client_id": SANDBOX_CLIENTS[KAKAO][0],
                 "redirect_uri": "http://localhost:3000/somewhere-else", "state": "s"}),
        (NAVER, {"response_type": "code", "client_id": SANDBOX_CLIENTS[NAVER][0],
                 "redirect_uri": REDIRECT_URI.format(provider="naver")}),
    ],
    ids=["unknown-client", "wrong-response-type", "bad-redirect", "another-site", "another-path",
         "naver-without-state"],
)
def test_bad_authorize_requests_get_a_marked_error_page(
    provider: OAuthProvider, params: dict[str, str], base_url: str
) -> None:
    url = sandbox_endpoints(provider, base_url).authorize_url
    response = httpx.get(url, params=params)
    assert response.status_code == 400
    page = FormPage()
    page.feed(response.text)
    assert page.html_lang == "ko" and "시험용 (sandbox)" in page.visible_text
    assert page.title.startswith("오류:")
    assert not page.forms


def test_unchosen_account_is_refused(base_url: str) -> None:
    client = _client(KAKAO, base_url)
    url, page = _open_authorize_page(client, "s")
    response = _choose(url, page, "9")
    assert response.status_code == 400 and "시험 계정을 선택하세요" in response.text


def test_state_is_escaped_in_the_page(base_url: str) -> None:
    client = _client(NAVER, base_url)
    state = '"><script>alert(1)</script>'
    url, page = _open_authorize_page(client, state)
    assert page.hidden["state"] == state  # round-trips as a value ...
    raw = httpx.get(url).text
    assert "<script>" not in raw  # ... but never as markup


def test_unknown_provider_is_404(base_url: str) -> None:
    assert httpx.get(f"{base_url}{SANDBOX_OAUTH_PREFIX}/google/authorize").status_code == 404


@pytest.mark.parametrize("provider", [KAKAO, NAVER])
def test_factory_client_uses_the_mounted_sandbox(provider: OAuthProvider, base_url: str, monkeypatch) -> None:
    # The app and its sandbox provider read the same public address.
    monkeypatch.setenv("YONGIN_PUBLIC_BASE_URL", base_url)
    get_settings.cache_clear()
    client = get_oauth_client(provider, Settings(public_base_url=base_url, oauth_backend="sandbox"))
    assert client.endpoints.authorize_url == f"{base_url}/sandbox/oauth/{provider.value}/authorize"
    assert client.redirect_uri == f"{base_url}/oauth/{provider.value}/callback"
    code, state = _log_in(client)
    profile = client.fetch_profile(client.exchange_code(code, state))
    assert profile.provider is provider and profile.provider_user_id == FAKE_ACCOUNTS[provider][0].provider_user_id
