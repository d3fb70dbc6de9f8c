from django.urls import path

from . import views

app_name = "objectives"
urlpatterns = [
    path("ecoles/<str:uai>/objectifs/", views.objective_list, name="list"),
    path("ecoles/<str:uai>/objectifs/nouveau/", views.objective_create, name="create"),
    path("ecoles/<str:uai>/objectifs/suggestion/", views.objective_from_suggestion, name="from_suggestion"),
    path("objectifs/<int:pk>/", views.objective_detail, name="detail"),
    path("objectifs/<int:pk>/modifier/", views.objective_edit, name="edit"),
    path("objectifs/<int:pk>/points/", views.checkpoint_add, name="checkpoint"),
    path("objectifs/<int:pk>/cloturer/", views.objective_close, name="close"),
    path("objectifs/<int:pk>/rouvrir/", views.objective_reopen, name="reopen"),
    path("objectifs/<int:pk>/supprimer/", views.objective_delete, name="delete"),
]
