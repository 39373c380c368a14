"""정보수정: the current password first (valid 10 minutes), then the contact details, address and 가입도서관.

Name, birth date and sex come from identity verification and are shown read-only.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import texts
from yongin_app.components import contact_form
from yongin_app.components.form import form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.components.reauth import reauth_form
from yongin_app.pages.signup import texts as field_texts
from yongin_app.services import account, messages
from yongin_app.services.contact_fields import CONTACT_FIELDS, FLAG_FIELDS, MOBILE_PREFIXES, contact_field_errors
from yongin_app.services.signup import FIELD_ERROR_KEY
from yongin_app.states.address_search import AddressSearchState
from yongin_app.states.reauth import ReauthState

_ERROR_KEYS = ("mobile", "email", "landline", "address", "home_branch")
_NO_ERRORS = {key: "" for key in _ERROR_KEYS}
_SEX = {"남": "남자", "여": "여자"}
# Group parts whose error waits until the group's last part is left (as in signup).
_NOT_LAST_PART = {"mobile_prefix", "mobile_middle", "email_local", "landline_area", "landline_middle"}


class AccountEditState(ReauthState, AddressSearchState, rx.State):
    """Holds no profile data until this session's password re-check has passed (and drops it when
    the re-check has run out): every public var is sent to the browser."""

    loaded: bool = False
    name: str = ""
    birth_date: str = ""
    sex: str = ""
    login_id: str = ""
    fields: dict[str, str] = {}
    flags: dict[str, bool] = {}
    errors: dict[str, str] = dict(_NO_ERRORS)
    message: str = ""
    done: str = ""

    def _forget_profile(self) -> None:
        self.name = self.birth_date = self.sex = self.login_id = ""
        self.fields, self.flags = {}, {}
        self.postal_code = self.road_address = ""

    async def _fill(self, caller: tuple[int, str]) -> None:
        view = await asyncio.to_thread(account.profile, *caller)
        if view is None:  # the re-check ran out (or the session ended) meanwhile
            self.verified = False
            self._forget_profile()
            return
        self.name, self.login_id, self.sex = view.name, view.login_id, _SEX.get(view.sex, "")
        self.birth_date = f"{view.birth_date.year}년 {view.birth_date.month:02d}월 {view.birth_date.day:02d}일"
        values = view.form_values()
        self.fields = {key: str(values.get(key) or "") for key in CONTACT_FIELDS}
        self.fields["mobile_prefix"] = self.fields["mobile_prefix"] or MOBILE_PREFIXES[0]  # as the select shows
        self.flags = {key: bool(values.get(key)) for key in FLAG_FIELDS}
        self.postal_code, self.road_address = self.fields["postal_code"], self.fields["road_address"]

    async def _after_reauth(self, caller: tuple[int, str]) -> None:
        await self._fill(caller)

    @rx.event
    async def load(self):
        self.loaded = False
        self.errors, self.message, self.done, self.reauth_error = dict(_NO_ERRORS), "", "", ""
        self._forget_profile()
        caller = await self._caller()
        if caller is None:
            self.verified = False
            return
        if await self._fresh(caller):
            await self._fill(caller)
        self.loaded = True

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
            await self._fill(caller)
            return
        self.done = ""
        self.message = result.message
        if result.message == messages.REAUTH_REQUIRED:
            self.verified = False
            self._forget_profile()


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
        submit_button(texts.SAVE, class_name="btn btn-primary btn-block"),
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
            rx.cond(AccountEditState.verified, _edit_form(), reauth_form(AccountEditState, texts.ACCOUNT_EDIT_REAUTH)),
            rx.el.p(texts.LOADING, role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
