"""Sandbox implementations of the outside services (the embedded default).

Part of the product, not of the tests: with no configuration the app uses
these. YONGIN_ENV=production refuses to start while any of them is selected.
"""

from yongin_app.ports.sandbox.address import SandboxAddressSearch
from yongin_app.ports.sandbox.eligibility import SandboxEligibilityChecker
from yongin_app.ports.sandbox.identity import SANDBOX_CODE, SandboxIdentityVerifier
from yongin_app.ports.sandbox.oauth_provider import (
    SANDBOX_CLIENTS,
    SANDBOX_OAUTH_PREFIX,
    sandbox_endpoints,
    sandbox_oauth_app,
    sandbox_oauth_mount,
)
from yongin_app.ports.sandbox.registry import SandboxRegistry, load_registry

__all__ = [
    "SANDBOX_CLIENTS",
    "SANDBOX_CODE",
    "SANDBOX_OAUTH_PREFIX",
    "SandboxAddressSearch",
    "SandboxEligibilityChecker",
    "SandboxIdentityVerifier",
    "SandboxRegistry",
    "load_registry",
    "sandbox_endpoints",
    "sandbox_oauth_app",
    "sandbox_oauth_mount",
]
