"""OAuth 2.0 authorization-code client for Kakao and Naver login.

The same code talks to the real providers and to the sandbox provider served
by the app itself; only ``OAuthEndpoints`` differ. Generating the ``state``,
keeping it in the session and checking it (once) on the callback is the
caller's job; ``new_state`` makes one.

Kakao/Naver login is a login mapping only, never 본인확인.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from yongin_app.domain.enums import OAuthProvider
from yongin_app.ports.errors import OAuthError


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize_url: str
    token_url: str
    userinfo_url: str


REAL_ENDPOINTS: dict[OAuthProvider, OAuthEndpoints] = {
    OAuthProvider.KAKAO: OAuthEndpoints(
        authorize_url="https://kauth.kakao.com/oauth/authorize",
        token_url="https://kauth.kakao.com/oauth/token",
        userinfo_url="https://kapi.kakao.com/v2/user/me",
    ),
    OAuthProvider.NAVER: OAuthEndpoints(
        authorize_url="https://nid.naver.com/oauth2.0/authorize",
        token_url="https://nid.naver.com/oauth2.0/token",
        userinfo_url="https://openapi.naver.com/v1/nid/me",
    ),
}

# Where the provider sends the browser back, relative to settings.public_base_url.
OAUTH_CALLBACK_PATH = "/oauth/{provider}/callback"


def oauth_callback_path(provider: OAuthProvider) -> str:
    return OAUTH_CALLBACK_PATH.format(provider=provider.value)


def new_state() -> str:
    """A fresh unguessable ``state`` for one authorization request."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class OAuthProfile:
    provider: OAuthProvider
    provider_user_id: str
    name: str | None = None
    email: str | None = None
    nickname: str | None = None


# Error codes from the provider are echoed into OAuthError only when they look
# like codes ("invalid_grant", "KOE320", "024"), never free text that might
# quote the code or token back.
_SAFE_ERROR_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


def _safe_code(value: Any) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value)
        if _SAFE_ERROR_CODE.match(text):
            return text
    return None


def _optional_str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


class OAuthClient:
    def __init__(
        self,
        provider: OAuthProvider,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        endpoints: OAuthEndpoints,
        timeout: float,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.endpoints = endpoints
        self.timeout = timeout
        self._transport = transport

    def __repr__(self) -> str:  # keep the secret out of reprs
        return f"OAuthClient(provider={self.provider.value!r}, endpoints={self.endpoints!r})"

    # -- step 1: send the browser to the provider -------------------------------

    def authorize_url(self, state: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "state": state,
            }
        )
        separator = "&" if "?" in self.endpoints.authorize_url else "?"
        return f"{self.endpoints.authorize_url}{separator}{query}"

    # -- step 2: trade the code for an access token ------------------------------

    def exchange_code(self, code: str, state: str) -> str:
        """Return the access token, or raise OAuthError."""
        form = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "code": code,
        }
        if self.provider is OAuthProvider.KAKAO:
            form["redirect_uri"] = self.redirect_uri
            if self._client_secret:  # optional at Kakao, depending on the app's setting
                form["client_secret"] = self._client_secret
        else:
            form["client_secret"] = self._client_secret
            form["state"] = state
        response = self._request("token", "POST", self.endpoints.token_url, data=form)
        payload = self._json(response, "token")
        # Naver answers errors with HTTP 200 and an "error" member.
        if response.status_code != 200 or "error" in payload:
            raise self._error(
                "token", response.status_code, _safe_code(payload.get("error_code") or payload.get("error"))
            )
        token = payload.get("access_token")
        if not isinstance(token, str) or not token:
            raise self._error("token", response.status_code, None, "no access_token in the answer")
        return token

    # -- step 3: who is it? -------------------------------------------------------

    def fetch_profile(self, access_token: str) -> OAuthProfile:
        response = self._request(
            "profile",
            "GET",
            self.endpoints.userinfo_url,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        payload = self._json(response, "profile")
        if response.status_code != 200:
            code = payload.get("resultcode") if self.provider is OAuthProvider.NAVER else payload.get("code")
            raise self._error("profile", response.status_code, _safe_code(code))
        if self.provider is OAuthProvider.KAKAO:
            return self._parse_kakao(payload, response.status_code)
        return self._parse_naver(payload, response.status_code)

    def _parse_kakao(self, payload: dict[str, Any], status: int) -> OAuthProfile:
        user_id = payload.get("id")
        if isinstance(user_id, bool) or not isinstance(user_id, (int, str)) or str(user_id) == "":
            raise self._error("profile", status, None, "no id in the answer")
        account = payload.get("kakao_account")
        account = account if isinstance(account, dict) else {}
        profile = account.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        properties = payload.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        email = _optional_str(account.get("email"))
        if email and account.get("is_email_verified") is False:
            email = None  # an unverified address is not worth keeping
        return OAuthProfile(
            provider=self.provider,
            provider_user_id=str(user_id),
            name=_optional_str(account.get("name")),
            email=email,
            nickname=_optional_str(profile.get("nickname")) or _optional_str(properties.get("nickname")),
        )

    def _parse_naver(self, payload: dict[str, Any], status: int) -> OAuthProfile:
        if payload.get("resultcode") != "00":
            raise self._error("profile", status, _safe_code(payload.get("resultcode")))
        body = payload.get("response")
        if not isinstance(body, dict):
            raise self._error("profile", status, None, "no response object in the answer")
        user_id = _optional_str(body.get("id"))
        if user_id is None:
            raise self._error("profile", status, None, "no id in the answer")
        return OAuthProfile(
            provider=self.provider,
            provider_user_id=user_id,
            name=_optional_str(body.get("name")),
            email=_optional_str(body.get("email")),
            nickname=_optional_str(body.get("nickname")),
        )

    # -- plumbing -------------------------------------------------------------------

    def _request(self, stage: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            with httpx.Client(
                timeout=self.timeout, transport=self._transport, follow_redirects=False
            ) as client:
                return client.request(
                    method, url, headers={"Accept": "application/json", **kwargs.pop("headers", {})}, **kwargs
                )
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
            # from None: the original exception may quote the request (and the token).
            raise self._error(stage, None, None, f"transport error ({type(exc).__name__})") from None

    def _json(self, response: httpx.Response, stage: str) -> dict[str, Any]:
        if response.status_code >= 500:
            raise self._error(stage, response.status_code, None)
        try:
            payload = response.json()
        except (ValueError, RecursionError):  # RecursionError: absurdly nested JSON
            raise self._error(stage, response.status_code, None, "answer is not JSON") from None
        if not isinstance(payload, dict):
            raise self._error(stage, response.status_code, None, "answer is not a JSON object")
        return payload

    def _error(
        self, stage: str, status: int | None, error_code: str | None, what: str | None = None
    ) -> OAuthError:
        # Only provider, stage, HTTP status, a code-like error code and our own
        # words: never the provider's free text, which may quote the code.
        action = "token exchange" if stage == "token" else "profile request"
        details = [
            part
            for part in (
                f"HTTP {status}" if status is not None else None,
                f"error {error_code}" if error_code else None,
                what,
            )
            if part
        ]
        message = f"{self.provider.value} {action} failed"
        if details:
            message += f" ({', '.join(details)})"
        return OAuthError(
            message, provider=self.provider.value, stage=stage, status_code=status, error_code=error_code
        )
