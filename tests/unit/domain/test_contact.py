"""휴대폰, 전화, 이메일 and 우편번호 rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yongin_app.domain import messages
from yongin_app.domain.validators import (
    normalize_email,
    normalize_landline,
    normalize_mobile,
    validate_email,
    validate_landline,
    validate_mobile,
    validate_postal_code,
)

FAST = settings(max_examples=80, deadline=None)

# ---------------------------------------------------------------- 휴대폰


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("01012345678", "010-1234-5678"),
        ("010-1234-5678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        (" 010-1234-5678 ", "010-1234-5678"),
        ("010-9999-0000", "010-9999-0000"),  # sandbox P8
        ("011-123-4567", "011-123-4567"),
        ("0111234567", "011-123-4567"),
        ("01612345678", "016-1234-5678"),
        ("017-123-4567", "017-123-4567"),
        ("018-1234-5678", "018-1234-5678"),
        ("019 123 4567", "019-123-4567"),
    ],
)
def test_mobile_accepted_forms(raw: str, canonical: str) -> None:
    assert normalize_mobile(raw) == canonical
    assert validate_mobile(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "010-123-4567",  # 010 needs a 4-digit middle part
        "0101234567",
        "012-1234-5678",  # not a mobile prefix
        "010-1234-567",
        "010-12345-678",
        "010-1234-56789",
        "02-1234-5678",  # a landline
        "０１０-1234-5678",  # full-width digits
        "010_1234_5678",
        "010--1234-5678",
        "+82-10-1234-5678",
        "010-1234-5678x",
    ],
)
def test_mobile_refused_forms(raw: str) -> None:
    assert normalize_mobile(raw) is None
    assert validate_mobile(raw) == messages.MOBILE_INVALID


def test_mobile_required() -> None:
    assert validate_mobile("") == messages.MOBILE_REQUIRED
    assert validate_mobile("   ") == messages.MOBILE_REQUIRED


CANONICAL_MOBILE = re.compile(r"01[016789]-[0-9]{3,4}-[0-9]{4}")


@st.composite
def typed_mobiles(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["010", "011", "016", "017", "018", "019"]))
    middle_len = 4 if prefix == "010" else draw(st.sampled_from([3, 4]))
    middle = draw(st.from_regex(rf"[0-9]{{{middle_len}}}", fullmatch=True))
    last = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    sep1, sep2 = draw(st.sampled_from(["", "-", " "])), draw(st.sampled_from(["", "-", " "]))
    return f"{prefix}{sep1}{middle}{sep2}{last}"


@FAST
@given(typed_mobiles())
def test_normalize_mobile_accepts_typed_numbers_and_is_idempotent(raw: str) -> None:
    canonical = normalize_mobile(raw)
    assert canonical is not None
    assert CANONICAL_MOBILE.fullmatch(canonical)
    assert normalize_mobile(canonical) == canonical
    assert validate_mobile(canonical) is None
    # Same digits, only the separators change.
    assert canonical.replace("-", "") == raw.replace("-", "").replace(" ", "")


@FAST
@given(st.text(alphabet="0123456789- \u3000１", max_size=16))
def test_normalize_mobile_output_always_revalidates(raw: str) -> None:
    canonical = normalize_mobile(raw)
    assert (canonical is None) == (validate_mobile(raw) is not None)
    if canonical is not None:
        assert CANONICAL_MOBILE.fullmatch(canonical)
        assert normalize_mobile(canonical) == canonical


# ---------------------------------------------------------------- 전화 (landline)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("031-123-4567", "031-123-4567"),
        ("0311234567", "031-123-4567"),
        ("031 1234 5678", "031-1234-5678"),
        ("02-123-4567", "02-123-4567"),
        ("0212345678", "02-1234-5678"),
        ("033-123-4567", "033-123-4567"),
        ("041-123-4567", "041-123-4567"),
        ("044-123-4567", "044-123-4567"),
        ("051-123-4567", "051-123-4567"),
        ("055-123-4567", "055-123-4567"),
        ("061-123-4567", "061-123-4567"),
        ("064-123-4567", "064-123-4567"),
        ("070-1234-5678", "070-1234-5678"),
    ],
)
def test_landline_accepted_forms(raw: str, canonical: str) -> None:
    assert normalize_landline(raw) == canonical
    assert validate_landline(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["034-123-4567", "045-123-4567", "056-123-4567", "065-123-4567", "071-123-4567", "010-1234-5678",
     "031-12-4567", "031-12345-678", "01-123-4567", "031-123-456", "０31-123-4567", "031.123.4567"],
)
def test_landline_refused_forms(raw: str) -> None:
    assert normalize_landline(raw) is None
    assert validate_landline(raw) == messages.LANDLINE_INVALID


def test_landline_required() -> None:
    assert validate_landline("") == messages.LANDLINE_REQUIRED


@FAST
@given(st.text(alphabet="0123456789- ", max_size=15))
def test_normalize_landline_is_idempotent(raw: str) -> None:
    canonical = normalize_landline(raw)
    if canonical is not None:
        assert normalize_landline(canonical) == canonical
        assert validate_landline(canonical) is None
        assert canonical.replace("-", "") == raw.replace("-", "").replace(" ", "")


# ---------------------------------------------------------------- 이메일


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("hong@example.com", "hong@example.com"),
        (" Hong@Example.COM ", "Hong@example.com"),  # only the domain is lower-cased
        ("hong.gil+lib@mail.yongin.go.kr", "hong.gil+lib@mail.yongin.go.kr"),
        ("a@b.co", "a@b.co"),
        ("user@xn--3e0b707e.xn--3e0b707e", "user@xn--3e0b707e.xn--3e0b707e"),
    ],
)
def test_email_accepted(raw: str, normalized: str) -> None:
    assert validate_email(raw) is None
    assert normalize_email(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", messages.EMAIL_REQUIRED),
        ("   ", messages.EMAIL_REQUIRED),
        ("홍길동@example.com", messages.EMAIL_NOT_ASCII),
        ("hong@예시.kr", messages.EMAIL_NOT_ASCII),
        ("ｈong@example.com", messages.EMAIL_NOT_ASCII),
        ("hong", messages.EMAIL_INVALID),
        ("hong@", messages.EMAIL_INVALID),
        ("@example.com", messages.EMAIL_INVALID),
        ("hong@example", messages.EMAIL_INVALID),  # the domain needs a dot
        ("hong@@example.com", messages.EMAIL_INVALID),
        ("a@b@example.com", messages.EMAIL_INVALID),
        ("hong gil@example.com", messages.EMAIL_INVALID),
        ("hong..gil@example.com", messages.EMAIL_INVALID),
        (".hong@example.com", messages.EMAIL_INVALID),
        ("hong.@example.com", messages.EMAIL_INVALID),
        ("hong@-example.com", messages.EMAIL_INVALID),
        ("hong@example..com", messages.EMAIL_INVALID),
        ("hong@example.c", messages.EMAIL_INVALID),
        ("hong@127.0.0.1", messages.EMAIL_INVALID),
        ("x" * 65 + "@example.com", messages.EMAIL_INVALID),  # local part over 64
        ("x" * 64 + "@" + "d" * 63 + "." + "e" * 63 + "." + "f" * 58 + ".com", messages.EMAIL_TOO_LONG),  # 255
    ],
)
def test_email_refused(raw: str, expected: str) -> None:
    assert validate_email(raw) == expected
    assert normalize_email(raw) is None


def test_email_length_boundary() -> None:
    address = "x" * 64 + "@" + "d" * 63 + "." + "e" * 63 + "." + "f" * 57 + ".com"
    assert len(address) == 254
    assert validate_email(address) is None


@FAST
@given(st.emails())
def test_generated_emails_are_accepted_and_normalization_is_idempotent(email: str) -> None:
    # Hypothesis only generates dot-atom addresses with real TLDs, all of which we accept.
    assume(len(email) <= 254)
    assert validate_email(email) is None
    normalized = normalize_email(email)
    assert normalized is not None
    assert normalize_email(normalized) == normalized
    assert normalized.split("@")[0] == email.split("@")[0]


# ---------------------------------------------------------------- 우편번호


@pytest.mark.parametrize("raw", ["17019", "06236", "16827"])
def test_postal_code_accepted(raw: str) -> None:
    assert validate_postal_code(raw) is None


@pytest.mark.parametrize("raw", ["1701", "170190", "17O19", "１７０１９", "17-019", " 17019", "463-400"])
def test_postal_code_refused(raw: str) -> None:
    assert validate_postal_code(raw) == messages.POSTAL_CODE_INVALID


def test_postal_code_required() -> None:
    assert validate_postal_code("") == messages.POSTAL_CODE_REQUIRED
