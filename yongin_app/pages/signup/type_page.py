"""STEP 01 유형선택: 일반 회원가입 (14세 이상) or 어린이 회원가입 (14세 미만)."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.components.layout import page_shell
from yongin_app.pages.signup import texts
from yongin_app.pages.signup.components import wizard_header
from yongin_app.pages.signup.state import PROGRESS_ROUTE, SignupState
from yongin_app.services import signup
from yongin_app.states.session import SessionState


class SignupTypeState(SignupState):
    resume_route: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if session.logged_in:
            return rx.redirect(routes.HOME)
        view = await asyncio.to_thread(signup.get_draft, self.draft_token)
        self.resume_route = PROGRESS_ROUTE[view.progress] if view is not None else ""

    @rx.event
    async def start(self, kind: str):
        if kind not in (signup.KIND_GENERAL, signup.KIND_CHILD):
            return
        token, view = await asyncio.to_thread(signup.start_draft, kind, previous_token=self.draft_token or None)
        self.draft_token = token
        self._apply(view)
        return rx.redirect(PROGRESS_ROUTE[view.progress])


def _choice(label: str, hint: str, kind: str) -> rx.Component:
    return rx.el.button(
        rx.el.span(label, class_name="choice-title"),
        rx.el.span(hint, class_name="choice-hint"),
        type="button",
        on_click=SignupTypeState.start(kind),
        class_name="choice-card",
    )


def signup_type_page() -> rx.Component:
    return page_shell(
        wizard_header(1, texts.STEPS[0][1]),
        rx.el.p(texts.TYPE_INTRO, class_name="page-intro"),
        rx.cond(
            SignupTypeState.resume_route != "",
            rx.el.div(
                rx.el.p(texts.RESUME_NOTICE),
                rx.el.a(texts.RESUME_BUTTON, href=SignupTypeState.resume_route, class_name="btn btn-secondary"),
                class_name="notice-box",
            ),
            rx.fragment(),
        ),
        rx.el.div(
            _choice(texts.GENERAL_BUTTON, texts.GENERAL_HINT, signup.KIND_GENERAL),
            _choice(texts.CHILD_BUTTON, texts.CHILD_HINT, signup.KIND_CHILD),
            class_name="choice-grid",
        ),
    )
