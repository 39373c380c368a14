"""The Reflex app: pages and their load events, all registered here."""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette

from yongin_app import log_redaction, routes, tab_lifecycle, texts
from yongin_app.components.layout import connection_banner
from yongin_app.domain.enums import OAuthProvider
from yongin_app.http_security import with_security_headers
from yongin_app.pages.account_security import (
    LoanPasswordState,
    PasswordChangeState,
    WithdrawState,
    loan_password_page,
    password_change_page,
    withdraw_page,
)
from yongin_app.pages.account_edit import AccountEditState, account_edit_page
from yongin_app.pages.card import card_page
from yongin_app.pages.home import HomeState, home_page
from yongin_app.pages.membership import MembershipState, membership_page
from yongin_app.pages.multichild import ChildrenState, MultichildState, children_page, multichild_page
from yongin_app.pages.login import LoginState, login_page
from yongin_app.pages.oauth_callback import OAuthCallbackState, oauth_callback_page
from yongin_app.pages.recovery import FindIdState, ResetPasswordState, find_id_page, reset_password_page
from yongin_app.pages.social_links import SocialLinksState, social_links_page
from yongin_app.pages.staff import (
    StaffAuditState,
    StaffConsoleState,
    StaffPreviewState,
    staff_audit_page,
    staff_home_page,
    staff_login_page,
    staff_preview_page,
)
from yongin_app.pages.signup import texts as signup_texts
from yongin_app.pages.signup.info_page import InfoState, signup_info_page
from yongin_app.pages.signup.terms_page import TermsState, signup_terms_page
from yongin_app.pages.signup.type_page import SignupTypeState, signup_type_page
from yongin_app.pages.signup.verify_pages import (
    GuardianState,
    MemberVerifyState,
    signup_guardian_page,
    signup_verify_page,
)
from yongin_app.ports.oauth import oauth_callback_path
from yongin_app.ports.sandbox import sandbox_oauth_mount
from yongin_app.settings import get_settings
from yongin_app.states.card import MemberCardState
from yongin_app.states.errors import backend_exception_handler
from yongin_app.states.session import SessionState
from yongin_app.states.staff_session import StaffSessionState
from yongin_app.states.tab_guard import TabOwnershipMiddleware

log_redaction.install()  # also in each worker process (rxconfig.py installs it in the CLI)


def _title(page: str) -> str:
    return f"{page} | {texts.SITE_TITLE}"


def _api() -> Starlette:
    """Extra backend routes: the pagehide beacon of tab_lifecycle, and the sandbox Kakao/Naver login pages,
    served only while the sandbox is selected."""
    sandbox_routes = [sandbox_oauth_mount()] if get_settings().oauth_backend == "sandbox" else []
    return Starlette(routes=[tab_lifecycle.left_route(), *sandbox_routes])


app = rx.App(
    html_lang="ko",
    backend_exception_handler=backend_exception_handler,  # Korean message, no personal data in the log
    # The sandbox pages, then the security headers around everything (pages and assets included).
    api_transformer=[_api(), with_security_headers(get_settings())],
    stylesheets=["/fonts/pretendard/pretendardvariable-dynamic-subset.css", "/styles.css"],
    head_components=[
        rx.el.script(src="/session_timer.js", defer=True),
        # Pretendard once its files are cached (assets/webfont.js); set before the first paint.
        rx.el.script("try{localStorage.getItem('yongin-webfont')&&"
                     "document.documentElement.classList.add('webfont')}catch(e){}"),
        rx.el.script(src="/webfont.js", defer=True),
        # A page load starts a new Reflex tab token. Reusing the tab's token makes a reload on
        # another worker race the old socket's record in Redis; Reflex then hands out a fresh token
        # and the new page's first events answer to the old one, so the page never loads.
        # Nothing is lost: sessions and wizard progress live in the database, not in the tab state.
        # The page first tells the server (with the tab's key) that the token is finished, so its
        # state is freed instead of waiting 30 minutes to expire (tab_lifecycle.py).
        rx.el.script(tab_lifecycle.PAGEHIDE_SCRIPT),
        # Signup drafts were once kept in localStorage, where the next person at a shared PC found them.
        rx.el.script("try{localStorage.removeItem('yongin_signup_draft')}catch(e){}"),
        rx.el.meta(name="description", content="용인시도서관 회원가입, 온라인 정회원신청, 모바일 회원증, 다자녀가정 회원전환"),
    ],
)

