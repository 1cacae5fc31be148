"""One archivist's session in a real browser: log in, upload, check the preview, save and
correct, re-parse after a parser improvement, and see the corrections kept.

Drives Debian's /usr/bin/chromium through Playwright (never a downloaded browser). Screenshots
of every step land in test-results/screenshots/.
"""
from __future__ import annotations

import dataclasses
import importlib
import os
from pathlib import Path

import pytest

from ..conftest import ROOT, SEED_FILES, put_back_shared_data

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-results" / "screenshots"
PASSWORD = "a-throwaway-password-for-the-test-31"
# Playwright's sync API runs an event loop in this thread; the ORM calls below are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _archivist_group():
    migration = importlib.import_module("notices.migrations.0002_corrections_uploads_recycle_bin")
    from django.apps import apps

    migration.create_archivist_group(apps, None)


@pytest.fixture(scope="module", autouse=True)
def shared_data_put_back(django_db_blocker):
    """live_server's test empties every table when it ends: put back what the other tests expect."""
    yield
    with django_db_blocker.unblock():
        put_back_shared_data()


@pytest.fixture
def browser(tmp_path):
    """Chromium with a throwaway profile. Playwright refuses --user-data-dir in launch(): the
    profile folder is given to launch_persistent_context instead, which is the same thing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium); the browser test needs it."
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium"), executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"],
            viewport={"width": 1400, "height": 900}, locale="zh-CN",
        )
        yield context
        context.close()


def _shot(page, name: str) -> None:
    """The whole page, and what the archivist sees first (the viewport) at full resolution."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}-top.png"))


def _improve_the_parser(monkeypatch) -> None:
    """What a parser improvement looks like from here: it reads the inspection team differently."""
    from notices import ingest

    real = ingest.parse_notice

    def improved(*args, **kwargs):
        parsed = real(*args, **kwargs)
        meta = dataclasses.replace(parsed.metadata, inspector="市委第六巡察组（解析程序改进后）",
                                   title="解析程序改进后的标题")
        return dataclasses.replace(parsed, metadata=meta)

    monkeypatch.setattr(ingest, "parse_notice", improved)


def test_an_archivist_uploads_checks_saves_corrects_and_reparses(live_server, browser, monkeypatch):
    from django.contrib.auth.models import Group, User
    from playwright.sync_api import expect

    from notices.models import Correction, Issue, Notice

    _archivist_group()
    user = User.objects.create_user("archivist", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="档案员"))
    data = SEED_FILES[0].read_bytes() + b"\n\n\n"  # new bytes, the same notice to the parser

    page = browser.new_page()
    page.set_default_timeout(20_000)

    # 1. Log in; the upload page.
    page.goto(f"{live_server.url}/admin/login/?next=/admin/notices/notice/upload/")
    page.fill("#id_username", "archivist")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("h1")).to_have_text("上传通报")
    page.set_input_files("#id_files", files=[{"name": "东营民政局整改通报.txt", "mimeType": "text/plain", "buffer": data}])
    _shot(page, "01-upload")

    # 2. The preview: metadata, tree and the three choices; nothing stored yet.
    page.click("text=上传并解析")
    expect(page.locator("h1")).to_contain_text("核对解析结果")
    expect(page.locator(".preview-meta")).to_contain_text("东营市民政局")
    expect(page.locator(".parse-tree").first).to_be_visible()
    assert not Notice.objects.filter(source__filename="东营民政局整改通报.txt").exists()
    _shot(page, "02-preview")

    # 3. Save and correct: the new notice's page opens.
    page.click("input[name=_saveandcorrect]")
    expect(page.locator(".messagelist")).to_contain_text("已保存")
    notice = Notice.objects.get(source__filename="东营民政局整改通报.txt")
    first_problem = Issue.objects.filter(notice=notice).order_by("position").first()
    _shot(page, "03-saved")

    # 4. Correct the title and the first problem; add a problem by hand.
    page.fill("#id_title", "人工更正：东营市民政局巡察整改进展情况的通报")
    page.fill("textarea[name='issues-0-title']", "人工更正的第一个问题")
    page.click("#issues-group .add-row a")
    rows = page.locator("#issues-group tr.form-row.dynamic-issues")
    expect(rows).to_have_count(Issue.objects.filter(notice=notice).count() + 1)
    rows.last.locator("textarea[name$='-title']").fill("人工补充的问题")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("成功修改了")
    expect(page.locator("#id_title")).to_have_value("人工更正：东营市民政局巡察整改进展情况的通报")
    expect(page.locator("#id_title ~ .help, .field-title .help").first).to_contain_text("已人工校对")
    _shot(page, "04-corrected")
    recorded = set(Correction.objects.filter(notice=notice).values_list("action", "field"))
    assert {("change", "title"), ("add", "")} <= recorded

    # 5. The parser improves; re-parse from the notice's page.
    _improve_the_parser(monkeypatch)
    page.click("button:has-text('重新解析')")
    message = page.locator(".messagelist")
    expect(message).to_contain_text("已重新解析")
    expect(message).to_contain_text("巡察组")
    expect(message).to_contain_text("保留了")
    expect(page.locator("#id_title")).to_have_value("人工更正：东营市民政局巡察整改进展情况的通报")
    expect(page.locator("#id_inspector")).to_have_value("市委第六巡察组（解析程序改进后）")
    expect(page.locator("textarea[name='issues-0-title']")).to_have_value("人工更正的第一个问题")
    _shot(page, "05-reparsed")
    page.locator("#issues-group").screenshot(path=str(SCREENSHOTS / "admin-05-problems.png"))
    page.click("summary:has-text('人工校对记录')")
    log = page.locator("fieldset:has(summary:has-text('人工校对记录'))")
    expect(log).to_contain_text("人工补充的问题")
    log.screenshot(path=str(SCREENSHOTS / "admin-05-correction-log.png"))
    assert Issue.objects.get(pk=first_problem.pk).title == "人工更正的第一个问题"
    assert Issue.objects.filter(notice=notice, title="人工补充的问题").exists()

    # 6. The list finds it among the corrected notices.
    page.goto(f"{live_server.url}/admin/notices/notice/?corrected=yes")
    expect(page.locator("#result_list")).to_contain_text("人工更正：东营市民政局")
    _shot(page, "06-list-corrected")
