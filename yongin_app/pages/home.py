"""The main page: a welcome for visitors, a summary for members."""

from __future__ import annotations

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.layout import page_shell
from yongin_app.pages.card import own_card
from yongin_app.states.card import MemberCardState
from yongin_app.states.session import SessionState


def _guest_view() -> rx.Component:
    return rx.el.section(
        rx.el.p(texts.HOME_WELCOME_GUEST, class_name="page-intro"),
        rx.el.div(
            rx.el.a(texts.NAV_LOGIN, href=routes.LOGIN, class_name="btn btn-primary"),
            rx.el.a(texts.NAV_SIGNUP, href=routes.SIGNUP, class_name="btn btn-secondary"),
            class_name="button-row",
        ),
        class_name="card-panel",
    )


WELCOME_ID = "signup-welcome"


class HomeState(rx.State):
    # Set by the signup's submit too, so that the welcome is there when this page is first drawn.
    welcome: bool = False

    @rx.event
    def load(self):
        self.welcome = self.router.url.query_parameters.get("welcome") == "1"
        if self.welcome:
            return rx.set_focus(WELCOME_ID)  # read out first after the page change


def _member_view() -> rx.Component:
    return rx.el.section(
        rx.cond(
            HomeState.welcome,
            rx.el.p(texts.WELCOME_AFTER_SIGNUP, id=WELCOME_ID, role="status", tab_index=-1,
                    class_name="notice success"),
            rx.fragment(),
        ),
        rx.el.p(rx.el.strong(SessionState.member_name), texts.HOME_GREETING_SUFFIX, class_name="greeting"),
        rx.el.dl(
            rx.el.dt(texts.HOME_GRADE_LABEL),
            rx.el.dd(rx.cond(SessionState.is_full_member, "정회원", "준회원")),
            class_name="summary-list",
        ),
        rx.cond(
            SessionState.guardian_visit_pending,
            rx.el.div(
                rx.el.p(rx.el.strong(texts.HOME_GUARDIAN_PENDING)),
                rx.el.p(texts.HOME_GUARDIAN_PENDING_HINT),
                class_name="notice-box",
            ),
            rx.fragment(),
        ),
        rx.cond(
            MemberCardState.has_card,
            rx.fragment(
                # On a phone the card is right here; on a desktop it is one click away.
                rx.el.div(own_card(), class_name="phone-only home-card"),
                rx.el.a(texts.CARD_SHOW, href=routes.MEMBER_CARD, class_name="btn btn-secondary desktop-only"),
            ),
            rx.fragment(),
        ),
        rx.cond(
            SessionState.is_associate,
            rx.el.div(
                rx.el.p(texts.HOME_ASSOCIATE_HINT),
                rx.el.a(texts.NAV_MEMBERSHIP_APPLY, href=routes.MEMBERSHIP_APPLY, class_name="btn btn-primary"),
                class_name="notice-box",
            ),
            rx.fragment(),
        ),
        class_name="card-panel",
    )


def home_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.HOME_TITLE, class_name="page-title"),
        rx.cond(SessionState.logged_in, _member_view(), _guest_view()),
        with_member_menu=True,
    )
