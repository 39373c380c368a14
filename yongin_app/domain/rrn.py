"""주민등록번호 (resident registration number) format rules.

Only the format is checked: 7 ASCII digits whose first digit (the "gender digit") agrees
with the century of the verified birth date and, when known, with the sex. There is NO
checksum: numbers issued since 2020-10-05 have random digits after the first one.

The number is sensitive (PIPA Art. 24-2): this module never logs or prints it and never
puts it in a message or an exception text. Callers must not either.
"""

from __future__ import annotations

from datetime import date

from yongin_app.domain import messages
from yongin_app.domain.enums import Sex

_ASCII_DIGITS = frozenset("0123456789")

# First digit of the back part, by century of birth. 5–8 are foreign registration numbers.
_FIRST_DIGITS_BY_CENTURY: dict[int, frozenset[str]] = {
    18: frozenset("90"),
    19: frozenset("1256"),
    20: frozenset("3478"),
}
_FOREIGN_FIRST_DIGITS = frozenset("5678")


def _is_seven_ascii_digits(back: object) -> bool:
    # str.isdigit() would accept full-width and other Unicode digits, so compare to ASCII.
    return isinstance(back, str) and len(back) == 7 and all(c in _ASCII_DIGITS for c in back)


def _sex_of_first_digit(first: str) -> Sex:
    # Odd = male, even = female; 9 and 0 (1800s) follow the same parity rule.
    return Sex.MALE if int(first) % 2 == 1 else Sex.FEMALE


def validate_rrn_back(back: str, birth_date: date, sex: Sex | None = None) -> str | None:
    """None when `back` is a plausible back part for this birth date (and sex), else a message."""
    if not _is_seven_ascii_digits(back):
        return messages.RRN_BACK_FORMAT
    first = back[0]
    if first not in _FIRST_DIGITS_BY_CENTURY.get(birth_date.year // 100, frozenset()):
        return messages.RRN_BACK_CENTURY
    if sex is not None and _sex_of_first_digit(first) != sex:
        return messages.RRN_BACK_SEX
    return None


def is_foreign_registration(back: str) -> bool:
    """True for a well-formed back part of a 외국인등록번호 (first digit 5–8)."""
    return _is_seven_ascii_digits(back) and back[0] in _FOREIGN_FIRST_DIGITS


def rrn_front(birth_date: date) -> str:
    """The front part, YYMMDD, from the verified birth date."""
    return f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"
