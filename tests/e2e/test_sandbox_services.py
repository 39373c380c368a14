"""The sandbox Kakao/Naver login pages are served by the running app itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from yongin_app.domain.enums import OAuthProvider
from yongin_app.ports import get_oauth_client
from yongin_app.ports.oauth import new_state
from yongin_app.settings import Settings


@pytest.mark.parametrize(
    ("provider", "title"),
    [(OAuthProvider.KAKAO, "시험용 카카오 로그인"), (OAuthProvider.NAVER, "시험용 네이버 로그인")],
)
def test_sandbox_authorize_page_is_served_by_the_app(page: Page, app_url: str, provider, title) -> None:
    client = get_oauth_client(provider, Settings(public_base_url=app_url))
    page.goto(client.authorize_url(new_state()))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("시험용 (sandbox)").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
