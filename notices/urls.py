from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("notices/", views.SearchView.as_view(), name="list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="detail"),
    path("notices/<int:pk>/original", views.download_original, name="original"),
    path("notices/<int:pk>.json", views.notice_json, name="json"),
    path("notices/<int:pk>/captures/<int:capture>.warc.gz", views.download_warc, name="warc"),
    path("problems/", views.ProblemSearchView.as_view(), name="problems"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("compare/", views.compare, name="compare"),
    path("compare/compare.csv", views.compare_csv, name="compare_csv"),
    path("about/", views.AboutView.as_view(), name="about"),
]
