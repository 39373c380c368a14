"""The factories pick the implementation from the settings."""

from __future__ import annotations

from datetime import date

import pytest

from yongin_app.domain.enums import OAuthProvider, VerificationMethod
from yongin_app.ports import (
    AddressSearch,
    EligibilityChecker,
    EligibilityFailure,
    EligibilityFailureReason,
    IdentityVerifier,
    NotConfiguredEligibilityChecker,
    NotConfiguredIdentityVerifier,
    OAuthClient,
    ServiceNotConfigured,
    get_address_search,
    get_eligibility_checker,
    get_identity_verifier,
    get_oauth_client,
)
from yongin_app.ports.sandbox import (
    SandboxAddressSearch,
    SandboxEligibilityChecker,
    SandboxIdentityVerifier,
)
from yongin_app.ports.sandbox.oauth_provider import SANDBOX_CLIENTS
from yongin_app.settings import SandboxInProductionError, Settings


def test_defaults_are_the_sandbox() -> None:
    settings = Settings()
    assert isinstance(get_identity_verifier(settings), SandboxIdentityVerifier)
    assert isinstance(get_eligibility_checker(settings), SandboxEligibilityChecker)
    assert isinstance(get_address_search(settings), SandboxAddressSearch)
    for provider in OAuthProvider:
        client = get_oauth_client(provider, settings)
        assert isinstance(client, OAuthClient)
        assert client.client_id == SANDBOX_CLIENTS[provider][0]
        assert client.endpoints.authorize_url == (
            f"{settings.public_base_url}/sandbox/oauth/{provider.value}/authorize"
        )


def test_results_satisfy_the_protocols() -> None:
    for backend in ("sandbox", "real"):
        settings = Settings(identity_backend=backend, eligibility_backend=backend)
        assert isinstance(get_identity_verifier(settings), IdentityVerifier)
        assert isinstance(get_eligibility_checker(settings), EligibilityChecker)
    assert isinstance(get_address_search(Settings()), AddressSearch)


def test_real_identity_and_eligibility_are_not_configured() -> None:
    settings = Settings(identity_backend="real", eligibility_backend="real")
    identity = get_identity_verifier(settings)
    eligibility = get_eligibility_checker(settings)
    assert isinstance(identity, NotConfiguredIdentityVerifier)
    assert isinstance(eligibility, NotConfiguredEligibilityChecker)
    with pytest.raises(ServiceNotConfigured):
        identity.send_code(VerificationMethod.IPIN, "홍길동", date(1990, 1, 1), None)
    with pytest.raises(ServiceNotConfigured):
        eligibility.check("홍길동", "900101", "1234567")


def test_eligibility_factory_passes_the_outage_delay() -> None:
    checker = get_eligibility_checker(Settings(sandbox_outage_delay_seconds=0))
    assert checker.check("오류시험", "990909", "1999999") == EligibilityFailure(EligibilityFailureReason.UNAVAILABLE)


def test_production_refuses_the_sandbox() -> None:
    # Guard lives in settings.py; checked here because these ports are what it protects.
    with pytest.raises(SandboxInProductionError):
        Settings(env="production")


def test_sandbox_base_url_can_point_at_the_backend_port() -> None:
    client = get_oauth_client(
        OAuthProvider.NAVER,
        Settings(public_base_url="http://localhost:3000"),
        sandbox_base_url="http://localhost:8000/",
    )
    assert client.endpoints.token_url == "http://localhost:8000/sandbox/oauth/naver/token"
    assert client.endpoints.userinfo_url == "http://localhost:8000/sandbox/oauth/naver/v1/nid/me"
    # The browser still comes back to the app's own page.
    assert client.redirect_uri == "http://localhost:3000/oauth/naver/callback"
