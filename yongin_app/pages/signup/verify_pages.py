"""STEP 02 본인확인: the guardian page (어린이 only) and the member's own verification."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.components import cancel_button, loading, wizard_header
from yongin_app.pages.signup.verification import VerificationState, verification_dialog
from yongin_app.services import messages, signup
from yongin_app.services.contact_fields import MOBILE_PREFIXES


class GuardianState(VerificationState):
    guardian_error: str = ""

    @rx.event
    async def load(self):
        self.guardian_error = ""
        return await self._enter(signup.PROGRESS_GUARDIAN)

    @rx.event
    async def verify_guardian(self, form_data: dict):
        """휴대폰 인증하기: keep the typed 성명 and 번호, then open the guardian's verification screen."""
        form = form_data if isinstance(form_data, dict) else {}
        mobile = "-".join(str(form.get(key, "")).strip()[:4] for key in ("guardian_mobile_prefix",
                                                                        "guardian_mobile_middle",
                                                                        "guardian_mobile_last"))
        result = await asyncio.to_thread(
            signup.save_guardian_input, self.draft_token, str(form.get("guardian_name", ""))[:50], mobile
        )
        if result.view is not None:
            self._apply(result.view)
        if not result.ok:
            self.guardian_error = result.message
            return
        self.guardian_error = ""
        return VerificationState.open_for(signup.WHO_GUARDIAN, "phone")

    @rx.event
    async def next_page(self):
        if not self.guardian_verified:
            self.guardian_error = messages.GUARDIAN_NOT_VERIFIED
            return
        return rx.redirect(routes.SIGNUP_VERIFY)


class MemberVerifyState(VerificationState):
    @rx.event
    async def load(self):
        return await self._enter(signup.PROGRESS_VERIFY)


def _mobile_parts(prefix_id: str, value: rx.Var[str]) -> rx.Component:
    parts = value.split("-")
    return rx.el.div(
        rx.el.select(
            *[rx.el.option(p, value=p) for p in MOBILE_PREFIXES],
            id=f"{prefix_id}_prefix", name=f"{prefix_id}_prefix", default_value=rx.cond(parts.length() == 3, parts[0], "010"),
            aria_label=texts.MOBILE_PREFIX, class_name="field-input phone-prefix",
        ),
        rx.el.input(id=f"{prefix_id}_middle", name=f"{prefix_id}_middle", type="tel", input_mode="numeric",
                    max_length=4, aria_label=texts.MOBILE_MIDDLE, auto_complete="tel-local-prefix",
                    default_value=rx.cond(parts.length() == 3, parts[1], ""),
                    aria_describedby="guardian-error", class_name="field-input"),
        rx.el.input(id=f"{prefix_id}_last", name=f"{prefix_id}_last", type="tel", input_mode="numeric",
                    max_length=4, aria_label=texts.MOBILE_LAST, auto_complete="tel-local-suffix",
                    default_value=rx.cond(parts.length() == 3, parts[2], ""),
                    aria_describedby="guardian-error", class_name="field-input"),
        class_name="phone-row",
    )


def _guardian_form() -> rx.Component:
    return form(
        rx.el.h3(texts.GUARDIAN_INFO_TITLE, class_name="subsection-title"),
        rx.el.div(
            rx.el.label(texts.GUARDIAN_NAME, rx.el.span(" *", aria_hidden="true", class_name="required-mark"),
                        html_for="guardian_name", class_name="field-label"),
            rx.el.input(id="guardian_name", name="guardian_name", auto_complete="name", max_length=50,
                        default_value=GuardianState.guardian_name_input, required=True,
                        aria_describedby="guardian-error", class_name="field-input"),
            class_name="field",
        ),
        rx.el.fieldset(
            rx.el.legend(texts.GUARDIAN_MOBILE, rx.el.span(" *", aria_hidden="true", class_name="required-mark"),
                         class_name="field-label"),
            _mobile_parts("guardian_mobile", GuardianState.guardian_mobile_input),
            class_name="field fieldset",
        ),
        rx.el.p(texts.GUARDIAN_VERIFY_HINT, class_name="field-help"),
        field_error("guardian-error", GuardianState.guardian_error),
        submit_button(texts.GUARDIAN_VERIFY_BUTTON, class_name="btn btn-primary"),
        on_submit=GuardianState.verify_guardian,
        reset_on_submit=False,
        class_name="card-panel",
    )


def signup_guardian_page() -> rx.Component:
    return page_shell(
        wizard_header(2, texts.STEPS[1][1]),
        rx.cond(
            GuardianState.loaded,
            rx.fragment(
                rx.el.section(
                    rx.el.h3(texts.GUARDIAN_TITLE, class_name="subsection-title"),
                    rx.el.ul(*[rx.el.li(notice) for notice in texts.GUARDIAN_NOTICES], class_name="notice-list"),
                    class_name="notice-box",
                ),
                _guardian_form(),
                rx.cond(
                    GuardianState.guardian_verified,
                    rx.el.p(texts.GUARDIAN_VERIFIED, " (", GuardianState.guardian_name_input, ")",
                            role="status", class_name="notice success"),
                    rx.fragment(),
                ),
                rx.el.div(
                    cancel_button(),
                    rx.el.button(texts.GUARDIAN_NEXT, type="button", on_click=GuardianState.next_page,
                                 disabled=~GuardianState.guardian_verified, aria_describedby="guardian-next-hint",
                                 class_name="btn btn-primary"),
                    class_name="button-row",
                ),
                rx.cond(GuardianState.guardian_verified, rx.fragment(),
                        rx.el.p(texts.GUARDIAN_NEXT_BLOCKED, id="guardian-next-hint", class_name="field-help")),
                verification_dialog(),
            ),
            loading(),
        ),
    )


def _method_card(method: str, title: str, description: str, button: str) -> rx.Component:
    return rx.el.div(
        rx.el.h3(title, class_name="method-title"),
        rx.el.p(description, class_name="method-description"),
        rx.el.button(button, type="button", on_click=VerificationState.open_for(signup.WHO_SELF, method),
                     class_name="btn btn-primary btn-block"),
        class_name="method-card",
    )


def signup_verify_page() -> rx.Component:
    return page_shell(
        wizard_header(2, texts.STEPS[1][1]),
        rx.cond(
            MemberVerifyState.loaded,
            rx.fragment(
                rx.cond(
                    MemberVerifyState.is_child,
                    rx.el.section(
                        rx.el.h3(texts.VERIFY_TITLE_CHILD, class_name="subsection-title"),
                        rx.el.ul(*[rx.el.li(n) for n in texts.VERIFY_NOTICES_CHILD], class_name="notice-list"),
                        class_name="notice-box",
                    ),
                    rx.el.p(texts.VERIFY_TITLE_GENERAL, class_name="page-intro"),
                ),
                rx.el.div(*[_method_card(*method) for method in texts.METHODS], class_name="method-grid"),
                rx.el.div(cancel_button(), class_name="button-row"),
                verification_dialog(),
            ),
            loading(),
        ),
    )
