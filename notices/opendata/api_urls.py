"""/api/v1/: the JSON API, its OpenAPI schema and the pages that document it (assets served locally)."""
from django.urls import path, re_path
from django.views.decorators.cache import cache_control
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import api

documentation = cache_control(public=True, max_age=3600)  # changes only with a deployment

app_name = "api"
urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("notices", api.NoticeListView.as_view(), name="notice-list"),
    path("notices/<int:pk>", api.NoticeDetailView.as_view(), name="notice-detail"),
    path("problems", api.ProblemListView.as_view(), name="problem-list"),
    path("measures", api.MeasureListView.as_view(), name="measure-list"),
    path("agencies", api.AgencyListView.as_view(), name="agency-list"),
    path("agencies/<int:pk>", api.AgencyDetailView.as_view(), name="agency-detail"),
    path("facets", api.FacetsView.as_view(), name="facets"),
    path("schema", documentation(SpectacularAPIView.as_view()), name="schema"),
    path("docs", documentation(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("redoc", documentation(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
         name="redoc"),
    re_path(r"^(?P<rest>.*)$", api.not_found),
]
