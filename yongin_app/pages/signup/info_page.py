"""STEP 04 정보입력: SNS 연동, 기본정보, 주소찾기, 가입도서관, then 회원가입 확인.

Inputs are uncontrolled and read on blur and on submit (safe for Korean IME); every blur is
kept in the draft, so a reload or a reconnect loses nothing but the two passwords.
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from yongin_app import routes
from yongin_app.components import contact_form
from yongin_app.components.contact_form import required_label
from yongin_app.components.form import PRESS_KEEPS_FIELD_FOCUS, field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.domain.enums import OAuthProvider
from yongin_app.pages.home import HomeState
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.components import cancel_button, loading, wizard_header
from yongin_app.pages.signup.state import SignupState
from yongin_app.services import messages, signup, social
from yongin_app.states.address_search import AddressSearchState
from yongin_app.states.client import client_ip
from yongin_app.states.session import SessionState

# Error keys shown on this page, in screen order, with the input that the summary links to.
ERROR_TARGETS = (
    ("identity", "info-identity", texts.NAME),
    ("social", "social-kakao", texts.SOCIAL_TITLE),
    ("login_id", "login_id", texts.LOGIN_ID),
    ("password", "password", texts.PASSWORD),
    ("password_confirm", "password_confirm", texts.PASSWORD_CONFIRM),
    ("mobile", "mobile_middle", texts.MOBILE),
    ("email", "email_local", texts.EMAIL),
    ("landline", "landline_middle", texts.LANDLINE),
    ("address", "address_search", texts.ADDRESS),
    ("home_branch", "home_branch", texts.BRANCH),
)
_NO_ERRORS = {key: "" for key, _, _ in ERROR_TARGETS}
_PROVIDERS = {p.value for p in OAuthProvider}


class InfoState(AddressSearchState, SignupState):
    errors: dict[str, str] = dict(_NO_ERRORS)
    summary: list[dict[str, str]] = []
    id_message: str = ""
    id_available: bool = False
    submitting: bool = False
    # The account was made: the welcome replaces the form until the main page takes over.
    completed: bool = False
    # Counts the entries kept in the draft; drawn as data-saves so a test can wait for a save.
    saves: int = 0

    @rx.event
    async def load(self):
        self.errors = dict(_NO_ERRORS)
        self.summary = []
        self.submitting = False
        self.completed = False
        self.address_open = False
        redirect = await self._enter(signup.PROGRESS_INFO)
        if redirect is not None:
            return redirect
        self.postal_code = self.fields.get("postal_code", "")
        self.road_address = self.fields.get("road_address", "")
        login_id = self.fields.get("login_id", "")
        self.id_available = bool(login_id) and login_id == self.checked_login_id
        self.id_message = messages.LOGIN_ID_AVAILABLE if self.id_available else ""
        # What the provider's callback (/oauth/{provider}/callback) left for this page.
        social_error = self.router.url.query_parameters.get("social_error")
        if social_error:
            taken = social_error == "taken"
            self._set_error("social", messages.SOCIAL_ALREADY_LINKED if taken else messages.SOCIAL_LINK_FAILED)

    def _set_error(self, key: str, message: str) -> None:
        self.errors = {**self.errors, key: message}
        if not message:
            self.summary = [item for item in self.summary if item["key"] != key]

    @rx.event
    async def blur(self, field: str, value: str):
        """A field lost focus: keep it, and say at once what is wrong with it."""
        if field not in signup.TEXT_FIELDS:
            return
        if str(value) == self.fields.get(field, ""):
            # Nothing new since it was kept (by a submit or 중복체크, which judged it with more than this
            # field's own rules: a taken 아이디): nothing new to say, and their message stays.
            return
        result = await asyncio.to_thread(signup.save_fields, self.draft_token, {field: value})
        if not result.ok:
            return rx.redirect(routes.SIGNUP)
        self._apply(result.view)
        self.saves += 1
        if field == "login_id":
            self.id_available = bool(value) and value == self.checked_login_id
            if not self.id_available:
                self.id_message = ""
        key = signup.FIELD_ERROR_KEY[field]
        # Judge a group (phone, email, address) once its last part is left, or when it was wrong before.
        if field in ("mobile_prefix", "mobile_middle", "email_local", "landline_area", "landline_middle") \
                and not self.errors.get(key):
            return
        message = await asyncio.to_thread(signup.field_error, self.draft_token, key)
        self._set_error(key, message)

    @rx.event
    async def blur_password(self, password: str):
        message = await asyncio.to_thread(signup.field_error, self.draft_token, "password", str(password)[:1024])
        self._set_error("password", message)

    @rx.event
    async def blur_password_confirm(self, password: str, confirm: str):
        message = await asyncio.to_thread(
            signup.field_error, self.draft_token, "password_confirm", str(password)[:1024], str(confirm)[:1024]
        )
        self._set_error("password_confirm", message)

    @rx.event
    async def toggle_flag(self, field: str):
        if field not in signup.FLAG_FIELDS:
            return
        result = await asyncio.to_thread(
            signup.save_fields, self.draft_token, {field: not self.flags.get(field, False)}
        )
        if result.ok:
            self._apply(result.view)

    @rx.event
    async def choose_email_domain(self, domain: str):
        """The domain list fills the domain field; 직접입력 empties it for typing."""
        domain = domain if domain in texts.EMAIL_DOMAINS else ""
        result = await asyncio.to_thread(signup.save_fields, self.draft_token, {"email_domain": domain})
        if result.ok:
            self._apply(result.view)
        if not domain:
            return [rx.set_value("email_domain", ""), rx.set_focus("email_domain")]
        message = await asyncio.to_thread(signup.field_error, self.draft_token, "email")
        self._set_error("email", message)
        return rx.set_value("email_domain", domain)

    @rx.event
    async def check_id(self, login_id: str):
        """중복체크."""
        result = await asyncio.to_thread(signup.check_login_id, self.draft_token, str(login_id)[:50],
                                         client_ip=client_ip(self))
        if result.view is not None:
            self._apply(result.view)
        self.id_available = result.ok
        self.id_message = result.message if result.ok else ""
        self._set_error("login_id", "" if result.ok else result.message)

    async def _address_chosen(self, postal_code: str, road_address: str) -> bool:
        result = await asyncio.to_thread(
            signup.save_fields, self.draft_token, {"postal_code": postal_code, "road_address": road_address}
        )
        if not result.ok:
            return False
        self._apply(result.view)
        self._set_error("address", "")
        return True

    @rx.event
    async def link_social(self, provider: str):
        """카카오/네이버 계정연동: off to the provider's consent page; its callback brings the member back."""
        if provider not in _PROVIDERS:
            return
        draft = await asyncio.to_thread(signup.draft_id, self.draft_token)
        if draft is None:
            return rx.redirect(routes.SIGNUP)
        url = await asyncio.to_thread(social.begin_oauth, OAuthProvider(provider), social.OAuthPurpose.SIGNUP_LINK,
                                      signup_draft_id=draft)
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    async def unlink_social(self, provider: str):
        result = await asyncio.to_thread(signup.detach_social, self.draft_token, str(provider)[:10])
        if result.ok:
            self._apply(result.view)

    @rx.event
    async def submit(self, form_data: dict):
        """회원가입 확인."""
        if self.submitting:
            return
        self.submitting = True
        yield
        session = await self.get_state(SessionState)
        result = await asyncio.to_thread(
            signup.submit, self.draft_token, form_data if isinstance(form_data, dict) else {},
            previous_session_token=session.session_token or None,
        )
        self.submitting = False
        if result.ok:
            await session._begin(result.session_token)
            self.draft_token = ""
            self._apply(None)
            # The welcome shows with this update, here and on the main page as soon as it is drawn,
            # without waiting for the main page's load.
            self.completed = True
            (await self.get_state(HomeState)).welcome = True
            yield rx.redirect(f"{routes.HOME}?welcome=1")
            return
        if result.draft_missing:
            yield rx.redirect(routes.SIGNUP)
            return
        self._refresh()
        self.errors = {**_NO_ERRORS, **{k: v for k, v in result.errors.items() if k in _NO_ERRORS}}
        self.summary = [
            {"key": key, "target": target, "label": label, "message": self.errors[key]}
            for key, target, label in ERROR_TARGETS
            if self.errors[key]
        ]
        if "login_id" in result.errors:
            self.id_available = False
            self.id_message = ""
        yield rx.set_focus("error-summary")


