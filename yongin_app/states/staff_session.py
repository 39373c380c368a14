"""The staff console's session: its own cookie, re-checked against the database on every load and handler."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import routes
from yongin_app.domain import policy
from yongin_app.services import auth, staff
from yongin_app.settings import get_settings

STAFF_SESSION_COOKIE = "yongin_staff_session"


class StaffSessionState(rx.State):
    staff_token: str = rx.Cookie(
        "",
        name=STAFF_SESSION_COOKIE,
        # Only the console's pages read it (the tab state gets it from them on each connect).
        path=routes.STAFF_HOME,
        max_age=int(policy.SESSION_ABSOLUTE_LIFETIME.total_seconds()),
        same_site="strict",
        secure=get_settings().secure_cookies,
    )
    staff_name: str = ""
    is_admin: bool = False
    signed_in: bool = False

    async def _staff(self, *, admin: bool = False) -> staff.StaffIdentity | None:
        """The staff member of this tab's live staff session (and, if asked, an 관리자), or None."""
        identity = await asyncio.to_thread(staff.current_staff, self.staff_token)
        self.signed_in = identity is not None
        self.staff_name = identity.name if identity else ""
        self.is_admin = bool(identity and identity.is_admin)
        if identity is None or (admin and not identity.is_admin):
            return None
        return identity

    @rx.event
    async def require_staff(self):
        """on_load of staff pages: members and visitors are sent to the staff login."""
        if await self._staff() is None:
            return rx.redirect(routes.STAFF_LOGIN)

    @rx.event
    async def require_admin(self):
        if await self._staff(admin=True) is None:
            return rx.redirect(routes.STAFF_LOGIN if not self.signed_in else routes.STAFF_HOME)

    @rx.event
    async def sign_out(self):
        await asyncio.to_thread(auth.logout, self.staff_token)
        self.staff_token = ""
        self.signed_in, self.staff_name, self.is_admin = False, "", False
        return rx.redirect(routes.STAFF_LOGIN)
