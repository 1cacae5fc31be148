from django.urls import path

from . import views
from .views.cached import cached_page

app_name = "notices"
urlpatterns = [
    path("", cached_page(views.HomeView.as_view()), name="home"),
    path("notices/", cached_page(views.SearchView.as_view()), name="list"),
    path("notices/<int:pk>/", cached_page(views.NoticeDetailView.as_view()), name="detail"),
    path("notices/<int:pk>/original", views.download_original, name="original"),
    path("notices/<int:pk>.json", views.notice_json, name="json"),
    path("notices/<int:pk>/captures/<int:capture>.warc.gz", views.download_warc, name="warc"),
    path("problems/", cached_page(views.ProblemSearchView.as_view()), name="problems"),
    path("agencies/", cached_page(views.AgencyListView.as_view()), name="agency_list"),
    path("agencies/<int:pk>/", cached_page(views.AgencyDetailView.as_view()), name="agency"),
    path("statistics/", cached_page(views.StatisticsView.as_view()), name="statistics"),
    path("compare/", views.compare, name="compare"),
    path("compare/compare.csv", views.compare_csv, name="compare_csv"),
    path("about/", cached_page(views.AboutView.as_view()), name="about"),
]
