"""The 22 public libraries (가입도서관) with their catalogue codes, from decisions.md."""

from __future__ import annotations

BRANCHES: tuple[tuple[str, str], ...] = (
    ("MA", "용인중앙도서관"),
    ("MB", "수지도서관"),
    ("MC", "포곡도서관"),
    ("MD", "구성도서관"),
    ("ME", "죽전도서관"),
    ("MF", "동백도서관"),
    ("MI", "구갈희망누리도서관"),
    ("MJ", "양지해밀도서관"),
    ("MK", "기흥도서관"),
    ("ML", "모현도서관"),
    ("MM", "보라도서관"),
    ("MN", "흥덕도서관"),
    ("MO", "상현도서관"),
    ("MP", "청덕도서관"),
    ("MX", "이동꿈틀도서관"),
    ("MY", "남사도서관"),
    ("MZ", "서농도서관"),
    ("NA", "동천도서관"),
    ("NB", "성복도서관"),
    ("NN", "영덕도서관"),
    ("NU", "보정도서관"),
    ("NV", "신봉도서관"),
)
