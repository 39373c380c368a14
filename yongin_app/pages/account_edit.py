"""정보수정: the current password first (valid 10 minutes), then the contact details, address and 가입도서관.

Name, birth date and sex come from identity verification and are shown read-only.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import texts
from yongin_app.components import contact_form
from yongin_app.components.form import field_error, form
from yongin_app.components.layout import page_shell
from yongin_app.pages.signup import texts as field_texts
from yongin_app.services import account, messages
from yongin_app.services.contact_fields import CONTACT_FIELDS, FLAG_FIELDS, MOBILE_PREFIXES, contact_field_errors
from yongin_app.services.signup import FIELD_ERROR_KEY
from yongin_app.states.address_search import AddressSearchState
from yongin_app.states.session import SessionState

_ERROR_KEYS = ("mobile", "email", "landline", "address", "home_branch")
_NO_ERRORS = {key: "" for key in _ERROR_KEYS}
_SEX = {"남": "남자", "여": "여자"}
# Group parts whose error waits until the group's last part is left (as in signup).
_NOT_LAST_PART = {"mobile_prefix", "mobile_middle", "email_local", "landline_area", "landline_middle"}


class AccountEditState(AddressSearchState, rx.State):
    loaded: bool = False
    verified: bool = False
    reauth_error: str = ""
    name: str = ""
    birth_date: str = ""
    sex: str = ""
    login_id: str = ""
    fields: dict[str, str] = {}
    flags: dict[str, bool] = {}
    errors: dict[str, str] = dict(_NO_ERRORS)
    message: str = ""
    done: str = ""

    async def _caller(self) -> tuple[int, str] | None:
        session = await self.get_state(SessionState)
        member_id = await session._current_member_id()
        return (member_id, session.session_token) if member_id is not None else None

    async def _fill(self, member_id: int) -> None:
        view = await asyncio.to_thread(account.profile, member_id)
        if view is None:
            return
        self.name, self.login_id, self.sex = view.name, view.login_id, _SEX.get(view.sex, "")
        self.birth_date = f"{view.birth_date.year}년 {view.birth_date.month:02d}월 {view.birth_date.day:02d}일"
        values = view.form_values()
        self.fields = {key: str(values.get(key) or "") for key in CONTACT_FIELDS}
        self.fields["mobile_prefix"] = self.fields["mobile_prefix"] or MOBILE_PREFIXES[0]  # as the select shows
        self.flags = {key: bool(values.get(key)) for key in FLAG_FIELDS}
        self.postal_code, self.road_address = self.fields["postal_code"], self.fields["road_address"]

    @rx.event
    async def load(self):
        self.loaded = False
        self.errors, self.message, self.done, self.reauth_error = dict(_NO_ERRORS), "", "", ""
        caller = await self._caller()
        if caller is None:
            return
        member_id, token = caller
        self.verified = await asyncio.to_thread(account.reauthenticated, member_id, token)
        await self._fill(member_id)
        self.loaded = True

    @rx.event
    async def check_password(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return
        password = str((form_data if isinstance(form_data, dict) else {}).get("current_password", ""))[:1024]
        self.verified = await asyncio.to_thread(account.reauthenticate, caller[0], caller[1], password)
        self.reauth_error = "" if self.verified else messages.REAUTH_FAILED
        if not self.verified:
            return [rx.set_value("current_password", ""), rx.set_focus("current_password")]

    def _judge(self, key: str) -> None:
        self.errors = {**self.errors, key: contact_field_errors(self.fields).get(key, "")}

    @rx.event
    def blur(self, field: str, value: str):
        if field not in CONTACT_FIELDS:
            return
        self.fields = {**self.fields, field: str(value)[:200]}
        key = FIELD_ERROR_KEY[field]
        if field in _NOT_LAST_PART and not self.errors.get(key):
            return
        self._judge(key)

    @rx.event
    def toggle_flag(self, field: str):
        if field in FLAG_FIELDS:
            self.flags = {**self.flags, field: not self.flags.get(field, False)}

    @rx.event
    def choose_email_domain(self, domain: str):
        domain = domain if domain in field_texts.EMAIL_DOMAINS else ""
        self.fields = {**self.fields, "email_domain": domain}
        if not domain:
            return [rx.set_value("email_domain", ""), rx.set_focus("email_domain")]
        self._judge("email")
        return rx.set_value("email_domain", domain)

    async def _address_chosen(self, postal_code: str, road_address: str) -> bool:
        self.fields = {**self.fields, "postal_code": postal_code, "road_address": road_address}
        self.errors = {**self.errors, "address": ""}
        return True

    @rx.event
    async def save(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return
        form = form_data if isinstance(form_data, dict) else {}
        values = {**self.fields, **{key: str(form[key])[:200] for key in CONTACT_FIELDS if key in form}}
        values.update(self.flags)
        result = await asyncio.to_thread(account.update_profile, caller[0], caller[1], values)
        self.errors = {**_NO_ERRORS, **{k: v for k, v in result.errors.items() if k in _NO_ERRORS}}
        if result.ok:
            self.message, self.done = "", result.message
            await self._fill(caller[0])
            return
        self.done = ""
        self.message = result.message
        if result.message == messages.REAUTH_REQUIRED:
            self.verified = False


def _reauth_form() -> rx.Component:
    return form(
        rx.el.p(texts.ACCOUNT_EDIT_REAUTH, class_name="page-intro"),
        rx.el.input(type="text", name="username", auto_complete="username", value=AccountEditState.login_id,
                    read_only=True, hidden=True, aria_hidden="true", tab_index=-1),
        rx.el.div(
            rx.el.label(texts.CURRENT_PASSWORD, html_for="current_password", class_name="field-label"),
            rx.el.input(id="current_password", name="current_password", type="password", max_length=1024,
                        auto_complete="current-password", aria_describedby="current_password-error",
                        class_name="field-input"),
            field_error("current_password-error", AccountEditState.reauth_error),
            class_name="field",
        ),
        rx.el.button(texts.RECOVERY_CONFIRM, type="submit", class_name="btn btn-primary btn-block"),
        on_submit=AccountEditState.check_password,
        reset_on_submit=False,
        class_name="card-panel narrow",
    )


def _edit_form() -> rx.Component:
    state = AccountEditState
    return form(
        rx.el.dl(
            rx.el.dt(field_texts.NAME), rx.el.dd(state.name),
            rx.el.dt(field_texts.BIRTH), rx.el.dd(state.birth_date),
            rx.el.dt(field_texts.SEX), rx.el.dd(state.sex),
            rx.el.dt(field_texts.LOGIN_ID), rx.el.dd(state.login_id),
            class_name="summary-list identity-list",
        ),
        rx.el.p(texts.ACCOUNT_EDIT_IDENTITY_NOTE, class_name="field-help"),
        contact_form.mobile_field(state),
        contact_form.email_field(state),
        contact_form.landline_field(state),
        contact_form.address_field(state),
        contact_form.branch_field(state),
        rx.el.p(state.done, role="status", class_name="notice success"),
        rx.el.p(state.message, role="alert", class_name="error-summary page-message"),
        rx.el.button(texts.SAVE, type="submit", class_name="btn btn-primary btn-block"),
        on_submit=state.save,
        reset_on_submit=False,
        no_validate=True,
        class_name="card-panel signup-form",
    )


def account_edit_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.MENU_ACCOUNT_EDIT, class_name="page-title"),
        rx.cond(
            AccountEditState.loaded,
            rx.cond(AccountEditState.verified, _edit_form(), _reauth_form()),
            rx.el.p(texts.LOADING, role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
