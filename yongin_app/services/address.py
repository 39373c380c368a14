"""주소찾기 over the address port: results for the page, or a message it can show."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from yongin_app.ports import get_address_search
from yongin_app.ports.address import AddressPage
from yongin_app.ports.errors import ServiceNotConfigured
from yongin_app.services import messages

log = logging.getLogger(__name__)
KEYWORD_MAX = 80
PER_PAGE = 20


@dataclass(frozen=True)
class AddressChoice:
    zip_code: str
    road_address: str
    jibun_address: str


@dataclass(frozen=True)
class AddressSearchResult:
    choices: tuple[AddressChoice, ...] = ()
    message: str = ""


def search_addresses(keyword: str) -> AddressSearchResult:
    keyword = (keyword or "").strip()[:KEYWORD_MAX]
    if not keyword:
        return AddressSearchResult(message=messages.ADDRESS_SEARCH_KEYWORD_REQUIRED)
    try:
        answer = get_address_search().search(keyword, 1, PER_PAGE)
    except ServiceNotConfigured:
        log.error("address search is not configured")
        return AddressSearchResult(message=messages.ADDRESS_SEARCH_UNAVAILABLE)
    if not isinstance(answer, AddressPage):
        log.warning("address search failed: %s %s", answer.reason.value, answer.error_code)
        return AddressSearchResult(message=answer.message)
    if not answer.results:
        return AddressSearchResult(message=messages.ADDRESS_SEARCH_NO_RESULT)
    return AddressSearchResult(
        choices=tuple(AddressChoice(a.zip_code, a.road_address, a.jibun_address) for a in answer.results)
    )
