from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("notices.urls")),
    path("api/v1/", include("notices.opendata.api_urls")),  # the open-data API (namespace "api")
    path("", include("notices.opendata.urls")),  # CSV and Atom of any list view (namespace "opendata")
]