# ---------------------------------------------------------------- drawing


def _social_section() -> rx.Component:
    def provider_row(provider: str, name: str, button: str) -> rx.Component:
        return rx.el.div(
            rx.el.span(name, class_name="social-name"),
            rx.cond(
                InfoState.social.contains(provider),
                rx.fragment(
                    rx.el.span(f"{name} {texts.SOCIAL_LINKED}", role="status", class_name="social-linked"),
                    rx.el.button(texts.SOCIAL_UNLINK, type="button", on_click=InfoState.unlink_social(provider),
                                 aria_label=f"{name} {texts.SOCIAL_UNLINK}", class_name="btn btn-ghost"),
                ),
                rx.el.button(button, type="button", id=f"social-{provider}", on_click=InfoState.link_social(provider),
                             class_name=f"btn btn-social btn-{provider}"),
            ),
            class_name="social-row",
        )

    return rx.el.section(
        rx.el.h3(texts.SOCIAL_TITLE, " ", rx.el.span(texts.OPTIONAL, class_name="optional-mark"),
                 class_name="subsection-title"),
        rx.el.p("· ", texts.SOCIAL_INTRO, class_name="field-help"),
        *[provider_row(*p) for p in texts.SOCIAL_PROVIDERS],
        field_error("social-error", InfoState.errors["social"]),
        class_name="card-panel",
    )


