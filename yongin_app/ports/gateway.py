"""The transport shared by the identity and eligibility gateway clients.

Neither NICE/KCB/PASS nor 행정정보 공동이용 has a public HTTP API: the library
runs an integration gateway in front of the vendor SDK / the 공동이용 channel,
and the app talks to it with small JSON requests (the contracts are in
ports/identity.py and ports/eligibility.py). This module does the part they
share: POST a JSON body to ``{base_url}/{stage}`` with ``Authorization:
Bearer <key>``, and hand back the decoded JSON object, or ``None`` after
logging one warning line.

The warning says which service, which stage, and the HTTP status or the
exception class; never the request (it carries the person's data), the
response body, or the exception's message (httpx quotes the request in some).
"""

from __future__ import annotations

import logging
import re
import ssl
from datetime import date
from functools import lru_cache
from typing import Any

import httpx

from yongin_app.ports.errors import ServiceNotConfigured

logger = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~25 ms; one context serves every call (SSLContext is thread-safe).
    return httpx.create_ssl_context()


class WrongShape(ValueError):
    """The gateway's answer does not follow the contract (raised and caught inside the clients)."""


def answer_text(payload: dict[str, Any], key: str, max_length: int) -> str:
    """A required, non-blank string member of at most ``max_length`` characters, stripped."""
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise WrongShape(key)
    return value.strip()


def answer_date(value: Any) -> date:
    """A "YYYY-MM-DD" string. Stricter than date.fromisoformat, which also takes "19900101"."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise WrongShape("date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise WrongShape("date") from None


class GatewayClient:
    def __init__(
        self,
        service: str,
        base_url: str,
        api_key: str,
        *,
        timeout: float,
        setting_prefix: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise ServiceNotConfigured(f"{service} gateway needs YONGIN_{setting_prefix}_GATEWAY_URL")
        if not api_key:
            raise ServiceNotConfigured(f"{service} gateway needs YONGIN_{setting_prefix}_GATEWAY_KEY")
        self.service = service
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self._transport = transport

    def __repr__(self) -> str:  # keep the key out of reprs
        return f"GatewayClient(service={self.service!r}, base_url={self.base_url!r})"

    def fail(self, stage: str, what: str) -> None:
        """The one warning line for a failed call: service, stage, and what went wrong (no data)."""
        logger.warning("%s gateway %s failed: %s", self.service, stage, what)

    def post(self, stage: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """POST ``body`` as JSON to ``{base_url}/{stage}``; the answer's JSON object, or None (logged).

        Only HTTP 200 carries an answer: any other status (redirects too) means
        the gateway could not answer, whatever its body says.
        """
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        try:
            with httpx.Client(
                timeout=self._timeout, transport=self._transport, follow_redirects=False, verify=_tls_context()
            ) as client:
                response = client.post(f"{self.base_url}/{stage}", json=body, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
            self.fail(stage, type(exc).__name__)
            return None
        if response.status_code != 200:
            self.fail(stage, f"HTTP {response.status_code}")
            return None
        try:
            payload = response.json()
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or absurdly nested
            self.fail(stage, "answer is not JSON")
            return None
        if not isinstance(payload, dict):
            self.fail(stage, "answer is not a JSON object")
            return None
        return payload
