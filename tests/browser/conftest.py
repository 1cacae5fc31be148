"""Browser tests: Playwright driving Debian's chromium against pytest-django's live_server.

Nothing here downloads a browser: chromium is the one apt installs at /usr/bin/chromium.
Without it the tests skip with the reason, unless ARCHIVE_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure. Screenshots of the main pages go to test-results/screenshots/.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The sync Playwright API runs an event loop in this thread; Django's ORM calls made from
# the test itself (to compare downloaded bytes) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context():
    if not CHROMIUM.exists():
        reason = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium); the browser tests need it."
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        # A fresh user-data dir each run; Playwright takes it as an argument, not as --user-data-dir.
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            accept_downloads=True, locale="zh-CN", viewport=DESKTOP,
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context, live_server):
    """A fresh tab on the live server; every request it makes is recorded in page.requested."""
    tab = browser_context.new_page()
    tab.set_viewport_size(DESKTOP)
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    yield tab
    tab.close()


@pytest.fixture
def shoot():
    """shoot(page, "name"): a full-page screenshot in test-results/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        # A long notice page under a busy machine takes Chromium more than the default 15 s to capture.
        tab.screenshot(path=str(path), full_page=True, timeout=90_000)
        return path

    return take
