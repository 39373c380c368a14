"""Sandbox Kakao / Naver OAuth 2.0 provider, served by the app itself.

Mount ``sandbox_oauth_app`` under ``SANDBOX_OAUTH_PREFIX`` ("/sandbox/oauth")
in the Reflex backend (see ``sandbox_oauth_mount``). Per provider it serves:

- GET  /{provider}/authorize  page to pick one of three fake accounts
- POST /{provider}/authorize  redirect to redirect_uri?code=...&state=...
- POST /{provider}/token      code -> {access_token, token_type, expires_in}
- GET  /kakao/v2/user/me and /naver/v1/nid/me   the real JSON shapes

Codes and tokens live in the app's database (table ``sandboxoauthgrant``, hashes
only), so with several backend workers a code issued by one worker is redeemed
by another, as with the real providers.
"""

from __future__ import annotations

import hashlib
import html
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from yongin_app.clock import utcnow
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import OAuthProvider
from yongin_app.models import SandboxOAuthGrant
from yongin_app.ports.oauth import OAuthEndpoints, oauth_callback_path
from yongin_app.settings import get_settings

SANDBOX_OAUTH_PREFIX = "/sandbox/oauth"

# The sandbox's registered "apps". The real ones come from the settings.
SANDBOX_CLIENTS: dict[OAuthProvider, tuple[str, str]] = {
    OAuthProvider.KAKAO: ("sandbox-kakao-client-id", "sandbox-kakao-client-secret"),
    OAuthProvider.NAVER: ("sandbox-naver-client-id", "sandbox-naver-client-secret"),
}

CODE_LIFETIME_SECONDS = 600  # Kakao: 10 minutes
TOKEN_LIFETIME_SECONDS = {OAuthProvider.KAKAO: 21599, OAuthProvider.NAVER: 3600}

_PROVIDER_LABEL = {OAuthProvider.KAKAO: "카카오", OAuthProvider.NAVER: "네이버"}


def sandbox_endpoints(provider: OAuthProvider, base_url: str) -> OAuthEndpoints:
    """Endpoints of this sandbox, for an app reachable at ``base_url``."""
    root = f"{base_url.rstrip('/')}{SANDBOX_OAUTH_PREFIX}/{provider.value}"
    userinfo = "/v2/user/me" if provider is OAuthProvider.KAKAO else "/v1/nid/me"
    return OAuthEndpoints(
        authorize_url=f"{root}/authorize", token_url=f"{root}/token", userinfo_url=f"{root}{userinfo}"
    )


# --- fake accounts ---------------------------------------------------------------


@dataclass(frozen=True)
class FakeAccount:
    key: str  # "1", "2", "3": the value of the radio button
    provider_user_id: str
    name: str | None
    nickname: str
    email: str


FAKE_ACCOUNTS: dict[OAuthProvider, tuple[FakeAccount, ...]] = {
    OAuthProvider.KAKAO: (
        FakeAccount("1", "3000000001", "홍길동", "길동이", "gildong.kakao@example.com"),
        FakeAccount("2", "3000000002", "김용인", "용인맘", "yongin.kakao@example.com"),
        FakeAccount("3", "3000000003", None, "새사용자", "newuser.kakao@example.com"),
    ),
    OAuthProvider.NAVER: (
        FakeAccount("1", "sbxNaverHongGildong0001", "홍길동", "길동", "gildong.naver@example.net"),
        FakeAccount("2", "sbxNaverKimYongin00002", "김용인", "용인사랑", "yongin.naver@example.net"),
        FakeAccount("3", "sbxNaverNewUser0000003", None, "새사용자", "newuser.naver@example.net"),
    ),
}


def _account(provider: OAuthProvider, key: str) -> FakeAccount | None:
    return next((a for a in FAKE_ACCOUNTS[provider] if a.key == key), None)


# --- the shared store ---------------------------------------------------------------


@dataclass(frozen=True)
class _CodeGrant:
    provider: OAuthProvider
    account_key: str
    client_id: str
    redirect_uri: str
    state: str
    expires_at: datetime


