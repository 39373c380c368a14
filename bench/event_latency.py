"""3. Event round trip in a real browser: click → DOM updated, timed inside the page.

Before each click a MutationObserver is installed on the document; the page takes performance.now() right
before it dispatches the click and again in the first observer callback in which the expected change is
there. Playwright is only the driver: its own round trips are outside the timed span.

- 중복체크 (STEP 04 정보입력 of 일반 회원가입 as the sandbox person 홍길동): a fresh ID is typed and kept (its
  blur is answered) before each click; done when #login_id-status says "사용 가능한 아이디입니다.".
- 자격확인 of a row in 다자녀 자녀신청: the parent 김용인 and the three children (all 정회원, so every check
  succeeds and the 10-failed-checks lockout is never touched); each 자녀신청 starts a new application with
  three unchecked rows; done when the row shows its 자격확인완료 badge (or its error, which is then reported).
- 회원가입 확인: a fresh browser context goes through the wizard as 홍길동 each time (the account made by the
  previous sample is removed through the app's database first); done when a visible role=status element
  says "회원가입이 완료되었습니다." (the submit's own update shows it in place of the form, then the main page
  keeps showing it). Reference: the bare argon2id hash (yongin_app.services.passwords.hash_password) timed
  in this process in the same run. Also reported, without a target: the click until the main page (/)
  shows that welcome, the end of the whole page change.
- The blank Reflex app's counter: click #count-button, done when #count changed. Reference of 중복체크 and
  자격확인.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/event_latency.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROOT,
    Row,
    Server,
    app_server,
    blank_server,
    format_table,
    percentile,
)

SECTION = "3 event latency"
SIGNUP_PERSON = "홍길동"
MULTICHILD_PARENT = "김용인"
MULTICHILD_RRN_BACK = "2345678"
MULTICHILD_CHILDREN = ("김하나", "김두리", "김세찬")
ID_AVAILABLE = "사용 가능한 아이디입니다."
WELCOME = "회원가입이 완료되었습니다."
# A status message with the welcome that is visible now (not merely somewhere in the DOM).
_WELCOME_SHOWN = (f"[...document.querySelectorAll('[role=status]')].some(e => "
                  f"e.textContent.includes({json.dumps(WELCOME)}) && e.checkVisibility())")
CLICK_TIMEOUT_MS = 30_000
ROW_CHECK_TARGET = 3.0  # p95 ≤ 3× the blank app's
SIGNUP_TARGET = 1.5  # p95 ≤ 1.5× the argon2id hash


# ---------------------------------------------------------------- the app's database, from another process

_DB_HELPER = r"""
import importlib, json, sys
for line in sys.stdin:
    call = json.loads(line)
    module, _, name = call["fn"].partition(":")
    try:
        out = {"ok": True, "result": getattr(importlib.import_module(module), name)(*call["args"])}
    except Exception as exc:  # reported to the caller
        out = {"ok": False, "error": repr(exc)}
    sys.stdout.write("@@result " + json.dumps(out, default=str) + "\n")
    sys.stdout.flush()
