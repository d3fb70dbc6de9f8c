from django.urls import path

from . import views, views_aggregates, views_public

app_name = "surveys"
urlpatterns = [
    # Public, short: typed from a poster or opened from a QR code.
    path("q/", views_public.enter_code, name="enter"),
    path("q/<str:code>/", views_public.respond, name="respond"),
    path("q/<str:code>/merci/", views_public.thanks, name="thanks"),
    # The leadership's and the accompanying staff's pages.
    path("questionnaires-equipe/", views.survey_list, name="list"),
    # Added up over a scope: a page of the observatory.
    path("observatoire/questionnaires-equipe/", views_aggregates.aggregates, name="aggregates"),
    path("questionnaires-equipe/ouvrir/<int:campaign_pk>/<str:uai>/", views.survey_open, name="open"),
    path("questionnaires-equipe/<int:pk>/", views.survey_detail, name="detail"),
    path("questionnaires-equipe/<int:pk>/dates/", views.survey_dates, name="dates"),
    path("questionnaires-equipe/<int:pk>/affiche/", views.poster, name="poster"),
    path("questionnaires-equipe/<int:pk>/qr.svg", views.qr_code, name="qr"),
    path("questionnaires-equipe/<int:pk>/direction/", views.leadership, name="leadership"),
    path("questionnaires-equipe/<int:pk>/resultats/", views.results, name="results"),
    path("questionnaires-equipe/<int:pk>/resultats.csv", views.export, name="export"),
]
