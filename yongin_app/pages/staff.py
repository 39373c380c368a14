"""The staff console: 직원 로그인, 회원 조회 with an access reason, member detail and desk actions,
the mobile card preview in phone frames, and (관리자) the audit log.

Every handler asks the staff service, which checks the role on the server with the tab's staff token.
"""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from yongin_app import routes
from yongin_app.components import dialog
from yongin_app.components.form import field_error, form, submit_button
from yongin_app.components.layout import sandbox_banner
from yongin_app.components.member_card import member_card
from yongin_app.domain.enums import Grade
from yongin_app.domain.validators import parse_id
from yongin_app.pages import staff_texts as texts
from yongin_app.services import messages, staff
from yongin_app.states.card import CardFields
from yongin_app.states.client import client_ip
from yongin_app.states.staff_session import StaffSessionState


def _label(value: object) -> str:
    """An enum's Korean value (일반, 정회원, 남…), or the text itself."""
    return str(getattr(value, "value", value))


def _detail_texts(detail: staff.MemberDetail) -> dict[str, str]:
    """The member detail as the page shows it (full data: only after an audited 열람)."""
    address = " ".join(part for part in (detail.postal_code, detail.road_address, detail.address_detail) if part)
    guardian = ""
    if detail.guardian is not None:
        guardian = detail.guardian.masked_name + ("" if detail.guardian.visit_confirmed else f" ({texts.GUARDIAN_PENDING})")
    return {
        "name": detail.name, "login_id": detail.login_id, "birth_date": detail.birth_date.isoformat(),
        "sex": _label(detail.sex), "member_type": _label(detail.member_type), "grade": _label(detail.grade),
        "mobile": detail.mobile or "", "email": detail.email or "", "address": address,
        "branch": detail.home_branch_name, "created_at": detail.created_at.strftime("%Y-%m-%d"),
        "card_number": detail.card_number or "",
        "multichild": detail.multichild_expires_on.isoformat() if detail.multichild_expires_on else "",
        "guardian": guardian,
    }


def _value(form_data: dict, key: str, limit: int = 100) -> str:
    return str((form_data if isinstance(form_data, dict) else {}).get(key, ""))[:limit]


class StaffLoginState(rx.State):
    error: str = ""

    @rx.event
    async def submit(self, form_data: dict):
        session = await self.get_state(StaffSessionState)
        result = await asyncio.to_thread(staff.login_staff, _value(form_data, "staff_login_id", 64),
                                         _value(form_data, "staff_password", 1024), client_ip=client_ip(self),
                                         previous_token=session.staff_token or None)
        if not result.ok:
            self.error = messages.login_throttled(result.throttled) if result.throttled else texts.LOGIN_FAILED
            return rx.set_value("staff_password", "")
        self.error = ""
        session.staff_token = result.token
        return rx.redirect(routes.STAFF_HOME)


