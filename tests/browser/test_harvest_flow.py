"""An archivist points the archive at a column in a real browser: adds the 采集来源, follows the harvest on
the 任务 page while a real worker collects the notices, and sees the counts on the source's row."""
from __future__ import annotations

import re
import signal

import pytest
from playwright.sync_api import expect

from notices.models import Notice

from ..conftest import make_archivist_group, put_back_shared_data
from ..harvest.site import serve
from ..jobs.support import start_worker

pytestmark = pytest.mark.browser
PASSWORD = "a-throwaway-password-for-the-test-31"


@pytest.fixture(scope="module", autouse=True)
def shared_data_put_back(django_db_blocker):
    """live_server's test empties every table when it ends: put back what the other tests expect."""
    yield
    with django_db_blocker.unblock():
        put_back_shared_data()


@pytest.fixture
def site():
    site, server = serve()
    Notice.all_objects.all().delete()  # four of the site's notices are seeds: they would be copies
    yield site
    server.shutdown()
    server.server_close()


def test_an_archivist_adds_a_column_and_watches_the_worker_collect_it(page, live_server, site, shoot):
    from django.contrib.auth.models import Group, User

    make_archivist_group()  # with its permissions: an earlier transactional test may have emptied the tables
    user = User.objects.create_user("archivist", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="档案员"))
    worker = start_worker("browser-test", until_idle=False)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/notices/harvestsource/add/")
        page.fill("#id_username", "archivist")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.fill("#id_name", "某某市民政局 · 巡察整改")
        page.fill("#id_list_url", site.list_urls[0])
        page.select_option("#id_schedule", "daily")
        shoot(page, "harvest-01-add-source")
        page.click("input[name=_save]")
        expect(page.locator(".messagelist")).to_contain_text("并开始第一次采集")
        shoot(page, "harvest-02-sources")

        page.locator(".messagelist a", has_text=re.compile(r"任务 #\d+")).click()
        expect(page.locator("h1")).to_contain_text("采集：某某市民政局 · 巡察整改")
        # the page refreshes itself while the job is queued or running
        expect(page.locator("#job-state")).to_contain_text("已完成", timeout=120_000)
        expect(page.locator("#job-progress")).to_contain_text("5 / 5")
        expect(page.locator("#job-counts")).to_contain_text("新增 4")
        expect(page.locator("#job-notes")).to_contain_text("robots.txt 不允许")
        shoot(page, "harvest-03-job-done")

        page.goto(f"{live_server.url}/admin/notices/harvestsource/")
        row = page.locator("#result_list tbody tr").first
        expect(row).to_contain_text("每天")
        expect(row).to_contain_text("已完成")
        shoot(page, "harvest-04-source-counted")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=120)
