"""Kakao/Naver login and links: the real OAuthClient against the sandbox provider on loopback."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from yongin_app import ports
from yongin_app.db import unit_of_work
from yongin_app.domain.enums import MemberStatus, MemberType, Nationality, OAuthProvider, Sex
from yongin_app.models import AuditLog, AuthSession, Member, OAuthRequest, SignupDraft, SocialLink
from yongin_app.ports.sandbox.oauth_provider import FAKE_ACCOUNTS, sandbox_oauth_mount
from yongin_app.services import auth, social
from yongin_app.services.social import (
    OAuthCompletion,
    OAuthFailure,
    OAuthFailureReason,
    OAuthPurpose,
    SocialAccountAlreadyLinked,
)
from yongin_app.settings import Settings, get_settings

KAKAO, NAVER = OAuthProvider.KAKAO, OAuthProvider.NAVER
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
STATE_INVALID = OAuthFailure(OAuthFailureReason.STATE_INVALID)
KAKAO_1 = FAKE_ACCOUNTS[KAKAO][0].provider_user_id  # "3000000001", 홍길동 / 길동이
NAVER_1 = FAKE_ACCOUNTS[NAVER][0].provider_user_id
RELEASE_SLOW = threading.Event()


# --- the sandbox provider on loopback ----------------------------------------------------


async def token_500(request: Request) -> Response:
    return PlainTextResponse("internal error", status_code=500)


async def token_slow(request: Request) -> Response:
    # Holds the answer until the test releases it (or 5 s pass); the client gives up first.
    deadline = time.monotonic() + 5
    while not RELEASE_SLOW.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return JSONResponse({"access_token": "late"})


def provider_app() -> Starlette:
    """The sandbox mounted as the app mounts it, plus two broken copies of its token endpoint.

    A client configured with sandbox_base_url = base + "/broken500" (or "/slow") posts
    its token request to one of the broken routes.
    """
    return Starlette(
        routes=[
            Route("/broken500/sandbox/oauth/{provider}/token", token_500, methods=["POST"]),
            Route("/slow/sandbox/oauth/{provider}/token", token_slow, methods=["POST"]),
            sandbox_oauth_mount(),
        ]
    )


class LiveServer:
    """uvicorn in a thread on 127.0.0.1, on a free port (as in tests/unit/ports/conftest.py)."""

    def __init__(self, app: Starlette) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="social-live-server", daemon=True)
        self.base_url = ""

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:  # uvicorn's own flag, not a fixed wait
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the loopback test server did not start")
            time.sleep(0.005)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        RELEASE_SLOW.set()
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = LiveServer(provider_app())
    server.start()
    yield server.base_url
    server.stop()


class ProviderConfig:
    """What get_oauth_client returns inside services.social: the real factory, with these settings."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.prefix = ""  # "" = the working sandbox; "/broken500" or "/slow" = a broken token endpoint
        self.settings = Settings(public_base_url=base_url, oauth_backend="sandbox", outside_timeout_seconds=5)

    def client(self, provider: OAuthProvider) -> ports.OAuthClient:
        return ports.get_oauth_client(provider, self.settings, sandbox_base_url=self.base_url + self.prefix)


@pytest.fixture
def provider(base_url: str, database, monkeypatch: pytest.MonkeyPatch) -> ProviderConfig:
    config = ProviderConfig(base_url)
    monkeypatch.setattr(social, "get_oauth_client", config.client)
    # The sandbox provider accepts only the app's own callback, on the app's public address.
    monkeypatch.setenv("YONGIN_PUBLIC_BASE_URL", base_url)
    get_settings.cache_clear()
    RELEASE_SLOW.clear()
    return config


# --- a browser on the sandbox authorize page ---------------------------------------------


class AuthorizeForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.accounts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.hidden[attributes["name"] or ""] = attributes.get("value") or ""
        elif tag == "input" and attributes.get("type") == "radio":
            self.accounts.append(attributes.get("value") or "")