class StaffConsoleState(rx.State):
    kind: str = "name"
    query: str = ""
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    message: str = ""
    reason_for: int = 0  # the member whose 열람 waits for a reason
    detail: dict[str, str] = {}
    detail_id: int = 0
    guardian_pending: bool = False
    is_associate: bool = False
    action_message: str = ""
    action_error: str = ""
    _reason: str = ""  # the access reason picked for the member being shown

    async def _token(self) -> str:
        return (await self.get_state(StaffSessionState)).staff_token

    @rx.event
    def clear(self):
        self.rows, self.total, self.page, self.message = [], 0, 1, ""
        self.reason_for, self.detail, self.detail_id = 0, {}, 0
        self.action_message = self.action_error = ""

    async def _search(self):
        try:
            result = await asyncio.to_thread(staff.search_members, await self._token(), self.kind, self.query,
                                             page=self.page)
        except staff.StaffAccessDenied:
            return rx.redirect(routes.STAFF_LOGIN)
        except staff.InvalidSearch as problem:
            self.rows, self.total, self.message = [], 0, str(problem)
            return None
        self.rows = [
            {"member_id": str(r.member_id), "login_id": r.masked_login_id, "name": r.masked_name,
             "mobile": r.masked_mobile or "", "birth_year": str(r.birth_year), "member_type": _label(r.member_type),
             "grade": _label(r.grade), "card_number": r.card_number or ""}
            for r in result.rows
        ]
        self.total = result.total
        self.message = "" if result.rows else texts.NO_RESULTS
        return None

    @rx.event
    async def search(self, form_data: dict):
        kind = _value(form_data, "search_kind", 20)
        self.kind = kind if kind in dict(texts.SEARCH_KINDS) else "name"
        self.query = _value(form_data, "search_query", 50).strip()
        self.page = 1
        self.detail, self.detail_id = {}, 0
        return await self._search()

    @rx.event
    async def turn_page(self, delta: int):
        step = 1 if isinstance(delta, int) and delta > 0 else -1  # any other value from a client goes back
        self.page = max(1, self.page + step)
        return await self._search()

    @rx.event
    def ask_reason(self, member_id: str):
        self.reason_for = parse_id(member_id) or 0  # not a row's ID (a crafted event): no dialog

    @rx.event
    def cancel_reason(self):
        self.reason_for = 0

    @rx.event
    async def open_member(self, form_data: dict):
        member_id, reason = self.reason_for, _value(form_data, "access_reason", 40)
        self.reason_for = 0
        if not member_id:
            return None
        return await self._open(member_id, reason)

    async def _open(self, member_id: int, reason: str):
        try:
            detail = await asyncio.to_thread(staff.open_member, await self._token(), member_id, reason)
        except staff.StaffAccessDenied:
            return rx.redirect(routes.STAFF_LOGIN)
        except staff.InvalidSearch as problem:
            self.message = str(problem)
            return None
        self._show(detail)
        self._reason = reason
        return rx.set_focus("member-detail")

    def _show(self, detail) -> None:
        self.detail_id = detail.member_id
        self.detail = _detail_texts(detail)
        self.guardian_pending = detail.guardian is not None and not detail.guardian.visit_confirmed
        self.is_associate = detail.grade == Grade.ASSOCIATE

    async def _act(self, action, *args) -> None:
        self.action_message = self.action_error = ""
        try:
            await asyncio.to_thread(action, await self._token(), self.detail_id, *args)
        except staff.StaffAccessDenied:
            self.action_error = texts.LOGIN_FAILED
            return
        except (ValueError, staff.StaffActionRefused) as problem:
            self.action_error = str(problem)
            return
        self.action_message = texts.DONE
        detail = await asyncio.to_thread(staff.open_member, await self._token(), self.detail_id, self._reason)
        self._show(detail)

    @rx.event
    async def confirm_guardian(self):
        await self._act(staff.confirm_guardian_visit)

    @rx.event
    async def convert(self, form_data: dict):
        await self._act(staff.convert_after_visit, _value(form_data, "document_type", 30),
                        _value(form_data, "visit_loan_password", 10))
        return rx.set_value("visit_loan_password", "")

    @rx.event
    async def reissue(self):
        await self._act(staff.reissue_card)


class StaffPreviewState(CardFields, rx.State):
    """회원증 미리보기 of the member in the URL, if this staff session opened that member with a reason
    (checked and audited by the service); otherwise why not, and the way back to 회원 조회."""

    refusal: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(StaffSessionState)
        member_id = parse_id(self.router.url.query_parameters.get("member", ""))
        self._show(None)  # nothing of an earlier member stays in this tab
        self.refusal = ""
        if member_id is None:
            self.refusal = texts.PREVIEW_BAD_MEMBER
            return None
        try:
            card = await asyncio.to_thread(staff.preview_card, session.staff_token, member_id)
        except staff.StaffAccessDenied:
            return rx.redirect(routes.STAFF_LOGIN)
        except staff.PreviewNotOpened as refused:
            self.refusal = str(refused)
            return None
        self._show(card)
        return None


class StaffAuditState(rx.State):
    rows: list[dict[str, str]] = []
    message: str = ""
    field_errors: dict[str, str] = {}  # per filter field, shown next to it

    @rx.event
    async def load(self):
        return await self.filter({})

    @rx.event
    async def filter(self, form_data: dict):
        """By member, actor, action and date (KST days, both included); newest first."""
        session = await self.get_state(StaffSessionState)
        member_id, actor_id, date_from, date_to = (
            _audit_filter(form_data, field) for field in ("audit_member", "audit_actor", "audit_from", "audit_to"))
        self.field_errors = {
            field: message
            for field, value, message in (
                ("audit_member", member_id, staff.MSG_NUMBER), ("audit_actor", actor_id, staff.MSG_NUMBER),
                ("audit_from", date_from, texts.AUDIT_DATE_INVALID), ("audit_to", date_to, texts.AUDIT_DATE_INVALID),
            )
            if value is _INVALID
        }
        if self.field_errors:
            self.rows, self.message = [], ""
            return None
        try:
            page = await asyncio.to_thread(
                staff.browse_audit, session.staff_token,
                member_id=member_id,
                actor_id=actor_id,
                action=_value(form_data, "audit_action", 50).strip() or None,
                date_from=date_from,
                date_to=date_to,
            )
        except staff.StaffAccessDenied:
            return rx.redirect(routes.STAFF_LOGIN)
        except staff.InvalidSearch as problem:
            self.message = str(problem)
            return None
        self.message = ""
        self.rows = [
            {"at": r.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), "actor": r.actor_type, "actor_id": str(r.actor_id or ""),
             "action": r.action, "target": str(r.target_member_id or ""), "outcome": r.outcome, "detail": r.detail or ""}
            for r in page.rows
        ]
        return None


