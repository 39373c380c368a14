"""다자녀가정회원전환신청: the application page (본인신청 / 자녀신청) and the 자녀정보 확인 page.

The resident number travels only as an argument of the click event and is emptied after every
attempt; the children's birth dates stay on the server (the page gets only what it shows).
"""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from yongin_app import routes
from yongin_app.components.eligibility_consent import eligibility_consent, rrn_back_field
from yongin_app.components.form import form, submit_button
from yongin_app.components.layout import page_shell
from yongin_app.pages import membership_texts, multichild_texts as texts
from yongin_app.services import messages, multichild
from yongin_app.states.session import SessionState

_NO_ERRORS = {"consent": "", "rrn_back": ""}
_CONSENT_VALUE = rx.Var("document.getElementById('consent')?.checked ?? false")
_RRN_VALUE = rx.Var("document.getElementById('rrn_back')?.value ?? ''")


def _long_date(day: date) -> str:
    return f"{day.year}년 {day.month:02d}월 {day.day:02d}일"


def _converted_rows(converted: tuple[multichild.Converted, ...]) -> list[dict[str, str]]:
    return [{"login_id": c.login_id, "name": c.name, "expiry": c.expires_on.strftime("%Y.%m.%d")} for c in converted]


class _MemberPage(rx.State):
    async def _member_id(self) -> int | None:
        session = await self.get_state(SessionState)
        return await session._current_member_id()


class MultichildState(_MemberPage):
    loaded: bool = False
    entry: str = ""
    name: str = ""
    rrn_front: str = ""
    errors: dict[str, str] = dict(_NO_ERRORS)
    message: str = ""
    submitting: bool = False
    done_title: str = ""
    done_limit: str = ""
    converted: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        self.loaded = False
        self.errors, self.message, self.submitting = dict(_NO_ERRORS), "", False
        self.done_title, self.done_limit, self.converted = "", "", []
        member_id = await self._member_id()
        if member_id is None:
            return
        person = await asyncio.to_thread(multichild.applicant, member_id)
        self.entry, self.name, self.rrn_front = person.entry.value, person.name, person.rrn_front
        self.loaded = True

    @rx.event
    async def apply(self, kind: str, consent: bool, rrn_back: str):
        """본인신청 or 자녀신청: one eligibility check with the number typed on the page."""
        if self.submitting or kind not in ("self", "children"):
            return
        member_id = await self._member_id()
        if member_id is None:
            yield rx.redirect(f"{routes.LOGIN}?next={routes.MULTICHILD_APPLY}")
            return
        self.submitting, self.message = True, ""
        yield
        service = multichild.apply_self if kind == "self" else multichild.start_children
        result = await asyncio.to_thread(service, member_id, consent=consent is True, rrn_back=str(rrn_back)[:20])
        self.submitting = False
        self.errors = {**_NO_ERRORS, **{k: v for k, v in result.errors.items() if k in _NO_ERRORS}}
        clear_number = rx.set_value("rrn_back", "")
        if not result.ok:
            self.message = result.message if not result.errors else ""
            yield [clear_number, rx.set_focus("multichild-message" if self.message else "rrn_back")]
            return
        if result.application_ready:
            yield [clear_number, rx.redirect(routes.MULTICHILD_CHILDREN)]
            return
        self.done_title = texts.SELF_DONE_TITLE
        self.done_limit = texts.DONE_LIMIT.format(expiry=_long_date(result.converted[0].expires_on))
        self.converted = _converted_rows(result.converted)
        yield [clear_number, rx.set_focus("multichild-done")]


