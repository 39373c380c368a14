"""/card: the member's mobile member card on its own route."""

from __future__ import annotations

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.layout import member_menu, page_shell
from yongin_app.components.member_card import member_card
from yongin_app.states.card import MemberCardState
from yongin_app.states.session import SessionState


def own_card() -> rx.Component:
    return member_card(
        name=MemberCardState.name,
        card_number=MemberCardState.card_number,
        branch_name=MemberCardState.branch_name,
        loan_limit_text=MemberCardState.loan_limit_text,
        barcode_uri=MemberCardState.barcode_uri,
    )


def card_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.CARD_TITLE, class_name="page-title"),
        rx.cond(
            MemberCardState.loaded,
            # The card (or the way to get one) and the member menu arrive together.
            rx.fragment(
                rx.cond(
                    MemberCardState.has_card,
                    own_card(),
                    rx.el.section(
                        rx.el.p(texts.CARD_NONE),
                        rx.el.a(texts.NAV_MEMBERSHIP_APPLY, href=routes.MEMBERSHIP_APPLY, class_name="btn btn-primary"),
                        class_name="card-panel",
                    ),
                ),
                rx.cond(SessionState.logged_in, member_menu(), rx.fragment()),
            ),
            # Holds the viewport until then, so nothing below moves into view and back.
            rx.el.div(rx.el.p(texts.LOADING, role="status", class_name="loading"), class_name="page-loading",
                      aria_busy="true"),
        ),
    )
