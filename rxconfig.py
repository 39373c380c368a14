"""Reflex configuration. Everything configurable comes from yongin_app.settings (env prefix YONGIN_)."""

import reflex as rx

from yongin_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="yongin_app",
    db_url=settings.effective_database_url,
    redis_url=settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No Radix Themes: the dialogs use Radix's primitive (yongin_app/components/dialog.py).
    plugins=[rx.plugins.SitemapPlugin()],
)
