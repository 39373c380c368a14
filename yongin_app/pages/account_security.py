"""비밀번호 변경, 대출 비밀번호 변경 and 회원탈퇴: short forms read on submit, checked on the server."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.services import account
from yongin_app.states.session import SessionState


class _AccountForm(rx.State):
    errors: dict[str, str] = {}
    message: str = ""
    done: str = ""
    submitting: bool = False

    async def _caller(self) -> tuple[int, str] | None:
        """The member of this tab's live session and its token; every handler starts here."""
        session = await self.get_state(SessionState)
        member_id = await session._current_member_id()
        return (member_id, session.session_token) if member_id is not None else None

    def _show(self, result: account.UpdateResult) -> None:
        self.errors = dict(result.errors)
        self.message = "" if result.ok else result.message
        self.done = result.message if result.ok else ""

    @rx.event
    def clear_form(self):
        self.errors, self.message, self.done, self.submitting = {}, "", "", False


def _form_value(form_data: dict, key: str, limit: int = 1024) -> str:
    return str((form_data if isinstance(form_data, dict) else {}).get(key, ""))[:limit]


class PasswordChangeState(_AccountForm):
    @rx.event
    async def submit(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return rx.redirect(f"{routes.LOGIN}?next={routes.PASSWORD_CHANGE}")
        member_id, token = caller
        result = await asyncio.to_thread(
            account.change_password, member_id, token, _form_value(form_data, "current_password"),
            _form_value(form_data, "new_password"), _form_value(form_data, "new_password_confirm"),
        )
        self._show(result)
        return [rx.set_value(field, "") for field in ("current_password", "new_password", "new_password_confirm")]


class LoanPasswordState(_AccountForm):
    @rx.event
    async def submit(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return rx.redirect(f"{routes.LOGIN}?next={routes.LOAN_PASSWORD_CHANGE}")
        result = await asyncio.to_thread(
            account.change_loan_password, caller[0], _form_value(form_data, "current_loan_password"),
            _form_value(form_data, "loan_password", 10), _form_value(form_data, "loan_password_confirm", 10),
        )
        self._show(result)
        return [rx.set_value(f, "") for f in ("current_loan_password", "loan_password", "loan_password_confirm")]


class WithdrawState(_AccountForm):
    @rx.event
    async def submit(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return rx.redirect(f"{routes.LOGIN}?next={routes.WITHDRAW}")
        member_id, token = caller
        value = (form_data if isinstance(form_data, dict) else {}).get("confirmed")
        confirmed = value is True or value == "on"  # Reflex sends a checkbox as a bool (by id) or "on" (by name)
        result = await asyncio.to_thread(account.withdraw, member_id, token, _form_value(form_data, "password"),
                                         confirmed)
        if not result.ok:
            self._show(result)
            return rx.set_value("password", "")
        session = await self.get_state(SessionState)
        session._forget()  # every session has ended on the server
        self.errors, self.message = {}, ""
        return rx.redirect(f"{routes.LOGIN}?reason=withdrawn")


def _secret(field_id: str, label: str, state: type[_AccountForm], *, auto_complete: str, hint: str | None = None,
            numeric: bool = False) -> rx.Component:
    described = f"{field_id}-hint {field_id}-error" if hint else f"{field_id}-error"
    extra = {"input_mode": "numeric", "pattern": "[0-9]*", "max_length": 4} if numeric else {"max_length": 64}
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.input(id=field_id, name=field_id, type="password", auto_complete=auto_complete,
                    aria_describedby=described, class_name="field-input",
                    aria_invalid=rx.cond(state.errors.contains(field_id), "true", "false"), **extra),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-help") if hint else rx.fragment(),
        field_error(f"{field_id}-error", state.errors.get(field_id, "")),
        class_name="field",
    )


def _outcome(state: type[_AccountForm]) -> rx.Component:
    return rx.fragment(
        rx.el.p(state.done, role="status", class_name="notice success"),
        rx.el.p(state.message, role="alert", class_name="error-summary page-message"),
    )


def _form(state: type[_AccountForm], *children: rx.Component, submit: str) -> rx.Component:
    return form(
        *children,
        _outcome(state),
        submit_button(submit, class_name="btn btn-primary btn-block"),
        on_submit=state.submit,
        reset_on_submit=False,
        no_validate=True,
        class_name="card-panel narrow",
    )


def password_change_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.MENU_PASSWORD_CHANGE, class_name="page-title"),
        _form(
            PasswordChangeState,
            # Lets password managers file the new password under the right account.
            rx.el.input(type="text", name="username", auto_complete="username", value=SessionState.member_login_id,
                        read_only=True, hidden=True, aria_hidden="true", tab_index=-1),
            _secret("current_password", texts.CURRENT_PASSWORD, PasswordChangeState, auto_complete="current-password"),
            _secret("new_password", texts.NEW_PASSWORD, PasswordChangeState, auto_complete="new-password",
                    hint=texts.NEW_PASSWORD_HINT),
            _secret("new_password_confirm", texts.NEW_PASSWORD_CONFIRM, PasswordChangeState,
                    auto_complete="new-password"),
            rx.el.p(texts.PASSWORD_CHANGE_NOTE, class_name="field-help"),
            submit=texts.CHANGE,
        ),
        with_member_menu=True,
    )


def loan_password_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.MENU_LOAN_PASSWORD_CHANGE, class_name="page-title"),
        _form(
            LoanPasswordState,
            _secret("current_loan_password", texts.CURRENT_LOAN_PASSWORD, LoanPasswordState, auto_complete="off",
                    hint=texts.CURRENT_LOAN_PASSWORD_HINT),
            _secret("loan_password", texts.NEW_LOAN_PASSWORD, LoanPasswordState, auto_complete="off", numeric=True),
            _secret("loan_password_confirm", texts.NEW_LOAN_PASSWORD_CONFIRM, LoanPasswordState, auto_complete="off",
                    hint=texts.LOAN_PASSWORD_HINT, numeric=True),
            submit=texts.CHANGE,
        ),
        with_member_menu=True,
    )


def withdraw_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.MENU_WITHDRAW, class_name="page-title"),
        rx.el.section(
            rx.el.h2(texts.WITHDRAW_WHAT_TITLE, class_name="subsection-title"),
            rx.el.ul(*[rx.el.li(item) for item in texts.WITHDRAW_EXPLANATION], class_name="notice-list"),
            class_name="card-panel",
        ),
        _form(
            WithdrawState,
            _secret("password", texts.LOGIN_PASSWORD_LABEL, WithdrawState, auto_complete="current-password"),
            rx.el.div(
                rx.el.input(type="checkbox", id="confirmed", name="confirmed", class_name="checkbox",
                            aria_describedby="confirmed-error"),
                rx.el.label(texts.WITHDRAW_CONFIRM, html_for="confirmed", class_name="checkbox-label"),
                class_name="checkbox-row",
            ),
            field_error("confirmed-error", WithdrawState.errors.get("confirmed", "")),
            submit=texts.WITHDRAW_SUBMIT,
        ),
        with_member_menu=True,
    )
