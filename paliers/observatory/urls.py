from django.urls import path

from . import map_views, views

app_name = "observatory"
urlpatterns = [
    path("observatoire/", views.overview, name="overview"),
    path("observatoire/carte-de-chaleur/", views.heatmap, name="heatmap"),
    path("observatoire/carte/", map_views.france, name="map"),
    path("observatoire/carte/<str:code>/", map_views.department, name="map_department"),
    path("observatoire/evolution/", views.evolution, name="evolution"),
    path("observatoire/export/<slug:figure>.csv", views.export, name="export"),
    path("observatoire/donnees-ouvertes.csv", views.open_data, name="open_data"),
    path("observatoire/ecoles/", views.school_search, name="school_search"),
    path("observatoire/ecoles/<str:uai>/", views.school, name="school"),
]
