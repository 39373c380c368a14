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
    """Where to go after login: only a path of this app, never another site ("//evil", "https://"),
    and nothing with control characters (a browser drops a tab or a newline in a URL, so "/", TAB,
    "/evil" would become "//evil")."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return HOME
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return HOME
    return target
