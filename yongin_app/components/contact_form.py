"""Contact, address and 가입도서관 fields, shared by signup STEP 04 and 정보수정.

Each function takes the page's state class, which provides: fields, errors and flags (dicts),
blur(field, value), toggle_flag(field), choose_email_domain(domain), and the address search of
AddressSearchState (postal_code, road_address, address_open, address_results, address_message,
set_address_open, search_address, choose_address). Inputs are uncontrolled (read on blur and
on submit), which keeps Korean IME composition intact.
"""

from __future__ import annotations

import reflex as rx

from yongin_app.components import dialog
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.domain.branches import BRANCHES
from yongin_app.pages.signup import texts
from yongin_app.services.contact_fields import LANDLINE_AREA_CODES, MOBILE_PREFIXES


def required_label(text: str, html_for: str | None = None, *, legend: bool = False) -> rx.Component:
    # The mark stays outside the label, so the field's name is exactly the manual's word ("아이디");
    # `required` on the input tells assistive technology that it is 필수.
    mark = rx.el.span("*", aria_hidden="true", class_name="required-mark")
    if legend:
        return rx.el.legend(mark, text, class_name="field-label")
    return rx.el.div(mark, rx.el.label(text, html_for=html_for), class_name="field-label")


def invalid(state, key: str):
    return rx.cond(state.errors[key] != "", "true", "false")


def text_input(state, field: str, error_key: str, *, described_by: str, **props) -> rx.Component:
    return rx.el.input(
        id=field,
        name=field,
        default_value=state.fields[field],
        on_blur=lambda value: state.blur(field, value),
        aria_describedby=described_by,
        aria_invalid=invalid(state, error_key),
        class_name="field-input",
        **props,
    )


def select(state, field: str, error_key: str, options: list[tuple[str, str]], *, label: str | None = None,
            described_by: str, placeholder: str | None = None, required: bool = False) -> rx.Component:
    choices = [rx.el.option(placeholder, value="")] if placeholder else []
    choices += [rx.el.option(text, value=value) for value, text in options]
    return rx.el.select(
        *choices,
        id=field,
        name=field,
        default_value=state.fields[field],
        on_change=lambda value: state.blur(field, value),
        aria_label=label,
        aria_describedby=described_by,
        aria_invalid=invalid(state, error_key),
        required=required,
        class_name="field-input",
    )


def checkbox(state, field: str, label: str) -> rx.Component:
    return rx.el.div(
        rx.el.input(type="checkbox", id=field, name=field, checked=state.flags[field],
                    on_change=state.toggle_flag(field), class_name="checkbox"),
        rx.el.label(label, html_for=field, class_name="checkbox-label"),
        class_name="checkbox-row",
    )


def mobile_field(state) -> rx.Component:
    described = "mobile-notes mobile-error"
    return rx.el.fieldset(
        required_label(texts.MOBILE, legend=True),
        rx.el.div(
            select(state, "mobile_prefix", "mobile", [(p, p) for p in MOBILE_PREFIXES], label=texts.MOBILE_PREFIX,
                    described_by=described),
            text_input(state, "mobile_middle", "mobile", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.MOBILE_MIDDLE, auto_complete="tel-national", required=True),
            text_input(state, "mobile_last", "mobile", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.MOBILE_LAST, required=True),
            class_name="phone-row",
        ),
        checkbox(state, "sms_consent", texts.SMS_CONSENT),
        rx.el.div(*[rx.el.p(note, class_name="field-help") for note in texts.MOBILE_NOTES], id="mobile-notes"),
        field_error("mobile-error", state.errors["mobile"]),
        class_name="field fieldset",
    )


def email_field(state) -> rx.Component:
    described = "email-note email-error"
    return rx.el.fieldset(
        rx.el.legend(texts.EMAIL, " ", rx.el.span(texts.OPTIONAL, class_name="optional-mark"), class_name="field-label"),
        rx.el.div(
            text_input(state, "email_local", "email", described_by=described, type="email", input_mode="email",
                        auto_complete="email", max_length=64, aria_label=texts.EMAIL_LOCAL, spell_check=False,
                        auto_capitalize="none"),
            rx.el.span("@", aria_hidden="true", class_name="email-at"),
            text_input(state, "email_domain", "email", described_by=described, max_length=190, input_mode="url",
                        aria_label=texts.EMAIL_DOMAIN, spell_check=False, auto_capitalize="none"),
            rx.el.select(
                rx.el.option(texts.SELECT, value="", disabled=True),
                *[rx.el.option(domain, value=domain) for domain in texts.EMAIL_DOMAINS],
                rx.el.option(texts.EMAIL_DOMAIN_DIRECT, value="direct"),
                id="email_domain_choice",
                name="email_domain_choice",
                default_value="",
                on_change=state.choose_email_domain,
                aria_label=texts.EMAIL_DOMAIN_SELECT,
                class_name="field-input",
            ),
            class_name="email-row",
        ),
        checkbox(state, "email_consent", texts.EMAIL_CONSENT),
        rx.el.p(texts.EMAIL_NOTE, id="email-note", class_name="field-help"),
        field_error("email-error", state.errors["email"]),
        class_name="field fieldset",
    )


