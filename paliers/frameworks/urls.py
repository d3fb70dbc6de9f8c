from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/<str:version>/", views.framework_detail, name="detail"),
    path("<slug:slug>/<str:version>/yaml/", views.framework_yaml, name="yaml"),
    path("<slug:slug>/<str:version>/tableur/", views.framework_xlsx, name="xlsx"),
    path(
        "<slug:slug>/<str:version>/correspondances/<slug:source_slug>/<str:source_version>/",
        views.crosswalk_detail,
        name="crosswalk",
    ),
    path(
        "<slug:slug>/<str:version>/correspondances/<slug:source_slug>/<str:source_version>/yaml/",
        views.crosswalk_yaml,
        name="crosswalk_yaml",
    ),
]
