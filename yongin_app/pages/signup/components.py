"""Pieces shared by the wizard's pages: the step indicator and the 취소 confirmation."""

from __future__ import annotations

import reflex as rx

from yongin_app.components import dialog
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.state import SignupState


def step_indicator(current: int) -> rx.Component:
    """STEP 01 … STEP 04 with the current one marked (aria-current="step")."""
    items = []
    for index, (number, label) in enumerate(texts.STEPS, start=1):
        is_current = index == current
        items.append(
            rx.el.li(
                rx.el.span(number, class_name="step-number"),
                rx.el.span(label, class_name="step-label"),
                rx.el.span(f" ({texts.STEP_CURRENT})", class_name="visually-hidden") if is_current else rx.fragment(),
                class_name="step current" if is_current else ("step done" if index < current else "step"),
                aria_current="step" if is_current else None,
            )
        )
    return rx.el.ol(*items, class_name="step-indicator", aria_label="회원가입 단계")


def wizard_header(current: int, heading: str) -> rx.Component:
    return rx.fragment(
        rx.el.h1(texts.TITLE, class_name="page-title"),
        step_indicator(current),
        rx.el.h2(heading, class_name="section-title"),
    )


def cancel_button() -> rx.Component:
    """취소 asks first; only then is the draft discarded."""
    return dialog.root(
        dialog.trigger(rx.el.button(texts.CANCEL, type="button", class_name="btn btn-secondary")),
        dialog.alert_content(
            dialog.title(texts.CANCEL_TITLE),
            dialog.description(texts.CANCEL_BODY),
            rx.el.div(
                dialog.close(rx.el.button(texts.CANCEL_KEEP, type="button", class_name="btn btn-secondary")),
                # Discards the draft and leaves the page, which closes the dialog.
                rx.el.button(texts.CANCEL_CONFIRM, type="button", class_name="btn btn-danger",
                             on_click=SignupState.cancel),
                class_name="button-row dialog-buttons",
            ),
        ),
    )


def loading() -> rx.Component:
    return rx.el.p("불러오는 중…", role="status", class_name="loading")
