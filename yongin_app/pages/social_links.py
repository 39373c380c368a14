"""SNS 계정 연동: link and unlink Kakao and Naver (the OAuth code flow, `state` checked once)."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from yongin_app import texts
from yongin_app.components.layout import page_shell
from yongin_app.components.reauth import reauth_form
from yongin_app.domain.enums import OAuthProvider
from yongin_app.services import messages, social
from yongin_app.states.reauth import ReauthState

PROVIDERS = (("kakao", "카카오"), ("naver", "네이버"))
_NAMES = dict(PROVIDERS)
_ERRORS = {"taken": messages.SOCIAL_ALREADY_LINKED, "member": messages.SOCIAL_MEMBER_ALREADY_LINKED,
           "failed": messages.SOCIAL_LINK_FAILED, "reauth": messages.SOCIAL_LINK_REAUTH_REQUIRED}


class SocialLinksState(ReauthState, rx.State):
    """Linking adds a way to log in, so the page asks for the current password first, as 정보수정 does
    (the services check the re-check again when the link starts and when it completes)."""

    loaded: bool = False
    linked: dict[str, str] = {}
    notice: str = ""
    error: str = ""

    async def _reload(self, member_id: int) -> None:
        links = await asyncio.to_thread(social.linked_providers, member_id)
        self.linked = {provider: linked_at.strftime("%Y.%m.%d") for provider, linked_at in links.items()}

    async def _after_reauth(self, caller: tuple[int, str]) -> None:
        self.error = ""
        await self._reload(caller[0])

    @rx.event
    async def load(self):
        self.loaded = False
        self.linked, self.reauth_error = {}, ""
        caller = await self._caller()
        if caller is None:
            self.verified = False
            return
        params = self.router.url.query_parameters
        linked = params.get("linked", "")
        self.notice = texts.SOCIAL_LINK_DONE.format(provider=_NAMES[linked]) if linked in _NAMES else ""
        self.error = _ERRORS.get(params.get("social_error", ""), "")
        if await self._fresh(caller):
            await self._reload(caller[0])
        self.loaded = True

    @rx.event
    async def link(self, provider: str):
        if not isinstance(provider, str) or provider not in _NAMES:
            return
        caller = await self._caller()
        if caller is None:
            return
        url = await asyncio.to_thread(social.begin_account_link, caller[0], caller[1], OAuthProvider(provider))
        if url is None:  # the re-check ran out: ask for the password again
            self.verified, self.linked, self.notice = False, {}, ""
            self.error = messages.SOCIAL_LINK_REAUTH_REQUIRED
            return
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    async def unlink(self, provider: str):
        if not isinstance(provider, str) or provider not in _NAMES:
            return
        caller = await self._caller()
        if caller is None or not await self._fresh(caller):  # the page shows 해제 only after the re-check
            return
        await asyncio.to_thread(social.unlink_from_member, caller[0], OAuthProvider(provider))
        await self._reload(caller[0])
        self.error = ""
        self.notice = texts.SOCIAL_UNLINK_DONE.format(provider=_NAMES[provider])


def _provider_row(provider: str, name: str) -> rx.Component:
    return rx.el.li(
        rx.el.span(name, class_name="social-name"),
        rx.cond(
            SocialLinksState.linked.contains(provider),
            rx.fragment(
                rx.el.span(texts.SOCIAL_LINKED_SINCE, " ", SocialLinksState.linked[provider], class_name="social-linked"),
                rx.el.button(texts.SOCIAL_UNLINK, type="button", on_click=SocialLinksState.unlink(provider),
                             aria_label=f"{name} {texts.SOCIAL_UNLINK}", class_name="btn btn-secondary"),
            ),
            rx.el.button(f"{name} {texts.SOCIAL_LINK}", type="button", on_click=SocialLinksState.link(provider),
                         class_name=f"btn btn-social btn-{provider}"),
        ),
        class_name="social-row",
    )


def social_links_page() -> rx.Component:
    return page_shell(
        rx.el.h1(texts.MENU_SOCIAL_LINKS, class_name="page-title"),
        rx.cond(
            SocialLinksState.loaded,
            rx.cond(
                SocialLinksState.verified,
                rx.el.section(
                    rx.el.p(texts.SOCIAL_LINKS_INTRO, class_name="page-intro"),
                    rx.el.p(SocialLinksState.notice, role="status", class_name="notice success"),
                    rx.el.p(SocialLinksState.error, role="alert", class_name="field-error"),
                    rx.el.ul(*[_provider_row(*p) for p in PROVIDERS], class_name="social-list"),
                    class_name="card-panel",
                ),
                rx.fragment(
                    rx.el.p(SocialLinksState.error, role="alert", class_name="field-error"),
                    reauth_form(SocialLinksState, texts.SOCIAL_LINKS_REAUTH),
                ),
            ),
            rx.el.p(texts.LOADING, role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
