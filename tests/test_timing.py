"""Time to publish: per notice on its page, per agency, and as a distribution on the statistics page."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from notices.models import Notice
from notices.presentation import timing

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_notice_page_says_how_many_days_each_step_took():
    notice = Notice.objects.exclude(inspection_end=None).exclude(feedback_date=None).exclude(publish_date=None).first()
    spans = {s.key: s.days for s in timing.notice_spans(notice)}
    assert spans["to_feedback"] == (notice.feedback_date - notice.inspection_end).days
    assert spans["overall"] == spans["to_feedback"] + spans["to_publish"]


def test_a_notice_without_a_date_says_so_rather_than_guess(client):
    undated = Notice.objects.get(source__filename__startswith="003")
    assert undated.publish_date is None
    page = text_of(client.get(undated.get_absolute_url()).content.decode())
    assert re.search(r"反馈到公布：\s*日期不全", page)
    assert re.search(r"巡察结束到反馈：\d+ 天", page)


def test_dates_out_of_order_are_not_a_negative_span():
    notice = Notice(inspection_end=dt.date(2025, 5, 1), feedback_date=dt.date(2025, 4, 1), publish_date=None)
    assert [s.days for s in timing.notice_spans(notice)] == [None, None, None]


def test_the_statistics_page_shows_each_distribution_with_undated_notices_counted_apart(client):
    html = client.get(reverse("notices:statistics")).content.decode()
    page = text_of(html)
    total = Notice.objects.count()
    for key, label, start, end in timing.SPANS:
        dated = sum(1 for n in Notice.objects.all() if getattr(n, start) and getattr(n, end)
                    and getattr(n, end) >= getattr(n, start))
        assert f"{dated} 份通报写明了这两个日期；另有 {total - dated} 份日期不全" in page, label
    assert sum(d.dated + d.undated == total for d in timing.distributions(Notice.objects.all())) == 3


def test_an_agency_page_gives_the_median_of_its_notices(client):
    notice = Notice.objects.exclude(agency=None).exclude(inspection_end=None).exclude(feedback_date=None).first()
    days = (notice.feedback_date - notice.inspection_end).days
    page = text_of(client.get(reverse("notices:agency", args=[notice.agency_id])).content.decode())
    assert f"巡察结束到反馈：中位数 {days} 天" in page
