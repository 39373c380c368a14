"""2. Lighthouse: the main page, signup STEP 01 and the card page, against a blank Reflex app.

Lighthouse 12.8.2 (npm, pinned in bench/tools/package-lock.json; installed with
``npm ci --prefix bench/tools`` when bench/tools/node_modules is missing) audits each page with
its default mobile preset (Moto G Power, simulated slow 4G, 4× CPU slowdown) in Debian's
chromium, categories performance, accessibility, best-practices and SEO. Every report is kept as
JSON in ``<workdir>/lighthouse/``.

The card page needs a login, and Lighthouse's ``--extra-headers`` cannot give it one: Reflex
reads its ``rx.Cookie`` (``yongin_session``) from ``document.cookie`` in the page, not from the
HTTP request, so a Cookie header alone still ends on ``/login?next=/card``. So every run starts its
own chromium (``--headless=new``, the flags of common.CHROMIUM_ARGS and chrome-launcher's defaults,
which are the ones Lighthouse's CLI uses) with a debugging port; for the card page Playwright
attaches to it over CDP and logs in as ``demofull`` in its default context, closes its tab and
detaches; then ``lighthouse --port`` audits the page in that browser. Before navigating,
Lighthouse clears the HTTP cache and the origin's caches but keeps cookies (its default
``clearStorageTypes``), so the card page is a first visit with an empty cache, logged in. Each run
checks that the audited page was not redirected elsewhere.

Full mode runs every page five times and reports the median of each figure; quick mode (CI)
audits the main page and the blank app once each.

    python -m bench.lighthouse [--quick] [--details]

``--details`` also prints, per page, every audit that lost points (by id) and where the JSON is.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT, Row, Server, free_port, main_against_blank
from bench.page_weight import log_in, same_path

SECTION = "2 lighthouse"
TOOLS = ROOT / "bench" / "tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# (label, path, needs login)
PAGES = [("/", "/", False), ("signup STEP 01", "/signup", False), ("/card", "/card", True)]
QUICK_PAGES = ["/"]
FULL_RUNS = 5  # Lighthouse's own advice for a stable median; single runs jump (see BENCHMARKS.md)
RUN_TIMEOUT_S = 240

# figure key -> (label, unit, target text, met?)
TARGETS = {
    "performance": ("performance", "score", "≥ 0.95", lambda v: v >= 0.95),
    "accessibility": ("accessibility", "score", "= 1.00", lambda v: v >= 1.0),
    "best-practices": ("best practices", "score", "= 1.00", lambda v: v >= 1.0),
    "seo": ("SEO", "score", "≥ 0.90", lambda v: v >= 0.9),
    "lcp": ("LCP", "ms", "", None),
    "cls": ("CLS", "", "≤ 0.02", lambda v: v <= 0.02),
}


@dataclass
class Audit:
    """The figures of one Lighthouse report."""

    figures: dict[str, float]
    lost: list[str]  # "category/audit-id score (display value)" of every audit that lost points
    report: Path


def ensure_lighthouse() -> None:
    """`npm ci` the pinned Lighthouse into bench/tools when it is not there yet."""
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install Lighthouse (Debian: apt-get install npm)")
        subprocess.run([npm, "ci", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--ignore-scripts"],
                       check=True, stdout=subprocess.DEVNULL)
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    if version != LIGHTHOUSE_VERSION:
        raise RuntimeError(f"bench/tools has Lighthouse {version}, not {LIGHTHOUSE_VERSION}: "
                           "rm -rf bench/tools/node_modules and run again")


def launcher_flags() -> list[str]:
    """The flags chrome-launcher gives every Chrome that Lighthouse's CLI starts."""
    out = subprocess.run(["node", "-e", "import('chrome-launcher').then(m => "
                          "console.log(JSON.stringify(m.Launcher.defaultFlags())))"],
                         cwd=TOOLS, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


class Chromium:
    """A headless chromium with a debugging port and a throwaway profile, for one Lighthouse run."""

    def __init__(self, flags: list[str]):
        self.port = free_port()
        self.profile = Path(tempfile.mkdtemp(prefix="bench-lh-profile-"))
        args = [*flags, "--headless=new", *CHROMIUM_ARGS, f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}", "about:blank"]
        self.process = subprocess.Popen([CHROMIUM, *dict.fromkeys(args)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/json/version", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.2)  # polling a starting browser
        self.close()
        raise RuntimeError("chromium did not open its debugging port")

    def log_in(self, base_url: str) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{self.port}")
            page = browser.contexts[0].new_page()
            # No font files during the login: otherwise assets/webfont.js would store its "fonts are
            # cached" flag, and the audited first visit (whose HTTP cache Lighthouse clears) would be a
            # repeat view that fetches Pretendard on its critical path.
            page.route("**/*.woff2", lambda route: route.abort())
            log_in(page, base_url)
            page.close()
            # Detaching leaves the browser and its default context (with the cookie) running.

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def audit(url: str, report: Path, flags: list[str], *, login_base: str | None = None) -> Audit:
    chromium = Chromium(flags)
    try:
        if login_base:
            chromium.log_in(login_base)
        done = subprocess.run(
            [str(LIGHTHOUSE), url, f"--port={chromium.port}", "--quiet", "--output=json",
             f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=RUN_TIMEOUT_S,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"Lighthouse on {url} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    finally:
        chromium.close()
    return read_report(report, url)


def read_report(report: Path, url: str) -> Audit:
    data = json.loads(report.read_text())
    if data.get("runtimeError"):
        raise RuntimeError(f"Lighthouse on {url}: {data['runtimeError']}")
    final = data["finalDisplayedUrl"]
    if not same_path(final, urlsplit(url).path):
        raise RuntimeError(f"Lighthouse on {url} ended on {final} (see {report})")
    categories, audits = data["categories"], data["audits"]
    for request in audits["network-requests"]["details"]["items"]:
        if request.get("resourceType") in ("Script", "Stylesheet") and request.get("statusCode", 0) >= 400:
            raise RuntimeError(f"Lighthouse on {url}: {request['url']} answered {request['statusCode']}")
    figures = {key: categories[key]["score"] for key in CATEGORIES}
    figures["lcp"] = audits["largest-contentful-paint"]["numericValue"]
    figures["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    lost = []
    for key in CATEGORIES:
        for ref in categories[key]["auditRefs"]:
            result = audits[ref["id"]]
            if ref["weight"] > 0 and result["score"] is not None and result["score"] < 1:
                lost.append(f"{key}/{ref['id']} {result['score']:.2f} {result.get('displayValue', '')}".rstrip())
    return Audit(figures, lost, report)


def audit_page(label: str, url: str, runs: int, outdir: Path, flags: list[str], login_base: str | None) -> list[Audit]:
    slug = label.strip("/").replace("/", "-").replace(" ", "-") or "root"
    return [audit(url, outdir / f"{slug}-{run + 1}.json", flags, login_base=login_base) for run in range(runs)]


def median(audits: list[Audit], key: str) -> float:
    return statistics.median(audit.figures[key] for audit in audits)


def rows_for(label: str, audits: list[Audit], blank: list[Audit]) -> list[Row]:
    rows = []
    for key, (name, unit, target, met) in TARGETS.items():
        value = median(audits, key)
        rows.append(Row(SECTION, f"{label} {name}", value, unit, median(blank, key), target,
                        None if met is None else met(value)))
    return rows


def details(label: str, audits: list[Audit]) -> str:
    lines = [f"{label}: {len(audits)} run(s)"]
    for audit in audits:
        figures = audit.figures
        lines.append(f"  perf {figures['performance']:.2f} a11y {figures['accessibility']:.2f} "
                     f"bp {figures['best-practices']:.2f} seo {figures['seo']:.2f} LCP {figures['lcp']:,.0f} ms "
                     f"CLS {figures['cls']:.3f}  {audit.report}")
    lost = sorted({item for audit in audits for item in audit.lost})
    lines.extend(f"  lost: {item}" for item in lost)
    return "\n".join(lines)


def run(quick: bool, workdir: Path, app: Server, blank: Server, *, show_details: bool = False) -> list[Row]:
    ensure_lighthouse()
    flags = launcher_flags()
    outdir = workdir / "lighthouse"
    outdir.mkdir(parents=True, exist_ok=True)
    runs = 1 if quick else FULL_RUNS
    pages = [page for page in PAGES if not quick or page[0] in QUICK_PAGES]
    reference = audit_page("blank", f"{blank.url}/", runs, outdir, flags, None)
    results = {label: audit_page(label, f"{app.url}{path}", runs, outdir, flags, app.url if login else None)
               for label, path, login in pages}
    if show_details:
        print(details("blank /", reference), file=sys.stderr)
        for label, audits in results.items():
            print(details(label, audits), file=sys.stderr)
    return [row for label, audits in results.items() for row in rows_for(label, audits, reference)]


def main(argv: list[str] | None = None) -> int:
    return main_against_blank(run, "python -m bench.lighthouse", __doc__, quick_help="the main page only, one run (CI)",
                              details_help="audits that lost points, report paths", argv=argv)


if __name__ == "__main__":
    sys.exit(main())
