"""HttpEligibilityChecker (the 비대면 자격확인 gateway client) against a respx-mocked gateway.

The resident number travels only in the POST body; every fault is
EligibilityFailure(UNAVAILABLE), returned at once, with one warning line that holds
neither the number nor the name nor anything from the answer.
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

from yongin_app.domain.enums import Nationality
from yongin_app.ports import (
    EligibilityChecker,
    HttpEligibilityChecker,
    NotConfiguredEligibilityChecker,
    ServiceNotConfigured,
    get_eligibility_checker,
)
from yongin_app.ports.eligibility import (
    EligibilityAnswer,
    EligibilityFailure,
    EligibilityFailureReason,
)
from yongin_app.settings import Settings

BASE = "https://eligibility-gateway.test"
KEY = "ELIGIBILITY-GATEWAY-KEY-0001"
NAME, FRONT, BACK = "홍길동", "900101", "1234567"
UNAVAILABLE = EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)
# Never in a log line: the name, any form of the number, the answer's address, the key.
SECRETS = (NAME, FRONT, BACK, f"{FRONT}-{BACK}", FRONT + BACK, "용인시 수지구", "2020-01-11", KEY)

MATCH = {
    "result": "match", "sido": "경기도", "sigungu": "용인시 수지구", "nationality": "내국인",
    "children_birth_dates": ["2020-01-11", "2023-01-21"],
}

FAULTS = {
    "connect-timeout": httpx.ConnectTimeout("timed out"),
    "read-timeout": httpx.ReadTimeout("timed out"),
    "write-timeout": httpx.WriteTimeout("timed out"),
    "connect-error": httpx.ConnectError("connection refused"),
    "remote-closed": httpx.RemoteProtocolError("peer closed connection"),
    "500": httpx.Response(500, text=f"error checking {NAME} {FRONT}-{BACK}"),
    "502": httpx.Response(502, html="<html>bad gateway</html>"),
    "503": httpx.Response(503, json={"result": "match", **MATCH}),
    "504": httpx.Response(504),
    "400": httpx.Response(400, json={"error": f"bad rrn {BACK}"}),
    "401": httpx.Response(401),
    "404": httpx.Response(404),
    "429": httpx.Response(429, headers={"Retry-After": "60"}),
    "redirect": httpx.Response(307, headers={"location": "https://elsewhere.test/check"}),
    "html": httpx.Response(200, html=f"<html>점검 중 {NAME}</html>"),
    "empty": httpx.Response(200, content=b""),
    "deep-json": httpx.Response(200, content=b"{\"a\":" * 50_000, headers={"content-type": "application/json"}),
    "json-array": httpx.Response(200, json=[MATCH]),
    "unknown-result": httpx.Response(200, json={**MATCH, "result": "yes"}),
    "unknown-reason": httpx.Response(200, json={"result": "failed", "reason": "timeout"}),
    "no-sido": httpx.Response(200, json={k: v for k, v in MATCH.items() if k != "sido"}),
    "blank-sigungu": httpx.Response(200, json={**MATCH, "sigungu": ""}),
    "nationality-code": httpx.Response(200, json={**MATCH, "nationality": "K"}),
    "children-not-a-list": httpx.Response(200, json={**MATCH, "children_birth_dates": "2020-01-11"}),
    "children-count": httpx.Response(200, json={**MATCH, "children_birth_dates": 2}),
    "child-compact-date": httpx.Response(200, json={**MATCH, "children_birth_dates": ["20200111"]}),
    "child-impossible-date": httpx.Response(200, json={**MATCH, "children_birth_dates": ["2020-13-01"]}),
    "child-null": httpx.Response(200, json={**MATCH, "children_birth_dates": [None]}),
    "too-many-children": httpx.Response(200, json={**MATCH, "children_birth_dates": ["2020-01-11"] * 31}),
}


def _checker(timeout: float = 2.0) -> HttpEligibilityChecker:
    return HttpEligibilityChecker(BASE, KEY, timeout=timeout)


def _assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        for secret in SECRETS:
            assert secret not in text, (secret, text)


@pytest.fixture
def gateway():
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


def test_the_number_goes_only_in_the_post_body(gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    route = gateway.post("/check").respond(200, json=MATCH)
    checker = _checker(timeout=1.5)
    assert isinstance(checker, EligibilityChecker)

    answer = checker.check(NAME, FRONT, BACK)

    assert answer == EligibilityAnswer(
        sido="경기도", sigungu="용인시 수지구", nationality=Nationality.DOMESTIC,
        children_birth_dates=(date(2020, 1, 11), date(2023, 1, 21)),
    )
    request = route.calls.last.request
    assert request.method == "POST" and str(request.url) == f"{BASE}/check"
    assert json.loads(request.content) == {"name": NAME, "rrn_front": FRONT, "rrn_back": BACK}
    outside_body = str(request.url) + " ".join(f"{k}: {v}" for k, v in request.headers.items())
    assert BACK not in outside_body and NAME not in outside_body
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}
    _assert_logs_clean(caplog)  # httpx's INFO request line names the URL only


def test_no_children_is_an_empty_tuple(gateway) -> None:
    gateway.post("/check").respond(200, json={**MATCH, "children_birth_dates": [], "nationality": "외국인"})
    answer = _checker().check(NAME, FRONT, BACK)
    assert isinstance(answer, EligibilityAnswer)
    assert (answer.children_birth_dates, answer.nationality) == ((), Nationality.FOREIGN)


@pytest.mark.parametrize("reason", list(EligibilityFailureReason))
def test_documented_failures_are_passed_on(gateway, reason: EligibilityFailureReason) -> None:
    gateway.post("/check").respond(200, json={"result": "failed", "reason": reason.value})
    assert _checker().check(NAME, FRONT, BACK) == EligibilityFailure(reason)


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_faults_are_unavailable_quick_and_logged_without_personal_data(
    gateway, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    effect = FAULTS[fault]
    route = gateway.post("/check")
    if isinstance(effect, Exception):
        route.side_effect = effect
    else:
        route.return_value = effect

    started = time.monotonic()
    result = _checker().check(NAME, FRONT, BACK)

    assert time.monotonic() - started < 1
    assert result == UNAVAILABLE
    assert route.call_count == 1
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert re.fullmatch(r"eligibility gateway check failed: [\w .]+", warnings[0].getMessage())
    _assert_logs_clean(caplog)


def test_a_gateway_that_never_answers_times_out_quickly() -> None:
    # A real timeout on loopback: the socket listens, nobody answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        checker = HttpEligibilityChecker(f"http://127.0.0.1:{silent.getsockname()[1]}", KEY, timeout=0.3)
        started = time.monotonic()
        assert checker.check(NAME, FRONT, BACK) == UNAVAILABLE
        assert time.monotonic() - started < 2


def test_a_broken_base_url_is_unavailable_not_an_exception() -> None:
    assert HttpEligibilityChecker("http://[bad", KEY, timeout=0.5).check(NAME, FRONT, BACK) == UNAVAILABLE


# --- garbage, generated (httpx.MockTransport: many examples, no TLS context each) -----------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def _answering(response: httpx.Response) -> HttpEligibilityChecker:
    return HttpEligibilityChecker(BASE, KEY, timeout=1, transport=httpx.MockTransport(lambda request: response))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 200, 200, 204, 404, 500]), body=st.binary(max_size=200))
def test_any_bytes_never_raise(status: int, body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    result = _answering(httpx.Response(status, content=body)).check(NAME, FRONT, BACK)
    assert isinstance(result, (EligibilityAnswer, EligibilityFailure))
    _assert_logs_clean(caplog)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(MATCH)), value=json_values)
def test_one_corrupted_member_gives_unavailable_or_a_well_formed_answer(key: str, value: object) -> None:
    result = _answering(httpx.Response(200, json={**MATCH, key: value})).check(NAME, FRONT, BACK)
    if isinstance(result, EligibilityAnswer):
        assert result.sido and result.sigungu and len(result.sigungu) <= 50
        assert all(isinstance(born, date) for born in result.children_birth_dates)
    else:
        assert result == UNAVAILABLE  # "failed" without a reason is no documented refusal either


# --- settings and factory ---------------------------------------------------------------------


def test_factory_selects_the_gateway_when_its_url_is_set(gateway) -> None:
    route = gateway.post("/check").respond(200, json=MATCH)
    settings_ = Settings(eligibility_backend="real", eligibility_gateway_url=BASE, eligibility_gateway_key=KEY,
                         outside_timeout_seconds=4)
    checker = get_eligibility_checker(settings_)
    assert isinstance(checker, HttpEligibilityChecker) and KEY not in repr(checker)
    checker.check(NAME, FRONT, BACK)
    assert route.calls.last.request.extensions["timeout"]["connect"] == 4
    assert isinstance(get_eligibility_checker(Settings(eligibility_backend="real")), NotConfiguredEligibilityChecker)


def test_a_gateway_url_without_a_key_is_not_configured() -> None:
    with pytest.raises(ServiceNotConfigured, match="ELIGIBILITY_GATEWAY_KEY") as caught:
        get_eligibility_checker(Settings(eligibility_backend="real", eligibility_gateway_url=BASE))
    assert BACK not in str(caught.value)