def browser_at_provider(authorize_url: str, *, account: str = "1", decision: str = "allow") -> dict[str, str]:
    """Open the authorize page, submit the form as a user would; the query of the redirect back."""
    page = httpx.get(authorize_url)
    assert page.status_code == 200
    form = AuthorizeForm()
    form.feed(page.text)
    assert account in form.accounts
    # The form has no action: it posts back to the page's own URL.
    answer = httpx.post(
        authorize_url, data={**form.hidden, "account": account, "decision": decision}, follow_redirects=False
    )
    assert answer.status_code in (302, 303)
    return {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def sign_in_at(provider_: OAuthProvider, purpose: str = "login", *, now: datetime = T0, **ids: int) -> dict[str, str]:
    """begin_oauth, then the user picks fake account 1: the callback's query (code, state)."""
    url = social.begin_oauth(provider_, purpose, now=now, **ids)
    callback = browser_at_provider(url)
    assert set(callback) == {"code", "state"}
    return callback


# --- data ---------------------------------------------------------------------------------


def make_member(login_id: str = "hangaram", status: MemberStatus = MemberStatus.ACTIVE) -> int:
    with unit_of_work(write=True) as session:
        member = Member(
            login_id=login_id, password_hash="not-used-here", name="한가람", birth_date=date(1993, 6, 1),
            sex=Sex.FEMALE, nationality=Nationality.DOMESTIC, ci=f"CI-{login_id}", di=f"DI-{login_id}",
            member_type=MemberType.GENERAL, status=status, created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        return member.id


def make_draft() -> int:
    with unit_of_work(write=True) as session:
        draft = SignupDraft(
            token_hash="d" * 64, step="social", data={}, created_at=T0, updated_at=T0,
            expires_at=T0 + timedelta(hours=1),
        )
        session.add(draft)
        session.flush()
        return draft.id


def link(member_id: int, provider_: OAuthProvider, provider_user_id: str) -> None:
    with unit_of_work(write=True) as session:
        social.link_to_member(session, member_id, provider_, provider_user_id, T0)


def requests_in_db() -> list[OAuthRequest]:
    with unit_of_work() as session:
        return list(session.exec(select(OAuthRequest).order_by(OAuthRequest.id)))


def audit_entries(action: str) -> list[AuditLog]:
    with unit_of_work() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# --- the flow -----------------------------------------------------------------------------


@pytest.mark.parametrize(("provider_", "expected_id", "nickname"), [(KAKAO, KAKAO_1, "길동이"), (NAVER, NAVER_1, "길동")])
def test_login_flow_returns_the_chosen_account(provider, provider_, expected_id, nickname):
    url = social.begin_oauth(provider_, "login", now=T0)
    assert url.startswith(f"{provider.base_url}/sandbox/oauth/{provider_.value}/authorize?")
    callback = browser_at_provider(url)

    result = social.complete_oauth(provider_, callback["code"], callback["state"], now=T0 + timedelta(minutes=1))

    assert result == OAuthCompletion(
        purpose=OAuthPurpose.LOGIN, provider=provider_, provider_user_id=expected_id,
        display_name=nickname, signup_draft_id=None, member_id=None,
    )
    assert result.purpose == "login"
    (stored,) = requests_in_db()
    assert stored.state_hash == auth.token_hash(callback["state"])  # only the hash is kept
    assert callback["state"] not in repr(stored)
    assert stored.provider is provider_ and stored.created_at == T0
    assert stored.expires_at == T0 + social.OAUTH_REQUEST_LIFETIME
    assert stored.used_at == T0 + timedelta(minutes=1)


def test_link_purposes_carry_the_draft_and_the_member(provider):
    draft_id, member_id = make_draft(), make_member()

    during_signup = sign_in_at(KAKAO, "signup_link", signup_draft_id=draft_id)
    from_account_page = sign_in_at(NAVER, "account_link", member_id=member_id)

    signup = social.complete_oauth(KAKAO, during_signup["code"], during_signup["state"], now=T0)
    account = social.complete_oauth(NAVER, from_account_page["code"], from_account_page["state"], now=T0)
    assert (signup.purpose, signup.signup_draft_id, signup.member_id) == (OAuthPurpose.SIGNUP_LINK, draft_id, None)
    assert signup.provider_user_id == KAKAO_1
    assert (account.purpose, account.signup_draft_id, account.member_id) == (OAuthPurpose.ACCOUNT_LINK, None, member_id)
    assert account.provider_user_id == NAVER_1


@pytest.mark.parametrize(
    ("purpose", "ids"),
    [
        ("register", {}),
        ("signup_link", {}),
        ("signup_link", {"member_id": 1}),
        ("account_link", {}),
        ("account_link", {"signup_draft_id": 1}),
        ("login", {"member_id": 1}),
    ],
)
def test_begin_refuses_a_wrong_purpose_or_missing_ids(provider, purpose, ids):
    with pytest.raises(ValueError):
        social.begin_oauth(KAKAO, purpose, now=T0, **ids)
    assert requests_in_db() == []


def test_a_state_works_once(provider):
    callback = sign_in_at(KAKAO)
    first = social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0)
    replay = social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0)
    assert isinstance(first, OAuthCompletion)
    assert replay == STATE_INVALID


