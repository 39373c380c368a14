"""온라인정회원신청: consent, 주민등록번호 뒷자리, 회원 대출 비밀번호, then the card.

The resident number is read from the submitted form, passed to the service, and the field is
emptied after every attempt; it is never assigned to a State var.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.components.eligibility_consent import eligibility_consent, rrn_back_field
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.pages import membership_texts as texts
from yongin_app.pages.card import own_card
from yongin_app.services import membership
from yongin_app.states.card import MemberCardState
from yongin_app.states.session import SessionState

_ERROR_KEYS = ("consent", "rrn_back", "loan_password", "loan_password_confirm")
_NO_ERRORS = {key: "" for key in _ERROR_KEYS}
_CLEAR_SECRETS = [rx.set_value("rrn_back", ""), rx.set_value("loan_password", ""),
                  rx.set_value("loan_password_confirm", "")]


class MembershipState(rx.State):
    loaded: bool = False
    name: str = ""
    rrn_front: str = ""
    is_full: bool = False
    issued_now: bool = False
    errors: dict[str, str] = dict(_NO_ERRORS)
    message: str = ""
    submitting: bool = False

    async def _member_id(self) -> int | None:
        session = await self.get_state(SessionState)
        return await session._current_member_id()

    @rx.event
    async def load(self):
        self.loaded = False
        self.errors = dict(_NO_ERRORS)
        self.message = ""
        self.issued_now = False
        self.submitting = False
        member_id = await self._member_id()
        if member_id is None:
            return  # SessionState.require_member sends the visitor to login
        person = await asyncio.to_thread(membership.applicant, member_id)
        if person is None:
            return
        self.name, self.rrn_front = person.name, person.rrn_front
        self.is_full = person.card_number is not None
        self.loaded = True
        if self.is_full:
            return MemberCardState.load

    @rx.event
    async def submit(self, form_data: dict):
        if self.submitting:
            return
        member_id = await self._member_id()
        if member_id is None:
            yield rx.redirect(f"{routes.LOGIN}?next={routes.MEMBERSHIP_APPLY}")
            return
        form = form_data if isinstance(form_data, dict) else {}
        self.submitting = True
        self.message = ""
        yield
        result = await asyncio.to_thread(
            membership.apply_online,
            member_id,
            consent=bool(form.get("consent")),
            rrn_back=str(form.get("rrn_back", ""))[:20],
            loan_password=str(form.get("loan_password", ""))[:10],
            loan_password_confirm=str(form.get("loan_password_confirm", ""))[:10],
        )
        self.submitting = False
        self.errors = {**_NO_ERRORS, **{k: v for k, v in result.errors.items() if k in _NO_ERRORS}}
        if result.has_card:
            self.issued_now = result.outcome == membership.Outcome.ISSUED
            self.is_full = True
            session = await self.get_state(SessionState)
            await session._reload()  # the header drops 온라인정회원신청
            yield [MemberCardState.load, *_CLEAR_SECRETS]
            return
        self.message = result.message
        # The number is emptied after every attempt; the consent box stays as it was.
        yield [*_CLEAR_SECRETS, rx.set_focus("membership-message")]


def _guide() -> rx.Component:
    return rx.el.section(
        rx.el.h2(texts.GUIDE_TITLE, class_name="subsection-title"),
        rx.el.p(texts.GUIDE_BODY),
        rx.el.ul(*[rx.el.li(rx.el.strong(label), " : ", body) for label, body in texts.GUIDE_ITEMS],
                 class_name="notice-list"),
        class_name="card-panel",
    )


def _consent() -> rx.Component:
    return eligibility_consent(legal_basis=texts.LEGAL_BASIS, table_row=texts.TABLE_ROW,
                               refusal_note=texts.CONSENT_REFUSAL_NOTE, error=MembershipState.errors["consent"])


def _secret_input(field_id: str, *, max_length: int, described_by: str) -> rx.Component:
    """Masked digits on a numeric keypad; never bound to a State var."""
    return rx.el.input(
        id=field_id, name=field_id, type="password", input_mode="numeric", pattern="[0-9]*",
        max_length=max_length, auto_complete="off", aria_describedby=described_by,
        aria_invalid=rx.cond(MembershipState.errors[field_id] != "", "true", "false"),
        class_name="field-input",
    )


def _member_info() -> rx.Component:
    return rx.el.section(
        rx.el.h2(texts.MEMBER_INFO_TITLE, class_name="subsection-title"),
        rx.el.dl(rx.el.dt(texts.NAME), rx.el.dd(MembershipState.name), class_name="summary-list"),
        rrn_back_field(front=MembershipState.rrn_front, error=MembershipState.errors["rrn_back"]),
        rx.el.div(
            rx.el.label(texts.LOAN_PASSWORD, html_for="loan_password", class_name="field-label"),
            _secret_input("loan_password", max_length=4, described_by="loan-hint loan_password-error"),
            field_error("loan_password-error", MembershipState.errors["loan_password"]),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(texts.LOAN_PASSWORD_CONFIRM, html_for="loan_password_confirm", class_name="field-label"),
            _secret_input("loan_password_confirm", max_length=4,
                          described_by="loan-hint loan_password_confirm-error"),
            rx.el.p(texts.LOAN_PASSWORD_HINT, id="loan-hint", class_name="field-help"),
            field_error("loan_password_confirm-error", MembershipState.errors["loan_password_confirm"]),
            class_name="field",
        ),
        class_name="card-panel",
    )


def _application_form() -> rx.Component:
    return form(
        _guide(),
        _consent(),
        _member_info(),
        rx.el.div(
            rx.el.p(MembershipState.message, id="membership-message", role="alert", tab_index=-1,
                    class_name="error-summary"),
            class_name="message-slot",
        ),
        rx.el.div(*[rx.el.p(note, class_name="field-help") for note in texts.NOTES]),
        submit_button(rx.cond(MembershipState.submitting, texts.SUBMITTING, texts.SUBMIT),
                      disabled=MembershipState.submitting, class_name="btn btn-primary btn-block"),
        on_submit=MembershipState.submit,
        reset_on_submit=False,
        no_validate=True,
        class_name="signup-form",
    )


def _issued() -> rx.Component:
    return rx.el.section(
        rx.el.h2(texts.DONE_TITLE, class_name="subsection-title", id="membership-done"),
        rx.el.h3(texts.DONE_INFO_TITLE, class_name="terms-heading"),
        rx.el.dl(
            rx.el.dt(texts.NAME), rx.el.dd(MemberCardState.name),
            rx.el.dt("회원증번호"), rx.el.dd(MemberCardState.card_number),
            class_name="summary-list",
        ),
        rx.el.p(texts.DONE_MESSAGE, role="status", class_name="notice success"),
        rx.el.h3(texts.SERVICES_TITLE, class_name="terms-heading"),
        rx.el.p(texts.SERVICES),
        rx.el.ul(*[rx.el.li(note) for note in texts.DONE_NOTES], class_name="notice-list"),
        rx.el.a(texts.DONE_OK, href=routes.HOME, class_name="btn btn-primary"),
        class_name="card-panel",
    )


def membership_page() -> rx.Component:
    return page_shell(
        rx.el.p(texts.BREADCRUMB, class_name="breadcrumb"),
        rx.el.h1(texts.TITLE, class_name="page-title"),
        rx.cond(
            MembershipState.loaded,
            rx.cond(
                MembershipState.is_full,
                rx.fragment(
                    rx.cond(MembershipState.issued_now, _issued(),
                            rx.el.p(texts.ALREADY_FULL, class_name="page-intro")),
                    rx.cond(MemberCardState.has_card, own_card(), rx.fragment()),
                ),
                _application_form(),
            ),
            rx.el.p("불러오는 중…", role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
