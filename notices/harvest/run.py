"""Harvest a column: read its list pages, pick the links to notices, capture each through the capture path.

1. List pages (listing.py), from the first, following the list's other pages, at most max_pages
   per list. Reading stops early at a page whose notice links are all in the archive already (the
   part harvested last time: nothing new beyond it) or that reaches back before `since`.
2. Links to notices: each address once across all the lists of a run; one the archive captured
   before is skipped (recheck: captured again, which stores only what changed: a new version).
3. Each capture is capture.store.capture(): provenance, attachments, versions, reposts, one
   transaction each. Every request of the run (list pages, robots.txt, notices, attachments)
   takes its turn at its host through the fetcher's gate (capture.politeness.DatabaseGate across workers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from ..capture.fetch import Fetcher, FetchError
from ..provenance import Capture
from ..capture.store import capture
from .listing import Link, read_list_page


@dataclass(frozen=True)
class HarvestOptions:
    max_pages: int = 20
    since: date | None = None
    recheck: bool = False


@dataclass
class Harvested:
    pages: int = 0  # list pages read
    links: int = 0  # links seen on them
    notices: list[Link] = field(default_factory=list)  # links to notices, each address once
    page_failures: list[tuple[str, str]] = field(default_factory=list)

    def as_result(self, counts: dict) -> dict:
        return {"pages": self.pages, "links": self.links, "found": len(self.notices),
                "page_failures": [list(p) for p in self.page_failures], **counts}


def already_captured(url: str) -> bool:
    return Capture.objects.filter(Q(url=url) | Q(final_url=url)).exists()


def read_lists(list_urls: list[str], options: HarvestOptions, fetcher: Fetcher, progress) -> Harvested:
    harvested = Harvested()
    wanted: dict[str, Link] = {}
    for first in list_urls:
        frontier, seen = [first], set()
        while frontier and len(seen) < options.max_pages:
            url = frontier.pop(0)
            seen.add(url)
            progress.begin(f"列表页 {url}")
            try:
                fetched = fetcher.fetch(url)
            except FetchError as exc:
                harvested.page_failures.append((url, str(exc)))
                continue
            page = read_list_page(fetched.body, fetched.final_url, fetched.content_type)
            harvested.pages += 1
            harvested.links += len(page.links)
            in_range = [link for link in page.notice_links
                        if options.since is None or link.date is None or link.date >= options.since]
            fresh = [link for link in in_range if link.url not in wanted and not already_captured(link.url)]
            for link in in_range:
                wanted.setdefault(link.url, link)
            reached_since = len(in_range) < len(page.notice_links)
            nothing_new = bool(in_range) and not fresh and not options.recheck
            if reached_since or nothing_new:
                break
            frontier.extend(p for p in page.more_pages if p not in seen and p not in frontier)
    harvested.notices = list(wanted.values())
    return harvested


def harvest(list_urls: list[str], options: HarvestOptions, fetcher: Fetcher, progress) -> dict:
    """Read the lists, then capture what is new; the run's figures (pages, links, found, and per outcome)."""
    harvested = read_lists(list_urls, options, fetcher, progress)
    if harvested.pages == 0 and harvested.page_failures:
        raise HarvestError("没有读到任何列表页：" + "；".join(reason for _, reason in harvested.page_failures[:3]))
    counts: dict[str, int] = {}
    notices: list[int] = []
    progress.start(len(harvested.notices))
    for link in harvested.notices:
        progress.begin(link.url)
        if not options.recheck and already_captured(link.url):
            outcome, message = "skipped", "以前已采集"
        else:
            result = capture(link.url, fetcher)
            outcome, message = result.outcome, result.message
            if result.reason == "robots":  # the site asks not to be read there: respected, not a failure
                outcome = "refused"
            if result.notice_id and outcome in ("new", "updated", "linked"):
                notices.append(result.notice_id)
        counts[outcome] = counts.get(outcome, 0) + 1
        progress.end(f"{link.text}（{link.url}）", outcome, message)
    return {**harvested.as_result(counts), "notices": notices}


class HarvestError(Exception):
    """A harvest that could not start: no list page could be read. The message says why, in Chinese."""
