"""The current-password form of the 10-minute re-check (see states/reauth.py)."""

from __future__ import annotations

import reflex as rx

from yongin_app import texts
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.states.session import SessionState


def reauth_form(state: type, intro: str) -> rx.Component:
    """state: a page state with the ReauthState mixin."""
    return form(
        rx.el.p(intro, class_name="page-intro"),
        # For password managers: the account the password belongs to (the header shows it already).
        rx.el.input(type="text", name="username", auto_complete="username", value=SessionState.member_login_id,
                    read_only=True, hidden=True, aria_hidden="true", tab_index=-1),
        rx.el.div(
            rx.el.label(texts.CURRENT_PASSWORD, html_for="current_password", class_name="field-label"),
            rx.el.input(id="current_password", name="current_password", type="password", max_length=1024,
                        auto_complete="current-password", aria_describedby="current_password-error",
                        class_name="field-input"),
            field_error("current_password-error", state.reauth_error),
            class_name="field",
        ),
        submit_button(texts.RECOVERY_CONFIRM, class_name="btn btn-primary btn-block"),
        on_submit=state.check_password,
        reset_on_submit=False,
        class_name="card-panel narrow",
    )
