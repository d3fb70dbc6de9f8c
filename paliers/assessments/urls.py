from django.urls import path

from . import views, views_campaigns, views_carried, views_contributions, views_lifecycle, views_results

app_name = "assessments"
urlpatterns = [
    path("campagnes/", views_campaigns.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", views_campaigns.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
    path("campagnes/<int:pk>/ecoles.csv", views_campaigns.campaign_csv, name="campaign_csv"),
    path("campagnes/<int:pk>/modifier/", views_lifecycle.campaign_edit, name="campaign_edit"),
    path("campagnes/<int:pk>/clore/", views_lifecycle.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/supprimer/", views_lifecycle.campaign_delete, name="campaign_delete"),
    path("campagnes/<int:pk>/relancer/", views_lifecycle.campaign_remind, name="campaign_remind"),
    path("positionnements/<int:pk>/relancer/", views_lifecycle.remind_school, name="remind_school"),
    path("positionnements/<int:pk>/rouvrir-apres-cloture/", views_lifecycle.reopen_late, name="reopen_late"),
    path("positionnements/<int:pk>/", views.assessment_detail, name="detail"),
    path("positionnements/<int:pk>/reponses/", views.save_answers, name="save_answers"),
    path("positionnements/<int:pk>/reponses/<str:code>/", views.save_answer, name="save_answer"),
    path("positionnements/<int:pk>/historique/<str:code>/", views.criterion_history, name="history"),
    path("positionnements/<int:pk>/soumettre/", views.submit, name="submit"),
    path("positionnements/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("positionnements/<int:pk>/reprendre/", views.start_from_previous, name="start_from_previous"),
    path("positionnements/<int:pk>/reprises/", views_carried.carried, name="carried"),
    path(
        "positionnements/<int:pk>/reprises/confirmer/", views_carried.confirm_carried, name="confirm_carried"
    ),
    path("positionnements/<int:pk>/revisions/<int:number>/", views.revision, name="revision"),
    path("positionnements/<int:pk>/ma-contribution/", views_contributions.contribution, name="contribution"),
    path(
        "positionnements/<int:pk>/ma-contribution/<str:code>/",
        views_contributions.contribution_answer,
        name="contribution_answer",
    ),
    path("positionnements/<int:pk>/equipe/", views.consensus, name="consensus"),
    path("positionnements/<int:pk>/resultats/", views_results.results, name="results"),
]
