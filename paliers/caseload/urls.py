from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("suivi/", views.caseload_page, name="caseload"),
    path("suivi/export.csv", views.caseload_csv, name="csv"),
    path("observatoire/ecole-par-ecole/", views.observatory_schools_page, name="observatory"),
    path("observatoire/ecole-par-ecole.csv", views.observatory_schools_csv, name="observatory_csv"),
]