_INVALID = object()  # a filter field holding something that is not its kind of value


def _audit_filter(form_data: dict, field: str) -> int | date | None | object:
    """A filter field's value: None when left blank, _INVALID when it cannot be used."""
    raw = _value(form_data, field).strip()
    if not raw:
        return None
    if field in ("audit_from", "audit_to"):
        return _date(raw) or _INVALID
    number = parse_id(raw)
    return _INVALID if number is None else number


def _date(raw: str) -> date | None:
    """A YYYY-MM-DD day (what a date input sends), or None."""
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


# ---------------------------------------------------------------- drawing


def _staff_shell(*children: rx.Component) -> rx.Component:
    return rx.el.div(
        rx.el.a("본문 바로가기", href="#main", class_name="skip-link"),
        rx.el.header(
            rx.el.div(
                rx.el.a(texts.TITLE, href=routes.STAFF_HOME, class_name="site-name"),
                rx.cond(
                    StaffSessionState.signed_in,
                    rx.el.nav(
                        rx.el.a(texts.NAV_SEARCH, href=routes.STAFF_HOME, class_name="nav-link"),
                        rx.cond(StaffSessionState.is_admin,
                                rx.el.a(texts.NAV_AUDIT, href=routes.STAFF_AUDIT, class_name="nav-link"),
                                rx.fragment()),
                        rx.el.span(texts.SIGNED_IN_AS, " ", StaffSessionState.staff_name, class_name="nav-link"),
                        rx.el.button(texts.SIGN_OUT, type="button", on_click=StaffSessionState.sign_out,
                                     class_name="nav-link nav-button"),
                        aria_label="직원 메뉴",
                        class_name="site-nav",
                    ),
                    rx.fragment(),
                ),
                class_name="header-inner",
            ),
            class_name="site-header",
        ),
        sandbox_banner(),
        rx.el.main(*children, id="main", class_name="site-main staff-main", tab_index=-1),
        class_name="app",
    )


def staff_login_page() -> rx.Component:
    return _staff_shell(
        rx.el.section(
            rx.el.h1(texts.LOGIN_TITLE, class_name="page-title"),
            rx.el.p(texts.LOGIN_INTRO, class_name="page-intro"),
            form(
                rx.el.div(
                    rx.el.label(texts.LOGIN_ID, html_for="staff_login_id", class_name="field-label"),
                    rx.el.input(id="staff_login_id", name="staff_login_id", auto_complete="username",
                                auto_capitalize="none", class_name="field-input", aria_describedby="staff-login-error"),
                    class_name="field",
                ),
                rx.el.div(
                    rx.el.label(texts.PASSWORD, html_for="staff_password", class_name="field-label"),
                    rx.el.input(id="staff_password", name="staff_password", type="password",
                                auto_complete="current-password", class_name="field-input",
                                aria_describedby="staff-login-error"),
                    class_name="field",
                ),
                field_error("staff-login-error", StaffLoginState.error),
                submit_button(texts.LOGIN, class_name="btn btn-primary btn-block"),
                on_submit=StaffLoginState.submit,
                reset_on_submit=False,
            ),
            class_name="card-panel narrow",
        )
    )