class ChildrenState(_MemberPage):
    loaded: bool = False
    has_application: bool = False
    rows: list[dict[str, str]] = []
    row_messages: dict[str, str] = {}
    page_message: str = ""
    submitting: bool = False
    done_title: str = ""
    done_limit: str = ""
    converted: list[dict[str, str]] = []

    @rx.var
    def can_submit(self) -> bool:
        return bool(self.rows) and all(row["verified"] == "yes" for row in self.rows)

    def _show(self, rows: tuple[multichild.ChildRow, ...] | None) -> None:
        self.has_application = rows is not None
        self.rows = [
            {"row_id": r.row_id, "label": f"{texts.CHILD}{r.number}", "birth": r.birth_date.strftime("%Y.%m.%d"),
             "verified": "yes" if r.verified else "no", "login_id": r.login_id, "name": r.name}
            for r in rows or ()
        ]
        # Messages only for rows that are still there: the update stays as small as the page.
        shown = {row["row_id"] for row in self.rows}
        self.row_messages = {k: v for k, v in self.row_messages.items() if k in shown}

    def _known_row(self, row_id: object) -> str | None:
        """The row ID if it is one of the rows this page shows; None for anything a client made up."""
        if not multichild.valid_row_id(row_id):
            return None
        return row_id if any(row["row_id"] == row_id for row in self.rows) else None

    @rx.event
    async def load(self):
        self.loaded = False
        self.row_messages, self.page_message, self.submitting = {}, "", False
        self.done_title, self.done_limit, self.converted = "", "", []
        member_id = await self._member_id()
        if member_id is None:
            return
        self._show(await asyncio.to_thread(multichild.child_rows, member_id))
        self.loaded = True

    @rx.event
    async def verify(self, form_data: dict):
        """자격확인 of one row (its own small form: row ID, 아이디, 이름)."""
        form = form_data if isinstance(form_data, dict) else {}
        row_id = self._known_row(form.get("row_id"))
        if row_id is None:
            return
        member_id = await self._member_id()
        if member_id is None:
            return
        result = await asyncio.to_thread(multichild.verify_row, member_id, row_id, str(form.get("login_id", "")),
                                         str(form.get("name", "")))
        if result.rows or result.ok:
            self._show(result.rows)
        else:
            self.page_message = result.message
        if self._known_row(row_id) is not None:
            self.row_messages = {**self.row_messages, row_id: "" if result.ok else result.message}

    @rx.event
    async def delete(self, row_id: str):
        row_id = self._known_row(row_id)
        if row_id is None:
            return
        member_id = await self._member_id()
        if member_id is None:
            return
        result = await asyncio.to_thread(multichild.delete_row, member_id, row_id)
        if result.ok:
            self._show(result.rows)
        else:
            self.page_message = result.message

    @rx.event
    async def submit(self):
        """자녀신청확인: the server checks every row again and converts all of them, or none."""
        if self.submitting:
            return
        member_id = await self._member_id()
        if member_id is None:
            return
        self.submitting = True
        yield
        result = await asyncio.to_thread(multichild.submit_children, member_id)
        self.submitting = False
        if not result.ok:
            self.page_message = result.message
            yield rx.set_focus("children-message")
            return
        self.done_title = texts.CHILDREN_DONE_TITLE
        self.done_limit = texts.DONE_LIMIT.format(expiry=_long_date(result.converted[0].expires_on))
        self.converted = _converted_rows(result.converted)
        self.rows = []
        yield rx.set_focus("multichild-done")


# ---------------------------------------------------------------- drawing


def _done(title: rx.Var[str], limit: rx.Var[str], converted: rx.Var[list[dict[str, str]]]) -> rx.Component:
    return rx.el.section(
        rx.el.h2(title, id="multichild-done", tab_index=-1, class_name="subsection-title"),
        rx.el.p(limit, role="status", class_name="notice success"),
        rx.el.ol(
            rx.foreach(
                converted,
                lambda row: rx.el.li(
                    rx.el.span(texts.ROW_ID, " : ", row["login_id"]), " ",
                    rx.el.span(texts.ROW_NAME, " : ", row["name"]), " ",
                    rx.el.span(texts.ROW_EXPIRY, " : ", row["expiry"]),
                    class_name="converted-row",
                ),
            ),
            class_name="converted-list",
        ),
        rx.el.a(texts.OK, href=routes.HOME, class_name="btn btn-primary"),
        class_name="card-panel",
    )


