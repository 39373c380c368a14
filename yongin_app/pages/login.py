"""로그인: 아이디 and 비밀번호, one generic message for every failure (decisions.md)."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlparse

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.domain.enums import OAuthProvider
from yongin_app.services import auth, messages, social
from yongin_app.settings import get_settings
from yongin_app.states.client import client_ip
from yongin_app.states.session import SessionState

_NOTICES = {
    "expired": texts.LOGIN_SESSION_EXPIRED,
    "logout": texts.LOGGED_OUT,
    "withdrawn": messages.WITHDRAWN,
}
_SOCIAL_NOTICES = {
    "not_linked": texts.LOGIN_SOCIAL_NOT_LINKED,
    "failed": texts.LOGIN_SOCIAL_FAILED,
    "locked": texts.LOGIN_SOCIAL_LOCKED,
}
_PROVIDERS = {p.value for p in OAuthProvider}


class LoginState(rx.State):
    error: str = ""
    notice: str = ""
    social_notice: str = ""
    submitting: bool = False
    show_password: bool = False
    # The `state` of a Kakao/Naver login started in this browser, checked when the provider sends it back.
    oauth_login_state: str = rx.Cookie("", name="yongin_oauth_login", max_age=600, same_site="lax",
                                       secure=get_settings().secure_cookies)

    def _next_target(self) -> str:
        return routes.safe_next(self.router.url.query_parameters.get("next"))

    @rx.event
    async def load(self):
        params = self.router.url.query_parameters
        self.error = ""
        self.submitting = False
        self.show_password = False
        if params.get("next"):
            self.notice = texts.LOGIN_REQUIRED
        else:
            self.notice = _NOTICES.get(params.get("reason", ""), "")
        self.social_notice = _SOCIAL_NOTICES.get(params.get("social", ""), "")
        session = await self.get_state(SessionState)
        if session.logged_in:
            # Still live on the server (a link from anywhere to ?reason=expired ends nothing).
            self.notice = ""
            return rx.redirect(self._next_target())
        if params.get("reason") == "expired" and session.session_token:
            # The idle timer in the browser ran out and the server agrees: forget the cookie too.
            return SessionState.end_idle_session

    @rx.event
    async def social_login(self, provider: str):
        """카카오 로그인 / 네이버 로그인: off to the provider; /oauth/{provider}/callback finishes it."""
        if provider not in _PROVIDERS:
            return
        url = await asyncio.to_thread(social.begin_oauth, OAuthProvider(provider), social.OAuthPurpose.LOGIN)
        self.oauth_login_state = parse_qs(urlparse(url).query).get("state", [""])[0]
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    def toggle_password(self):
        self.show_password = not self.show_password

    @rx.event
    async def submit(self, form_data: dict):
        if self.submitting or not isinstance(form_data, dict):
            return
        login_id = str(form_data.get("login_id", "")).strip()
        password = str(form_data.get("password", ""))
        if not login_id or not password:
            self.error = texts.LOGIN_EMPTY_FIELDS
            return
        # The last message stays until this answer replaces it: emptying it now moved everything below
        # (the 비밀번호 재설정 link) up and back while the answer was on its way, and a press landed elsewhere.
        self.submitting = True
        yield
        session = await self.get_state(SessionState)
        result = await asyncio.to_thread(
            auth.login_member, login_id, password, client_ip=client_ip(self),
            previous_token=session.session_token or None,
        )
        self.submitting = False
        if not result.ok:
            self.error = messages.login_throttled(result.throttled) if result.throttled else texts.LOGIN_FAILED
            # Keep the ID, empty the password: the member types it again.
            yield [rx.set_value("password", ""), rx.set_focus("password")]
            return
        await session._begin(result.token)
        self.notice = ""
        yield rx.redirect(self._next_target())


def login_form() -> rx.Component:
    return form(
        rx.el.div(
            rx.el.label(texts.LOGIN_ID_LABEL, html_for="login_id", class_name="field-label"),
            rx.el.input(
                id="login_id",
                name="login_id",
                type="text",
                auto_complete="username",
                auto_capitalize="none",
                spell_check=False,
                max_length=64,
                required=True,
                aria_describedby="login-error",
                aria_invalid=rx.cond(LoginState.error != "", "true", "false"),
                class_name="field-input",
            ),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(texts.LOGIN_PASSWORD_LABEL, html_for="password", class_name="field-label"),
            rx.el.div(
                rx.el.input(
                    id="password",
                    name="password",
                    type=rx.cond(LoginState.show_password, "text", "password"),
                    auto_complete="current-password",
                    max_length=1024,
                    required=True,
                    aria_describedby="login-error",
                    aria_invalid=rx.cond(LoginState.error != "", "true", "false"),
                    class_name="field-input",
                ),
                rx.el.button(
                    rx.cond(LoginState.show_password, texts.HIDE_PASSWORD, texts.SHOW_PASSWORD),
                    type="button",
                    on_click=LoginState.toggle_password,
                    aria_controls="password",
                    aria_pressed=rx.cond(LoginState.show_password, "true", "false"),
                    class_name="btn btn-ghost",
                ),
                class_name="password-row",
            ),
            class_name="field",
        ),
        rx.el.div(
            field_error("login-error", LoginState.error),
            rx.cond(LoginState.error != "", rx.el.p(texts.LOGIN_FAILED_HINT, class_name="field-help"), rx.fragment()),
        ),
        submit_button(
            rx.cond(LoginState.submitting, texts.LOGIN_SUBMITTING, texts.LOGIN_SUBMIT),
            disabled=LoginState.submitting,
            class_name="btn btn-primary btn-block",
        ),
        on_submit=LoginState.submit,
        reset_on_submit=False,
        class_name="login-form",
        aria_labelledby="login-title",
        no_validate=True,
    )


def login_page() -> rx.Component:
    return page_shell(
        rx.el.section(
            rx.el.h1(texts.LOGIN_TITLE, id="login-title", class_name="page-title"),
            rx.el.p(texts.LOGIN_INTRO, class_name="page-intro"),
            rx.el.p(LoginState.notice, role="status", class_name="notice"),
            login_form(),
            rx.el.section(
                rx.el.h2(texts.LOGIN_SOCIAL_TITLE, class_name="subsection-title"),
                rx.el.div(
                    rx.el.button(texts.LOGIN_KAKAO, type="button", on_click=LoginState.social_login("kakao"),
                                 class_name="btn btn-social btn-kakao"),
                    rx.el.button(texts.LOGIN_NAVER, type="button", on_click=LoginState.social_login("naver"),
                                 class_name="btn btn-social btn-naver"),
                    class_name="button-row social-login",
                ),
                field_error("social-login-error", LoginState.social_notice),
                class_name="social-login-section",
            ),
            rx.el.p(
                rx.el.a(texts.FIND_ID_TITLE, href=routes.FIND_ID),
                " · ",
                rx.el.a(texts.RESET_PASSWORD_TITLE, href=routes.RESET_PASSWORD),
                class_name="login-links",
            ),
            rx.el.p(
                texts.LOGIN_NO_ACCOUNT, " ",
                rx.el.a(texts.NAV_SIGNUP, href=routes.SIGNUP),
                class_name="login-links",
            ),
            class_name="card-panel narrow",
        )
    )
