"""HttpIdentityVerifier (the identity gateway client) against a respx-mocked gateway.

Every fault (timeout, connection error, 5xx, undocumented 4xx, redirect, garbage) is
VerificationFailure(UNAVAILABLE), returned at once, with one warning line that holds
none of the person's data.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
from datetime import date

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings, strategies as st

from yongin_app.domain.enums import Nationality, Sex, VerificationMethod
from yongin_app.ports import (
    HttpIdentityVerifier,
    IdentityVerifier,
    NotConfiguredIdentityVerifier,
    ServiceNotConfigured,
    get_identity_verifier,
)
from yongin_app.ports.identity import CodeSent, FailureReason, VerificationFailure, VerifiedIdentity
from yongin_app.settings import Settings

BASE = "https://identity-gateway.test/v1"
KEY = "IDENTITY-GATEWAY-KEY-0001"
PHONE, IPIN = VerificationMethod.PHONE, VerificationMethod.IPIN
NAME, BIRTH, MOBILE, CODE = "홍길동", date(1990, 1, 1), "010-1234-5678", "123456"
CI, DI = "C" * 87 + "=", "d" * 64
UNAVAILABLE = VerificationFailure(FailureReason.UNAVAILABLE)
# What must never reach a log line: the person, the code, the identifiers, the key.
SECRETS = (NAME, "1990-01-01", "19900101", MOBILE, "01012345678", "1234-5678", CODE, CI, DI, KEY)

VERIFIED = {
    "result": "verified", "name": NAME, "birth_date": "1990-01-01", "sex": "남", "nationality": "내국인",
    "phone": MOBILE, "ci": CI, "di": DI, "method": "phone",
}

# Faults the gateway (or the way to it) can produce; the bodies quote the person, so that a
# client that logged them would fail the log check.
FAULTS = {
    "connect-timeout": httpx.ConnectTimeout("timed out"),
    "read-timeout": httpx.ReadTimeout("timed out"),
    "connect-error": httpx.ConnectError(f"refused {NAME}"),
    "remote-closed": httpx.RemoteProtocolError("peer closed connection"),
    "500": httpx.Response(500, text=f"Internal error for {NAME} {MOBILE}"),
    "502": httpx.Response(502, html=f"<html>Bad gateway {CODE}</html>"),
    "503-json": httpx.Response(503, json={"result": "failed", "reason": "not_found", "name": NAME}),
    "504": httpx.Response(504),
    "400": httpx.Response(400, json={"error": f"bad request for {NAME}"}),
    "401": httpx.Response(401, json={"error": "invalid key"}),
    "403": httpx.Response(403),
    "404": httpx.Response(404, text="no such route"),
    "422": httpx.Response(422, json={"result": "failed", "reason": "not_found"}),
    "429": httpx.Response(429, headers={"Retry-After": "30"}),
    "redirect": httpx.Response(302, headers={"location": f"https://elsewhere.test/?phone={MOBILE}"}),
    "html": httpx.Response(200, html=f"<html><body>점검 중 {NAME}</body></html>"),
    "empty": httpx.Response(200, content=b""),
    "not-utf8": httpx.Response(200, content=b"\xff\xfe{\"result\"", headers={"content-type": "application/json"}),
    "deep-json": httpx.Response(200, content=b"[" * 100_000, headers={"content-type": "application/json"}),
    "json-array": httpx.Response(200, json=[NAME, MOBILE]),
    "json-string": httpx.Response(200, json="verified"),
    "json-null": httpx.Response(200, json=None),
    "no-result": httpx.Response(200, json={"name": NAME}),
    "unknown-result": httpx.Response(200, json={"result": "ok"}),
    "unknown-reason": httpx.Response(200, json={"result": "failed", "reason": "blocked"}),
    "reason-not-a-string": httpx.Response(200, json={"result": "failed", "reason": ["not_found"]}),
}

# Answers that are JSON objects but break the confirm contract.
BAD_VERIFIED = {
    "no-ci": {k: v for k, v in VERIFIED.items() if k != "ci"},
    "blank-name": {**VERIFIED, "name": "   "},
    "long-name": {**VERIFIED, "name": "가" * 51},
    "name-not-a-string": {**VERIFIED, "name": 42},
    "compact-birth-date": {**VERIFIED, "birth_date": "19900101"},
    "impossible-birth-date": {**VERIFIED, "birth_date": "1990-02-30"},
    "sex-code": {**VERIFIED, "sex": "M"},
    "nationality-code": {**VERIFIED, "nationality": "L"},
    "other-method": {**VERIFIED, "method": "ipin"},
    "no-method": {k: v for k, v in VERIFIED.items() if k != "method"},
    "phone-garbage": {**VERIFIED, "phone": "call me"},
    "phone-missing": {**VERIFIED, "phone": None},
    "ci-with-space": {**VERIFIED, "ci": "C I"},
    "ci-not-ascii": {**VERIFIED, "ci": "씨아이"},
    "di-too-long": {**VERIFIED, "di": "d" * 129},
}


def _verifier(timeout: float = 2.0) -> HttpIdentityVerifier:
    return HttpIdentityVerifier(BASE, KEY, timeout=timeout)


def _send(verifier: HttpIdentityVerifier, method: VerificationMethod = PHONE):
    return verifier.send_code(method, NAME, BIRTH, MOBILE if method is PHONE else None)


def _confirm(verifier: HttpIdentityVerifier, method: VerificationMethod = PHONE):
    return verifier.confirm(method, NAME, BIRTH, MOBILE if method is PHONE else None, CODE)


def _assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        for secret in SECRETS:
            assert secret not in text, (secret, text)


def _assert_one_warning(caplog: pytest.LogCaptureFixture, stage: str) -> None:
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert re.fullmatch(rf"identity gateway {stage} failed: [\w .]+", warnings[0].getMessage())
    _assert_logs_clean(caplog)


@pytest.fixture
def gateway():
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


# --- the contract ---------------------------------------------------------------------------


def test_send_code_posts_the_person_as_json_with_the_key(gateway) -> None:
    route = gateway.post("/send-code").respond(200, json={"result": "code_sent", "transaction_id": "tx-1"})
    verifier = _verifier(timeout=1.5)
    assert isinstance(verifier, IdentityVerifier)

    assert _send(verifier) == CodeSent(transaction_id="tx-1", sandbox_code_shown=None)

    request = route.calls.last.request
    assert str(request.url) == f"{BASE}/send-code"  # nothing personal in the URL
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "method": "phone", "name": NAME, "birth_date": "1990-01-01", "phone": MOBILE,
    }
    headers = " ".join(f"{k}: {v}" for k, v in request.headers.items())
    assert NAME not in headers and MOBILE not in headers
    # The timeout from the settings reaches httpx.
    assert request.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_the_phone_is_sent_only_for_phone_verification(gateway) -> None:
    route = gateway.post("/send-code").respond(200, json={"result": "code_sent", "transaction_id": "tx-2"})
    _verifier().send_code(IPIN, NAME, BIRTH, MOBILE)
    assert json.loads(route.calls.last.request.content)["phone"] is None


def test_confirm_returns_the_verified_identity(gateway) -> None:
    route = gateway.post("/confirm").respond(200, json={**VERIFIED, "phone": "01012345678"})
    identity = _confirm(_verifier())
    assert identity == VerifiedIdentity(
        name=NAME, birth_date=BIRTH, sex=Sex.MALE, nationality=Nationality.DOMESTIC, phone=MOBILE,
        ci=CI, di=DI, method=PHONE,
    )
    assert json.loads(route.calls.last.request.content)["code"] == CODE
    assert CI not in repr(identity) and DI not in repr(identity)


def test_confirm_drops_a_phone_for_other_methods(gateway) -> None:
    gateway.post("/confirm").respond(200, json={**VERIFIED, "method": "ipin", "nationality": "외국인"})
    identity = _confirm(_verifier(), IPIN)
    assert isinstance(identity, VerifiedIdentity)
    assert (identity.phone, identity.method, identity.nationality) == (None, IPIN, Nationality.FOREIGN)


@pytest.mark.parametrize("reason", list(FailureReason))
@pytest.mark.parametrize("stage", ["send-code", "confirm"])
def test_documented_failures_are_passed_on(gateway, stage: str, reason: FailureReason) -> None:
    gateway.post(f"/{stage}").respond(200, json={"result": "failed", "reason": reason.value})
    call = _send if stage == "send-code" else _confirm
    assert call(_verifier()) == VerificationFailure(reason)


def test_the_gateway_saying_unavailable_is_logged_once(gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gateway.post("/confirm").respond(200, json={"result": "failed", "reason": "unavailable"})
    assert _confirm(_verifier()) == UNAVAILABLE
    _assert_one_warning(caplog, "confirm")


# --- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
@pytest.mark.parametrize("stage", ["send-code", "confirm"])
def test_faults_are_unavailable_quick_and_logged_without_personal_data(
    gateway, stage: str, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx's own request lines included
    effect = FAULTS[fault]
    route = gateway.post(f"/{stage}")
    if isinstance(effect, Exception):
        route.side_effect = effect
    else:
        route.return_value = effect
    call = _send if stage == "send-code" else _confirm

    started = time.monotonic()
    result = call(_verifier())

    assert time.monotonic() - started < 1
    assert result == UNAVAILABLE
    assert route.call_count == 1  # no retry storm
    _assert_one_warning(caplog, stage)


@pytest.mark.parametrize("answer", list(BAD_VERIFIED), ids=list(BAD_VERIFIED))
def test_a_verified_answer_that_breaks_the_contract_is_unavailable(
    gateway, answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway.post("/confirm").respond(200, json=BAD_VERIFIED[answer])
    assert _confirm(_verifier()) == UNAVAILABLE
    _assert_one_warning(caplog, "confirm")


def test_a_code_sent_answer_without_a_transaction_is_unavailable(gateway) -> None:
    gateway.post("/send-code").respond(200, json={"result": "code_sent", "transaction_id": ""})
    assert _send(_verifier()) == UNAVAILABLE


def test_a_gateway_that_never_answers_times_out_quickly(caplog: pytest.LogCaptureFixture) -> None:
    # A real timeout, not a mocked one: the loopback socket listens (the kernel completes the
    # handshake) but nobody ever reads the request or answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        verifier = HttpIdentityVerifier(f"http://127.0.0.1:{silent.getsockname()[1]}", KEY, timeout=0.3)
        started = time.monotonic()
        assert _send(verifier) == UNAVAILABLE
        assert time.monotonic() - started < 2
    assert [r.getMessage() for r in caplog.records] == ["identity gateway send-code failed: ReadTimeout"]


def test_a_broken_base_url_is_unavailable_not_an_exception() -> None:
    assert _send(HttpIdentityVerifier("http://[bad", KEY, timeout=0.5)) == UNAVAILABLE


def test_a_key_that_cannot_be_a_header_is_unavailable_not_an_exception(gateway) -> None:
    gateway.post("/send-code").respond(200, json={"result": "code_sent", "transaction_id": "tx"})
    assert _send(HttpIdentityVerifier(BASE, "키-한글", timeout=0.5)) == UNAVAILABLE


# --- garbage, generated ----------------------------------------------------------------------
# httpx.MockTransport here rather than respx: hundreds of examples, and a real transport
# (with its TLS context) per example would make these slow without testing more.

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def _answering(response: httpx.Response) -> HttpIdentityVerifier:
    return HttpIdentityVerifier(BASE, KEY, timeout=1, transport=httpx.MockTransport(lambda request: response))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 200, 200, 201, 400, 500, 503]), body=st.binary(max_size=200))
def test_any_bytes_never_raise(status: int, body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    result = _confirm(_answering(httpx.Response(status, content=body)))
    assert isinstance(result, (VerifiedIdentity, VerificationFailure))
    _assert_logs_clean(caplog)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(VERIFIED)), value=json_values)
def test_one_corrupted_member_gives_unavailable_or_a_well_formed_identity(key: str, value: object) -> None:
    result = _confirm(_answering(httpx.Response(200, json={**VERIFIED, key: value})))
    if isinstance(result, VerifiedIdentity):
        # Whatever got through is what signup can store and split.
        assert result.name.strip() == result.name and 0 < len(result.name) <= 50
        assert re.fullmatch(r"01[016789]-[0-9]{3,4}-[0-9]{4}", result.phone or "")
        assert result.ci.isascii() and result.di.isascii() and len(result.ci) <= 128
    else:
        assert result == UNAVAILABLE


@settings(max_examples=150, deadline=None)
@given(payload=st.dictionaries(st.sampled_from(["result", "reason", "transaction_id", "x"]), json_values))
def test_any_json_object_to_send_code_never_raises(payload: dict) -> None:
    result = _send(_answering(httpx.Response(200, json=payload)))
    assert isinstance(result, (CodeSent, VerificationFailure))
    if isinstance(result, CodeSent):
        assert payload["result"] == "code_sent" and result.sandbox_code_shown is None


# --- settings and factory ---------------------------------------------------------------------


def test_factory_selects_the_gateway_when_its_url_is_set() -> None:
    settings_ = Settings(identity_backend="real", identity_gateway_url=BASE, identity_gateway_key=KEY,
                         outside_timeout_seconds=3)
    verifier = get_identity_verifier(settings_)
    assert isinstance(verifier, HttpIdentityVerifier)
    assert KEY not in repr(verifier) and BASE in repr(verifier)
    # Without the URL the real side stays "not configured"; the sandbox ignores the URL.
    assert isinstance(get_identity_verifier(Settings(identity_backend="real")), NotConfiguredIdentityVerifier)
    assert not isinstance(get_identity_verifier(Settings(identity_gateway_url=BASE)), HttpIdentityVerifier)


def test_factory_uses_the_outside_timeout(gateway) -> None:
    route = gateway.post("/send-code").respond(200, json={"result": "code_sent", "transaction_id": "t"})
    settings_ = Settings(identity_backend="real", identity_gateway_url=BASE + "/", identity_gateway_key=KEY,
                         outside_timeout_seconds=3)
    _send(get_identity_verifier(settings_))
    assert str(route.calls.last.request.url) == f"{BASE}/send-code"
    assert route.calls.last.request.extensions["timeout"]["read"] == 3


def test_a_gateway_url_without_a_key_is_not_configured() -> None:
    with pytest.raises(ServiceNotConfigured, match="IDENTITY_GATEWAY_KEY"):
        get_identity_verifier(Settings(identity_backend="real", identity_gateway_url=BASE))
