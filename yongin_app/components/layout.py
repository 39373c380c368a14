"""The app shell: skip link, header, sandbox marker, idle warning, member menu, footer."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from yongin_app import routes, texts
from yongin_app.settings import get_settings
from yongin_app.states.session import SessionState


def _nav_link(label: str, href: str, **props) -> rx.Component:
    return rx.el.a(label, href=href, class_name="nav-link", **props)


def header() -> rx.Component:
    return rx.el.header(
        rx.el.div(
            rx.el.a(texts.LIBRARY_NAME, href=routes.HOME, class_name="site-name"),
            rx.el.nav(
                rx.cond(
                    SessionState.logged_in,
                    rx.fragment(
                        rx.cond(
                            SessionState.is_associate,
                            _nav_link(texts.NAV_MEMBERSHIP_APPLY, routes.MEMBERSHIP_APPLY),
                            rx.fragment(),
                        ),
                        _nav_link(texts.NAV_ACCOUNT_EDIT, routes.ACCOUNT_EDIT),
                        rx.el.button(
                            texts.NAV_LOGOUT,
                            type="button",
                            on_click=SessionState.logout,
                            class_name="nav-link nav-button",
                        ),
                    ),
                    rx.fragment(
                        _nav_link(texts.NAV_LOGIN, routes.LOGIN),
                        _nav_link(texts.NAV_SIGNUP, routes.SIGNUP),
                    ),
                ),
                aria_label="주 메뉴",
                class_name="site-nav",
            ),
            class_name="header-inner",
        ),
        class_name="site-header",
    )


def sandbox_banner() -> rx.Component:
    if not get_settings().sandbox_services:
        return rx.fragment()
    return rx.el.div(
        rx.el.strong(texts.SANDBOX_MARKER),
        " ",
        texts.SANDBOX_NOTICE,
        class_name="sandbox-banner",
        role="note",
    )


def connection_banner() -> rx.Component:
    """Replaces Reflex's English connection toast: says in Korean that the app is reconnecting."""
    return rx.cond(
        has_connection_errors,
        rx.el.div(texts.CONNECTION_LOST, role="alert", class_name="connection-banner"),
        rx.fragment(),
    )


def idle_warning() -> rx.Component:
    """Shown by assets/session_timer.js five minutes before the idle timeout (KWCAG 6.2.1)."""
    return rx.cond(
        SessionState.logged_in,
        rx.el.div(
            rx.el.div(
                rx.el.h2(texts.IDLE_WARNING_TITLE, class_name="idle-title", id="idle-warning-title"),
                rx.el.p(texts.IDLE_WARNING_BODY),
                rx.el.p(
                    texts.IDLE_REMAINING_PREFIX, " ", rx.el.span("", id="idle-remaining"),
                    class_name="idle-remaining",
                ),
                rx.el.button(
                    texts.IDLE_EXTEND, type="button", on_click=SessionState.extend, class_name="btn btn-primary"
                ),
                class_name="idle-box",
            ),
            id="idle-warning",
            role="alertdialog",
            aria_labelledby="idle-warning-title",
            data_visible="false",
            data_seconds_left=SessionState.idle_seconds_left,
            data_stamp=SessionState.idle_stamp,
            class_name="idle-warning",
        ),
        rx.fragment(),
    )


def member_menu() -> rx.Component:
    """회원정보 menu; items that only some grades may use are shown to those only."""
    items = [
        (texts.MENU_ACCOUNT_EDIT, routes.ACCOUNT_EDIT, None),
        (texts.MENU_PASSWORD_CHANGE, routes.PASSWORD_CHANGE, None),
        (texts.MENU_LOAN_PASSWORD_CHANGE, routes.LOAN_PASSWORD_CHANGE, SessionState.is_full_member),
        (texts.MENU_SOCIAL_LINKS, routes.SOCIAL_LINKS, None),
        (texts.MENU_MEMBERSHIP_APPLY, routes.MEMBERSHIP_APPLY, SessionState.is_associate),
        (texts.MENU_MULTICHILD_APPLY, routes.MULTICHILD_APPLY, None),
        (texts.MENU_WITHDRAW, routes.WITHDRAW, None),
    ]

    def item(label: str, href: str, shown: rx.Var[bool] | None) -> rx.Component:
        entry = rx.el.li(rx.el.a(label, href=href))
        return entry if shown is None else rx.cond(shown, entry, rx.fragment())

    return rx.el.nav(
        rx.el.h2(texts.MEMBER_MENU_TITLE, class_name="menu-title", id="member-menu-title"),
        rx.el.ul(*[item(*entry) for entry in items], class_name="menu-list"),
        aria_labelledby="member-menu-title",
        class_name="member-menu",
    )


def page_shell(*children: rx.Component, with_member_menu: bool = False) -> rx.Component:
    main_children = [*children]
    if with_member_menu:
        main_children.append(rx.cond(SessionState.logged_in, member_menu(), rx.fragment()))
    return rx.el.div(
        rx.el.a(texts.SKIP_TO_CONTENT, href="#main", class_name="skip-link"),
        header(),
        sandbox_banner(),
        rx.el.main(*main_children, id="main", class_name="site-main", tab_index=-1),
        idle_warning(),
        rx.el.footer(
            rx.el.p(f"© {texts.LIBRARY_NAME}"),
            class_name="site-footer",
        ),
        class_name="app",
    )
