"""Reflex configuration. Everything configurable comes from yongin_app.settings (env prefix YONGIN_)."""

import os

import reflex as rx

from yongin_app import log_redaction
from yongin_app.domain.policy import SESSION_IDLE_TIMEOUT
from yongin_app.settings import get_settings

# Before Reflex logs anything: no payload, cookie, token or tab ID in any log line (both modes).
log_redaction.install()

settings = get_settings()

# Scaled mode: the worker that served a tab keeps its Redis lock for a while (the hold time) and serves
# its next events from memory (quiet machine, 200 clients: p95 191-225 -> 67-86 ms; BENCHMARKS.md). Reflex writes the
# tab back only when the hold ends and the running event has finished, without extending the lock: if that
# is past the lock's expiration, every change of the hold is lost (docs/upstream/oplock-lease-expiry.md).
# So the lock outlives the hold by Reflex's whole per-event budget (10 s), as without the opportunistic lock.
OPLOCK_HOLD_TIME_S = 5
REDIS_LOCK_EXPIRATION_MS = OPLOCK_HOLD_TIME_S * 1000 + rx.constants.Expiration.LOCK
if settings.redis_url:
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
    os.environ.setdefault("REFLEX_OPLOCK_HOLD_TIME", f"{OPLOCK_HOLD_TIME_S}s")

config = rx.Config(
    app_name="yongin_app",
    db_url=settings.effective_database_url,
    redis_url=settings.redis_url or None,
    # Embedded mode (one worker): tab states in memory, not Reflex's default disk manager, which pickles
    # every touched substate to its own file and stats the whole folder every 2 s (22 % of the event
    # loop under load). Nothing of value is lost on a restart: every page load starts a new tab token
    # (yongin_app.py), and sessions and wizard progress live in the database; a reconnecting tab
    # rehydrates from its cookie and storage. Scaled mode: Redis, shared by the workers.
    state_manager_mode=rx.constants.StateManagerMode.REDIS if settings.redis_url else rx.constants.StateManagerMode.MEMORY,
    # How long an idle tab's state is kept (memory or Redis): as long as a login lives without activity,
    # not Reflex's default hour. A page load starts a new token, so old ones only wait to expire.
    redis_token_expiration=int(SESSION_IDLE_TIMEOUT.total_seconds()),
    redis_lock_expiration=REDIS_LOCK_EXPIRATION_MS,
    # The websocket and CORS answer only pages of this app (not any Origin, with credentials).
    cors_allowed_origins=settings.allowed_origins,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No Radix Themes: the dialogs use Radix's primitive (yongin_app/components/dialog.py).
    plugins=[rx.plugins.SitemapPlugin()],
)