# A tab's state is served only to the tab that owns it (its tab ID alone is not enough).
app.add_middleware(TabOwnershipMiddleware())
# A tab that left (pagehide, then its socket closed) has its state freed at once (embedded mode).
tab_lifecycle.install(app)

# The overlay wrap shows connection problems on every page; ours speaks Korean.
app.app_wraps[(5, "Overlay")] = lambda stateful: connection_banner() if stateful else None

app.add_page(home_page, route=routes.HOME, title=texts.SITE_TITLE,
             on_load=[SessionState.refresh, HomeState.load, MemberCardState.load])
app.add_page(membership_page, route=routes.MEMBERSHIP_APPLY, title=_title(texts.MENU_MEMBERSHIP_APPLY),
             on_load=[SessionState.require_member, MembershipState.load])
app.add_page(multichild_page, route=routes.MULTICHILD_APPLY, title=_title(texts.MENU_MULTICHILD_APPLY),
             on_load=[SessionState.require_member, MultichildState.load])
app.add_page(children_page, route=routes.MULTICHILD_CHILDREN, title=_title(texts.MENU_MULTICHILD_APPLY),
             on_load=[SessionState.require_member, ChildrenState.load])
app.add_page(social_links_page, route=routes.SOCIAL_LINKS, title=_title(texts.MENU_SOCIAL_LINKS),
             on_load=[SessionState.require_member, SocialLinksState.load])
for _page, _route, _label, _state in (
    (password_change_page, routes.PASSWORD_CHANGE, texts.MENU_PASSWORD_CHANGE, PasswordChangeState),
    (loan_password_page, routes.LOAN_PASSWORD_CHANGE, texts.MENU_LOAN_PASSWORD_CHANGE, LoanPasswordState),
    (withdraw_page, routes.WITHDRAW, texts.MENU_WITHDRAW, WithdrawState),
):
    app.add_page(_page, route=_route, title=_title(_label), on_load=[SessionState.require_member, _state.clear_form])
app.add_page(find_id_page, route=routes.FIND_ID, title=_title(texts.FIND_ID_TITLE),
             on_load=[SessionState.refresh, FindIdState.start_over])
app.add_page(reset_password_page, route=routes.RESET_PASSWORD, title=_title(texts.RESET_PASSWORD_TITLE),
             on_load=[SessionState.refresh, ResetPasswordState.start_over])
app.add_page(card_page, route=routes.MEMBER_CARD, title=_title(texts.CARD_TITLE),
             on_load=[SessionState.require_member, MemberCardState.load])
app.add_page(login_page, route=routes.LOGIN, title=_title(texts.LOGIN_TITLE), on_load=[SessionState.refresh, LoginState.load])

_signup_title = _title(signup_texts.TITLE)
for _page, _route, _load in (
    (signup_type_page, routes.SIGNUP, SignupTypeState.load),
    (signup_guardian_page, routes.SIGNUP_GUARDIAN, GuardianState.load),
    (signup_verify_page, routes.SIGNUP_VERIFY, MemberVerifyState.load),
    (signup_terms_page, routes.SIGNUP_TERMS, TermsState.load),
    (signup_info_page, routes.SIGNUP_INFO, InfoState.load),
):
    app.add_page(_page, route=_route, title=_signup_title, on_load=[SessionState.refresh, _load])
for _provider in OAuthProvider:
    app.add_page(oauth_callback_page, route=oauth_callback_path(_provider), title=_title(texts.OAUTH_TITLE),
                 on_load=[SessionState.refresh, OAuthCallbackState.finish])

app.add_page(account_edit_page, route=routes.ACCOUNT_EDIT, title=_title(texts.MENU_ACCOUNT_EDIT),
             on_load=[SessionState.require_member, AccountEditState.load])

# The staff console: refused to members and visitors (and every handler checks the role again).
_staff_title = _title("직원용")
app.add_page(staff_login_page, route=routes.STAFF_LOGIN, title=_staff_title)
app.add_page(staff_home_page, route=routes.STAFF_HOME, title=_staff_title,
             on_load=[StaffSessionState.require_staff, StaffConsoleState.clear])
app.add_page(staff_preview_page, route=routes.STAFF_PREVIEW, title=_staff_title,
             on_load=[StaffSessionState.require_staff, StaffPreviewState.load])
app.add_page(staff_audit_page, route=routes.STAFF_AUDIT, title=_staff_title,
             on_load=[StaffSessionState.require_admin, StaffAuditState.load])
