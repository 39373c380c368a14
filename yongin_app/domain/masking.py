"""Masking of personal data for screens (아이디 찾기, staff lists) and logs.

Each function keeps the length (one "*" per hidden character) and reveals at most the
characters stated in its docstring.
"""

from __future__ import annotations

from yongin_app.domain.validators import normalize_mobile

MASK = "*"


def mask_login_id(login_id: str) -> str:
    """First 3 characters, the rest masked ("hongildong" -> "hon*******").

    IDs of 3 characters or fewer show only the first one, so that a short ID is never
    shown whole.
    """
    head = login_id[: 3 if len(login_id) > 3 else 1]
    return head + MASK * (len(login_id) - len(head))


def mask_name(name: str) -> str:
    """First and last character, the middle masked ("홍길동" -> "홍*동", "남궁민수" -> "남**수").

    Two characters show only the first ("홍길" -> "홍*"); one character is fully masked.
    """
    if len(name) <= 1:
        return MASK * len(name)
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_mobile(mobile: str) -> str:
    """Middle part masked ("010-1234-5678" -> "010-****-5678"): reveals the prefix and last 4.

    Input that is not a valid mobile number is masked digit by digit except its last 4
    digits, so nothing more than the last 4 digits can leak from a malformed value.
    """
    canonical = normalize_mobile(mobile)
    if canonical is not None:
        prefix, middle, last = canonical.split("-")
        return f"{prefix}-{MASK * len(middle)}-{last}"
    digit_positions = [i for i, c in enumerate(mobile) if c.isdigit()]
    hide = set(digit_positions[:-4]) if len(digit_positions) > 4 else set(digit_positions)
    return "".join(MASK if i in hide else c for i, c in enumerate(mobile))
