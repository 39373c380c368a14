"""주소찾기 as a mixin: the search dialog's state, for any page that has an address to fill."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app.domain.validators import parse_id
from yongin_app.services.address import search_addresses


class AddressSearchState(rx.State, mixin=True):
    postal_code: str = ""
    road_address: str = ""
    address_open: bool = False
    address_results: list[dict[str, str]] = []
    address_message: str = ""

    async def _address_chosen(self, postal_code: str, road_address: str) -> bool:
        """Keep the chosen address (the page decides where); False stops the choice."""
        raise NotImplementedError

    @rx.event
    def set_address_open(self, is_open: bool):
        self.address_open = bool(is_open)
        if self.address_open:
            self.address_results = []
            self.address_message = ""

    @rx.event
    async def search_address(self, form_data: dict):
        keyword = str((form_data if isinstance(form_data, dict) else {}).get("address_keyword", ""))
        result = await asyncio.to_thread(search_addresses, keyword)
        self.address_message = result.message
        self.address_results = [
            {"zip": c.zip_code, "road": c.road_address, "jibun": c.jibun_address} for c in result.choices
        ]

    @rx.event
    async def choose_address(self, index: int):
        position = parse_id(index, max_digits=3)  # never int(): "²", -1 or a float from a crafted event
        if position is None or position >= len(self.address_results):
            return
        chosen = self.address_results[position]
        if not await self._address_chosen(chosen["zip"], chosen["road"]):
            return
        self.postal_code, self.road_address = chosen["zip"], chosen["road"]
        self.address_open = False
        return rx.set_focus("address_detail")
