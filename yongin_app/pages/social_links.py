"""SNS 계정 연동: link and unlink Kakao and Naver (the OAuth code flow, `state` checked once)."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from yongin_app import texts
from yongin_app.components.layout import page_shell
from yongin_app.domain.enums import OAuthProvider
from yongin_app.services import messages, social
from yongin_app.states.session import SessionState

PROVIDERS = (("kakao", "카카오"), ("naver", "네이버"))
_NAMES = dict(PROVIDERS)
_ERRORS = {"taken": messages.SOCIAL_ALREADY_LINKED, "member": messages.SOCIAL_MEMBER_ALREADY_LINKED,
           "failed": messages.SOCIAL_LINK_FAILED}


class SocialLinksState(rx.State):
    loaded: bool = False
    linked: dict[str, str] = {}
    notice: str = ""
    error: str = ""

    async def _member_id(self) -> int | None:
        session = await self.get_state(SessionState)
        return await session._current_member_id()

    async def _reload(self, member_id: int) -> None:
        links = await asyncio.to_thread(social.linked_providers, member_id)
        self.linked = {provider: linked_at.strftime("%Y.%m.%d") for provider, linked_at in links.items()}

    @rx.event
    async def load(self):
        self.loaded = False
        member_id = await self._member_id()
        if member_id is None:
            return
        await self._reload(member_id)
        params = self.router.url.query_parameters
        linked = params.get("linked", "")
        self.notice = texts.SOCIAL_LINK_DONE.format(provider=_NAMES[linked]) if linked in _NAMES else ""
        self.error = _ERRORS.get(params.get("social_error", ""), "")
        self.loaded = True

    @rx.event
    async def link(self, provider: str):
        member_id = await self._member_id()
        if member_id is None or provider not in _NAMES:
            return
        url = await asyncio.to_thread(social.begin_oauth, OAuthProvider(provider), social.OAuthPurpose.ACCOUNT_LINK,
                                      member_id=member_id)
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    async def unlink(self, provider: str):
        member_id = await self._member_id()
        if member_id is None or provider not in _NAMES:
            return
        await asyncio.to_thread(social.unlink_from_member, member_id, OAuthProvider(provider))
        await self._reload(member_id)
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
            rx.el.section(
                rx.el.p(texts.SOCIAL_LINKS_INTRO, class_name="page-intro"),
                rx.el.p(SocialLinksState.notice, role="status", class_name="notice success"),
                rx.el.p(SocialLinksState.error, role="alert", class_name="field-error"),
                rx.el.ul(*[_provider_row(*p) for p in PROVIDERS], class_name="social-list"),
                class_name="card-panel",
            ),
            rx.el.p(texts.LOADING, role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