def test_a_state_is_refused_at_the_other_provider_and_not_spent_there(provider):
    callback = sign_in_at(KAKAO)
    assert social.complete_oauth(NAVER, callback["code"], callback["state"], now=T0) == STATE_INVALID
    assert requests_in_db()[0].used_at is None
    # The refusal did not spend it: the real callback still works.
    assert isinstance(social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0), OAuthCompletion)


def test_an_expired_state_is_refused(provider):
    late = sign_in_at(KAKAO)
    assert social.complete_oauth(KAKAO, late["code"], late["state"], now=T0 + timedelta(minutes=11)) == STATE_INVALID
    at_the_limit = sign_in_at(KAKAO)
    assert social.complete_oauth(
        KAKAO, at_the_limit["code"], at_the_limit["state"], now=T0 + social.OAUTH_REQUEST_LIFETIME
    ) == STATE_INVALID
    just_in_time = sign_in_at(KAKAO)
    assert isinstance(
        social.complete_oauth(
            KAKAO, just_in_time["code"], just_in_time["state"], now=T0 + timedelta(minutes=9, seconds=59)
        ),
        OAuthCompletion,
    )


@pytest.mark.parametrize(
    ("provider_", "state"),
    [
        (KAKAO, "never-issued-state"),
        (KAKAO, ""),
        (KAKAO, None),
        (KAKAO, 12345),
        (KAKAO, ["a", "b"]),
        (KAKAO, "x" * 10_000),
        (KAKAO, "'; DROP TABLE oauthrequest; --"),
        ("google", "never-issued-state"),
        (None, "never-issued-state"),
    ],
)
def test_unknown_or_garbage_states_are_refused(provider, provider_, state):
    issued = sign_in_at(KAKAO)
    assert social.complete_oauth(provider_, issued["code"], state, now=T0) == STATE_INVALID
    # The issued state was not touched by any of that.
    assert requests_in_db()[0].used_at is None


def test_the_raw_state_of_an_issued_request_is_needed_not_its_hash(provider):
    callback = sign_in_at(KAKAO)
    stolen_hash = auth.token_hash(callback["state"])
    assert social.complete_oauth(KAKAO, callback["code"], stolen_hash, now=T0) == STATE_INVALID


def test_provider_500_is_a_provider_error_and_the_state_is_spent(provider):
    callback = sign_in_at(KAKAO, "account_link", member_id=make_member())
    provider.prefix = "/broken500"
    result = social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0)
    assert result.reason is OAuthFailureReason.PROVIDER_ERROR
    assert result.purpose is OAuthPurpose.ACCOUNT_LINK and result.member_id is not None  # where to go back

    provider.prefix = ""
    assert social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0) == STATE_INVALID


def test_provider_timeout_is_a_provider_error_and_the_state_is_spent(provider):
    callback = sign_in_at(NAVER)
    provider.prefix = "/slow"
    provider.settings = Settings(public_base_url=provider.base_url, outside_timeout_seconds=0.2)
    try:
        result = social.complete_oauth(NAVER, callback["code"], callback["state"], now=T0)
    finally:
        RELEASE_SLOW.set()
    assert result == OAuthFailure(OAuthFailureReason.PROVIDER_ERROR, OAuthPurpose.LOGIN, None, None)
    assert requests_in_db()[0].used_at == T0


