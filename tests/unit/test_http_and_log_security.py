"""Log redaction, security headers, allowed origins, cookie flags and the after-login target."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from yongin_app import log_redaction, routes
from yongin_app.http_security import SecurityHeadersMiddleware, security_headers
from yongin_app.settings import Settings

TAB_ID = "0b9f2c1e-3c1d-4f5e-9a8b-1c2d3e4f5a6b"
SESSION_TOKEN = "q1Zk3-4pWf_Yb7Hc2LnA9sVt0RmXe8KjUo6Gd5Ci3Bw"


# --- log redaction ---------------------------------------------------------------------------------

def test_an_undeliverable_event_keeps_its_handler_name_and_loses_everything_else():
    line = (f"Error processing event queue entry for Event(token='{TAB_ID}', name='state.membership.submit', "
            f"router_data={{'headers': {{'cookie': 'yongin_session={SESSION_TOKEN}'}}, 'sid': 'abc'}}, "
            "payload={'form_data': {'rrn_back': '1234567', 'loan_password': '2580'}})")
    redacted = log_redaction.redact(line)
    assert "state.membership.submit" in redacted
    for secret in (TAB_ID, SESSION_TOKEN, "1234567", "2580", "cookie':"):
        assert secret not in redacted


@pytest.mark.parametrize("line", [
    f"Attempting to send delta to disconnected client '{TAB_ID}'",
    f"GET /_event/?EIO=4&token={TAB_ID}&transport=websocket 101",
    f"Cookie: yongin_session={SESSION_TOKEN}; yongin_staff_session=abc",
    "Failed to deserialize event data: {'name': 'x', 'payload': {'rrn': '900101-1234567'}}.",
    "Received event from session Sx with no associated token. Event data: {'payload': {'v': '7654321'}}",
])
def test_known_leaky_lines_are_redacted(line):
    redacted = log_redaction.redact(line)
    for secret in (TAB_ID, SESSION_TOKEN, "1234567", "7654321", "900101"):
        assert secret not in redacted
    assert log_redaction.REDACTED in redacted


@given(st.from_regex(r"\A[0-9]{6}-?[1-8][0-9]{6}\Z"), st.text(max_size=40))
def test_a_resident_number_never_survives_anywhere_in_a_line(number, noise):
    assert number not in log_redaction.redact(f"{noise} {number} {noise}")
    assert number[-7:] not in log_redaction.redact(f"{noise}{number}")


def test_every_log_record_of_the_process_is_redacted_tracebacks_included(caplog):
    log_redaction.install()
    log_redaction.install()  # idempotent: one wrapper, not two
    assert not isinstance(logging.getLogRecordFactory().inner, log_redaction._RedactingRecordFactory)
    with caplog.at_level(logging.INFO):
        logging.getLogger("reflex.app").warning("delta to disconnected client %r", TAB_ID)
        try:
            raise KeyError(f"payload={{'rrn_back': '1234567'}} for {TAB_ID}")
        except KeyError:
            logging.getLogger("yongin_app").exception("handler failed")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "delta to disconnected client" in text and "handler failed" in text and "KeyError" in text
    assert TAB_ID not in text and "1234567" not in text
    assert all(record.exc_info is None for record in caplog.records)


# --- headers, origins, cookies ---------------------------------------------------------------------

async def _call(settings: Settings) -> httpx.Response:
    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])
    wrapped = SecurityHeadersMiddleware(app, security_headers(settings))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://testserver") as client:
        return await client.get("/")


def test_every_response_carries_the_security_headers():
    response = asyncio.run(_call(Settings(public_base_url="http://localhost:3000")))
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp
    assert "connect-src 'self' ws://localhost:3000" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # only under https


def test_https_adds_hsts_and_secure_cookies():
    settings = Settings(public_base_url="https://member.yonginlib.example")
    response = asyncio.run(_call(settings))
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "wss://member.yonginlib.example" in response.headers["content-security-policy"]
    assert settings.secure_cookies


def test_allowed_origins_are_the_public_origin_only_in_production():
    production = Settings(env="production", public_base_url="https://member.yonginlib.example/path",
                          **{f"{name}_backend": "real" for name in ("identity", "eligibility", "address", "oauth")})
    assert production.allowed_origins == ["https://member.yonginlib.example"]
    local = Settings(public_base_url="http://localhost:3000")
    assert local.allowed_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]


def test_the_staff_cookie_is_scoped_to_the_console_and_the_oauth_cookie_follows_https():
    from yongin_app.pages.login import LoginState
    from yongin_app.states.session import SessionState
    from yongin_app.states.staff_session import StaffSessionState

    assert StaffSessionState.get_fields()["staff_token"].default_value().path == routes.STAFF_HOME
    assert SessionState.get_fields()["session_token"].default_value().same_site == "strict"
    assert LoginState.get_fields()["oauth_login_state"].default_value().secure is False  # http here


# --- the target after login ------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nLocation:x", "/a\x00b", "/\x7f"])
def test_control_characters_never_make_a_login_target(target):
    assert routes.safe_next(target) == routes.HOME


@given(st.text(max_size=60))
def test_a_login_target_is_always_a_plain_local_path(target):
    result = routes.safe_next(target)
    assert result.startswith("/") and not result.startswith("//") and "\\" not in result
    assert all(ord(char) >= 0x20 and ord(char) != 0x7F for char in result)
