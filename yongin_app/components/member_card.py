"""The mobile member card (모바일 회원증): one component for the member and for the staff preview."""

from __future__ import annotations

import reflex as rx

from yongin_app import texts


def member_card(
    *,
    name: rx.Var[str],
    card_number: rx.Var[str],
    branch_name: rx.Var[str],
    loan_limit_text: rx.Var[str],
    barcode_uri: rx.Var[str],
) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.p(texts.LIBRARY_NAME, class_name="member-card-library"),
            rx.el.h2(texts.CARD_TITLE, class_name="member-card-title"),
            class_name="member-card-header",
        ),
        rx.el.div(
            rx.el.img(src=barcode_uri, alt=texts.CARD_BARCODE_ALT + " " + card_number, class_name="member-card-barcode"),
            rx.el.p(card_number, class_name="member-card-number", aria_hidden="true"),
            class_name="member-card-barcode-box",
        ),
        rx.el.dl(
            rx.el.dt(texts.CARD_NAME), rx.el.dd(name),
            rx.el.dt(texts.CARD_NUMBER), rx.el.dd(card_number),
            rx.el.dt(texts.CARD_BRANCH), rx.el.dd(branch_name),
            rx.el.dt(texts.CARD_LOAN_LIMIT), rx.el.dd(loan_limit_text),
            class_name="member-card-details",
        ),
        rx.el.p(texts.CARD_NOTE, class_name="member-card-note"),
        class_name="member-card",
        aria_label=texts.CARD_TITLE,
    )
