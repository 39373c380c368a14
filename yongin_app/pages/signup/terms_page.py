"""STEP 03 약관동의: each text in a scroll box, a checkbox each, 전체동의, and a next button that says why it waits."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.components.form import field_error
from yongin_app.components.layout import page_shell
from yongin_app.pages.signup import terms_texts, texts
from yongin_app.pages.signup.components import cancel_button, loading, wizard_header
from yongin_app.pages.signup.state import SignupState
from yongin_app.services import signup


class TermsState(SignupState):
    agreed: list[str] = []
    terms_error: str = ""

    @rx.var
    def required_keys(self) -> list[str]:
        return sorted(signup.TERMS_CHILD if self.kind == signup.KIND_CHILD else signup.TERMS_GENERAL)

    @rx.var
    def all_agreed(self) -> bool:
        return bool(self.required_keys) and set(self.required_keys) <= set(self.agreed)

    @rx.event
    async def load(self):
        self.terms_error = ""
        redirect = await self._enter(signup.PROGRESS_TERMS)
        self.agreed = list(self.terms)
        return redirect

    @rx.event
    def toggle(self, key: str):
        if key not in self.required_keys:
            return
        self.agreed = [k for k in self.agreed if k != key] if key in self.agreed else [*self.agreed, key]

    @rx.event
    def toggle_all(self):
        self.agreed = [] if self.all_agreed else list(self.required_keys)

    @rx.event
    async def submit(self):
        result = await asyncio.to_thread(signup.accept_terms, self.draft_token, list(self.agreed))
        if not result.ok:
            self.terms_error = result.message
            return
        self._apply(result.view)
        return rx.redirect(routes.SIGNUP_INFO)


def _checkbox(input_id: str, label: str, checked, on_change) -> rx.Component:
    return rx.el.div(
        rx.el.input(type="checkbox", id=input_id, checked=checked, on_change=on_change, class_name="checkbox"),
        rx.el.label(label, html_for=input_id, class_name="checkbox-label"),
        class_name="checkbox-row",
    )


def _document(document: terms_texts.TermsDocument) -> rx.Component:
    box_id = f"terms-{document.key}-text"
    return rx.el.section(
        rx.el.h3(document.title, " ", rx.el.span("(필수)", class_name="required-mark"), id=f"{box_id}-title",
                 class_name="subsection-title"),
        rx.el.div(
            *[
                rx.fragment(rx.el.h4(heading, class_name="terms-heading"), *[rx.el.p(p) for p in paragraphs])
                for heading, paragraphs in document.sections
            ],
            id=box_id,
            class_name="terms-box",
            tab_index=0,
            role="region",
            aria_labelledby=f"{box_id}-title",
        ),
        _checkbox(f"agree_{document.key}", terms_texts.TERMS_CHECKBOX_LABELS[document.key],
                  TermsState.agreed.contains(document.key), TermsState.toggle(document.key)),
        class_name="terms-document",
    )


def signup_terms_page() -> rx.Component:
    general = [_document(d) for d in terms_texts.ALL_TERMS if not d.for_child_only]
    child_only = [_document(d) for d in terms_texts.ALL_TERMS if d.for_child_only]
    return page_shell(
        wizard_header(3, texts.STEPS[2][1]),
        rx.cond(
            TermsState.loaded,
            rx.el.div(
                rx.el.p(texts.TERMS_INTRO, class_name="page-intro"),
                _checkbox("agree_all", terms_texts.AGREE_ALL_LABEL, TermsState.all_agreed, TermsState.toggle_all),
                *general,
                rx.cond(TermsState.is_child, rx.fragment(*child_only), rx.fragment()),
                field_error("terms-error", TermsState.terms_error),
                rx.el.div(
                    cancel_button(),
                    rx.el.button(texts.TERMS_NEXT, type="button", on_click=TermsState.submit,
                                 disabled=~TermsState.all_agreed, aria_describedby="terms-next-hint",
                                 class_name="btn btn-primary"),
                    class_name="button-row",
                ),
                rx.cond(TermsState.all_agreed, rx.fragment(),
                        rx.el.p(texts.TERMS_NEXT_BLOCKED, id="terms-next-hint", class_name="field-help")),
                class_name="card-panel",
            ),
            loading(),
        ),
    )
