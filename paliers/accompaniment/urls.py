from django.urls import path

from . import views

app_name = "accompaniment"
school = "ecoles/<str:uai>/accompagnement/"
urlpatterns = [
    path("accompagnement/demandes/", views.request_list, name="requests"),
    path(school, views.school_accompaniment, name="school"),
    path(f"{school}demandes/nouvelle/", views.request_create, name="request_create"),
    path(f"{school}demandes/<int:pk>/", views.request_detail, name="request"),
    path(f"{school}demandes/<int:pk>/clore/", views.request_close, name="request_close"),
    path(f"{school}interventions/nouvelle/", views.record_create, name="record_create"),
    path(f"{school}plan/nouvelle-action/", views.plan_create, name="plan_create"),
    path(f"{school}plan/<int:pk>/", views.plan_edit, name="plan_edit"),
    path(f"{school}plan/<int:pk>/etat/", views.plan_status, name="plan_status"),
]
