"""아이디 찾기 and 비밀번호 재설정, both by identity verification (the sandbox by default).

The check's token is a backend-only var: the browser never holds it.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.services import messages, recovery
from yongin_app.states.client import client_ip

METHODS = (("phone", "휴대폰 인증"), ("ipin", "아이핀 인증"), ("card", "카드 인증"))
_METHOD_KEYS = {key for key, _ in METHODS}


def _value(form_data: dict, key: str, limit: int = 100) -> str:
    return str((form_data if isinstance(form_data, dict) else {}).get(key, ""))[:limit]


class _RecoveryState(rx.State):
    step: str = "identity"  # identity → code → (password) → done
    method: str = "phone"
    message: str = ""
    sandbox_code: str = ""
    errors: dict[str, str] = {}
    # The form is drawn once the page's state has arrived, so nothing typed before is lost.
    ready: bool = False
    _token: str = ""

    @rx.event
    def start_over(self):
        self.step, self.method, self.message, self.sandbox_code, self._token = "identity", "phone", "", "", ""
        self.errors = {}
        self.ready = True

    @rx.event
    def choose_method(self, method: str):
        self._set_method(method)

    def _set_method(self, method: str) -> None:
        if method in _METHOD_KEYS:
            self.method = method

    def _requester(self) -> dict[str, str]:
        """Who asks for a code, for the send limits: the client IP and this browser tab."""
        return {"client_ip": client_ip(self), "attempt": f"tab:{self.router.session.client_token}"}

    def _started(self, started: recovery.CheckStarted) -> None:
        if not started.ok:
            self.message = started.message
            return
        self._token = started.token or ""
        self.sandbox_code = started.sandbox_code or ""
        self.message = ""
        self.step = "code"


class FindIdState(_RecoveryState):
    masked_login_id: str = ""
    signed_up_on: str = ""

    @rx.event
    async def send(self, form_data: dict):
        self._set_method(_value(form_data, "method", 10))
        started = await asyncio.to_thread(recovery.start_find_id, self.method, _value(form_data, "name", 50),
                                          _value(form_data, "birth", 20), _value(form_data, "phone", 20),
                                          **self._requester())
        self._started(started)

    @rx.event
    async def confirm(self, form_data: dict):
        found = await asyncio.to_thread(recovery.finish_find_id, self._token, _value(form_data, "code", 10))
        if isinstance(found, str):
            self.message = found
            if found in (messages.VERIFY_TOO_MANY_CODES, messages.RECOVERY_CHECK_MISSING):
                self.step = "identity"
            return
        self._token = ""
        self.masked_login_id = found.masked_login_id
        self.signed_up_on = f"{found.signed_up_on.year}년 {found.signed_up_on.month:02d}월 {found.signed_up_on.day:02d}일"
        self.message, self.step = "", "done"


class ResetPasswordState(_RecoveryState):
    @rx.event
    async def send(self, form_data: dict):
        self._set_method(_value(form_data, "method", 10))
        started = await asyncio.to_thread(
            recovery.start_reset, _value(form_data, "login_id", 64), self.method, _value(form_data, "name", 50),
            _value(form_data, "birth", 20), _value(form_data, "phone", 20), **self._requester(),
        )
        self._started(started)

    @rx.event
    async def confirm(self, form_data: dict):
        verified = await asyncio.to_thread(recovery.verify_reset, self._token, _value(form_data, "code", 10))
        if verified is True:
            self.message, self.step = "", "password"
            return
        self.message = str(verified)
        if verified != messages.VERIFY_WRONG_CODE:
            self.step = "identity"

    @rx.event
    async def set_password(self, form_data: dict):
        result = await asyncio.to_thread(recovery.finish_reset, self._token, _value(form_data, "new_password", 1024),
                                         _value(form_data, "new_password_confirm", 1024))
        self.errors = dict(result.errors)
        if result.ok:
            self._token, self.message, self.step = "", result.message, "done"
            return
        self.message = result.message
        if not result.errors:
            self.step = "identity"
        return [rx.set_value("new_password", ""), rx.set_value("new_password_confirm", "")]


def _field(field_id: str, label: str, *, hint: str | None = None, **props) -> rx.Component:
    described = f"{field_id}-hint recovery-message" if hint else "recovery-message"
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.input(id=field_id, name=field_id, class_name="field-input", aria_describedby=described, **props),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-help") if hint else rx.fragment(),
        class_name="field",
    )


def _identity_form(state: type[_RecoveryState], *extra: rx.Component) -> rx.Component:
    return form(
        *extra,
        rx.el.fieldset(
            rx.el.legend(texts.RECOVERY_METHOD, class_name="field-label"),
            *[
                rx.el.div(
                    # Uncontrolled: the browser ticks it at once; the server only learns whether to ask a phone.
                    rx.el.input(type="radio", id=f"method-{key}", name="method", value=key,
                                default_checked=key == "phone", on_change=state.choose_method(key),
                                class_name="checkbox"),
                    rx.el.label(label, html_for=f"method-{key}", class_name="checkbox-label"),
                    class_name="checkbox-row",
                )
                for key, label in METHODS
            ],
            class_name="field fieldset",
        ),
        _field("name", texts.RECOVERY_NAME, auto_complete="name", max_length=50),
        _field("birth", texts.RECOVERY_BIRTH, hint=texts.RECOVERY_BIRTH_HINT, input_mode="numeric", pattern="[0-9]*",
               max_length=8, auto_complete="bday"),
        rx.cond(
            state.method == "phone",
            _field("phone", texts.RECOVERY_PHONE, hint=texts.RECOVERY_PHONE_HINT, type="tel",
                   auto_complete="tel-national", max_length=13),
            rx.fragment(),
        ),
        rx.el.p(texts.RECOVERY_SANDBOX, class_name="sandbox-note"),
        submit_button(texts.RECOVERY_SEND, class_name="btn btn-primary btn-block"),
        on_submit=state.send,
        reset_on_submit=False,
    )


def _code_form(state: type[_RecoveryState]) -> rx.Component:
    return form(
        rx.el.p(texts.RECOVERY_SENT, " ", texts.RECOVERY_SANDBOX_CODE, ": ", rx.el.strong(state.sandbox_code),
                role="status", class_name="notice"),
        _field("code", texts.RECOVERY_CODE, input_mode="numeric", pattern="[0-9]*", max_length=6,
               auto_complete="one-time-code"),
        submit_button(texts.RECOVERY_CONFIRM, class_name="btn btn-primary btn-block"),
        rx.el.button(texts.RECOVERY_START_OVER, type="button", on_click=state.start_over, class_name="btn btn-ghost"),
        on_submit=state.confirm,
        reset_on_submit=False,
    )


def _message(state: type[_RecoveryState]) -> rx.Component:
    return field_error("recovery-message", state.message)


def find_id_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.FIND_ID_TITLE, class_name="page-title"),
        rx.el.section(
            rx.cond(~FindIdState.ready, rx.el.p(texts.LOADING, role="status", class_name="loading"), rx.match(
                FindIdState.step,
                ("code", _code_form(FindIdState)),
                ("done", rx.fragment(
                    rx.el.p(texts.FIND_ID_RESULT, role="status", class_name="notice success"),
                    rx.el.dl(
                        rx.el.dt(texts.LOGIN_ID_LABEL), rx.el.dd(FindIdState.masked_login_id, id="found-login-id"),
                        rx.el.dt(texts.FIND_ID_SIGNED_UP), rx.el.dd(FindIdState.signed_up_on),
                        class_name="summary-list",
                    ),
                    rx.el.div(
                        rx.el.a(texts.LOGIN_TITLE, href=routes.LOGIN, class_name="btn btn-primary"),
                        rx.el.a(texts.RESET_PASSWORD_TITLE, href=routes.RESET_PASSWORD, class_name="btn btn-secondary"),
                        class_name="button-row",
                    ),
                )),
                _identity_form(FindIdState),
            )),
            _message(FindIdState),
            class_name="card-panel narrow",
        ),
    )


def reset_password_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.RESET_PASSWORD_TITLE, class_name="page-title"),
        rx.el.section(
            rx.cond(~ResetPasswordState.ready, rx.el.p(texts.LOADING, role="status", class_name="loading"), rx.match(
                ResetPasswordState.step,
                ("code", _code_form(ResetPasswordState)),
                ("password", form(
                    rx.el.div(
                        rx.el.label(texts.NEW_PASSWORD, html_for="new_password", class_name="field-label"),
                        rx.el.input(id="new_password", name="new_password", type="password", max_length=64,
                                    auto_complete="new-password", class_name="field-input",
                                    aria_describedby="new_password-hint new_password-error"),
                        rx.el.p(texts.NEW_PASSWORD_HINT, id="new_password-hint", class_name="field-help"),
                        field_error("new_password-error", ResetPasswordState.errors.get("new_password", "")),
                        class_name="field",
                    ),
                    rx.el.div(
                        rx.el.label(texts.NEW_PASSWORD_CONFIRM, html_for="new_password_confirm",
                                    class_name="field-label"),
                        rx.el.input(id="new_password_confirm", name="new_password_confirm", type="password",
                                    max_length=64, auto_complete="new-password", class_name="field-input",
                                    aria_describedby="new_password_confirm-error"),
                        field_error("new_password_confirm-error",
                                    ResetPasswordState.errors.get("new_password_confirm", "")),
                        class_name="field",
                    ),
                    submit_button(texts.CHANGE, class_name="btn btn-primary btn-block"),
                    on_submit=ResetPasswordState.set_password,
                    reset_on_submit=False,
                )),
                ("done", rx.fragment(
                    rx.el.p(ResetPasswordState.message, role="status", class_name="notice success"),
                    rx.el.a(texts.LOGIN_TITLE, href=routes.LOGIN, class_name="btn btn-primary"),
                )),
                _identity_form(
                    ResetPasswordState,
                    _field("login_id", texts.LOGIN_ID_LABEL, auto_complete="username", auto_capitalize="none",
                           spell_check=False, max_length=20),
                ),
            )),
            rx.cond(ResetPasswordState.step != "done", _message(ResetPasswordState), rx.fragment()),
            class_name="card-panel narrow",
        ),
    )
