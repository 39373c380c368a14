"""The use cases with the REAL clients of the four outside services (identity and eligibility
gateways, juso.go.kr, Kakao/Naver) selected by the settings and mocked with respx, each service
timing out, answering 5xx or answering garbage.

For every fault: the user gets the retryable Korean message, what the user entered and the
service keeps (signup draft, 자녀신청 rows) is still there, nothing is half-written (no member,
guardian, card, 다자녀 grant, application, SNS link or session; no card number spent), the
failure is logged without the person's data, and the same step works once the service is back.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from sqlmodel import func, select

from tests.unit.send_limits import forget_send_limits
from yongin_app import texts
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import Grade, MemberType, Nationality, OAuthProvider, Sex
from yongin_app.models import (
    AuditLog,
    AuthSession,
    Guardian,
    Member,
    MemberCard,
    MultichildApplication,
    MultichildGrant,
    NumberSequence,
    OAuthRequest,
    SignupDraft,
    SocialLink,
)
from yongin_app.ports.address import JUSO_API_URL
from yongin_app.ports.oauth import REAL_ENDPOINTS
from yongin_app.services import address, membership, messages, multichild, signup, social
from yongin_app.services.membership import Outcome
from yongin_app.services.social import OAuthCompletion, OAuthFailure, OAuthFailureReason, OAuthPurpose
from yongin_app.settings import get_settings

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
KAKAO, NAVER = OAuthProvider.KAKAO, OAuthProvider.NAVER

IDENTITY_URL = "https://identity-gateway.test"
ELIGIBILITY_URL = "https://eligibility-gateway.test"
JUSO_KEY = "JUSO-KEY-FAULTS"
KAKAO_SECRET, NAVER_SECRET = "KAKAO-SECRET-faults", "NAVER-SECRET-faults"
CODE, TOKEN = "AUTH-CODE-faults-0123456789", "ACCESS-TOKEN-faults-9876543210"

# The sandbox registry's 홍길동 (P1) and his children; the gateways here answer for them.
NAME, BIRTH, BIRTH_TYPED, MOBILE, BACK = "홍길동", date(1990, 1, 1), "19900101", "010-1234-5678", "1234567"
GUARDIAN_MOBILE_TYPED = "01012345678"
CHILDREN = {"C1": ("홍길순", date(2020, 1, 11)), "C2": ("홍길남", date(2023, 1, 21))}
KEYWORD = "수지로 296번길 17"  # part of somebody's address
LOAN_PASSWORD = "2580"
PERSONAL = (
    NAME, BIRTH_TYPED, "1990-01-01", "900101", MOBILE, GUARDIAN_MOBILE_TYPED, "1234-5678", BACK,
    f"900101-{BACK}", f"900101{BACK}", KEYWORD, CODE, TOKEN, KAKAO_SECRET, NAVER_SECRET, JUSO_KEY,
    "홍길순", "2020-01-11", "길동이", "gildong@example.com",
)

VERIFIED = {
    "result": "verified", "name": NAME, "birth_date": "1990-01-01", "sex": "남", "nationality": "내국인",
    "phone": MOBILE, "ci": "CI-P1-" + "c" * 80, "di": "DI-P1-" + "d" * 58, "method": "phone",
}
MATCH = {
    "result": "match", "sido": "경기도", "sigungu": "용인시 수지구", "nationality": "내국인",
    "children_birth_dates": ["2020-01-11", "2023-01-21"],
}
KAKAO_PROFILE = {"id": 3000000001, "kakao_account": {"name": NAME, "email": "gildong@example.com",
                                                       "is_email_verified": True, "profile": {"nickname": "길동이"}}}
NAVER_PROFILE = {"resultcode": "00", "message": "success",
                 "response": {"id": "naver-0001", "name": NAME, "nickname": "길동이"}}

# One of each kind the issue names (the port tests run the long list); the bodies quote the
# person, so a client that logged or kept them would be caught.
FAULTS: dict[str, httpx.Response | Exception] = {
    "timeout": httpx.ReadTimeout("timed out"),
    "503": httpx.Response(503, text=f"Service Unavailable {NAME} {BACK}"),
    "not-json": httpx.Response(200, html=f"<html><body>점검 중입니다 {NAME}</body></html>"),
    "wrong-shape": httpx.Response(200, json={"unexpected": NAME, "list": [BACK]}),
}


@dataclass
class Outside:
    mock: respx.MockRouter

    def route(self, method: str, url: str) -> respx.Route:
        return self.mock.route(method=method, url=url)

    def identity(self, stage: str) -> respx.Route:
        return self.route("POST", f"{IDENTITY_URL}/{stage}")

    def eligibility(self) -> respx.Route:
        return self.route("POST", f"{ELIGIBILITY_URL}/check")

    def juso(self) -> respx.Route:
        return self.route("POST", JUSO_API_URL)

    def token(self, provider: OAuthProvider) -> respx.Route:
        return self.route("POST", REAL_ENDPOINTS[provider].token_url)

    def profile(self, provider: OAuthProvider) -> respx.Route:
        return self.route("GET", REAL_ENDPOINTS[provider].userinfo_url)

    def identity_works(self) -> None:
        self.identity("send-code").mock(httpx.Response(200, json={"result": "code_sent", "transaction_id": "tx-1"}))
        self.identity("confirm").mock(httpx.Response(200, json=VERIFIED))

    def oauth_works(self, provider: OAuthProvider) -> None:
        self.token(provider).mock(httpx.Response(200, json={"access_token": TOKEN, "token_type": "bearer"}))
        self.profile(provider).mock(httpx.Response(200, json=KAKAO_PROFILE if provider is KAKAO else NAVER_PROFILE))


def fail(route: respx.Route, fault: str) -> None:
    effect = FAULTS[fault]
    if isinstance(effect, Exception):
        route.mock(side_effect=effect)
    else:
        route.mock(effect)


@pytest.fixture
def outside(monkeypatch: pytest.MonkeyPatch, database) -> Any:
    """Every outside service is its real client, pointed at respx (nothing leaves the machine)."""
    environment = {
        "IDENTITY_BACKEND": "real", "IDENTITY_GATEWAY_URL": IDENTITY_URL, "IDENTITY_GATEWAY_KEY": "id-key",
        "ELIGIBILITY_BACKEND": "real", "ELIGIBILITY_GATEWAY_URL": ELIGIBILITY_URL,
        "ELIGIBILITY_GATEWAY_KEY": "el-key",
        "ADDRESS_BACKEND": "real", "JUSO_API_KEY": JUSO_KEY,
        "OAUTH_BACKEND": "real", "KAKAO_CLIENT_ID": "kakao-id", "KAKAO_CLIENT_SECRET": KAKAO_SECRET,
        "NAVER_CLIENT_ID": "naver-id", "NAVER_CLIENT_SECRET": NAVER_SECRET,
        "PUBLIC_BASE_URL": "https://lib.example", "OUTSIDE_TIMEOUT_SECONDS": "2",
    }
    for name, value in environment.items():
        monkeypatch.setenv(f"YONGIN_{name}", value)
    get_settings.cache_clear()
    with respx.mock(assert_all_called=False) as mock:  # an unmocked request fails the test
        yield Outside(mock)
    get_settings.cache_clear()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    # The app's own loggers and httpx's request lines, at every level.
    for name in ("yongin_app", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def assert_logged_cleanly(logs: pytest.LogCaptureFixture) -> None:
    records = [r for r in logs.records if r.name.startswith("yongin_app")]
    assert any(r.levelno >= logging.WARNING for r in records), "the failure was not logged"
    for record in logs.records:
        text = record.getMessage()
        for value in PERSONAL:
            assert value not in text, (value, text)


# --- what exists ------------------------------------------------------------------------------

TABLES = (Member, Guardian, MemberCard, MultichildGrant, MultichildApplication, SocialLink, AuthSession,
          SignupDraft)


def snapshot() -> dict[str, Any]:
    with unit_of_work() as session:
        counts: dict[str, Any] = {
            table.__name__: session.exec(select(func.count()).select_from(table)).one() for table in TABLES
        }
        counts["sequences"] = {s.name: s.next_value for s in session.exec(select(NumberSequence))}
        counts["grades"] = {m.login_id: m.grade for m in session.exec(select(Member))}
    return counts


def draft_data(token: str) -> dict[str, Any]:
    with unit_of_work() as session:
        draft = session.exec(select(SignupDraft).where(SignupDraft.token_hash == signup._hash(token))).one()
        return json.loads(json.dumps(draft.data))


def add_member(login_id: str, name: str, birth: date, sex: Sex, *, grade: Grade = Grade.ASSOCIATE) -> int:
    member_type = MemberType.CHILD if birth.year >= 2013 else MemberType.GENERAL
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash="x", name=name, birth_date=birth, sex=sex,
            nationality=Nationality.DOMESTIC, ci=f"ci-{login_id}", di=f"di-{login_id}", member_type=member_type,
            grade=grade, home_branch_code="MB", created_at=NOW, updated_at=NOW,
        )
        session.add(member)
        session.flush()
        return member.id


def verify_p1(token: str) -> signup.StepResult:
    forget_send_limits()
    sent = signup.request_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, now=NOW)
    assert sent.ok and sent.code_sent and sent.sandbox_code is None, sent.message
    return signup.confirm_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, "123456", now=NOW)


TYPED = {"login_id": "gildong90", "email_local": "gildong", "email_domain": "example.com",
         "postal_code": "16897", "road_address": "경기도 용인시 수지구 수지로 296번길 17", "address_detail": "101호",
         "home_branch": "MB"}


def draft_at_step_04(outside: Outside) -> str:
    outside.identity_works()
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert verify_p1(token).ok
    assert signup.accept_terms(token, ["service", "privacy"], now=NOW).ok
    assert signup.save_fields(token, TYPED, now=NOW).ok
    return token


# --- 본인확인 (signup STEP 02) ---------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS))
def test_signup_send_code_fault(outside, logs, fault: str) -> None:
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    before, rows = draft_data(token), snapshot()
    fail(outside.identity("send-code"), fault)

    result = signup.request_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, now=NOW)

    assert (result.ok, result.message, result.code_sent) == (False, messages.VERIFY_UNAVAILABLE, False)
    assert draft_data(token) == before and snapshot() == rows
    assert_logged_cleanly(logs)
    # Once the provider is back, the same step works.
    outside.identity_works()
    assert verify_p1(token).ok


@pytest.mark.parametrize("fault", list(FAULTS))
def test_signup_confirm_fault_does_not_count_as_a_wrong_code(outside, logs, fault: str) -> None:
    outside.identity_works()
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert signup.request_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, now=NOW).ok
    before, rows = draft_data(token), snapshot()
    fail(outside.identity("confirm"), fault)

    result = signup.confirm_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, "123456", now=NOW)

    assert (result.ok, result.message, result.attempt_ended) == (False, messages.VERIFY_UNAVAILABLE, False)
    after = draft_data(token)
    assert after == before
    assert after["code_attempts"] == {"self": 0} and "identity" not in after
    assert snapshot() == rows
    assert_logged_cleanly(logs)
    # The code already sent is still usable once the provider answers again.
    outside.identity_works()
    retried = signup.confirm_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, "123456", now=NOW)
    assert retried.ok and retried.view.progress == signup.PROGRESS_TERMS


@pytest.mark.parametrize("fault", ["timeout", "503", "wrong-shape"])
def test_signup_guardian_fault_keeps_the_guardian_input(outside, logs, fault: str) -> None:
    token, _ = signup.start_draft(signup.KIND_CHILD, now=NOW)
    assert signup.save_guardian_input(token, NAME, GUARDIAN_MOBILE_TYPED, now=NOW).ok
    before, rows = draft_data(token), snapshot()
    fail(outside.identity("send-code"), fault)

    result = signup.request_code(token, signup.WHO_GUARDIAN, "phone", "", BIRTH_TYPED, "", now=NOW)

    assert (result.ok, result.message) == (False, messages.VERIFY_UNAVAILABLE)
    after = draft_data(token)
    assert after == before
    assert after["guardian_input"] == {"name": NAME, "mobile": MOBILE}
    assert after["progress"] == signup.PROGRESS_GUARDIAN
    assert snapshot() == rows  # no Guardian, no Member
    assert_logged_cleanly(logs)


@pytest.mark.parametrize("fault", ["timeout", "wrong-shape"])
def test_reverification_fault_at_step_04_keeps_what_was_typed(outside, logs, fault: str) -> None:
    token = draft_at_step_04(outside)
    before, rows = draft_data(token), snapshot()
    fail(outside.identity("confirm"), fault)

    forget_send_limits()
    assert signup.request_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, now=NOW).ok
    result = signup.confirm_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, "123456", now=NOW)

    assert (result.ok, result.message) == (False, messages.VERIFY_UNAVAILABLE)
    after = draft_data(token)
    for key in ("fields", "identity", "progress", "terms", "checked_login_id"):
        assert after.get(key) == before.get(key), key
    assert after["fields"]["road_address"] == TYPED["road_address"]
    assert snapshot() == rows
    assert_logged_cleanly(logs)


def test_a_birth_date_after_today_is_handled_like_an_outage(outside, logs) -> None:
    outside.identity_works()
    token, _ = signup.start_draft(signup.KIND_GENERAL, now=NOW)
    assert signup.request_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, now=NOW).ok
    before, rows = draft_data(token), snapshot()
    outside.identity("confirm").mock(httpx.Response(200, json={**VERIFIED, "birth_date": "2027-01-01"}))

    result = signup.confirm_code(token, signup.WHO_SELF, "phone", NAME, BIRTH_TYPED, MOBILE, "123456", now=NOW)

    assert (result.ok, result.message) == (False, messages.VERIFY_UNAVAILABLE)
    assert draft_data(token) == before and snapshot() == rows
    assert_logged_cleanly(logs)


# --- 온라인 정회원신청 -------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS))
def test_membership_fault_issues_nothing(outside, logs, fault: str) -> None:
    member_id = add_member("gildong90", NAME, BIRTH, Sex.MALE)
    rows = snapshot()
    route = outside.eligibility()
    fail(route, fault)

    result = membership.apply_online(member_id, consent=True, rrn_back=BACK, loan_password=LOAN_PASSWORD,
                                     loan_password_confirm=LOAN_PASSWORD, now=NOW)

    assert (result.outcome, result.message, result.card_number) == (
        Outcome.UNAVAILABLE, messages.MEMBERSHIP_UNAVAILABLE, None)
    assert snapshot() == rows  # still 준회원, no card, no card number spent
    # The number went to the gateway in the POST body only.
    request = route.calls.last.request
    assert json.loads(request.content)["rrn_back"] == BACK
    assert BACK not in str(request.url) and BACK not in str(request.headers)
    with unit_of_work() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "membership.eligibility_check")).one()
    assert (audit.outcome, audit.detail) == ("unavailable", None)
    assert_logged_cleanly(logs)
    # Once the check answers again, the same application goes through.
    route.mock(httpx.Response(200, json=MATCH))
    again = membership.apply_online(member_id, consent=True, rrn_back=BACK, loan_password=LOAN_PASSWORD,
                                    loan_password_confirm=LOAN_PASSWORD, now=NOW)
    assert again.outcome == Outcome.ISSUED


# --- 다자녀가정 회원전환 ----------------------------------------------------------------------


def full_family() -> tuple[int, dict[str, int]]:
    parent = add_member("gildong90", NAME, BIRTH, Sex.MALE, grade=Grade.FULL)
    children = {
        key: add_member(f"child{key.lower()}", name, born, Sex.FEMALE if key == "C1" else Sex.MALE, grade=Grade.FULL)
        for key, (name, born) in CHILDREN.items()
    }
    return parent, children


def open_application(member_id: int) -> tuple[int, list[dict[str, Any]]] | None:
    with unit_of_work() as session:
        application = session.exec(select(MultichildApplication).where(
            MultichildApplication.member_id == member_id, MultichildApplication.submitted_at.is_(None))).first()
        return (application.id, list(application.rows)) if application else None


@pytest.mark.parametrize("fault", list(FAULTS))
def test_multichild_self_application_fault_grants_nothing(outside, logs, fault: str) -> None:
    parent, _ = full_family()
    rows = snapshot()
    fail(outside.eligibility(), fault)

    result = multichild.apply_self(parent, consent=True, rrn_back=BACK, now=NOW)

    assert (result.ok, result.message, result.converted) == (False, messages.MULTICHILD_UNAVAILABLE, ())
    assert snapshot() == rows
    assert_logged_cleanly(logs)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_multichild_fault_keeps_the_open_child_rows_which_still_check_and_submit(outside, logs, fault: str) -> None:
    parent, children = full_family()
    route = outside.eligibility()
    route.mock(httpx.Response(200, json=MATCH))
    assert multichild.start_children(parent, consent=True, rrn_back=BACK, now=NOW).application_ready
    first, second = multichild.child_rows(parent, now=NOW)
    assert multichild.verify_row(parent, first.row_id, "childc1", "홍길순", now=NOW).ok
    kept, rows = open_application(parent), snapshot()

    # Starting over while the check is down: the open application and its entries stay.
    fail(route, fault)
    result = multichild.start_children(parent, consent=True, rrn_back=BACK, now=NOW)
    assert (result.ok, result.message, result.application_ready) == (False, messages.MULTICHILD_UNAVAILABLE, False)
    assert open_application(parent) == kept and snapshot() == rows
    assert_logged_cleanly(logs)

    # The row check and the submit never call the outside service: they still work.
    assert multichild.verify_row(parent, second.row_id, "childc2", "홍길남", now=NOW).ok
    submitted = multichild.submit_children(parent, now=NOW)
    assert submitted.ok and {c.login_id for c in submitted.converted} == {"childc1", "childc2"}
    assert route.call_count == 2
    with unit_of_work() as session:
        granted = set(session.exec(select(MultichildGrant.member_id)))
    assert granted == set(children.values())


def test_multichild_child_born_after_today_is_handled_like_an_outage(outside, logs) -> None:
    parent, _ = full_family()
    rows = snapshot()
    outside.eligibility().mock(httpx.Response(200, json={**MATCH, "children_birth_dates": ["2020-01-11",
                                                                                            "2027-03-01"]}))
    for apply in (multichild.apply_self, multichild.start_children):
        result = apply(parent, consent=True, rrn_back=BACK, now=NOW)
        assert (result.ok, result.message) == (False, messages.MULTICHILD_UNAVAILABLE)
    assert snapshot() == rows
    assert_logged_cleanly(logs)


# --- 주소찾기 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS))
def test_address_search_fault(outside, logs, fault: str) -> None:
    route = outside.juso()
    fail(route, fault)

    result = address.search_addresses(KEYWORD)

    assert (result.choices, result.message) == ((), messages.ADDRESS_SEARCH_UNAVAILABLE)
    assert route.call_count == 1 and route.calls.last.request.url.query == b""  # keyword in the body only
    assert_logged_cleanly(logs)


def test_address_search_error_answer_quoting_the_keyword_is_not_logged(outside, logs) -> None:
    outside.juso().mock(httpx.Response(200, json={"results": {"common": {
        "errorCode": f"-999 {KEYWORD}", "errorMessage": f"시스템에러 {KEYWORD}", "totalCount": "0"}, "juso": None}}))
    result = address.search_addresses(KEYWORD)
    assert (result.choices, result.message) == ((), messages.ADDRESS_SEARCH_UNAVAILABLE)
    assert_logged_cleanly(logs)


# --- Kakao / Naver (the callback service) ---------------------------------------------------


def state_of(authorize_url: str) -> str:
    return parse_qs(urlsplit(authorize_url).query)["state"][0]


def test_the_page_messages_for_a_provider_error_are_retryable() -> None:
    # The callback page turns PROVIDER_ERROR into these (pages/oauth_callback.py, login.py, social_links.py).
    assert messages.SOCIAL_LINK_FAILED.endswith("다시 시도해 주세요.")
    assert texts.LOGIN_SOCIAL_FAILED.endswith("다시 시도해 주세요.")


@pytest.mark.parametrize("stage", ["token", "profile"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_signup_link_fault_keeps_the_draft_and_links_nothing(outside, logs, fault: str, stage: str) -> None:
    token = draft_at_step_04(outside)
    draft_row = signup.draft_id(token, now=NOW)
    before, rows = draft_data(token), snapshot()
    outside.oauth_works(KAKAO)
    fail(outside.token(KAKAO) if stage == "token" else outside.profile(KAKAO), fault)

    state = state_of(social.begin_oauth(KAKAO, "signup_link", signup_draft_id=draft_row, now=NOW))
    result = social.complete_oauth(KAKAO, CODE, state, now=NOW)

    # PROVIDER_ERROR (not STATE_INVALID) with the context: the page sends the user back to STEP 04
    # with messages.SOCIAL_LINK_FAILED.
    assert result == OAuthFailure(OAuthFailureReason.PROVIDER_ERROR, OAuthPurpose.SIGNUP_LINK, draft_row, None)
    assert draft_data(token) == before and "social" not in before
    assert snapshot() == rows
    assert_logged_cleanly(logs)
    # A new attempt (a new state) links the account.
    outside.oauth_works(KAKAO)
    state = state_of(social.begin_oauth(KAKAO, "signup_link", signup_draft_id=draft_row, now=NOW))
    completion = social.complete_oauth(KAKAO, CODE, state, now=NOW)
    assert isinstance(completion, OAuthCompletion)
    assert signup.attach_social(token, draft_row, KAKAO, completion.provider_user_id, completion.display_name,
                                now=NOW).ok


@pytest.mark.parametrize("fault", list(FAULTS))
def test_social_login_fault_opens_no_session(outside, logs, fault: str) -> None:
    member_id = add_member("gildong90", NAME, BIRTH, Sex.MALE)
    with unit_of_work(write=True) as session:
        social.link_to_member(session, member_id, NAVER, "naver-0001", NOW)
    rows = snapshot()
    outside.oauth_works(NAVER)
    fail(outside.token(NAVER), fault)

    state = state_of(social.begin_oauth(NAVER, "login", now=NOW))
    result = social.complete_oauth(NAVER, CODE, state, now=NOW)

    assert result == OAuthFailure(OAuthFailureReason.PROVIDER_ERROR, OAuthPurpose.LOGIN, None, None)
    assert snapshot() == rows  # no AuthSession
    with unit_of_work() as session:
        assert session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "login.social")).one() == 0
    assert_logged_cleanly(logs)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_account_link_fault_links_nothing(outside, logs, fault: str) -> None:
    member_id = add_member("gildong90", NAME, BIRTH, Sex.MALE)
    rows = snapshot()
    outside.oauth_works(NAVER)
    fail(outside.profile(NAVER), fault)

    state = state_of(social.begin_oauth(NAVER, "account_link", member_id=member_id, now=NOW))
    result = social.complete_oauth(NAVER, CODE, state, now=NOW + timedelta(minutes=1))

    assert result == OAuthFailure(OAuthFailureReason.PROVIDER_ERROR, OAuthPurpose.ACCOUNT_LINK, None, member_id)
    assert snapshot() == rows
    with unit_of_work() as session:
        # The state is spent (a replay is refused); the retry begins a new request.
        assert session.exec(select(OAuthRequest.used_at)).one() is not None
    assert_logged_cleanly(logs)
