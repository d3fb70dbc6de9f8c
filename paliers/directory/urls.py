from django.urls import path

from . import imports, views

app_name = "directory"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("importer/", imports.import_upload, name="import"),
    path("importer/<int:pk>/", imports.import_review, name="import_review"),
    path("<str:uai>/", views.school_detail, name="detail"),
]