def _guide() -> rx.Component:
    return rx.el.section(
        rx.el.h2(texts.GUIDE_TITLE, class_name="subsection-title"),
        rx.el.p(texts.GUIDE_BODY),
        rx.el.ul(*[rx.el.li(rx.el.strong(label), " : ", body) for label, body in texts.GUIDE_ITEMS],
                 rx.el.li(texts.PARENT_ONLY_NOTE), class_name="notice-list"),
        class_name="card-panel",
    )


def _consent() -> rx.Component:
    return eligibility_consent(legal_basis=texts.LEGAL_BASIS, table_row=texts.TABLE_ROW,
                               refusal_note=texts.CONSENT_REFUSAL_NOTE, error=MultichildState.errors["consent"])


def _member_info() -> rx.Component:
    return rx.el.section(
        rx.el.h2(membership_texts.MEMBER_INFO_TITLE, class_name="subsection-title"),
        rx.el.dl(rx.el.dt(membership_texts.NAME), rx.el.dd(MultichildState.name), class_name="summary-list"),
        rrn_back_field(front=MultichildState.rrn_front, error=MultichildState.errors["rrn_back"]),
        class_name="card-panel",
    )


def _apply_button(label: str, kind: str) -> rx.Component:
    return rx.el.button(
        rx.cond(MultichildState.submitting, texts.CHECKING, label),
        type="button",
        disabled=MultichildState.submitting,
        on_click=MultichildState.apply(kind, _CONSENT_VALUE, _RRN_VALUE),
        class_name="btn btn-primary",
    )


def _application() -> rx.Component:
    return rx.fragment(
        _guide(),
        _consent(),
        _member_info(),
        rx.el.p(MultichildState.message, id="multichild-message", role="alert", tab_index=-1,
                class_name="error-summary page-message"),
        rx.el.p(texts.CONDITION_NOTE, class_name="field-help"),
        rx.el.div(
            rx.el.a(texts.CANCEL, href=routes.HOME, class_name="btn btn-secondary"),
            _apply_button(texts.APPLY_SELF, "self"),
            _apply_button(texts.APPLY_CHILDREN, "children"),
            class_name="button-row",
        ),
    )


def _not_allowed() -> rx.Component:
    return rx.el.section(
        rx.cond(
            MultichildState.entry == multichild.Entry.PARENT_ONLY.value,
            rx.el.p(messages.MULTICHILD_PARENT_ONLY, role="alert"),
            rx.fragment(
                rx.el.p(messages.MULTICHILD_NEEDS_FULL, role="alert"),
                rx.el.a(texts.GO_MEMBERSHIP, href=routes.MEMBERSHIP_APPLY, class_name="btn btn-primary"),
            ),
        ),
        class_name="card-panel",
    )


