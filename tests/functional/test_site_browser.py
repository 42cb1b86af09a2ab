"""The published site in a real browser: Debian's Chromium, driven by Playwright (no browser
download: `executable_path` names the system's chromium, installed by .ci/system-deps).

Every page of the Midtjylland demo site (agendas and minutes published through the life's
steps) loads without a console error, every link found by crawling from the front page
resolves, axe-core (vendored in tests/vendor, no CDN) finds no serious or critical WCAG 2.1
A/AA violation on the front page, a body page and a meeting page, the keyboard alone reaches
search (and Pagefind answers), and screenshots are written for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import httpx
import pytest

from secretary.cli.bootstrap import open_secretary
from secretary.cli.server import make_app
from tests.conftest import NOW
from tests.server_helpers import serving
from tests.site_helpers import prepare

pytestmark = pytest.mark.external

AXE = Path(__file__).parents[1] / "vendor" / "axe-core-4.14.1.min.js"
SHOTS = Path(os.environ.get("SECRETARY_SCREENSHOTS", "/tmp/secretary-site-screenshots"))


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("Debian's chromium is not installed (bash .ci/system-deps)")
    return found


@pytest.fixture(scope="module")
def site(_preset_dbs, tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    chromium = _chromium()
    from tests.conftest import _copy_db  # the demo, copied

    db = _copy_db(_preset_dbs["midtjylland"], tmp_path_factory.mktemp("site"))
    prepare(open_secretary(db, clock=lambda: NOW))
    with serving(make_app(open_secretary(db), clock=lambda: NOW)) as url:
        old = os.environ.get("SECRETARY_PUBLIC_URL")
        os.environ["SECRETARY_PUBLIC_URL"] = url  # built on the first request: the buttons name this server
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                try:
                    yield url, browser
                finally:
                    browser.close()
        finally:
            if old is None:
                os.environ.pop("SECRETARY_PUBLIC_URL", None)
            else:
                os.environ["SECRETARY_PUBLIC_URL"] = old


@pytest.fixture
def browser_page(site):
    """A fresh page (its own context) per test, closed after it: the server bounds connections per client."""
    url, browser = site
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield url, context
    context.close()


def _page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, errors


def test_every_page_loads_without_console_errors_and_every_link_resolves(browser_page):
    url, browser = browser_page
    page, errors = _page(browser)
    seen: set[str] = set()
    queue = deque([url + "/"])
    pages = 0
    with httpx.Client(timeout=30) as client:
        while queue:
            address = queue.popleft()
            if address in seen:
                continue
            seen.add(address)
            path = urlparse(address).path
            if path.endswith("/") or path.endswith(".html"):
                response = page.goto(address, wait_until="networkidle")
                assert response is not None and response.status == 200, address
                pages += 1
                html_lang = page.get_attribute("html", "lang")
                assert html_lang in ("da", "sv", "en"), address
                assert page.locator("h1").count() == 1, address
                for attr, selector in (("href", "a[href]"), ("src", "img[src]"), ("href", "link[href]"), ("src", "script[src]")):
                    for value in page.eval_on_selector_all(selector, f"els => els.map(e => e.getAttribute('{attr}'))"):
                        target = urldefrag(urljoin(address, value))[0]
                        if urlparse(target).netloc == urlparse(url).netloc and target.startswith("http"):
                            queue.append(target)
            else:
                response = client.get(address)
                assert response.status_code == 200, address
    assert errors == []
    assert pages >= 25  # front, search, 15 bodies, their years, 5 meetings
    assert any("/meetings/dassos-2026-10-08/" in s for s in seen) and any(s.endswith(".docx") for s in seen)


@pytest.mark.parametrize("path", ["/", "/bodies/dassos/", "/meetings/dassos-2026-10-08/"])
def test_axe_finds_no_serious_or_critical_violation(browser_page, path):
    url, browser = browser_page
    page, errors = _page(browser)
    page.goto(url + path, wait_until="networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    assert [v for v in result if v["impact"] in ("serious", "critical")] == []
    assert errors == []


def test_the_keyboard_alone_reaches_search_and_pagefind_answers(browser_page):
    url, browser = browser_page
    page, errors = _page(browser)
    page.goto(url + "/", wait_until="networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the skip link comes first
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if focused[-1] == "site-search":
            break
    assert focused[-1] == "site-search", focused
    # The focus is visible: an outline of at least 2 px.
    assert float(page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")) >= 2
    page.keyboard.type("DASSOS")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=DASSOS")
    page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
    assert page.locator(".pagefind-ui__result").count() >= 1
    assert errors == []


def test_screenshots_of_the_front_page_and_a_meeting_page(site):
    url, browser = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, errors = _page(browser)
    for name, path in (("front", "/"), ("meeting", "/meetings/dassos-2026-10-08/"), ("body", "/bodies/dassos/")):
        page.goto(url + path, wait_until="networkidle")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    page.emulate_media(media="print")
    page.goto(url + "/meetings/dassos-2026-10-08/", wait_until="networkidle")
    assert page.locator("nav").first.is_hidden()  # print: no navigation, no search
    page.screenshot(path=str(SHOTS / "meeting-print.png"), full_page=True)
    assert errors == []
