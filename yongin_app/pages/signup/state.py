"""State shared by the signup wizard's pages: the draft token (in the browser) and what the draft shows."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.services import signup
from yongin_app.states.session import SessionState

# Which page shows each stage of progress.
PROGRESS_ROUTE = {
    signup.PROGRESS_GUARDIAN: routes.SIGNUP_GUARDIAN,
    signup.PROGRESS_VERIFY: routes.SIGNUP_VERIFY,
    signup.PROGRESS_TERMS: routes.SIGNUP_TERMS,
    signup.PROGRESS_INFO: routes.SIGNUP_INFO,
}
_SEX_LABEL = {"남": "남자", "여": "여자"}


class SignupState(rx.State):
    # The random draft ID; the database keeps only its hash. Survives reloads and restarts, but is
    # this tab's only (sessionStorage): the next person at a shared library PC does not find it.
    draft_token: str = rx.SessionStorage("", name="yongin_signup_draft")
    loaded: bool = False
    kind: str = ""
    progress: str = ""
    guardian_name_input: str = ""
    guardian_mobile_input: str = ""
    guardian_verified: bool = False
    verified_name: str = ""
    verified_birth_date: str = ""
    verified_sex: str = ""
    terms: list[str] = []
    fields: dict[str, str] = {}
    flags: dict[str, bool] = {}
    checked_login_id: str = ""
    social: dict[str, str] = {}

    @rx.var
    def is_child(self) -> bool:
        return self.kind == signup.KIND_CHILD

    def _apply(self, view: signup.DraftView | None) -> None:
        if view is None:
            self.loaded = False
            self.kind = self.progress = ""
            return
        self.kind = view.kind
        self.progress = view.progress
        self.guardian_name_input = view.guardian_name_input
        self.guardian_mobile_input = view.guardian_mobile_input
        self.guardian_verified = view.guardian_verified
        self.verified_name = view.verified_name
        birth = view.verified_birth_date
        self.verified_birth_date = f"{birth.year}년 {birth.month:02d}월 {birth.day:02d}일" if birth else ""
        self.verified_sex = _SEX_LABEL.get(view.verified_sex, "")
        self.terms = sorted(view.terms)
        self.fields = {key: view.fields.get(key, "") for key in signup.TEXT_FIELDS}
        self.flags = {key: view.flags.get(key, False) for key in signup.FLAG_FIELDS}
        self.checked_login_id = view.checked_login_id
        self.social = dict(view.social)
        self.loaded = True

    async def _enter(self, page_progress: str):
        """Load the draft for a wizard page; a page not reached yet sends the user back (no skipping)."""
        self.loaded = False
        session = await self.get_state(SessionState)
        if session.logged_in:
            return rx.redirect(routes.HOME)
        view = await asyncio.to_thread(signup.get_draft, self.draft_token)
        if view is None:
            self._apply(None)
            return rx.redirect(routes.SIGNUP)
        if page_progress == signup.PROGRESS_GUARDIAN and view.kind != signup.KIND_CHILD:
            return rx.redirect(PROGRESS_ROUTE[view.progress])
        if not signup.reached(view, page_progress):
            # STEP 03/04 without a completed verification: back to STEP 01; otherwise to the step reached.
            unverified = view.verified_birth_date is None
            if unverified and page_progress in (signup.PROGRESS_TERMS, signup.PROGRESS_INFO):
                return rx.redirect(routes.SIGNUP)
            return rx.redirect(PROGRESS_ROUTE[view.progress])
        self._apply(view)

    def _refresh(self) -> None:
        self._apply(signup.get_draft(self.draft_token))

    @rx.event
    async def cancel(self):
        """취소 (after the confirmation dialog): the draft is deleted."""
        await asyncio.to_thread(signup.discard_draft, self.draft_token)
        self.draft_token = ""
        self._apply(None)
        return rx.redirect(routes.HOME)
