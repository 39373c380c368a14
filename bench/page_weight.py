"""1. Page weight: the JavaScript and CSS a first visit loads, against a blank Reflex app.

Every page is opened in a fresh browser context (empty cache) and every response whose resource
type is ``script`` or ``stylesheet`` is recorded, ``<link rel=modulepreload>`` included (Chromium
gives those the ``script`` type), until the network is idle. Per page we sum

* raw: the decoded body bytes,
* gzip: the body compressed with gzip -6 (the same for both apps, whatever the server does),
* wire: the encoded body bytes that came over the network (the server gzips what it serves),

and compare each with the blank app's ``/`` measured in the same run. Target: at most 1.25×.
Web fonts (the Pretendard subsets a page's text pulls in) are reported on their own line, outside
the target: they are not JavaScript or CSS, but they travel on the same critical path.

The card page needs a login: a first context logs in as ``demofull`` at ``/login?next=/card``,
its cookies (the ``yongin_session`` cookie) are copied into a second, fresh context, and that
context's first visit to ``/card`` is measured: logged in, with an empty cache.

    python -m bench.page_weight [--quick] [--details]

``--details`` also prints every script and stylesheet of every page (the chunk names and sizes
that explain a ratio).
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, PHONE, Row, Server, main_against_blank

SECTION = "1 page weight"
TARGET_RATIO = 1.25
MEMBER_LOGIN = ("demofull", "Chaekbit-2026!")
CARD_HEADING = "모바일 회원증"
# (label, path, needs login). Quick mode (CI) measures the card page only: it exercises the login too.
PAGES = [("/", "/", False), ("signup STEP 01", "/signup", False), ("/card", "/card", True)]
QUICK_PAGES = ["/card"]
WEIGHED_TYPES = ("script", "stylesheet")
RECORDED_TYPES = (*WEIGHED_TYPES, "font")  # fonts are listed and reported, outside the target
SETTLE_MS = 1000  # after network idle: chunks imported lazily once the page has hydrated


@dataclass
class Asset:
    url: str
    kind: str  # script | stylesheet | font
    raw: int
    gzip: int
    wire: int

    @property
    def name(self) -> str:
        return urlsplit(self.url).path


@dataclass
class Weight:
    assets: list[Asset] = field(default_factory=list)

    def total(self, attr: str, kind: str | None = None) -> int:
        """Sum over the scripts and stylesheets, or over one kind."""
        kinds = (kind,) if kind else WEIGHED_TYPES
        return sum(getattr(asset, attr) for asset in self.assets if asset.kind in kinds)


def gzip6(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def log_in(page: Page, base_url: str, next_path: str = "/card") -> None:
    """Log in as the demo member with a card, the way a person does, and wait until `next_path` shows."""
    page.goto(f"{base_url}/login?next={next_path}", wait_until="networkidle", timeout=60_000)
    # A form submitted before React hydrated is a native GET with the password in the URL: wait for
    # Reflex's root provider, whose effect sets window.__reflex once the page has hydrated.
    page.wait_for_function("() => window.__reflex !== undefined", timeout=30_000)
    expect(page.get_by_role("heading", name="로그인", level=1)).to_be_visible(timeout=30_000)
    page.get_by_label("아이디").fill(MEMBER_LOGIN[0])
    page.get_by_label("비밀번호", exact=True).fill(MEMBER_LOGIN[1])
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(lambda url: same_path(url, next_path), timeout=30_000)
    if next_path == "/card":
        expect(page.get_by_role("article", name=CARD_HEADING)).to_be_visible(timeout=30_000)


def same_path(url: str, path: str) -> bool:
    """The static export serves /signup as /signup/."""
    return urlsplit(url).path.rstrip("/") == path.rstrip("/")


def logged_in_state(browser: Browser, base_url: str) -> dict:
    """Cookies (and local storage) of a member who just logged in, for a fresh context."""
    context = browser.new_context(viewport=PHONE)
    try:
        log_in(context.new_page(), base_url)
        state = context.storage_state()
    finally:
        context.close()
    if not any(cookie["name"] == "yongin_session" and cookie["value"] for cookie in state["cookies"]):
        raise RuntimeError("the login left no yongin_session cookie")
    return state


def weigh(context: BrowserContext, url: str, *, expect_card: bool = False) -> Weight:
    """Every script, stylesheet and font that a first visit to `url` in `context` loads."""
    responses = []
    context.on("response", lambda response: responses.append(response)
               if response.request.resource_type in RECORDED_TYPES else None)
    page = context.new_page()
    page.goto(url, wait_until="networkidle", timeout=60_000)
    if expect_card:  # logged in: the member's card, not the login page or "no card yet"
        expect(page.get_by_role("article", name=CARD_HEADING)).to_be_visible(timeout=30_000)
    page.wait_for_timeout(SETTLE_MS)  # lazy chunks of the hydrated page
    page.wait_for_load_state("networkidle")
    if not same_path(page.url, urlsplit(url).path):
        raise RuntimeError(f"{url} ended on {page.url}")
    weight, seen = Weight(), set()
    for response in responses:
        if response.status >= 400:  # e.g. a chunk of another build: the page never hydrated
            raise RuntimeError(f"{url}: {response.url} answered {response.status}")
        if response.url in seen or response.status != 200:
            continue
        seen.add(response.url)
        body = response.body()
        sizes = response.request.sizes()
        weight.assets.append(Asset(response.url, response.request.resource_type, len(body), gzip6(body),
                                   sizes["responseBodySize"]))
    page.close()
    return weight


def measure(browser: Browser, base_url: str, path: str, needs_login: bool) -> Weight:
    state = logged_in_state(browser, base_url) if needs_login else None
    context = browser.new_context(viewport=PHONE, storage_state=state)
    try:
        return weigh(context, f"{base_url}{path}", expect_card=needs_login)
    finally:
        context.close()


def _rows(label: str, weight: Weight, blank: Weight) -> list[Row]:
    rows = []
    for attr, what, with_target in (("raw", "raw", True), ("gzip", "gzip -6", True), ("wire", "over the wire", False)):
        value, reference = weight.total(attr), blank.total(attr)
        rows.append(Row(SECTION, f"{label} JS+CSS {what} bytes", value, "B", reference,
                        f"≤ {TARGET_RATIO}× blank" if with_target else "",
                        (value <= TARGET_RATIO * reference) if with_target else None))
    rows.append(Row(SECTION, f"{label} fonts over the wire bytes (no target)", weight.total("wire", "font"),
                    "B", blank.total("wire", "font")))
    return rows


def details(label: str, weight: Weight) -> str:
    lines = [f"{label}: {len(weight.assets)} files, JS {weight.total('raw', 'script'):,} B "
             f"(gzip {weight.total('gzip', 'script'):,}), CSS {weight.total('raw', 'stylesheet'):,} B "
             f"(gzip {weight.total('gzip', 'stylesheet'):,}), fonts {weight.total('wire', 'font'):,} B over the wire"]
    for asset in sorted(weight.assets, key=lambda a: -a.raw):
        lines.append(f"  {asset.kind:<10} {asset.raw:>9,} raw {asset.gzip:>8,} gz {asset.wire:>8,} wire  {asset.name}")
    return "\n".join(lines)


def collect(quick: bool, app: Server, blank: Server) -> tuple[Weight, dict[str, Weight]]:
    pages = [page for page in PAGES if not quick or page[0] in QUICK_PAGES]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            reference = measure(browser, blank.url, "/", False)
            weights = {label: measure(browser, app.url, path, login) for label, path, login in pages}
        finally:
            browser.close()
    return reference, weights


def run(quick: bool, workdir: Path, app: Server, blank: Server, *, show_details: bool = False) -> list[Row]:
    reference, weights = collect(quick, app, blank)
    if show_details:
        print(details("blank /", reference), file=sys.stderr)
        for label, weight in weights.items():
            print(details(label, weight), file=sys.stderr)
    return [row for label, weight in weights.items() for row in _rows(label, weight, reference)]


def main(argv: list[str] | None = None) -> int:
    return main_against_blank(run, "python -m bench.page_weight", __doc__, quick_help="the card page only (CI)",
                              details_help="list every script and stylesheet", argv=argv)


if __name__ == "__main__":
    sys.exit(main())