def multichild_page() -> rx.Component:
    return page_shell(
        rx.el.p(texts.BREADCRUMB, class_name="breadcrumb"),
        rx.el.h1(texts.TITLE, class_name="page-title"),
        rx.cond(
            MultichildState.loaded,
            rx.cond(
                MultichildState.entry != multichild.Entry.ALLOWED.value,
                _not_allowed(),
                rx.cond(
                    MultichildState.done_title != "",
                    _done(MultichildState.done_title, MultichildState.done_limit, MultichildState.converted),
                    _application(),
                ),
            ),
            rx.el.p("불러오는 중…", role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )


def _child_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    row_id = row["row_id"].to(str)
    label_id = "row-" + row_id
    verified = row["verified"] == "yes"
    return form(
        rx.el.h3(row["label"], id=label_id, class_name="child-row-title"),
        rx.el.p(texts.BIRTH, " ", rx.el.strong(row["birth"]), class_name="child-birth"),
        rx.el.input(type="hidden", name="row_id", value=row_id),
        rx.el.div(
            rx.el.label(texts.ROW_ID, html_for="login-" + row_id, class_name="field-sublabel"),
            rx.el.input(id="login-" + row_id, name="login_id", default_value=row["login_id"], read_only=verified,
                        auto_capitalize="none", spell_check=False, max_length=20, class_name="field-input",
                        aria_label=row["label"].to(str) + " " + texts.ROW_ID,
                        aria_describedby="message-" + row_id),
            class_name="child-field",
        ),
        rx.el.div(
            rx.el.label(texts.ROW_NAME, html_for="name-" + row_id, class_name="field-sublabel"),
            rx.el.input(id="name-" + row_id, name="name", default_value=row["name"], read_only=verified,
                        max_length=50, class_name="field-input",
                        aria_label=row["label"].to(str) + " " + texts.ROW_NAME,
                        aria_describedby="message-" + row_id),
            class_name="child-field",
        ),
        rx.el.div(
            rx.cond(
                verified,
                rx.el.span(texts.VERIFIED, class_name="verified-badge", role="status"),
                submit_button(texts.VERIFY, class_name="btn btn-primary",
                             aria_label=row["label"].to(str) + " " + texts.VERIFY),
            ),
            rx.el.button(texts.DELETE, type="button", on_click=ChildrenState.delete(row_id),
                         class_name="btn btn-secondary", aria_label=row["label"].to(str) + " " + texts.DELETE),
            class_name="button-row",
        ),
        rx.el.div(
            rx.el.p(ChildrenState.row_messages.get(row_id, ""), class_name="field-error"),
            rx.cond(
                ChildrenState.row_messages.get(row_id, "") != "",
                rx.el.p(messages.CHILD_ROW_HINT, class_name="field-help"),
                rx.fragment(),
            ),
            id="message-" + row_id,
            role="alert",
        ),
        on_submit=ChildrenState.verify,
        reset_on_submit=False,
        key=row_id,
        aria_labelledby=label_id,
        class_name="child-row",
    )


def _children_form() -> rx.Component:
    return rx.fragment(
        rx.el.section(
            rx.el.h2(texts.CHILDREN_TITLE, class_name="subsection-title"),
            rx.el.ul(*[rx.el.li(item) for item in texts.CHILDREN_INSTRUCTIONS], class_name="notice-list"),
            rx.el.p(texts.CHILDREN_NOTE, class_name="field-help"),
            class_name="card-panel",
        ),
        rx.el.div(rx.foreach(ChildrenState.rows, _child_row), class_name="child-rows"),
        rx.cond(ChildrenState.rows.length() == 0, rx.el.p(texts.NO_ROWS, class_name="notice"), rx.fragment()),
        rx.el.p(ChildrenState.page_message, id="children-message", role="alert", tab_index=-1,
                class_name="error-summary page-message"),
        rx.el.div(
            rx.el.a(texts.CANCEL, href=routes.MULTICHILD_APPLY, class_name="btn btn-secondary"),
            rx.el.button(texts.SUBMIT_CHILDREN, type="button", on_click=ChildrenState.submit,
                         disabled=~ChildrenState.can_submit | ChildrenState.submitting,
                         aria_describedby="children-submit-hint", class_name="btn btn-primary"),
            class_name="button-row",
        ),
        rx.cond(ChildrenState.can_submit, rx.fragment(),
                rx.el.p(texts.SUBMIT_BLOCKED, id="children-submit-hint", class_name="field-help")),
    )


def children_page() -> rx.Component:
    return page_shell(
        rx.el.p(texts.BREADCRUMB, class_name="breadcrumb"),
        rx.el.h1(texts.TITLE, class_name="page-title"),
        rx.cond(
            ChildrenState.loaded,
            rx.cond(
                ChildrenState.done_title != "",
                _done(ChildrenState.done_title, ChildrenState.done_limit, ChildrenState.converted),
                rx.cond(
                    ChildrenState.has_application,
                    _children_form(),
                    rx.el.section(
                        rx.el.p(messages.APPLICATION_MISSING, role="alert"),
                        rx.el.a(texts.BACK_TO_APPLICATION, href=routes.MULTICHILD_APPLY, class_name="btn btn-primary"),
                        class_name="card-panel",
                    ),
                ),
            ),
            rx.el.p("불러오는 중…", role="status", class_name="loading"),
        ),
        with_member_menu=True,
    )
