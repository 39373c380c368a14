"""Routes whose flows are not built yet: an honest notice instead of a dead link."""

from __future__ import annotations

import reflex as rx

from yongin_app import routes, texts
from yongin_app.components.layout import page_shell


def placeholder_page(title: str) -> rx.Component:
    return page_shell(
        rx.el.h1(title, class_name="page-title"),
        rx.el.section(
            rx.el.h2(texts.PLACEHOLDER_TITLE),
            rx.el.p(texts.PLACEHOLDER_BODY),
            rx.el.a(texts.BACK_HOME, href=routes.HOME, class_name="btn btn-secondary"),
            class_name="card-panel",
        ),
        with_member_menu=True,
    )