def test_a_code_the_provider_does_not_know_is_a_provider_error(provider):
    callback = sign_in_at(KAKAO)
    result = social.complete_oauth(KAKAO, "made-up-code", callback["state"], now=T0)
    assert result.reason is OAuthFailureReason.PROVIDER_ERROR


@pytest.mark.parametrize("provider_", [KAKAO, NAVER])
def test_cancel_at_the_provider_is_denied_and_spends_the_state(provider, provider_):
    url = social.begin_oauth(provider_, "login", now=T0)
    callback = browser_at_provider(url, decision="cancel")
    assert callback["error"] == "access_denied" and "code" not in callback

    # The callback page passes what it received: no code, the error, the state.
    result = social.complete_oauth(provider_, callback.get("code", ""), callback["state"], error=callback["error"], now=T0)
    assert result == OAuthFailure(OAuthFailureReason.DENIED, OAuthPurpose.LOGIN, None, None)
    assert social.complete_oauth(provider_, "", callback["state"], error="access_denied", now=T0) == STATE_INVALID


def test_an_empty_code_is_denied_and_other_errors_or_garbage_codes_are_provider_errors(provider):
    empty = sign_in_at(KAKAO)
    other_error = sign_in_at(KAKAO)
    long_code = sign_in_at(KAKAO)
    not_text = sign_in_at(KAKAO)
    assert social.complete_oauth(KAKAO, "", empty["state"], now=T0).reason is OAuthFailureReason.DENIED
    assert (
        social.complete_oauth(KAKAO, "", other_error["state"], error="server_error", now=T0).reason
        is OAuthFailureReason.PROVIDER_ERROR
    )
    assert social.complete_oauth(KAKAO, "c" * 5000, long_code["state"], now=T0).reason is OAuthFailureReason.PROVIDER_ERROR
    assert social.complete_oauth(KAKAO, ["c"], not_text["state"], now=T0).reason is OAuthFailureReason.PROVIDER_ERROR
    assert all(request.used_at == T0 for request in requests_in_db())


def test_two_callbacks_with_the_same_state_at_once_complete_once(provider):
    callback = sign_in_at(KAKAO)
    barrier = threading.Barrier(2)
    results: list[object] = []
    lock = threading.Lock()

    def complete() -> None:
        barrier.wait()
        result = social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert sum(isinstance(r, OAuthCompletion) for r in results) == 1
    assert [r for r in results if isinstance(r, OAuthFailure)] == [STATE_INVALID]


def test_purge_deletes_the_requests_whose_lifetime_is_over(provider):
    social.begin_oauth(KAKAO, "login", now=T0)
    social.begin_oauth(NAVER, "login", now=T0 + timedelta(minutes=5))
    assert social.purge_expired_oauth_requests(now=T0 + timedelta(minutes=9)) == 0
    assert social.purge_expired_oauth_requests(now=T0 + social.OAUTH_REQUEST_LIFETIME) == 1
    assert [r.provider for r in requests_in_db()] == [NAVER]
    assert social.purge_expired_oauth_requests(now=T0 + timedelta(days=1)) == 1
    assert requests_in_db() == []


def test_deleting_a_draft_deletes_its_pending_request(provider):
    draft_id = make_draft()
    social.begin_oauth(KAKAO, "signup_link", signup_draft_id=draft_id, now=T0)
    with unit_of_work(write=True) as session:
        session.delete(session.get(SignupDraft, draft_id))
    assert requests_in_db() == []


def test_a_request_for_a_draft_that_does_not_exist_is_refused(provider):
    with pytest.raises(IntegrityError):
        social.begin_oauth(KAKAO, "signup_link", signup_draft_id=999, now=T0)


# --- login and links ------------------------------------------------------------------------