"""


# The abuse limits' counters (in the server's database, or its Redis), emptied between samples.
CLEAR_RATE_LIMITS = "yongin_app.services.rate_limits:clear_all"


class AppDb:
    """Calls functions of the test helpers (tests/e2e) in a helper process that has the server's
    environment, so they reach the server's database (SQLite in its data dir, or PostgreSQL)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> AppDb:
        self.process = subprocess.Popen([sys.executable, "-c", _DB_HELPER], cwd=ROOT, env=self.server.env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return self

    def call(self, fn: str, *args: Any) -> Any:
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"fn": fn, "args": list(args)}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("@@result "):
                out = json.loads(line[len("@@result "):])
                if not out["ok"]:
                    raise RuntimeError(f"{fn}{args}: {out['error']}")
                return out["result"]
        raise RuntimeError(f"the database helper exited during {fn}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None


# ---------------------------------------------------------------- timing a click inside the page

_MEASURE_JS = """
() => new Promise((resolve, reject) => {
  const button = (%(button)s);
  if (!button) { reject(new Error("no button to click")); return; }
  %(setup)s
  const done = () => (%(done)s);
  if (done()) { reject(new Error("the change is there before the click")); return; }
  let clicked = 0;
  const observer = new MutationObserver(() => {
    if (done()) {
      const now = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      resolve(now - clicked);
    }
  });
  observer.observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true});
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no change within the timeout")); }, %(timeout)d);
  clicked = performance.now();
  button.click();
})
"""


def timed_click(page, *, button: str, done: str, setup: str = "") -> float:
    """Milliseconds from the click's dispatch to the first DOM mutation after which ``done`` (a JS
    expression) is true."""
    return float(page.evaluate(_MEASURE_JS % {"button": button, "done": done, "setup": setup,
                                              "timeout": CLICK_TIMEOUT_MS}))


def _button_by_text(text: str) -> str:
    return f"[...document.querySelectorAll('button')].find(b => b.textContent.trim() === {json.dumps(text)})"


def _settle_saves(page) -> None:
    """Waits until the signup form's kept-entries counter has not moved for 300 ms (no blur in flight)."""
    from tests.e2e.signup_steps import kept_entries

    last, since = kept_entries(page), time.monotonic()
    while time.monotonic() - since < 0.3:
        page.wait_for_timeout(50)
        now = kept_entries(page)
        if now != last:
            last, since = now, time.monotonic()


# ---------------------------------------------------------------- the four clicks


def measure_blank(browser, blank: Server, samples: int) -> list[float]:
    context = browser.new_context(viewport=DESKTOP, base_url=blank.url)
    page = context.new_page()
    page.goto("/")
    page.locator("#count").wait_for()
    page.wait_for_function("() => document.getElementById('count').textContent === '0'")
    page.wait_for_timeout(300)  # hydrated
    times = []
    for _ in range(samples + 2):  # the first two warm up
        times.append(timed_click(page, button="document.getElementById('count-button')",
                                 setup="const before = document.getElementById('count').textContent;",
                                 done="document.getElementById('count').textContent !== before"))
    context.close()
    return times[2:]


def measure_id_check(browser, app: Server, db: AppDb, samples: int) -> list[float]:
    from playwright.sync_api import expect

    from tests.e2e import signup_steps

    db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
    db.call(CLEAR_RATE_LIMITS)
    context = browser.new_context(viewport=DESKTOP, locale="ko-KR", base_url=app.url)
    page = context.new_page()
    signup_steps.general_signup_until_info(page)
    status = page.locator("#login_id-status")
    times = []
    for _ in range(samples + 1):  # the first warms up
        # The limits stay on (their checks are part of the round trip timed here); their counters are
        # emptied so that one draft may check more IDs than a person would.
        db.call(CLEAR_RATE_LIMITS)
        page.get_by_label("아이디", exact=True).fill(signup_steps.new_login_id())
        page.get_by_label("아이디", exact=True).press("Tab")  # the blur keeps it and clears the last result
        expect(status).to_have_text("")
        _settle_saves(page)
        times.append(timed_click(page, button=_button_by_text("중복체크"),
                                 done=f"document.getElementById('login_id-status')?.textContent === {json.dumps(ID_AVAILABLE)}"))
    context.close()
    db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)  # only a draft, but leave nothing
    return times[1:]


def measure_row_check(browser, app: Server, db: AppDb, samples: int) -> list[float]:
    from playwright.sync_api import expect

    from tests.e2e.accounts import PASSWORD
    from tests.e2e.helpers import log_in, open_login

    for name in (MULTICHILD_PARENT, *MULTICHILD_CHILDREN):
        db.call("tests.e2e.signup_steps:forget_person", name)
    parent = db.call("tests.e2e.accounts:full_member", MULTICHILD_PARENT)
    children = {name: db.call("tests.e2e.accounts:full_member", name, "c" + uuid.uuid4().hex[:9])
                for name in MULTICHILD_CHILDREN}
    context = browser.new_context(viewport=DESKTOP, locale="ko-KR", base_url=app.url)
    page = context.new_page()
    open_login(page)
    log_in(page, parent, PASSWORD)
    expect(page.get_by_role("navigation", name="주 메뉴").get_by_role("button", name="로그아웃")).to_be_visible()
    times: list[float] = []
    warm = True
    while len(times) < samples:
        # 자녀신청 again: a new application with three unchecked rows (the old open one is replaced).
        page.goto("/account/multichild")
        page.get_by_label("본인은 위 정보를 비대면 자격확인 조회를 위하여 개인정보를 처리하는 것에 동의합니다.").check()
        page.get_by_label("주민등록번호").fill(MULTICHILD_RRN_BACK)
        page.get_by_role("button", name="자녀신청").click()
        expect(page.get_by_role("heading", name="자녀정보 확인")).to_be_visible()
        expect(page.locator("form.child-row")).to_have_count(len(MULTICHILD_CHILDREN))
        for number, name in enumerate(MULTICHILD_CHILDREN, start=1):
            row = page.get_by_role("form", name=f"자녀{number}")
            row.get_by_label(f"자녀{number} 아이디").fill(children[name])
            row.get_by_label(f"자녀{number} 이름").fill(name)
        page.wait_for_timeout(200)
        for index in range(len(MULTICHILD_CHILDREN)):
            row = f"document.querySelectorAll('form.child-row')[{index}]"
            took = timed_click(page, button=f"{row}?.querySelector('button[type=submit]')",
                               done=f"!!({row}?.querySelector('.verified-badge') || "
                                    f"{row}?.querySelector('[role=alert] .field-error')?.textContent)")
            expect(page.get_by_role("form", name=f"자녀{index + 1}").locator(".verified-badge")).to_be_visible()
            if warm:
                warm = False
            elif len(times) < samples:
                times.append(took)
    context.close()
    for name in (MULTICHILD_PARENT, *MULTICHILD_CHILDREN):
        db.call("tests.e2e.signup_steps:forget_person", name)
    return times


