"""The login session of this browser tab, re-checked against the database on every page load."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from yongin_app import routes
from yongin_app.clock import utcnow
from yongin_app.domain import policy
from yongin_app.domain.enums import Grade
from yongin_app.services import auth
from yongin_app.services.members import MemberSummary, member_summary
from yongin_app.settings import get_settings

SESSION_COOKIE = "yongin_session"


def _member_session(token: str, *, touch: bool = True,
                    extend: bool = False) -> tuple[auth.ActiveSession, MemberSummary] | None:
    """The live member session of this token (extended first for 연장) and its member, in one call.
    Blocking database work: the states run it in a worker thread (asyncio.to_thread), never on the
    event loop."""
    active = auth.extend_session(token) if extend else auth.resolve_session(token, touch=touch)
    if active is None or not active.member_id:
        return None
    summary = member_summary(active.member_id)
    return None if summary is None else (active, summary)


class SessionState(rx.State):
    # The browser's copy of the random session token (the database keeps only its hash).
    session_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        path="/",
        max_age=int(policy.SESSION_ABSOLUTE_LIFETIME.total_seconds()),
        same_site="strict",
        secure=get_settings().secure_cookies,
    )
    logged_in: bool = False
    member_name: str = ""
    member_login_id: str = ""
    is_associate: bool = False
    is_full_member: bool = False
    guardian_visit_pending: bool = False
    card_number: str = ""
    # For the idle warning script: seconds left, and a stamp that changes whenever they are refreshed.
    idle_seconds_left: int = 0
    idle_stamp: int = 0

    def _clear(self) -> None:
        self.logged_in = False
        self.member_name = ""
        self.member_login_id = ""
        self.is_associate = False
        self.is_full_member = False
        self.guardian_visit_pending = False
        self.card_number = ""
        self.idle_seconds_left = 0

    def _forget(self) -> None:
        """After the server ended the session: empty the browser's cookie too. (Not rx.remove_cookie,
        which makes the page run its load events again while it is being left.)"""
        self.session_token = ""
        self._clear()

    def _show(self, found: tuple[auth.ActiveSession, MemberSummary] | None) -> bool:
        """Shows the member of ``found`` (from _member_session), or nobody; True if a member is shown."""
        if found is None:
            self._clear()
            return False
        active, summary = found
        self.logged_in = True
        self.member_name = summary.name
        self.member_login_id = summary.login_id
        self.is_associate = summary.grade == Grade.ASSOCIATE
        self.is_full_member = summary.grade == Grade.FULL
        self.guardian_visit_pending = summary.guardian_visit_pending
        self.card_number = summary.card_number or ""
        now = utcnow()
        self.idle_seconds_left = max(0, int((active.idle_expires_at - now).total_seconds()))
        self.idle_stamp = int(now.timestamp() * 1000)
        return True

    async def _current_member_id(self) -> int | None:
        """For other states: the member of this tab's live session, checked in the database now."""
        active = await asyncio.to_thread(auth.resolve_session, self.session_token)
        if active is None or active.member_id is None:
            self._clear()
            return None
        return active.member_id

    async def _begin(self, token: str) -> None:
        """After a login: keep the new session's token and show its member (database work off the loop)."""
        self.session_token = token
        self._show(await asyncio.to_thread(_member_session, token, touch=False))

    async def _reload(self) -> bool:
        """Shows who is logged in now (database work off the loop); True if a member is."""
        return self._show(await asyncio.to_thread(_member_session, self.session_token))

    @rx.event
    async def refresh(self):
        """on_load of every page: show who is logged in (or nobody)."""
        await self._reload()

    @rx.event
    async def require_member(self):
        """on_load of member pages: send a visitor to login, and back here afterwards."""
        if not await self._reload():
            here = self.router.url.path or routes.HOME
            return rx.redirect(f"{routes.LOGIN}?next={quote(here, safe='/')}")

    @rx.event
    async def extend(self):
        """연장 in the idle warning."""
        if not self._show(await asyncio.to_thread(_member_session, self.session_token, extend=True)):
            return rx.redirect(f"{routes.LOGIN}?reason=expired")

    @rx.event
    async def end_idle_session(self):
        """The browser's idle timer ran out: forget the session, without leaving the login page, once
        the server sees it idle-expired too. A live one stays (any site can link to the login page)."""
        if not self.session_token:
            return
        if await asyncio.to_thread(auth.resolve_session, self.session_token, touch=False) is None:
            self._forget()

    @rx.event
    async def logout(self):
        await asyncio.to_thread(auth.logout, self.session_token)
        self._forget()
        return rx.redirect(f"{routes.LOGIN}?reason=logout")

