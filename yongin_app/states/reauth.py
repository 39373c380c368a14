"""The 10-minute password re-check (정보수정, SNS 계정 연동) as a mixin: the page's state asks for the
current password first and shows its protected content only while this session's re-check is fresh.

The check itself lives in services/account.py (AuthSession.reauthenticated_at); the services that act
on the result (update_profile, the SNS link) check it again themselves.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app.services import account, messages
from yongin_app.states.session import SessionState


class ReauthState(rx.State, mixin=True):
    verified: bool = False
    reauth_error: str = ""

    async def _caller(self) -> tuple[int, str] | None:
        """The member of this tab's live session and its token, or None."""
        session = await self.get_state(SessionState)
        member_id = await session._current_member_id()
        return (member_id, session.session_token) if member_id is not None else None

    async def _fresh(self, caller: tuple[int, str]) -> bool:
        """Whether this session's re-check is fresh now (sets verified)."""
        self.verified = await asyncio.to_thread(account.reauthenticated, *caller)
        return self.verified

    async def _after_reauth(self, caller: tuple[int, str]) -> None:
        """Load what the re-check protects (the page decides what)."""

    @rx.event
    async def check_password(self, form_data: dict):
        caller = await self._caller()
        if caller is None:
            return
        password = str((form_data if isinstance(form_data, dict) else {}).get("current_password", ""))[:1024]
        self.verified = await asyncio.to_thread(account.reauthenticate, caller[0], caller[1], password)
        self.reauth_error = "" if self.verified else messages.REAUTH_FAILED
        if not self.verified:
            return [rx.set_value("current_password", ""), rx.set_focus("current_password")]
        await self._after_reauth(caller)
