"""개인정보 제공 동의 for the 행정안전부 eligibility check (온라인정회원신청 and 다자녀가정회원전환신청)."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx

from yongin_app.components.form import field_error
from yongin_app.pages import membership_texts as texts


def eligibility_consent(
    *, legal_basis: Sequence[str], table_row: Sequence[str], refusal_note: str, error: rx.Var[str]
) -> rx.Component:
    """The manual's consent block: 관련 근거, the 제공기관/제공정보/… table, and the consent checkbox (id and
    name "consent")."""
    return rx.el.section(
        rx.el.h2(texts.CONSENT_TITLE, class_name="subsection-title"),
        rx.el.h3(texts.LEGAL_BASIS_TITLE, class_name="terms-heading"),
        rx.el.ul(*[rx.el.li(item) for item in legal_basis], class_name="notice-list"),
        rx.el.div(
            rx.el.table(
                rx.el.caption(texts.TABLE_CAPTION, class_name="visually-hidden"),
                rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col") for h in texts.TABLE_HEADERS])),
                rx.el.tbody(rx.el.tr(*[rx.el.td(cell) for cell in table_row])),
                class_name="data-table",
            ),
            class_name="table-scroll",
            tab_index=0,
            role="region",
            aria_label=texts.TABLE_CAPTION,
        ),
        rx.el.p(refusal_note, class_name="field-help"),
        rx.el.div(
            rx.el.input(type="checkbox", id="consent", name="consent", class_name="checkbox",
                        aria_describedby="consent-error", aria_invalid=rx.cond(error != "", "true", "false")),
            rx.el.label(texts.CONSENT_LABEL, html_for="consent", class_name="checkbox-label"),
            class_name="checkbox-row",
        ),
        field_error("consent-error", error),
        class_name="card-panel",
    )


def rrn_back_field(*, front: rx.Var[str], error: rx.Var[str]) -> rx.Component:
    """주민등록번호: the front six digits from the verified birth date, the back seven typed (masked,
    numeric keypad). Uncontrolled, never bound to a State var; the page empties it after every attempt."""
    return rx.el.div(
        rx.el.label(texts.RRN, html_for="rrn_back", class_name="field-label"),
        rx.el.div(
            rx.el.span(front, " -", class_name="rrn-front", aria_hidden="true"),
            rx.el.input(id="rrn_back", name="rrn_back", type="password", input_mode="numeric", pattern="[0-9]*",
                        max_length=7, auto_complete="off", class_name="field-input",
                        aria_describedby="rrn-front-text rrn_back-hint rrn_back-error",
                        aria_invalid=rx.cond(error != "", "true", "false")),
            class_name="rrn-row",
        ),
        rx.el.p(texts.RRN + " 앞자리 ", front, id="rrn-front-text", class_name="visually-hidden"),
        rx.el.p(texts.RRN_HINT, id="rrn_back-hint", class_name="field-help"),
        field_error("rrn_back-error", error),
        class_name="field",
    )
