"""The readers tools/loadtest.py sends: a locust file (`locust -f tools/loadmix.py`), loopback only.

Each simulated reader asks for one page after another without pausing, so the server is
saturated and the figures say how much it can serve. The mix follows what readers of a
public archive do: mostly notice pages and searches, then facet toggles, the home page,
problem search, the open-data API and now and then a CSV of a narrow search. The words are
the search benchmark's (bench_search), from very common (整改) to rare; the notice ids are
read from the server's own API before the run (tools/loadtest.py), so any archive will do.
"""
from __future__ import annotations

import os
import random
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, constant, events, task

WORDS = [
    "整改", "工作", "巡察", "低保", "养老", "殡葬", "儿童", "资金", "彩票", "公墓", "社会组织", '"第一议题"',
    "三重一大", "一岗双责", "低保动态管理", "困境儿童", "民主生活会", "过紧日子", "低保 动态", "养老 机构",
    "殡葬 改革", "殡葬 -公墓", "低保 OR 特困", "民政局", "人民法院", "agency:卫生健康委员会", "problem:低保",
    "measure:台账", "僵尸站点", "红白理事会", "乡村振兴衔接资金",
]
NARROW = ["僵尸站点", "红白理事会", "乡村振兴衔接资金", "低保动态管理", "快乐吧主题店"]  # CSV downloads stay small
TOGGLES = [{"level": "city"}, {"level": "county"}, {"year": "2024"}, {"year": "2025"}, {"kind": "巡察"},
           {"topic": "funeral"}, {"progress": "done"}]
NOTICE_IDS: list[int] = []


@events.test_start.add_listener
def read_notice_ids(environment, **kwargs):
    """The notice ids tools/loadtest.py read from the archive under test (LOADMIX_NOTICE_IDS: a file)."""
    assert urlsplit(environment.host).hostname in ("127.0.0.1", "localhost", "::1"), "loadmix only runs on loopback"
    NOTICE_IDS.extend(int(n) for n in Path(os.environ["LOADMIX_NOTICE_IDS"]).read_text().split())
    assert NOTICE_IDS, "the archive under test holds no notices"


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task(30)
    def notice_page(self):
        self.client.get(f"/notices/{random.choice(NOTICE_IDS)}/", name="/notices/[id]/")

    @task(20)
    def search(self):
        self.client.get("/notices/?" + urlencode({"q": random.choice(WORDS)}), name="/notices/?q=")

    @task(12)
    def facet_toggle(self):
        params = {"q": random.choice(WORDS), **random.choice(TOGGLES)}
        self.client.get("/notices/?" + urlencode(params), name="/notices/?q=&facet")

    @task(10)
    def home(self):
        self.client.get("/", name="/")

    @task(10)
    def problem_search(self):
        self.client.get("/problems/?" + urlencode({"q": random.choice(WORDS)}), name="/problems/?q=")

    @task(5)
    def api_notices(self):
        self.client.get("/api/v1/notices?" + urlencode({"q": random.choice(WORDS)}), name="/api/v1/notices?q=")

    @task(5)
    def api_units(self):
        endpoint = random.choice(["problems", "measures"])
        self.client.get(f"/api/v1/{endpoint}?" + urlencode({"q": random.choice(WORDS)}),
                        name="/api/v1/problems|measures?q=")

    @task(3)
    def csv(self):
        self.client.get("/export/problems.csv?" + urlencode({"q": random.choice(NARROW)}), name="/export/problems.csv")
