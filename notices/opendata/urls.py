"""Open data outside the JSON API: CSV downloads and Atom feeds of any list view's selection.

Each takes the list view's query string as it is (filters, q, scope, sort; page is ignored):
    {% url 'opendata:notices-csv' %}?{{ request.GET.urlencode }}
"""
from django.urls import path

from . import csv_download, feeds

app_name = "opendata"
urlpatterns = [
    path("export/notices.csv", csv_download.notices_csv, name="notices-csv"),
    path("export/problems.csv", csv_download.problems_csv, name="problems-csv"),
    path("feeds/notices.atom", feeds.NoticeFeed(), name="feed"),
]