@dataclass(frozen=True)
class _TokenGrant:
    provider: OAuthProvider
    account_key: str
    expires_at: datetime


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class _Store:
    """Codes and tokens in the app's database, so every backend worker sees them."""

    def issue_code(self, grant: _CodeGrant) -> str:
        code = secrets.token_urlsafe(24)
        self._insert("code", code, grant.provider, grant.account_key, grant.expires_at,
                     client_id=grant.client_id, redirect_uri=grant.redirect_uri, state=grant.state)
        return code

    def take_code(self, code: str) -> _CodeGrant | None:
        """A code works once: it is removed whatever happens next (DELETE ... RETURNING is atomic)."""
        if not code:
            return None
        table = SandboxOAuthGrant.__table__
        with unit_of_work(write=True) as session:
            row = session.execute(
                sa.delete(table)
                .where(table.c.kind == "code", table.c.value_hash == _hash(code))
                .returning(table.c.provider, table.c.account_key, table.c.client_id,
                           table.c.redirect_uri, table.c.state, table.c.expires_at)
            ).first()
        if row is None or _aware(row.expires_at) <= utcnow():
            return None
        return _CodeGrant(provider=OAuthProvider(row.provider), account_key=row.account_key,
                          client_id=row.client_id, redirect_uri=row.redirect_uri, state=row.state,
                          expires_at=_aware(row.expires_at))

    def issue_token(self, grant: _TokenGrant) -> str:
        token = secrets.token_urlsafe(32)
        self._insert("token", token, grant.provider, grant.account_key, grant.expires_at)
        return token

    def token(self, token: str) -> _TokenGrant | None:
        with unit_of_work() as session:
            row = session.exec(
                select(SandboxOAuthGrant).where(
                    SandboxOAuthGrant.kind == "token", SandboxOAuthGrant.value_hash == _hash(token)
                )
            ).first()
        if row is None or _aware(row.expires_at) <= utcnow():
            return None
        return _TokenGrant(provider=row.provider, account_key=row.account_key, expires_at=_aware(row.expires_at))

    def clear(self) -> None:
        with unit_of_work(write=True) as session:
            session.execute(sa.delete(SandboxOAuthGrant.__table__))

    @staticmethod
    def _insert(kind: str, value: str, provider: OAuthProvider, account_key: str, expires_at: datetime,
                **extra: str) -> None:
        now = utcnow()
        with unit_of_work(write=True) as session:
            session.execute(sa.delete(SandboxOAuthGrant.__table__).where(SandboxOAuthGrant.expires_at <= now))
            session.add(SandboxOAuthGrant(kind=kind, value_hash=_hash(value), provider=provider,
                                          account_key=account_key, expires_at=expires_at, **extra))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_STORE = _Store()


def reset_sandbox_oauth_store() -> None:
    """Forget all codes and tokens (for tests)."""
    _STORE.clear()