def landline_field(state) -> rx.Component:
    described = "landline-note landline-error"
    return rx.el.fieldset(
        rx.el.legend(texts.LANDLINE, " ", rx.el.span(texts.OPTIONAL, class_name="optional-mark"),
                     class_name="field-label"),
        rx.el.div(
            select(state, "landline_area", "landline", [(a, a) for a in LANDLINE_AREA_CODES],
                    label=texts.LANDLINE_AREA, described_by=described, placeholder=texts.SELECT),
            text_input(state, "landline_middle", "landline", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.LANDLINE_MIDDLE),
            text_input(state, "landline_last", "landline", described_by=described, type="tel", input_mode="numeric",
                        max_length=4, aria_label=texts.LANDLINE_LAST),
            class_name="phone-row",
        ),
        rx.el.p(texts.LANDLINE_NOTE, id="landline-note", class_name="field-help"),
        field_error("landline-error", state.errors["landline"]),
        class_name="field fieldset",
    )


def address_dialog(state) -> rx.Component:
    return dialog.root(
        dialog.trigger(
            rx.el.button(texts.ADDRESS_SEARCH, type="button", id="address_search", class_name="btn btn-secondary",
                         aria_describedby="address-error")
        ),
        dialog.content(
            dialog.title(texts.ADDRESS_DIALOG_TITLE),
            dialog.description(texts.ADDRESS_KEYWORD_HINT, class_name="field-help"),
            form(
                rx.el.label(texts.ADDRESS_KEYWORD, html_for="address_keyword", class_name="field-label"),
                rx.el.div(
                    rx.el.input(id="address_keyword", name="address_keyword", type="search", max_length=80,
                                class_name="field-input", aria_describedby="address-search-message"),
                    submit_button(texts.ADDRESS_SEARCH_BUTTON, class_name="btn btn-primary"),
                    class_name="input-with-button",
                ),
                # The dialog sits inside the signup/edit form in React's tree: its submit must not
                # bubble up through the portal and submit that form too.
                on_submit=state.search_address.stop_propagation,
                reset_on_submit=False,
            ),
            rx.el.p(state.address_message, id="address-search-message", role="status", class_name="notice"),
            rx.cond(
                state.address_results.length() > 0,
                rx.el.ul(
                    rx.foreach(
                        state.address_results,
                        lambda item, index: rx.el.li(
                            rx.el.div(
                                rx.el.strong(item["zip"]), " ", item["road"],
                                rx.el.br(),
                                rx.el.span(texts.ADDRESS_JIBUN, " ", item["jibun"], class_name="field-help"),
                                class_name="address-text",
                            ),
                            rx.el.button(texts.ADDRESS_CHOOSE, type="button", on_click=state.choose_address(index),
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
            dialog.close(rx.el.button("닫기", type="button", class_name="btn btn-ghost dialog-close")),
            class_name="address-dialog",
        ),
        open=state.address_open,
        on_open_change=state.set_address_open,
    )


def address_field(state) -> rx.Component:
    return rx.el.fieldset(
        required_label(texts.ADDRESS, legend=True),
        rx.el.div(
            rx.el.div(
                rx.el.label(texts.POSTAL_CODE, html_for="postal_code", class_name="field-sublabel"),
                rx.el.input(id="postal_code", name="postal_code", value=state.postal_code, read_only=True,
                            auto_complete="postal-code", aria_describedby="address-error",
                            aria_invalid=invalid(state, "address"), class_name="field-input postal-input"),
            ),
            address_dialog(state),
            class_name="input-with-button align-end",
        ),
        rx.el.label(texts.ROAD_ADDRESS, html_for="road_address", class_name="field-sublabel"),
        rx.el.input(id="road_address", name="road_address", value=state.road_address, read_only=True,
                    auto_complete="street-address", aria_describedby="address-error",
                    aria_invalid=invalid(state, "address"), class_name="field-input"),
        rx.el.label(texts.ADDRESS_DETAIL, html_for="address_detail", class_name="field-sublabel"),
        text_input(state, "address_detail", "address", described_by="address-error", max_length=100,
                    auto_complete="address-line2"),
        field_error("address-error", state.errors["address"]),
        class_name="field fieldset",
    )


def branch_field(state) -> rx.Component:
    return rx.el.div(
        required_label(texts.BRANCH, "home_branch"),
        select(state, "home_branch", "home_branch", list(BRANCHES), described_by="home_branch-error",
                placeholder=texts.BRANCH_PLACEHOLDER, required=True),
        field_error("home_branch-error", state.errors["home_branch"]),
        class_name="field",
    )


