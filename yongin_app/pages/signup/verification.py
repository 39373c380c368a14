"""The sandbox identity-verification screen (a dialog announced to screen readers, never a popup window)."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.components import dialog
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.state import SignupState
from yongin_app.services import messages, signup
from yongin_app.states.client import client_ip

_METHODS = {method for method, *_ in texts.METHODS}


class VerificationState(SignupState):
    dialog_open: bool = False
    who: str = signup.WHO_SELF
    method: str = "phone"
    code_sent: bool = False
    sandbox_code: str = ""
    dialog_error: str = ""
    already_member: bool = False
    wrong_kind: bool = False
    # What the first form sent, for the 확인 call (not secret: name, birth date, phone).
    _pending: dict[str, str] = {}

    @rx.var
    def dialog_title(self) -> str:
        if self.who == signup.WHO_GUARDIAN:
            return texts.DIALOG_GUARDIAN_TITLE
        return texts.DIALOG_TITLES.get(self.method, texts.DIALOG_TITLES["phone"])

    @rx.var
    def asks_phone(self) -> bool:
        return self.method == "phone" and self.who == signup.WHO_SELF

    @rx.event
    def open_for(self, who: str, method: str):
        if who not in (signup.WHO_SELF, signup.WHO_GUARDIAN) or method not in _METHODS:
            return
        self.who = who
        self.method = "phone" if who == signup.WHO_GUARDIAN else method
        self.code_sent = False
        self.sandbox_code = ""
        self.dialog_error = ""
        self.already_member = False
        self.wrong_kind = False
        self._pending = {}
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, is_open: bool):
        self.dialog_open = bool(is_open)

    @rx.event
    async def send_code(self, form_data: dict):
        form = form_data if isinstance(form_data, dict) else {}
        pending = {
            "name": str(form.get("verify_name", ""))[:50],
            "birth_date": str(form.get("verify_birth", ""))[:20],
            "phone": str(form.get("verify_phone", ""))[:20],
        }
        result = await asyncio.to_thread(
            signup.request_code, self.draft_token, self.who, self.method,
            pending["name"], pending["birth_date"], pending["phone"], client_ip=client_ip(self),
        )
        self.already_member = self.wrong_kind = False
        if result.rate_limited:
            self.dialog_error = result.message  # a code sent earlier stays usable
            return
        if not result.ok:
            self.dialog_error = result.message
            self.code_sent = False
            return
        self._pending = pending
        self.dialog_error = ""
        self.code_sent = True
        self.sandbox_code = result.sandbox_code or ""
        return rx.set_focus("verify_code")

    @rx.event
    async def confirm(self, form_data: dict):
        form = form_data if isinstance(form_data, dict) else {}
        pending = self._pending
        result = await asyncio.to_thread(
            signup.confirm_code, self.draft_token, self.who, self.method,
            pending.get("name", ""), pending.get("birth_date", ""), pending.get("phone", ""),
            str(form.get("verify_code", ""))[:10],
        )
        if result.ok:
            self.dialog_open = False
            self._apply(result.view)
            if self.who == signup.WHO_SELF:
                return rx.redirect(routes.SIGNUP_TERMS)
            return
        self.dialog_error = result.message
        self.already_member = result.already_member
        self.wrong_kind = result.message in (
            messages.VERIFY_UNDER_14_USE_CHILD, messages.VERIFY_CHILD_TOO_OLD
        )
        if result.attempt_ended:
            self.code_sent = False
            self.sandbox_code = ""


def _input(field_id: str, label: str, hint: str | None = None, **props) -> rx.Component:
    described = f"{field_id}-hint verify-error" if hint else "verify-error"
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.input(id=field_id, name=field_id, class_name="field-input", aria_describedby=described, **props),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-help") if hint else rx.fragment(),
        class_name="field",
    )


def _identity_form() -> rx.Component:
    return form(
        rx.cond(
            VerificationState.who == signup.WHO_GUARDIAN,
            rx.el.dl(
                rx.el.dt(texts.DIALOG_NAME), rx.el.dd(SignupState.guardian_name_input),
                rx.el.dt(texts.DIALOG_PHONE), rx.el.dd(SignupState.guardian_mobile_input),
                class_name="summary-list",
            ),
            _input("verify_name", texts.DIALOG_NAME, auto_complete="name", max_length=50),
        ),
        _input("verify_birth", texts.DIALOG_BIRTH, texts.DIALOG_BIRTH_HINT, input_mode="numeric",
               pattern="[0-9]*", max_length=8, auto_complete="bday"),
        rx.cond(
            VerificationState.asks_phone,
            _input("verify_phone", texts.DIALOG_PHONE, texts.DIALOG_PHONE_HINT, type="tel",
                   auto_complete="tel-national", max_length=13),
            rx.fragment(),
        ),
        submit_button(
            rx.cond(VerificationState.code_sent, texts.DIALOG_RESEND, texts.DIALOG_SEND),
            class_name="btn btn-secondary btn-block",
        ),
        on_submit=VerificationState.send_code,
        reset_on_submit=False,
    )


def _code_form() -> rx.Component:
    return form(
        rx.el.p(
            texts.DIALOG_SENT, " ",
            rx.cond(
                VerificationState.sandbox_code != "",
                rx.el.span(texts.DIALOG_SANDBOX_CODE, ": ", rx.el.strong(VerificationState.sandbox_code)),
                rx.fragment(),
            ),
            role="status",
            class_name="notice",
        ),
        _input("verify_code", texts.DIALOG_CODE, input_mode="numeric", pattern="[0-9]*", max_length=6,
               auto_complete="one-time-code"),
        submit_button(texts.DIALOG_CONFIRM, class_name="btn btn-primary btn-block"),
        on_submit=VerificationState.confirm,
        reset_on_submit=False,
    )


def verification_dialog() -> rx.Component:
    return dialog.root(
        dialog.content(
            dialog.title(VerificationState.dialog_title),
            dialog.description(texts.DIALOG_SANDBOX, class_name="sandbox-note"),
            _identity_form(),
            rx.cond(VerificationState.code_sent, _code_form(), rx.fragment()),
            field_error("verify-error", VerificationState.dialog_error),
            rx.cond(
                VerificationState.already_member,
                rx.el.a(texts.FIND_ID, href=routes.FIND_ID, class_name="btn btn-secondary"),
                rx.fragment(),
            ),
            rx.cond(
                VerificationState.wrong_kind,
                rx.el.a(
                    rx.cond(SignupState.is_child, texts.GO_GENERAL_SIGNUP, texts.GO_CHILD_SIGNUP),
                    href=routes.SIGNUP, class_name="btn btn-secondary",
                ),
                rx.fragment(),
            ),
            dialog.close(rx.el.button(texts.DIALOG_CLOSE, type="button", class_name="btn btn-ghost dialog-close")),
            class_name="verify-dialog",
        ),
        open=VerificationState.dialog_open,
        on_open_change=VerificationState.set_dialog_open,
    )