# --- HTML ---------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Apple SD Gothic Neo","Malgun Gothic",sans-serif;
margin:0;background:#f4f4f4;color:#1a1a1a;line-height:1.5}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}
.sandbox-marker{display:inline-block;margin:0 0 .5rem;padding:.2rem .6rem;border:2px solid #8a4b00;
border-radius:4px;background:#fff4e0;color:#5c3200;font-weight:700}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
fieldset{border:1px solid #767676;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
legend{font-weight:700;padding:0 .25rem}
.choice{display:flex;align-items:center;gap:.5rem;padding:.4rem 0}
.choice input{width:1.25rem;height:1.25rem;margin:0}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}
button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border-radius:6px;cursor:pointer;min-height:44px}
.primary.kakao{background:#fee500;color:#191919;border:1px solid #191919}
.primary.naver{background:#03803c;color:#fff;border:1px solid #03803c}
.secondary{background:#fff;color:#1a1a1a;border:1px solid #767676}
:focus-visible{outline:3px solid #1a4fd6;outline-offset:2px}
.error{color:#b00020;font-weight:700}
"""


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<main>\n<p class="sandbox-marker">시험용 (sandbox)</p>\n{body}\n</main>\n</body>\n</html>\n'
    )
    return HTMLResponse(document, status_code=status_code, headers={"Cache-Control": "no-store"})


def _title(provider: OAuthProvider) -> str:
    return f"시험용 {_PROVIDER_LABEL[provider]} 로그인"


def _error_page(provider: OAuthProvider, message: str) -> HTMLResponse:
    title = _title(provider)
    body = (
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="error" role="alert">잘못된 로그인 요청입니다: {html.escape(message)}</p>'
    )
    return _page(f"오류: {title}", body, status_code=400)


def _choice_page(provider: OAuthProvider, client_id: str, redirect_uri: str, state: str) -> HTMLResponse:
    title = _title(provider)
    label = _PROVIDER_LABEL[provider]
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value, quote=True)}">'
        for name, value in (("client_id", client_id), ("redirect_uri", redirect_uri), ("state", state))
    )
    choices = []
    for index, account in enumerate(FAKE_ACCOUNTS[provider]):
        shown_name = account.name or "이름 없음"
        choices.append(
            '<div class="choice">'
            f'<input type="radio" id="account-{account.key}" name="account" value="{account.key}"'
            f'{" checked" if index == 0 else ""}>'
            f'<label for="account-{account.key}">{html.escape(shown_name)} '
            f"({html.escape(account.nickname)}, {html.escape(account.email)})</label>"
            "</div>"
        )
    body = (
        f"<h1>{html.escape(title)}</h1>\n"
        f"<p>실제 {label}가 아닌 시험용 화면입니다. 로그인할 시험 계정을 고르세요.</p>\n"
        # No action attribute: the form posts back to this same URL.
        f'<form method="post">\n{hidden}\n'
        f'<fieldset>\n<legend>시험 계정 선택</legend>\n{"".join(choices)}\n</fieldset>\n'
        '<div class="actions">\n'
        f'<button type="submit" name="decision" value="allow" class="primary {provider.value}">'
        "동의하고 계속하기</button>\n"
        '<button type="submit" name="decision" value="cancel" class="secondary">취소</button>\n'
        "</div>\n</form>"
    )
    return _page(title, body)


# --- handlers -------------------------------------------------------------------------------


def _provider(request: Request) -> OAuthProvider | None:
    try:
        return OAuthProvider(request.path_params["provider"])
    except ValueError:
        return None


def registered_redirect_uris(provider: OAuthProvider) -> list[str]:
    """The app's own callback for ``provider`` on its allowed origins (settings.public_base_url)."""
    return [f"{origin}{oauth_callback_path(provider)}" for origin in get_settings().allowed_origins]


def _check_authorize_params(provider: OAuthProvider, params: Any) -> str | None:
    """Return a Korean error message, or None when the request is acceptable."""
    if params.get("response_type", "code") != "code":
        return "response_type은 code여야 합니다."
    if params.get("client_id") != SANDBOX_CLIENTS[provider][0]:
        return "등록되지 않은 client_id입니다."
    redirect_uri = params.get("redirect_uri") or ""
    if redirect_uri not in registered_redirect_uris(provider):
        # As Kakao and Naver do: only the redirect URIs registered for the app, never another site.
        return "등록되지 않은 redirect_uri입니다."
    if provider is OAuthProvider.NAVER and not params.get("state"):
        return "state가 없습니다."  # Naver requires it
    return None


def _redirect_back(redirect_uri: str, params: dict[str, str]) -> RedirectResponse:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(params)}", status_code=303)


async def authorize(request: Request) -> Response:
    provider = _provider(request)
    if provider is None:
        return Response("Not Found", status_code=404)
    if request.method == "GET":
        params = request.query_params
        problem = _check_authorize_params(provider, params)
        if problem:
            return _error_page(provider, problem)
        return _choice_page(provider, params["client_id"], params["redirect_uri"], params.get("state", ""))

    form = await request.form()
    fields = {key: str(value) for key, value in form.items()}
    problem = _check_authorize_params(provider, fields)
    if problem:
        return _error_page(provider, problem)
    state = fields.get("state", "")
    redirect_uri = fields["redirect_uri"]
    extra = {"state": state} if state else {}
    if fields.get("decision") == "cancel":
        description = "User denied access" if provider is OAuthProvider.KAKAO else "Canceled By User"
        return _redirect_back(
            redirect_uri, {"error": "access_denied", "error_description": description, **extra}
        )
    account = _account(provider, fields.get("account", ""))
    if account is None:
        return _error_page(provider, "시험 계정을 선택하세요.")
    code = _STORE.issue_code(
        _CodeGrant(
            provider=provider,
            account_key=account.key,
            client_id=fields["client_id"],
            redirect_uri=redirect_uri,
            state=state,
            expires_at=utcnow() + timedelta(seconds=CODE_LIFETIME_SECONDS),
        )
    )
    return _redirect_back(redirect_uri, {"code": code, **extra})


def _token_error(provider: OAuthProvider, error: str, description: str, kakao_code: str) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if provider is OAuthProvider.KAKAO:
        # Kakao: HTTP 400 with error, error_description and error_code (KOE...).
        body = {"error": error, "error_description": description, "error_code": kakao_code}
        return JSONResponse(body, status_code=400, headers=headers)
    # Naver: HTTP 200 with error and error_description.
    return JSONResponse({"error": error, "error_description": description}, headers=headers)


async def token(request: Request) -> Response:
    provider = _provider(request)
    if provider is None:
        return Response("Not Found", status_code=404)
    form = await request.form()
    # Naver also accepts the parameters in the query string.
    fields = {**dict(request.query_params), **{key: str(value) for key, value in form.items()}}
    client_id, client_secret = SANDBOX_CLIENTS[provider]
    if fields.get("grant_type") != "authorization_code":
        return _token_error(provider, "unsupported_grant_type", "unsupported grant type", "KOE310")
    if fields.get("client_id") != client_id:
        return _token_error(provider, "invalid_client", "client_id is invalid", "KOE101")
    secret = fields.get("client_secret")
    # Naver always requires the secret; Kakao only checks it when sent.
    if (provider is OAuthProvider.NAVER or secret is not None) and secret != client_secret:
        return _token_error(provider, "invalid_client", "client_secret is invalid", "KOE010")
    grant = _STORE.take_code(fields.get("code", ""))
    if grant is None or grant.provider is not provider or grant.client_id != client_id:
        return _token_error(provider, "invalid_grant", "authorization code not found", "KOE320")
    if provider is OAuthProvider.KAKAO and fields.get("redirect_uri") != grant.redirect_uri:
        return _token_error(provider, "invalid_grant", "redirect_uri mismatch", "KOE303")
    if provider is OAuthProvider.NAVER and fields.get("state") != grant.state:
        return _token_error(provider, "invalid_request", "state mismatch", "KOE320")
    lifetime = TOKEN_LIFETIME_SECONDS[provider]
    access_token = _STORE.issue_token(
        _TokenGrant(provider=provider, account_key=grant.account_key, expires_at=utcnow() + timedelta(seconds=lifetime))
    )
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "bearer",
        "refresh_token": secrets.token_urlsafe(32),  # not honoured by the sandbox
        # Naver sends expires_in as a string, Kakao as a number.
        "expires_in": lifetime if provider is OAuthProvider.KAKAO else str(lifetime),
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _bearer_account(request: Request, provider: OAuthProvider) -> FakeAccount | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    grant = _STORE.token(value.strip())
    if grant is None or grant.provider is not provider:
        return None
    return _account(provider, grant.account_key)


async def kakao_me(request: Request) -> Response:
    account = _bearer_account(request, OAuthProvider.KAKAO)
    if account is None:
        return JSONResponse({"msg": "this access token does not exist", "code": -401}, status_code=401)
    kakao_account: dict[str, Any] = {
        "profile_nickname_needs_agreement": False,
        "profile": {"nickname": account.nickname, "is_default_image": True},
        "has_email": True,
        "email_needs_agreement": False,
        "is_email_valid": True,
        "is_email_verified": True,
        "email": account.email,
    }
    if account.name:
        kakao_account.update({"name_needs_agreement": False, "name": account.name})
    body = {
        "id": int(account.provider_user_id),
        "connected_at": "2025-01-01T00:00:00Z",
        "properties": {"nickname": account.nickname},
        "kakao_account": kakao_account,
    }
    return JSONResponse(body)


async def naver_me(request: Request) -> Response:
    account = _bearer_account(request, OAuthProvider.NAVER)
    if account is None:
        return JSONResponse({"resultcode": "024", "message": "Authentication failed"}, status_code=401)
    response: dict[str, Any] = {"id": account.provider_user_id, "nickname": account.nickname, "email": account.email}
    if account.name:
        response["name"] = account.name
    return JSONResponse({"resultcode": "00", "message": "success", "response": response})


sandbox_oauth_app = Starlette(
    routes=[
        Route("/kakao/v2/user/me", kakao_me, methods=["GET", "POST"]),
        Route("/naver/v1/nid/me", naver_me, methods=["GET"]),
        Route("/{provider}/authorize", authorize, methods=["GET", "POST"]),
        Route("/{provider}/token", token, methods=["POST"]),
    ]
)


def sandbox_oauth_mount() -> Mount:
    """A Starlette Mount of the sandbox under SANDBOX_OAUTH_PREFIX."""
    return Mount(SANDBOX_OAUTH_PREFIX, app=sandbox_oauth_app)
