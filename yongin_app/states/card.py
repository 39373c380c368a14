"""The logged-in member's own card, for the main page and /card."""

from __future__ import annotations

import asyncio

import reflex as rx

from yongin_app import texts
from yongin_app.services.cards import CardView, member_card_view
from yongin_app.states.session import SessionState


def loan_limit_text(card: CardView) -> str:
    if card.multichild_expires_on is not None:
        expiry = card.multichild_expires_on.strftime("%Y.%m.%d")
        return texts.CARD_LOAN_LIMIT_MULTICHILD.format(limit=card.loan_limit, expiry=expiry)
    return texts.CARD_LOAN_LIMIT_DEFAULT.format(limit=card.loan_limit)


class CardFields(rx.State, mixin=True):
    """What the card component shows, for the member's own card and the staff preview."""

    has_card: bool = False
    name: str = ""
    card_number: str = ""
    branch_name: str = ""
    loan_limit_text: str = ""
    barcode_uri: str = ""

    def _show(self, card: CardView | None) -> None:
        self.has_card = card is not None
        self.name = card.name if card else ""
        self.card_number = card.card_number if card else ""
        self.branch_name = card.branch_name if card else ""
        self.loan_limit_text = loan_limit_text(card) if card else ""
        self.barcode_uri = card.barcode_uri if card else ""


class MemberCardState(CardFields, rx.State):
    # False in the prerendered page: /card draws nothing until the first load has answered, so the
    # card does not replace a "no card yet" panel and push the page around (CLS) a moment later.
    loaded: bool = False

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        member_id = await session._current_member_id()
        self._show(await asyncio.to_thread(member_card_view, member_id) if member_id else None)
        self.loaded = True