def test_full_login_with_a_linked_account_opens_a_working_session(provider):
    member_id = make_member()
    link(member_id, KAKAO, KAKAO_1)
    with unit_of_work(write=True) as session:  # a lockout in progress is neither checked nor reset
        member = session.get(Member, member_id)
        member.failed_login_count = 3
        session.add(member)
    callback = sign_in_at(KAKAO)
    completion = social.complete_oauth(KAKAO, callback["code"], callback["state"], now=T0)

    result = social.login_with_social(completion.provider, completion.provider_user_id, now=T0)

    assert result.ok and result.member_id == member_id
    active = auth.resolve_session(result.token, now=T0 + timedelta(minutes=1))
    assert active is not None and active.member_id == member_id
    with unit_of_work() as session:
        assert session.get(Member, member_id).failed_login_count == 3
    (entry,) = audit_entries("login.social")
    assert (entry.outcome, entry.actor_id, entry.target_member_id, entry.detail) == ("ok", member_id, member_id, "kakao")


def test_social_login_ends_the_previous_session(provider):
    member_id = make_member()
    link(member_id, NAVER, NAVER_1)
    first = social.login_with_social(NAVER, NAVER_1, now=T0)
    second = social.login_with_social(NAVER, NAVER_1, previous_token=first.token, now=T0)
    assert first.token != second.token
    assert auth.resolve_session(first.token, now=T0) is None
    assert auth.resolve_session(second.token, now=T0).member_id == member_id


def test_an_unlinked_account_gets_no_session(provider):
    member_id = make_member()
    link(member_id, KAKAO, KAKAO_1)
    assert social.login_with_social(KAKAO, FAKE_ACCOUNTS[KAKAO][2].provider_user_id, now=T0) == auth.LoginResult(None)
    assert social.login_with_social(NAVER, KAKAO_1, now=T0) == auth.LoginResult(None)  # other provider
    assert social.login_with_social(KAKAO, "x" * 1000, now=T0) == auth.LoginResult(None)
    entries = audit_entries("login.social")
    assert [(e.outcome, e.actor_id, e.detail) for e in entries] == [
        ("not_linked", None, "kakao"), ("not_linked", None, "naver"), ("not_linked", None, "kakao"),
    ]
    with unit_of_work() as session:
        assert session.exec(select(AuthSession)).all() == []


def test_a_withdrawn_member_cannot_log_in_with_a_link(provider):
    member_id = make_member()
    link(member_id, KAKAO, KAKAO_1)
    with unit_of_work(write=True) as session:
        member = session.get(Member, member_id)
        member.status = MemberStatus.WITHDRAWN
        session.add(member)
    assert not social.login_with_social(KAKAO, KAKAO_1, now=T0).ok


def test_find_linked_member(provider):
    member_id = make_member()
    assert social.find_linked_member(KAKAO, KAKAO_1) is None
    link(member_id, KAKAO, KAKAO_1)
    assert social.find_linked_member(KAKAO, KAKAO_1) == member_id
    assert social.find_linked_member(NAVER, KAKAO_1) is None
    assert social.find_linked_member(KAKAO, "") is None


def test_signup_creates_the_member_and_its_link_in_one_transaction(provider):
    with unit_of_work(write=True) as session:
        member = Member(
            login_id="newkid", password_hash="h", name="새회원", birth_date=date(1990, 1, 1), sex=Sex.MALE,
            nationality=Nationality.DOMESTIC, member_type=MemberType.GENERAL, created_at=T0, updated_at=T0,
        )
        session.add(member)
        session.flush()
        social.link_to_member(session, member.id, KAKAO, KAKAO_1, T0)
        member_id = member.id
    assert social.find_linked_member(KAKAO, KAKAO_1) == member_id
    (entry,) = audit_entries("social.link")
    assert (entry.outcome, entry.target_member_id, entry.detail) == ("ok", member_id, "kakao")