def _search_form() -> rx.Component:
    return form(
        rx.el.div(
            rx.el.div(
                rx.el.label(texts.SEARCH_KIND, html_for="search_kind", class_name="field-label"),
                rx.el.select(*[rx.el.option(label, value=key) for key, label in texts.SEARCH_KINDS],
                             id="search_kind", name="search_kind", default_value="name", class_name="field-input"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label(texts.SEARCH_QUERY, html_for="search_query", class_name="field-label"),
                rx.el.input(id="search_query", name="search_query", type="search", max_length=50,
                            class_name="field-input", aria_describedby="search-message"),
                class_name="field",
            ),
            submit_button(texts.SEARCH, class_name="btn btn-primary"),
            class_name="staff-search-row",
        ),
        field_error("search-message", StaffConsoleState.message),
        on_submit=StaffConsoleState.search,
        reset_on_submit=False,
        role="search",
    )


def _results() -> rx.Component:
    return rx.cond(
        StaffConsoleState.rows.length() > 0,
        rx.el.section(
            rx.el.h2(texts.RESULTS, " (", StaffConsoleState.total, ")", class_name="subsection-title"),
            rx.el.div(
                rx.el.table(
                    rx.el.thead(rx.el.tr(*[rx.el.th(c, scope="col") for c in texts.COLUMNS])),
                    rx.el.tbody(
                        rx.foreach(
                            StaffConsoleState.rows,
                            lambda row: rx.el.tr(
                                rx.el.td(row["login_id"]), rx.el.td(row["name"]), rx.el.td(row["mobile"]),
                                rx.el.td(row["birth_year"]), rx.el.td(row["member_type"]), rx.el.td(row["grade"]),
                                rx.el.td(row["card_number"]),
                                rx.el.td(rx.el.button(texts.OPEN, type="button", class_name="btn btn-secondary",
                                                      aria_label=texts.OPEN + " " + row["name"].to(str),
                                                      on_click=StaffConsoleState.ask_reason(row["member_id"]))),
                            ),
                        )
                    ),
                    class_name="data-table",
                ),
                class_name="table-scroll",
            ),
            rx.el.div(
                rx.el.button(texts.PREVIOUS, type="button", on_click=StaffConsoleState.turn_page(-1),
                             disabled=StaffConsoleState.page <= 1, class_name="btn btn-ghost"),
                rx.el.span(StaffConsoleState.page, texts.PAGE),
                rx.el.button(texts.NEXT, type="button", on_click=StaffConsoleState.turn_page(1),
                             disabled=StaffConsoleState.page * 20 >= StaffConsoleState.total, class_name="btn btn-ghost"),
                class_name="button-row",
            ),
            class_name="card-panel",
        ),
        rx.fragment(),
    )


def _reason_dialog() -> rx.Component:
    return dialog.root(
        dialog.content(
            dialog.title(texts.REASON_TITLE),
            dialog.description(texts.REASON_INTRO, class_name="field-help"),
            form(
                rx.el.label(texts.REASON, html_for="access_reason", class_name="field-label"),
                rx.el.select(*[rx.el.option(reason, value=reason) for reason in staff.ACCESS_REASONS],
                             id="access_reason", name="access_reason", class_name="field-input"),
                rx.el.div(
                    rx.el.button(texts.CANCEL, type="button", on_click=StaffConsoleState.cancel_reason,
                                 class_name="btn btn-secondary"),
                    submit_button(texts.CONFIRM, class_name="btn btn-primary"),
                    class_name="button-row dialog-buttons",
                ),
                on_submit=StaffConsoleState.open_member,
                reset_on_submit=False,
            ),
        ),
        open=StaffConsoleState.reason_for > 0,
        on_open_change=lambda _open: StaffConsoleState.cancel_reason(),
    )


def _detail() -> rx.Component:
    return rx.cond(
        StaffConsoleState.detail_id > 0,
        rx.el.section(
            rx.el.h2(texts.DETAIL_TITLE, id="member-detail", tab_index=-1, class_name="subsection-title"),
            rx.el.dl(
                *[rx.fragment(rx.el.dt(label), rx.el.dd(StaffConsoleState.detail[key])) for key, label in texts.FIELDS],
                class_name="summary-list",
            ),
            rx.el.p(StaffConsoleState.action_message, role="status", class_name="notice success"),
            field_error("action-error", StaffConsoleState.action_error),
            rx.el.div(
                rx.cond(StaffConsoleState.guardian_pending,
                        rx.el.button(texts.GUARDIAN_CONFIRM, type="button", on_click=StaffConsoleState.confirm_guardian,
                                     class_name="btn btn-primary"),
                        rx.fragment()),
                rx.cond(StaffConsoleState.detail["card_number"] != "",
                        rx.fragment(
                            rx.el.button(texts.REISSUE, type="button", on_click=StaffConsoleState.reissue,
                                         class_name="btn btn-secondary"),
                            rx.el.a(texts.PREVIEW, href=routes.STAFF_PREVIEW + "?member=" + StaffConsoleState.detail_id.to(str),
                                    class_name="btn btn-secondary"),
                        ),
                        rx.fragment()),
                class_name="button-row",
            ),
            rx.cond(
                StaffConsoleState.is_associate,
                form(
                    rx.el.h3(texts.CONVERT_TITLE, class_name="terms-heading"),
                    rx.el.label(texts.DOCUMENT, html_for="document_type", class_name="field-label"),
                    rx.el.select(*[rx.el.option(d, value=d) for d in staff.VISIT_DOCUMENTS], id="document_type",
                                 name="document_type", class_name="field-input"),
                    rx.el.label(texts.LOAN_PASSWORD, html_for="visit_loan_password", class_name="field-label"),
                    rx.el.input(id="visit_loan_password", name="visit_loan_password", type="password",
                                input_mode="numeric", pattern="[0-9]*", max_length=4, auto_complete="off",
                                class_name="field-input"),
                    submit_button(texts.CONVERT, class_name="btn btn-primary"),
                    on_submit=StaffConsoleState.convert,
                    reset_on_submit=False,
                    class_name="staff-convert",
                ),
                rx.fragment(),
            ),
            class_name="card-panel",
        ),
        rx.fragment(),
    )


def staff_home_page() -> rx.Component:
    return _staff_shell(
        rx.el.h1(texts.SEARCH_TITLE, class_name="page-title"),
        rx.el.section(_search_form(), class_name="card-panel"),
        _results(),
        _reason_dialog(),
        _detail(),
    )


def _frame(width: int, dark: bool) -> rx.Component:
    mode = texts.DARK if dark else texts.LIGHT
    return rx.el.figure(
        rx.el.figcaption(texts.PREVIEW_FRAME.format(width=width, mode=mode)),
        rx.el.div(
            member_card(
                name=StaffPreviewState.name,
                card_number=StaffPreviewState.card_number,
                branch_name=StaffPreviewState.branch_name,
                loan_limit_text=StaffPreviewState.loan_limit_text,
                barcode_uri=StaffPreviewState.barcode_uri,
            ),
            class_name="phone-frame dark" if dark else "phone-frame",
            style={"width": f"{width}px"},
        ),
        class_name="preview-figure",
    )


def staff_preview_page() -> rx.Component:
    return _staff_shell(
        rx.el.h1(texts.PREVIEW_TITLE, class_name="page-title"),
        rx.el.p(texts.PREVIEW_INTRO, class_name="page-intro"),
        rx.cond(
            StaffPreviewState.refusal != "",
            rx.el.div(
                rx.el.p(StaffPreviewState.refusal, role="alert", class_name="notice"),
                rx.el.a(texts.BACK_TO_SEARCH, href=routes.STAFF_HOME, class_name="btn btn-secondary"),
                class_name="card-panel",
            ),
            rx.cond(
                StaffPreviewState.has_card,
                rx.fragment(
                    rx.el.button(texts.PRINT, type="button", on_click=rx.call_script("window.print()"),
                                 class_name="btn btn-secondary no-print"),
                    rx.el.div(*[_frame(w, d) for d in (False, True) for w in (360, 390, 430)],
                              class_name="preview-grid"),
                ),
                rx.el.p(texts.NO_CARD, class_name="notice"),
            ),
        ),
    )


def staff_audit_page() -> rx.Component:
    return _staff_shell(
        rx.el.h1(texts.AUDIT_TITLE, class_name="page-title"),
        form(
            *[
                rx.el.div(
                    rx.el.label(label, html_for=field, class_name="field-label"),
                    rx.el.input(id=field, name=field, type=kind, class_name="field-input",
                                aria_describedby=f"{field}-error",
                                aria_invalid=rx.cond(StaffAuditState.field_errors.contains(field), "true", "false"),
                                **({"input_mode": "numeric"} if kind == "text" and field != "audit_action" else {})),
                    field_error(f"{field}-error", StaffAuditState.field_errors.get(field, "")),
                    class_name="field",
                )
                for field, label, kind in texts.AUDIT_FILTERS
            ],
            submit_button(texts.SEARCH, class_name="btn btn-primary"),
            field_error("audit-message", StaffAuditState.message),
            on_submit=StaffAuditState.filter,
            reset_on_submit=False,
            role="search",
            class_name="card-panel audit-filters",
        ),
        rx.el.div(
            rx.el.table(
                rx.el.thead(rx.el.tr(*[rx.el.th(c, scope="col") for c in texts.AUDIT_COLUMNS])),
                rx.el.tbody(rx.foreach(
                    StaffAuditState.rows,
                    lambda r: rx.el.tr(rx.el.td(r["at"]), rx.el.td(r["actor"]), rx.el.td(r["actor_id"]),
                                       rx.el.td(r["action"]), rx.el.td(r["target"]), rx.el.td(r["outcome"]),
                                       rx.el.td(r["detail"])),
                )),
                class_name="data-table",
            ),
            class_name="table-scroll card-panel",
            tab_index=0,
            role="region",
            aria_label=texts.AUDIT_TITLE,
        ),
    )
