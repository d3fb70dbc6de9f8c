from django.urls import path

from . import views

app_name = "roadmap"
urlpatterns = [
    path("feuille-de-route/", views.roadmap_list, name="list"),
    path("feuille-de-route/nouvelle/", views.roadmap_create, name="create"),
    path("feuille-de-route/exemple/", views.load_example, name="load_example"),
    path("feuille-de-route/<int:pk>/", views.roadmap_detail, name="detail"),
    path("feuille-de-route/<int:pk>/modifier/", views.roadmap_edit, name="edit"),
    path("feuille-de-route/<int:pk>/supprimer/", views.roadmap_delete, name="delete"),
    path("feuille-de-route/<int:pk>/axes/nouveau/", views.axis_create, name="axis_create"),
    path("feuille-de-route/axes/<int:pk>/modifier/", views.axis_edit, name="axis_edit"),
    path("feuille-de-route/axes/<int:pk>/supprimer/", views.axis_delete, name="axis_delete"),
    path(
        "feuille-de-route/axes/<int:pk>/indicateurs/nouveau/", views.indicator_create, name="indicator_create"
    ),
    path("feuille-de-route/indicateurs/<int:pk>/", views.indicator_detail, name="indicator"),
    path("feuille-de-route/indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path("feuille-de-route/indicateurs/<int:pk>/supprimer/", views.indicator_delete, name="indicator_delete"),
    path("feuille-de-route/indicateurs/<int:pk>/valeurs/", views.value_add, name="value_add"),
]