def _error_summary() -> rx.Component:
    return rx.cond(
        InfoState.summary.length() > 0,
        rx.el.div(
            rx.el.h3(texts.ERROR_SUMMARY_TITLE, class_name="summary-title"),
            rx.el.ul(
                rx.foreach(
                    InfoState.summary,
                    lambda item: rx.el.li(
                        rx.el.a(item["label"], ": ", item["message"], href="#" + item["target"].to(str))
                    ),
                ),
            ),
            id="error-summary",
            role="alert",
            tab_index=-1,
            class_name="error-summary",
        ),
        rx.fragment(),
    )


def _identity_rows() -> rx.Component:
    return rx.el.dl(
        rx.el.dt(texts.NAME), rx.el.dd(InfoState.verified_name, id="info-identity"),
        rx.el.dt(texts.BIRTH), rx.el.dd(InfoState.verified_birth_date),
        rx.el.dt(texts.SEX), rx.el.dd(InfoState.verified_sex),
        class_name="summary-list identity-list",
    )


def _login_id_field() -> rx.Component:
    return rx.el.div(
        required_label(texts.LOGIN_ID, "login_id"),
        rx.el.div(
            contact_form.text_input(InfoState, "login_id", "login_id", described_by="login_id-hint login_id-status login_id-error",
                        auto_complete="username", auto_capitalize="none", spell_check=False, max_length=20,
                        required=True),
            rx.el.button(texts.ID_CHECK, type="button", class_name="btn btn-secondary",
                         on_click=InfoState.check_id(rx.Var("document.getElementById('login_id')?.value ?? ''")),
                         **PRESS_KEEPS_FIELD_FOCUS),
            class_name="input-with-button",
        ),
        rx.el.p(texts.LOGIN_ID_HINT, id="login_id-hint", class_name="field-help"),
        rx.el.p(InfoState.id_message, id="login_id-status", role="status", class_name="field-ok"),
        field_error("login_id-error", InfoState.errors["login_id"]),
        class_name="field",
    )


def _password_fields() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            required_label(texts.PASSWORD, "password"),
            rx.el.input(id="password", name="password", type="password", auto_complete="new-password",
                        max_length=64, required=True, on_blur=InfoState.blur_password,
                        aria_describedby="password-hint password-error", aria_invalid=contact_form.invalid(InfoState, "password"),
                        class_name="field-input"),
            rx.el.p(texts.PASSWORD_HINT, id="password-hint", class_name="field-help"),
            field_error("password-error", InfoState.errors["password"]),
            class_name="field",
        ),
        rx.el.div(
            required_label(texts.PASSWORD_CONFIRM, "password_confirm"),
            rx.el.input(id="password_confirm", name="password_confirm", type="password",
                        auto_complete="new-password", max_length=64, required=True,
                        on_blur=lambda value: InfoState.blur_password_confirm(
                            rx.Var("document.getElementById('password')?.value ?? ''"), value),
                        aria_describedby="password_confirm-hint password_confirm-error",
                        aria_invalid=contact_form.invalid(InfoState, "password_confirm"), class_name="field-input"),
            rx.el.p(texts.PASSWORD_CONFIRM_HINT, id="password_confirm-hint", class_name="field-help"),
            field_error("password_confirm-error", InfoState.errors["password_confirm"]),
            class_name="field",
        ),
    )


def _form() -> rx.Component:
    return form(
        _error_summary(),
        _social_section(),
        rx.el.section(
            rx.el.h3(texts.BASIC_TITLE, " ", rx.el.span(texts.REQUIRED_NOTE, class_name="required-note"),
                     class_name="subsection-title"),
            _identity_rows(),
            field_error("identity-error", InfoState.errors["identity"]),
            _login_id_field(),
            _password_fields(),
            contact_form.mobile_field(InfoState),
            contact_form.email_field(InfoState),
            contact_form.landline_field(InfoState),
            contact_form.address_field(InfoState),
            contact_form.branch_field(InfoState),
            class_name="card-panel",
        ),
        rx.el.div(
            cancel_button(),
            submit_button(rx.cond(InfoState.submitting, texts.SUBMITTING, texts.SUBMIT),
                          disabled=InfoState.submitting, class_name="btn btn-primary"),
            class_name="button-row",
        ),
        rx.el.p(texts.AUTOSAVE_NOTE, class_name="field-help"),
        on_submit=InfoState.submit,
        reset_on_submit=False,
        no_validate=True,
        custom_attrs={"data-saves": InfoState.saves},
        class_name="signup-form",
    )


def _completed() -> rx.Component:
    return rx.el.p(texts.WELCOME, id="signup-complete", role="status", class_name="notice success")


def signup_info_page() -> rx.Component:
    return page_shell(
        wizard_header(4, texts.STEPS[3][1]),
        rx.cond(
            InfoState.completed & SessionState.logged_in,
            _completed(),
            rx.cond(InfoState.loaded, _form(), loading()),
        ),
    )
