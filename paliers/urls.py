from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("comptes/", include("paliers.accounts.urls")),
    path("referentiels/", include("paliers.frameworks.urls")),
    path("annuaire/", include("paliers.directory.urls")),
    path("personnes/", include("paliers.accounts.people_urls")),
    path("admin/", admin.site.urls),
]
