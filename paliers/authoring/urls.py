from django.urls import path

from . import views

app_name = "authoring"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("modele/", views.template, name="template"),
    path("<int:pk>/", views.preview, name="preview"),
    path("correspondances/", views.crosswalk_upload, name="crosswalk_upload"),
]
