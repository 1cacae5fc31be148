"""The reading room's pages. Each view is a FilterSet, one engine or builder call, and a render.

browse.py   home, the notice list and search results, problem search, statistics, about
notice.py   a notice's page, its original file and its JSON
agency.py   the agency index and an agency's record
compare.py  two to six agencies, provinces, levels or years side by side, and its CSV
"""
from .agency import AgencyDetailView, AgencyListView
from .browse import AboutView, HomeView, ProblemSearchView, SearchView, StatisticsView
from .compare import compare, compare_csv
from .notice import NoticeDetailView, download_original, download_warc, notice_json

__all__ = [
    "AboutView", "AgencyDetailView", "AgencyListView", "HomeView", "NoticeDetailView", "ProblemSearchView",
    "SearchView", "StatisticsView", "compare", "compare_csv", "download_original", "download_warc", "notice_json",
]
