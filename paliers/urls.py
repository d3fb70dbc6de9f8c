from django.contrib import admin
from django.urls import include, path

from paliers.api.api import api
from paliers.core.health import health
from paliers.identities.urls import settings_urlpatterns as sign_in_settings_urls

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", health, name="health"),
    path("donnees-personnelles/", views.data_protection, name="data_protection"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("comptes/mes-donnees/", views.my_data, name="my_data"),
    path("personnes/comptes/<int:pk>/supprimer/", views.account_delete, name="account_delete"),
    path("comptes/jetons/", include("paliers.api.urls")),
    path("comptes/", include("paliers.identities.urls")),
    path("comptes/", include("paliers.accounts.urls")),
    path("referentiels/", include("paliers.frameworks.urls")),
    path("depot-referentiel/", include("paliers.authoring.urls")),
    path("annuaire/", include("paliers.directory.urls")),
    path("personnes/connexion/", include(sign_in_settings_urls)),
    path("personnes/", include("paliers.accounts.people_urls")),
    path("journal/", include("paliers.audit.urls")),
    path("", include("paliers.assessments.urls")),
    path("", include("paliers.surveys.urls")),
    path("", include("paliers.objectives.urls")),
    path("", include("paliers.accompaniment.urls")),
    path("", include("paliers.observatory.urls")),
    path("", include("paliers.roadmap.urls")),
    path("", include("paliers.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
