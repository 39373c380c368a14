"""Errors shared by the ports to the outside services.

Messages are for logs and developers. They never carry a resident registration
number, an access token, an authorization code or other personal data, because
exception messages end up in logs and error reports.
"""

from __future__ import annotations


class PortError(Exception):
    """Base class for errors raised by a port."""


class ServiceNotConfigured(PortError):
    """The real implementation of an outside service was selected but cannot work.

    Raised for a provider that has no public API (identity verification,
    eligibility check) or when a required key is missing from the settings.
    """


class OAuthError(PortError):
    """An OAuth 2.0 exchange failed (timeout, 5xx, garbage, or an error answer).

    ``stage`` is one of "token" or "profile"; ``status_code`` is the HTTP status
    when there was a response. Neither the message nor the attributes contain a
    code, a token or profile data.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        stage: str,
        status_code: int | None = None,
        error_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.stage = stage
        self.status_code = status_code
        self.error_code = error_code
