from django.contrib import admin
from django.urls import include, path

from paliers.api.api import api

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("comptes/jetons/", include("paliers.api.urls")),
    path("comptes/", include("paliers.accounts.urls")),
    path("referentiels/", include("paliers.frameworks.urls")),
    path("annuaire/", include("paliers.directory.urls")),
    path("personnes/", include("paliers.accounts.people_urls")),
    path("", include("paliers.assessments.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
