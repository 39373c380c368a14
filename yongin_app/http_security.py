"""What the server says to browsers about itself: the allowed origins and the security headers.

Every HTTP response (pages, assets, the sandbox pages, /ping) gets the headers; the websocket
upgrade is checked by origin (rxconfig.py passes ``settings.allowed_origins`` to Reflex's Socket.IO server
and CORS middleware, so no other site's page can talk to the backend with a member's cookies).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yongin_app.settings import Settings


def security_headers(settings: Settings) -> list[tuple[str, str]]:
    https = settings.public_base_url.startswith("https://")
    # Reflex's runtime evaluates scripts it is sent (rx.call_script) and its build inlines a
    # bootstrap script and styles, so script-src needs 'unsafe-inline' 'unsafe-eval'; everything
    # else is this origin only, and no other site may frame a page (clickjacking).
    csp = "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' " + " ".join(
            origin.replace("http", "ws", 1) for origin in settings.allowed_origins
        ),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        *(["upgrade-insecure-requests"] if https else []),
    ])
    headers = [
        ("content-security-policy", csp),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    if https:
        headers.append(("strict-transport-security", "max-age=31536000; includeSubDomains"))
    return headers


class SecurityHeadersMiddleware:
    """ASGI middleware: adds the security headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp, headers: list[tuple[str, str]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name not in response_headers:
                        response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(settings: Settings):
    """An api_transformer for rx.App: wraps the backend (and the frontend it serves)."""
    headers = security_headers(settings)
    return lambda app: SecurityHeadersMiddleware(app, headers)
