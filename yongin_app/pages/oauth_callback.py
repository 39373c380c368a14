"""Where Kakao and Naver send the browser back (/oauth/{provider}/callback): finish the code flow,
then continue where the member started (signup STEP 04, or login)."""

from __future__ import annotations

import asyncio
import hmac

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.layout import page_shell
from yongin_app.domain.enums import OAuthProvider
from yongin_app.pages.login import LoginState
from yongin_app.pages.signup.state import SignupState
from yongin_app.services import messages, signup, social
from yongin_app.states.session import SessionState


class OAuthCallbackState(rx.State):
    message: str = ""

    @rx.event
    async def finish(self):
        self.message = ""
        path = self.router.url.path or ""
        provider = next((p for p in OAuthProvider if f"/oauth/{p.value}/" in path), None)
        params = self.router.url.query_parameters
        state = params.get("state", "")
        if provider is None:
            self.message = texts.OAUTH_FAILED
            return

        login_state = await self.get_state(LoginState)
        # A login must come back to the tab that started it (no login CSRF).
        expected_login = login_state.oauth_login_state
        is_login = bool(expected_login) and hmac.compare_digest(expected_login, state)
        login_state.oauth_login_state = ""

        result = await asyncio.to_thread(
            social.complete_oauth, provider, params.get("code", ""), state, error=params.get("error")
        )
        if isinstance(result, social.OAuthFailure):
            return self._failed(result)

        if result.purpose == social.OAuthPurpose.LOGIN:
            if not is_login:
                self.message = texts.OAUTH_FAILED
                return
            session = await self.get_state(SessionState)
            outcome = await asyncio.to_thread(
                social.login_with_social, provider, result.provider_user_id,
                previous_token=session.session_token or None,
            )
            if not outcome.ok:
                return rx.redirect(f"{routes.LOGIN}?social={'locked' if outcome.locked else 'not_linked'}")
            await session._begin(outcome.token)
            return rx.redirect(routes.HOME)

        if result.purpose == social.OAuthPurpose.SIGNUP_LINK:
            draft = await self.get_state(SignupState)
            attached = await asyncio.to_thread(
                signup.attach_social, draft.draft_token, result.signup_draft_id, provider,
                result.provider_user_id, result.display_name,
            )
            if not attached.ok:
                reason = "taken" if attached.message == messages.SOCIAL_ALREADY_LINKED else "failed"
                return rx.redirect(f"{routes.SIGNUP_INFO}?social_error={reason}")
            return rx.redirect(routes.SIGNUP_INFO)

        if result.purpose == social.OAuthPurpose.ACCOUNT_LINK:
            session = await self.get_state(SessionState)
            member_id = await session._current_member_id()
            # Only the member who started the link may complete it.
            if member_id is None or member_id != result.member_id:
                self.message = texts.OAUTH_FAILED
                return
            problem = await asyncio.to_thread(social.link_account, member_id, session.session_token, provider,
                                              result.provider_user_id)
            if problem is None:
                return rx.redirect(f"{routes.SOCIAL_LINKS}?linked={provider.value}")
            reason = {messages.SOCIAL_ALREADY_LINKED: "taken", messages.SOCIAL_MEMBER_ALREADY_LINKED: "member",
                      messages.SOCIAL_LINK_REAUTH_REQUIRED: "reauth"}
            return rx.redirect(f"{routes.SOCIAL_LINKS}?social_error={reason.get(problem, 'failed')}")

        self.message = texts.OAUTH_FAILED

    def _failed(self, failure: social.OAuthFailure):
        denied = failure.reason == social.OAuthFailureReason.DENIED
        if failure.purpose == social.OAuthPurpose.SIGNUP_LINK:
            return rx.redirect(routes.SIGNUP_INFO if denied else f"{routes.SIGNUP_INFO}?social_error=failed")
        if failure.purpose == social.OAuthPurpose.LOGIN:
            return rx.redirect(routes.LOGIN if denied else f"{routes.LOGIN}?social=failed")
        if failure.purpose == social.OAuthPurpose.ACCOUNT_LINK:
            return rx.redirect(routes.SOCIAL_LINKS if denied else f"{routes.SOCIAL_LINKS}?social_error=failed")
        self.message = texts.OAUTH_FAILED


def oauth_callback_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.OAUTH_TITLE, class_name="page-title"),
        rx.el.section(
            rx.cond(
                OAuthCallbackState.message != "",
                rx.fragment(
                    rx.el.p(OAuthCallbackState.message, role="alert"),
                    rx.el.a(texts.BACK_HOME, href=routes.HOME, class_name="btn btn-secondary"),
                ),
                rx.el.p(texts.OAUTH_WORKING, role="status"),
            ),
            class_name="card-panel",
        ),
    )
