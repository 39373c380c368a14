"""Masking never reveals more than the stated characters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yongin_app.domain.masking import MASK, mask_login_id, mask_mobile, mask_name
from yongin_app.domain.validators import normalize_mobile

FAST = settings(max_examples=100, deadline=None)


@pytest.mark.parametrize(
    ("login_id", "masked"),
    [
        ("hongildong", "hon*******"),
        ("kilsoon", "kil****"),
        ("abcd", "abc*"),
        ("abc", "a**"),
        ("ab", "a*"),
        ("a", "a"),
        ("", ""),
    ],
)
def test_mask_login_id(login_id: str, masked: str) -> None:
    assert mask_login_id(login_id) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("홍길동", "홍*동"), ("홍길", "홍*"), ("남궁민수", "남**수"), ("존스미스", "존**스"), ("홍", "*"), ("", "")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("010 2222 3333", "010-****-3333"),
        ("011-123-4567", "011-***-4567"),
        ("12-345", "*2-345"),  # malformed: only the last 4 digits stay
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_mobile(mobile: str, masked: str) -> None:
    assert mask_mobile(mobile) == masked


def _revealed(original: str, masked: str) -> list[int]:
    return [i for i, (a, b) in enumerate(zip(original, masked)) if b != MASK]


@FAST
@given(st.text(max_size=25))
def test_mask_login_id_reveals_at_most_the_first_3(login_id: str) -> None:
    masked = mask_login_id(login_id)
    assert len(masked) == len(login_id)
    allowed = 3 if len(login_id) > 3 else min(1, len(login_id))
    revealed = _revealed(login_id, masked)
    assert all(i < allowed for i in revealed)
    assert all(masked[i] == login_id[i] for i in revealed)


@FAST
@given(st.text(max_size=12))
def test_mask_name_reveals_at_most_first_and_last(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    if len(name) >= 3:
        allowed = {0, len(name) - 1}
    elif len(name) == 2:
        allowed = {0}
    else:
        allowed = set()
    revealed = _revealed(name, masked)
    assert set(revealed) <= allowed
    assert all(masked[i] == name[i] for i in revealed)


@FAST
@given(st.text(alphabet="0123456789- a", max_size=16))
def test_mask_mobile_reveals_at_most_prefix_and_last_4(mobile: str) -> None:
    masked = mask_mobile(mobile)
    shown_digits = sum(c.isdigit() for c in masked)
    canonical = normalize_mobile(mobile)
    if canonical is None:
        assert shown_digits <= 4
        assert len(masked) == len(mobile)
    else:
        prefix, middle, last = canonical.split("-")
        assert masked == f"{prefix}-{MASK * len(middle)}-{last}"
        assert shown_digits == 7


@FAST
@given(
    st.sampled_from(["010", "011", "016", "017", "018", "019"]),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
def test_mask_mobile_hides_the_middle_part(prefix: str, middle: str, last: str) -> None:
    masked = mask_mobile(f"{prefix}-{middle}-{last}")
    assert masked == f"{prefix}-****-{last}"
