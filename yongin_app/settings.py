"""All configuration, read once from the environment (prefix YONGIN_).

The defaults are the embedded mode: a SQLite file under data/, the built-in
sandbox for every outside service, and demo data. The database and Redis URLs
can point at PostgreSQL and Redis for the scaled mode.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yongin_app.domain.client_ip import IPNetwork, parse_trusted_proxies

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_PORT = 3000


def default_public_base_url() -> str:
    """The app on this machine, on the port scripts/run.sh serves it on (PORT, default 3000)."""
    port = os.environ.get("PORT", "").strip() or str(DEFAULT_PORT)
    return f"http://localhost:{port}"

Backend = Literal["sandbox", "real"]


class SandboxInProductionError(RuntimeError):
    """Raised when YONGIN_ENV=production while an outside service is the sandbox."""


class RateLimitsOffInProductionError(RuntimeError):
    """Raised when YONGIN_ENV=production while the abuse limits are switched off."""


class InsecurePublicUrlError(RuntimeError):
    """Raised when YONGIN_ENV=production while the public base URL is not https."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YONGIN_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = DEFAULT_DATA_DIR
    # Empty means the embedded SQLite file data_dir/yongin.db.
    database_url: str = ""
    # Empty means no Redis (Reflex keeps state on local disk).
    redis_url: str = ""
    sqlite_busy_timeout_ms: int = 5000

    # Public address of the app, for OAuth redirect URIs and the allowed origins. By default it follows
    # PORT, so `PORT=3102 bash scripts/run.sh` sends Kakao/Naver back to port 3102.
    public_base_url: str = Field(default_factory=default_public_base_url)

    identity_backend: Backend = "sandbox"
    eligibility_backend: Backend = "sandbox"
    address_backend: Backend = "sandbox"
    oauth_backend: Backend = "sandbox"

    juso_api_key: str = ""
    kakao_client_id: str = ""
    kakao_client_secret: str = ""
    naver_client_id: str = ""
    naver_client_secret: str = ""
    outside_timeout_seconds: float = 5.0
    # The library's integration gateways for 본인확인 and 비대면 자격확인 (ports/identity.py,
    # ports/eligibility.py). With the real backend and no URL, those services are "not configured".
    identity_gateway_url: str = ""
    identity_gateway_key: str = ""
    eligibility_gateway_url: str = ""
    eligibility_gateway_key: str = ""

    # Seconds the sandbox eligibility check waits before simulating an outage (P8).
    sandbox_outage_delay_seconds: float = 3.0

    barcode_symbology: Literal["code128", "code39", "codabar"] = "code128"

    load_demo_data: bool = True

    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR blocks).
    # Empty: the socket's peer is the client, whatever the header says.
    trusted_proxies: str = ""
    # The abuse limits (domain/rate_limits.py). Off only for load tests that replay one person from one
    # address (bench/load.py); production refuses to start with them off.
    rate_limits_enabled: bool = True

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'yongin.db').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return parse_trusted_proxies(self.trusted_proxies)

    @property
    def sandbox_services(self) -> list[str]:
        backends = {
            "identity": self.identity_backend,
            "eligibility": self.eligibility_backend,
            "address": self.address_backend,
            "oauth": self.oauth_backend,
        }
        return [name for name, backend in backends.items() if backend == "sandbox"]

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        parse_trusted_proxies(value)  # a typo must stop the start, not silently trust nobody
        return value

    @model_validator(mode="after")
    def _refuse_sandbox_in_production(self) -> "Settings":
        if self.env == "production" and self.sandbox_services:
            raise SandboxInProductionError(
                "YONGIN_ENV=production refuses to start while these outside services use the "
                f"sandbox: {', '.join(self.sandbox_services)}. Set YONGIN_<SERVICE>_BACKEND=real."
            )
        if self.env == "production" and not self.rate_limits_enabled:
            raise RateLimitsOffInProductionError("YONGIN_ENV=production refuses YONGIN_RATE_LIMITS_ENABLED=false.")
        if self.env == "production" and not self.public_base_url.startswith("https://"):
            # Cookies would travel in clear text and lose their Secure flag.
            raise InsecurePublicUrlError(
                "YONGIN_ENV=production needs an https:// YONGIN_PUBLIC_BASE_URL "
                f"(got {self.public_base_url!r})."
            )
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.public_base_url.startswith("https://")

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> list[str]:
        """The origins whose pages may talk to the backend: the public origin; outside production
        also its loopback alias (localhost <-> 127.0.0.1), for a developer's browser."""
        origins = [self.public_origin]
        parts = urlsplit(self.public_origin)
        alias = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}.get(parts.hostname or "")
        if alias and self.env != "production":
            port = f":{parts.port}" if parts.port else ""
            origins.append(f"{parts.scheme}://{alias}{port}")
        return origins


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
