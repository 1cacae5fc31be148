"""Atom feeds: the notices newest in the archive, for everything or for any search and filters.

/feeds/notices.atom takes the list view's query string (q, scope, the filters), so that a
reader can subscribe to "殡葬 in 广东省" as /feeds/notices.atom?q=殡葬&province=广东省.
Entries are ordered by when the archive received the notice, so a notice published long
ago but added today still reaches subscribers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from ..facets import LABELS
from ..filters import NoticeFilter
from ..parsing.chars import clean_text
from ..search import NoticeHit, attach_hits
from .caching import archive_last_modified, conditional
from .errors import bad_parameters_response
from .selection import BadParameters, Selection, selection

ARCHIVE_NAME = "巡视巡察整改通报库"
ENTRIES = 50


@dataclass(frozen=True)
class Subscription:
    selection: Selection
    self_url: str  # this feed, query included
    list_url: str  # the same selection in the reading room
    label: str  # the selection in words: 殡葬 · 广东省


def describe(params) -> str:
    """The search and filters in words, for the feed's title."""
    parts = []
    if params.get("q", "").strip():
        parts.append(params["q"].strip())
    for name in NoticeFilter.FACETS:
        labels = LABELS.get(name, {})
        values = [labels.get(v, "不详" if v == "none" else v) for v in params.getlist(name)]
        if values:
            parts.append("或".join(values))
    if params.get("published_after") or params.get("published_before"):
        parts.append(f"{params.get('published_after', '')}至{params.get('published_before', '')}")
    return " · ".join(parts)


class WellFormedAtom(Atom1Feed):
    """Atom whose every string has passed the text gate, so the XML is well formed whatever a
    notice stored before the gate, or a query, holds (Django refuses control characters with a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_gated, args), **{k: _gated(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_gated, args), **{k: _gated(v) for k, v in kwargs.items()})


def _gated(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_gated(v) for v in value)
    return value


class NoticeFeed(Feed):
    feed_type = WellFormedAtom

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadParameters as exc:
            return bad_parameters_response(exc)
        response["Access-Control-Allow-Origin"] = "*"
        return conditional(request, response, last_modified=archive_last_modified())

    def get_object(self, request, *args, **kwargs) -> Subscription:
        params = request.GET.copy()
        for ignored in ("page", "per_page", "sort"):
            params.pop(ignored, None)
        chosen = selection(params)
        query = ("?" + params.urlencode()) if params else ""
        return Subscription(
            selection=chosen,
            self_url=request.path + query,
            list_url=reverse("notices:list") + query,
            label=describe(params),
        )

    def title(self, sub: Subscription) -> str:
        return f"{ARCHIVE_NAME}：{sub.label}" if sub.label else f"{ARCHIVE_NAME}：新收录的通报"

    def subtitle(self, sub: Subscription) -> str:
        what = f"符合“{sub.label}”的" if sub.label else ""
        return f"{what}整改进展情况通报，按收录时间排列，最新的{ENTRIES}篇。"

    def link(self, sub: Subscription) -> str:
        return sub.list_url

    def feed_url(self, sub: Subscription) -> str:
        return sub.self_url

    def items(self, sub: Subscription) -> list[NoticeHit]:
        chosen = sub.selection
        notices = list(
            chosen.matching().without_search_columns().defer("text").select_related("source")
            .order_by("-created_at", "-id")[:ENTRIES]
        )
        if chosen.query.is_empty:
            return [NoticeHit(n) for n in notices]
        return attach_hits(notices, chosen.query, chosen.scope)

    def item_title(self, hit: NoticeHit) -> str:
        return hit.notice.display_title

    def item_link(self, hit: NoticeHit) -> str:
        return hit.notice.get_absolute_url()

    def item_description(self, hit: NoticeHit) -> str:
        notice = hit.notice
        facts = [
            ("被巡察单位", notice.agency_name), ("发布单位", notice.issuer), ("巡察组", notice.inspector),
            ("地区", "".join(p for p in (notice.province, notice.city, notice.county) if p) or None),
            ("发布日期", notice.publish_date.isoformat() if notice.publish_date else None),
        ]
        lines = [f"{label}：{value}" for label, value in facts if value]
        lines += [f"问题：{u.unit.title}" for u in hit.issues]
        lines += [f"措施：{u.unit.text[:200]}" for u in hit.measures]
        return "\n".join(lines)  # escaped by the feed generator

    def item_author_name(self, hit: NoticeHit) -> str | None:
        return hit.notice.issuer or hit.notice.agency_name

    def item_pubdate(self, hit: NoticeHit) -> dt.datetime:
        """The notice's own date when it has one (midnight, Beijing time), else when it was received."""
        date = hit.notice.publish_date
        if date is None:
            return hit.notice.created_at
        return timezone.make_aware(dt.datetime.combine(date, dt.time()), timezone.get_default_timezone())

    def item_updateddate(self, hit: NoticeHit) -> dt.datetime:
        return hit.notice.updated_at

    def item_categories(self, hit: NoticeHit) -> list[str]:
        labels = LABELS["topic"]
        return [labels.get(slug, slug) for slug in hit.notice.topics]


__all__ = ["NoticeFeed", "describe"]
