"""Port to road-name address search (주소찾기), shaped on the juso.go.kr API.

One parser (``parse_juso_body``) turns a juso.go.kr JSON answer into an
``AddressPage`` or an ``AddressSearchFailure``. The real client and the sandbox
both go through it, so the sandbox exercises the parser on every search.
No exception escapes ``search``: outside trouble becomes a failure value.
"""

from __future__ import annotations

import enum
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import httpx

from yongin_app.ports.errors import ServiceNotConfigured

logger = logging.getLogger(__name__)

JUSO_API_URL = "https://business.juso.go.kr/addrlink/addrLinkApi.do"
# juso.go.kr allows up to 100 results per page.
MAX_PER_PAGE = 100

UNAVAILABLE_MESSAGE = "주소 검색 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."

# juso.go.kr error codes that mean "change the keyword"; their messages are
# meant for the user. Every other code (-999 system error, E0001 bad key,
# E0014 expired key, ...) is a service/configuration problem.
KEYWORD_ERROR_CODES = frozenset(
    {"E0005", "E0006", "E0008", "E0009", "E0010", "E0011", "E0012", "E0013", "E0015"}
)


# What a juso errorCode looks like ("0", "-999", "E0001"). Anything else in that member is
# not kept, so that nothing the service echoes (the keyword, say) reaches a log line.
_JUSO_CODE = re.compile(r"-?[A-Za-z0-9]{1,10}")


class AddressFailureReason(str, enum.Enum):
    INVALID_KEYWORD = "invalid_keyword"  # the service refused the keyword; show its message
    UNAVAILABLE = "unavailable"  # timeout, 5xx, garbage, bad key, system error


@dataclass(frozen=True)
class Address:
    zip_code: str  # 우편번호, 5 digits
    road_address: str  # 도로명주소 as juso returns it (roadAddr)
    jibun_address: str  # 지번주소
    sido: str  # 시·도 (siNm)
    sigungu: str  # 시·군·구 (sggNm), e.g. "용인시 처인구"
    emd: str  # 읍·면·동 (emdNm)
    building_name: str  # 건물명 (bdNm), may be ""


@dataclass(frozen=True)
class AddressPage:
    total_count: int
    page: int
    per_page: int
    results: tuple[Address, ...]


@dataclass(frozen=True)
class AddressSearchFailure:
    reason: AddressFailureReason
    message: str  # Korean, fit to show to the user
    error_code: str | None = None  # juso errorCode when the service answered
    detail: str | None = None  # juso errorMessage, for logs


@runtime_checkable
class AddressSearch(Protocol):
    def search(
        self, keyword: str, page: int = 1, per_page: int = 10
    ) -> AddressPage | AddressSearchFailure: ...


def clamp_paging(page: int, per_page: int) -> tuple[int, int]:
    return max(1, int(page)), min(MAX_PER_PAGE, max(1, int(per_page)))


def _unavailable(detail: str, error_code: str | None = None) -> AddressSearchFailure:
    return AddressSearchFailure(
        reason=AddressFailureReason.UNAVAILABLE,
        message=UNAVAILABLE_MESSAGE,
        error_code=error_code,
        detail=detail,
    )


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int)):
        raise ValueError(f"juso field {key} has type {type(value).__name__}")
    return str(value).strip()


def parse_juso_payload(payload: Any) -> AddressPage | AddressSearchFailure:
    """Turn a decoded juso.go.kr answer into a page or a failure (never raises)."""
    try:
        results = payload["results"]
        common = results["common"]
        error_code = str(common["errorCode"]).strip()
        error_message = str(common.get("errorMessage") or "").strip()
        if error_code != "0":
            if error_code in KEYWORD_ERROR_CODES:
                return AddressSearchFailure(
                    reason=AddressFailureReason.INVALID_KEYWORD,
                    message=error_message or "검색어를 확인해 주세요.",
                    error_code=error_code,
                    detail=error_message,
                )
            return _unavailable(
                error_message or "juso error", error_code if _JUSO_CODE.fullmatch(error_code) else None
            )
        # juso sends the numbers as strings.
        total_count = int(common.get("totalCount") or 0)
        page = int(common.get("currentPage") or 1)
        per_page = int(common.get("countPerPage") or 10)
        items = results.get("juso") or []
        if not isinstance(items, list):
            raise ValueError("results.juso is not a list")
        addresses = tuple(
            Address(
                zip_code=_text(item, "zipNo"),
                road_address=_text(item, "roadAddr"),
                jibun_address=_text(item, "jibunAddr"),
                sido=_text(item, "siNm"),
                sigungu=_text(item, "sggNm"),
                emd=_text(item, "emdNm"),
                building_name=_text(item, "bdNm"),
            )
            for item in items
        )
        if total_count < 0 or any(not a.road_address for a in addresses):
            raise ValueError("implausible juso answer")
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        return _unavailable(f"unreadable juso answer: {type(exc).__name__}")
    return AddressPage(total_count=total_count, page=page, per_page=per_page, results=addresses)


def parse_juso_body(body: bytes | str) -> AddressPage | AddressSearchFailure:
    """Decode a juso.go.kr JSON body and parse it (never raises)."""
    try:
        payload = json.loads(body)
    except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly nested
        return _unavailable("juso answer is not JSON")
    return parse_juso_payload(payload)


class JusoAddressSearch:
    """The real client for https://business.juso.go.kr/addrlink/addrLinkApi.do.

    Uses POST (the official sample does) so that the key stays out of URLs and
    hence out of httpx's request log lines.
    """

    def __init__(
        self,
        api_key: str,
        *,
        timeout: float,
        base_url: str = JUSO_API_URL,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key:
            raise ServiceNotConfigured("address search (juso.go.kr) needs YONGIN_JUSO_API_KEY")
        self._api_key = api_key
        self._timeout = timeout
        self._base_url = base_url
        self._transport = transport

    def __repr__(self) -> str:  # keep the key out of reprs
        return f"JusoAddressSearch(base_url={self._base_url!r})"

    def search(
        self, keyword: str, page: int = 1, per_page: int = 10
    ) -> AddressPage | AddressSearchFailure:
        page, per_page = clamp_paging(page, per_page)
        form = {
            "confmKey": self._api_key,
            "currentPage": str(page),
            "countPerPage": str(per_page),
            "keyword": keyword,
            "resultType": "json",
        }
        try:
            with httpx.Client(
                timeout=self._timeout, transport=self._transport, follow_redirects=False
            ) as client:
                response = client.post(self._base_url, data=form)
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
            logger.warning("juso address search failed: %s", type(exc).__name__)
            return _unavailable(f"transport error: {type(exc).__name__}")
        if response.status_code != 200:
            logger.warning("juso address search answered HTTP %s", response.status_code)
            return _unavailable(f"HTTP {response.status_code}")
        result = parse_juso_body(response.content)
        if isinstance(result, AddressSearchFailure) and result.reason is AddressFailureReason.UNAVAILABLE:
            # The error code, or our own words: never juso's errorMessage (free text from outside).
            logger.warning(
                "juso address search failed: %s",
                f"error {result.error_code}" if result.error_code else "unreadable answer",
            )
        return result
