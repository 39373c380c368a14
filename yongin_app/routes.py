"""Every route of the app, in one place."""

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
SIGNUP_GUARDIAN = "/signup/guardian"
SIGNUP_VERIFY = "/signup/verify"
SIGNUP_TERMS = "/signup/terms"
SIGNUP_INFO = "/signup/info"
FIND_ID = "/find-id"
RESET_PASSWORD = "/reset-password"
ACCOUNT_EDIT = "/account/edit"
PASSWORD_CHANGE = "/account/password"
LOAN_PASSWORD_CHANGE = "/account/loan-password"
SOCIAL_LINKS = "/account/social"
MEMBERSHIP_APPLY = "/account/membership"
MULTICHILD_APPLY = "/account/multichild"
MULTICHILD_CHILDREN = "/account/multichild/children"
WITHDRAW = "/account/withdraw"
MEMBER_CARD = "/card"

STAFF_LOGIN = "/staff/login"
STAFF_HOME = "/staff"
STAFF_MEMBER = "/staff/member"
STAFF_PREVIEW = "/staff/preview"
STAFF_AUDIT = "/staff/audit"


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path of this app, never another site ("//evil", "https://")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HOME
    return target
