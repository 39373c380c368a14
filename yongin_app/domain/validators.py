"""Field rules for signup and 정보수정: 아이디, 비밀번호, 휴대폰, 전화, 이메일, 우편번호; and numbers
typed or sent by a client (parse_id).

Every `validate_*` function returns None when the value is valid, otherwise one Korean
message from messages.py saying how to fix it. `normalize_*` functions return the
canonical form to store, or None when the value is invalid; for each field,
`validate_x(raw) is None` exactly when `normalize_x(raw) is not None`.

Optional fields (전화번호, 이메일) are the caller's business: these functions judge a value,
so an empty string is reported as missing; skip them when the user left them blank.

Passwords are judged exactly as typed: never stripped, lowered or normalized (ASVS 6.2.8).
Comparisons against the ID, the birth date, the phone and the common list use a
lower-cased copy.
"""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources

from yongin_app.domain import messages, policy

# ---------------------------------------------------------------- 아이디

_ID_LETTERS = frozenset(string.ascii_lowercase)
_ID_CHARS = _ID_LETTERS | frozenset(string.digits)
_ASCII_UPPER = frozenset(string.ascii_uppercase)


def validate_login_id(login_id: str) -> str | None:
    """4–20 of a-z and 0-9 with at least one letter; not reserved (also not "admin1")."""
    if login_id == "":
        return messages.LOGIN_ID_REQUIRED
    # Upper case gets its own message: it is the likeliest mistake, and we refuse rather
    # than lower it silently (the user would not know their real ID).
    if any(c in _ASCII_UPPER for c in login_id):
        return messages.LOGIN_ID_UPPERCASE
    # Set membership, not str.isalnum(): that would accept Hangul and full-width digits.
    if any(c not in _ID_CHARS for c in login_id):
        return messages.LOGIN_ID_INVALID_CHARS
    if not policy.LOGIN_ID_MIN_LENGTH <= len(login_id) <= policy.LOGIN_ID_MAX_LENGTH:
        return messages.LOGIN_ID_LENGTH
    if not any(c in _ID_LETTERS for c in login_id):
        return messages.LOGIN_ID_NEEDS_LETTER
    # "admin", and also "admin1", "admin2024": a reserved word followed only by digits.
    if login_id.rstrip(string.digits) in policy.RESERVED_LOGIN_IDS:
        return messages.LOGIN_ID_RESERVED
    return None


# ---------------------------------------------------------------- 비밀번호
#
# Character kinds (the manual's 영문자 / 숫자 / 특수문자):
# - letters: ASCII A-Z and a-z, one kind together (decisions.md);
# - digits: ASCII 0-9;
# - special: every other allowed character. That includes the space and non-ASCII
#   characters (Hangul, full-width "１", accented letters), as NIST 800-63B and ASVS
#   ask to accept any printable Unicode character.
# Refused: control, format (zero-width), surrogate, private-use and unassigned code
# points and line/paragraph separators: they are invisible or cannot be typed again
# reliably. A password made only of whitespace is refused.
# Length is counted in code points.

_PW_LETTERS = frozenset(string.ascii_letters)
_PW_DIGITS = frozenset(string.digits)
_PW_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# What people put between the parts of a date or a phone number.
_SEPARATORS = re.compile(r"[-./ ]")

_COMMON_PASSWORDS_RESOURCE = "data/common_passwords.txt"


@lru_cache(maxsize=1)
def load_common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased; lines starting with # are comments."""
    text = resources.files("yongin_app.domain").joinpath(_COMMON_PASSWORDS_RESOURCE).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _character_kinds(password: str) -> int:
    has_letter = any(c in _PW_LETTERS for c in password)
    has_digit = any(c in _PW_DIGITS for c in password)
    has_special = any(c not in _PW_LETTERS and c not in _PW_DIGITS for c in password)
    return has_letter + has_digit + has_special


def _meets_composition(password: str) -> bool:
    kinds = _character_kinds(password)
    if kinds >= 3:
        return len(password) >= policy.PASSWORD_MIN_LENGTH_THREE_KINDS
    if kinds == 2:
        return len(password) >= policy.PASSWORD_MIN_LENGTH_TWO_KINDS
    return False


def _contains_any(haystacks: tuple[str, ...], needles: set[str]) -> bool:
    return any(needle and needle in hay for hay in haystacks for needle in needles)


def _birth_date_tokens(birth_date: date) -> set[str]:
    yyyymmdd = f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
    return {yyyymmdd, yyyymmdd[2:]}


def _phone_tokens(phone: str) -> set[str]:
    """The whole number, its last 8 digits, and its middle + last parts, as digits."""
    digits = "".join(c for c in phone if c in _PW_DIGITS)
    if len(digits) < 8:  # not a phone number we can reason about; avoid silly refusals
        return set()
    tokens = {digits, digits[-8:]}
    canonical = normalize_mobile(phone) or normalize_landline(phone)
    if canonical is not None:
        _, middle, last = canonical.split("-")
        tokens.add(middle + last)
    return tokens


