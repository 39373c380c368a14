"""STEP 04 정보입력: SNS 연동, 기본정보, 주소찾기, 가입도서관, then 회원가입 확인.

Inputs are uncontrolled and read on blur and on submit (safe for Korean IME); every blur is
kept in the draft, so a reload or a reconnect loses nothing but the two passwords.
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from yongin_app import routes
from yongin_app.components.form import field_error
from yongin_app.components.layout import page_shell
from yongin_app.domain.branches import BRANCHES
from yongin_app.domain.enums import OAuthProvider
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.components import cancel_button, loading, wizard_header
from yongin_app.pages.signup.state import SignupState
from yongin_app.services import messages, signup, social
from yongin_app.services.address import search_addresses
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


class InfoState(SignupState):
    errors: dict[str, str] = dict(_NO_ERRORS)
    summary: list[dict[str, str]] = []
    id_message: str = ""
    id_available: bool = False
    postal_code: str = ""
    road_address: str = ""
    address_open: bool = False
    address_results: list[dict[str, str]] = []
    address_message: str = ""
    submitting: bool = False
    # Counts the entries kept in the draft; drawn as data-saves so a test can wait for a save.
    saves: int = 0

    @rx.event
    async def load(self):
        self.errors = dict(_NO_ERRORS)
        self.summary = []
        self.submitting = False
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
        result = await asyncio.to_thread(signup.check_login_id, self.draft_token, str(login_id)[:50])
        if result.view is not None:
            self._apply(result.view)
        self.id_available = result.ok
        self.id_message = result.message if result.ok else ""
        self._set_error("login_id", "" if result.ok else result.message)

    @rx.event
    def set_address_open(self, is_open: bool):
        self.address_open = bool(is_open)
        if self.address_open:
            self.address_results = []
            self.address_message = ""

    @rx.event
    async def search_address(self, form_data: dict):
        keyword = str((form_data if isinstance(form_data, dict) else {}).get("address_keyword", ""))
        result = await asyncio.to_thread(search_addresses, keyword)
        self.address_message = result.message
        self.address_results = [
            {"zip": c.zip_code, "road": c.road_address, "jibun": c.jibun_address} for c in result.choices
        ]

    @rx.event
    async def choose_address(self, index: int):
        try:
            chosen = self.address_results[int(index)]
        except (ValueError, TypeError, IndexError):
            return
        result = await asyncio.to_thread(
            signup.save_fields, self.draft_token, {"postal_code": chosen["zip"], "road_address": chosen["road"]}
        )
        if not result.ok:
            return rx.redirect(routes.SIGNUP)
        self._apply(result.view)
        self.postal_code, self.road_address = chosen["zip"], chosen["road"]
        self.address_open = False
        self._set_error("address", "")
        return rx.set_focus("address_detail")

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
            session._start(result.session_token)
            self.draft_token = ""
            self._apply(None)
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


def _required_label(text: str, html_for: str | None = None, *, legend: bool = False) -> rx.Component:
    # The mark stays outside the label, so the field's name is exactly the manual's word ("아이디");
    # `required` on the input tells assistive technology that it is 필수.
    mark = rx.el.span("*", aria_hidden="true", class_name="required-mark")
    if legend:
        return rx.el.legend(mark, text, class_name="field-label")
    return rx.el.div(mark, rx.el.label(text, html_for=html_for), class_name="field-label")


def _invalid(key: str):
    return rx.cond(InfoState.errors[key] != "", "true", "false")


def _text_input(field: str, error_key: str, *, described_by: str, **props) -> rx.Component:
    return rx.el.input(
        id=field,
        name=field,
        default_value=InfoState.fields[field],
        on_blur=lambda value: InfoState.blur(field, value),
        aria_describedby=described_by,
        aria_invalid=_invalid(error_key),
        class_name="field-input",
        **props,
    )


def _select(field: str, error_key: str, options: list[tuple[str, str]], *, label: str | None = None,
            described_by: str, placeholder: str | None = None, required: bool = False) -> rx.Component:
    choices = [rx.el.option(placeholder, value="")] if placeholder else []
    choices += [rx.el.option(text, value=value) for value, text in options]
    return rx.el.select(
        *choices,
        id=field,
        name=field,
        default_value=InfoState.fields[field],
        on_change=lambda value: InfoState.blur(field, value),
        aria_label=label,
        aria_describedby=described_by,
        aria_invalid=_invalid(error_key),
        required=required,
        class_name="field-input",
    )


def _checkbox(field: str, label: str) -> rx.Component:
    return rx.el.div(
        rx.el.input(type="checkbox", id=field, name=field, checked=InfoState.flags[field],
                    on_change=InfoState.toggle_flag(field), class_name="checkbox"),
        rx.el.label(label, html_for=field, class_name="checkbox-label"),
        class_name="checkbox-row",
    )


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
        _required_label(texts.LOGIN_ID, "login_id"),
        rx.el.div(
            _text_input("login_id", "login_id", described_by="login_id-hint login_id-status login_id-error",
                        auto_complete="username", auto_capitalize="none", spell_check=False, max_length=20,
                        required=True),
            rx.el.button(texts.ID_CHECK, type="button", class_name="btn btn-secondary",
                         on_click=InfoState.check_id(rx.Var("document.getElementById('login_id')?.value ?? ''"))),
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
            _required_label(texts.PASSWORD, "password"),
            rx.el.input(id="password", name="password", type="password", auto_complete="new-password",
                        max_length=64, required=True, on_blur=InfoState.blur_password,
                        aria_describedby="password-hint password-error", aria_invalid=_invalid("password"),
                        class_name="field-input"),
            rx.el.p(texts.PASSWORD_HINT, id="password-hint", class_name="field-help"),
            field_error("password-error", InfoState.errors["password"]),
            class_name="field",
        ),
        rx.el.div(
            _required_label(texts.PASSWORD_CONFIRM, "password_confirm"),
            rx.el.input(id="password_confirm", name="password_confirm", type="password",
                        auto_complete="new-password", max_length=64, required=True,
                        on_blur=lambda value: InfoState.blur_password_confirm(
                            rx.Var("document.getElementById('password')?.value ?? ''"), value),
                        aria_describedby="password_confirm-hint password_confirm-error",
                        aria_invalid=_invalid("password_confirm"), class_name="field-input"),
            rx.el.p(texts.PASSWORD_CONFIRM_HINT, id="password_confirm-hint", class_name="field-help"),
            field_error("password_confirm-error", InfoState.errors["password_confirm"]),
            class_name="field",
        ),
    )


def _mobile_field() -> rx.Component:
    described = "mobile-notes mobile-error"
    return rx.el.fieldset(
        _required_label(texts.MOBILE, legend=True),
        rx.el.div(
            _select("mobile_prefix", "mobile", [(p, p) for p in signup.MOBILE_PREFIXES], label=texts.MOBILE_PREFIX,
                    described_by=described),
            _text_input("mobile_middle", "mobile", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.MOBILE_MIDDLE, auto_complete="tel-national", required=True),
            _text_input("mobile_last", "mobile", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.MOBILE_LAST, required=True),
            class_name="phone-row",
        ),
        _checkbox("sms_consent", texts.SMS_CONSENT),
        rx.el.div(*[rx.el.p(note, class_name="field-help") for note in texts.MOBILE_NOTES], id="mobile-notes"),
        field_error("mobile-error", InfoState.errors["mobile"]),
        class_name="field fieldset",
    )


def _email_field() -> rx.Component:
    described = "email-note email-error"
    return rx.el.fieldset(
        rx.el.legend(texts.EMAIL, " ", rx.el.span(texts.OPTIONAL, class_name="optional-mark"), class_name="field-label"),
        rx.el.div(
            _text_input("email_local", "email", described_by=described, type="email", input_mode="email",
                        auto_complete="email", max_length=64, aria_label=texts.EMAIL_LOCAL, spell_check=False,
                        auto_capitalize="none"),
            rx.el.span("@", aria_hidden="true", class_name="email-at"),
            _text_input("email_domain", "email", described_by=described, max_length=190, input_mode="url",
                        aria_label=texts.EMAIL_DOMAIN, spell_check=False, auto_capitalize="none"),
            rx.el.select(
                rx.el.option(texts.SELECT, value="", disabled=True),
                *[rx.el.option(domain, value=domain) for domain in texts.EMAIL_DOMAINS],
                rx.el.option(texts.EMAIL_DOMAIN_DIRECT, value="direct"),
                id="email_domain_choice",
                name="email_domain_choice",
                default_value="",
                on_change=InfoState.choose_email_domain,
                aria_label=texts.EMAIL_DOMAIN_SELECT,
                class_name="field-input",
            ),
            class_name="email-row",
        ),
        _checkbox("email_consent", texts.EMAIL_CONSENT),
        rx.el.p(texts.EMAIL_NOTE, id="email-note", class_name="field-help"),
        field_error("email-error", InfoState.errors["email"]),
        class_name="field fieldset",
    )


def _landline_field() -> rx.Component:
    described = "landline-note landline-error"
    return rx.el.fieldset(
        rx.el.legend(texts.LANDLINE, " ", rx.el.span(texts.OPTIONAL, class_name="optional-mark"),
                     class_name="field-label"),
        rx.el.div(
            _select("landline_area", "landline", [(a, a) for a in signup.LANDLINE_AREA_CODES],
                    label=texts.LANDLINE_AREA, described_by=described, placeholder=texts.SELECT),
            _text_input("landline_middle", "landline", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.LANDLINE_MIDDLE),
            _text_input("landline_last", "landline", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.LANDLINE_LAST),
            class_name="phone-row",
        ),
        rx.el.p(texts.LANDLINE_NOTE, id="landline-note", class_name="field-help"),
        field_error("landline-error", InfoState.errors["landline"]),
        class_name="field fieldset",
    )


def _address_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.el.button(texts.ADDRESS_SEARCH, type="button", id="address_search", class_name="btn btn-secondary",
                         aria_describedby="address-error")
        ),
        rx.dialog.content(
            rx.dialog.title(texts.ADDRESS_DIALOG_TITLE),
            rx.dialog.description(texts.ADDRESS_KEYWORD_HINT, class_name="field-help"),
            rx.el.form(
                rx.el.label(texts.ADDRESS_KEYWORD, html_for="address_keyword", class_name="field-label"),
                rx.el.div(
                    rx.el.input(id="address_keyword", name="address_keyword", type="search", max_length=80,
                                class_name="field-input", aria_describedby="address-search-message"),
                    rx.el.button(texts.ADDRESS_SEARCH_BUTTON, type="submit", class_name="btn btn-primary"),
                    class_name="input-with-button",
                ),
                on_submit=InfoState.search_address,
                reset_on_submit=False,
            ),
            rx.el.p(InfoState.address_message, id="address-search-message", role="status", class_name="notice"),
            rx.cond(
                InfoState.address_results.length() > 0,
                rx.el.ul(
                    rx.foreach(
                        InfoState.address_results,
                        lambda item, index: rx.el.li(
                            rx.el.div(
                                rx.el.strong(item["zip"]), " ", item["road"],
                                rx.el.br(),
                                rx.el.span(texts.ADDRESS_JIBUN, " ", item["jibun"], class_name="field-help"),
                                class_name="address-text",
                            ),
                            rx.el.button(texts.ADDRESS_CHOOSE, type="button", on_click=InfoState.choose_address(index),
                                         aria_label=texts.ADDRESS_CHOOSE + " " + item["road"].to(str),
                                         class_name="btn btn-secondary"),
                            class_name="address-item",
                        ),
                    ),
                    aria_label=texts.ADDRESS_RESULTS,
                    class_name="address-list",
                ),
                rx.fragment(),
            ),
            rx.dialog.close(rx.el.button("닫기", type="button", class_name="btn btn-ghost dialog-close")),
            class_name="address-dialog",
        ),
        open=InfoState.address_open,
        on_open_change=InfoState.set_address_open,
    )


def _address_field() -> rx.Component:
    return rx.el.fieldset(
        _required_label(texts.ADDRESS, legend=True),
        rx.el.div(
            rx.el.div(
                rx.el.label(texts.POSTAL_CODE, html_for="postal_code", class_name="field-sublabel"),
                rx.el.input(id="postal_code", name="postal_code", value=InfoState.postal_code, read_only=True,
                            auto_complete="postal-code", aria_describedby="address-error",
                            aria_invalid=_invalid("address"), class_name="field-input postal-input"),
            ),
            _address_dialog(),
            class_name="input-with-button align-end",
        ),
        rx.el.label(texts.ROAD_ADDRESS, html_for="road_address", class_name="field-sublabel"),
        rx.el.input(id="road_address", name="road_address", value=InfoState.road_address, read_only=True,
                    auto_complete="street-address", aria_describedby="address-error",
                    aria_invalid=_invalid("address"), class_name="field-input"),
        rx.el.label(texts.ADDRESS_DETAIL, html_for="address_detail", class_name="field-sublabel"),
        _text_input("address_detail", "address", described_by="address-error", max_length=100,
                    auto_complete="address-line2"),
        field_error("address-error", InfoState.errors["address"]),
        class_name="field fieldset",
    )


def _branch_field() -> rx.Component:
    return rx.el.div(
        _required_label(texts.BRANCH, "home_branch"),
        _select("home_branch", "home_branch", list(BRANCHES), described_by="home_branch-error",
                placeholder=texts.BRANCH_PLACEHOLDER, required=True),
        field_error("home_branch-error", InfoState.errors["home_branch"]),
        class_name="field",
    )


def _form() -> rx.Component:
    return rx.el.form(
        _error_summary(),
        _social_section(),
        rx.el.section(
            rx.el.h3(texts.BASIC_TITLE, " ", rx.el.span(texts.REQUIRED_NOTE, class_name="required-note"),
                     class_name="subsection-title"),
            _identity_rows(),
            field_error("identity-error", InfoState.errors["identity"]),
            _login_id_field(),
            _password_fields(),
            _mobile_field(),
            _email_field(),
            _landline_field(),
            _address_field(),
            _branch_field(),
            class_name="card-panel",
        ),
        rx.el.div(
            cancel_button(),
            rx.el.button(rx.cond(InfoState.submitting, texts.SUBMITTING, texts.SUBMIT), type="submit",
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


def signup_info_page() -> rx.Component:
    return page_shell(
        wizard_header(4, texts.STEPS[3][1]),
        rx.cond(InfoState.loaded, _form(), loading()),
    )
