from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="detail"),
    path("notices/<int:pk>/original", views.download_original, name="original"),
    path("notices/<int:pk>.json", views.notice_json, name="json"),
]
