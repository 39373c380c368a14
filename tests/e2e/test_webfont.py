"""Pretendard never slows a first visit or shifts text: it is fetched after the page has loaded and
used from the next page load on (assets/webfont.js, the head script in yongin_app.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

FONT_FILE_STARTS = """() => {
  const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
  return performance.getEntriesByType('resource')
    .filter(entry => entry.name.endsWith('.woff2'))
    .map(entry => entry.startTime - loaded);
}"""
BODY_FONT = "() => getComputedStyle(document.body).fontFamily"


def test_first_visit_uses_the_system_font_and_fetches_pretendard_only_after_load(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("navigation", name="주 메뉴")).to_be_visible()
    # The flag is stored once this page's font files are in the cache.
    page.wait_for_function("() => localStorage.getItem('yongin-webfont') === '1'")
    starts = page.evaluate(FONT_FILE_STARTS)
    assert starts, "the font files were not fetched after the first page load"
    assert min(starts) >= 0, f"a font file was requested before the load event: {starts}"
    assert not page.evaluate(BODY_FONT).startswith('"Pretendard Variable"')

    # The class the head script puts on <html> must not upset React's hydration.
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.reload()
    expect(page.get_by_role("navigation", name="주 메뉴")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile(r"\bwebfont\b"))
    assert page.evaluate(BODY_FONT).startswith('"Pretendard Variable"')
    assert page.evaluate("() => document.fonts.check('16px \"Pretendard Variable\"', '회원가입')")
    assert console_errors == []
