"""Ports to the four outside services, and factories that pick the implementation.

The rest of the app depends only on the Protocols and result dataclasses
exported here. Each factory reads ``Settings.<service>_backend``:
"sandbox" (the default, embedded) or "real".

The ports are synchronous (httpx.Client, and the sandbox eligibility check
sleeps to simulate an outage): call them from async Reflex handlers through
``asyncio.to_thread`` / a background event so the event loop is not blocked.
"""

from __future__ import annotations

from yongin_app.domain.enums import OAuthProvider
from yongin_app.ports.address import (
    Address,
    AddressFailureReason,
    AddressPage,
    AddressSearch,
    AddressSearchFailure,
    JusoAddressSearch,
)
from yongin_app.ports.eligibility import (
    EligibilityAnswer,
    EligibilityChecker,
    EligibilityFailure,
    EligibilityFailureReason,
    HttpEligibilityChecker,
    NotConfiguredEligibilityChecker,
)
from yongin_app.ports.errors import OAuthError, PortError, ServiceNotConfigured
from yongin_app.ports.identity import (
    MAX_CODE_ATTEMPTS,
    CodeSent,
    FailureReason,
    HttpIdentityVerifier,
    IdentityVerifier,
    NotConfiguredIdentityVerifier,
    VerificationFailure,
    VerifiedIdentity,
)
from yongin_app.ports.oauth import (
    REAL_ENDPOINTS,
    OAuthClient,
    OAuthEndpoints,
    OAuthProfile,
    new_state,
    oauth_callback_path,
)
from yongin_app.settings import Settings, get_settings


def get_identity_verifier(settings: Settings | None = None) -> IdentityVerifier:
    """The real backend is the integration gateway when YONGIN_IDENTITY_GATEWAY_URL is set
    (raises ServiceNotConfigured without YONGIN_IDENTITY_GATEWAY_KEY), else NotConfigured."""
    settings = settings or get_settings()
    if settings.identity_backend == "real":
        if not settings.identity_gateway_url:
            return NotConfiguredIdentityVerifier()
        return HttpIdentityVerifier(
            settings.identity_gateway_url, settings.identity_gateway_key, timeout=settings.outside_timeout_seconds
        )
    from yongin_app.ports.sandbox.identity import SandboxIdentityVerifier

    return SandboxIdentityVerifier()


def get_eligibility_checker(settings: Settings | None = None) -> EligibilityChecker:
    """The real backend is the integration gateway when YONGIN_ELIGIBILITY_GATEWAY_URL is set
    (raises ServiceNotConfigured without YONGIN_ELIGIBILITY_GATEWAY_KEY), else NotConfigured."""
    settings = settings or get_settings()
    if settings.eligibility_backend == "real":
        if not settings.eligibility_gateway_url:
            return NotConfiguredEligibilityChecker()
        return HttpEligibilityChecker(
            settings.eligibility_gateway_url,
            settings.eligibility_gateway_key,
            timeout=settings.outside_timeout_seconds,
        )
    from yongin_app.ports.sandbox.eligibility import SandboxEligibilityChecker

    return SandboxEligibilityChecker(outage_delay_seconds=settings.sandbox_outage_delay_seconds)


def get_address_search(settings: Settings | None = None) -> AddressSearch:
    """Raises ServiceNotConfigured for the real backend without YONGIN_JUSO_API_KEY."""
    settings = settings or get_settings()
    if settings.address_backend == "real":
        return JusoAddressSearch(settings.juso_api_key, timeout=settings.outside_timeout_seconds)
    from yongin_app.ports.sandbox.address import SandboxAddressSearch

    return SandboxAddressSearch()


def get_oauth_client(
    provider: OAuthProvider,
    settings: Settings | None = None,
    *,
    redirect_uri: str | None = None,
    sandbox_base_url: str | None = None,
) -> OAuthClient:
    """The OAuth client for ``provider``.

    ``redirect_uri`` defaults to public_base_url + oauth_callback_path(provider).
    The sandbox endpoints are ``sandbox_base_url`` (default public_base_url)
    + "/sandbox/oauth/...": the browser opens the authorize page there and the
    backend calls token/user-info there. With ``reflex run --env prod`` one
    port serves both; in dev mode the backend has its own port, so pass the
    backend URL (Reflex config ``api_url``) as ``sandbox_base_url``.
    Raises ServiceNotConfigured for the real backend without client id/secret.
    """
    settings = settings or get_settings()
    base_url = settings.public_base_url.rstrip("/")
    redirect_uri = redirect_uri or f"{base_url}{oauth_callback_path(provider)}"
    if settings.oauth_backend == "real":
        if provider is OAuthProvider.KAKAO:
            client_id, client_secret = settings.kakao_client_id, settings.kakao_client_secret
            if not client_id:
                raise ServiceNotConfigured("Kakao login needs YONGIN_KAKAO_CLIENT_ID")
        else:
            client_id, client_secret = settings.naver_client_id, settings.naver_client_secret
            if not (client_id and client_secret):
                raise ServiceNotConfigured(
                    "Naver login needs YONGIN_NAVER_CLIENT_ID and YONGIN_NAVER_CLIENT_SECRET"
                )
        endpoints = REAL_ENDPOINTS[provider]
    else:
        from yongin_app.ports.sandbox.oauth_provider import SANDBOX_CLIENTS, sandbox_endpoints

        client_id, client_secret = SANDBOX_CLIENTS[provider]
        endpoints = sandbox_endpoints(provider, (sandbox_base_url or base_url).rstrip("/"))
    return OAuthClient(
        provider=provider,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri,
        endpoints=endpoints,
        timeout=settings.outside_timeout_seconds,
    )


__all__ = [
    "MAX_CODE_ATTEMPTS",
    "REAL_ENDPOINTS",
    "Address",
    "AddressFailureReason",
    "AddressPage",
    "AddressSearch",
    "AddressSearchFailure",
    "CodeSent",
    "EligibilityAnswer",
    "EligibilityChecker",
    "EligibilityFailure",
    "EligibilityFailureReason",
    "FailureReason",
    "HttpEligibilityChecker",
    "HttpIdentityVerifier",
    "IdentityVerifier",
    "JusoAddressSearch",
    "NotConfiguredEligibilityChecker",
    "NotConfiguredIdentityVerifier",
    "OAuthClient",
    "OAuthEndpoints",
    "OAuthError",
    "OAuthProfile",
    "PortError",
    "ServiceNotConfigured",
    "VerificationFailure",
    "VerifiedIdentity",
    "get_address_search",
    "get_eligibility_checker",
    "get_identity_verifier",
    "get_oauth_client",
    "new_state",
    "oauth_callback_path",
]