def measure_signup_submit(browser, app: Server, db: AppDb, samples: int) -> tuple[list[float], list[float]]:
    """Click → the welcome is shown, and click → the main page shows it (the page change done)."""
    from tests.e2e import signup_steps

    # A second observer, started with the timed one, notes when the main page shows the welcome.
    on_home = ("window.__homeMs = null; const home = new MutationObserver(() => {"
               f" if (location.pathname === '/' && {_WELCOME_SHOWN}) {{"
               " window.__homeMs = performance.now() - clicked; home.disconnect(); } });"
               " home.observe(document.documentElement, {subtree: true, childList: true, characterData: true,"
               " attributes: true});")
    times, home_times = [], []
    for index in range(samples + 1):  # the first warms up
        db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
        db.call(CLEAR_RATE_LIMITS)  # one person signs up again and again: the 60 s send cooldown
        context = browser.new_context(viewport=DESKTOP, locale="ko-KR", base_url=app.url)
        page = context.new_page()
        signup_steps.general_signup_until_info(page)
        signup_steps.fill_required_info(page, signup_steps.new_login_id())
        # A real click focuses the button at mousedown, so the last field typed (상세주소) loses focus and is
        # kept before the click; the timed click() below moves no focus, so do that part first.
        page.get_by_role("button", name="회원가입 확인").focus()
        _settle_saves(page)
        took = timed_click(page, button=_button_by_text("회원가입 확인"), setup=on_home, done=_WELCOME_SHOWN)
        signup_steps.expect_welcome(page, SIGNUP_PERSON)
        page.wait_for_function("() => window.__homeMs !== null")
        if index:
            times.append(took)
            home_times.append(float(page.evaluate("() => window.__homeMs")))
        context.close()
    db.call("tests.e2e.signup_steps:forget_person", SIGNUP_PERSON)
    return times, home_times


def measure_hash(samples: int) -> list[float]:
    """The bare argon2id hash of the app (its parameters), in this process."""
    from yongin_app.services.passwords import hash_password

    hash_password("warm-up-password-1")
    times = []
    for index in range(samples):
        started = time.perf_counter()
        hash_password(f"Sejong-Book#{index:04d}")
        times.append((time.perf_counter() - started) * 1000)
    return times


# ---------------------------------------------------------------- the table


def _pair(figure: str, values: list[float], reference: list[float] | None, ref_name: str,
          factor: float | None) -> list[Row]:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    ref50 = percentile(reference, 50) if reference else None
    ref95 = percentile(reference, 95) if reference else None
    target = f"p95 ≤ {factor:g}× {ref_name}" if factor else ""
    met = (p95 <= factor * ref95) if factor and ref95 else None
    return [
        Row(SECTION, f"{figure} p50 (n={len(values)})", p50, "ms", ref50),
        Row(SECTION, f"{figure} p95 (n={len(values)})", p95, "ms", ref95, target, met),
    ]


def run(quick: bool, workdir: Path, app: Server, blank: Server | None) -> list[Row]:
    from playwright.sync_api import sync_playwright

    if blank is None:
        with blank_server(workdir) as own_blank:
            return run(quick, workdir, app, own_blank)
    clicks = 10 if quick else 40
    signups = 5 if quick else 15
    with AppDb(app) as db, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        blank_ms = measure_blank(browser, blank, clicks)
        id_ms = measure_id_check(browser, app, db, clicks)
        row_ms = measure_row_check(browser, app, db, clicks)
        hash_ms = measure_hash(max(signups, 10))
        submit_ms, home_ms = measure_signup_submit(browser, app, db, signups)
        hash_ms += measure_hash(max(signups, 10))  # before and after, against drift
        browser.close()
    return [
        *_pair("blank app #count-button (reference)", blank_ms, None, "", None),
        *_pair("중복체크 → 사용 가능한 아이디입니다.", id_ms, blank_ms, "blank", ROW_CHECK_TARGET),
        *_pair("자격확인 row → 자격확인완료", row_ms, blank_ms, "blank", ROW_CHECK_TARGET),
        *_pair("argon2id hash_password (reference)", hash_ms, None, "", None),
        *_pair("회원가입 확인 → 회원가입이 완료되었습니다.", submit_ms, hash_ms, "argon2id hash", SIGNUP_TARGET),
        *_pair("회원가입 확인 → the main page shows it", home_ms, hash_ms, "argon2id hash", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 clicks each, 5 signups (CI)")
    args = parser.parse_args()
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    with app_server() as app, blank_server(workdir) as blank:
        rows = run(args.quick, workdir, app, blank)
    print(format_table(rows))
    print(f"\nevent latency: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