def password_violations(
    password: str,
    *,
    login_id: str | None,
    birth_date: date | None,
    phone: str | None,
) -> list[str]:
    """Every rule the password breaks, as messages in a stable order; [] when valid."""
    if password == "":
        return [messages.PASSWORD_REQUIRED]
    if password.isspace():
        return [messages.PASSWORD_BLANK]

    violations: list[str] = []
    if any(unicodedata.category(c) in _PW_REFUSED_CATEGORIES for c in password):
        violations.append(messages.PASSWORD_INVALID_CHARS)
    if len(password) > policy.PASSWORD_MAX_LENGTH:
        violations.append(messages.PASSWORD_TOO_LONG)
    if not _meets_composition(password):
        violations.append(messages.PASSWORD_COMPOSITION)

    # Lower-cased copies for comparison only; the compact one also catches "1990-01-01".
    folded = password.lower()
    haystacks = (folded, _SEPARATORS.sub("", folded))
    if login_id and len(login_id) >= policy.LOGIN_ID_MIN_LENGTH and _contains_any(haystacks, {login_id.lower()}):
        violations.append(messages.PASSWORD_CONTAINS_LOGIN_ID)
    if birth_date is not None and _contains_any(haystacks, _birth_date_tokens(birth_date)):
        violations.append(messages.PASSWORD_CONTAINS_BIRTH_DATE)
    if phone and _contains_any(haystacks, _phone_tokens(phone)):
        violations.append(messages.PASSWORD_CONTAINS_PHONE)
    if folded in load_common_passwords():
        violations.append(messages.PASSWORD_COMMON)
    return violations


def validate_password(
    password: str,
    *,
    login_id: str | None,
    birth_date: date | None,
    phone: str | None,
) -> str | None:
    """The first message of password_violations, or None when the password is valid."""
    violations = password_violations(password, login_id=login_id, birth_date=birth_date, phone=phone)
    return violations[0] if violations else None


# ---------------------------------------------------------------- 휴대폰·전화
# [0-9], not \d: \d would accept full-width and other Unicode digits.

_MOBILE = re.compile(r"(01[016789])[- ]?([0-9]{3,4})[- ]?([0-9]{4})")
_LANDLINE = re.compile(r"(02|03[1-3]|04[1-4]|05[1-5]|06[1-4]|070)[- ]?([0-9]{3,4})[- ]?([0-9]{4})")


def normalize_mobile(raw: str) -> str | None:
    """"01012345678", "010-1234-5678", "010 1234 5678" -> "010-1234-5678"; None if invalid.

    Prefixes 010, 011, 016–019; the middle part has 3–4 digits (010 numbers: 4).
    """
    match = _MOBILE.fullmatch(raw.strip())
    if match is None:
        return None
    prefix, middle, last = match.groups()
    if prefix == "010" and len(middle) != 4:
        return None
    return f"{prefix}-{middle}-{last}"


def validate_mobile(raw: str) -> str | None:
    if raw.strip() == "":
        return messages.MOBILE_REQUIRED
    return None if normalize_mobile(raw) is not None else messages.MOBILE_INVALID


def normalize_landline(raw: str) -> str | None:
    """Area code (02, 031–033, 041–044, 051–055, 061–064, 070) + 3–4 + 4 digits -> "031-123-4567"."""
    match = _LANDLINE.fullmatch(raw.strip())
    if match is None:
        return None
    return "-".join(match.groups())


def validate_landline(raw: str) -> str | None:
    if raw.strip() == "":
        return messages.LANDLINE_REQUIRED
    return None if normalize_landline(raw) is not None else messages.LANDLINE_INVALID


# ---------------------------------------------------------------- 이메일

EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit, not a product decision
_EMAIL_LOCAL_MAX_LENGTH = 64
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})"  # or an IDN in punycode
# Dot-atom local part (no quoted strings), a domain with at least one dot, no IP literals.
_EMAIL = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>(?:{_LABEL}\.)+{_TLD})")


def validate_email(raw: str) -> str | None:
    """Surrounding spaces are ignored; ASCII only, one @, a domain with a dot, at most 254."""
    value = raw.strip()
    if value == "":
        return messages.EMAIL_REQUIRED
    if not value.isascii():
        return messages.EMAIL_NOT_ASCII
    if len(value) > EMAIL_MAX_LENGTH:
        return messages.EMAIL_TOO_LONG
    match = _EMAIL.fullmatch(value)
    if match is None or len(match["local"]) > _EMAIL_LOCAL_MAX_LENGTH:
        return messages.EMAIL_INVALID
    return None


def normalize_email(raw: str) -> str | None:
    """Trimmed, with the domain lower-cased (the local part may be case-sensitive); None if invalid."""
    if validate_email(raw) is not None:
        return None
    local, _, domain = raw.strip().partition("@")
    return f"{local}@{domain.lower()}"


# ---------------------------------------------------------------- 우편번호

_POSTAL_CODE = re.compile(r"[0-9]{5}")


def validate_postal_code(raw: str) -> str | None:
    """Exactly 5 ASCII digits (the 국가기초구역번호 since 2015), as the address search fills it."""
    if raw.strip() == "":
        return messages.POSTAL_CODE_REQUIRED
    return None if _POSTAL_CODE.fullmatch(raw) else messages.POSTAL_CODE_INVALID


# ---------------------------------------------------------------- numbers from a client

ID_MAX_DIGITS = 9  # below 2**31: fits a PostgreSQL integer and never overflows SQLite
_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_id(value: object, max_digits: int = ID_MAX_DIGITS) -> int | None:
    """A non-negative number a client sent, or None.

    A str must be 1..max_digits ASCII digits exactly: no sign, space, "²", "１" or other Unicode
    digit (str.isdigit() accepts those and int() then raises or reads them). An int (not a bool)
    must be 0..10**max_digits - 1. Anything else is None, so a caller never calls int() itself."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**max_digits else None
    if isinstance(value, str) and len(value) <= max_digits and _ASCII_DIGITS.fullmatch(value):
        return int(value)
    return None
