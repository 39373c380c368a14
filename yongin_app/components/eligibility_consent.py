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