def test_one_provider_account_links_to_one_member_only(provider):
    first, second = make_member("first"), make_member("second")
    link(first, KAKAO, KAKAO_1)

    with pytest.raises(SocialAccountAlreadyLinked):
        link(second, KAKAO, KAKAO_1)
    with pytest.raises(SocialAccountAlreadyLinked):
        link(first, KAKAO, KAKAO_1)  # the same link again
    with pytest.raises(social.MemberAlreadyLinked):
        link(first, KAKAO, FAKE_ACCOUNTS[KAKAO][1].provider_user_id)  # a second Kakao account
    assert issubclass(SocialAccountAlreadyLinked, ValueError) and issubclass(social.MemberAlreadyLinked, ValueError)
    link(first, NAVER, NAVER_1)  # one account per provider
    with unit_of_work() as session:
        links = session.exec(select(SocialLink.member_id, SocialLink.provider)).all()
    assert sorted(links) == [(first, KAKAO), (first, NAVER)]


def test_a_refused_link_rolls_back_the_signup_that_called_it(provider):
    link(make_member("first"), KAKAO, KAKAO_1)
    with pytest.raises(SocialAccountAlreadyLinked):
        with unit_of_work(write=True) as session:
            member = Member(
                login_id="newkid", password_hash="h", name="새회원", birth_date=date(1990, 1, 1), sex=Sex.MALE,
                nationality=Nationality.DOMESTIC, member_type=MemberType.GENERAL, created_at=T0, updated_at=T0,
            )
            session.add(member)
            session.flush()
            social.link_to_member(session, member.id, KAKAO, KAKAO_1, T0)
    with unit_of_work() as session:
        assert session.exec(select(Member).where(Member.login_id == "newkid")).first() is None


def test_the_unique_constraint_is_the_final_guard(provider, monkeypatch):
    """A link made between the check and the insert (a lost race) gives the same exception,
    and the caller's transaction stays usable."""
    first, second = make_member("first"), make_member("second")
    link(first, KAKAO, KAKAO_1)
    real_check = social._existing_conflict
    calls: list[int] = []

    def check_that_misses_the_race_once(*args):
        calls.append(1)
        return None if len(calls) == 1 else real_check(*args)

    monkeypatch.setattr(social, "_existing_conflict", check_that_misses_the_race_once)
    with unit_of_work(write=True) as session:
        with pytest.raises(SocialAccountAlreadyLinked):
            social.link_to_member(session, second, KAKAO, KAKAO_1, T0)
        # Still usable: the caller can go on (here, link Naver instead).
        social.link_to_member(session, second, NAVER, NAVER_1, T0)
    assert len(calls) == 3
    assert social.find_linked_member(KAKAO, KAKAO_1) == first
    assert social.find_linked_member(NAVER, NAVER_1) == second


def test_two_members_linking_the_same_account_at_once_one_wins(provider):
    members = [make_member("first"), make_member("second")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(member_id: int) -> None:
        barrier.wait()
        try:
            link(member_id, KAKAO, KAKAO_1)
            outcome = "linked"
        except SocialAccountAlreadyLinked:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["linked", "refused"]
    assert social.find_linked_member(KAKAO, KAKAO_1) in members


@pytest.mark.parametrize("provider_user_id", ["", "x" * 101, None, 3000000001])
def test_link_refuses_a_malformed_provider_user_id(provider, provider_user_id):
    member_id = make_member()
    with pytest.raises(ValueError):
        link(member_id, KAKAO, provider_user_id)
    assert social.find_linked_member(KAKAO, KAKAO_1) is None


def test_unlink(provider):
    member_id = make_member()
    link(member_id, KAKAO, KAKAO_1)
    link(member_id, NAVER, NAVER_1)

    assert social.unlink_from_member(member_id, KAKAO, now=T0) is True
    assert social.unlink_from_member(member_id, KAKAO, now=T0) is False

    assert social.find_linked_member(KAKAO, KAKAO_1) is None
    assert social.find_linked_member(NAVER, NAVER_1) == member_id
    assert not social.login_with_social(KAKAO, KAKAO_1, now=T0).ok
    assert [(e.outcome, e.detail) for e in audit_entries("social.unlink")] == [("ok", "kakao"), ("not_linked", "kakao")]
    # The account can be linked again afterwards, to anyone.
    link(make_member("other"), KAKAO, KAKAO_1)
