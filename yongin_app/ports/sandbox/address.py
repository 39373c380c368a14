"""Sandbox address search over data/addresses.json.

It builds the juso.go.kr JSON answer (errors included) and hands it to the
same parser as the real client, so the parser is exercised on every search.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from yongin_app.ports.address import (
    AddressPage,
    AddressSearchFailure,
    clamp_paging,
    parse_juso_body,
)

# The fields a keyword is matched against: road address (road name + number),
# jibun address (동 + lot), building name and 읍·면·동.
_SEARCH_FIELDS = ("roadAddr", "jibunAddr", "bdNm", "emdNm", "rn")


@lru_cache(maxsize=1)
def load_addresses() -> tuple[dict[str, str], ...]:
    text = resources.files(__package__).joinpath("data", "addresses.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["juso"])


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def _juso_error(code: str, message: str, page: int, per_page: int) -> dict[str, Any]:
    return {
        "results": {
            "common": {
                "errorCode": code,
                "errorMessage": message,
                "totalCount": "0",
                "currentPage": str(page),
                "countPerPage": str(per_page),
            },
            "juso": None,
        }
    }


def juso_response(keyword: str, page: int = 1, per_page: int = 10) -> dict[str, Any]:
    """The answer juso.go.kr would give, as a JSON-ready dict (all values strings)."""
    page, per_page = clamp_paging(page, per_page)
    squashed = _squash(keyword or "")
    if not squashed:
        return _juso_error("E0005", "검색어가 입력되지 않았습니다.", page, per_page)
    if len(squashed) < 2:
        return _juso_error("E0008", "검색어는 두글자 이상 입력되어야 합니다.", page, per_page)
    if len(keyword) > 80:
        return _juso_error("E0010", "검색어가 너무 깁니다. (한글40자, 영문,숫자 80자 이하)", page, per_page)
    # Every word must appear somewhere (spaces ignored), as in "중부대로 1199".
    tokens = [_squash(token) for token in keyword.split()]
    hits = [
        item
        for item in load_addresses()
        if all(token in _squash(" ".join(item.get(f, "") for f in _SEARCH_FIELDS)) for token in tokens)
    ]
    start = (page - 1) * per_page
    return {
        "results": {
            "common": {
                "errorCode": "0",
                "errorMessage": "정상",
                "totalCount": str(len(hits)),
                "currentPage": str(page),
                "countPerPage": str(per_page),
            },
            "juso": hits[start : start + per_page],
        }
    }


class SandboxAddressSearch:
    def search(
        self, keyword: str, page: int = 1, per_page: int = 10
    ) -> AddressPage | AddressSearchFailure:
        # Through JSON text and the real parser, exactly like an HTTP answer.
        body = json.dumps(juso_response(keyword, page, per_page), ensure_ascii=False)
        return parse_juso_body(body)
