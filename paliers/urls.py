from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("paliers.core.urls")),
    path("comptes/", include("paliers.accounts.urls")),
    path("referentiels/", include("paliers.frameworks.urls")),
    path("admin/", admin.site.urls),
]
